import { Fragment, useEffect, useMemo, useRef, useState } from 'react'
import type { JobDetail, LogLine, TaskView } from '../../../../shared/model'
import { counted, formatCount } from '../../../../shared/number-format'
import { isTerminalJob, isTerminalTask, STATUS_LABELS, type TaskStatus } from '../../../../shared/status'
import { attemptWithTriesText } from '../../../../shared/task-attempts'
import { isDetailList, TASKS_PAGE, useJobs } from '../../stores/jobs'
import { useJobLog } from '../../stores/job-log'
import { readTaskLog } from '../../stores/task-log'
import { errorMessage } from '../shell/form-errors'
import { JsonView } from '../shell/JsonView'
import { SafeText } from '../shell/SafeText'
import { logBelongsTo, taskStatusInRun } from '../workflows/execution-status'
import { formatDuration, taskCountParts } from './format'
import { StatusBadge } from './StatusBadge'
import { TaskAttemptLog } from './TaskAttemptLog'

/**
 * The job detail's tasks. A job with more tasks than its detail lists (a foreach of 20,000 items)
 * gets what Airflow's and Rill Flow's task lists give: its counts by state as a filter ("3 failed"
 * shows the failed ones) and a pager ("501–1,000 of 20,002"), pages fetched through jobs.tasks
 * (useJobs.showTasks). A job with few tasks lists them all, as it always did. A task's name opens
 * its input and output under it.
 */
export function TaskList({ detail, now }: { detail: JobDetail; now: number }) {
  const view = useJobs((s) => s.tasks)
  const showTasks = useJobs((s) => s.showTasks)
  const [open, setOpen] = useState<ReadonlySet<number>>(new Set())
  const table = useRef<HTMLTableElement>(null)
  // the rows shown, with where they start and of what: the detail's own list, or the page last fetched
  // (which stays shown, as it was counted, while the next is fetched)
  const page = isDetailList(view) ? null : view.page
  const rows: TaskView[] = page?.items ?? detail.tasks
  const total = page?.total ?? detail.taskCount
  // a filter or a later page keeps its controls even if the job turns out to list all its tasks
  const paged = detail.tasks.length < detail.taskCount || !isDetailList(view)

  const toggle = (id: number) => setOpen((was) => {
    const next = new Set(was)
    if (!next.delete(id)) next.add(id)
    return next
  })
  const go = (offset: number, status = view.status, fromBottom = false) => {
    void showTasks({ status, offset })
    // from the pager under a long page, the new page is read from its top
    if (fromBottom) table.current?.scrollIntoView({ block: 'start' })
  }
  const filterBy = (status: typeof view.status) => go(0, status === view.status ? null : status)

  const pager = (where: 'top' | 'bottom') => (
    <div className="pager task-pager" role="navigation" aria-label={`task pages (${where})`}>
      {view.loading && <span className="muted">loading…</span>}
      <span data-tasks-shown={where === 'top' ? '' : undefined}>{rangeText(page?.offset ?? 0, rows.length, total, page?.status ?? null)}</span>
      <button aria-label="previous page of tasks" disabled={view.offset === 0} onClick={() => go(Math.max(0, view.offset - TASKS_PAGE), view.status, where === 'bottom')}>
        ‹ Previous
      </button>
      <button aria-label="next page of tasks" disabled={view.offset + TASKS_PAGE >= total} onClick={() => go(view.offset + TASKS_PAGE, view.status, where === 'bottom')}>
        Next ›
      </button>
    </div>
  )

  return (
    <>
      {/* how all the tasks stand, each state a filter: the failed ones may all be past the first page */}
      {paged && (
        <p className="muted task-counts" data-task-counts role="group" aria-label="show tasks by state">
          <button className="link task-filter" aria-pressed={view.status === null} title="Show tasks of every state" onClick={() => filterBy(null)}>
            {counted(detail.taskCount, 'task')}
          </button>
          {': '}
          {taskCountParts(detail.taskCounts).map((p, i) => (
            <Fragment key={p.status}>
              {i > 0 && ' · '}
              <button className="link task-filter" aria-pressed={view.status === p.status} title={`Show only the ${STATUS_LABELS[p.status]} tasks`} onClick={() => filterBy(p.status)}>
                {p.text}
              </button>
            </Fragment>
          ))}
        </p>
      )}
      {paged && pager('top')}
      {view.error && (
        <p className="error-text" role="alert">
          {view.error}
        </p>
      )}
      <table className="tasks" ref={table} aria-busy={view.loading}>
        <thead>
          <tr>
            <th>Task</th>
            <th>Status</th>
            <th title="Its attempt (a redo starts the next one) and, for a task that may retry, the try within it of the tries allowed">Attempt</th>
            <th>Duration</th>
          </tr>
        </thead>
        {/* a task's error on a row of its own under it, the panel's whole width: as a fifth column it
            pushed the table past the edge of a narrow panel */}
        {rows.map((t) => (
          <tbody key={t.id} className="task">
            <tr data-task={t.name}>
              <td>
                <button className="task-name" aria-expanded={open.has(t.id)} title="Show its input, output and log" onClick={() => toggle(t.id)}>
                  <SafeText text={t.name} />
                </button>
              </td>
              <td>
                <StatusBadge status={taskStatusInRun(t.status, detail.status)} />
              </td>
              <td data-testid="task-attempt-cell">{attemptWithTriesText(t.attempt, t.try, t.maxAttempts)}</td>
              <td>{formatDuration(t.startedAt, t.finishedAt, now)}</td>
            </tr>
            {/* an error that only repeats the status ("cancelled" under the cancelled badge) adds nothing */}
            {t.error && t.error !== t.status && (
              <tr className="task-error" data-task-error={t.name}>
                <td colSpan={4} className="error-text">
                  <SafeText text={t.error} multiline />
                </td>
              </tr>
            )}
            {open.has(t.id) && (
              <tr className="task-open" data-task-open={t.name}>
                <td colSpan={4}>
                  <TaskValues task={t} jobId={detail.id} jobEnded={isTerminalJob(detail.status)} />
                </td>
              </tr>
            )}
          </tbody>
        ))}
        {paged && rows.length === 0 && (
          <tbody>
            <tr>
              <td colSpan={4} className="muted">
                {page?.status ? `No task is ${STATUS_LABELS[page.status]}.` : 'No tasks.'}
              </td>
            </tr>
          </tbody>
        )}
      </table>
      {paged && rows.length > 20 && pager('bottom')}
    </>
  )
}


/** "501–1,000 of 20,002", "1–3 of 3 failed": the rows shown of all (of that state), counts as the app writes them. */
function rangeText(offset: number, shown: number, total: number, status: TaskStatus | null): string {
  const of = `of ${formatCount(total)}${status ? ` ${STATUS_LABELS[status]}` : ''}`
  return shown === 0 ? `0 ${of}` : `${formatCount(offset + 1)}–${formatCount(offset + shown)} ${of}`
}

/**
 * One task opened: what it ran as (its executor, its attempt numbered as shared/task-attempts.ts numbers
 * it, and the try within it when it may retry), its input and output, and its log, one attempt at a time
 * when a redo ran it more than once (TaskAttemptLog, as the Workflows task panel shows it).
 */
function TaskValues({ task, jobId, jobEnded }: { task: TaskView; jobId: number; jobEnded: boolean }) {
  return (
    <div className="task-values">
      <p className="muted" data-testid="task-attempt">
        {task.executor} · attempt {attemptWithTriesText(task.attempt, task.try, task.maxAttempts)}
      </p>
      <h4>Input</h4>
      {task.input == null ? <p className="muted">—</p> : <JsonView value={task.input} label={`input of ${task.name}`} />}
      <h4>Output</h4>
      {task.output == null ? <p className="muted">—</p> : <JsonView value={task.output} label={`output of ${task.name}`} />}
      <OpenTaskLog key={task.name} jobId={jobId} task={task} ended={jobEnded || isTerminalTask(task.status)} />
    </div>
  )
}

const NO_LINES: LogLine[] = []

/**
 * An opened task's log (readTaskLog), read as it opens and again as the task starts or ends a try
 * (its status or its history changes), and following the lines pushed to the job's log below since
 * (useJobLog: those of this task and its sub-tasks, while that log is not searched).
 */
function OpenTaskLog({ jobId, task, ended }: { jobId: number; task: TaskView; ended: boolean }) {
  const [log, setLog] = useState<{ lines: LogLine[]; runsBefore: number | null } | null>(null)
  const [error, setError] = useState<string | null>(null)
  const jobLines = useJobLog((s) => (s.jobId === jobId && !s.search ? s.lines : NO_LINES))
  const lines = useMemo(() => {
    if (!log) return NO_LINES
    const last = log.lines.length ? log.lines[log.lines.length - 1].seq : -1
    const newer = jobLines.filter((l) => l.seq > last && logBelongsTo(l.task, task.name))
    return newer.length ? [...log.lines, ...newer] : log.lines
  }, [log, jobLines, task.name])
  useEffect(() => {
    let current = true
    readTaskLog(jobId, task.name).then(
      (read) => current && (setLog(read), setError(null)),
      (e: unknown) => current && setError(errorMessage(e)),
    )
    return () => void (current = false)
  }, [jobId, task.name, task.status, task.attempts.length])
  if (error) return <p className="error-text">{error}</p>
  if (!log) return <p className="muted">loading its log…</p>
  return <TaskAttemptLog task={task.name} lines={lines} runsBefore={log.runsBefore} ended={ended} Heading="h4" />
}
