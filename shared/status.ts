// Job and task states, their terminal sets and the one transition table the engine enforces.
// The SQLite CHECK constraints are built from these same lists (electron/store/migrations).

export const JOB_STATUSES = ['queued', 'running', 'cancelling', 'succeeded', 'failed', 'cancelled', 'timed_out'] as const
export type JobStatus = (typeof JOB_STATUSES)[number]

export const TASK_STATUSES = [
  'pending', // waiting for its dependencies
  'queued', // ready to run (or waiting for a retry's backoff to pass)
  'running',
  'cancelling',
  'succeeded',
  'failed',
  'cancelled',
  'timed_out',
  'skipped',
] as const
export type TaskStatus = (typeof TASK_STATUSES)[number]

export const TERMINAL_JOB_STATUSES: ReadonlySet<JobStatus> = new Set(['succeeded', 'failed', 'cancelled', 'timed_out'])
export const TERMINAL_TASK_STATUSES: ReadonlySet<TaskStatus> = new Set([
  'succeeded',
  'failed',
  'cancelled',
  'timed_out',
  'skipped',
])

export const isTerminalJob = (s: JobStatus): boolean => TERMINAL_JOB_STATUSES.has(s)
export const isTerminalTask = (s: TaskStatus): boolean => TERMINAL_TASK_STATUSES.has(s)

const JOB_TRANSITIONS: Record<JobStatus, readonly JobStatus[]> = {
  // timed_out: waited in the queue too long; cancelling: a stop of many tasks ends them in slices (engine.ts
  // beginStop), then the job ends cancelled, or as the stop said (failed, timed_out, or as completed)
  queued: ['running', 'cancelling', 'cancelled', 'failed', 'timed_out'],
  running: ['succeeded', 'failed', 'cancelling', 'cancelled', 'timed_out'],
  cancelling: ['cancelled', 'failed', 'succeeded', 'timed_out'],
  // A finished job may be taken up again (redo from failed tasks keeps the same job).
  succeeded: ['running'],
  failed: ['running'],
  cancelled: ['running'],
  timed_out: ['running'],
}

const TASK_TRANSITIONS: Record<TaskStatus, readonly TaskStatus[]> = {
  pending: ['queued', 'skipped', 'cancelled', 'failed'],
  queued: ['running', 'skipped', 'cancelled', 'failed', 'pending'],
  // running → queued is a retry after a failure or an interruption that is safe to resume;
  // running → pending is a redo of a task held waiting (a callback, a wakeup).
  running: ['succeeded', 'failed', 'timed_out', 'cancelling', 'cancelled', 'skipped', 'queued', 'pending'],
  cancelling: ['cancelled', 'succeeded', 'failed', 'timed_out'],
  succeeded: ['pending', 'queued'],
  failed: ['pending', 'queued'],
  cancelled: ['pending', 'queued'],
  timed_out: ['pending', 'queued'],
  skipped: ['pending', 'queued'],
}

export class TransitionError extends Error {
  constructor(
    readonly entity: 'job' | 'task',
    readonly from: string,
    readonly to: string,
  ) {
    super(`illegal ${entity} transition ${from} → ${to}`)
    this.name = 'TransitionError'
  }
}

export function canTransitionJob(from: JobStatus, to: JobStatus): boolean {
  return JOB_TRANSITIONS[from].includes(to)
}

export function canTransitionTask(from: TaskStatus, to: TaskStatus): boolean {
  return TASK_TRANSITIONS[from].includes(to)
}

/** Returns `to` when the move is legal; throws otherwise, so a bug never writes an impossible state. */
export function transitionJob(from: JobStatus, to: JobStatus): JobStatus {
  if (!canTransitionJob(from, to)) throw new TransitionError('job', from, to)
  return to
}

export function transitionTask(from: TaskStatus, to: TaskStatus): TaskStatus {
  if (!canTransitionTask(from, to)) throw new TransitionError('task', from, to)
  return to
}

/** How a state reads to people (one place for the UI's words). */
export const STATUS_LABELS: Record<JobStatus | TaskStatus, string> = {
  pending: 'pending',
  queued: 'queued',
  running: 'running',
  cancelling: 'cancelling',
  succeeded: 'succeeded',
  failed: 'failed',
  cancelled: 'cancelled',
  timed_out: 'timed out',
  skipped: 'skipped',
}

export const LOG_LEVELS = ['INFO', 'WARN', 'ERROR'] as const
export type LogLevel = (typeof LOG_LEVELS)[number]
