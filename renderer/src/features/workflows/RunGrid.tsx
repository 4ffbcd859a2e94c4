import { useEffect, useState } from 'react'
import { STATUS_LABELS, isTerminalJob } from '../../../../shared/status'
import type { GridRun, GridTask } from '../../../../shared/workflow-manage'
import { onEvent } from '../../api/client'
import { useWorkflowManage } from '../../stores/workflow-manage'
import { useWorkflows } from '../../stores/workflows'
import { formatDuration, formatTime } from '../jobs/format'
import { NODE_STATUS_LABELS, taskStatusInRun, type NodeStatus } from './execution-status'
import { SafeText, visibleText } from '../shell/SafeText'
import { gridRows, visibleRows } from './grid-rows'

/** A cell's state: the task's status, "not run" for a task left pending by an ended run, "absent" when the run's version has no such task. */
function cellStatus(run: GridRun, task: GridTask | undefined): NodeStatus | 'absent' {
  if (!task) return isTerminalJob(run.status) ? 'absent' : 'pending'
  return taskStatusInRun(task.status, run.status)
}

const label = (s: NodeStatus | 'absent', nested = false) =>
  s === 'absent' ? (nested ? 'did not run in this run' : 'not in this version') : NODE_STATUS_LABELS[s]

/**
 * Airflow's grid view: one column per recent run (oldest left), one row per task (in the open
 * version's order, then tasks only older versions had); a cell's colour is the task's status in
 * that run, and a click shows that run's task in the graph. A choice's or foreach's row unfolds into
 * rows of the tasks inside it, as the graph nests them; such a cell sums up all the task's runs in
 * that run (a foreach's items) and opens the one that failed or runs, else the first.
 */
export function RunGrid() {
  const grid = useWorkflowManage((s) => s.grid)
  const gridOf = useWorkflowManage((s) => s.gridOf)
  const error = useWorkflowManage((s) => s.error)
  const loadGrid = useWorkflowManage((s) => s.loadGrid)
  const openRunTask = useWorkflowManage((s) => s.openRunTask)
  const detail = useWorkflows((s) => s.detail)
  const shown = useWorkflows((s) => (s.mode === 'run' ? s.execution?.jobId : undefined))
  /** Group rows unfolded, per workflow (another workflow starts folded). */
  const [open, setOpen] = useState<{ of: string; keys: Set<string> }>({ of: '', keys: new Set() })
  useEffect(() => {
    void loadGrid()
  }, [loadGrid, detail?.workspace, detail?.name])
  // runs of this workflow that start or end redraw the grid (a second apart at most)
  useEffect(() => {
    if (!detail) return
    let timer: ReturnType<typeof setTimeout> | null = null
    const off = onEvent((e) => {
      if (e.type !== 'job.changed' || e.data.job.name !== `${detail.workspace}:${detail.name}` || timer) return
      timer = setTimeout(() => {
        timer = null
        void loadGrid()
      }, 1000)
    })
    return () => {
      off()
      if (timer) clearTimeout(timer)
    }
  }, [detail, loadGrid])
  if (!detail) return <p className="wf-view-empty muted">Save the workflow to see its runs.</p>
  const of = `${detail.workspace}:${detail.name}`
  // the grid of the workflow shown before is not this one's, while this one's loads
  if (!grid || gridOf !== of) return <p className="wf-view-empty muted">{error ?? 'Loading runs…'}</p>
  if (grid.runs.length === 0) return <p className="wf-view-empty muted">No runs yet: submit the workflow to see its runs here.</p>
  const runs = [...grid.runs].reverse()
  const unfolded = open.of === of ? open.keys : new Set<string>()
  // rows some shown run has; a group row unfolds only when rows of its own are there
  const ran = gridRows(detail.nodes, grid.tasks).filter((r) => grid.tasks.includes(r.key))
  const all = ran.map((r) => ({ ...r, group: ran.some((c) => c.parent === r.key) }))
  const groups = all.filter((r) => r.group).map((r) => r.key)
  const rows = visibleRows(all, unfolded)
  const toggle = (key: string) => {
    const keys = new Set(unfolded)
    if (!keys.delete(key)) keys.add(key)
    setOpen({ of, keys })
  }
  return (
    <div className="wf-grid-wrap" data-testid="run-grid">
      <table className="wf-grid" aria-label="recent runs by task">
        <thead>
          <tr>
            <th scope="col" className="wf-grid-task">
              Task \ run
            </th>
            {runs.map((r) => (
              <th key={r.jobId} scope="col" className={r.jobId === shown ? 'shown' : undefined} title={`#${r.jobId} · ${STATUS_LABELS[r.status]} · version ${r.version.slice(0, 8)} · ${formatTime(r.createdAt)} · ${formatDuration(r.startedAt, r.finishedAt)}`}>
                <span className={`wf-grid-run status-${r.status}`} data-testid={`grid-run-${r.jobId}`}>
                  #{r.jobId}
                </span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => {
            const name = row.key
            const nested = row.parent !== null
            const unfoldedRow = unfolded.has(name)
            return (
              <tr key={name} data-testid={`grid-row-${name}`} className={nested ? 'wf-grid-nested' : undefined}>
                <th scope="row" className="wf-grid-task" title={visibleText(name)} style={{ paddingLeft: row.depth * 16 }}>
                  {row.group ? (
                    <button className="wf-grid-toggle" aria-expanded={unfoldedRow} aria-label={`${unfoldedRow ? 'fold' : 'unfold'} the tasks inside ${name}`} onClick={() => toggle(name)}>
                      {unfoldedRow ? '▾' : '▸'}
                    </button>
                  ) : (
                    <span className="wf-grid-toggle-space" aria-hidden="true" />
                  )}
                  <SafeText text={row.label} />
                </th>
                {runs.map((r) => {
                  const task = r.tasks.find((t) => t.name === name)
                  const status = cellStatus(r, task)
                  const count = task?.instances !== undefined && task.instances > 1 ? `, ${task.instances} runs` : ''
                  const text = `${name} in run #${r.jobId}: ${label(status, nested)}${count}${task?.startedAt ? `, ${formatDuration(task.startedAt, task.finishedAt)}` : ''}`
                  return (
                    <td key={r.jobId}>
                      <button
                        className={`wf-cell status-${status}`}
                        data-testid={`grid-cell-${r.jobId}-${name}`}
                        data-status={status}
                        title={text}
                        aria-label={text}
                        disabled={status === 'absent'}
                        onClick={() => void openRunTask(r.jobId, task?.open ?? name)}
                      />
                    </td>
                  )
                })}
              </tr>
            )
          })}
        </tbody>
      </table>
      <p className="muted wf-grid-legend">
        {(['succeeded', 'failed', 'running', 'queued', 'cancelled', 'not_run', 'pending'] as const).map((s) => (
          <span key={s}>
            <span className={`wf-cell status-${s}`} aria-hidden="true" /> {label(s)}
          </span>
        ))}
        <span>· Click a cell to open that run's task.</span>
        {groups.length > 0 && (
          <button className="link" onClick={() => setOpen({ of, keys: unfolded.size === groups.length ? new Set() : new Set(groups) })}>
            {unfolded.size === groups.length ? 'Fold all' : 'Unfold all'}
          </button>
        )}
      </p>
    </div>
  )
}
