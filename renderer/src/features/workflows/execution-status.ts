// Pure readings of an execution: a node's status, a task's sub-tasks, whose log lines are whose.
// A group node's progress comes with the execution (ExecutionTask.items).
import { isTerminalJob, isTerminalTask, STATUS_LABELS, type JobStatus, type TaskStatus } from '../../../../shared/status'
import type { ExecutionTask, ExecutionView, ItemProgress, WorkflowNode } from '../../../../shared/workflows'
import { formatCount } from '../../../../shared/number-format'

/** A drawn node's state in a run: a task status, or "not run" for one that never will (see nodeStatuses). */
export type NodeStatus = TaskStatus | 'not_run'

/** A node state as words: a task status's, and "not run". */
export const NODE_STATUS_LABELS: Record<NodeStatus, string> = { ...STATUS_LABELS, not_run: 'not run' }

/**
 * A task's state once its run is known: "not run" for a task still pending in a run that has ended
 * (it never will run), else its status. The one rule of the Jobs detail, the grid and the Gantt.
 */
export const taskStatusInRun = (status: TaskStatus, runStatus: JobStatus): NodeStatus => (status === 'pending' && isTerminalJob(runStatus) ? 'not_run' : status)

/**
 * The redo of an execution that ended `status` without succeeding, in words for what it does there
 * (Rill Flow's redo runs again the tasks that did not succeed, and what comes after them): of a failed
 * run it redoes the failed tasks; of a cancelled one it resumes the cancelled and not-run ones, which
 * "Redo failed" did not say. The one wording of the Workflows page's execution bar and the Jobs page.
 */
export function redoAction(status: JobStatus): { label: string; title: string } {
  return status === 'cancelled'
    ? { label: 'Resume', title: 'Run the cancelled and not-run tasks again, keeping what succeeded' }
    : { label: 'Redo failed', title: 'Run the failed tasks again, and everything after them, keeping what succeeded' }
}

/**
 * What a choice node of a shown run says of its branches: `took #1, #3` (`taken`: the taken branches'
 * 1-based places in the drawn order), or that it took none: "no branch taken yet" while it may still
 * take one (`status` pending, queued, running, cancelling or unknown), "no branch taken" once it
 * ended or never will (a finished run's choice said "yet").
 */
export function choiceOutcome(taken: readonly number[], status: NodeStatus | null): string {
  if (taken.length) return `took ${taken.map((k) => `#${k}`).join(', ')}`
  return status === 'not_run' || (status !== null && isTerminalTask(status)) ? 'no branch taken' : 'no branch taken yet'
}

/** Statuses after which the tasks that depend on a task never run. */
const STOPS: ReadonlySet<TaskStatus> = new Set(['failed', 'cancelled', 'timed_out'])

/**
 * Each top-level node's state in `execution`, as Airflow's "upstream_failed" and Dagster's "not
 * executed" show it: a task still waiting (pending, or never created) is "not run" once the
 * execution has ended, or while a task it depends on (directly or further up) has failed, been
 * cancelled or timed out — it cannot run then, and "pending" would promise that it will.
 */
export function nodeStatuses(nodes: readonly WorkflowNode[], execution: ExecutionView): Map<string, NodeStatus> {
  const byName = topLevelTasks(execution)
  const ended = isTerminalJob(execution.status)
  const parents = new Map<string, string[]>(nodes.map((n) => [n.name, []]))
  for (const n of nodes) for (const next of n.next) parents.get(next)?.push(n.name)
  const shown = new Map<string, NodeStatus>()
  const visit = (name: string, path: Set<string>): NodeStatus => {
    const known = shown.get(name)
    if (known) return known
    const status = byName.get(name)?.status ?? 'pending'
    let result: NodeStatus = status
    if (status === 'pending') {
      path.add(name) // a cycle (the server refuses those) must not loop here
      const blocked = (parents.get(name) ?? []).some((p) => {
        if (path.has(p)) return false
        const up = visit(p, path)
        return up === 'not_run' || STOPS.has(up as TaskStatus)
      })
      path.delete(name)
      if (ended || blocked) result = 'not_run'
    }
    shown.set(name, result)
    return result
  }
  for (const n of nodes) visit(n.name, new Set())
  return shown
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

/** A sub-task's name under its group `node`: `each_3-fetch` → `[3] fetch`, `each_0-inner_1-leaf` → `[0] inner [1] leaf`. */
export const subTaskLabel = (node: string, task: string): string =>
  task
    .slice(node.length + 1)
    .replace(/^(\d+)-/, '[$1] ')
    .replace(/_(\d+)-/g, ' [$1] ')

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

/**
 * A foreach's (or choice's, `unit` "branches") items done of all, digits grouped ("0/3,000 items"):
 * the one item line of the Workflows page's node, the Jobs list's bar and the job detail.
 */
export const itemsDone = (p: Pick<ItemProgress, 'done' | 'total'>, unit = 'items'): string => `${formatCount(p.done)}/${formatCount(p.total)} ${unit}`

/**
 * What became of the items not done yet (or of all, once ended), most telling first, digits grouped
 * ("3,000 running"): the Workflows page's node and the Jobs page's detail.
 */
export function itemNotes(p: ItemProgress): { text: string; tone?: 'bad' | 'warn' }[] {
  const notes: { text: string; tone?: 'bad' | 'warn' }[] = []
  if (p.failed) notes.push({ text: `${formatCount(p.failed)} failed`, tone: 'bad' })
  if (p.cancelled) notes.push({ text: `${formatCount(p.cancelled)} cancelled`, tone: 'warn' })
  if (p.skipped) notes.push({ text: `${formatCount(p.skipped)} skipped` })
  if (p.running) notes.push({ text: `${formatCount(p.running)} running` })
  if (p.waiting) notes.push({ text: `${formatCount(p.waiting)} waiting` })
  return notes
}
