import { useCallback, useEffect, useState } from 'react'
import { isTerminalTask } from '../../../../shared/status'
import type { ExecutionTask } from '../../../../shared/workflows'
import { useWorkflows } from '../../stores/workflows'
import { formatDuration, formatTime } from '../jobs/format'
import { useNow } from '../jobs/use-now'
import { SafeText, visibleText } from '../shell/SafeText'
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

const tickLabel = (ms: number) => (ms < 1000 ? `${ms} ms` : ms < 60_000 ? `${ms / 1000} s` : ms < 3_600_000 ? `${ms / 60_000} min` : `${ms / 3_600_000} h`)

/** Round tick steps, in ms (a run of quick tasks spans a few ms, a long one hours); the 25s let a narrow track label a second tick. */
const TICK_STEPS = [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000, 900_000, 1_800_000, 3_600_000, 7_200_000]
/** Room kept between two axis labels, in px. */
const TICK_GAP = 6

/** An axis label placed on the track: its offset from the run's start in ms, and its left edge in px. */
interface PlacedTick {
  t: number
  left: number
}

/**
 * The axis step and labels for `span` ms drawn over `width` px: at the finest round step (at most about six ticks) whose
 * labels fit, each kept inside the track (so none runs over the "took" header), touching its time (centred on it
 * where there is room, else shifted until its edge is at it) and at least TICK_GAP px from the one before; the
 * last ones are left out where only they do not fit (their grid lines still show). `measure` gives a label's width
 * in px. Only the start's label when not even two fit.
 */
function placeTicks(span: number, width: number, measure: (label: string) => number): { step: number; labels: PlacedTick[] } {
  /** The labels at `step` that fit from the start on, up to the first that does not. */
  const place = (step: number): PlacedTick[] => {
    const placed: PlacedTick[] = []
    let free = 0 // where the next label may start
    for (let t = 0; t <= span; t += step) {
      const [at, w] = [(t / span) * width, measure(tickLabel(t))]
      const [lo, hi] = [Math.max(free, at - w), Math.min(at, width - w)]
      if (lo > hi) break
      const left = Math.min(Math.max(at - w / 2, lo), hi)
      placed.push({ t, left })
      free = left + w + TICK_GAP
    }
    return placed
  }
  let best: { step: number; labels: PlacedTick[] } | null = null
  for (const step of TICK_STEPS) {
    if (span / step > 6) continue
    if (span < step) break // one tick: the start's
    const labels = place(step)
    if (labels.length === Math.floor(span / step) + 1) return { step, labels } // all fit
    if (labels.length >= 2 && !best) best = { step, labels } // the finest step with two or more that fit
  }
  return best ?? { step: gridStep(span), labels: [{ t: 0, left: 0 }] }
}

/** A round step giving about five ticks over `span` ms: the grid's where no two labels fit. */
function gridStep(span: number): number {
  return TICK_STEPS.find((s) => span / s <= 6) ?? TICK_STEPS[TICK_STEPS.length - 1]
}

/**
 * The width in px of an element (0 until it is laid out), kept as it resizes, and a measure of a text's width in px
 * in the element's font. Pass `ref` as the element's ref.
 */
function useTrackWidth(): { ref: (el: HTMLElement | null) => void; width: number; measure: (text: string) => number } {
  const [el, ref] = useState<HTMLElement | null>(null)
  const [width, setWidth] = useState(0)
  useEffect(() => {
    if (!el) return
    setWidth(el.clientWidth)
    const observer = new ResizeObserver(() => setWidth(el.clientWidth))
    observer.observe(el)
    return () => observer.disconnect()
  }, [el])
  const measure = useCallback(
    (text: string) => {
      const ctx = el ? measureContext() : null
      if (!el || !ctx) return text.length * 7
      ctx.font = getComputedStyle(el).font
      return Math.ceil(ctx.measureText(text).width)
    },
    [el],
  )
  return { ref, width, measure }
}

let canvasContext: CanvasRenderingContext2D | null | undefined
/** A 2D context to measure text with (null where the browser has none). */
function measureContext(): CanvasRenderingContext2D | null {
  if (canvasContext === undefined) canvasContext = document.createElement('canvas').getContext('2d')
  return canvasContext
}

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
  const track = useTrackWidth()
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
  // grid lines at the labels' step, whether or not the last ones have room for a label
  const { step, labels } = placeTicks(span, track.width, track.measure)
  const ticks = Array.from({ length: Math.floor(span / step) + 1 }, (_, i) => i * step)
  const pct = (t: number) => `${((t - t0) / span) * 100}%`
  return (
    <div className="wf-gantt" data-testid="run-gantt" aria-label={`timeline of run #${execution.jobId}`}>
      <div className="wf-gantt-row wf-gantt-axis" aria-hidden="true">
        <span className="wf-gantt-name muted">started {formatTime(t0)}</span>
        <div className="wf-gantt-track" ref={track.ref}>
          {labels.map(({ t, left }) => (
            <span key={t} className="wf-gantt-tick" style={{ left }}>
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
                title={`Show ${visibleText(name)}'s detail`}
                onClick={() => {
                  setMode('run')
                  void selectTask(name)
                }}
              >
                <SafeText text={label} />
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
