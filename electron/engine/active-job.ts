import type { JobRecord, TaskRecord } from '../store/job.repository'
import { Dag } from './dag'

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

export type RunResult = { ok: true; output: unknown } | { ok: false; error: string; retryable: boolean; output?: unknown }

/** A job the engine is running. Counters avoid rescanning 100k tasks on every completion. */
export interface ActiveJob {
  rec: JobRecord
  dag: Dag
  tasks: Map<string, ActiveTask>
  running: number
  /** Tasks queued to run, including those waiting out a retry backoff. */
  waiting: number
  succeeded: number
  cancelRequested: boolean
  firstError: string | null
  logSeq: number
}

export function activateJob(rec: JobRecord, tasks: TaskRecord[], logSeq: number): ActiveJob {
  const dag = new Dag(tasks.map((t) => ({ name: t.name, dependsOn: t.dependsOn })))
  const byName = new Map<string, ActiveTask>()
  for (const t of tasks) byName.set(t.name, { rec: t, remaining: 0, timers: [] })
  let succeeded = 0
  for (const t of byName.values()) {
    if (t.rec.status === 'succeeded' || t.rec.status === 'skipped') succeeded++
    t.remaining = t.rec.dependsOn.filter((d) => !isDone(byName.get(d)!.rec)).length
  }
  return {
    rec,
    dag,
    tasks: byName,
    running: 0,
    waiting: 0,
    succeeded,
    cancelRequested: rec.status === 'cancelling',
    firstError: rec.error,
    logSeq,
  }
}

export const isDone = (t: TaskRecord): boolean => t.status === 'succeeded' || t.status === 'skipped'
