// A job's tasks in the order they were made, for the tasks pager (#9 §2): a page at offset N of all
// states read the first N + limit ids of each state's run of (job_id, status), unioned and sorted them
// and skipped N (a table row read a skipped task, for TASK_VISIBLE's name): offset 119,500 of a job of
// 120,000 tasks held the main thread 295-363 ms. This index's entries are (job_id, rowid): a page of
// all states is one range scan of it in id order, its offset skipped in the index (task-rows.ts taskPage).
export default `
CREATE INDEX IF NOT EXISTS tasks_by_job ON tasks (job_id);
`
