// Every context write counts by its JSON shape in what a user's unfinished jobs hold (shared/quotas.ts
// heldJsonWeight), as 046 made submitted inputs and tasks' inputs and outputs count: a job's stored
// context and result (what a wakeup's output mappings, a task's or a redo's patch write into it), its
// groups' sub-contexts (a foreach's) and its tasks' runtimes counted their characters only, so a context
// of `[{},{},...]` held ~20 heap bytes per counted byte (test/http/attack-held-context-writes-heap).
// job_values.weight and task_groups.weight keep what each row's value weighs past its characters
// (store/state-json.ts heldWeightPastChars, from the shape its save's depth check counted; a task's
// runtime is added to tasks.value_weight by its save); triggers keep their job's sum in
// jobs.state_weight, beside its tasks' (046), which the held total adds.
// Existing rows: 046 left the jobs stored before it counting their characters until they end (their
// weights 0). Here each unfinished job's input, context and result, tasks' values and groups'
// sub-contexts are weighed from their stored text (one scan each, unfinished jobs only: what the bound
// counts), and the live totals follow through the triggers. Run again (a rewound database runs it
// again, after 046 recounted state_weight from the tasks alone): every job's state_weight is summed afresh.
import { jsonShapeOf } from '../../../shared/json-limits'
import { heldJsonWeight } from '../../../shared/quotas'
import type { Db } from '../connection'
import { heldWeightPastChars } from '../state-json'

const addWeight = (delta: string, jobId: string) => `UPDATE jobs SET state_weight = state_weight + ${delta} WHERE id = ${jobId};`

/** The weight-keeping triggers of `table` (its rows' `weight` summed into their job's state_weight). */
const weightTriggers = (table: 'job_values' | 'task_groups') => `
CREATE TRIGGER IF NOT EXISTS job_state_weight_${table}_added AFTER INSERT ON ${table} WHEN new.weight <> 0
BEGIN ${addWeight('new.weight', 'new.job_id')} END;
CREATE TRIGGER IF NOT EXISTS job_state_weight_${table}_changed AFTER UPDATE OF weight ON ${table} WHEN new.weight <> old.weight
BEGIN ${addWeight('new.weight - old.weight', 'new.job_id')} END;
CREATE TRIGGER IF NOT EXISTS job_state_weight_${table}_removed AFTER DELETE ON ${table} WHEN old.weight <> 0
BEGIN ${addWeight('-old.weight', 'old.job_id')} END;`

const UNFINISHED = "status IN ('queued', 'running', 'cancelling')"
/** What a stored JSON text weighs past its characters (0 for none). */
const pastChars = (text: string | null) => (text === null ? 0 : heldWeightPastChars({ text, shape: jsonShapeOf(text) }))

export default function contextWeight(db: Db): void {
  const has = (table: string, column: string) => (db.prepare(`SELECT name FROM pragma_table_info('${table}')`).all() as { name: string }[]).some((c) => c.name === column)
  const again = has('job_values', 'weight') && has('task_groups', 'weight')
  if (!has('job_values', 'weight')) db.exec('ALTER TABLE job_values ADD COLUMN weight INTEGER NOT NULL DEFAULT 0')
  if (!has('task_groups', 'weight')) db.exec('ALTER TABLE task_groups ADD COLUMN weight INTEGER NOT NULL DEFAULT 0')
  db.exec(weightTriggers('job_values') + weightTriggers('task_groups'))
  if (again) {
    db.exec(`UPDATE jobs SET state_weight = coalesce((SELECT sum(t.value_weight) FROM tasks t WHERE t.job_id = jobs.id), 0)
      + coalesce((SELECT sum(v.weight) FROM job_values v WHERE v.job_id = jobs.id), 0) + coalesce((SELECT sum(g.weight) FROM task_groups g WHERE g.job_id = jobs.id), 0)`)
    return
  }
  // the unfinished jobs stored before 046 or this: weighed from their stored texts; each write goes
  // through the triggers above and 046's, so jobs.state_weight and the users' live totals follow
  const setInput = db.prepare<[number, number]>('UPDATE jobs SET input_weight = ? WHERE id = ?')
  const setValue = db.prepare<[number, number, string]>('UPDATE job_values SET weight = ? WHERE job_id = ? AND name = ?')
  const setTask = db.prepare<[number, number]>('UPDATE tasks SET value_weight = ? WHERE id = ?')
  const setGroup = db.prepare<[number, number, string, number]>('UPDATE task_groups SET weight = ? WHERE job_id = ? AND parent = ? AND idx = ?')
  const values = db.prepare<[number], { name: string; value: string; prefix: number | null }>('SELECT name, value, input_prefix AS prefix FROM job_values WHERE job_id = ?')
  const tasks = db.prepare<[number], { id: number; input: string | null; output: string | null; runtime: string | null }>('SELECT id, input, output, runtime FROM tasks WHERE job_id = ?')
  const groups = db.prepare<[number], { parent: string; idx: number; context: string | null }>('SELECT parent, idx, context FROM task_groups WHERE job_id = ?')
  const jobs = db.prepare<[], { id: number; inputBytes: number; inputWeight: number }>(`SELECT id, input_bytes AS inputBytes, input_weight AS inputWeight FROM jobs WHERE ${UNFINISHED}`).all()
  for (const { id, inputBytes, inputWeight } of jobs) {
    for (const v of values.all(id)) {
      // an input stored since 046 was weighed at its insert
      if (v.name === 'input') {
        if (inputWeight === 0) setInput.run(heldJsonWeight(inputBytes, jsonShapeOf(v.value)), id)
      } else if (v.prefix === null) setValue.run(pastChars(v.value), id, v.name) // a context kept as a tail after the input is the input's copy: counted with it
    }
    for (const t of tasks.all(id)) setTask.run(pastChars(t.input) + pastChars(t.output) + pastChars(t.runtime), t.id)
    for (const g of groups.all(id)) setGroup.run(pastChars(g.context), id, g.parent, g.idx)
  }
}
