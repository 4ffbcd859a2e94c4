// The groups of a task that runs groups of sub-tasks (a foreach's items, a choice's branches), as
// the engine keeps them for a running job: each group's status and sub-context, counted by status
// as they change, and stored one row per group (store/group.repository.ts). A tick saves only the
// groups it changed: a 100k-item foreach used to rewrite every group's state on every tick.

import type { GroupRow } from '../store/group.repository'
import { forgetKeptText } from '../store/state-json'

type Json = Record<string, unknown>

/**
 * One group task's groups in a running job: a row per group (`index` from 0, its status as a
 * TaskStatus string, its sub-context JSON), with counts by status kept as rows change. Rows are
 * read from and saved to store/group.repository.ts by the engine; nothing here writes the store.
 */
export class TaskGroups {
  private readonly rows = new Map<number, GroupRow>()
  private readonly counts = new Map<string, number>()

  /** `changed(index)` is told of every group changed, so the engine saves it with the tick. */
  constructor(
    readonly jobId: number,
    readonly parent: string,
    stored: readonly GroupRow[],
    private readonly changed: (groups: TaskGroups, index: number) => void,
  ) {
    for (const row of stored) this.addStored(row)
  }

  /**
   * Adds a group as the store holds it, telling no change: for a reader that reads a parent's groups a
   * page at a time (Engine.recover, 100k groups over several turns) before the job's driver asks for them.
   */
  addStored(row: GroupRow): void {
    this.rows.set(row.index, row)
    this.add(row.status, 1)
  }

  /** Groups that have a row (started, or decided without running: a choice branch skipped). */
  get size(): number {
    return this.rows.size
  }

  /** How many groups have this status. */
  count(status: string): number {
    return this.counts.get(status) ?? 0
  }

  /** Group `index`'s status (a TaskStatus), or undefined when it has no row yet. */
  status(index: number): string | undefined {
    return this.rows.get(index)?.status
  }

  /** The group's sub-context (a live object: call `touch` after changing it). */
  context(index: number): Json | null {
    return this.rows.get(index)?.context ?? null
  }

  /** Creates or changes a group; a new group needs a status. */
  set(index: number, change: { status?: string; context?: Json | null }): void {
    const row = this.rows.get(index)
    if (!row) {
      if (change.status === undefined) throw new Error(`group ${index} of task ${this.parent} has no status`)
      this.rows.set(index, { index, status: change.status, context: change.context ?? null })
      this.add(change.status, 1)
    } else {
      if (change.status !== undefined && change.status !== row.status) {
        this.add(row.status, -1)
        this.add(change.status, 1)
        row.status = change.status
      }
      if (change.context !== undefined) row.context = change.context
    }
    this.changed(this, index)
  }

  /** Marks a group's sub-context changed in place (by output mappings), so it is saved. */
  touch(index: number): void {
    const row = this.rows.get(index)
    if (!row) return
    forgetKeptText(row.context) // its save serializes it again (group.repository.ts keeps a large one's text)
    this.changed(this, index)
  }

  /** Every group that has a row, by index; indices may have gaps (a choice's branches not taken). */
  all(): IterableIterator<GroupRow> {
    return this.rows.values()
  }

  /** The stored form of a group, for the commit. */
  row(index: number): GroupRow | undefined {
    return this.rows.get(index)
  }

  private add(status: string, n: number): void {
    this.counts.set(status, (this.counts.get(status) ?? 0) + n)
  }
}
