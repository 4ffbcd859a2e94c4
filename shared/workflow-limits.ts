// How much of workflows one user may store, and how long a page of a workflow list may be (#9 §2,
// atk11): the one place for these bounds. Nothing bounded them: a user granted nothing stored 20,000
// Rill Flow descriptors in 15 s, and each list over them (the console's definitions, GET
// /api/v1/workflows) then held the main thread 0.5-1.2 s for every request of every user. Lists are
// now filtered and paged in SQL, and what one user stores is bounded, so that a user's list costs what
// their bounded share does (milliseconds), and an admin's over everyone's grows with the users an
// admin made, not with what any one of them adds.

import { invalid } from './errors'

/** Bounds on what one user (a workflow's owner) stores; past them a store is refused naming the bound. */
export const WORKFLOW_LIMITS = {
  /**
   * Rill Flow workflows (business_id:feature_name) one owner may hold; a first version of one more is
   * refused (`too_many_workflows`). Deleting one makes room.
   */
  rillflowPerOwner: 2_000,
  /**
   * Versions (descriptor md5s) one Rill Flow workflow may hold; a new text past them is refused
   * (`too_many_versions`) and storing a text already held still moves its alias. None is dropped to make
   * room: a version is an id that aliases, gray rules and kept executions name (`ws:dag:md5_…`).
   */
  rillflowVersions: 200,
  /**
   * Aliases one Rill Flow workflow may hold (each is a row of the console's definitions list and a key of
   * the workflow's summary); pointing a new alias name past them is refused (`too_many_aliases`), moving
   * one it has is not.
   */
  rillflowAliases: 100,
  /**
   * Aliases the Rill Flow workflows of one owner may hold together: rillflowAliases each would let one
   * user's definitions list reach 200,000 rows. Past it a new alias name is refused (`too_many_aliases`).
   */
  rillflowAliasesPerOwner: 5_000,
  /** Graph workflows one owner may hold; creating one more is refused (`too_many_workflows`). */
  graphPerOwner: 2_000,
  /**
   * Saved versions one graph workflow may hold; a save past them is refused (`too_many_versions`):
   * the user saves it as a new workflow, or deletes this one. Runs name their version, so none is dropped.
   */
  graphVersions: 200,
} as const

/**
 * A page of a workflow list (GET /api/v1/workflows, GET /api/v1/graph-workflows): `limit` rows from
 * `offset`, most recently changed first. The Workflows pages ask for `maxLimit`, which is as many as
 * one user may own.
 */
export const WORKFLOW_LIST_PAGE = {
  /** Rows a list answers when `limit` is not given. */
  defaultLimit: 200,
  /** The most rows one page may ask for. */
  maxLimit: 2_000,
} as const

/** A page of a workflow list asked for: both optional (defaults: WORKFLOW_LIST_PAGE.defaultLimit rows from 0). */
export interface WorkflowListQuery {
  /** Rows, 1..WORKFLOW_LIST_PAGE.maxLimit. */
  limit?: number
  /** Rows skipped, ≥ 0. */
  offset?: number
}

/**
 * The page a workflow list query asks for, with WORKFLOW_LIST_PAGE's defaults: `limit` an integer in
 * 1..maxLimit, `offset` a safe integer ≥ 0. Throws invalid `bad_number` naming the parameter (the
 * native routes' schemas refuse the same first; this holds for IPC callers too).
 */
export function listPage(q: WorkflowListQuery): { limit: number; offset: number } {
  const { limit = WORKFLOW_LIST_PAGE.defaultLimit, offset = 0 } = q
  if (!Number.isInteger(limit) || limit < 1 || limit > WORKFLOW_LIST_PAGE.maxLimit) {
    throw invalid('bad_number', `limit must be an integer from 1 to ${WORKFLOW_LIST_PAGE.maxLimit}`, 'limit')
  }
  if (!Number.isSafeInteger(offset) || offset < 0) throw invalid('bad_number', 'offset must be an integer of 0 or more', 'offset')
  return { limit, offset }
}
