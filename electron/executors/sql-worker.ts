// Runs a SQL script against a user's scratch SQLite database in a child process and writes each
// SELECT's rows as a result set into JobDesk's store. A process, not a worker thread: a statement
// inside sqlite3_step cannot be stopped in a thread (better-sqlite3 has no sqlite3_interrupt), but a
// process can be killed (sql.ts). It gets its input as the first IPC message and sends
// SqlWorkerMessages back; it dies with its parent.
import Database from 'better-sqlite3'
import { dieWithParent } from '../child-process'
import { createResultRepository } from '../store/result.repository'
import { yieldToMainThread } from '../worker-thread'
import { assertAllowed } from './sql-guard'
import { splitStatements } from './sql-split'

export interface SqlWorkerInput {
  scratchFile: string
  storeFile: string
  jobId: number
  taskId: number
  code: string
  maxRows: number
}

export type SqlWorkerMessage =
  | { type: 'log'; level: 'INFO' | 'WARN' | 'ERROR'; text: string }
  | { type: 'progress'; value: number }
  | { type: 'done'; resultSets: number }
  | { type: 'error'; message: string }

dieWithParent()
yieldToMainThread() // a long query must not starve the server's main thread of CPU either
const post = (m: SqlWorkerMessage, then?: () => void) => process.send!(m, undefined, undefined, then)
const BATCH = 1000

function run(input: SqlWorkerInput): void {
  const scratch = new Database(input.scratchFile)
  scratch.pragma('journal_mode = WAL')
  const store = new Database(input.storeFile)
  store.pragma('busy_timeout = 10000') // the engine writes the same file; wait our turn
  const results = createResultRepository(store)
  const statements = splitStatements(input.code)
  if (statements.length === 0) return end({ type: 'error', message: 'the script has no SQL statement' })
  let resultSets = 0
  for (const [i, s] of statements.entries()) {
    const label = `statement ${i + 1} of ${statements.length} (line ${s.line})`
    try {
      const stmt = scratch.prepare(s.text)
      assertAllowed(scratch, s.text, stmt)
      if (stmt.reader) {
        const columns = stmt.columns().map((c) => ({ name: c.name, type: c.type ?? '' }))
        const set = results.create({ jobId: input.jobId, taskId: input.taskId, kind: 'table', columns })
        let count = 0
        let cut = false
        let batch: unknown[][] = []
        for (const row of stmt.raw(true).iterate() as Iterable<unknown[]>) {
          if (count >= input.maxRows) {
            post({ type: 'log', level: 'WARN', text: `${label}: result cut at ${input.maxRows} rows` })
            cut = true
            break
          }
          batch.push(row) // the repository stores it within the cell and row caps (store/result-cells.ts)
          count++
          if (batch.length === BATCH) {
            results.append(set, count - batch.length, batch)
            batch = []
          }
        }
        if (batch.length) results.append(set, count - batch.length, batch)
        results.finish(set, cut ? 'truncated' : 'complete') // until here a stop leaves it 'writing', then 'partial'
        resultSets++
        post({ type: 'log', level: 'INFO', text: `${label}: ${count} row${count === 1 ? '' : 's'}` })
      } else {
        const info = stmt.run()
        post({ type: 'log', level: 'INFO', text: `${label}: ${info.changes} row${info.changes === 1 ? '' : 's'} affected` })
      }
    } catch (e) {
      return end({ type: 'error', message: `${label}: ${(e as Error).message}` })
    }
    post({ type: 'progress', value: (i + 1) / statements.length })
  }
  scratch.close()
  store.close()
  end({ type: 'done', resultSets })
}

/** Sends the last message, then lets the process end (the IPC channel would keep it alive). */
function end(m: SqlWorkerMessage): void {
  post(m, () => process.disconnect())
}

process.once('message', (input: SqlWorkerInput) => {
  try {
    run(input)
  } catch (e) {
    end({ type: 'error', message: (e as Error).message }) // opening a database failed
  }
})
