// Linkis's jobhistory/list, {taskID}/get and entrance status read every task of each job (parsed values
// and all) only to tell a running job waiting for a retry (WaitForRetry): 20 s for a list over 3.0M
// tasks (atk20), 11,144 ms a page of 10 jobs of 100,001 tasks. This partial index finds a job's tasks
// queued for a later attempt in one seek (task-rows.ts waitsForRetry).
export default `
CREATE INDEX IF NOT EXISTS tasks_retrying ON tasks (job_id) WHERE status = 'queued' AND attempt > 0;
`
