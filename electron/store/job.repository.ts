// The jobs store: jobs, their tasks, and their stored values. createJobRepository composes the
// modules in ./jobs/ (one per concept: job-rows, job-values, job-lineage, job-listing, task-rows;
// records and views beside them); the types and helpers callers use are re-exported from here.
import type { Db } from './connection'
import { createJobChanges, type JobChanges } from './job-changes'
import { createJobLineage } from './jobs/job-lineage'
import { createJobListing } from './jobs/job-listing'
import { createJobRows } from './jobs/job-rows'
import { createJobValues } from './jobs/job-values'
import { createTaskRows } from './jobs/task-rows'

export type { JobHead, JobRecord, NewJob, StopStatus } from './jobs/job-records'
export type { JobValueName } from './jobs/job-values'
export type { DialectJobQuery, HistoryQuery } from './jobs/job-listing'
export { HISTORY_WHERE, historyParams } from './jobs/job-listing'
export { newTaskRecord, type NewTask, type TaskRecord } from './jobs/task-records'
export { TASK_SPEC_INLINE_MAX, TASK_SPEC_PART_MIN, TASK_SPEC_SQL } from './jobs/task-specs'
export { OUTPUT_HEAD_FIELDS, type TaskValues } from './jobs/task-values'
export { toJobSummary, toTaskView } from './jobs/model-views'

export type JobRepository = ReturnType<typeof createJobRepository>

/**
 * The repository of jobs and their tasks over `db`: every method of the modules in ./jobs/.
 * `now` stamps rows (epoch ms); `changes` hears of every write of a job's row or tasks
 * (finished-views.ts drops its views then). `stopCheck`: a view worker's throwIfStopped, for reads of
 * many jobs' values in one statement (createJobListing).
 */
export function createJobRepository(db: Db, now: () => number = Date.now, changes: JobChanges = createJobChanges(), { stopCheck }: { stopCheck?: () => void } = {}) {
  const { insertTasks, ...taskMethods } = createTaskRows(db, changes)
  const { insertValues, writeValue, ...valueMethods } = createJobValues(db)
  return {
    ...createJobRows(db, now, changes, { insertValues, writeValue, insertTasks }),
    ...valueMethods,
    ...taskMethods,
    ...createJobLineage(db),
    ...createJobListing(db, { stopCheck }),
  }
}
