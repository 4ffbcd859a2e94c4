import { STATUS_LABELS, type JobStatus, type TaskStatus } from '../../../../shared/status'

export function StatusBadge({ status }: { status: JobStatus | TaskStatus }) {
  return (
    <span className={`badge badge-${status}`} data-status={status}>
      {STATUS_LABELS[status]}
    </span>
  )
}

export function ProgressBar({ value, status }: { value: number; status: JobStatus }) {
  const pct = Math.round(Math.max(0, Math.min(1, value)) * 100)
  return (
    <div className={`progress progress-${status}`} role="progressbar" aria-valuenow={pct} aria-valuemin={0} aria-valuemax={100}>
      <div className="progress-fill" style={{ width: `${pct}%` }} />
      <span className="progress-label">{pct}%</span>
    </div>
  )
}
