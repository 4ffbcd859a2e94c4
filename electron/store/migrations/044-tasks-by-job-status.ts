// A job's tasks by state, in the order they were made (#9 §2): the detail of one job of 120,000 tasks
// (a user's held-work bound) read every task row for its count by state and again for its first
// DETAIL_TASKS tasks by id (the only index was (job_id, name)): 156-161 ms of the main thread a read.
// This index's entries are (job_id, status, rowid): a count by state reads the index only, and the
// first tasks by id are the first of each state's run (store/jobs/task-rows.ts FIRST_TASK_IDS).
export default `
CREATE INDEX IF NOT EXISTS tasks_by_job_status ON tasks (job_id, status);
`
