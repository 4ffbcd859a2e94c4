// Runs a SQL script against a user's scratch SQLite database in a child process and writes each
// SELECT's rows as a result set into JobDesk's store. A process, not a worker thread: a statement
// inside sqlite3_step cannot be stopped in a thread (better-sqlite3 has no sqlite3_interrupt), but a
// process can be killed (sql.ts). It gets its input as the first IPC message and sends
// SqlWorkerMessages back, and ends: one job per process. It may be started ahead of its job, as the spare
// (child-process.ts warmChildren): everything it loads before its input holds nothing of anyone's.
// It dies with its parent. Between two writes of the store it reads `pause` (SqlWorkerControl) and
// then commits nothing until `resume`: the main thread's writes go first (store/own-writers.ts).
import Database from 'better-sqlite3'
import { dieWithParent } from '../child-process'
import { resultCutText } from '../../shared/result-limits'
import { createResultRepository, MAX_RESULT_SETS_PER_JOB, type UserResultQuota } from '../store/result.repository'
import { yieldToMainThread } from '../worker-thread'
import { limitScratch, scratchFailureText, SQL_JOB_MEMORY_BYTES } from './scratch-limit'
import { prepareAllowed } from './sql-guard'
import { splitStatements } from './sql-split'

export interface SqlWorkerInput {
  scratchFile: string
  storeFile: string
  jobId: number
  taskId: number
  code: string
  maxRows: number
  /**
   * What the submitter's jobs may keep in all (shared/quotas.ts MAX_KEPT_BYTES_PER_USER: result rows,
   * code, logs and state), against which rows are cut, or null for a submitter without one (an admin).
   */
  userQuota: UserResultQuota | null
}

export type SqlLogLine = { level: 'INFO' | 'WARN' | 'ERROR'; text: string }

/** `log`: lines in order, and the progress (0-1) after them when it moved; `paused`: it holds no transaction of the store and commits none until `resume` (SqlWorkerControl). */
export type SqlWorkerMessage =
  | { type: 'log'; lines: SqlLogLine[]; progress?: number }
  | { type: 'paused' }
  | { type: 'done'; resultSets: number }
  | { type: 'error'; message: string }

/**
 * What the main process sends after the input: `pause` while a write of its own waits for the store's
 * write lock (store/own-writers.ts), `resume` once none does.
 */
export type SqlWorkerControl = { type: 'pause' } | { type: 'resume' }

dieWithParent({ maxRssBytes: SQL_JOB_MEMORY_BYTES }) // SQLite's memory (views that expand) counts against no other limit
yieldToMainThread() // a long query must not starve the server's main thread of CPU either
new Database(':memory:').close() // loads the native addon (better-sqlite3 does at the first open) before the job comes
const post = (m: SqlWorkerMessage, then?: () => void) => process.send!(m, undefined, undefined, then)
/**
 * Rows stored in one transaction of the store: at most BATCH rows, and no more rows once they hold
 * BATCH_BYTES (their strings' characters and blobs' bytes), so a transaction stays short (tens of
 * ms) and a paused job lets the main thread's write in soon: a batch of 1,000 rows of 200 KB held
 * the write lock ~3 s, and a submit waited 3.2 s.
 */
const BATCH = 1000
const BATCH_BYTES = 4 * 1024 * 1024

/** About what `row` adds to a batch (BATCH_BYTES): its strings' length, blobs' bytes, 8 for any other value. */
function rowSize(row: unknown[]): number {
  let n = 0
  for (const v of row) n += typeof v === 'string' ? v.length : Buffer.isBuffer(v) ? v.length : 8
  return n
}
/**
 * Log lines and progress go to the main thread in one message per FLUSH_MS or FLUSH_LINES lines, not
 * one per statement: the loop is synchronous, so 80,000 statements' 160,000 messages reached the main
 * thread in bursts that held every request 296 ms (#9 §2, atk16).
 */
const FLUSH_MS = 100
const FLUSH_LINES = 500

/**
 * What the run tells the main thread, batched (see FLUSH_MS). `flush` sends what is waiting. The first
 * line goes at once; a line written less than FLUSH_MS after a flush waits for the next line or the
 * end, so when a long statement follows fast ones, their last lines show when it ends.
 */
function outbox() {
  let lines: SqlLogLine[] = []
  let progress: number | undefined
  let last = 0
  const flush = () => {
    if (lines.length || progress !== undefined) post({ type: 'log', lines, ...(progress === undefined ? {} : { progress }) })
    lines = []
    progress = undefined
    last = Date.now()
  }
  const due = () => {
    if (lines.length >= FLUSH_LINES || Date.now() - last >= FLUSH_MS) flush()
  }
  return {
    log(level: SqlLogLine['level'], text: string): void {
      lines.push({ level, text })
      due()
    },
    progress(value: number): void {
      progress = value
      due()
    },
    flush,
  }
}

/**
 * The turn to write to the store: resolves at the next turn of the event loop (where a `pause` is
 * read), or, while paused, once `resume` comes. Awaited before each write of the store, between its
 * transactions, so a paused process holds no lock.
 */
function writeTurns() {
  let paused: { resume: () => void; gate: Promise<void> } | null = null
  let wanted = false
  process.on('message', (m: SqlWorkerControl) => {
    if (m.type === 'pause') wanted = true
    else if (m.type === 'resume') {
      wanted = false
      paused?.resume()
      paused = null
    }
  })
  return async (): Promise<void> => {
    await new Promise((r) => setImmediate(r))
    if (!wanted) return
    if (!paused) {
      let resume = () => {}
      const gate = new Promise<void>((r) => (resume = r))
      paused = { resume, gate }
      post({ type: 'paused' })
    }
    await paused.gate
  }
}

async function run(input: SqlWorkerInput, turn: () => Promise<void>): Promise<void> {
  const scratch = new Database(input.scratchFile)
  scratch.pragma('journal_mode = WAL')
  limitScratch(scratch)
  const store = new Database(input.storeFile)
  store.pragma('busy_timeout = 10000') // the engine writes the same file; wait our turn
  store.pragma('synchronous = NORMAL') // as the store's own connection (store/connection.ts): no fsync per result set
  // the job's rows are held to its budget and its user's quota by the repository, as every executor's
  const results = createResultRepository(store, { quotaOf: () => input.userQuota })
  const out = outbox()
  const statements = splitStatements(input.code)
  if (statements.length === 0) return end({ type: 'error', message: 'the script has no SQL statement' })
  let resultSets = 0
  let room = MAX_RESULT_SETS_PER_JOB - results.count(input.jobId) // other tasks of the job may have sets
  let warned = false
  for (const [i, s] of statements.entries()) {
    const label = `statement ${i + 1} of ${statements.length} (line ${s.line})`
    try {
      if (i > 0) limitScratch(scratch) // again: the last statement may have changed it
      const stmt = prepareAllowed(scratch, s.text)
      if (stmt.reader && room <= 0) {
        // it still runs (and fails as it would), its rows counted, not stored
        let count = 0
        const rows = stmt.raw(true).iterate()
        while (!rows.next().done) count++
        if (!warned) out.log('WARN', `${label}: the job has ${MAX_RESULT_SETS_PER_JOB} result sets, the most a job keeps: this and later statements' rows are not kept`)
        warned = true
        out.log('INFO', `${label}: ${count} row${count === 1 ? '' : 's'} (not kept)`)
      } else if (stmt.reader) {
        room--
        const columns = stmt.columns().map((c) => ({ name: c.name, type: c.type ?? '' }))
        await turn()
        const set = results.create({ jobId: input.jobId, taskId: input.taskId, kind: 'table', columns })
        let count = 0
        let cut = false
        let batch: unknown[][] = []
        let batchBytes = 0
        // stores the batch within the job's byte budget and its user's quota (results.append); false
        // once a row did not fit (the set is cut there), with a WARN naming the bound that cut it
        const store = async (): Promise<boolean> => {
          await turn()
          const stored = results.append(set, count, batch)
          count += stored
          const fits = stored === batch.length
          batch = []
          batchBytes = 0
          if (!fits) out.log('WARN', `${label}: ${resultCutText(count, set.cut!)}`)
          return fits
        }
        for (const row of stmt.raw(true).iterate() as Iterable<unknown[]>) {
          if (count + batch.length >= input.maxRows) {
            if (await store()) out.log('WARN', `${label}: result cut at ${input.maxRows} rows`)
            cut = true
            break
          }
          batch.push(row) // the repository stores it within the cell and row caps (store/result-cells.ts)
          batchBytes += rowSize(row)
          if ((batch.length === BATCH || batchBytes >= BATCH_BYTES) && !(await store())) {
            cut = true
            break
          }
        }
        if (batch.length && !(await store())) cut = true
        await turn()
        results.finish(set, cut ? 'truncated' : 'complete') // until here a stop leaves it 'writing', then 'partial'
        resultSets++
        out.log('INFO', `${label}: ${count} row${count === 1 ? '' : 's'}`)
      } else {
        const info = stmt.run()
        out.log('INFO', `${label}: ${info.changes} row${info.changes === 1 ? '' : 's'} affected`)
      }
    } catch (e) {
      out.flush()
      return end({ type: 'error', message: `${label}: ${scratchFailureText(e, input.scratchFile)}` })
    }
    out.progress((i + 1) / statements.length)
  }
  out.flush()
  scratch.close()
  store.close()
  end({ type: 'done', resultSets })
}

/** Sends the last message, then lets the process end (the IPC channel would keep it alive). */
function end(m: SqlWorkerMessage): void {
  post(m, () => process.disconnect())
}

process.once('message', (input: SqlWorkerInput) => {
  run(input, writeTurns()).catch((e: Error) => end({ type: 'error', message: e.message })) // opening a database failed
})
