// The labels the job lists filter on, indexed (#9 §2): a job stored before the labels' bounds (atk29)
// may keep megabytes of them, and a filter that reads a label from the column parses them all, for
// every row it passes: 20 such Rill Flow executions made each page of the console's execution list
// and every non-admin's GES job-center page parse 70 MB (about 1 s; 13 s for the page holding them,
// which also read them whole). Each index is computed once, here for the rows there are and at each
// insert after (labels of at most 64 KiB); the lists look the label up in it (store/jobs/job-listing.ts
// dialectJobs, job-records.ts JOB_OWNER_SQL, job-center.repository.ts).
export default `
CREATE INDEX jobs_by_dialect ON jobs (kind, json_extract(labels, '$.dialect'));
CREATE INDEX jobs_by_execute_user ON jobs (json_extract(labels, '$.executeUser'));
CREATE INDEX jobs_by_graph_label ON jobs (json_extract(labels, '$.graph'));
`
