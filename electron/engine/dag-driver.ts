import type { JobDriver } from './driver'
import { SLICE_STEP } from './sliced'

/**
 * Plain DAG jobs (scripts, imports, algorithms): a task runs once all its dependencies
 * succeeded; a failure stops its dependents but not independent branches; a retryable failure
 * with attempts left runs again after backoffMs × 2^(attempt-1).
 */
export const dagDriver: JobDriver = {
  // a sliced loop (sliced.ts): a restart may find 100k tasks of a job to queue
  *activate(ctl) {
    let i = 0
    for (const t of ctl.tasks()) {
      if (t.status === 'pending' && ctl.remaining(t.name) === 0) ctl.enqueue(t.name)
      if (++i % SLICE_STEP === 0) yield
    }
  },

  prepare: () => ({ action: 'run' }),

  interpret(_ctl, task, outcome) {
    if (outcome.ok) return { status: 'succeeded', output: outcome.output }
    const retry = outcome.retryable && task.attempt < task.maxAttempts
    return {
      status: outcome.timedOut ? 'timed_out' : 'failed',
      error: outcome.error,
      output: outcome.output,
      retryInMs: retry ? task.backoffMs * 2 ** (task.attempt - 1) : null,
    }
  },

  settled(ctl, task) {
    if (task.status !== 'succeeded' && task.status !== 'skipped') return
    for (const name of ctl.dependents(task.name)) {
      if (ctl.remaining(name) === 0 && ctl.task(name)?.status === 'pending') ctl.enqueue(name)
    }
  },

  finalStatus(ctl) {
    let failed = false
    let timedOut = false
    let done = true
    for (const t of ctl.tasks()) {
      if (t.status === 'failed') failed = true
      else if (t.status === 'timed_out') timedOut = true
      if (t.status !== 'succeeded' && t.status !== 'skipped') done = false
    }
    if (done) return 'succeeded'
    return timedOut && !failed ? 'timed_out' : 'failed'
  },

  /** The output of the job's last task, when it has exactly one. */
  result(ctl) {
    const sinks = [...ctl.tasks()].filter((t) => ctl.dependents(t.name).length === 0)
    return sinks.length === 1 ? sinks[0].output : null
  },
}

export type DriverFor = (job: { kind: string; labels: Record<string, string> }) => JobDriver
export const defaultDriverFor: DriverFor = () => dagDriver
