// What one user's stored workflows take: every version of the Rill Flow workflows they own (its text
// as sent and its parsed form, workflows.source and .parsed) and of their graph workflows (each saved
// document, graph_workflow_versions.document), in UTF-8 bytes. What shared/quotas.ts
// MAX_WORKFLOW_BYTES_PER_USER bounds (workflow-room.ts asks before a save, atk15: the count bounds
// alone let one user keep 400,000 versions of ~1 MiB). A running total per owner that triggers keep
// (migration 038), so a read is one row: a sum over an owner's versions took 180-300 ms at the count
// bounds. A deleted workflow's versions stop counting at once.
import type { Statement } from 'better-sqlite3'
import type { Db } from './connection'

export type WorkflowBytes = ReturnType<typeof createWorkflowBytes>

/** Reads of what users' stored workflows take. */
export function createWorkflowBytes(db: Db) {
  // prepared at first use, so that a store of an older schema still opens (the upgrade tests do)
  let byOwner: Statement<[string], number> | undefined
  return {
    /** Bytes the versions of `owner`'s Rill Flow and graph workflows take together; 0 for a user with none. */
    ofOwner(owner: string): number {
      byOwner ??= db.prepare<[string], number>('SELECT coalesce((SELECT bytes FROM user_workflow_bytes WHERE owner = ?), 0)').pluck()
      return byOwner.get(owner)!
    },
  }
}
