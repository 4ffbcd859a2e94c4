import { useState } from 'react'
import type { JobDetail, LogInfo } from '../../../../shared/model'
import { isTerminalJob, STATUS_LABELS } from '../../../../shared/status'
import { useJobs } from '../../stores/jobs'
import { useSession } from '../../stores/session'
import { ImportFacts } from '../imports/ImportFacts'
import type { OpenIn } from './JobsPage'
import { ConfirmDialog } from './ConfirmDialog'
import { JobTimes, WhatRan } from './JobFacts'
import { JobResults } from './JobResults'
import { asksBeforeRerun, RerunConfirm } from './RerunConfirm'
import { closeDetail } from './JobTable'
import { LogViewer } from './LogViewer'
import { JobWarning, ProgressBar, StatusBadge, oneTaskRan, reportsProgress, waitingOf } from './StatusBadge'
import { TaskList } from './TaskList'
import { useNow } from './use-now'
import { SafeText } from '../shell/SafeText'
import { formatCount, formatSize } from '../../../../shared/number-format'
import type { JobItems } from '../../../../shared/model'
import { itemNotes, itemsDone, redoAction } from '../workflows/execution-status'

const OPEN_IN = { script: 'Open in Scripts (results)', workflow: 'Open in Workflows (graph)', import: 'Open in Imports (report)', 'graph-workflow': 'Open on the canvas' } as const

export function JobDetailPanel({ onOpenIn }: { onOpenIn?: OpenIn }) {
  const detail = useJobs((s) => s.detail)
  const cancel = useJobs((s) => s.cancel)
  const rerun = useJobs((s) => s.rerun)
  const rerunFromFailed = useJobs((s) => s.rerunFromFailed)
  const redoExecution = useJobs((s) => s.redoExecution)
  const close = useJobs((s) => s.select)
  const runBulk = useJobs((s) => s.runBulk)
  const [deleting, setDeleting] = useState(false)
  const [rerunning, setRerunning] = useState(false)
  const me = useSession((s) => s.user?.username)
  const running = detail != null && detail.startedAt != null && !isTerminalJob(detail.status)
  const now = useNow(running || (detail != null && detail.status === 'queued'))
  const selectedId = useJobs((s) => s.selectedId)
  const detailError = useJobs((s) => s.detailError)
  // a job being fetched keeps its column (the page drops only the column of no job, styles.css)
  if (!detail && selectedId != null) {
    return (
      <aside className="detail empty loading" aria-busy={detailError == null} data-testid="job-detail-missing">
        {detailError ?? ''}
      </aside>
    )
  }
  if (!detail) return <aside className="detail empty">Select a job to see its tasks and log.</aside>
  const finished = isTerminalJob(detail.status)
  // an event's summary (applyJob) keeps the last reason read: shown only while the job is still queued or running (re-read: followWaiting)
  const waiting = waitingOf(detail)
  return (
    <aside className="detail" aria-label="job detail">
      {/* a narrow window shows the open job instead of the list (styles.css): this is the way back to it */}
      <button className="link detail-back" onClick={() => void closeDetail()}>
        ← All jobs
      </button>
      <header>
        <h2>
          #{detail.id} <SafeText text={detail.name} />
        </h2>
        <button className="icon" aria-label="close detail" onClick={() => void close(null)}>
          ×
        </button>
      </header>
      <div className="detail-meta">
        <StatusBadge status={detail.status} title={waiting} />
        <JobWarning job={detail} />
        {/* a job counting its foreach items reports how far it is even at 0 (items not made yet count) */}
        <ProgressBar value={detail.progress} status={detail.status} known={(detail.items?.length ?? 0) > 0 || reportsProgress(detail)} waiting={waiting} items={foreachShare(detail.items)} oneTaskRan={oneTaskRan(detail)} />
        <span className="muted" title={detail.uuid}>
          {detail.uuid}
        </span>
      </div>
      <dl className="facts">
        <JobTimes detail={detail} now={now} />
        {waiting && (
          <>
            <dt>Waiting</dt>
            <dd data-testid="job-waiting">
              <SafeText text={waiting} />
            </dd>
          </>
        )}
        <dt>Log</dt>
        <dd data-testid="log-info">{logSummary(detail.log)}</dd>
        {detail.items?.map((it) => <ItemsFact key={it.task} items={it} />)}
        {detail.kind === 'import' && <ImportFacts taskId={detail.uuid} status={detail.status} />}
        <SubflowLinks detail={detail} onOpen={(id) => void close(id)} />
        <RerunLinks rerunOf={detail.rerunOf} reruns={detail.reruns} onOpen={(id) => void close(id)} />
      </dl>
      {detail.error && (
        <p className={`headline headline-${detail.status}`} role="alert" data-testid="job-headline">
          <strong>{STATUS_LABELS[detail.status].replace(/^./, (c) => c.toUpperCase())}:</strong> <SafeText text={detail.error} multiline />
        </p>
      )}
      <div className="actions">
        <button disabled={finished || detail.status === 'cancelling'} onClick={() => void cancel(detail.id)}>
          Cancel
        </button>
        {/* another user's job reruns as me (jobs.rerun): asked first, with its code shown */}
        <button onClick={() => (asksBeforeRerun(detail, me) ? setRerunning(true) : void rerun(detail.id))} title="Run it again as a new job, submitted by you">
          Rerun
        </button>
        {detail.labels.graphWorkflowId !== undefined && finished && detail.status !== 'succeeded' && (
          <button onClick={() => void rerunFromFailed(detail.id)} title="Run this job again from its failed or cancelled components, keeping what finished">
            Rerun from failed
          </button>
        )}
        {/* a Rill Flow execution redoes in place, as the Workflows page's execution bar does */}
        {detail.labels.dialect === 'rillflow' && finished && detail.status !== 'succeeded' && (
          <button title={redoAction(detail.status).title} onClick={() => void redoExecution(detail.id)}>
            {redoAction(detail.status).label}
          </button>
        )}
        <button className="danger" disabled={!finished} title={finished ? 'Delete this job with its log and results' : 'Cancel it first'} onClick={() => setDeleting(true)}>
          Delete…
        </button>
        {onOpenIn && detail.labels.graphWorkflowId !== undefined && <button onClick={() => onOpenIn('graph-workflow', detail.id)}>{OPEN_IN['graph-workflow']}</button>}
        {onOpenIn && (detail.kind === 'script' || detail.kind === 'workflow' || detail.kind === 'import') && (
          <button onClick={() => onOpenIn(detail.kind as 'script' | 'workflow' | 'import', detail.id)}>
            {OPEN_IN[detail.kind as 'script' | 'workflow' | 'import']}
          </button>
        )}
      </div>
      {deleting && (
        <ConfirmDialog title={`Delete job #${detail.id}?`} confirm="Delete 1 job" danger onClose={() => setDeleting(false)} onConfirm={() => {
          setDeleting(false)
          void runBulk('delete', [detail.id])
        }}>
          <p className="muted">Its tasks, log and results go too. This cannot be undone.</p>
        </ConfirmDialog>
      )}
      {rerunning && me !== undefined && (
        <RerunConfirm detail={detail} me={me} onClose={() => setRerunning(false)} onConfirm={() => {
          setRerunning(false)
          void rerun(detail.id)
        }} />
      )}
      <WhatRan detail={detail} />
      <h3>Tasks</h3>
      <TaskList detail={detail} now={now} />
      {/* an algorithm job (API, Explorer, GES) keeps its rows as a result set too, and has no other page to show them;
          a script job's rows are shown here as well, so its job need not be opened in Scripts to see them */}
      {(detail.labels.graphWorkflowId !== undefined || detail.kind === 'algorithm' || detail.kind === 'script') && (
        <JobResults jobId={detail.id} status={detail.status} tasksDone={detail.taskCounts.succeeded ?? 0} byPlace={detail.kind === 'script'} />
      )}
      <h3>Log</h3>
      <LogViewer ended={finished} />
    </aside>
  )
}

/**
 * The items of a job's top-level foreach tasks (JobDetail.items; a choice's branches are not items),
 * done of all, summed: the detail's progress bar names their share in its title while the job runs. undefined
 * when it has no foreach, or its foreach has no items yet.
 */
function foreachShare(items: readonly JobItems[] | undefined): { done: number; total: number } | undefined {
  let done = 0
  let total = 0
  for (const i of items ?? []) {
    if (i.category !== 'foreach') continue
    done += i.progress.done
    total += i.progress.total
  }
  return total > 0 ? { done, total } : undefined
}

/**
 * A Rill Flow foreach's (or choice's) items as the Workflows page's run view counts them: done of all,
 * those not made yet included ("0/20,000 items · 20 running · 19,980 waiting").
 */
function ItemsFact({ items }: { items: JobItems }) {
  const p = items.progress
  const unit = items.category === 'choice' ? 'branches' : 'items'
  return (
    <>
      <dt>
        <SafeText text={items.task} />
      </dt>
      <dd data-testid={`job-items-${items.task}`}>
        {/* the run view's words and figures (TaskNode), so both pages read the same */}
        {itemsDone(p, unit)}
        {itemNotes(p).map((n) => (
          <span key={n.text} className={n.tone ? `wf-note-${n.tone}` : undefined}>
            {' · '}
            {n.text}
          </span>
        ))}
      </dd>
    </>
  )
}

/** A sub-flow's parent (opening its detail), and a parent's sub-flows (listing them: the list's `parent` filter). */
function SubflowLinks({ detail, onOpen }: { detail: Pick<JobDetail, 'id' | 'parentJobId' | 'parentName' | 'subflowCount'>; onOpen: (id: number) => void }) {
  const subflows = detail.subflowCount ?? 0
  return (
    <>
      {detail.parentJobId != null && (
        <>
          <dt>Sub-flow of</dt>
          <dd data-testid="job-parent">
            <button className="link" aria-label={`open job ${detail.parentJobId}`} onClick={() => onOpen(detail.parentJobId!)}>
              #{detail.parentJobId}
            </button>{' '}
            {detail.parentName != null && <SafeText text={detail.parentName} />}
          </dd>
        </>
      )}
      {subflows > 0 && (
        <>
          <dt>Sub-flows</dt>
          <dd data-testid="job-subflows">
            <button className="link" onClick={() => useJobs.getState().setFilter({ parent: detail.id })}>
              {formatCount(subflows)} {subflows === 1 ? 'sub-flow' : 'sub-flows'}: list them
            </button>
          </dd>
        </>
      )}
    </>
  )
}

/** The job this one reruns and the jobs that rerun it, each opening that job's detail. */
function RerunLinks({ rerunOf, reruns = [], onOpen }: { rerunOf?: number | null; reruns?: number[]; onOpen: (id: number) => void }) {
  const link = (id: number) => (
    <button key={id} className="link" data-testid={`job-link-${id}`} aria-label={`open job ${id}`} onClick={() => onOpen(id)}>
      #{id}
    </button>
  )
  return (
    <>
      {rerunOf != null && (
        <>
          <dt>Rerun of</dt>
          <dd data-testid="rerun-of">{link(rerunOf)}</dd>
        </>
      )}
      {reruns.length > 0 && (
        <>
          <dt>Rerun as</dt>
          <dd data-testid="reruns" className="job-links">
            {reruns.map(link)}
          </dd>
        </>
      )}
    </>
  )
}

/** How much of the log is kept, and what a long one dropped from its middle. */
function logSummary(log: LogInfo | undefined): string {
  if (!log) return '—'
  const kept = `${formatCount(log.lines)} ${log.lines === 1 ? 'line' : 'lines'}`
  if (!log.droppedLines) return kept
  return `${kept} kept; ${formatCount(log.droppedLines)} lines (${formatSize(log.droppedBytes)}) dropped from the middle`
}
