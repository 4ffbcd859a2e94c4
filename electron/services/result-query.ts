import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { AppError, invalid } from '../../shared/errors'
import { createResultQueries, type JsonPage, type PageShape, type ResultQuery } from '../store/result-query'
import type { Db } from '../store/connection'
import type { ResultSetMeta } from '../store/result.repository'
import { threadReadsStore } from '../store/store-readers'
import { oneAnswer, startWorker } from '../worker-thread'
import type { ResultQueryInput, ResultQueryMessage } from './result-query-worker'
import { WORKER_THREADS, workerSlots, type SlotRequest } from '../worker-slots'

/**
 * Up to this many cells (rows × columns of the whole set) a sorted or filtered page is read on the main
 * thread; above it a worker thread reads it. A sort or filter reads every row of the set, and a filter
 * every cell of it (twice: the page, then the count of matches), so cost follows cells, not rows:
 * measured on a loaded 2-core machine, 5,000 rows of 4 columns (20,000 cells) took 130 ms to filter,
 * and 1,000 rows of 2,000 columns held every request 0.6-1.4 s (#9 §2). 8,000 cells keep it near 50 ms.
 */
export const INLINE_QUERY_CELLS = 8_000

/**
 * Up to this many characters of stored rows a sorted or filtered page is read on the main thread, as
 * long as it is within INLINE_QUERY_CELLS too. A sort reads every row's JSON (json_extract parses the
 * whole row) and a filter every cell's text, so cost follows bytes as well as cells: 2,000 cells of
 * 64 kB (128 MB) held every request 464-600 ms (#9 §2, atk16); 1 MB is a few milliseconds.
 */
export const INLINE_QUERY_BYTES = 1024 * 1024

/**
 * Whether sorting or filtering `set` (reading all its rows and cells) is cheap enough for the main
 * thread: few cells and few bytes. A set whose bytes are unknown (written before they were counted) is not.
 */
export const inlineQuery = (set: Pick<ResultSetMeta, 'rowCount' | 'columns' | 'bytes'>): boolean =>
  set.rowCount * Math.max(1, set.columns.length) <= INLINE_QUERY_CELLS && set.bytes !== undefined && set.bytes <= INLINE_QUERY_BYTES

/**
 * Up to this many cells a page whose cells become text (PageShape) is formatted on the main thread;
 * above it a worker thread does it. A page of 2,000-column rows held every request 426 ms (#9 §2);
 * 20,000 cells take a few milliseconds.
 */
export const INLINE_SHAPED_CELLS = 20_000
/** Sorting keeps what it sorts in SQLite's memory (and temp files beyond it); a bound for a runaway read. */
const WORKER_LIMITS = { maxOldGenerationSizeMb: 256, maxYoungGenerationSizeMb: 16 }
const WAITING = 8
/**
 * How long one worker read of a page may take (ms) before it is stopped (its worker ends itself within a row) and the
 * caller told so: a filter reads every cell of the set twice, and a set within the per-job result
 * budget takes a few seconds on a loaded machine; what takes longer holds a thread from everyone.
 */
export const RESULT_QUERY_MS = 30_000

export type ResultReader = ReturnType<typeof createResultReader>

/**
 * Pages of result sets as JSON text (store/result-query.ts jsonPage, at most MAX_PAGE_BYTES of rows):
 * a plain page in stored order on the main thread (its stored rows are spliced in, never parsed);
 * a sorted or filtered page of a big set, or a page whose many cells become text (`shape`), in a
 * worker thread with its own read-only connection to the store's file (an in-memory store has none:
 * it reads all on the main thread). Worker reads are shared fairly between users (workerSlots: `by.owner`
 * the caller's name). `page` throws AppError `unavailable` when too many such reads are already
 * running and waiting (too_many_queries) or the read passed RESULT_QUERY_MS (query_too_slow), `by.signal`'s
 * reason when it aborts (the client hung up: the worker is stopped, stopThread, and ends itself within a
 * row of its read), and `internal` when the worker fails.
 */
export function createResultReader(db: Db) {
  const storeFile = db.name
  const inline = createResultQueries(db)
  const slots = workerSlots({
    running: WORKER_THREADS,
    waiting: WAITING,
    code: 'too_many_queries',
    busy: `${WORKER_THREADS + WAITING} sorted, filtered or wide reads of big results are already running or waiting: try again in a moment`,
    busyOwn: 'you have as many sorted, filtered or wide reads of big results running and waiting as one user may: wait for them to answer',
    timeLimit: {
      ms: RESULT_QUERY_MS,
      code: 'query_too_slow',
      message: `reading the sorted or filtered page took longer than ${RESULT_QUERY_MS / 1000} s and was stopped: filter on fewer rows or columns`,
    },
  })
  /** Whether the page is cheap enough for the main thread. */
  const light = (set: ResultSetMeta, query: ResultQuery, offset: number, limit: number, shape?: PageShape): boolean => {
    if (db.memory) return true
    const sorted = query.sort !== undefined || Boolean(query.filter?.trim())
    if (sorted && !inlineQuery(set)) return false
    const rows = sorted ? Math.min(limit, set.rowCount) : Math.max(0, Math.min(limit, set.rowCount - offset))
    return !shape || rows * Math.max(1, set.columns.length) <= INLINE_SHAPED_CELLS
  }
  return {
    async page(set: ResultSetMeta, query: ResultQuery, offset: number, limit: number, shape: PageShape | undefined, by: SlotRequest): Promise<JsonPage> {
      if (light(set, query, offset, limit, shape)) return inline.jsonPage(set, query, offset, limit, shape)
      const input: ResultQueryInput = { storeFile, set: { id: set.id, rowCount: set.rowCount }, query, offset, limit, ...(shape ? { shape } : {}) }
      return slots.use(
        (signal) =>
          oneAnswer<ResultQueryMessage, JsonPage>(threadReadsStore(storeFile, startWorker('result-query-worker', dirname(fileURLToPath(import.meta.url)), input, WORKER_LIMITS)), {
            value: (m) => m.page,
            failed: (why) => new AppError('internal', 'result_query_failed', `reading the result failed: ${why}`),
            signal,
          }),
        by,
      )
    },
  }
}

/** The longest filter text (a longer one is refused, naming the field). */
export const MAX_FILTER_CHARS = 1000

/**
 * The ResultQuery of a result page request on a set of `columns` columns: `sort` an existing column's
 * index, `order` asc or desc (asc by default), `filter` text of at most MAX_FILTER_CHARS. Throws
 * `invalid` naming the field otherwise (the IPC transport has no schema in front of it).
 */
export function resultQuery(q: { sort?: unknown; order?: unknown; filter?: unknown }, columns: number): ResultQuery {
  const query: ResultQuery = {}
  if (q.sort !== undefined && q.sort !== null) {
    if (typeof q.sort !== 'number' || !Number.isInteger(q.sort) || q.sort < 0 || q.sort >= columns) {
      throw invalid('bad_sort', `sort must be a column index from 0 to ${columns - 1}`, 'sort')
    }
    query.sort = q.sort
  }
  if (q.order !== undefined && q.order !== null) {
    if (q.order !== 'asc' && q.order !== 'desc') throw invalid('bad_order', 'order must be "asc" or "desc"', 'order')
    query.order = q.order
  }
  if (q.filter !== undefined && q.filter !== null) {
    if (typeof q.filter !== 'string') throw invalid('bad_filter', 'filter must be text', 'filter')
    if (q.filter.length > MAX_FILTER_CHARS) throw invalid('bad_filter', `filter is longer than ${MAX_FILTER_CHARS} characters`, 'filter')
    if (q.filter.trim()) query.filter = q.filter
  }
  return query
}
