// How jobs relate: a sub-flow's parent and ancestors, a parent's descendants and the child a
// task started, the reruns of a job. Reads only.
import type { Db } from '../connection'
import { JOB_SELECT, toJob, type JobRecord, type JobRow } from './job-records'

/** The repository's reads of jobs' parents, children and reruns. */
export function createJobLineage(db: Db) {
  const childStmt = db.prepare(`${JOB_SELECT} WHERE j.parent_job_id = ? AND json_extract(j.labels, '$.parentTask') = ? ORDER BY j.id DESC LIMIT 1`)
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

  return {
    /** The job's id, its parent's, and so on up to its root (sub-flows), without reading the jobs. */
    ancestry(jobId: number): number[] {
      return ancestryStmt.all(jobId).map((r) => r.id)
    },
    /** How many jobs descend from the job (children, their children, …). */
    descendantCount(jobId: number): number {
      return descendantsStmt.get(jobId)?.n ?? 0
    },
    /** The sub-flow a parent's task started (found by the labels the child carries). */
    childOf(parentJobId: number, taskName: string): JobRecord | undefined {
      const row = childStmt.get(parentJobId, taskName) as JobRow | undefined
      return row && toJob(row)
    },
    /** Ids of the jobs that rerun this one (their `rerunOf` label), oldest first. */
    rerunsOf(jobId: number): number[] {
      return rerunsStmt.all(String(jobId)).map((r) => r.id)
    },
  }
}
