// What a job's task specs take in the store, wherever they are kept (store/jobs/task-specs.ts).
import type { Db } from '../../electron/store/connection'

/** The characters of job `jobId`'s task specs in the store: in their rows, in task_specs, and their parts (migration 027). */
export function storedSpecChars(db: Db, jobId: number): number {
  const row = db
    .prepare(
      `SELECT (SELECT coalesce(sum(length(spec)), 0) FROM tasks WHERE job_id = ?)
         + (SELECT coalesce(sum(length(s.spec)), 0) FROM task_specs s JOIN tasks k ON k.id = s.task_id WHERE k.job_id = ?)
         + (SELECT coalesce(sum(length(text)), 0) FROM task_spec_parts WHERE job_id = ?) AS n`,
    )
    .get(jobId, jobId, jobId) as { n: number }
  return row.n
}
