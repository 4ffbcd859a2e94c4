// #9 §1: no input takes the process down. An export's worker thread was terminated from outside
// (worker.terminate()) whenever its export ended or its reader was too slow; once, in CI, that came as
// the thread prepared its first statement, better-sqlite3 threw into the terminating thread, and the
// whole process aborted: `FATAL ERROR: v8::ToLocalChecked Empty MaybeLocal` (Database::ThrowSqliteError;
// WiseLibs/better-sqlite3#842). The exporter now asks the thread to stop (a message) and it exits
// itself between two SQLite calls: its exit code is 0 (a terminated thread's is 1), and a stop message
// is not taken for an acknowledgement.
import { afterEach, beforeEach, expect, it } from 'vitest'
import { threadRunner } from '../../electron/services/export/export-runner'
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
