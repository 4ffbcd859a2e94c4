// How many task rows a job has, kept by triggers (jobs.task_rows), so that a list of jobs shows each
// job's task count without counting its tasks: the Jobs list counted every task of the 50 jobs it
// showed, 452–487 ms on the main thread with 3M tasks among them (atk20), for every list and refresh.
// Rows a redo dropped (dropped_tasks) still count until the sweep removes them; a job with drops noted
// is counted the old way (job-listing.ts), which only the sweep's short window needs.
// Existing databases: every job's rows are counted at upgrade, one pass over the (job_id, name) index.
// Harmless if run again (a test's database rewound to an older schema runs the later steps again).
import type { Db } from '../connection'

export default function jobTaskRows(db: Db): void {
  const columns = new Set((db.prepare("SELECT name FROM pragma_table_info('jobs')").all() as { name: string }[]).map((c) => c.name))
  if (!columns.has('task_rows')) db.exec('ALTER TABLE jobs ADD COLUMN task_rows INTEGER NOT NULL DEFAULT 0')
  db.exec(`
UPDATE jobs SET task_rows = (SELECT count(*) FROM tasks t WHERE t.job_id = jobs.id);
CREATE TRIGGER IF NOT EXISTS job_task_rows_added AFTER INSERT ON tasks BEGIN UPDATE jobs SET task_rows = task_rows + 1 WHERE id = new.job_id; END;
CREATE TRIGGER IF NOT EXISTS job_task_rows_removed AFTER DELETE ON tasks BEGIN UPDATE jobs SET task_rows = task_rows - 1 WHERE id = old.job_id; END;
`)
}
