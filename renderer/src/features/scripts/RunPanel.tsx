import { isTerminalJob, STATUS_LABELS, type JobStatus } from '../../../../shared/status'
import { useScripts } from '../../stores/scripts'
import { formatDuration } from '../jobs/format'
import { LogTail } from '../jobs/LogTail'
import { oneTaskRan, ProgressBar, StatusBadge } from '../jobs/StatusBadge'
import { useNow } from '../jobs/use-now'
import { resultName } from './result-rows'
import { ResultSetView } from './ResultSetView'
import { RUN_SHORTCUT } from './ScriptToolbar'
import { LANGUAGE_LABELS } from './languages'
import { formatCount } from '../../../../shared/number-format'

/** Status, progress, the job on the Jobs page, duration and Kill. */
function RunStatusBar({ onOpenJob }: { onOpenJob: (jobId: number) => void }) {
  const jobId = useScripts((s) => s.jobId)
  const job = useScripts((s) => s.job)
  const deleted = useScripts((s) => s.jobDeleted)
  const kill = useScripts((s) => s.kill)
  // the language the shown run ran in: its result must not read as the current script's when another language is chosen
  const ranIn = useScripts((s) => s.history.find((h) => h.jobId === s.jobId)?.language ?? (s.jobCode?.jobId === s.jobId ? s.jobCode.language : undefined))
  const language = useScripts((s) => s.language)
  const active = job !== null && !isTerminalJob(job.status)
  const now = useNow(active)
  if (jobId == null) return null
  return (
    <div className="sc-status-bar" aria-label="run status">
      {ranIn && (
        <span className={ranIn === language ? 'sc-run-of' : 'sc-run-of sc-run-of-other'} data-testid="run-language" title={ranIn === language ? undefined : `What is shown is the last ${LANGUAGE_LABELS[ranIn]} run, not a run of this ${LANGUAGE_LABELS[language]} script`}>
          {ranIn === language ? `${LANGUAGE_LABELS[ranIn]} run` : `${LANGUAGE_LABELS[ranIn]} run, not this ${LANGUAGE_LABELS[language]} script`}
        </span>
      )}
      {job ? (
        <>
          <span data-testid="run-status" data-status={job.status}>
            <StatusBadge status={job.status} />
          </span>
          <ProgressBar value={job.progress} status={job.status} oneTaskRan={oneTaskRan(job)} />
        </>
      ) : deleted ? (
        <span data-testid="run-status" data-status="deleted">
          <DeletedBadge />
        </span>
      ) : (
        <span className="muted">Loading…</span>
      )}
      {!deleted && (
        <button className="link sc-job-link" data-testid="run-job" aria-label={`open job ${jobId} on the Jobs page`} title="Open this job on the Jobs page" onClick={() => onOpenJob(jobId)}>
          Job #{jobId} ↗
        </button>
      )}
      {job && <span className="muted sc-duration">{formatDuration(job.startedAt, job.finishedAt, now)}</span>}
      <span className="sc-spacer" />
      <button className="sc-kill" disabled={!active || job?.status === 'cancelling'} onClick={() => void kill()} title="Stop the script (jobs.cancel)">
        ■ Kill
      </button>
    </div>
  )
}

/** A run whose job was deleted: nothing of it can be shown (scripts store: jobDeleted, a history entry's deleted). */
export function DeletedBadge() {
  return (
    <span className="badge badge-deleted" data-status="deleted" title="The job was deleted (on the Jobs page or by the API): its status, log and results are gone">
      deleted
    </span>
  )
}

const plural = (n: number, unit: string) => `${formatCount(n)} ${n === 1 ? unit : `${unit}s`}`

/** The job's error, big; when it names a line of a script still in the editor, a link to that line. */
function JobErrorBox({ error, status }: { error: string; status: JobStatus }) {
  const entry = useScripts((s) => s.history.find((h) => h.jobId === s.jobId))
  const unchanged = useScripts((s) => entry !== undefined && s.drafts[entry.language] === entry.code)
  const goToLine = useScripts((s) => s.goToLine)
  const line = Number(/\(line (\d+)\)/.exec(error)?.[1] ?? NaN)
  return (
    <div className={`sc-job-error sc-job-error-${status}`} role="alert" data-testid="run-error">
      <strong>{STATUS_LABELS[status].replace(/^./, (c) => c.toUpperCase())}:</strong> <span>{error}</span>
      {entry && unchanged && line > 0 && (
        <button className="link sc-goto-line" onClick={() => goToLine(entry.language, line)}>
          Go to line {line}
        </button>
      )}
    </div>
  )
}

function ResultTabs() {
  const results = useScripts((s) => s.results)
  const view = useScripts((s) => s.view)
  const showView = useScripts((s) => s.showView)
  const tab = (key: string, selected: boolean, onClick: () => void, label: string) => (
    <button key={key} role="tab" aria-selected={selected} className={selected ? 'sc-tab active' : 'sc-tab'} onClick={onClick} data-testid={`tab-${key}`}>
      {label}
    </button>
  )
  return (
    <div className="sc-tabs" role="tablist" aria-label="run output">
      {results.map((r, i) =>
        tab(`result-${r.index}`, view === r.index, () => void showView(r.index), `${resultName(i + 1)} · ${plural(r.rowCount, r.kind === 'text' ? 'line' : 'row')}`),
      )}
      {tab('log', view === 'log', () => void showView('log'), 'Log')}
    </div>
  )
}

/** Below the editor: the shown run's status, its error, and tabs for each result set and the log. */
export function RunPanel({ onOpenJob }: { onOpenJob: (jobId: number) => void }) {
  const jobId = useScripts((s) => s.jobId)
  const jobError = useScripts((s) => s.job?.error ?? null)
  const status = useScripts((s) => s.job?.status ?? 'failed')
  const finished = useScripts((s) => s.job !== null && isTerminalJob(s.job.status))
  const noResults = useScripts((s) => s.results.length === 0)
  const view = useScripts((s) => s.view)
  const logs = useScripts((s) => s.logs)
  const deleted = useScripts((s) => s.jobDeleted)
  if (jobId == null) {
    return (
      <section className="sc-run-panel sc-run-empty" aria-label="run">
        <p className="muted">
          Run the script (<kbd>{RUN_SHORTCUT}</kbd>) to see its status, log and result sets here.
        </p>
      </section>
    )
  }
  return (
    <section className="sc-run-panel" aria-label="run">
      <RunStatusBar onOpenJob={onOpenJob} />
      {jobError && <JobErrorBox error={jobError} status={status} />}
      {deleted ? (
        <div className="sc-output">
          <p className="muted sc-no-results" data-testid="run-deleted">
            Job #{jobId} was deleted (on the Jobs page or by the API): its status, log and results are gone.
          </p>
        </div>
      ) : (
        <>
          <ResultTabs />
          <div className="sc-output" role="tabpanel">
            {view === 'log' ? <LogTail lines={logs} ended={finished} /> : <ResultSetView index={view} />}
            {view === 'log' && finished && noResults && <p className="muted sc-no-results">This run produced no result set.</p>}
          </div>
        </>
      )}
    </section>
  )
}
