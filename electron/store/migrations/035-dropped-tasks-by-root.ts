// A redo's drop notes (dropped_tasks, migration 033) are found by the root a task's name is under
// (store/jobs/sub-task-names.ts TASK_VISIBLE, GROUP_VISIBLE): one seek a row, however many notes a
// job has. Before, they were found by job alone and each read compared every task row with all of the
// job's notes: 992 notes (a redo of a task before a 990-task chain) made a read of a job list 412 ms,
// 29,700 (30 such redos) one task count 65 s (atk14). A job keeps at most one note per root
// (jobs.dropSubTasks replaces an earlier one): of notes written before this step, the latest of each
// root stays, as it hides all that the earlier ones hide (a higher below_id and seq).
// Every statement is harmless to run again.
export default `
DELETE FROM dropped_tasks WHERE seq NOT IN (SELECT max(seq) FROM dropped_tasks GROUP BY job_id, root);
CREATE UNIQUE INDEX IF NOT EXISTS dropped_tasks_by_root ON dropped_tasks (job_id, root);
DROP INDEX IF EXISTS dropped_tasks_by_job;
`
