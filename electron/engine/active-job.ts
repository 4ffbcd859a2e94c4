import type { JobRecord, StopStatus, TaskRecord } from '../store/job.repository'
import type { JobControl, JobDriver } from './driver'
import { drain, SLICE_STEP } from './sliced'
import type { TaskGroups } from './task-groups'

/** A task of a job the engine is running, with what the scheduler needs beside its stored record. */
export interface ActiveTask {
  rec: TaskRecord
  /** Dependencies not yet succeeded or skipped. */
  remaining: number
  controller?: AbortController
  abortReason?: AbortReason
  /** Set when the engine stops the attempt because its rights went (Engine.stopRefused): the task then fails with this reason, unless its result arrived before the abort was sent. */
  refusal?: string
  timers: unknown[]
  settle?: (result: RunResult) => void
  /**
   * Set while its attempt waits before its work starts (TaskContext.waiting: a SQL task waiting for the
   * memory budget) and has given its concurrency slot back meanwhile (Engine.setWaiting): its end then
   * gives back none.
   */
  slotFreed?: boolean
  /** How far its attempt that just ended got, as its TaskFailure said (0..1): counted in its job's progress if it ends the task (ActiveJob.failedShare). */
  endFraction?: number
}

export type AbortReason = 'cancel' | 'timeout' | 'shutdown'

export type RunResult = { ok: true; output: unknown; awaitCallback?: boolean } | { ok: false; error: string; retryable: boolean; output?: unknown; progress?: number }

/** A job the engine is running. Counters avoid rescanning 100k tasks on every completion. */
export interface ActiveJob {
  rec: JobRecord
  driver: JobDriver
  ctl: JobControl
  tasks: Map<string, ActiveTask>
  dependents: Map<string, string[]>
  /** Tasks whose executor is running (each holds a concurrency slot). */
  running: number
  /** Tasks queued to run, including those waiting out a retry backoff. */
  waiting: number
  /** Tasks running without an executor: waiting for children, a callback or a wakeup. */
  held: Set<ActiveTask>
  /** Tasks succeeded or skipped. */
  done: number
  /**
   * The shares of its failed tasks that got part of the way (TaskFailure.progress: an import's bytes
   * read), summed: counted in its progress beside `done`. Kept in memory: a restart or redo starts it at 0.
   */
  failedShare: number
  cancelRequested: boolean
  /**
   * The final state the job gets once its work is stopped: set by `Engine.complete`, and when the
   * engine stops it on its own account (failed: quarantine; timed_out: its queue timeout). Stored
   * with the job while it is cancelling (jobs.stop_as), so a restart ends it so too.
   */
  forcedStatus?: StopStatus
  /**
   * Set when the engine stopped the job on its own account (an error of its own, a quota, its queue
   * timeout): the job's error, stored with it while it is cancelling.
   */
  failReason?: string
  /** Why it was cancelled, when not by its user's request (Engine.cancel's reason): its error once cancelled, stored with it while it is cancelling. */
  cancelReason?: string
  firstError: string | null
  logSeq: number
  /** The groups of tasks that run groups (loaded when the driver first asks: JobControl.groups). */
  groups: Map<string, TaskGroups>
}

/** What a job's save stores as the state it ends in once stopped (jobs.stop_as): its forcedStatus while it is being stopped. */
export const stopAsOf = (job: ActiveJob): StopStatus | null => (job.cancelRequested ? (job.forcedStatus ?? null) : null)

export const isDone = (t: TaskRecord): boolean => t.status === 'succeeded' || t.status === 'skipped'

/**
 * Builds the scheduler's view of a stored job; `ctl` is attached by the engine. `stopAs`: the state a
 * `cancelling` job was stored to end in (jobs.stop_as; null: cancelled), its stored error the reason.
 */
export function activateJob(rec: JobRecord, tasks: TaskRecord[], driver: JobDriver, logSeq: number, stopAs: StopStatus | null = null): ActiveJob {
  return drain(activatingJob(rec, tasks, driver, logSeq, stopAs))
}

/** activateJob as a sliced loop (sliced.ts): yields every SLICE_STEP tasks (a restart's recovery of 100k tasks). */
export function* activatingJob(rec: JobRecord, tasks: TaskRecord[], driver: JobDriver, logSeq: number, stopAs: StopStatus | null = null): Generator<void, ActiveJob, void> {
  const byName = new Map<string, ActiveTask>()
  for (let i = 0; i < tasks.length; i++) {
    const t = tasks[i]
    byName.set(t.name, { rec: t, remaining: 0, timers: [] })
    if (i % SLICE_STEP === SLICE_STEP - 1) yield
  }
  const job: ActiveJob = {
    rec,
    driver,
    ctl: undefined as unknown as JobControl,
    tasks: byName,
    dependents: new Map(),
    running: 0,
    waiting: 0,
    held: new Set(),
    done: 0,
    failedShare: 0,
    cancelRequested: rec.status === 'cancelling',
    ...(stopAs ? { forcedStatus: stopAs } : {}),
    ...(stopAs && rec.error !== null ? { failReason: rec.error } : {}),
    ...(!stopAs && rec.status === 'cancelling' && rec.error !== null ? { cancelReason: rec.error } : {}),
    firstError: rec.error,
    logSeq,
    groups: new Map(),
  }
  yield* recounting(job)
  return job
}

/** Computes the per-job counters from the tasks' states (at activation, and after a redo); the progress is the engine's (Engine.updateProgress). */
export function recount(job: ActiveJob): void {
  drain(recounting(job))
}

/** recount as a sliced loop (sliced.ts): yields every SLICE_STEP tasks. */
function* recounting(job: ActiveJob): Generator<void, void, void> {
  job.done = 0
  job.failedShare = 0
  const dependents = new Map<string, string[]>()
  let i = 0
  for (const n of job.tasks.keys()) {
    dependents.set(n, [])
    if (++i % SLICE_STEP === 0) yield
  }
  job.dependents = dependents
  for (const t of job.tasks.values()) {
    if (isDone(t.rec)) job.done++
    t.remaining = 0
    for (const d of t.rec.dependsOn) {
      job.dependents.get(d)?.push(t.rec.name)
      const dep = job.tasks.get(d)
      if (dep && !isDone(dep.rec)) t.remaining++
    }
    if (++i % SLICE_STEP === 0) yield
  }
}

/** The named tasks and every task downstream of them. */
export function downstream(job: ActiveJob, names: string[]): string[] {
  const seen = new Set<string>()
  const todo = names.filter((n) => job.tasks.has(n))
  while (todo.length) {
    const n = todo.pop()!
    if (seen.has(n)) continue
    seen.add(n)
    todo.push(...(job.dependents.get(n) ?? []))
  }
  return [...seen]
}
