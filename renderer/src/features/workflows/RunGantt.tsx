import { isTerminalTask } from '../../../../shared/status'
import { useWorkflows } from '../../stores/workflows'
import { formatDuration, formatTime } from '../jobs/format'
import { useNow } from '../jobs/use-now'
import { nodeStatuses, topLevelTasks } from './execution-status'

/** Axis ticks: a round step giving about five ticks over `span` ms. */
function tickStep(span: number): number {
  const steps = [100, 250, 500, 1000, 2000, 5000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000, 900_000, 1_800_000, 3_600_000]
  return steps.find((s) => span / s <= 6) ?? 7_200_000
}

const tickLabel = (ms: number) => (ms < 1000 ? `${ms} ms` : ms < 60_000 ? `${ms / 1000} s` : ms < 3_600_000 ? `${ms / 60_000} min` : `${ms / 3_600_000} h`)

/**
 * The Gantt timeline of the shown run (Airflow's and Dagster's): one bar per top-level task from
 * its start to its end (now, while it runs), coloured by status, with its duration; tasks that
 * never started are listed without a bar. Ordered by start time.
 */
export function RunGantt() {
  const execution = useWorkflows((s) => (s.mode === 'run' ? s.execution : null))
  const nodes = useWorkflows((s) => s.executionNodes)
  const selectTask = useWorkflows((s) => s.selectTask)
  const setMode = useWorkflows((s) => s.setMode)
  const live = execution?.tasks.some((t) => t.route === null && t.startedAt != null && !isTerminalTask(t.status)) ?? false
  const now = useNow(live)
  if (!execution) return <p className="wf-view-empty muted">Open a run (Recent runs, the grid, or Submit) to see its timeline.</p>
  const byName = topLevelTasks(execution)
  const statuses = nodeStatuses(nodes, execution)
  const rows = nodes
    .map((n) => ({ name: n.name, task: byName.get(n.name), status: statuses.get(n.name) ?? 'pending' }))
    .sort((a, b) => (a.task?.startedAt ?? Infinity) - (b.task?.startedAt ?? Infinity))
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
            <span key={t} className="wf-gantt-tick" style={{ left: pct(t0 + t) }}>
              {tickLabel(t)}
            </span>
          ))}
        </div>
        <span className="wf-gantt-duration muted">took</span>
      </div>
      {rows.map(({ name, task, status }) => {
        const start = task?.startedAt ?? null
        const end = task?.finishedAt ?? null
        const duration = start != null ? formatDuration(start, end, now) : status === 'not_run' ? 'not run' : 'not started'
        return (
          <div key={name} className="wf-gantt-row" data-testid={`gantt-row-${name}`}>
            <button
              className="link wf-gantt-name"
              title={`Show ${name}'s detail`}
              onClick={() => {
                setMode('run')
                void selectTask(name)
              }}
            >
              {name}
            </button>
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
