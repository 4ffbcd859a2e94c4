import type { ResultSetState } from '../../shared/api'
import { MAX_RESULT_BYTES_PER_JOB, type ResultCut } from '../../shared/result-limits'
import type { Db } from './connection'
import { createKeptBytes, type KeptBytes } from './kept-bytes'
import { capRow, MAX_PAGE_BYTES } from './result-cells'
import { rowSweeper } from './row-sweeper'

export type ResultKind = 'table' | 'text'

export interface ResultColumn {
  name: string
  type: string
}

export interface ResultSetMeta {
  id: number
  jobId: number
  taskId: number | null
  index: number
  kind: ResultKind
  columns: ResultColumn[]
  rowCount: number
  state: ResultSetState
  /**
   * UTF-8 bytes of stored row JSON (the rows as result_rows keeps them), what a sort or filter of the
   * whole set reads (characters for sets written before 2026-12-05); undefined for a set written before
   * they were counted (migration 016).
   */
  bytes?: number
  /** Cells its writer has cut to the cell and row caps so far (result-cells.ts); not stored. */
  cellsCut?: number
  /** Set once a row did not fit the job's budget or its submitter's quota: the set keeps no more rows. Not stored. */
  cut?: ResultCut
}

/**
 * What a submitter's jobs may keep together (shared/quotas.ts MAX_KEPT_BYTES_PER_USER: result rows as
 * UTF-8 bytes of row JSON, code, logs and state: store/kept-bytes.ts), against which their rows are cut.
 */
export interface UserResultQuota {
  submitter: string
  maxBytes: number
}

/** The quota job `jobId`'s rows are held to, or null for none (an admin's job, or a job no longer stored). */
export type ResultQuotaOf = (jobId: number) => UserResultQuota | null

interface ResultSetRow {
  id: number
  job_id: number
  task_id: number | null
  idx: number
  kind: string
  columns: string
  row_count: number
  state: string
  byte_size: number | null
}

const toMeta = (r: ResultSetRow): ResultSetMeta => ({
  id: r.id,
  jobId: r.job_id,
  taskId: r.task_id,
  index: r.idx,
  kind: r.kind as ResultKind,
  columns: JSON.parse(r.columns) as ResultColumn[],
  rowCount: r.row_count,
  state: r.state as ResultSetState,
  ...(r.byte_size === null ? {} : { bytes: r.byte_size }),
})

/**
 * The state to show: a set still `writing` when its job has already finished lost its writer
 * (JobDesk stopped mid-write, before anything could mark it), so it is `partial`.
 */
export const shownState = (set: Pick<ResultSetMeta, 'state'>, jobFinished: boolean): ResultSetState => (set.state === 'writing' && jobFinished ? 'partial' : set.state)

/**
 * A job keeps at most this many result sets; statements after them still run, and their rows are
 * counted in the log, not stored. A script of 80,000 `select 1;` made 80,000 sets, whose lists held
 * every request 0.9-1.7 s (#9 §2, atk16), and no one reads a thousand result tabs: Linkis and Scriptis
 * users rarely have more than a few hundred.
 */
export const MAX_RESULT_SETS_PER_JOB = 1000

/** A job's budget of stored result rows (shared/result-limits.ts, where the renderer reads it too). */
export { MAX_RESULT_BYTES_PER_JOB }

export type ResultRepository = ReturnType<typeof createResultRepository>

/**
 * Result sets of script jobs: a header per statement and its rows, read in pages, never whole. Rows
 * are stored within the job's budget (MAX_RESULT_BYTES_PER_JOB) and the quota `quotaOf` names for the
 * job's submitter (none unless given, or set later by `holdToQuotas`), whichever executor writes them;
 * what the submitter's jobs keep is read from `keptBytes` (kept-bytes.ts; one over `db` unless given).
 */
export function createResultRepository(db: Db, options: { quotaOf?: ResultQuotaOf; keptBytes?: KeptBytes } = {}) {
  let quotaOf: ResultQuotaOf = options.quotaOf ?? (() => null)
  const insertSet = db.prepare(
    "INSERT INTO result_sets (job_id, task_id, idx, kind, columns, row_count, state, byte_size) VALUES (@jobId, @taskId, @index, @kind, @columns, 0, 'writing', 0)",
  )
  const insertRow = db.prepare('INSERT INTO result_rows (result_set_id, row_no, data) VALUES (?, ?, ?)')
  const bumpCount = db.prepare('UPDATE result_sets SET row_count = row_count + ?, byte_size = byte_size + ? WHERE id = ?')
  // a dropped set (a rerun's or retry's old one, row-sweeper.ts) has idx -id until its rows are swept: no reader sees it
  const byJob = db.prepare<[number], ResultSetRow>('SELECT * FROM result_sets WHERE job_id = ? AND idx >= 0 ORDER BY idx')
  const byIndex = db.prepare<[number, number], ResultSetRow>('SELECT * FROM result_sets WHERE job_id = ? AND idx = ? AND idx >= 0')
  // a page's rows in order, read one by one until MAX_PAGE_BYTES: a window over the whole LIMIT read
  // (and materialized) every row it was asked for, 860 MB for 10,000 rows of 2,000 columns (#9 §2)
  const rows = db.prepare<[number, number, number], { data: string }>('SELECT data FROM result_rows WHERE result_set_id = ? AND row_no >= ? ORDER BY row_no LIMIT ?')
  // the list without its columns, then each set's columns as stored JSON: 245 sets of 2,000 columns are 11 MB (#9 §2)
  const headsByJob = db.prepare<[number], Omit<ResultSetRow, 'columns'>>(
    'SELECT id, job_id, task_id, idx, kind, row_count, state FROM result_sets WHERE job_id = ? AND idx >= 0 ORDER BY idx',
  )
  const columnsOf = db.prepare<[number], { columns: string }>('SELECT columns FROM result_sets WHERE id = ?')
  const countByJob = db.prepare<[number], { n: number }>('SELECT count(*) AS n FROM result_sets WHERE job_id = ? AND idx >= 0')
  const bytesByJob = db.prepare<[number], { n: number }>('SELECT coalesce(sum(byte_size), 0) AS n FROM result_sets WHERE job_id = ? AND idx >= 0')
  const bytesOfSubmitter = options.keptBytes?.ofSubmitter ?? createKeptBytes(db).ofSubmitter
  const nextIndex = db.prepare<[number], { n: number | null }>('SELECT max(idx) AS n FROM result_sets WHERE job_id = ? AND idx >= 0')
  const setState = db.prepare("UPDATE result_sets SET state = ? WHERE id = ? AND state = 'writing'")
  const stopWriting = db.prepare("UPDATE result_sets SET state = 'partial' WHERE job_id = ? AND (task_id = ? OR ? IS NULL) AND state = 'writing'")

  const rowTexts = (set: Pick<ResultSetMeta, 'id'>, offset: number, limit: number, maxBytes = MAX_PAGE_BYTES): string[] => {
    const page: string[] = []
    let bytes = 0
    for (const r of rows.iterate(set.id, offset, limit)) {
      if (page.length > 0 && bytes + r.data.length > maxBytes) break // the statement is reset, nothing more is read
      bytes += r.data.length
      page.push(r.data)
    }
    return page
  }

  /** Appends the rows of `batch` that fit in `maxBytes` UTF-8 bytes of row JSON; returns how many (see `append`). */
  const appendRows = (set: ResultSetMeta, from: number, batch: unknown[][], maxBytes: number): number => {
    let bytes = 0
    let cellsCut = 0
    let stored = 0
    for (const row of batch) {
      const capped = capRow(row)
      const data = JSON.stringify(capped.row)
      // bytes, as the state and logs beside them in a user's kept bytes (octet_length): in characters, CJK rows kept 3 times the quota
      const size = Buffer.byteLength(data)
      if (bytes + size > maxBytes) break
      cellsCut += capped.cut
      bytes += size
      insertRow.run(set.id, from + stored, data)
      stored++
    }
    if (stored) bumpCount.run(stored, bytes, set.id)
    // `set` changes once the rows are in: a batch the store refused leaves it as it was
    if (cellsCut) set.cellsCut = (set.cellsCut ?? 0) + cellsCut
    if (set.bytes !== undefined) set.bytes += bytes
    return stored
  }

  const appendWithinBounds = db.transaction((set: ResultSetMeta, from: number, batch: unknown[][]): number => {
    if (set.cut) return 0
    const jobLeft = MAX_RESULT_BYTES_PER_JOB - bytesByJob.get(set.jobId)!.n
    const quota = quotaOf(set.jobId)
    const userLeft = quota ? quota.maxBytes - bytesOfSubmitter(quota.submitter) : Infinity
    const stored = appendRows(set, from, batch, Math.max(0, Math.min(jobLeft, userLeft)))
    if (stored < batch.length) {
      set.cut =
        quota && userLeft < jobLeft
          ? { by: 'user', submitter: quota.submitter, maxBytes: quota.maxBytes, keptBytes: bytesOfSubmitter(quota.submitter) }
          : { by: 'job', keptBytes: bytesByJob.get(set.jobId)!.n }
    }
    return stored
  })

  return {
    create(m: { jobId: number; taskId: number | null; kind: ResultKind; columns: ResultColumn[] }): ResultSetMeta {
      const index = (nextIndex.get(m.jobId)?.n ?? -1) + 1
      const info = insertSet.run({ ...m, index, columns: JSON.stringify(m.columns) })
      return { id: Number(info.lastInsertRowid), jobId: m.jobId, taskId: m.taskId, index, kind: m.kind, columns: m.columns, rowCount: 0, state: 'writing', bytes: 0 }
    },
    /**
     * A set's writer is done with it: all its rows are in (`complete`), or the first ones up to a cap
     * (`truncated`); a set with cells cut to the cell or row cap, or cut at the job's budget or its
     * user's quota (`append`), is `truncated` too.
     */
    finish(set: ResultSetMeta, state: 'complete' | 'truncated'): void {
      if (set.cellsCut || set.cut) state = 'truncated'
      setState.run(state, set.id)
      set.state = state
    },
    /** The writer was stopped: every set of the task (of the job, without one) still being written is `partial`. */
    markPartial(jobId: number, taskId: number | null = null): void {
      stopWriting.run(jobId, taskId, taskId)
    },
    /**
     * Appends rows after `from` (the current count); one IMMEDIATE transaction per batch (a savepoint
     * inside another). Each row is stored within the cell and row caps (result-cells.ts: a cut cell
     * ends with a note of what it lost), big integers and blobs as text. The rows stop before the first
     * one that would pass the job's budget (MAX_RESULT_BYTES_PER_JOB) or what its submitter's quota
     * leaves (quotaOf), both read under the write lock, so that a user's jobs running side by side each
     * read what the last one left; the set is then `cut` (which bound, and what is kept): it takes no
     * more rows, and `finish` makes it `truncated`. Returns how many of the batch's rows were stored,
     * in order from its first.
     * @throws SQLITE_BUSY when another connection holds the write lock past the connection's wait
     */
    append: (set: ResultSetMeta, from: number, batch: unknown[][]): number => appendWithinBounds.immediate(set, from, batch),
    /**
     * From now, rows of a job are held to the quota `of` names for it (the composition root's, which
     * knows who is exempt): set once, before any job runs.
     */
    holdToQuotas(of: ResultQuotaOf): void {
      quotaOf = of
    },
    /** How many result sets the job has (at most MAX_RESULT_SETS_PER_JOB by its writers). */
    count(jobId: number): number {
      return countByJob.get(jobId)!.n
    },
    /** UTF-8 bytes of stored row JSON of all the job's result sets (what MAX_RESULT_BYTES_PER_JOB bounds). */
    bytes(jobId: number): number {
      return bytesByJob.get(jobId)!.n
    },
    list(jobId: number): ResultSetMeta[] {
      return byJob.all(jobId).map(toMeta)
    },
    /** A job's result sets without their columns (`columnsJson` reads those), for a list written as it is read. */
    heads(jobId: number): Omit<ResultSetMeta, 'columns'>[] {
      return headsByJob.all(jobId).map((r) => ({ id: r.id, jobId: r.job_id, taskId: r.task_id, index: r.idx, kind: r.kind as ResultKind, rowCount: r.row_count, state: r.state as ResultSetState }))
    },
    /** A set's columns as their stored JSON text (ResultColumn[]), not parsed; undefined once the set is gone. */
    columnsJson(setId: number): string | undefined {
      return columnsOf.get(setId)?.columns
    },
    get(jobId: number, index: number): ResultSetMeta | undefined {
      const r = byIndex.get(jobId, index)
      return r && toMeta(r)
    },
    /**
     * Rows [offset, offset + limit) of a result set, or fewer: a page stops before MAX_PAGE_BYTES of
     * stored rows (`maxBytes`), but holds at least one row. Page on by the rows returned.
     */
    rows(set: ResultSetMeta, offset: number, limit: number, maxBytes = MAX_PAGE_BYTES): unknown[][] {
      return rowTexts(set, offset, limit, maxBytes).map((data) => JSON.parse(data) as unknown[])
    },
    /** As `rows`, each row as its stored JSON text (for an answer that splices rows in as they are, unparsed). */
    rowTexts,
    /**
     * A rerun's results replace the old ones: the job's sets leave every reader now, their rows are
     * removed afterwards in short steps (row-sweeper.ts), so a set of millions of rows holds no request.
     */
    clear(jobId: number): void {
      rowSweeper(db).dropSets(jobId)
    },
    /** One task's result sets go (a task run again in a multi-task job: a graph workflow's component), as `clear` drops them. */
    clearTask(jobId: number, taskId: number): void {
      rowSweeper(db).dropSets(jobId, taskId)
    },
  }
}
