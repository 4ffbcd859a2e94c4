// What one user's jobs keep in all (shared/quotas.ts MAX_KEPT_BYTES_PER_USER, atk14): migration 034's
// running total of result rows per submitter (user_result_bytes, its name kept) now counts each job's
// stored input (its code: up to 1,000,000 characters a job) and its stored log too, so that finished
// jobs of 1 MB of code, or of a 5 MiB log each, are held by the same quota as their rows.
//   jobs.input_bytes: UTF-8 bytes of the input's JSON, written once with the row at submit
//   jobs.log_bytes:   the stored log as the log budget counts it (bytes + LINE_COST a line), written
//                     once when the job's log is all written (log.repository.ts countKeptLog), not per line
// A trigger adds them to the total on insert and on a change of log_bytes, and takes them off when the
// job's row goes (row-sweeper.ts deleteJobRow: at once, before its lines are swept).
// Numbered 036 though it is the 35th step, so as not to clash with a 035 made beside it: it checks
// for its columns and recounts the totals afresh, so it is harmless to run again in the other order.
import type { Db } from '../connection'

/** Line cost of migration time (engine/job-logs.ts LINE_COST, copied: a migration is never edited). */
const LINE_COST = 64

const ADD = (delta: string, submitter: string) =>
  `INSERT INTO user_result_bytes (submitter, bytes) VALUES (${submitter}, ${delta})
     ON CONFLICT (submitter) DO UPDATE SET bytes = bytes + excluded.bytes;`

export default function userKeptBytes(db: Db): void {
  const columns = new Set((db.prepare("SELECT name FROM pragma_table_info('jobs')").all() as { name: string }[]).map((c) => c.name))
  if (!columns.has('input_bytes')) db.exec('ALTER TABLE jobs ADD COLUMN input_bytes INTEGER NOT NULL DEFAULT 0')
  if (!columns.has('log_bytes')) db.exec('ALTER TABLE jobs ADD COLUMN log_bytes INTEGER NOT NULL DEFAULT 0')
  db.exec(`
UPDATE jobs SET
  input_bytes = coalesce((SELECT octet_length(value) FROM job_values v WHERE v.job_id = jobs.id AND v.name = 'input'), 0),
  log_bytes = coalesce((SELECT sum(octet_length(text)) + count(*) * ${LINE_COST} FROM log_lines l WHERE l.job_id = jobs.id), 0);
DELETE FROM user_result_bytes;
INSERT INTO user_result_bytes (submitter, bytes)
  SELECT submitter, sum(bytes) FROM (
    SELECT j.submitter, r.byte_size AS bytes FROM result_sets r JOIN jobs j ON j.id = r.job_id WHERE r.idx >= 0 AND r.byte_size IS NOT NULL
    UNION ALL SELECT submitter, input_bytes + log_bytes FROM jobs
  ) GROUP BY submitter;
CREATE TRIGGER IF NOT EXISTS user_kept_bytes_job_added AFTER INSERT ON jobs WHEN new.input_bytes + new.log_bytes <> 0
BEGIN ${ADD('new.input_bytes + new.log_bytes', 'new.submitter')} END;
CREATE TRIGGER IF NOT EXISTS user_kept_bytes_log_changed AFTER UPDATE OF log_bytes ON jobs WHEN new.log_bytes <> old.log_bytes
BEGIN ${ADD('new.log_bytes - old.log_bytes', 'new.submitter')} END;
CREATE TRIGGER IF NOT EXISTS user_kept_bytes_job_removed BEFORE DELETE ON jobs WHEN old.input_bytes + old.log_bytes <> 0
BEGIN ${ADD('-(old.input_bytes + old.log_bytes)', 'old.submitter')} END;
`)
}
