// The labels Linkis job history filters on (jobhistory/list, listundonetasks: creator, engineType,
// runType), indexed as 026 indexed the dialect, the execute user and the graph: the history's filters
// looked each label up in every row's labels (json_extract parses the whole text; a job stored before
// the labels' bounds may keep megabytes of them). The history looks them up in these indexes instead
// (store/jobs/job-listing.ts HISTORY_WHERE). IF NOT EXISTS: harmless if run again at another position
// (numbered 028 beside a 027 of another branch).
export default `
CREATE INDEX IF NOT EXISTS jobs_by_creator_label ON jobs (json_extract(labels, '$.creator'));
CREATE INDEX IF NOT EXISTS jobs_by_engine_type_label ON jobs (json_extract(labels, '$.engineType'));
CREATE INDEX IF NOT EXISTS jobs_by_run_type_label ON jobs (json_extract(labels, '$.runType'));
`
