import type { JobStatus } from '../../shared/status'
import type { Db } from './connection'

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
  offset: number
  limit: number
}

export type JobCenterRepository = ReturnType<typeof createJobCenterRepository>

/** Job ids for the job-center views, newest first, with the total that match. */
export function createJobCenterRepository(db: Db) {
  const where = `
    WHERE (@statuses IS NULL OR status IN (SELECT value FROM json_each(@statuses)))
      AND (@graph IS NULL OR json_extract(labels, '$.graph') = @graph)
      AND (@beganFrom IS NULL OR coalesce(started_at, created_at) >= @beganFrom)
      AND (@endedBefore IS NULL OR (finished_at IS NOT NULL AND finished_at < @endedBefore))
      AND (@owner IS NULL OR submitter = @owner OR json_extract(labels, '$.executeUser') = @owner)`
  const page = db.prepare<Record<string, unknown>, { id: number }>(`SELECT id FROM jobs ${where} ORDER BY id DESC LIMIT @limit OFFSET @offset`)
  const count = db.prepare<Record<string, unknown>, { n: number }>(`SELECT count(*) AS n FROM jobs ${where}`)
  return {
    search(q: JobCenterQuery): { ids: number[]; total: number } {
      const filter = {
        statuses: q.statuses ? JSON.stringify(q.statuses) : null,
        graph: q.graph ?? null,
        beganFrom: q.beganFrom ?? null,
        endedBefore: q.endedBefore ?? null,
        owner: q.owner ?? null,
      }
      return { ids: page.all({ ...filter, offset: q.offset, limit: q.limit }).map((r) => r.id), total: count.get(filter)!.n }
    },
  }
}
