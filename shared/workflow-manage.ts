// Workflow management beyond save/run: the run grid (recent executions × tasks, as Airflow's grid
// view) and alias management (list, point, delete). Merged into the contract in api.ts.
import type { JobStatus, TaskStatus } from './status'

/** One top-level task of a run in the grid. */
export interface GridTask {
  name: string
  status: TaskStatus
  attempt: number
  /** Epoch ms; null before it started. */
  startedAt: number | null
  finishedAt: number | null
}

/** One execution of a workflow in the grid: its job, the descriptor version it ran and its top-level tasks. */
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

/** The newest runs first; `tasks` names every task of any shown run, in the order first seen (newest run's order first). */
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
}

export const WORKFLOW_MANAGE_HTTP_ROUTES: { [K in keyof WorkflowManageOperations]: { method: 'GET' | 'POST' | 'DELETE'; path: string; status?: number } } = {
  'workflows.grid': { method: 'GET', path: '/api/v1/workflows/grid' },
  'workflows.setAlias': { method: 'POST', path: '/api/v1/workflows/aliases' },
  'workflows.deleteAlias': { method: 'DELETE', path: '/api/v1/workflows/aliases' },
}
