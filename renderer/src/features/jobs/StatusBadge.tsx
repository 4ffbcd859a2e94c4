import { STATUS_LABELS, isTerminalJob, type JobStatus } from '../../../../shared/status'
import { JOB_WARNING_LABEL, type JobSummary } from '../../../../shared/model'
import { NODE_STATUS_LABELS, itemsDone, type NodeStatus } from '../workflows/execution-status'
import { formatCount } from '../../../../shared/number-format'

/** A state's badge; `title`: its hover text (a waiting job's reason: waitingOf), none unless given. */
export function StatusBadge({ status, title }: { status: JobStatus | NodeStatus; title?: string }) {
  return (
    <span className={`badge badge-${status}`} data-status={status} title={title}>
      {status in NODE_STATUS_LABELS ? NODE_STATUS_LABELS[status as NodeStatus] : STATUS_LABELS[status as JobStatus]}
    </span>
  )
}

/**
 * Why a job waits, as the list and the detail show it (the badge's title, the detail's Waiting line):
 * a queued job's waitingReason, or a running one's whose work waits (a SQL task waiting for memory).
 * An event's summary keeps the last reason read (jobs store applyJob), so a job that moved on says none.
 */
export function waitingOf(job: Pick<JobSummary, 'status' | 'waitingReason'>): string | undefined {
  return job.status === 'queued' || job.status === 'running' ? (job.waitingReason ?? undefined) : undefined
}

/**
 * Beside a job's state: the warning it ended with (labels.warning, JOB_WARNING_LABEL), as an import
 * stored before imports of nothing failed ("nothing was imported"). Its first words are shown, the
 * whole in its title. Nothing for a job without one.
 */
export function JobWarning({ job }: { job: Pick<JobSummary, 'status' | 'labels'> }) {
  const warning = job.labels[JOB_WARNING_LABEL]
  if (!warning || job.status !== 'succeeded') return null
  return (
    <span className="badge badge-warning" data-testid="job-warning" title={warning}>
      ⚠ {warning.split(':')[0]}
    </span>
  )
}

/**
 * A job's progress. Work that reports none (a shell or Python script, a statement still running) stays
 * at 0 while it runs: then the bar is indeterminate (a sliding fill, no number) rather than a stuck 0%.
 * A job that ended without success shows how far it got; one that never reported any progress shows
 * a dash, not a 0% that reads as "did nothing" (a script job that ran: `oneTaskRan`, below).
 * `known`: the job does report it (a foreach counting its items, an import: reportsProgress), so 0
 * reads 0%, also once it ended: an import that failed before reading anything did 0% of its work, as
 * the Imports page says, not a full bar or a dash (#9 gesreport). `waiting`: why a
 * running job's work has not started (waitingOf: a SQL task waiting for memory, a suspense waiting for
 * its wakeup): at 0 it reads "waiting…", that reason its title, not a "working…" that says it works;
 * unless `known` or `items` give a figure to show. `items`: a running (or cancelling) Rill Flow job's
 * foreach items, done of all (JobSummary.foreachItems, or the detail's JobItems summed). The bar's figure
 * is always the run's own (get.json's `process`, top-level tasks by weight), so the Jobs list, the job
 * detail and the Workflows page read the same number (run-progress); the items' share is in the title
 * and aria text ("37% of the run; 30 of 40 items done (75%)"). At 0 the label says the items ("0/20,000
 * items"), not "0%" or "working…" (a list row keeps its items only then: jobs store applyJob). (#9 §5:
 * f231aa3a filled the detail's bar by the items' share, 75% there beside the list's 37%: two figures
 * for one run.)
 * `oneTaskRan` (oneTaskRan(job): a script job, whose one task started): ended without success and no
 * progress reported, its bar is full in the status's colour (newuser10: "—" beside a red bar read as
 * two kinds of end). A job that ended without success reads how it ended ("failed", "cancelled",
 * "timed out"), its fill how far it got (the figure in its title and aria-valuenow): a failed run's
 * "99%" read as nearly done (#9 warnfold).
 */
export function ProgressBar({ value, status, known = false, waiting, items, oneTaskRan = false }: { value: number; status: JobStatus; known?: boolean; waiting?: string; items?: { done: number; total: number }; oneTaskRan?: boolean }) {
  const pct = Math.round(Math.max(0, Math.min(1, value)) * 100)
  if (oneTaskRan && !known && isTerminalJob(status) && status !== 'succeeded' && pct === 0) {
    // its one task ran and ended: a full bar in the status's colour, as a failed workflow's bar of ended tasks, no "0%"
    return (
      <div className={`progress progress-${status} progress-ended`} role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuetext={`ended: ${STATUS_LABELS[status]}`} title={`Its one task ran and ended (${STATUS_LABELS[status]}); it reports no progress of its own`}>
        <div className="progress-fill" style={{ width: '100%' }} />
        <span className="progress-label">{STATUS_LABELS[status]}</span>
      </div>
    )
  }
  // a job counting its items (or reporting its progress) says that figure: its wait is the detail's Waiting fact (a foreach of suspenses)
  if (status === 'running' && pct === 0 && waiting && !known && !items) {
    return (
      <div className="progress progress-running progress-waiting" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuetext="waiting, not started" title={waiting}>
        <span className="progress-label">waiting…</span>
      </div>
    )
  }
  const running = status === 'running' || status === 'cancelling'
  const itemsText = running && items && items.total > 0 ? `${formatCount(items.done)} of ${formatCount(items.total)} items done (${Math.floor((Math.min(items.done, items.total) * 100) / items.total)}%)` : undefined
  if (itemsText && pct === 0) {
    return (
      <div className={`progress progress-${status}`} role="progressbar" aria-valuenow={0} aria-valuemin={0} aria-valuemax={100} aria-valuetext={itemsText} title={itemsText}>
        <div className="progress-fill" style={{ width: '0%' }} />
        <span className="progress-label">{itemsDone(items!)}</span>
      </div>
    )
  }
  if (isTerminalJob(status) && status !== 'succeeded' && pct === 0 && !known) {
    return (
      <div className={`progress progress-${status} progress-none`} role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuetext="ended, no progress reported" title="This job ended without reporting how far it got">
        <span className="progress-label">—</span>
      </div>
    )
  }
  if ((status === 'running' || status === 'cancelling') && pct === 0 && !known) {
    return (
      <div className={`progress progress-${status} progress-indeterminate`} role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuetext="working, progress not known" title="Working: this job does not report how far it is">
        <div className="progress-fill" />
        <span className="progress-label">working…</span>
      </div>
    )
  }
  if (isTerminalJob(status) && status !== 'succeeded') {
    const word = STATUS_LABELS[status]
    return (
      <div className={`progress progress-${status} progress-ended`} role="progressbar" aria-valuenow={pct} aria-valuemin={0} aria-valuemax={100} aria-valuetext={`${word} at ${pct}%`} title={`${word[0].toUpperCase()}${word.slice(1)}, ${pct}% of its work done`}>
        <div className="progress-fill" style={{ width: `${pct}%` }} />
        <span className="progress-label">{word}</span>
      </div>
    )
  }
  const ofRun = itemsText && `${pct}% of the run; ${itemsText}`
  return (
    <div className={`progress progress-${status}`} role="progressbar" aria-valuenow={pct} aria-valuemin={0} aria-valuemax={100} aria-valuetext={ofRun || undefined} title={ofRun || undefined}>
      <div className="progress-fill" style={{ width: `${pct}%` }} />
      <span className="progress-label">{pct}%</span>
    </div>
  )
}

/** Whether `job` is one task that started (a script job that ran): ProgressBar's `oneTaskRan`. */
export const oneTaskRan = (job: Pick<JobSummary, 'taskCount' | 'startedAt'>): boolean => job.taskCount === 1 && job.startedAt != null

/**
 * Whether `job`'s work reports its own progress, so a 0 it reports is 0% done (ProgressBar's `known`):
 * an import's is the bytes of its files read, 0 when it failed before reading any.
 */
export const reportsProgress = (job: Pick<JobSummary, 'kind'>): boolean => job.kind === 'import'
