// Cancel: a running import stops within a second, the package in progress rolls back and the
// committed packages stay, counted.
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../support/app'
import { ADMIN, PERSON_SCHEMA, personFile, writePeople } from './support'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp()
}, 30_000)
afterAll(() => t?.close())

it('stops a running import within a second and keeps its committed packages', async () => {
  await t.app.graph.importSchema('default', PERSON_SCHEMA, ADMIN)
  writePeople(join(t.dir, 'upload_files/admin/big.csv'), 800_000)
  const { taskId, jobId } = await t.app.graph.startImport({ graph: 'default', files: [personFile('big.csv')], packageBytes: 512 * 1024 }, ADMIN)
  for (;;) {
    const s = await t.app.graph.importStatus(taskId)
    if ((s.report?.packagesDone ?? 0) >= 1) break
    expect(s.status === 'running' || s.status === 'queued').toBe(true)
    await new Promise((r) => setTimeout(r, 20))
  }
  const asked = performance.now()
  t.app.graph.cancelImport(taskId, ADMIN)
  const job = await t.app.engine.waitFor(jobId)
  const tookMs = performance.now() - asked
  expect(job.status).toBe('cancelled')
  console.log(`cancel took ${tookMs.toFixed(0)} ms`)
  expect(tookMs).toBeLessThan(1000)
  const s = await t.app.graph.importStatus(taskId)
  expect(s.report).toMatchObject({ state: 'cancelled' })
  const imported = s.report!.imported
  expect(imported).toBeGreaterThan(0)
  expect(imported).toBeLessThan(800_000)
  expect((await t.app.graph.getGraph('default', { user: 'admin' })).vertexCount).toBe(imported) // exactly the committed packages
  const logs = (await t.call('GET', `/api/v1/jobs/${jobId}/logs?from=0&size=1000`)).body.lines.map((l: { text: string }) => l.text).join('\n')
  expect(logs).toMatch(/cancelled after \d+ committed packages/)
  // another user is told the task id is unknown (#9 §3)
  expect(t.app.graph.cancelImport.bind(null, taskId, { username: 'bob', isAdmin: false })).toThrow(/^Not a valid task id$/)
}, 60_000)
