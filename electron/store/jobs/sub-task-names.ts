// A task's sub-tasks by name. A Rill Flow foreach or choice `f` names the groups it runs `f_<i>` and
// their tasks `f_<i>-<base>` (names.ts; nested ones `f_<i>-<inner>_<j>-<base>`), so every sub-task of
// `f`, at any depth, has a name from `f_` up to, not including, `` f` `` (the character after `_`):
// one range of the tasks (job_id, name) index, and of the groups' (job_id, parent) key.
//
// A redo drops them (a foreach of 100k items: reading them to drop them held the main thread ~1.4 s,
// deleting them ~0.5 s) with one row in dropped_tasks per root (migration 033): from then on no reader
// sees them, and row-sweeper.ts removes them in steps. Every reader of tasks or groups says
// TASK_VISIBLE or GROUP_VISIBLE, the one statement of what a drop hides.
//
// A root is a top-level task, whose name has no `_` (Rill Flow names are letters and digits:
// shared/rillflow-names.ts NAME_PATTERN), so the root a sub-task is under is its name's part before
// the first `_`: a task row finds the one note of its root by the (job_id, root) key (migration 035),
// one seek a row however many roots a job's notes name. Comparing each row with every note of its job
// instead made 992 notes cost a job list 412 ms, 29,700 one task count 65 s (atk14).

/** The names of `root`'s sub-tasks: `from` ≤ name < `to`, in SQLite's BINARY order. */
export function subTaskRange(root: string): { from: string; to: string } {
  return { from: `${root}_`, to: `${root}\`` }
}

/** Whether `root` may be a drop's root: a top-level name, non-empty and without `_` (see above). */
export function isDropRoot(root: string): boolean {
  return root.length > 0 && !root.includes('_')
}

/** SQL: the root the sub-task named by `name` is under: its part before the first `_`; '' for a top-level name, no drop's root. */
const rootOfTask = (name: string) => `substr(${name}, 1, instr(${name}, '_') - 1)`

/** SQL: the root whose drop takes the groups of the task named by `parent`: the root itself, or the root a sub-task is under. */
const rootOfGroupParent = (parent: string) => `substr(${parent}, 1, instr(${parent} || '_', '_') - 1)`

/**
 * SQL: the task aliased `t` is not a dropped one (a sub-task of a dropped root made before the drop).
 * One seek of dropped_tasks by (job_id, root) a row; nothing found for a top-level task or a job never redone.
 */
export const TASK_VISIBLE = `NOT EXISTS (SELECT 1 FROM dropped_tasks d WHERE d.job_id = t.job_id AND d.root = ${rootOfTask('t.name')} AND t.id < d.below_id)`

/**
 * SQL of the task count of the job `j` (a jobs row): jobs.task_rows, kept by triggers (migration 042),
 * unless a redo's drops are still noted for it, whose dropped rows count there until the sweep removes
 * them; then its visible tasks are counted. A list of jobs counted every listed job's tasks before:
 * 452–545 ms a page at 3M tasks (atk20, bench/job-list.ts).
 */
export const JOB_TASK_COUNT = `(CASE WHEN EXISTS (SELECT 1 FROM dropped_tasks d WHERE d.job_id = j.id)
  THEN (SELECT count(*) FROM tasks t WHERE t.job_id = j.id AND ${TASK_VISIBLE}) ELSE j.task_rows END)`

/**
 * SQL: the hidden tasks of job `@jobId` (TASK_VISIBLE false), aliased `t`: a join of the job's notes
 * with their roots' sub-task ranges (subTaskRange) made before the drop, by the (job_id, name) index.
 * It reads the hidden rows the sweeper has not removed yet only, where TASK_VISIBLE's test of every
 * row read 120,000 rows for a count (#9 §2). A root has no `_` (isDropRoot), so a name in its range
 * has that root before its first `_`, as TASK_VISIBLE takes it; one note a root: no row counted twice.
 */
export const HIDDEN_TASKS = `dropped_tasks d JOIN tasks t ON t.job_id = d.job_id AND t.name >= d.root || '_' AND t.name < d.root || '\`' AND t.id < d.below_id
  WHERE d.job_id = @jobId`

/** SQL: the group aliased `g` is not a dropped one (of a dropped root or its sub-tasks, written before the drop); one seek a row. */
export const GROUP_VISIBLE = `NOT EXISTS (SELECT 1 FROM dropped_tasks d WHERE d.job_id = g.job_id AND d.root = ${rootOfGroupParent('g.parent')} AND g.gen < d.seq)`

/** SQL: the gen a group written now takes (above every drop so far: GROUP_VISIBLE). */
export const GROUP_GEN = '(SELECT coalesce(max(seq), 0) FROM dropped_tasks)'

/**
 * SQL: the id a task inserted now takes: above every task left and every dropped one (task_id_floor),
 * as the largest + 1 would be if nothing were ever deleted.
 */
export const NEXT_TASK_ID = 'max(coalesce((SELECT max(id) FROM tasks), 0), coalesce((SELECT max(id) FROM task_id_floor), 0)) + 1'

/**
 * The name ranges outside every root's sub-task range, in name order: `from` ≤ name < `to`, null for
 * an open end. Overlapping ranges (a root inside another's range) merge. No roots: one open range.
 */
export function rangesOutside(roots: readonly string[]): { from: string | null; to: string | null }[] {
  // SQLite compares names as UTF-8 bytes (BINARY): sort the same way, not by UTF-16 code units
  const byBytes = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b))
  const dropped = roots.map(subTaskRange).sort((a, b) => byBytes(a.from, b.from))
  const out: { from: string | null; to: string | null }[] = []
  let from: string | null = null
  for (const r of dropped) {
    if (from !== null && byBytes(r.from, from) < 0) {
      // inside or overlapping the range before: extend it past this one
      if (byBytes(r.to, from) > 0) from = r.to
      continue
    }
    out.push({ from, to: r.from })
    from = r.to
  }
  out.push({ from, to: null })
  return out
}
