import type { JobRecord, TaskRecord } from '../store/job.repository'
import type { JobControl, JobDriver } from './driver'

/** A task of a job the engine is running, with what the scheduler needs beside its stored record. */
export interface ActiveTask {
  rec: TaskRecord
  /** Dependencies not yet succeeded or skipped. */
  remaining: number
  controller?: AbortController
  abortReason?: AbortReason
  timers: unknown[]
  settle?: (result: RunResult) => void
}

export type AbortReason = 'cancel' | 'timeout' | 'shutdown'

export type RunResult = { ok: true; output: unknown; awaitCallback?: boolean } | { ok: false; error: string; retryable: boolean; output?: unknown }

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
  cancelRequested: boolean
  firstError: string | null
  logSeq: number
}

export const isDone = (t: TaskRecord): boolean => t.status === 'succeeded' || t.status === 'skipped'

/** Builds the scheduler's view of a stored job; `ctl` is attached by the engine. */
export function activateJob(rec: JobRecord, tasks: TaskRecord[], driver: JobDriver, logSeq: number): ActiveJob {
  const byName = new Map<string, ActiveTask>()
  const dependents = new Map<string, string[]>()
  for (const t of tasks) {
    byName.set(t.name, { rec: t, remaining: 0, timers: [] })
    dependents.set(t.name, [])
  }
  let done = 0
  for (const t of byName.values()) {
    if (isDone(t.rec)) done++
    for (const d of t.rec.dependsOn) {
      dependents.get(d)?.push(t.rec.name)
      if (!isDone(byName.get(d)!.rec)) t.remaining++
    }
  }
  return {
    rec,
    driver,
    ctl: undefined as unknown as JobControl,
    tasks: byName,
    dependents,
    running: 0,
    waiting: 0,
    held: new Set(),
    done,
    cancelRequested: rec.status === 'cancelling',
    firstError: rec.error,
    logSeq,
  }
}
