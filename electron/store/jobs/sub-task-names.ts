// A task's sub-tasks by name. A Rill Flow foreach or choice `f` names the groups it runs `f_<i>` and
// their tasks `f_<i>-<base>` (names.ts; nested ones `f_<i>-<inner>_<j>-<base>`), so every sub-task of
// `f`, at any depth, has a name from `f_` up to, not including, `` f` `` (the character after `_`):
// one range of the tasks (job_id, name) index, and of the groups' (job_id, parent) key.
//
// A redo drops them (a foreach of 100k items: reading them to drop them held the main thread ~1.4 s,
// deleting them ~0.5 s) with one row in dropped_tasks per root (migration 033): from then on no reader
// sees them, and row-sweeper.ts removes them in steps. Every reader of tasks or groups says
// TASK_VISIBLE or GROUP_VISIBLE, the one statement of what a drop hides.

/** The names of `root`'s sub-tasks: `from` ≤ name < `to`, in SQLite's BINARY order. */
export function subTaskRange(root: string): { from: string; to: string } {
  return { from: `${root}_`, to: `${root}\`` }
}

/**
 * SQL: the task aliased `t` is not a dropped one (a sub-task of a dropped root made before the drop).
 * One lookup of dropped_tasks by job a row; none there for a job never redone.
 */
export const TASK_VISIBLE = `NOT EXISTS (SELECT 1 FROM dropped_tasks d WHERE d.job_id = t.job_id AND t.id < d.below_id AND t.name >= d.root || '_' AND t.name < d.root || '\`')`

/** SQL: the group aliased `g` is not a dropped one (of a dropped root or its sub-tasks, written before the drop). */
export const GROUP_VISIBLE = `NOT EXISTS (SELECT 1 FROM dropped_tasks d WHERE d.job_id = g.job_id AND g.gen < d.seq AND (g.parent = d.root OR (g.parent >= d.root || '_' AND g.parent < d.root || '\`')))`

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
