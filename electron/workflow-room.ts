// Before a workflow version is stored (a Rill Flow descriptor through any dialect, a graph workflow's
// create or save): the data folder's disk must be above its reserve (disk-reserve.ts, as for new jobs
// and uploads; admins too), and the owner's workflows must stay within MAX_WORKFLOW_BYTES_PER_USER
// (shared/quotas.ts; admins exempt, as from the other quotas). Asked in the same turn of the event
// loop as the store (no await between), so two saves cannot both take the last room (atk15). A helper
// below services and workflows, like disk-reserve.ts.
import { assertWorkflowRoom } from '../shared/quotas'
import { assertDiskRoom } from './disk-reserve'
import type { WorkflowBytes } from './store/workflow-bytes'

/** A version about to be stored: whose workflows it adds to, whether they are exempt (an admin), its bytes, the request field it came in. */
export interface WorkflowVersionToStore {
  owner: string
  exempt: boolean
  bytes: number
  field: string
}

/**
 * Throws AppError unavailable (disk_nearly_full, 503) when the disk is down to its reserve, or
 * forbidden (workflows_too_large, naming the field) when the version would take its owner's
 * workflows past their quota (`maxBytes`, MAX_WORKFLOW_BYTES_PER_USER unless given).
 */
export type WorkflowRoom = (version: WorkflowVersionToStore) => void

/** The check of the app whose data folder is `dataDir`. */
export function createWorkflowRoom(dataDir: string, bytes: WorkflowBytes, maxBytes?: number): WorkflowRoom {
  return (v) => {
    assertDiskRoom(dataDir, 'workflow saves')
    if (!v.exempt) assertWorkflowRoom(bytes.ofOwner(v.owner), v.bytes, v.field, maxBytes)
  }
}

/** For a service made without a data folder (unit tests of the service alone): refuses nothing. */
export const ANY_ROOM: WorkflowRoom = () => {}
