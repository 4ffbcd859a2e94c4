// How jobs relate: a sub-flow's parent and ancestors, a parent's descendants and the child a
// task started, the reruns of a job. Reads only.
import type { Db } from '../connection'
import { JOB_SELECT, toJob, type JobRecord, type JobRow } from './job-records'

/** The repository's reads of jobs' parents, children and reruns. */
export function createJobLineage(db: Db) {
  // a child started before children were labelled with their parent's attempt counts when started
  // since that attempt started (an earlier attempt's child was started before it)
  const childStmt = db.prepare(
    `${JOB_SELECT} WHERE j.parent_job_id = @parent AND json_extract(j.labels, '$.parentTask') = @task
       AND (@attempt IS NULL OR json_extract(j.labels, '$.parentAttempt') = @attempt
         OR (json_extract(j.labels, '$.parentAttempt') IS NULL AND (@startedAt IS NULL OR j.created_at >= @startedAt)))
     ORDER BY j.id DESC LIMIT 1`,
  )
  const rerunsStmt = db.prepare<[string], { id: number }>(`SELECT id FROM jobs WHERE json_extract(labels, '$.rerunOf') = ? ORDER BY id`)
  const ancestryStmt = db.prepare<[number], { id: number }>(
    `WITH RECURSIVE up(id, parent, n) AS (SELECT id, parent_job_id, 0 FROM jobs WHERE id = ?
       UNION ALL SELECT j.id, j.parent_job_id, up.n + 1 FROM jobs j JOIN up ON j.id = up.parent WHERE up.n < 100)
     SELECT id FROM up ORDER BY n`,
  )
  const descendantsStmt = db.prepare<[number], { n: number }>(
    `WITH RECURSIVE down(id, n) AS (SELECT id, 1 FROM jobs WHERE parent_job_id = ?
       UNION ALL SELECT j.id, down.n + 1 FROM jobs j JOIN down ON j.parent_job_id = down.id WHERE down.n < 100)
     SELECT count(*) AS n FROM down`,
  )

  const childCountStmt = db.prepare<[number], number>('SELECT count(*) FROM jobs WHERE parent_job_id = ?').pluck()

  return {
    /** How many jobs this one started as its sub-flows (its children, not theirs): a lookup in the parent index. */
    childCount(jobId: number): number {
      return childCountStmt.get(jobId) ?? 0
    },
    /** The job's id, its parent's, and so on up to its root (sub-flows), without reading the jobs. */
    ancestry(jobId: number): number[] {
      return ancestryStmt.all(jobId).map((r) => r.id)
    },
    /** How many jobs descend from the job (children, their children, …). */
    descendantCount(jobId: number): number {
      return descendantsStmt.get(jobId)?.n ?? 0
    },
    /**
     * The sub-flow a parent's task started (found by the labels the child carries), the newest; with
     * `attempt`, only the one that attempt started (its `parentAttempt` label; for a child without one,
     * created at or after `startedAt`, the attempt's start in ms), undefined when that attempt started none.
     */
    childOf(parentJobId: number, taskName: string, attempt?: number, startedAt?: number | null): JobRecord | undefined {
      const row = childStmt.get({ parent: parentJobId, task: taskName, attempt: attempt === undefined ? null : String(attempt), startedAt: startedAt ?? null }) as JobRow | undefined
      return row && toJob(row)
    },
    /** Ids of the jobs that rerun this one (their `rerunOf` label), oldest first. */
    rerunsOf(jobId: number): number[] {
      return rerunsStmt.all(String(jobId)).map((r) => r.id)
    },
  }
}
