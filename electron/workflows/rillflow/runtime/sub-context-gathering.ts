// A wide foreach's `sub_context` (the output its output mappings read) gathered from its groups'
// rows a slice at a time, one slice per engine tick: gathered in one go, 100k rows were one pass in
// the tick that also mapped the output and saved the context, and that tick held the main thread
// the longest of the whole run (68 ms on an idle machine, growing with the item count; #9 §2).

import type { TaskGroups } from '../../../engine/task-groups'

type Json = Record<string, unknown>

/**
 * Most group rows one gathering step reads: 100k rows are ~10 ms on an idle machine here, so a step
 * is well under a millisecond, and a 100k-item foreach ends over 50 more ticks (it starts over 4,000).
 */
export const GATHER_BATCH = 2_000

/**
 * The sub-contexts of groups 0..`total`-1 of `groups`, read in index order, at most `max` rows a
 * `step`: a group skipped, without a row or without a sub-context gives `{}` in its place (as
 * Rill Flow's `sub_context` has one entry per item). The sub-contexts are the live objects of the
 * rows, not copies.
 */
export class SubContextGathering {
  private readonly gathered: Json[] = []

  constructor(
    /** The groups read (the engine's live table of the parent). */
    readonly groups: TaskGroups,
    private readonly total: number,
  ) {}

  /** Whether every group has been read. */
  get done(): boolean {
    return this.gathered.length >= this.total
  }

  /** Reads the next `max` groups (fewer at the end; at least one while any is left); returns how many it read. */
  step(max: number): number {
    const end = Math.min(this.total, this.gathered.length + Math.max(1, max))
    const from = this.gathered.length
    for (let i = from; i < end; i++) {
      const row = this.groups.row(i)
      this.gathered.push(row && row.status !== 'skipped' && row.context ? row.context : {})
    }
    return end - from
  }

  /** The sub-contexts, by group index. Throws when the gathering is not done. */
  result(): Json[] {
    if (!this.done) throw new Error(`gathered ${this.gathered.length} of ${this.total} sub-contexts`)
    return this.gathered
  }
}
