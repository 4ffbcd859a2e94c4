// New-user trial (Dec 2026): a cancelled import's job showed 65% while 49% of the file was in the
// graph: the progress of the package in progress stayed, though that package was rolled back. After
// a cancel the job's and the import's progress are the committed packages' share of the bytes.
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../support/app'
import { ADMIN, PERSON_SCHEMA, personFile } from './support'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp()
}, 30_000)
afterAll(() => t?.close())

it('leaves a cancelled import at the share its committed packages hold, not the rolled-back package’s', async () => {
  await t.app.graph.importSchema('default', PERSON_SCHEMA, ADMIN)
  const path = join(t.dir, 'upload_files/admin/people.csv')
  mkdirSync(join(path, '..'), { recursive: true })
  const fd = openSync(path, 'w')
  for (let i = 0; i < 600_000; i += 10_000) {
    let chunk = ''
    for (let k = i; k < i + 10_000; k++) chunk += `${k},name number ${k},${k % 100}\n`
    writeSync(fd, chunk)
  }
  closeSync(fd)
  // packages of 4 MiB: progress is reported inside one every 512 KiB (an eighth) or 200 ms, so a cancel lands mid-package
  const { taskId, jobId } = await t.app.graph.startImport({ graph: 'default', files: [personFile('people.csv')], packageBytes: 4 * 1024 * 1024 }, ADMIN)
  for (;;) {
    const s = await t.app.graph.importStatus(taskId)
    const inPackage = s.live ? s.live.bytesDone - (s.report?.bytesDone ?? 0) : 0
    if ((s.report?.packagesDone ?? 0) >= 1 && inPackage > 0) break
    expect(s.status === 'running' || s.status === 'queued').toBe(true)
    await new Promise((r) => setTimeout(r, 20))
  }
  t.app.graph.cancelImport(taskId, ADMIN)
  const job = await t.app.engine.waitFor(jobId)
  expect(job.status).toBe('cancelled')
  const s = await t.app.graph.importStatus(taskId)
  const committed = s.report!.bytesDone / s.report!.bytesTotal
  expect(committed).toBeGreaterThan(0)
  expect(committed).toBeLessThan(1)
  expect(job.progress).toBeCloseTo(committed, 6)
  expect((await t.call('GET', `/api/v1/jobs/${jobId}`)).body.progress).toBeCloseTo(committed, 6)
  expect(s.progress).toBeCloseTo(committed, 6)
}, 120_000)
