// Runs a SQL script against a user's scratch SQLite database in a worker thread (a long query must
// not block the main thread) and writes each SELECT's rows as a result set into JobDesk's store.
import Database from 'better-sqlite3'
import { parentPort, workerData } from 'node:worker_threads'
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

yieldToMainThread() // a long query must not starve the main thread of CPU either
const input = workerData as SqlWorkerInput
const post = (m: SqlWorkerMessage) => parentPort!.postMessage(m)
const BATCH = 1000

function run(): void {
  const scratch = new Database(input.scratchFile)
  scratch.pragma('journal_mode = WAL')
  const store = new Database(input.storeFile)
  store.pragma('busy_timeout = 10000') // the engine writes the same file; wait our turn
  const results = createResultRepository(store)
  const statements = splitStatements(input.code)
  if (statements.length === 0) return post({ type: 'error', message: 'the script has no SQL statement' })
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
      return post({ type: 'error', message: `${label}: ${(e as Error).message}` })
    }
    post({ type: 'progress', value: (i + 1) / statements.length })
  }
  scratch.close()
  store.close()
  post({ type: 'done', resultSets })
}

run()
