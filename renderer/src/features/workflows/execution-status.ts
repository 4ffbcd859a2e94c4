// Pure readings of an execution: a node's status, a group node's progress, a task's sub-tasks.
import { isTerminalTask, type TaskStatus } from '../../../../shared/status'
import type { ExecutionTask, ExecutionView } from '../../../../shared/workflows'

export interface GroupProgress {
  /** Groups (foreach iterations, or the taken choice branches) seen so far. */
  total: number
  /** Groups whose every sub-task is terminal. */
  done: number
  /** Groups with a failed or timed-out sub-task. */
  failed: number
  /** Group indexes that have started (a choice's taken branches). */
  started: number[]
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** Matches the route of a group of `node` (`each_0`) and of groups nested in it (`each_0-inner_1`). */
function groupRoute(node: string): RegExp {
  return new RegExp(`^${escapeRegExp(node)}_(\\d+)(?:-|$)`)
}

/** The sub-tasks of a choice/foreach node at the top level, or of any task name with groups. */
export function subTasksOf(tasks: readonly ExecutionTask[], node: string): ExecutionTask[] {
  const route = groupRoute(node)
  return tasks.filter((t) => t.route !== null && route.test(t.route))
}

/** Group index → its sub-tasks, in index order. */
export function groupsOf(tasks: readonly ExecutionTask[], node: string): Map<number, ExecutionTask[]> {
  const route = groupRoute(node)
  const groups = new Map<number, ExecutionTask[]>()
  for (const t of tasks) {
    const m = t.route === null ? null : route.exec(t.route)
    if (!m) continue
    const index = Number(m[1])
    const list = groups.get(index)
    if (list) list.push(t)
    else groups.set(index, [t])
  }
  return new Map([...groups].sort((a, b) => a[0] - b[0]))
}

const isFailure = (s: TaskStatus): boolean => s === 'failed' || s === 'timed_out'

export function groupProgress(tasks: readonly ExecutionTask[], node: string): GroupProgress {
  const progress: GroupProgress = { total: 0, done: 0, failed: 0, started: [] }
  for (const [index, group] of groupsOf(tasks, node)) {
    progress.total++
    if (group.every((t) => isTerminalTask(t.status))) progress.done++
    if (group.some((t) => isFailure(t.status))) progress.failed++
    if (group.some((t) => t.status !== 'pending')) progress.started.push(index)
  }
  return progress
}

/** Top-level task name → the task, for colouring the drawn nodes. */
export function topLevelTasks(execution: ExecutionView | null): Map<string, ExecutionTask> {
  const byName = new Map<string, ExecutionTask>()
  for (const t of execution?.tasks ?? []) if (t.route === null) byName.set(t.name, t)
  return byName
}

export function findTask(execution: ExecutionView | null, name: string): ExecutionTask | undefined {
  return execution?.tasks.find((t) => t.name === name)
}

/** Log lines of a task (or, for a group node, of its sub-tasks) carry its name in `task`. */
export function logBelongsTo(logTask: string | null, task: string): boolean {
  if (logTask === null) return false
  return logTask === task || groupRoute(task).test(logTask)
}
