// JobDesk's jobs and tasks as Explorer shows them (reference/jobapis.md §B.3): the one status table
// of the dialect, the 32-hex task ids, and its two time forms (epoch ms for jobs, ISO-8601 with
// the server's offset for tasks). Times not reached yet are 0 (jobs: Explorer's Go server has
// int64 fields) and null (tasks).
import { createHash } from 'node:crypto'
import { componentName, type GraphWorkflowComponent } from '../../../../shared/graph-workflows'
import type { JobStatus, TaskStatus } from '../../../../shared/status'
import type { ComponentTaskSpec } from '../../../graph/workflows/component.executor'
import { GRAPH_WORKFLOW_LABELS } from '../../../services/graph-workflows.service'
import type { JobRecord, TaskRecord } from '../../../store/job.repository'
import { cellText } from '../../../graph/workflows/upstream'

/** Explorer's job/task status codes: 0 Preparing, 1 Running, 2 Success, 3 Failed, 4 Interrupted, 5 Stopping. */
export const EXPLORER_STATUS = { preparing: 0, running: 1, success: 2, failed: 3, interrupted: 4, stopping: 5 } as const
export type ExplorerStatus = (typeof EXPLORER_STATUS)[keyof typeof EXPLORER_STATUS]

/** The one mapping of JobDesk's states to Explorer's codes (DESIGN.md's table; tasks add pending and skipped). */
export const STATUS_CODE: Record<JobStatus | TaskStatus, ExplorerStatus> = {
  pending: 0,
  queued: 0,
  running: 1,
  succeeded: 2,
  failed: 3,
  timed_out: 3,
  cancelled: 4,
  skipped: 4,
  cancelling: 5,
}

/**
 * A task's code in its job: STATUS_CODE's, except that one still waiting when its job has ended
 * (a component after one that failed, or a cancelled run's) is 4 Interrupted: the end stopped it,
 * and 0 Preparing would say it is still to run.
 */
export function taskStatusCode(job: Pick<JobRecord, 'finishedAt'>, task: Pick<TaskRecord, 'status'>): ExplorerStatus {
  const waiting = task.status === 'pending' || task.status === 'queued'
  return waiting && job.finishedAt !== null ? EXPLORER_STATUS.interrupted : STATUS_CODE[task.status]
}

/** The job states a status filter (0–5) selects. */
export function jobStatusesOf(code: number): JobStatus[] {
  return (Object.entries(STATUS_CODE) as [JobStatus | TaskStatus, number][])
    .filter(([s, c]) => c === code && s !== 'pending' && s !== 'skipped')
    .map(([s]) => s as JobStatus)
}

/** A task's id as Explorer shows it: 32 hex digits, derived from the job's uuid and the component id (stable, never stored). */
export const taskHexId = (job: Pick<JobRecord, 'uuid'>, taskName: string): string => createHash('md5').update(`${job.uuid}\0${taskName}`).digest('hex')

/** Epoch ms as ISO-8601 with the server's offset (`2022-07-12T10:33:35+08:00`), as Explorer's task times. */
export function isoWithOffset(ms: number | null): string | null {
  if (ms === null) return null
  const d = new Date(ms)
  const offset = -d.getTimezoneOffset()
  const p = (n: number) => String(Math.floor(Math.abs(n))).padStart(2, '0')
  const local = new Date(ms + offset * 60_000).toISOString().slice(0, 19)
  return `${local}${offset >= 0 ? '+' : '-'}${p(offset / 60)}:${p(offset % 60)}`
}

/** A job in Explorer's lists. */
export function jobItem(job: JobRecord) {
  return {
    id: job.id,
    name: job.name,
    workflowId: job.labels[GRAPH_WORKFLOW_LABELS.id] ?? '',
    workflowName: job.labels[GRAPH_WORKFLOW_LABELS.name] ?? '',
    status: STATUS_CODE[job.status],
    runBeginTime: job.startedAt ?? 0,
    runEndTime: job.finishedAt ?? 0,
    createTime: job.createdAt,
  }
}

/** A task in Explorer's job detail: its hex id, the component's name, ISO times. */
export function taskItem(job: JobRecord, task: TaskRecord) {
  const component = (task.spec as unknown as ComponentTaskSpec).component as GraphWorkflowComponent | undefined
  return {
    id: taskHexId(job, task.name),
    name: component ? componentName(component) : task.name,
    runBeginTime: isoWithOffset(task.startedAt),
    runEndTime: isoWithOffset(task.finishedAt),
    status: taskStatusCode(job, task),
  }
}

/**
 * One cell of a task's sample_result, as Explorer shows it: text (the sample is rows of strings,
 * jobapis.md §B.7), a DOUBLE with 6 decimals as Analytics writes it (`"0.150000"`), null as ''.
 * Only the sample: CSV export and the native API keep full precision.
 */
export function sampleCell(type: string, v: unknown): string {
  if (type === 'DOUBLE' && typeof v === 'number' && Number.isFinite(v)) return v.toFixed(6)
  return cellText(v) ?? ''
}
