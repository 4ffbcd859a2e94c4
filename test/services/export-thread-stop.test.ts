// #9 §1: no input takes the process down. An export's worker thread was terminated from outside
// (worker.terminate()) whenever its export ended or its reader was too slow; once, in CI, that came as
// the thread prepared its first statement, better-sqlite3 threw into the terminating thread, and the
// whole process aborted: `FATAL ERROR: v8::ToLocalChecked Empty MaybeLocal` (Database::ThrowSqliteError;
// WiseLibs/better-sqlite3#842). The exporter now asks the thread to stop (a message) and it exits
// itself between two SQLite calls: its exit code is 0 (a terminated thread's is 1), and a stop message
// is not taken for an acknowledgement. A filter's search is one SQLite call of seconds: the thread hears
// the stop inside it, through a flag in shared memory (its port carries acknowledgements too).
import type { Worker } from 'node:worker_threads'
import { afterEach, beforeEach, expect, it } from 'vitest'
import { threadRunner } from '../../electron/services/export/export-runner'
import { THREAD_STOP_GRACE_MS } from '../../electron/worker-thread'
import type { ExportWorkerMessage } from '../../electron/services/export/export-worker'
import type { ResultSetMeta } from '../../electron/store/result.repository'
import { csvOptions, storedSet } from '../support/export-set'
import { tempStore } from '../support/temp-store'

const ROWS = 2_000

let t: ReturnType<typeof tempStore>
let set: ResultSetMeta
beforeEach(() => {
  t = tempStore()
  set = storedSet(t, [{ name: 'i', type: 'INTEGER' }, { name: 'k', type: 'TEXT' }], Array.from({ length: ROWS }, (_, i) => [i, 'x'.repeat(1000)]))
})
afterEach(() => t.cleanup())

/** The exit code of a thread export of the test's set stopped `when` (at once, or after its first chunk). */
async function stoppedExit(when: 'at start' | 'after a chunk'): Promise<{ code: number; chunks: number }> {
  const runner = threadRunner({ storeFile: t.file, set, options: csvOptions([0, 1]), notes: [], jsonText: false })
  let chunks = 0
  // a thread runner's exit listener is the Worker's: it is handed the exit code
  const exited = new Promise<number>((resolve) => (runner.onExit as (listener: (code: number) => void) => void)(resolve))
  const firstChunk = new Promise<void>((resolve) =>
    runner.onMessage((m: ExportWorkerMessage) => {
      if (m.type === 'chunk') chunks++
      resolve()
    }),
  )
  if (when === 'after a chunk') await firstChunk
  runner.stop()
  return { code: await exited, chunks }
}

it('a stopped export thread ends itself (exit code 0), at its start and while waiting for its reader', { timeout: 30_000 }, async () => {
  expect(await stoppedExit('at start')).toMatchObject({ code: 0 })
  const waiting = await stoppedExit('after a chunk')
  expect(waiting.code).toBe(0)
  // never acknowledged, the thread sent its window (2 chunks) and waited: the stop was not an acknowledgement
  expect(waiting.chunks).toBeLessThanOrEqual(2)
})

/** The big set: a filter that matches none reads its 1.6 million cells in one SQLite call of seconds (the cursor's first step). */
const BIG_ROWS = 200_000
const COLUMNS = 8

it("a filtered export's thread stopped inside its search (one SQLite call of seconds) ends itself well within the grace (exit 0)", { timeout: 120_000 }, async () => {
  const row = (i: number) => Array.from({ length: COLUMNS }, (_, c) => String(i * (c + 1)).padStart(50, '0'))
  const columns = Array.from({ length: COLUMNS }, (_, c) => ({ name: `c${c}`, type: 'TEXT' }))
  const jobId = t.store.jobs.create({ uuid: 'big', kind: 'script', name: 'big', submitter: 'u1' }, [])
  const meta = t.store.results.create({ jobId, taskId: null, kind: 'table', columns })
  // appended in batches, as a job's rows come: one array of 200,000 rows would be held whole
  for (let from = 0; from < BIG_ROWS; from += 10_000) t.store.results.append(meta, from, Array.from({ length: 10_000 }, (_, k) => row(from + k)))
  t.store.results.finish(meta, 'complete')
  const set = t.store.results.get(jobId, 0)!
  // stored order, so a thread (a sort goes to a child process); a filter no row matches: its first read scans every row
  const input = { storeFile: t.file, set, options: csvOptions([0, 1]), notes: [], jsonText: false, query: { filter: 'z'.repeat(998) } }
  /** A thread export of `input` started, once its thread is online: its runner, and its exit (code, when). */
  const start = async () => {
    const started = new Promise<Worker>((resolve) => process.once('worker', resolve))
    const runner = threadRunner(input)
    const exited = new Promise<{ code: number; at: number }>((resolve) => (runner.onExit as (listener: (code: number) => void) => void)((code) => resolve({ code, at: performance.now() })))
    const worker = await started
    await new Promise<void>((resolve) => worker.once('online', () => resolve()))
    return { runner, exited, online: performance.now() }
  }
  // the search left to run: how long this machine, now, takes to read the whole file (the header only)
  const whole = await start()
  const read = new Promise<number>((resolve) => whole.runner.onMessage((m: ExportWorkerMessage) => (m.type === 'chunk' ? whole.runner.ack() : resolve(performance.now()))))
  const searchMs = (await read) - whole.online
  whole.runner.stop()
  await whole.exited
  const { runner, exited } = await start()
  await new Promise((r) => setTimeout(r, 100)) // into its search
  const asked = performance.now()
  runner.stop()
  const ended = await exited
  expect(ended.code).toBe(0) // ended itself; terminated: 1
  // heard inside the search, not after it (before: the rest of the search, 1.2 s of 1.9 at load 17); after: 0.06-0.4 s
  expect(ended.at - asked).toBeLessThan(Math.min(searchMs / 2, THREAD_STOP_GRACE_MS / 2))
})
