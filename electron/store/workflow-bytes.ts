// What one user's stored workflows take: every version of the Rill Flow workflows they own (its text
// as sent and its parsed form, workflows.source and .parsed) and of their graph workflows (each saved
// document, graph_workflow_versions.document), in UTF-8 bytes. What shared/quotas.ts
// MAX_WORKFLOW_BYTES_PER_USER bounds (services/workflow-room.ts asks before a save, atk15: the count
// bounds alone let one user keep 400,000 versions of ~1 MiB). Summed when asked, from the lengths
// alone (octet_length reads no overflow page): saves are rare, and the count bounds
// (shared/workflow-limits.ts) keep the rows summed to what one owner may hold.
import type { Db } from './connection'

export type WorkflowBytes = ReturnType<typeof createWorkflowBytes>

/** Reads of what users' stored workflows take. */
export function createWorkflowBytes(db: Db) {
  const rillflow = db
    .prepare<[string], number>(
      `SELECT coalesce(sum(octet_length(w.source) + octet_length(w.parsed)), 0) FROM workflow_owners o
         JOIN workflows w ON w.workspace = o.workspace AND w.name = o.name WHERE o.owner = ?`,
    )
    .pluck()
  const graph = db
    .prepare<[string], number>('SELECT coalesce(sum(octet_length(v.document)), 0) FROM graph_workflows g JOIN graph_workflow_versions v ON v.workflow_id = g.id WHERE g.owner = ?')
    .pluck()
  return {
    /** Bytes the versions of `owner`'s Rill Flow and graph workflows take together; 0 for a user with none. */
    ofOwner(owner: string): number {
      return rillflow.get(owner)! + graph.get(owner)!
    },
  }
}
