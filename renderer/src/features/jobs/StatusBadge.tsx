import { STATUS_LABELS, type JobStatus } from '../../../../shared/status'
import { NODE_STATUS_LABELS, type NodeStatus } from '../workflows/execution-status'

export function StatusBadge({ status }: { status: JobStatus | NodeStatus }) {
  return (
    <span className={`badge badge-${status}`} data-status={status}>
      {status in NODE_STATUS_LABELS ? NODE_STATUS_LABELS[status as NodeStatus] : STATUS_LABELS[status as JobStatus]}
    </span>
  )
}

/**
 * A job's progress. Work that reports none (a shell or Python script, a statement still running) stays
 * at 0 while it runs: then the bar is indeterminate (a sliding fill, no number) rather than a stuck 0%.
 */
export function ProgressBar({ value, status }: { value: number; status: JobStatus }) {
  const pct = Math.round(Math.max(0, Math.min(1, value)) * 100)
  if ((status === 'running' || status === 'cancelling') && pct === 0) {
    return (
      <div className={`progress progress-${status} progress-indeterminate`} role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuetext="working, progress not known" title="Working: this job does not report how far it is">
        <div className="progress-fill" />
        <span className="progress-label">working…</span>
      </div>
    )
  }
  return (
    <div className={`progress progress-${status}`} role="progressbar" aria-valuenow={pct} aria-valuemin={0} aria-valuemax={100}>
      <div className="progress-fill" style={{ width: `${pct}%` }} />
      <span className="progress-label">{pct}%</span>
    </div>
  )
}
