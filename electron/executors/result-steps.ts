// Rows a task stores as a result set go in a step at a time, the event loop turning in between:
// 200,000 rows of a query appended in one synchronous loop held the main thread, and every request,
// for seconds (#9 §2). Every executor that stores a query's rows uses this one helper. The store holds
// them to the job's budget and its user's quota (result.repository.ts append); a set cut there stops.
import { resultCutText } from '../../shared/result-limits'
import type { TaskContext } from '../engine/executor'
import type { HeaderType } from '../graph/cypher/encode'
import type { RowSource } from '../graph/cypher/packed-rows'
import { BUSY_RETRY_MS, retryWhileBusy } from '../store/connection'
import type { ResultRepository, ResultSetMeta } from '../store/result.repository'
import { ownTurn } from './turns'

/**
 * A write of a task's results, tried again while another program holds the database's lock (up to
 * BUSY_RETRY_MS), the event loop free meanwhile: the main connection waits only 50 ms for a lock.
 * @throws the write's error, or the lock's after BUSY_RETRY_MS
 */
export const stored = <T>(write: () => T): Promise<T> => retryWhileBusy(write, { forMs: BUSY_RETRY_MS })

/** Rows stored (or written out) per turn of the event loop: some 30 ms on a loaded machine, so requests get their turn in between. */
export const STORE_STEP = 1000

/**
 * Appends every row of `rows` to `set` after its first `from` rows, STORE_STEP rows a transaction and
 * a turn of the event loop between steps; each step parses only its own rows (a packed source).
 * `ctx.signal` (the task's cancel or timeout) is looked at between steps: once it has aborted, the
 * rest is not stored and its reason is thrown. A step refused by another program's lock is tried
 * again (up to BUSY_RETRY_MS). Once a row passes the job's budget or its user's quota, the set is cut
 * there (`set.cut`, finished `truncated`), the rest is not stored, and `ctx.log` gets a WARN naming
 * the bound, after `label: ` when given (as a SQL job's); a set already cut takes nothing more.
 * Returns how many rows were stored. Throws what results.append throws (the store refused a batch):
 * the rows before it are in.
 */
export async function appendInSteps(
  results: Pick<ResultRepository, 'append'>,
  set: ResultSetMeta,
  rows: RowSource,
  from: number,
  ctx: Pick<TaskContext, 'signal' | 'log'>,
  label?: string,
): Promise<number> {
  for (let at = 0; at < rows.count && !set.cut; at += STORE_STEP) {
    if (at > 0) {
      await ownTurn()
      ctx.signal.throwIfAborted()
    }
    const batch = rows.slice(at, at + STORE_STEP)
    const kept = await stored(() => results.append(set, from + at, batch))
    if (kept < batch.length) {
      ctx.log('WARN', `${label ? `${label}: ` : ''}${resultCutText(from + at + kept, set.cut!)}`)
      return at + kept
    }
  }
  return set.cut ? 0 : rows.count
}

/** TuGraph's header types of a Cypher result (cypher/encode.ts) as the words a result set's columns carry. */
const HEADER_TYPES: Record<HeaderType, string> = { 0: 'any', 1: 'node', 2: 'relationship', 4: 'path' }

/**
 * Stores a Cypher result's rows as a new table result set of `ctx`'s task: one column per `header`
 * entry (its type as a word), the rows a step a turn (appendInSteps, stopping once `ctx.signal`
 * aborts, or cut at the job's budget or its user's quota with a WARN after `label: `), then the set
 * complete (or truncated). Returns the set. Throws what appendInSteps throws; the set is then left
 * `writing` (shown partial once the job ends).
 */
export async function storeQueryRows(
  results: Pick<ResultRepository, 'create' | 'append' | 'finish'>,
  ctx: Pick<TaskContext, 'jobId' | 'taskId' | 'signal' | 'log'>,
  header: readonly { name: string; type: HeaderType }[],
  rows: RowSource,
  label?: string,
): Promise<ResultSetMeta> {
  const set = await stored(() => results.create({ jobId: ctx.jobId, taskId: ctx.taskId, kind: 'table', columns: header.map((h) => ({ name: h.name, type: HEADER_TYPES[h.type] ?? 'any' })) }))
  await appendInSteps(results, set, rows, 0, ctx, label)
  await stored(() => results.finish(set, 'complete')) // truncated when cut (results.finish)
  return set
}
