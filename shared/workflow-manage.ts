// Workflow management beyond save/run: the run grid (recent executions × tasks, as Airflow's grid
// view) and alias management (list, point, delete). Merged into the contract in api.ts.
import type { JobStatus, TaskStatus } from './status'

/** One top-level task of a run in the grid. */
export interface GridTask {
  /**
   * The grid row: a top-level task's name; inside a choice or foreach, the path of task names from
   * the top (`each/fetch`, `each/inner/leaf`), one row for all of a foreach's items (GRID_PATH_SEPARATOR).
   */
  name: string
  /** Inside a group: its runs summed up, the most telling first (GRID_STATUS_ORDER). */
  status: TaskStatus
  /**
   * The task's attempt number (shared/task-attempts.ts taskAttemptNumber: 1 its first run, each redo the
   * next; 0 before it runs), as the native API's other routes serve `attempt`. Inside a group: the highest
   * of its runs'.
   */
  attempt: number
  /** The try within that attempt (1, then each retry its retry policy made); inside a group: that run's. */
  try: number
  /** Epoch ms; null before it started. Inside a group: the first start and the last end (null while one runs). */
  startedAt: number | null
  finishedAt: number | null
  /** Inside a group: the row of the group task it belongs to (`each` for `each/fetch`). */
  parent?: string
  /** Inside a group: how many runs of it this cell sums up (a foreach's items, or 1 for a choice branch taken). */
  instances?: number
  /** Inside a group: the run a click opens (a failed one first, else a running one, else the first). */
  open?: string
}

/** Joins the task names of a nested grid row. */
export const GRID_PATH_SEPARATOR = '/'

/** How a nested row sums up its runs: the first status in this list that any of them has. */
export const GRID_STATUS_ORDER: readonly TaskStatus[] = ['failed', 'timed_out', 'running', 'cancelling', 'queued', 'cancelled', 'pending', 'succeeded', 'skipped']

/** One execution of a workflow in the grid: its job, the descriptor version it ran and its tasks (nested ones summed up per row). */
export interface GridRun {
  jobId: number
  status: JobStatus
  /** The md5 version the execution ran. */
  version: string
  createdAt: number
  startedAt: number | null
  finishedAt: number | null
  tasks: GridTask[]
}

/** The newest runs first; `tasks` names every row of any shown run, in the order first seen (newest run's order first). */
export interface WorkflowGrid {
  runs: GridRun[]
  tasks: string[]
}

/** A workflow (Rill Flow business id + feature name). */
export interface WorkflowRef {
  workspace: string
  name: string
}

export interface WorkflowManageOperations {
  /** The caller's recent executions of a workflow (an admin's: everyone's), newest first; `limit` 1–50, default 20. */
  'workflows.grid': { params: WorkflowRef & { limit?: number }; result: WorkflowGrid }
  /** Points an alias at a stored version (owner of the workflow or admin). Returns every alias after the change. */
  'workflows.setAlias': { params: WorkflowRef & { alias: string; version: string }; result: { aliases: Record<string, string> } }
  /** Deletes an alias (owner of the workflow or admin); deleting one that does not exist is not_found. */
  'workflows.deleteAlias': { params: WorkflowRef & { alias: string }; result: { aliases: Record<string, string> } }
  /**
   * Deletes a workflow: every version, alias and gray rule (owner of the workflow or admin). Refused
   * (conflict `workflow_has_executions`) while executions of it are kept: delete those first.
   */
  'workflows.delete': { params: WorkflowRef; result: { deleted: true } }
}

export const WORKFLOW_MANAGE_HTTP_ROUTES: { [K in keyof WorkflowManageOperations]: { method: 'GET' | 'POST' | 'DELETE'; path: string; status?: number } } = {
  'workflows.grid': { method: 'GET', path: '/api/v1/workflows/grid' },
  'workflows.setAlias': { method: 'POST', path: '/api/v1/workflows/aliases' },
  'workflows.deleteAlias': { method: 'DELETE', path: '/api/v1/workflows/aliases' },
  'workflows.delete': { method: 'DELETE', path: '/api/v1/workflows' },
}
