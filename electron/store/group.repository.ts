// The groups of a task that runs groups of sub-tasks (a Rill Flow foreach's items, a choice's
// branches): one row per group with its status and sub-context (migration 012), so saving one
// group's change never rewrites the others.
import type { Db } from './connection'
import { createJobChanges, type JobChanges } from './job-changes'
import { stateJson } from './state-json'

/** One group of a parent task: its status (the driver's word, e.g. running, succeeded) and its sub-context. */
export interface GroupRow {
  index: number
  status: string
  context: Record<string, unknown> | null
}

export type GroupRepository = ReturnType<typeof createGroupRepository>

/** `changes` hears of every write of a job's groups. */
export function createGroupRepository(db: Db, changes: JobChanges = createJobChanges()) {
  const upsert = db.prepare(
    `INSERT INTO task_groups (job_id, parent, idx, status, context) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (job_id, parent, idx) DO UPDATE SET status = excluded.status, context = excluded.context`,
  )
  const selectRows = db.prepare<[number, string], { idx: number; status: string; context: string | null }>(
    'SELECT idx, status, context FROM task_groups WHERE job_id = ? AND parent = ? ORDER BY idx',
  )
  const selectStatuses = db.prepare<[number, string], { idx: number; status: string }>('SELECT idx, status FROM task_groups WHERE job_id = ? AND parent = ? ORDER BY idx')
  const selectCounts = db.prepare<[number, string], { status: string; n: number }>('SELECT status, count(*) AS n FROM task_groups WHERE job_id = ? AND parent = ? GROUP BY status')
  const selectContext = db.prepare<[number, string, number], { context: string | null }>('SELECT context FROM task_groups WHERE job_id = ? AND parent = ? AND idx = ?')
  const deleteRows = db.prepare('DELETE FROM task_groups WHERE job_id = ? AND parent IN (SELECT value FROM json_each(?))')
  return {
    /** Every group of `parent`, in index order. */
    rows(jobId: number, parent: string): GroupRow[] {
      return selectRows.all(jobId, parent).map((r) => ({ index: r.idx, status: r.status, context: r.context == null ? null : JSON.parse(r.context) }))
    },
    /** Status by group index (the sub-contexts are not read: a view of 100k items needs only these). */
    statuses(jobId: number, parent: string): Map<number, string> {
      return new Map(selectStatuses.all(jobId, parent).map((r) => [r.idx, r.status]))
    },
    /** One group's sub-context; undefined when the group has no row. */
    context(jobId: number, parent: string, index: number): Record<string, unknown> | null | undefined {
      const row = selectContext.get(jobId, parent, index)
      return row && (row.context == null ? null : JSON.parse(row.context))
    },
    /** How many groups of `parent` have each status. */
    counts(jobId: number, parent: string): Map<string, number> {
      return new Map(selectCounts.all(jobId, parent).map((r) => [r.status, r.n]))
    },
    /**
     * Writes one group; call inside the caller's transaction. Throws StateNotStorableError for a
     * sub-context too large or not JSON. A large sub-context's text is kept for its next save (a
     * group is saved when its sub-context changes, then again when its status does: a 0.95 MB map was
     * serialized twice); whoever changes a sub-context in place forgets it (forgetKeptText: TaskGroups.touch).
     */
    save(jobId: number, parent: string, row: GroupRow): void {
      changes.changed(jobId)
      upsert.run(jobId, parent, row.index, row.status, stateJson(row.context ?? undefined, `the sub-context of group ${row.index} of task ${parent}`, true))
    },
    /** Drops the groups of these parents (a redo starts them afresh). */
    clear(jobId: number, parents: readonly string[]): void {
      changes.changed(jobId)
      deleteRows.run(jobId, JSON.stringify(parents))
    },
  }
}
