// What one user's jobs keep now counts each job's state too (shared/quotas.ts MAX_KEPT_BYTES_PER_USER,
// atk15): a job's tasks' stored inputs, outputs and runtimes (up to 16 MiB each, state-json.ts), its
// stored context and result (job_values but its input, which migration 036 counts), its foreach groups'
// sub-contexts (task_groups.context and context_parts) and the parts they and its specs share
// (task_spec_parts). A chain of 20 pass tasks over a 1 MB context kept 40 MB a job while the quota saw
// 1 MB. jobs.state_bytes holds a job's figure, in UTF-8 bytes (octet_length, which reads a value's
// length without its overflow pages); triggers keep it on every insert, change of size and delete of
// those rows, from any connection, and migration 036's per-user total (user_result_bytes) follows it.
//   - the tasks trigger on an update fires only when a task's sizes changed: a status save reads three
//     lengths and writes nothing more (bench: see the kept15 report)
//   - a deleted job (row-sweeper.ts deleteJobRow) takes its state_bytes off its user's total at once;
//     its rows swept afterwards find no job row, so nothing is taken off twice
//   - rows a redo drops (dropped_tasks) still count until the sweep removes them, as they are still on disk
// Existing databases: every job's figure is counted at upgrade (one pass over those tables reading
// lengths only) and the user totals counted afresh, as 036 did.
import type { Db } from '../connection'

const len = (column: string) => `coalesce(octet_length(${column}), 0)`
/** The state bytes of a row of each table, as `row` (new or old) has it. */
const SIZES = {
  tasks: (r: string) => `(${len(`${r}.input`)} + ${len(`${r}.output`)} + ${len(`${r}.runtime`)})`,
  task_groups: (r: string) => `(${len(`${r}.context`)} + ${len(`${r}.context_parts`)})`,
  job_values: (r: string) => `(CASE WHEN ${r}.name = 'input' THEN 0 ELSE ${len(`${r}.value`)} END)`,
  task_spec_parts: (r: string) => len(`${r}.text`),
} as const
/** The columns whose change changes a row's size. */
const SIZED_COLUMNS: Record<keyof typeof SIZES, string> = {
  tasks: 'input, output, runtime',
  task_groups: 'context, context_parts',
  job_values: 'value, name',
  task_spec_parts: 'text',
}

const addToJob = (delta: string, jobId: string) => `UPDATE jobs SET state_bytes = state_bytes + ${delta} WHERE id = ${jobId};`
const addToUser = (delta: string, submitter: string) =>
  `INSERT INTO user_result_bytes (submitter, bytes) VALUES (${submitter}, ${delta})
     ON CONFLICT (submitter) DO UPDATE SET bytes = bytes + excluded.bytes;`

function rowTriggers(table: keyof typeof SIZES): string {
  const size = SIZES[table]
  return `
CREATE TRIGGER IF NOT EXISTS job_state_bytes_${table}_added AFTER INSERT ON ${table} WHEN ${size('new')} <> 0
BEGIN ${addToJob(size('new'), 'new.job_id')} END;
CREATE TRIGGER IF NOT EXISTS job_state_bytes_${table}_changed AFTER UPDATE OF ${SIZED_COLUMNS[table]} ON ${table} WHEN ${size('new')} <> ${size('old')}
BEGIN ${addToJob(`${size('new')} - ${size('old')}`, 'new.job_id')} END;
CREATE TRIGGER IF NOT EXISTS job_state_bytes_${table}_removed AFTER DELETE ON ${table} WHEN ${size('old')} <> 0
BEGIN ${addToJob(`-${size('old')}`, 'old.job_id')} END;`
}

const KEPT = (r: string) => `${r}.input_bytes + ${r}.log_bytes + ${r}.state_bytes`

export default function jobStateBytes(db: Db): void {
  const columns = new Set((db.prepare("SELECT name FROM pragma_table_info('jobs')").all() as { name: string }[]).map((c) => c.name))
  if (!columns.has('state_bytes')) db.exec('ALTER TABLE jobs ADD COLUMN state_bytes INTEGER NOT NULL DEFAULT 0')
  const sum = (table: keyof typeof SIZES) => `coalesce((SELECT sum(${SIZES[table]('x')}) FROM ${table} x WHERE x.job_id = jobs.id), 0)`
  db.exec(`
UPDATE jobs SET state_bytes = ${sum('tasks')} + ${sum('task_groups')} + ${sum('job_values')} + ${sum('task_spec_parts')};
DELETE FROM user_result_bytes;
INSERT INTO user_result_bytes (submitter, bytes)
  SELECT submitter, sum(bytes) FROM (
    SELECT j.submitter, r.byte_size AS bytes FROM result_sets r JOIN jobs j ON j.id = r.job_id WHERE r.idx >= 0 AND r.byte_size IS NOT NULL
    UNION ALL SELECT submitter, ${KEPT('jobs')} FROM jobs
  ) GROUP BY submitter;
${rowTriggers('tasks')}
${rowTriggers('task_groups')}
${rowTriggers('job_values')}
${rowTriggers('task_spec_parts')}
DROP TRIGGER IF EXISTS user_kept_bytes_job_added;
CREATE TRIGGER user_kept_bytes_job_added AFTER INSERT ON jobs WHEN ${KEPT('new')} <> 0
BEGIN ${addToUser(KEPT('new'), 'new.submitter')} END;
CREATE TRIGGER IF NOT EXISTS user_kept_bytes_state_changed AFTER UPDATE OF state_bytes ON jobs WHEN new.state_bytes <> old.state_bytes
BEGIN ${addToUser('new.state_bytes - old.state_bytes', 'new.submitter')} END;
DROP TRIGGER IF EXISTS user_kept_bytes_job_removed;
CREATE TRIGGER user_kept_bytes_job_removed BEFORE DELETE ON jobs WHEN ${KEPT('old')} <> 0
BEGIN ${addToUser(`-(${KEPT('old')})`, 'old.submitter')} END;
`)
}
