// The grid's cells of one run (shared/workflow-manage.ts): top-level tasks as they are, and the tasks
// inside choices and foreaches summed up per row, so a foreach of 100,000 items is one row.
import { GRID_PATH_SEPARATOR, GRID_STATUS_ORDER, type GridTask } from '../../shared/workflow-manage'
import type { TaskStatus } from '../../shared/status'
import type { TaskRecord } from '../store/job.repository'
import { parseRoute } from '../workflows/rillflow/runtime/names'
import { specOf } from '../workflows/rillflow/runtime/task-specs'

/** Which run of a nested row a click opens: a failed one first, then a running one, else the first. */
const OPEN_FIRST: readonly TaskStatus[] = ['failed', 'timed_out', 'running', 'cancelling']

/** A nested row's cell: the runs of one task inside a group (a foreach's items, a choice's branch). */
function summarise(name: string, runs: readonly TaskRecord[]): GridTask {
  let startedAt: number | null = null
  let finishedAt: number | null = null
  let unfinished = false
  let attempt = 0
  for (const r of runs) {
    attempt = Math.max(attempt, r.attempt)
    if (r.startedAt === null) continue
    startedAt = startedAt === null ? r.startedAt : Math.min(startedAt, r.startedAt)
    if (r.finishedAt === null) unfinished = true
    else finishedAt = Math.max(finishedAt ?? r.finishedAt, r.finishedAt)
  }
  const present = new Set(runs.map((r) => r.status))
  const open = OPEN_FIRST.map((s) => runs.find((r) => r.status === s)).find((r) => r !== undefined) ?? runs[0]
  return {
    name,
    parent: name.slice(0, name.lastIndexOf(GRID_PATH_SEPARATOR)),
    status: GRID_STATUS_ORDER.find((s) => present.has(s)) ?? runs[0].status,
    attempt,
    startedAt,
    finishedAt: unfinished ? null : finishedAt,
    instances: runs.length,
    open: open.name,
  }
}

/**
 * One GridTask per row of a run's tasks: top-level rows first, in stored order, then nested rows in
 * the order first met. A nested task's row is its group task's row and its own name
 * (`each_3-inner_0-leaf` → `each/inner/leaf`); a task whose group task is missing has no row.
 */
export function gridTasks(tasks: readonly TaskRecord[]): GridTask[] {
  const byName = new Map(tasks.map((t) => [t.name, t]))
  const rows = new Map<string, string | null>() // task name → its row; null: none
  const rowOf = (t: TaskRecord, depth = 0): string | null => {
    const known = rows.get(t.name)
    if (known !== undefined) return known
    const route = specOf(t).route
    let row: string | null = t.name
    if (route !== null) {
      const group = byName.get(parseRoute(route).parent)
      const groupRow = group && depth < 64 ? rowOf(group, depth + 1) : null // routes nest as deep as descriptors do
      row = groupRow === null ? null : `${groupRow}${GRID_PATH_SEPARATOR}${t.name.slice(route.length + 1)}`
    }
    rows.set(t.name, row)
    return row
  }
  const top: GridTask[] = []
  const nested = new Map<string, TaskRecord[]>()
  for (const t of tasks) {
    const row = rowOf(t)
    if (row === null) continue
    if (specOf(t).route === null) top.push({ name: row, status: t.status, attempt: t.attempt, startedAt: t.startedAt, finishedAt: t.finishedAt })
    else if (nested.has(row)) nested.get(row)!.push(t)
    else nested.set(row, [t])
  }
  return [...top, ...[...nested].map(([row, runs]) => summarise(row, runs))]
}
