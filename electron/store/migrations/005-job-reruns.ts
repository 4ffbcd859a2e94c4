// A job's reruns are found by the `rerunOf` label they carry (the Jobs page shows the link both ways).
export default `CREATE INDEX jobs_by_rerun_of ON jobs (json_extract(labels, '$.rerunOf'));`
