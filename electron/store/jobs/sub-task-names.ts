// A task's sub-tasks by name. A Rill Flow foreach or choice `f` names the groups it runs `f_<i>` and
// their tasks `f_<i>-<base>` (names.ts; nested ones `f_<i>-<inner>_<j>-<base>`), so every sub-task of
// `f`, at any depth, has a name from `f_` up to, not including, `` f` `` (the character after `_`):
// one range of the tasks (job_id, name) index, and of the groups' (job_id, parent) key. A redo drops
// them by range, without reading them (a foreach of 100k items: reading them held the main thread ~1.4 s).

/** The names of `root`'s sub-tasks: `from` ≤ name < `to`, in SQLite's BINARY order. */
export function subTaskRange(root: string): { from: string; to: string } {
  return { from: `${root}_`, to: `${root}\`` }
}

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
