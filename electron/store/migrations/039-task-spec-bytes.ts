// What one user's jobs keep now counts their tasks' specs too (shared/quotas.ts MAX_KEPT_BYTES_PER_USER,
// atk17): a spec in its tasks row (up to 2,048 characters, task-specs.ts) and one in task_specs. A Rill
// Flow task's spec is its definition, so a foreach of 2,000 items x 20 pass tasks with ~1.9 KB
// definitions stored 74 MiB of specs while migration 037 counted 0.23 MiB against a 4 MiB quota.
// jobs.state_bytes takes them as it takes the rest (037), so the per-user total follows:
//   - tasks: 037's triggers are made again with the spec in a row's size. A spec is written once, at
//     the insert (saveTask never writes it), so an insert's one UPDATE of jobs counts it and a status
//     save reads one length more; the delete trigger runs BEFORE the delete, where it still sees the
//     task's task_specs row, and takes both off (that row then goes by the cascade)
//   - task_specs: its insert (after its task's, same transaction) adds to the task's job; a delete of
//     one alone takes it off, while one by the cascade finds no task row and takes nothing off twice
//   - a deleted job's rows, swept afterwards, find no job row (as in 037)
// Existing databases: each job's specs are added to its figure at upgrade (one pass over tasks and
// task_specs reading lengths only); jobs' trigger of 037 carries that to the user totals.

const len = (column: string) => `coalesce(octet_length(${column}), 0)`
/** A tasks row's state bytes, as `r` (new or old) has it: its values and its spec in the row. */
const taskRow = (r: string) => `(${len(`${r}.input`)} + ${len(`${r}.output`)} + ${len(`${r}.runtime`)} + ${len(`${r}.spec`)})`
/** The bytes of task `taskId`'s spec in task_specs, 0 for none. */
const specRow = (taskId: string) => `coalesce((SELECT octet_length(s.spec) FROM task_specs s WHERE s.task_id = ${taskId}), 0)`
const addToJob = (delta: string, jobId: string) => `UPDATE jobs SET state_bytes = state_bytes + ${delta} WHERE id = ${jobId};`
const jobOfTask = (taskId: string) => `(SELECT job_id FROM tasks WHERE id = ${taskId})`

export default `
DROP TRIGGER IF EXISTS job_state_bytes_tasks_added;
DROP TRIGGER IF EXISTS job_state_bytes_tasks_changed;
DROP TRIGGER IF EXISTS job_state_bytes_tasks_removed;
CREATE TRIGGER job_state_bytes_tasks_added AFTER INSERT ON tasks WHEN ${taskRow('new')} <> 0
BEGIN ${addToJob(taskRow('new'), 'new.job_id')} END;
CREATE TRIGGER job_state_bytes_tasks_changed AFTER UPDATE OF input, output, runtime, spec ON tasks WHEN ${taskRow('new')} <> ${taskRow('old')}
BEGIN ${addToJob(`${taskRow('new')} - ${taskRow('old')}`, 'new.job_id')} END;
CREATE TRIGGER job_state_bytes_tasks_removed BEFORE DELETE ON tasks
BEGIN ${addToJob(`-(${taskRow('old')} + ${specRow('old.id')})`, 'old.job_id')} END;
CREATE TRIGGER IF NOT EXISTS job_state_bytes_task_specs_added AFTER INSERT ON task_specs
BEGIN ${addToJob(len('new.spec'), jobOfTask('new.task_id'))} END;
CREATE TRIGGER IF NOT EXISTS job_state_bytes_task_specs_changed AFTER UPDATE OF spec ON task_specs WHEN ${len('new.spec')} <> ${len('old.spec')}
BEGIN ${addToJob(`${len('new.spec')} - ${len('old.spec')}`, jobOfTask('new.task_id'))} END;
CREATE TRIGGER IF NOT EXISTS job_state_bytes_task_specs_removed AFTER DELETE ON task_specs
BEGIN ${addToJob(`-${len('old.spec')}`, jobOfTask('old.task_id'))} END;
UPDATE jobs SET state_bytes = state_bytes + specs.bytes
  FROM (SELECT t.job_id, sum(${len('t.spec')} + ${len('s.spec')}) AS bytes FROM tasks t LEFT JOIN task_specs s ON s.task_id = t.id GROUP BY t.job_id) AS specs
  WHERE jobs.id = specs.job_id AND specs.bytes <> 0;
`
