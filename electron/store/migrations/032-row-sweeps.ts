// Rows that no reader sees any more but are still in the file, removed afterwards in small batches by
// store/row-sweeper.ts (#9 §2): deleting a job of 2 x 1,000,000 result rows in one statement (the
// ON DELETE CASCADE from jobs to result_sets to result_rows) held the main thread 2.4-6.3 s.
// deleted_jobs: jobs whose row is gone and whose tasks, log lines, values and parts are not yet.
// dropped_result_sets: result sets taken from their job (idx set to -id, which no reader asks for)
// whose rows are not yet gone; the set's row stays until they are, so its id is not given again
// while rows of it remain. Both tables are what a restart resumes the sweep from.
export default `
CREATE TABLE IF NOT EXISTS deleted_jobs (job_id INTEGER PRIMARY KEY);
CREATE TABLE IF NOT EXISTS dropped_result_sets (id INTEGER PRIMARY KEY);
`
