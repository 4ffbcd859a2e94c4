import { EventEmitter } from 'node:events'
import { conflict, invalid, notFound } from '../../shared/errors'
import type { AppEventName, AppEvents } from '../../shared/events'
import type { JobSummary, LogLine } from '../../shared/model'
import { transitionJob, transitionTask, type JobStatus, type LogLevel, type TaskStatus } from '../../shared/status'
import type { JobRecord, NewJob, NewTask } from '../store/job.repository'
import { toJobSummary, toTaskView } from '../store/job.repository'
import type { NewLogLine } from '../store/log.repository'
import type { Store } from '../store'
import { activateJob, type AbortReason, type ActiveJob, type ActiveTask, type RunResult } from './active-job'
import { systemClock, type Clock } from './clock'
import { Dag } from './dag'
import { TaskFailure, type ExecutorRegistry, type TaskContext } from './executor'
import { Queue } from './queue'
import { recoverJob, type RecoveryReport } from './recovery'

export interface EngineOptions {
  store: Store
  executors: ExecutorRegistry
  clock?: Clock
  /** How many tasks may run at once across all jobs. */
  concurrency?: number
  /** How long a cancelled or timed-out task gets to stop before it is given up on. */
  stopGraceMs?: number
}

type PendingLog = NewLogLine & { taskName: string | null }

interface Ready {
  job: ActiveJob
  task: ActiveTask
}

/**
 * Runs jobs as DAGs of tasks. Work happens in ticks: settle finished tasks, start ready ones,
 * commit every change of the tick in one transaction, and only then act on it (start executors,
 * emit events). So nothing is ever acted on that a crash could forget, and many task
 * completions share one commit.
 */
export class Engine {
  readonly concurrency: number
  private readonly store: Store
  private readonly executors: ExecutorRegistry
  private readonly clock: Clock
  private readonly stopGraceMs: number
  private readonly events = new EventEmitter()
  private readonly active = new Map<number, ActiveJob>()
  private readonly ready = new Queue<Ready>()
  private running = 0
  private completions: { job: ActiveJob; task: ActiveTask; result: RunResult }[] = []
  private dirtyTasks = new Set<ActiveTask>()
  private dirtyJobs = new Set<ActiveJob>()
  private logs: PendingLog[] = []
  private afterCommit: (() => void)[] = []
  private waiters = new Map<number, ((job: JobRecord) => void)[]>()
  private tickScheduled = false
  private stopped = false

  constructor(options: EngineOptions) {
    this.store = options.store
    this.executors = options.executors
    this.clock = options.clock ?? systemClock
    this.concurrency = Math.max(1, options.concurrency ?? 16)
    this.stopGraceMs = options.stopGraceMs ?? 5000
    this.events.setMaxListeners(0)
  }

  on<K extends AppEventName>(name: K, listener: (data: AppEvents[K]) => void): () => void {
    this.events.on(name, listener)
    return () => this.events.off(name, listener)
  }

  /** Validates the DAG, stores the job with its tasks, and schedules it. */
  submit(job: NewJob, tasks: NewTask[]): JobRecord {
    if (tasks.length === 0) throw invalid('no_tasks', 'a job needs at least one task', 'tasks')
    for (const t of tasks) {
      if (!this.executors.has(t.executor)) {
        throw invalid('unknown_executor', `task "${t.name}": no executor named "${t.executor}"`, 'executor')
      }
    }
    new Dag(tasks.map((t) => ({ name: t.name, dependsOn: t.dependsOn ?? [] }))) // throws on a bad shape, before anything is stored
    const id = this.store.jobs.create(job, tasks)
    const rec = this.store.jobs.get(id)!
    this.activate(rec)
    this.emitJob(this.active.get(id)!)
    return rec
  }

  /** Stops a job: queued work is dropped, running tasks are aborted (their processes killed). */
  cancel(jobId: number): JobSummary {
    const job = this.active.get(jobId)
    if (!job) {
      const rec = this.store.jobs.get(jobId)
      if (!rec) throw notFound('job', jobId)
      throw conflict('job_finished', `job ${jobId} is already ${rec.status}`)
    }
    if (!job.cancelRequested) {
      job.cancelRequested = true
      this.log(job, null, 'WARN', 'cancel requested')
      for (const task of job.tasks.values()) this.cancelTask(job, task)
      if (job.running > 0) this.setJobStatus(job, 'cancelling')
      this.maybeFinish(job)
      this.commit()
    }
    return toJobSummary(job.rec, job.tasks.size)
  }

  /** Resolves when the job reaches a final state. */
  waitFor(jobId: number): Promise<JobRecord> {
    if (!this.active.has(jobId)) {
      const rec = this.store.jobs.get(jobId)
      return rec ? Promise.resolve(rec) : Promise.reject(notFound('job', jobId))
    }
    return new Promise((resolve) => {
      const list = this.waiters.get(jobId) ?? []
      list.push(resolve)
      this.waiters.set(jobId, list)
    })
  }

  isActive(jobId: number): boolean {
    return this.active.has(jobId)
  }

  /** Takes up the jobs a previous process left unfinished. Call once, before serving. */
  recover(): RecoveryReport {
    const report: RecoveryReport = { resumedTasks: 0, failedTasks: 0, jobs: 0 }
    for (const id of this.store.jobs.unfinishedIds()) {
      const rec = this.store.jobs.get(id)!
      const tasks = this.store.jobs.tasks(id)
      const { resumed, failed, messages } = recoverJob(rec, tasks, this.executors, this.clock.now())
      this.store.transaction(() => {
        for (const t of tasks) this.store.jobs.saveTask(t)
        this.store.jobs.saveJob(rec)
      })
      report.jobs++
      report.resumedTasks += resumed
      report.failedTasks += failed
      const job = this.activate(rec)
      for (const m of messages) this.log(job, null, 'WARN', m)
      this.maybeFinish(job)
    }
    this.commit()
    return report
  }

  /** Stops running work without recording it as cancelled, as a crash would; recovery takes it up. */
  stop(): void {
    this.stopped = true
    for (const job of this.active.values()) {
      for (const task of job.tasks.values()) if (task.controller) this.abortTask(task, 'shutdown')
    }
  }

  // ── scheduling ──────────────────────────────────────────────────────────────

  private activate(rec: JobRecord): ActiveJob {
    const job = activateJob(rec, this.store.jobs.tasks(rec.id), this.store.logs.nextSeq(rec.id))
    this.active.set(rec.id, job)
    for (const task of job.tasks.values()) {
      const s = task.rec.status
      if (s === 'queued') {
        job.waiting++
        this.scheduleReady(job, task)
      } else if (s === 'pending' && task.remaining === 0 && !job.cancelRequested) {
        this.enqueue(job, task)
      }
    }
    this.scheduleTick()
    return job
  }

  private scheduleTick(): void {
    if (this.tickScheduled || this.stopped) return
    this.tickScheduled = true
    setImmediate(() => this.tick())
  }

  private tick(): void {
    this.tickScheduled = false
    if (this.stopped) return
    const done = this.completions
    this.completions = []
    for (const c of done) this.settle(c.job, c.task, c.result)
    this.dispatch()
    this.commit()
  }

  private enqueue(job: ActiveJob, task: ActiveTask): void {
    this.setTaskStatus(task, 'queued')
    job.waiting++
    this.scheduleReady(job, task)
  }

  /** Puts a queued task on the ready queue now, or when its retry backoff has passed. */
  private scheduleReady(job: ActiveJob, task: ActiveTask): void {
    const delay = (task.rec.runAfter ?? 0) - this.clock.now()
    if (delay <= 0) {
      this.ready.push({ job, task })
      this.scheduleTick()
      return
    }
    const timer = this.clock.setTimeout(() => {
      task.timers = task.timers.filter((t) => t !== timer)
      if (task.rec.status !== 'queued') return
      this.ready.push({ job, task })
      this.scheduleTick()
    }, delay)
    task.timers.push(timer)
  }

  private dispatch(): void {
    while (this.running < this.concurrency && this.ready.length > 0) {
      const { job, task } = this.ready.shift()!
      if (task.rec.status !== 'queued' || job.cancelRequested) continue
      const now = this.clock.now()
      if (job.rec.status === 'queued') {
        this.setJobStatus(job, 'running')
        job.rec.startedAt = now
      }
      this.setTaskStatus(task, 'running')
      Object.assign(task.rec, { attempt: task.rec.attempt + 1, startedAt: now, finishedAt: null, runAfter: null })
      job.waiting--
      job.running++
      this.running++
      this.afterCommit.push(() => this.execute(job, task))
    }
  }

  private execute(job: ActiveJob, task: ActiveTask): void {
    const executor = this.executors.get(task.rec.executor)!
    const controller = new AbortController()
    task.controller = controller
    let settled = false
    task.settle = (result) => {
      if (settled) return
      settled = true
      for (const t of task.timers) this.clock.clearTimeout(t)
      task.timers = []
      this.completions.push({ job, task, result })
      this.scheduleTick()
    }
    if (task.rec.timeoutMs != null) {
      task.timers.push(this.clock.setTimeout(() => this.abortTask(task, 'timeout'), task.rec.timeoutMs))
    }
    const ctx: TaskContext = {
      jobId: job.rec.id,
      jobUuid: job.rec.uuid,
      taskId: task.rec.id,
      taskName: task.rec.name,
      attempt: task.rec.attempt,
      spec: task.rec.spec,
      input: task.rec.input,
      signal: controller.signal,
      log: (level, text) => this.log(job, task, level, text),
      setRuntime: (runtime) => {
        task.rec.runtime = runtime
        if (!this.stopped) this.store.jobs.saveTask(task.rec) // needed at once: a crash must find the process
      },
    }
    const settle = task.settle
    Promise.resolve()
      .then(() => executor.run(ctx))
      .then(
        (outcome) => settle({ ok: true, output: outcome.output ?? null }),
        (err: unknown) =>
          settle({
            ok: false,
            error: err instanceof Error ? err.message : String(err),
            retryable: err instanceof TaskFailure ? err.retryable : true,
            output: err instanceof TaskFailure ? err.output : undefined,
          }),
      )
  }

  private abortTask(task: ActiveTask, reason: AbortReason): void {
    if (!task.controller || task.abortReason) return
    task.abortReason = reason
    task.controller.abort(reason)
    // An executor that ignores its signal must not hold the job forever.
    task.timers.push(
      this.clock.setTimeout(
        () => task.settle?.({ ok: false, error: `did not stop within ${this.stopGraceMs} ms`, retryable: false }),
        this.stopGraceMs,
      ),
    )
  }

  private settle(job: ActiveJob, task: ActiveTask, result: RunResult): void {
    this.running--
    job.running--
    const reason = task.abortReason
    Object.assign(task, { controller: undefined, abortReason: undefined, settle: undefined })
    task.rec.finishedAt = this.clock.now()
    if (result.output !== undefined) task.rec.output = result.output
    if (result.ok && reason !== 'timeout') return this.succeed(job, task)
    if (reason === 'cancel') {
      this.setTaskStatus(task, 'cancelled')
      task.rec.error = 'cancelled'
      return this.maybeFinish(job)
    }
    const timedOut = reason === 'timeout'
    const error = timedOut ? `timed out after ${task.rec.timeoutMs} ms` : (result as { error: string }).error
    const retryable = timedOut || (!result.ok && result.retryable)
    task.rec.error = error
    if (retryable && task.rec.attempt < task.rec.maxAttempts && !job.cancelRequested) {
      const delay = task.rec.backoffMs * 2 ** (task.rec.attempt - 1)
      this.log(job, task, 'WARN', `attempt ${task.rec.attempt} failed: ${error}; retrying in ${delay} ms`)
      this.setTaskStatus(task, 'queued')
      task.rec.runAfter = this.clock.now() + delay
      job.waiting++
      this.scheduleReady(job, task)
      return
    }
    this.setTaskStatus(task, timedOut ? 'timed_out' : 'failed')
    this.log(job, task, 'ERROR', `task ${task.rec.name} ${timedOut ? 'timed out' : 'failed'}: ${error}`)
    job.firstError ??= `task ${task.rec.name}: ${error}`
    this.maybeFinish(job)
  }

  private succeed(job: ActiveJob, task: ActiveTask): void {
    this.setTaskStatus(task, 'succeeded')
    task.rec.error = null
    job.succeeded++
    job.rec.progress = job.succeeded / job.tasks.size
    this.dirtyJobs.add(job)
    if (!job.cancelRequested) {
      for (const name of job.dag.dependents.get(task.rec.name)!) {
        const next = job.tasks.get(name)!
        if (--next.remaining === 0 && next.rec.status === 'pending') this.enqueue(job, next)
      }
    }
    this.maybeFinish(job)
  }

  private cancelTask(job: ActiveJob, task: ActiveTask): void {
    const s = task.rec.status
    if (s === 'running') {
      this.setTaskStatus(task, 'cancelling')
      this.afterCommit.push(() => this.abortTask(task, 'cancel'))
    } else if (s === 'pending' || s === 'queued') {
      if (s === 'queued') job.waiting--
      for (const t of task.timers) this.clock.clearTimeout(t)
      task.timers = []
      this.setTaskStatus(task, 'cancelled')
      task.rec.finishedAt = this.clock.now()
    }
  }

  /** Ends the job once nothing is running or waiting to run. */
  private maybeFinish(job: ActiveJob): void {
    if (job.running > 0 || job.waiting > 0 || !this.active.has(job.rec.id)) return
    const statuses = new Set<TaskStatus>()
    for (const t of job.tasks.values()) statuses.add(t.rec.status)
    const final: JobStatus = job.cancelRequested
      ? 'cancelled'
      : job.succeeded === job.tasks.size
        ? 'succeeded'
        : statuses.has('failed') || !statuses.has('timed_out')
          ? 'failed'
          : 'timed_out'
    this.setJobStatus(job, final)
    job.rec.finishedAt = this.clock.now()
    job.rec.error = final === 'succeeded' ? null : final === 'cancelled' ? 'cancelled by user' : job.firstError
    if (final === 'succeeded') job.rec.result = this.resultOf(job)
    this.active.delete(job.rec.id)
    const waiters = this.waiters.get(job.rec.id) ?? []
    this.waiters.delete(job.rec.id)
    this.afterCommit.push(() => waiters.forEach((w) => w(job.rec)))
  }

  /** A job's result is the output of its last task, when it has exactly one. */
  private resultOf(job: ActiveJob): unknown {
    const sinks = [...job.dag.dependents].filter(([, next]) => next.length === 0)
    return sinks.length === 1 ? job.tasks.get(sinks[0][0])!.rec.output : null
  }

  // ── state, logs and commit ──────────────────────────────────────────────────

  private setTaskStatus(task: ActiveTask, to: TaskStatus): void {
    task.rec.status = transitionTask(task.rec.status, to)
    this.dirtyTasks.add(task)
  }

  private setJobStatus(job: ActiveJob, to: JobStatus): void {
    job.rec.status = transitionJob(job.rec.status, to)
    this.dirtyJobs.add(job)
  }

  private log(job: ActiveJob, task: ActiveTask | null, level: LogLevel, text: string): void {
    const taskId = task?.rec.id ?? null
    this.logs.push({ jobId: job.rec.id, seq: job.logSeq++, taskId, taskName: task?.rec.name ?? null, time: this.clock.now(), level, text })
    this.scheduleTick()
  }

  /** One transaction for everything the tick changed; then the events and the actions it allows. */
  private commit(): void {
    if (this.stopped) return
    const tasks = this.dirtyTasks
    const jobs = this.dirtyJobs
    const logs = this.logs
    const actions = this.afterCommit
    if (!tasks.size && !jobs.size && !logs.length && !actions.length) return
    this.dirtyTasks = new Set()
    this.dirtyJobs = new Set()
    this.logs = []
    this.afterCommit = []
    this.store.transaction(() => {
      for (const t of tasks) this.store.jobs.saveTask(t.rec)
      for (const j of jobs) this.store.jobs.saveJob(j.rec)
      this.store.logs.append(logs)
    })
    this.emitChanges(tasks, jobs, logs)
    for (const action of actions) action()
  }

  private emitChanges(tasks: Set<ActiveTask>, jobs: Set<ActiveJob>, logs: PendingLog[]): void {
    if (this.events.listenerCount('task.changed')) {
      for (const t of tasks) this.events.emit('task.changed', { jobId: t.rec.jobId, task: toTaskView(t.rec) })
    }
    for (const j of jobs) this.emitJob(j)
    if (logs.length && this.events.listenerCount('log.appended')) {
      const byJob = new Map<number, LogLine[]>()
      for (const l of logs) {
        const list = byJob.get(l.jobId) ?? []
        list.push({ seq: l.seq, time: l.time, level: l.level, text: l.text, task: l.taskName })
        byJob.set(l.jobId, list)
      }
      for (const [jobId, lines] of byJob) this.events.emit('log.appended', { jobId, lines })
    }
  }

  private emitJob(job: ActiveJob): void {
    if (this.events.listenerCount('job.changed')) {
      this.events.emit('job.changed', { job: toJobSummary(job.rec, job.tasks.size) })
    }
  }
}
