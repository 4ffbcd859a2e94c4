// Sub-flow executions are found by their parent: counting a root execution's descendants (its budget)
// and walking up to the root must not scan every job.
export default `CREATE INDEX jobs_by_parent ON jobs (parent_job_id);`
