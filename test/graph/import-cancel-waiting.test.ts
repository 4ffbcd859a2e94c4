// #9 leftover: an import waiting for another import into its graph (phase 'waiting') that is
// cancelled ends cancelled at once, not when its turn comes (it stayed `cancelling` for the rest of
// the other import's run). Nothing is written for it; one that resumed by task id keeps the report of
// the packages it committed before (not an empty one); the import it waited for runs on untouched.
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../support/app'
import { ADMIN, PERSON_SCHEMA, personFile, upload, writePeople } from './support'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp()
}, 30_000)
afterAll(() => t?.close())

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const BIG = 1_500_000
const RESUMED = 100_000

/** Polls the import `taskId`'s status until `ok` holds (at most `tries` reads, 20 ms apart). */
async function until(taskId: string, ok: (s: Awaited<ReturnType<TestApp['app']['graph']['importStatus']>>) => boolean, tries = 1500) {
  for (let i = 0; ; i++) {
    const s = await t.app.graph.importStatus(taskId)
    if (ok(s)) return s
    expect(i, JSON.stringify(s)).toBeLessThan(tries)
    await sleep(20)
  }
}

it('cancelled while it waits for another import into its graph, an import ends at once, a resumed one with its stored report', async () => {
  await t.app.graph.importSchema('default', PERSON_SCHEMA, ADMIN)
  writePeople(join(t.dir, 'upload_files/admin/resumed.csv'), RESUMED, BIG)
  writePeople(join(t.dir, 'upload_files/admin/big.csv'), BIG)
  upload(t.dir, 'small.csv', `${BIG + RESUMED},Ann,30\n${BIG + RESUMED + 1},Bob,40\n`)

  // a task that committed packages, then was cancelled: resumed by its id below, it carries a stored report
  const resumedRequest = { graph: 'default', files: [personFile('resumed.csv')], packageBytes: 64 * 1024 }
  const { taskId: resumed, jobId: resumedJob } = await t.app.graph.startImport(resumedRequest, ADMIN)
  await until(resumed, (s) => (s.report?.packagesDone ?? 0) >= 2)
  t.app.graph.cancelImport(resumed, ADMIN)
  expect(await t.app.engine.waitFor(resumedJob)).toMatchObject({ status: 'cancelled' })
  const stored = (await t.app.graph.importStatus(resumed)).report!
  expect(stored.imported).toBeGreaterThan(0)
  expect(stored.imported).toBeLessThan(RESUMED)

  const { taskId: big, jobId: bigJob } = await t.app.graph.startImport({ graph: 'default', files: [personFile('big.csv')], packageBytes: 512 * 1024 }, ADMIN)
  const bigStarted = performance.now()
  await until(big, (s) => s.live?.phase === 'importing')
  await t.app.graph.startImport(resumedRequest, ADMIN, { taskId: resumed })
  const { taskId: fresh, jobId: freshJob } = await t.app.graph.startImport({ graph: 'default', files: [personFile('small.csv')] }, ADMIN)
  await until(resumed, (s) => s.live?.phase === 'waiting')
  await until(fresh, (s) => s.live?.phase === 'waiting')

  const asked = performance.now()
  t.app.graph.cancelImport(resumed, ADMIN)
  t.app.graph.cancelImport(fresh, ADMIN)
  const [freshEnd, resumedEnd] = await Promise.all([t.app.engine.waitFor(freshJob), t.app.engine.waitFor(resumedJob)])
  const tookMs = performance.now() - asked
  // ended while the import they waited for still runs: before, they ended with it
  const bigThen = await t.app.graph.importStatus(big)
  const bigEnd = await t.app.engine.waitFor(bigJob)
  const bigMs = performance.now() - bigStarted
  console.log(`cancelled while waiting: ended in ${tookMs.toFixed(0)} ms; the import they waited for ran ${bigMs.toFixed(0)} ms`)
  expect(bigThen.status).toBe('running')
  expect(tookMs).toBeLessThan(Math.min(1000, bigMs / 2))
  expect(freshEnd).toMatchObject({ status: 'cancelled', progress: 0 })
  expect(resumedEnd).toMatchObject({ status: 'cancelled' })

  // nothing imported by them; the resumed one's report is the one it had stored, its progress as it was
  const freshStatus = await t.app.graph.importStatus(fresh)
  expect(freshStatus).toMatchObject({ status: 'cancelled', progress: 0, live: null, report: { state: 'cancelled', imported: 0, bytesDone: 0 } })
  const resumedStatus = await t.app.graph.importStatus(resumed)
  expect(resumedStatus).toMatchObject({ status: 'cancelled', live: null, report: { state: 'cancelled', imported: stored.imported, failed: stored.failed, bytesDone: stored.bytesDone, packagesDone: stored.packagesDone } })
  expect(resumedStatus.progress).toBeCloseTo(stored.bytesDone / stored.bytesTotal, 6)
  expect(resumedEnd.progress).toBeCloseTo(stored.bytesDone / stored.bytesTotal, 6)
  // its result set too (the Jobs page's report), not emptied
  const fileRows = t.app.store.results.rows(t.app.store.results.list(resumedJob)[0], 0, 10)
  expect(fileRows.map((r) => r.slice(0, 6))).toEqual([['resumed.csv', 'person', 'vertex', 'cancelled', expect.any(Number), stored.imported]])

  // the import they waited for ran on untouched
  expect(bigEnd).toMatchObject({ status: 'succeeded', progress: 1 })
  expect((await t.app.graph.importStatus(big)).report).toMatchObject({ state: 'succeeded', imported: BIG, failed: 0 })
  expect((await t.app.graph.getGraph('default', { user: 'admin' })).vertexCount).toBe(BIG + stored.imported)
  const logs = (await t.call('GET', `/api/v1/jobs/${freshJob}/logs?from=0&size=1000`)).body.lines.map((l: { text: string }) => l.text).join('\n')
  expect(logs).toMatch(/cancelled while waiting for the import running into graph default/)
}, 180_000)
