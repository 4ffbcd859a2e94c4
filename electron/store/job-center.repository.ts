import type { JobStatus } from '../../shared/status'
import { TASK_VISIBLE } from './jobs/sub-task-names'
import type { Db } from './connection'
import { JOB_OWNER_SQL, VALUE_BYTES_SQL } from './jobs/job-records'
import { stopCheckTerm } from './stop-check'

/** A job-center query (Huawei GES's job list): every filter optional. Times are epoch ms. */
export interface JobCenterQuery {
  statuses?: readonly JobStatus[]
  /** The job's graph (label `graph`). */
  graph?: string
  /** Began (started, else created) at or after. */
  beganFrom?: number
  /** Ended before (unfinished jobs do not match). */
  endedBefore?: number
  /** Only jobs this user submitted or that ran as them; none for admins. */
  owner?: string
  /**
   * true: only succeeded jobs some of whose parts failed (an import with a failed or partly failed
   * file, see PARTLY_FAILED); false: no such job. GES v1.0's `partiallyFailed`.
   */
  partlyFailed?: boolean
  offset: number
  limit: number
}

/**
 * A succeeded job some of whose parts failed: an import whose report (the first task's output) has a
 * file GES's job_detail calls `failed` or `partFailed` — a GES import's own per-file report
 * (`ges.schema|edges|vertices[].status`), else TuGraph's report (`files[]` with failed or rolled-back
 * lines, or not done). The SQL twin of the GES dialect's fileDetail/partlyFailed
 * (electron/http/dialects/ges/mappers.ts); test/ges/ges-api.test.ts checks they agree.
 */
const PARTLY_FAILED = `(jobs.status = 'succeeded' AND jobs.kind = 'import' AND EXISTS (
    SELECT 1 FROM tasks t WHERE t.job_id = jobs.id AND ${TASK_VISIBLE} AND json_valid(t.output) AND (
      EXISTS (SELECT 1 FROM json_each(t.output, '$.ges.schema') f WHERE json_extract(f.value, '$.status') IN ('failed', 'partFailed'))
      OR EXISTS (SELECT 1 FROM json_each(t.output, '$.ges.edges') f WHERE json_extract(f.value, '$.status') IN ('failed', 'partFailed'))
      OR EXISTS (SELECT 1 FROM json_each(t.output, '$.ges.vertices') f WHERE json_extract(f.value, '$.status') IN ('failed', 'partFailed'))
      OR (json_type(t.output, '$.ges') IS NULL AND EXISTS (SELECT 1 FROM json_each(t.output, '$.files') f
        WHERE coalesce(json_extract(f.value, '$.failed'), 0) + coalesce(json_extract(f.value, '$.rolledBack'), 0) > 0
           OR json_extract(f.value, '$.state') NOT IN ('pending', 'running', 'done'))))))`

export type JobCenterRepository = ReturnType<typeof createJobCenterRepository>

/**
 * Job ids for the job-center views, newest first, with the total that match. The graph and the owner
 * are looked up in their labels' indexes (migration 026): no row's labels are read. `stopCheck` (a
 * view worker's throwIfStopped) is called for each job a search reaches (stopCheckTerm): the
 * partly-failed filter walks every import's report, one SQLite call of seconds.
 */
export function createJobCenterRepository(db: Db, { stopCheck }: { stopCheck?: () => void } = {}) {
  const check = stopCheckTerm(db, stopCheck)
  const where = `
    WHERE (@statuses IS NULL OR status IN (SELECT value FROM json_each(@statuses)))
      AND (@graph IS NULL OR id IN (SELECT id FROM jobs WHERE json_extract(labels, '$.graph') = @graph))
      AND (@beganFrom IS NULL OR coalesce(started_at, created_at) >= @beganFrom)
      AND (@endedBefore IS NULL OR (finished_at IS NOT NULL AND finished_at < @endedBefore))
      AND ${JOB_OWNER_SQL}${check}
      AND (@partlyFailed IS NULL OR ${PARTLY_FAILED} = @partlyFailed)`
  const page = db.prepare<Record<string, unknown>, { id: number }>(`SELECT id FROM jobs ${where} ORDER BY id DESC LIMIT @limit OFFSET @offset`)
  const count = db.prepare<Record<string, unknown>, { n: number }>(`SELECT count(*) AS n FROM jobs ${where}`)
  // octet_length reads a text's stored length, not the text (length(CAST … AS BLOB) loaded 4 MB values whole: ~10 ms each)
  const bytes = db.prepare<[string], { n: number | null }>(
    `SELECT sum(coalesce((SELECT sum(${VALUE_BYTES_SQL}) FROM job_values v WHERE v.job_id = j.value), 0)
              + coalesce((SELECT octet_length(t.output) FROM tasks t WHERE t.job_id = j.value AND ${TASK_VISIBLE} ORDER BY t.id LIMIT 1), 0)) AS n
     FROM json_each(?) j`,
  )
  // SQLite reads the one field (an import's report may be megabytes: JSON.parse of it took ~30 ms)
  const failure = db.prepare<[number], { f: string | null }>(
    `SELECT CASE WHEN json_valid(output) THEN output -> '$.failure' END AS f FROM tasks t WHERE job_id = ? AND ${TASK_VISIBLE} ORDER BY id LIMIT 1`,
  )
  return {
    search(q: JobCenterQuery): { ids: number[]; total: number } {
      const filter = {
        statuses: q.statuses ? JSON.stringify(q.statuses) : null,
        graph: q.graph ?? null,
        beganFrom: q.beganFrom ?? null,
        endedBefore: q.endedBefore ?? null,
        owner: q.owner ?? null,
        partlyFailed: q.partlyFailed === undefined ? null : q.partlyFailed ? 1 : 0,
      }
      return { ids: page.all({ ...filter, offset: q.offset, limit: q.limit }).map((r) => r.id), total: count.get(filter)!.n }
    },
    /** The `failure` its first task's output keeps (graph/errors.ts failureOf reads it), parsed; undefined when none. */
    failureOf(jobId: number): unknown {
      const f = failure.get(jobId)?.f
      return f == null ? undefined : (JSON.parse(f) as unknown)
    },
    /**
     * The bytes a job-center view of these jobs reads: each job's stored input, context and result
     * (a JobRecord holds them parsed) and its first task's output (an import's report), as stored
     * (UTF-8). Read from SQLite's record headers, not the values.
     */
    viewBytes(ids: readonly number[]): number {
      return ids.length === 0 ? 0 : (bytes.get(JSON.stringify(ids))?.n ?? 0)
    },
  }
}
