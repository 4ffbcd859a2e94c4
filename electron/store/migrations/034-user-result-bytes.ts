// What one user's jobs keep of result rows in all (shared/quotas.ts MAX_RESULT_BYTES_PER_USER, atk13),
// read on every submit and on every batch of rows a SQL job stores: a running total per submitter,
// kept by triggers, so that every connection that writes result sets (the SQL job's own process too)
// keeps it, and a read is one row. A sum over the user's jobs cost 3 ms for a user of 10,000 jobs
// with a result set each, 30 ms for 100,000 (with indexes on submitter and on byte_size), as much as
// storing a batch of 1,000 short rows.
// It counts result_sets.byte_size of the sets a reader sees (idx >= 0) of jobs still stored: a set a
// rerun drops or a deleted job's (idx set to -id, row-sweeper.ts) stops counting at once, before its
// rows are swept; a job deleted with its sets by the cascade takes them off first (BEFORE DELETE).
// Numbered 034 though it is the 33rd step, so as not to clash with a 033 made beside it; every
// statement is IF NOT EXISTS or a fresh count, so it is harmless to run again in the other order.
const ADD = (delta: string, jobId: string) =>
  `INSERT INTO user_result_bytes (submitter, bytes) SELECT submitter, ${delta} FROM jobs WHERE id = ${jobId}
     ON CONFLICT (submitter) DO UPDATE SET bytes = bytes + excluded.bytes;`
/** A set's bytes as counted: its byte_size while readers see it, else none. */
const LIVE = (row: 'new' | 'old') => `(CASE WHEN ${row}.idx >= 0 THEN coalesce(${row}.byte_size, 0) ELSE 0 END)`

export default `
CREATE TABLE IF NOT EXISTS user_result_bytes (submitter TEXT PRIMARY KEY, bytes INTEGER NOT NULL) WITHOUT ROWID;
DELETE FROM user_result_bytes;
INSERT INTO user_result_bytes (submitter, bytes)
  SELECT j.submitter, sum(r.byte_size) FROM result_sets r JOIN jobs j ON j.id = r.job_id WHERE r.idx >= 0 AND r.byte_size IS NOT NULL GROUP BY j.submitter;
CREATE TRIGGER IF NOT EXISTS user_result_bytes_set_added AFTER INSERT ON result_sets WHEN ${LIVE('new')} <> 0
BEGIN ${ADD(LIVE('new'), 'new.job_id')} END;
CREATE TRIGGER IF NOT EXISTS user_result_bytes_set_changed AFTER UPDATE OF byte_size, idx ON result_sets WHEN ${LIVE('new')} <> ${LIVE('old')}
BEGIN ${ADD(`${LIVE('new')} - ${LIVE('old')}`, 'new.job_id')} END;
CREATE TRIGGER IF NOT EXISTS user_result_bytes_set_removed AFTER DELETE ON result_sets WHEN ${LIVE('old')} <> 0
BEGIN ${ADD(`-${LIVE('old')}`, 'old.job_id')} END;
CREATE TRIGGER IF NOT EXISTS user_result_bytes_job_removed BEFORE DELETE ON jobs
BEGIN ${ADD('-(SELECT coalesce(sum(byte_size), 0) FROM result_sets WHERE job_id = old.id AND idx >= 0)', 'old.id')} END;
`
