// Workflow types the renderer sees (Rill Flow descriptors and their executions).
import type { TaskAttempt } from './model'
import type { JobStatus, TaskStatus } from './status'

/** A Rill Flow task's categories, as the descriptor parser reads them (BaseTask.java's subtypes); the Workflows page's palette offers these. */
export const TASK_CATEGORIES = ['function', 'choice', 'foreach', 'suspense', 'pass', 'return', 'switch'] as const
export type TaskCategory = (typeof TASK_CATEGORIES)[number]

export interface WorkflowSummary {
  workspace: string
  name: string
  versions: number
  latestVersion: string
  updatedAt: number
  aliases: Record<string, string>
  /** The user the workflow belongs to (who stored its first version); `rillflow` for a credential-less Rill Flow client. */
  owner: string
}

/** A level of a DAG as drawn: nodes with their `next` edges; choice/foreach nodes hold their sub-DAG. */
export interface WorkflowNode {
  name: string
  category: string
  next: string[]
  title?: string
  /** choice: one graph per choice (in upstream's order); foreach: one graph (the loop body). */
  groups?: WorkflowNode[][]
  /** choice: the condition of each group, in the same order. */
  conditions?: string[]
  /** choice: the group indexes in the descriptor's (YAML) order, for drawing branches as written. */
  yamlOrder?: number[]
  /** switch: its switches in YAML order (condition → next task; `break` stops at the first match). */
  switches?: { condition: string; next: string | null; break: boolean }[]
}

export interface DescriptorProblem {
  message: string
  line?: number
  field?: string
}

export interface ValidationResult {
  ok: boolean
  problem?: DescriptorProblem
  /**
   * What a valid descriptor may still not run as written (a sub-flow task naming a workflow or alias
   * not stored yet): each naming its task, with the line and full field path (`tasks[0].resourceName`).
   * Saving is not refused for them. Absent when there are none.
   */
  warnings?: DescriptorProblem[]
  workspace?: string
  dagName?: string
  nodes?: WorkflowNode[]
  /** Form fields from the descriptor's inputSchema, when it has one. */
  inputSchema?: { name: string; type?: string; required?: boolean; desc?: string }[]
}

export interface WorkflowDetail {
  workspace: string
  name: string
  version: string
  descriptorId: string
  source: string
  aliases: Record<string, string>
  versions: { version: string; createdAt: number }[]
  nodes: WorkflowNode[]
  inputSchema?: ValidationResult['inputSchema']
}

/**
 * How far the groups of a choice/foreach task are: one group per foreach item (or choice branch).
 * Every group is counted once, in one of succeeded, failed, running, waiting, cancelled, skipped.
 */
export interface ItemProgress {
  total: number
  /** Ran to their end: succeeded + failed. */
  done: number
  succeeded: number
  failed: number
  running: number
  /** Not started yet: waiting for a free slot (synchronization.maxConcurrency). */
  waiting: number
  /** Stopped while running, or never run because the execution ended first (a cancel). */
  cancelled: number
  /** Not run by design: a choice branch whose condition did not match. */
  skipped: number
  /** Indexes of the groups that started (a choice's taken branches). */
  started: number[]
}

export interface ExecutionTask {
  name: string
  /** Its finished tries, oldest first (the invoke history), as TaskView.attempts. */
  attempts: TaskAttempt[]
  category: string
  /** The group (`foreachNode_0`) a sub-task belongs to, or null at the top level. */
  route: string | null
  status: TaskStatus
  /** The attempt the task is in, as TaskView.attempt (0 before it first runs). */
  attempt: number
  /** The try within that attempt, as TaskView.try. */
  try: number
  input: unknown
  output: unknown
  error: string | null
  startedAt: number | null
  finishedAt: number | null
  /** choice/foreach tasks once started: their groups' progress. */
  items?: ItemProgress
}

export interface ExecutionView {
  jobId: number
  executionId: string
  descriptorId: string
  status: JobStatus
  progress: number
  /** Why the run failed or was cancelled (the job's error line, as the Jobs page shows it); null otherwise. */
  error: string | null
  context: Record<string, unknown>
  tasks: ExecutionTask[]
}
