// A sweep step counts the rows it removes itself, once a step, instead of triggers a row (#9 §2,
// the regression PERFORMANCE.md "Redoing a 100k-item foreach" measured): deleting one task row ran
// three triggers (037/039 state bytes, 042 task_rows, 046 state weight), each an UPDATE of its job's
// row, two of them each an upsert of its user's totals (041/046's user_kept_bytes_state_changed): a
// redo's sweep step of 2,000 rows went 6.8 -> 24.7 ms at the median, ~12 µs a row of which ~2.3 µs
// is the delete itself.
//   - counted_removals: a job whose rows the current transaction removes and counts itself (the
//     sweeper, row-sweeper.ts). A row of it lives inside one transaction only: the step inserts it,
//     deletes, takes the sums off the job in one UPDATE and deletes it again
//   - the tasks and task_groups delete triggers are made one each (one UPDATE of the job a row: bytes,
//     task_rows and weight together, where they were two or three), and skip the rows of a job in
//     counted_removals (one primary-key lookup in a table that is empty outside a step)
//   - the tasks trigger stays BEFORE DELETE: it reads the task's task_specs row, which the cascade
//     removes after it (039); its task_specs row's own trigger then finds no task and takes nothing off
// What the triggers take off is unchanged for every other delete (a task deleted alone, a group's rows
// replaced): store/row-sweeper.ts sums the same expressions (taskRowBytes, groupRowBytes) for its rows.

/** A deleted tasks row's state bytes, its task_specs row's included (039's figure). */
export const TASK_ROW_BYTES = (r: string) =>
  `(coalesce(octet_length(${r}.input), 0) + coalesce(octet_length(${r}.output), 0) + coalesce(octet_length(${r}.runtime), 0) + coalesce(octet_length(${r}.spec), 0)
    + coalesce((SELECT octet_length(s.spec) FROM task_specs s WHERE s.task_id = ${r}.id), 0))`
/** A task_groups row's state bytes (037's figure). */
export const GROUP_ROW_BYTES = (r: string) => `(coalesce(octet_length(${r}.context), 0) + coalesce(octet_length(${r}.context_parts), 0))`

const UNCOUNTED = (jobId: string) => `NOT EXISTS (SELECT 1 FROM counted_removals c WHERE c.job_id = ${jobId})`

export default `
CREATE TABLE IF NOT EXISTS counted_removals (job_id INTEGER PRIMARY KEY);
DROP TRIGGER IF EXISTS job_counts_tasks_removed;
DROP TRIGGER IF EXISTS job_counts_task_groups_removed;
DROP TRIGGER IF EXISTS job_state_bytes_tasks_removed;
DROP TRIGGER IF EXISTS job_task_rows_removed;
DROP TRIGGER IF EXISTS job_state_weight_tasks_removed;
CREATE TRIGGER job_counts_tasks_removed BEFORE DELETE ON tasks WHEN ${UNCOUNTED('old.job_id')}
BEGIN UPDATE jobs SET state_bytes = state_bytes - ${TASK_ROW_BYTES('old')}, task_rows = task_rows - 1, state_weight = state_weight - old.value_weight WHERE id = old.job_id; END;
DROP TRIGGER IF EXISTS job_state_bytes_task_groups_removed;
DROP TRIGGER IF EXISTS job_state_weight_task_groups_removed;
CREATE TRIGGER job_counts_task_groups_removed AFTER DELETE ON task_groups WHEN ${UNCOUNTED('old.job_id')} AND (${GROUP_ROW_BYTES('old')} <> 0 OR old.weight <> 0)
BEGIN UPDATE jobs SET state_bytes = state_bytes - ${GROUP_ROW_BYTES('old')}, state_weight = state_weight - old.weight WHERE id = old.job_id; END;
`
