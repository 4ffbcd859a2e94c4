// Attack (#9, on b7ad94c9 "a redo that resets nothing leaves an ended execution as it ended"): the early
// return writes a log line to the ended job — 'redo: no task named <every name asked>; nothing reset' —
// straight to the store (engine.note on a job not in memory). Nothing weighs it: the ended job's
// log_bytes (what the 2 GiB kept-bytes quota counts of a log, written once when the job ends) is not
// updated, and no log budget applies, as the job is not running. So a plain user repeats redo.json on
// one ended execution of theirs with a long task_names, and the disk fills with log text their quota
// never sees. Before b7ad94c9 such a redo re-opened the job, whose log went through its budget.
// Now the note is said once a job (while the process runs) in a line of bounded length: at most
// three names, each cut to 40 characters, and how many more.
import { afterAll, beforeAll, expect, it } from 'vitest'
import { uuidOfExecutionId } from '../../electron/workflows/rillflow/runtime/names'
import { startTestApp, waitForStatus, type TestApp } from '../support/app'
import { addUser, type TestUser } from '../support/users'
import { addFlow, foreachWorkflow, PASS_STEP } from '../support/workflows'

/** Redo requests sent, and names in each (60 characters each: ~12 KB, a query string within node's 16 KiB header bound). */
const REQUESTS = 200
const NAMES = 200

let t: TestApp
let bob: TestUser
beforeAll(async () => {
  t = await startTestApp({ concurrency: 4 })
  bob = await addUser(t, 'bob')
  await addFlow(bob, 'bobs', 'small', foreachWorkflow('bobs:small', PASS_STEP))
}, 60_000)
afterAll(() => t?.close())

/** UTF-8 bytes of job `id`'s stored log lines' text, and how many there are. */
function storedLog(id: number): { lines: number; bytes: number } {
  const { lines } = t.app.store.logs.read(id, 0, 1_000_000)
  return { lines: lines.length, bytes: lines.reduce((n, l) => n + Buffer.byteLength(l.text), 0) }
}

it('a redo that resets nothing, asked again and again with long names, adds one short log line', { timeout: 120_000 }, async () => {
  const r = await bob.call('POST', '/flow/submit.json?descriptor_id=bobs:small', { items: [1, 2] })
  expect(r.status, JSON.stringify(r.body)).toBe(200)
  const id = t.app.store.jobs.getByUuid(uuidOfExecutionId(r.body.execution_id))!.id
  expect((await waitForStatus(t, id, ['succeeded', 'failed'])).status).toBe('succeeded')
  await new Promise((res) => setTimeout(res, 500)) // the log's count written at the end
  const keptBefore = t.app.store.keptBytes.ofSubmitter('bob')
  const logBefore = storedLog(id)

  const names = Array.from({ length: NAMES }, (_, i) => `nosuch_${String(i).padStart(4, '0')}_${'x'.repeat(48)}`).join(',')
  for (let i = 0; i < REQUESTS; i++) {
    const redo = await bob.call('POST', `/flow/redo.json?execution_id=${encodeURIComponent(r.body.execution_id)}&task_names=${names}`, {})
    expect(redo.status, JSON.stringify(redo.body)).toBe(200)
  }
  const logAfter = storedLog(id)
  const grown = logAfter.bytes - logBefore.bytes
  const counted = t.app.store.keptBytes.ofSubmitter('bob') - keptBefore
  console.log(`log lines ${logBefore.lines} -> ${logAfter.lines}, text +${grown} bytes; bob's kept bytes +${counted}`)
  // measured on 5aa81fbd: 200 more lines, +2.5 MB of text, kept bytes +0 (and so on without end)
  expect(logAfter.lines - logBefore.lines).toBe(1)
  expect(grown).toBeLessThan(300)
})
