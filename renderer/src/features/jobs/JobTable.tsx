import { JOB_KINDS, type JobKind } from '../../../../shared/model'
import { isTerminalJob, JOB_STATUSES, type JobStatus } from '../../../../shared/status'
import { PAGE_SIZE, useJobs } from '../../stores/jobs'
import { formatDuration, formatTime } from './format'
import { ProgressBar, StatusBadge } from './StatusBadge'
import { useNow } from './use-now'

export function JobFilters() {
  const filter = useJobs((s) => s.filter)
  const setFilter = useJobs((s) => s.setFilter)
  return (
    <div className="filters">
      <input
        type="search"
        placeholder="Search name, id or uuid"
        aria-label="search jobs"
        defaultValue={filter.text ?? ''}
        onChange={(e) => setFilter({ text: e.target.value || undefined })}
      />
      <select aria-label="status filter" value={filter.status ?? ''} onChange={(e) => setFilter({ status: (e.target.value || undefined) as JobStatus | undefined })}>
        <option value="">any status</option>
        {JOB_STATUSES.map((s) => (
          <option key={s} value={s}>
            {s}
          </option>
        ))}
      </select>
      <select aria-label="type filter" value={filter.type ?? ''} onChange={(e) => setFilter({ type: (e.target.value || undefined) as JobKind | undefined })}>
        <option value="">any type</option>
        {JOB_KINDS.map((k) => (
          <option key={k} value={k}>
            {k}
          </option>
        ))}
      </select>
    </div>
  )
}

export function JobTable() {
  const items = useJobs((s) => s.items)
  const total = useJobs((s) => s.total)
  const offset = useJobs((s) => s.filter.offset ?? 0)
  const selectedId = useJobs((s) => s.selectedId)
  const select = useJobs((s) => s.select)
  const setFilter = useJobs((s) => s.setFilter)
  const stale = useJobs((s) => s.stale)
  const refresh = useJobs((s) => s.refresh)
  // Running jobs' durations count up while they run.
  const now = useNow(items.some((j) => j.startedAt != null && !isTerminalJob(j.status)))
  return (
    <div className="table-wrap">
      <table className="jobs">
        <thead>
          <tr>
            <th>ID</th>
            <th>Name</th>
            <th>Type</th>
            <th>Status</th>
            <th>Progress</th>
            <th>Submitted</th>
            <th>Duration</th>
          </tr>
        </thead>
        <tbody>
          {items.map((job) => (
            <tr key={job.id} data-job-id={job.id} className={job.id === selectedId ? 'selected' : ''} onClick={() => void select(job.id)}>
              <td className="num">{job.id}</td>
              <td className="name" title={job.name}>
                {job.name}
              </td>
              <td>{job.kind}</td>
              <td>
                <StatusBadge status={job.status} />
              </td>
              <td>
                <ProgressBar value={job.progress} status={job.status} />
              </td>
              <td>{formatTime(job.createdAt)}</td>
              <td className="duration">{formatDuration(job.startedAt, job.finishedAt, now)}</td>
            </tr>
          ))}
          {items.length === 0 && (
            <tr>
              <td colSpan={7} className="empty">
                No jobs yet. Submit one with “New shell job”, or through the API.
              </td>
            </tr>
          )}
        </tbody>
      </table>
      <div className="pager">
        {stale && (
          <button className="link" onClick={() => void refresh()} title="Jobs were added or left this filter since this page was listed">
            List changed · Refresh
          </button>
        )}
        <span data-testid="jobs-range">
          {total === 0 ? 0 : offset + 1}–{Math.min(offset + items.length, total)} of {total}
        </span>
        <button disabled={offset === 0} onClick={() => setFilter({ offset: Math.max(0, offset - PAGE_SIZE) })}>
          ‹ Newer
        </button>
        <button disabled={offset + PAGE_SIZE >= total} onClick={() => setFilter({ offset: offset + PAGE_SIZE })}>
          Older ›
        </button>
      </div>
    </div>
  )
}
