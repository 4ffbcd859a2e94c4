// What one user's jobs keep of result rows in all (shared/quotas.ts MAX_RESULT_BYTES_PER_USER, atk13) is
// summed on every submit and every batch of rows a SQL job stores: a user's jobs by submitter, then each
// job's sets' byte_size from an index that holds it. Measured on 10,000 jobs (2 kB of code each) of
// 10,000 result sets: 16 ms a sum without them (a scan of every job), 0.2 ms with; 2.4 ms for a user of
// 10,000 jobs among 100,000. Numbered 034 though it is the 33rd step, so as not to clash with a 033 made
// beside it; IF NOT EXISTS makes it harmless to run again if the two are put in the other order.
export default `
CREATE INDEX IF NOT EXISTS jobs_by_submitter ON jobs (submitter);
CREATE INDEX IF NOT EXISTS result_set_bytes_by_job ON result_sets (job_id, idx, byte_size);
`
