// Deadlines of held waits (TimeCheckRunner's TASK_TIMEOUT_CHECK; rillflow.md §2.3 timeline): an
// async function waiting for its callback, a flow_sync sub-flow waiting for its child and a
// suspense waiting for its wakeup all fail with "timeout" once `timeline.timeoutInSeconds` has
// passed since the attempt was dispatched. The deadline is stored with the hold (the engine keeps
// it in the task's runtime), so it survives a restart.

import type { TaskRecord } from '../../../store/job.repository'
import type { Timeline } from '../descriptor/types'
import { specOf } from './task-specs'

/** The invoke msg of a task whose deadline passed, as upstream writes it. */
export const TIMEOUT_MSG = 'timeout'

/** `timeline.timeoutInSeconds` (a string upstream) in ms; undefined when absent, zero or not a number. */
export function timeoutMsOf(timeline: Timeline | undefined): number | undefined {
  const seconds = Number(timeline?.timeoutInSeconds)
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : undefined
}

/**
 * When the current attempt of a held task must have ended (epoch ms): its dispatch time plus the
 * timeout, as upstream counts it from the dispatch. Undefined when the task has no timeout.
 */
export function holdDeadlineOf(task: TaskRecord): number | undefined {
  const ms = timeoutMsOf(specOf(task).def.timeline)
  return ms === undefined || task.startedAt == null ? undefined : task.startedAt + ms
}

/**
 * A signed callback URL carries the time it was issued (`ts`, at the attempt's dispatch). One
 * issued before the current attempt started belongs to an earlier attempt (one that timed out
 * and was retried): its result is not this attempt's and is refused.
 */
export function isStaleCallback(task: TaskRecord, issuedAt: number | undefined): boolean {
  return issuedAt !== undefined && task.startedAt != null && issuedAt < task.startedAt
}

/** The job-log line that says which deadline passed. */
export function timeoutNote(task: TaskRecord, waitingFor: string): string {
  const ms = timeoutMsOf(specOf(task).def.timeline)
  return `task ${task.name}: no ${waitingFor} within ${ms === undefined ? '?' : ms / 1000} s (timeline.timeoutInSeconds); it times out`
}
