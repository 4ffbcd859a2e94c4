// Pure readings of an execution: a node's status, a task's sub-tasks, whose log lines are whose.
// A group node's progress comes with the execution (ExecutionTask.items).
import type { ExecutionTask, ExecutionView } from '../../../../shared/workflows'

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
