// Who may do what with a Rill Flow workflow (business_id:feature_name). Upstream has no owners; JobDesk
// keeps DESIGN.md's one rule, owner-or-admin, for workflows as for jobs: a workflow belongs to whoever
// stored its first version (workflow_owners), and only they or an admin may add versions, move or
// delete aliases, set gray rules, read its descriptors or run it. Every transport (Rill Flow API and
// console, native API, the Workflows page over IPC) reaches workflows through the workflow service,
// which applies this check; no route checks on its own.

import { AppError, notFound } from '../../../shared/errors'
import type { CallerReach } from '../../executors/outgoing-http'
import type { Store } from '../../store'
import { RILLFLOW_LOOPBACK_USER, type WorkflowRepository } from '../../store/workflow.repository'

/** Who acts on a workflow: a user's name and role (services/access.ts Actor fits). */
export interface WorkflowCaller {
  username: string
  isAdmin: boolean
}

/**
 * A Rill Flow client that called from loopback without a credential. DESIGN.md trusts it as the
 * desktop user, and session.ts lets it in only while JobDesk has a single user (the admin), so it may
 * do what an admin may; what it stores is recorded as `rillflow`'s, which later only admins reach.
 */
export const DESKTOP_CALLER: WorkflowCaller = Object.freeze({ username: RILLFLOW_LOOPBACK_USER, isAdmin: true })

/**
 * Whether a job's submitter runs with an admin's rights: an admin, or the credential-less loopback
 * client (DESKTOP_CALLER). Who may fill the task pool (app.ts) and whose HTTP calls may reach this
 * computer (function tasks and completion callbacks, executors/outgoing-http.ts).
 */
export function submitsAsAdmin(users: { caller(username: string): WorkflowCaller }, submitter: string): boolean {
  return submitter === RILLFLOW_LOOPBACK_USER || users.caller(submitter).isAdmin
}

/** How many executions up a sub-flow's ancestry reachOfJob looks (sub-flows nest 3 deep: service.ts). */
const MAX_ANCESTRY = 16

/**
 * Where the HTTP calls of a job's tasks and its completion callback may go (executors/outgoing-http.ts):
 * `admin` only when everyone whose choices those calls carry has an admin's rights now
 * (submitsAsAdmin): the submitter (who ran or reran it), the owner of its workflow (whose descriptor
 * names the URLs and the callback), and, for a sub-flow, each execution above it (whose mappings made
 * its input); else `user`. A rerun, or an admin's run of a user's stored workflow, so reaches no
 * further than the user would: an admin's rerun must not give a user's function tasks loopback. A job
 * or a workflow no longer stored counts as a user's.
 */
export function reachOfJob(store: Pick<Store, 'jobs' | 'users' | 'workflows'>, jobId: number): CallerReach {
  let id: number | null = jobId
  for (let depth = 0; id !== null && depth < MAX_ANCESTRY; depth++) {
    const job = store.jobs.get(id)
    if (!job || !submitsAsAdmin(store.users, job.submitter)) return 'user'
    if (job.workflowId !== null) {
      const owner = store.workflows.ownerOfVersion(job.workflowId)
      if (owner === undefined || !submitsAsAdmin(store.users, owner)) return 'user'
    }
    id = job.parentJobId
  }
  return id === null ? 'admin' : 'user'
}

/**
 * Whether Rill Flow calls need a credential from loopback too because the data folder has more than
 * one user, whatever the `rillflowRequireToken` setting says: else any local user could leave out
 * their token and act as the desktop user (the admin), reaching everyone's executions (#9.3). Live:
 * it holds from the second user's creation on. (http/dialects/rillflow/session.ts and Settings.)
 */
export function tokenRequiredByUsers(users: { count(): number }): boolean {
  return users.count() > 1
}

/** What a caller does to a workflow, in the words of the refusal. */
export type WorkflowUse = 'change' | 'read' | 'run'

/**
 * Whether `caller` may use a workflow owned by `owner` (undefined: a workflow not stored yet, which
 * anyone may create). Only storing a first version may act on a name no one owns: anything else kept
 * under such a name (a gray rule, atk28) would steer the submits of whoever stores it first, so those
 * writes pass `mustExist` to assertMayUseWorkflow.
 */
export const mayUseWorkflow = (caller: WorkflowCaller, owner: string | undefined): boolean =>
  owner === undefined || caller.isAdmin || caller.username === owner

/** The owner a listing is limited to: none for admins, the caller's own name otherwise. */
export const workflowListOwner = (caller: WorkflowCaller): string | undefined => (caller.isAdmin ? undefined : caller.username)

/**
 * Throws AppError forbidden `not_your_workflow` unless the caller owns the workflow or is an admin;
 * with `mustExist`, not_found for a workflow that has no version. `field` names the parameter that
 * named the workflow, for the error. A workflow not stored yet passes
 * (adding its first version makes the caller its owner).
 */
export function assertMayUseWorkflow(
  workflows: Pick<WorkflowRepository, 'owner'>,
  caller: WorkflowCaller,
  workspace: string,
  name: string,
  use: WorkflowUse,
  options: { mustExist?: boolean; field?: string } = {},
): void {
  const owner = workflows.owner(workspace, name)
  if (owner === undefined && options.mustExist) throw notFound('workflow', `${workspace}:${name}`)
  if (mayUseWorkflow(caller, owner)) return
  throw new AppError(
    'forbidden',
    'not_your_workflow',
    `workflow ${workspace}:${name} belongs to another user; only its owner or an admin may ${use} it`,
    { field: options.field },
  )
}
