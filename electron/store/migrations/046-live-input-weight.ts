// What a user's unfinished jobs hold (user_result_bytes.live_state_bytes, the figure shared/quotas.ts
// MAX_HELD_WORK_PER_USER.bytes bounds) weighs each unfinished job's input by its shape, not only by its
// characters (quotas.ts heldJsonWeight): the heap a parsed JSON value takes depends on its nodes, and a
// context of `[{},{},...]` took 21.3 heap bytes a character in one parsed copy, so 64 MiB counted held
// ~1.4 GB (nodes). jobs.input_weight is that weight of the job's input, written once at its insert
// (store/jobs/job-rows.ts, from the JSON nodes counted where the text was parsed); a job counts twice
// the more of it and input_bytes (as 043 counted twice input_bytes), plus its state_bytes.
// A task's stored input and output count the same way (tasks.value_weight: what their weight passes
// their characters, written with them, store/state-json.ts heldWeightPastChars; the depth check of each
// save counts their nodes): triggers keep its job's sum in jobs.state_weight, beside state_bytes
// (which the kept-bytes quota of the disk reads, and this leaves alone). Contexts and groups'
// sub-contexts still count their characters only.
// Existing rows get 0, so they count as before (their bytes): recovered as they are stored, as a job
// stored past the bound before it existed is (quotas.ts). 043's three triggers are made again with the
// new figure, and the live totals counted afresh; harmless if run again (a rewound database runs it again).
import type { Db } from '../connection'

/** What a row of jobs, as `r` (new or old) has it, holds: its input's weight (twice), state bytes and its tasks' values' weight past them, while it is unfinished. */
const LIVE = (r: string) =>
  `(CASE WHEN ${r}.status IN ('queued', 'running', 'cancelling') THEN ${r}.state_bytes + ${r}.state_weight + 2 * max(${r}.input_bytes, ${r}.input_weight) ELSE 0 END)`
const addWeight = (delta: string, jobId: string) => `UPDATE jobs SET state_weight = state_weight + ${delta} WHERE id = ${jobId};`
const ADD = (kept: string, live: string, submitter: string) =>
  `INSERT INTO user_result_bytes (submitter, bytes, live_state_bytes) VALUES (${submitter}, ${kept}, ${live})
     ON CONFLICT (submitter) DO UPDATE SET bytes = bytes + excluded.bytes, live_state_bytes = live_state_bytes + excluded.live_state_bytes;`

export default function liveInputWeight(db: Db): void {
  const columns = new Set((db.prepare("SELECT name FROM pragma_table_info('jobs')").all() as { name: string }[]).map((c) => c.name))
  if (!columns.has('input_weight')) db.exec('ALTER TABLE jobs ADD COLUMN input_weight INTEGER NOT NULL DEFAULT 0')
  if (!columns.has('state_weight')) db.exec('ALTER TABLE jobs ADD COLUMN state_weight INTEGER NOT NULL DEFAULT 0')
  const taskColumns = new Set((db.prepare("SELECT name FROM pragma_table_info('tasks')").all() as { name: string }[]).map((c) => c.name))
  if (!taskColumns.has('value_weight')) db.exec('ALTER TABLE tasks ADD COLUMN value_weight INTEGER NOT NULL DEFAULT 0')
  // run again: the jobs' sums recounted from their tasks (new, both are 0: no pass over the tasks)
  else db.exec('UPDATE jobs SET state_weight = coalesce((SELECT sum(t.value_weight) FROM tasks t WHERE t.job_id = jobs.id), 0)')
  db.exec(`
CREATE TRIGGER IF NOT EXISTS job_state_weight_tasks_added AFTER INSERT ON tasks WHEN new.value_weight <> 0
BEGIN ${addWeight('new.value_weight', 'new.job_id')} END;
CREATE TRIGGER IF NOT EXISTS job_state_weight_tasks_changed AFTER UPDATE OF value_weight ON tasks WHEN new.value_weight <> old.value_weight
BEGIN ${addWeight('new.value_weight - old.value_weight', 'new.job_id')} END;
CREATE TRIGGER IF NOT EXISTS job_state_weight_tasks_removed AFTER DELETE ON tasks WHEN old.value_weight <> 0
BEGIN ${addWeight('-old.value_weight', 'old.job_id')} END;
UPDATE user_result_bytes SET live_state_bytes = 0;
INSERT INTO user_result_bytes (submitter, bytes, live_state_bytes)
  SELECT submitter, 0, sum(${LIVE('jobs')}) FROM jobs WHERE true GROUP BY submitter HAVING sum(${LIVE('jobs')}) <> 0
  ON CONFLICT (submitter) DO UPDATE SET live_state_bytes = excluded.live_state_bytes;
DROP TRIGGER IF EXISTS user_kept_bytes_state_changed;
CREATE TRIGGER user_kept_bytes_state_changed AFTER UPDATE OF status, state_bytes, input_bytes, input_weight, state_weight ON jobs
  WHEN new.state_bytes <> old.state_bytes OR ${LIVE('new')} <> ${LIVE('old')}
BEGIN ${ADD('new.state_bytes - old.state_bytes', `${LIVE('new')} - ${LIVE('old')}`, 'new.submitter')} END;
DROP TRIGGER IF EXISTS user_live_state_bytes_job_added;
CREATE TRIGGER user_live_state_bytes_job_added AFTER INSERT ON jobs WHEN ${LIVE('new')} <> 0
BEGIN ${ADD('0', LIVE('new'), 'new.submitter')} END;
DROP TRIGGER IF EXISTS user_live_state_bytes_job_removed;
CREATE TRIGGER user_live_state_bytes_job_removed BEFORE DELETE ON jobs WHEN ${LIVE('old')} <> 0
BEGIN ${ADD('0', `-${LIVE('old')}`, 'old.submitter')} END;
`)
}
