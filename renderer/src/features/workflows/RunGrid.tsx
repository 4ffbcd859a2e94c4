import { useEffect } from 'react'
import { STATUS_LABELS, isTerminalJob } from '../../../../shared/status'
import type { GridRun, GridTask } from '../../../../shared/workflow-manage'
import { onEvent } from '../../api/client'
import { useWorkflowManage } from '../../stores/workflow-manage'
import { useWorkflows } from '../../stores/workflows'
import { formatDuration, formatTime } from '../jobs/format'
import type { NodeStatus } from './execution-status'

/** A cell's state: the task's status, "not run" for a task left pending by an ended run, "absent" when the run's version has no such task. */
function cellStatus(run: GridRun, task: GridTask | undefined): NodeStatus | 'absent' {
  if (!task) return isTerminalJob(run.status) ? 'absent' : 'pending'
  return task.status === 'pending' && isTerminalJob(run.status) ? 'not_run' : task.status
}

const label = (s: NodeStatus | 'absent') => (s === 'not_run' ? 'not run' : s === 'absent' ? 'not in this version' : STATUS_LABELS[s])

/**
 * Airflow's grid view: one column per recent run (oldest left), one row per task (in the open
 * version's order, then tasks only older versions had); a cell's colour is the task's status in
 * that run, and a click shows that run's task in the graph.
 */
export function RunGrid() {
  const grid = useWorkflowManage((s) => s.grid)
  const error = useWorkflowManage((s) => s.error)
  const loadGrid = useWorkflowManage((s) => s.loadGrid)
  const openRunTask = useWorkflowManage((s) => s.openRunTask)
  const detail = useWorkflows((s) => s.detail)
  const shown = useWorkflows((s) => (s.mode === 'run' ? s.execution?.jobId : undefined))
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
  if (!grid) return <p className="wf-view-empty muted">{error ?? 'Loading runs…'}</p>
  if (grid.runs.length === 0) return <p className="wf-view-empty muted">No runs yet: submit the workflow to see its runs here.</p>
  const runs = [...grid.runs].reverse()
  const rows = [...detail.nodes.map((n) => n.name).filter((n) => grid.tasks.includes(n)), ...grid.tasks.filter((n) => !detail.nodes.some((d) => d.name === n))]
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
          {rows.map((name) => (
            <tr key={name}>
              <th scope="row" className="wf-grid-task">
                {name}
              </th>
              {runs.map((r) => {
                const task = r.tasks.find((t) => t.name === name)
                const status = cellStatus(r, task)
                const text = `${name} in run #${r.jobId}: ${label(status)}${task?.startedAt ? `, ${formatDuration(task.startedAt, task.finishedAt)}` : ''}`
                return (
                  <td key={r.jobId}>
                    <button
                      className={`wf-cell status-${status}`}
                      data-testid={`grid-cell-${r.jobId}-${name}`}
                      data-status={status}
                      title={text}
                      aria-label={text}
                      disabled={status === 'absent'}
                      onClick={() => void openRunTask(r.jobId, name)}
                    />
                  </td>
                )
              })}
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted wf-grid-legend">
        {(['succeeded', 'failed', 'running', 'queued', 'cancelled', 'not_run', 'pending'] as const).map((s) => (
          <span key={s}>
            <span className={`wf-cell status-${s}`} aria-hidden="true" /> {label(s)}
          </span>
        ))}
        <span>· Click a cell to open that run's task.</span>
      </p>
    </div>
  )
}
