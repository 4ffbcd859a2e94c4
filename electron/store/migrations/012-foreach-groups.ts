// The groups of a task that runs groups of sub-tasks (a Rill Flow foreach's items, a choice's
// branches), one row each: its status and its sub-context. They used to live in the parent task's
// runtime and in the execution's context, so each engine tick rewrote all of them (100k items:
// megabytes per tick, the server held for seconds); now a tick writes only the groups it changed.
export default `
CREATE TABLE task_groups (
  job_id INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
  parent TEXT NOT NULL,
  idx INTEGER NOT NULL,
  status TEXT NOT NULL,
  context TEXT,
  PRIMARY KEY (job_id, parent, idx)
) WITHOUT ROWID;
`
