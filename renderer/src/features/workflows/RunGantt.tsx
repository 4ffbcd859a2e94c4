import { useState } from 'react'
import { isTerminalTask } from '../../../../shared/status'
import type { ExecutionTask } from '../../../../shared/workflows'
import { useWorkflows } from '../../stores/workflows'
import { formatDuration, formatTime } from '../jobs/format'
import { useNow } from '../jobs/use-now'
import { nodeStatuses, subTaskLabel, subTasksOf, taskStatusInRun, topLevelTasks, type NodeStatus } from './execution-status'

/** Sub-task rows a group shows unfolded at most; the task's panel lists them all. */
const MAX_SUB_ROWS = 100

/** One row of the timeline: a top-level task, or a sub-task under its unfolded group. */
interface GanttRow {
  key: string
  label: string
  task: ExecutionTask | undefined
  status: NodeStatus
  depth: number
  /** Sub-tasks under it (a choice or foreach that started), for its fold button. */
  subTasks: number
}

/** Axis ticks: a round step giving about five ticks over `span` ms (a run of quick tasks spans a few ms). */
function tickStep(span: number): number {
  const steps = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000, 900_000, 1_800_000, 3_600_000]
  return steps.find((s) => span / s <= 6) ?? 7_200_000
}

const tickLabel = (ms: number) => (ms < 1000 ? `${ms} ms` : ms < 60_000 ? `${ms / 1000} s` : ms < 3_600_000 ? `${ms / 60_000} min` : `${ms / 3_600_000} h`)

/**
 * The Gantt timeline of the shown run (Airflow's and Dagster's): one bar per top-level task from
 * its start to its end (now, while it runs), coloured by status, with its duration; tasks that
 * never started are listed without a bar. Ordered by start time. A choice's or foreach's row
 * unfolds into the bars of the tasks inside it (a foreach's items), grouped and indented under it.
 */
export function RunGantt() {
  const execution = useWorkflows((s) => (s.mode === 'run' ? s.execution : null))
  const nodes = useWorkflows((s) => s.executionNodes)
  const selectTask = useWorkflows((s) => s.selectTask)
  const setMode = useWorkflows((s) => s.setMode)
  const live = execution?.tasks.some((t) => t.route === null && t.startedAt != null && !isTerminalTask(t.status)) ?? false
  const now = useNow(live)
  /** Unfolded group rows, per run. */
  const [open, setOpen] = useState<{ run: number; keys: Set<string> }>({ run: 0, keys: new Set() })
  if (!execution) return <p className="wf-view-empty muted">Open a run (Recent runs, the grid, or Submit) to see its timeline.</p>
  const byName = topLevelTasks(execution)
  const statuses = nodeStatuses(nodes, execution)
  const unfolded = open.run === execution.jobId ? open.keys : new Set<string>()
  const toggle = (key: string) => {
    const keys = new Set(unfolded)
    if (!keys.delete(key)) keys.add(key)
    setOpen({ run: execution.jobId, keys })
  }
  const byStart = (a: { task?: ExecutionTask }, b: { task?: ExecutionTask }) => (a.task?.startedAt ?? Infinity) - (b.task?.startedAt ?? Infinity)
  const rows: GanttRow[] = []
  const more = new Map<string, number>() // group → sub-tasks not drawn
  for (const n of nodes.map((n) => ({ name: n.name, task: byName.get(n.name) })).sort(byStart)) {
    const subs = subTasksOf(execution.tasks, n.name)
    rows.push({ key: n.name, label: n.name, task: n.task, status: statuses.get(n.name) ?? 'pending', depth: 0, subTasks: subs.length })
    if (!unfolded.has(n.name)) continue
    // grouped by item (a foreach's) or branch (a choice's): the groups in the order they started, each group's tasks by start
    const groupStart = new Map<string, number>()
    for (const t of subs) if (t.route !== null) groupStart.set(t.route, Math.min(groupStart.get(t.route) ?? Infinity, t.startedAt ?? Infinity))
    const start = (t: ExecutionTask) => groupStart.get(t.route ?? '') ?? Infinity
    const drawn = [...subs]
      .sort((a, b) => start(a) - start(b) || (a.route ?? '').localeCompare(b.route ?? '', undefined, { numeric: true }) || (a.startedAt ?? Infinity) - (b.startedAt ?? Infinity))
      .slice(0, MAX_SUB_ROWS)
    for (const task of drawn) {
      const status = taskStatusInRun(task.status, execution.status)
      rows.push({ key: task.name, label: subTaskLabel(n.name, task.name), task, status, depth: (task.route ?? '').split('-').length, subTasks: 0 })
    }
    if (subs.length > drawn.length) more.set(n.name, subs.length - drawn.length)
  }
  const started = rows.flatMap((r) => (r.task?.startedAt != null ? [r.task.startedAt] : []))
  const t0 = started.length ? Math.min(...started) : now
  const t1 = Math.max(t0 + 1, ...rows.map((r) => (r.task?.startedAt != null ? (r.task.finishedAt ?? now) : t0)))
  const span = t1 - t0
  const step = tickStep(span)
  const ticks = Array.from({ length: Math.floor(span / step) + 1 }, (_, i) => i * step)
  const pct = (t: number) => `${((t - t0) / span) * 100}%`
  return (
    <div className="wf-gantt" data-testid="run-gantt" aria-label={`timeline of run #${execution.jobId}`}>
      <div className="wf-gantt-row wf-gantt-axis" aria-hidden="true">
        <span className="wf-gantt-name muted">started {formatTime(t0)}</span>
        <div className="wf-gantt-track">
          {ticks.map((t) => (
            // the last ticks end at their place: centred, the end's label ran into the "took" column
            <span key={t} className={t > span * 0.9 ? 'wf-gantt-tick end' : 'wf-gantt-tick'} style={{ left: pct(t0 + t) }}>
              {tickLabel(t)}
            </span>
          ))}
        </div>
        <span className="wf-gantt-duration muted">took</span>
      </div>
      {rows.map(({ key: name, label, task, status, depth, subTasks }) => {
        const start = task?.startedAt ?? null
        const end = task?.finishedAt ?? null
        const duration = start != null ? formatDuration(start, end, now) : status === 'not_run' ? 'not run' : 'not started'
        const unfoldedRow = unfolded.has(name)
        const hidden = more.get(name)
        return (
          <div key={name} className={depth > 0 ? 'wf-gantt-row wf-gantt-sub' : 'wf-gantt-row'} data-testid={`gantt-row-${name}`}>
            <span className="wf-gantt-name" style={{ paddingLeft: depth * 14 }}>
              {subTasks > 0 ? (
                <button className="wf-grid-toggle" aria-expanded={unfoldedRow} aria-label={`${unfoldedRow ? 'fold' : 'unfold'} the ${subTasks} tasks inside ${name}`} onClick={() => toggle(name)}>
                  {unfoldedRow ? '▾' : '▸'}
                </button>
              ) : (
                depth === 0 && <span className="wf-grid-toggle-space" aria-hidden="true" />
              )}
              <button
                className="link"
                title={`Show ${name}'s detail`}
                onClick={() => {
                  setMode('run')
                  void selectTask(name)
                }}
              >
                {label}
              </button>
              {unfoldedRow && hidden !== undefined && <span className="muted"> (first {MAX_SUB_ROWS}; {hidden} more in its detail)</span>}
            </span>
            <div className="wf-gantt-track">
              {ticks.map((t) => (
                <span key={t} className="wf-gantt-grid" style={{ left: pct(t0 + t) }} />
              ))}
              {start != null && (
                <span
                  className={`wf-gantt-bar status-${status}`}
                  data-testid={`gantt-bar-${name}`}
                  data-status={status}
                  style={{ left: pct(start), width: `max(3px, calc(${pct(end ?? now)} - ${pct(start)}))` }}
                  title={`${name}: ${formatTime(start)} → ${end ? formatTime(end) : 'running'} (${duration})`}
                />
              )}
            </div>
            <span className="wf-gantt-duration" data-testid={`gantt-duration-${name}`}>
              {duration}
            </span>
          </div>
        )
      })}
    </div>
  )
}
