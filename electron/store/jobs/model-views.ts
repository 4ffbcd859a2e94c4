// Stored records as the shared model's views (shared/model.ts) that lists, details and events send.
import { listedJobLabels } from '../../../shared/job-labels'
import type { JobSummary, TaskView } from '../../../shared/model'
import { servedAttempts } from '../../../shared/task-attempts'
import type { JobHead } from './job-records'
import type { TaskRecord } from './task-records'

/**
 * A job's head as the JobSummary lists, details and events show, with its number of tasks: labels of
 * a job stored before their bounds as lists read them (listedJobLabels; a list's rows are trimmed so
 * by SQLite already), so a running or redone old job's events do not carry megabytes of them.
 */
export function toJobSummary(job: JobHead, taskCount: number): JobSummary {
  return {
    id: job.id,
    uuid: job.uuid,
    kind: job.kind,
    name: job.name,
    status: job.status,
    progress: job.progress,
    error: job.error,
    submitter: job.submitter,
    createdAt: job.createdAt,
    startedAt: job.startedAt,
    finishedAt: job.finishedAt,
    taskCount,
    labels: listedJobLabels(job.labels),
    parentJobId: job.parentJobId,
  }
}

/**
 * A task as the TaskView details and events show (no spec, no runtime): its attempt numbered as every
 * page numbers it, the stored try counter as `try` (servedAttempts).
 */
export function toTaskView(t: TaskRecord): TaskView {
  const { attempt, try: tryNo, attempts } = servedAttempts(t)
  return {
    id: t.id,
    name: t.name,
    executor: t.executor,
    status: t.status,
    attempt,
    try: tryNo,
    maxAttempts: t.maxAttempts,
    dependsOn: t.dependsOn,
    input: t.input,
    output: t.output,
    error: t.error,
    startedAt: t.startedAt,
    finishedAt: t.finishedAt,
    attempts,
  }
}
