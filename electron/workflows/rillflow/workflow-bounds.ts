// The checks that keep what one user stores of Rill Flow workflows within shared/workflow-limits.ts's
// bounds (#9 §2, atk11). The workflow service asks them before it stores anything, in the same turn
// of the event loop as the store (no await between), so two requests cannot both take the last room.

import { invalid } from '../../../shared/errors'
import { formatCount } from '../../../shared/number-format'
import { WORKFLOW_LIMITS } from '../../../shared/workflow-limits'
import type { WorkflowRepository } from '../../store/workflow.repository'

type Counts = Pick<WorkflowRepository, 'versionCount' | 'countOfOwner' | 'aliasCount' | 'aliasCountOfOwner'>

/**
 * Before a new version is stored: throws invalid `too_many_versions` (field feature_name) when the
 * stored workflow already holds WORKFLOW_LIMITS.rillflowVersions, or, for a workflow not stored yet
 * (`newOwner`: who would own it), `too_many_workflows` (field feature_name) when its owner already
 * holds WORKFLOW_LIMITS.rillflowPerOwner.
 */
export function assertRoomForVersion(counts: Counts, workspace: string, dagName: string, newOwner: string | undefined): void {
  if (newOwner === undefined) {
    const held = counts.versionCount(workspace, dagName)
    if (held < WORKFLOW_LIMITS.rillflowVersions) return
    throw invalid(
      'too_many_versions',
      `workflow ${workspace}:${dagName} already has ${formatCount(held)} versions, the most one workflow may hold (${formatCount(WORKFLOW_LIMITS.rillflowVersions)}); store it as another workflow (another dagName, Rill Flow's feature_name), or delete this workflow first`,
      'feature_name',
    )
  }
  const held = counts.countOfOwner(newOwner)
  if (held < WORKFLOW_LIMITS.rillflowPerOwner) return
  throw invalid(
    'too_many_workflows',
    `user ${newOwner} already has ${formatCount(held)} workflows, the most one user may hold (${formatCount(WORKFLOW_LIMITS.rillflowPerOwner)}); delete one first`,
    'feature_name',
  )
}

/**
 * Before a new alias name is pointed: throws invalid `too_many_aliases` (field alias) when the workflow
 * already holds WORKFLOW_LIMITS.rillflowAliases, or the workflows of `owner` (the workflow's, or for
 * a new workflow its author) WORKFLOW_LIMITS.rillflowAliasesPerOwner together.
 */
export function assertRoomForAlias(counts: Counts, workspace: string, dagName: string, owner: string): void {
  const held = counts.aliasCount(workspace, dagName)
  if (held >= WORKFLOW_LIMITS.rillflowAliases) {
    throw invalid(
      'too_many_aliases',
      `workflow ${workspace}:${dagName} already has ${formatCount(held)} aliases, the most one workflow may hold (${formatCount(WORKFLOW_LIMITS.rillflowAliases)}); point one it has, or remove one first`,
      'alias',
    )
  }
  const ownerHeld = counts.aliasCountOfOwner(owner)
  if (ownerHeld < WORKFLOW_LIMITS.rillflowAliasesPerOwner) return
  throw invalid(
    'too_many_aliases',
    `the workflows of ${owner} already have ${formatCount(ownerHeld)} aliases together, the most they may hold (${formatCount(WORKFLOW_LIMITS.rillflowAliasesPerOwner)}); point one they have, or remove one first`,
    'alias',
  )
}
