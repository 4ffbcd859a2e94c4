import type { JobRecord, TaskRecord } from '../store/job.repository'
import type { Executor, ExecutorRegistry } from './executor'
import { SLICE_STEP } from './sliced'

export interface RecoveryReport {
  jobs: number
  resumedTasks: number
  failedTasks: number
}

/**
 * Decides, for a job a dead process left unfinished, what each of its interrupted tasks becomes.
 * A task whose executor is safe to run twice goes back to the queue; any other is failed with a
 * reason that says so, after whatever it left behind (a process group) has been stopped.
 * Mutates the records; the caller commits them: `changed`, the records it changed (a task still waiting
 * for children or a callback is left as it is: saving 100,001 waiting tasks again held a restart 5.2 s, atk18). `endedAt`: the latest end of a task it ended, or null
 * when it ended none: the job's end if nothing else runs. A task ends when a shutdown stopped it;
 * after a crash, when JobDesk was last seen running (`aliveAt`, the engine's heartbeat, ms; not before
 * the task started); with neither known, at the restart (`now`). A sliced loop (sliced.ts): yields
 * every SLICE_STEP tasks (a job of 100k tasks at a restart).
 */
export function* recoverJob(
  job: JobRecord,
  tasks: TaskRecord[],
  executors: ExecutorRegistry,
  now: number,
  aliveAt: number | null = null,
): Generator<void, { resumed: number; failed: number; messages: string[]; endedAt: number | null; changed: TaskRecord[] }, void> {
  let resumed = 0
  const changed: TaskRecord[] = []
  let failed = 0
  const messages: string[] = []
  const cancelling = job.status === 'cancelling'
  let endedAt: number | null = null
  let crashNoted = false
  /** When `t` ended: when a shutdown stopped it (Engine.recordStops), else (a crash) when JobDesk was last seen running, else now. */
  const endOf = (t: TaskRecord): number => {
    const stopped = t.runtime?.stoppedAt
    let at = now
    if (typeof stopped === 'number' && stopped <= now) at = stopped
    else if (aliveAt !== null && aliveAt <= now) {
      at = Math.min(now, Math.max(aliveAt, t.startedAt ?? aliveAt))
      if (!crashNoted) messages.push(`JobDesk stopped without a shutdown (a crash or a kill); it was last seen running at ${new Date(aliveAt).toISOString()}, so the tasks it interrupted end then`)
      crashNoted = true
    }
    endedAt = Math.max(endedAt ?? at, at)
    return at
  }
  for (let i = 0; i < tasks.length; i++) {
    if (i % SLICE_STEP === SLICE_STEP - 1) yield
    const t = tasks[i]
    if (t.status === 'running' && t.runtime?.held && !cancelling) continue // waiting for children or a callback: still waiting
    if (t.status === 'running' && t.runtime?.pendingCallback && !cancelling) {
      t.runtime = { ...t.runtime, held: true } // its callback came before the crash: it is applied on activation
      changed.push(t)
      continue
    }
    if (t.status !== 'running' && t.status !== 'cancelling') {
      if (cancelling && (t.status === 'pending' || t.status === 'queued')) {
        Object.assign(t, { status: 'cancelled', finishedAt: now })
        changed.push(t)
      }
      continue
    }
    changed.push(t) // every branch below changes it
    const executor = executors.get(t.executor)
    if (t.runtime) executor?.reap?.(t.runtime)
    if (cancelling || t.status === 'cancelling') {
      Object.assign(t, { status: 'cancelled', error: 'cancelled (JobDesk stopped while cancelling)', finishedAt: endOf(t) })
    } else if (plan(executor, t) === 'hold') {
      // its timeout still counts from the dispatch: a callback that never comes must not hold it forever
      const deadline = t.timeoutMs != null && t.startedAt != null ? { holdDeadline: t.startedAt + t.timeoutMs } : {}
      const { stoppedAt: _stopped, ...runtime } = t.runtime ?? {}
      t.runtime = { ...runtime, held: true, ...deadline }
      messages.push(`JobDesk restarted: task ${t.name} keeps waiting for its callback`)
    } else if (plan(executor, t) === 'resume') {
      Object.assign(t, { status: 'queued', runAfter: null, runtime: null })
      resumed++
      messages.push(`JobDesk restarted: task ${t.name} was interrupted and runs again (attempt ${t.attempt + 1})`)
    } else {
      const why = `interrupted: JobDesk stopped while this task was running; ${t.executor} tasks are not run twice automatically`
      Object.assign(t, { status: 'failed', error: why, finishedAt: endOf(t), runtime: null })
      job.error ??= `task ${t.name}: ${why}`
      failed++
      messages.push(`JobDesk restarted: task ${t.name} was ${why}`)
    }
  }
  return { resumed, failed, messages, endedAt, changed }
}

const plan = (executor: Executor | undefined, t: TaskRecord): 'resume' | 'hold' | 'fail' =>
  executor?.recoverAs?.(t.spec) ?? (executor?.resumable ? 'resume' : 'fail')
