import { AppError, conflict, invalid, notFound } from '../../shared/errors'
import type { AppEventName, AppEvents, WorkflowChange } from '../../shared/events'
import type { JobSummary, LogStream } from '../../shared/model'
import { STATUS_LABELS, transitionJob, transitionTask, type JobStatus, type LogLevel, type TaskStatus } from '../../shared/status'
import { noteActivity, noteWork, WORK_NOTE_MS } from '../stall-watch'
import type { JobRecord, NewJob, NewTask, StopStatus, TaskRecord } from '../store/job.repository'
import type { LogTruncation } from '../store/log.repository'
import { storedReason } from '../store/reasons'
import { prepareStateJson, STATE_JSON_LIMIT, StateNotStorableError } from '../store/state-json'
import { toJobSummary } from '../store/job.repository'
import type { Store } from '../store'
import { BUSY_RETRY_MS, busyRetryDelay, isBusy, lockWaitBegins, lockWaitEnds } from '../store/connection'
import { lockHolderText } from '../store/own-writers'
import { UnsavedTasks } from './unsaved-tasks'
import { activateJob, activatingJob, downstream, isDone, recount, stopAsOf, type AbortReason, type ActiveJob, type ActiveTask, type RunResult } from './active-job'
import { TickBudget } from './budget'
import { systemClock, type Clock } from '../clock'
import { Dag } from './dag'
import { assertJobName } from './job-name'
import { assertJobLabels } from '../../shared/job-labels'
import { jsonShapeOf } from '../../shared/json-limits'
import { heldJsonWeight, StateTooLarge, type FanOutShape } from '../../shared/quotas'
import { formatCount } from '../../shared/number-format'
import { KEPT_TRIES, lastTryLine, redoAttemptLine, retryLine, taskAttemptNumber } from '../../shared/task-attempts'
import { defaultDriverFor, type DriverFor } from './dag-driver'
import type { FinalTaskStatus, JobControl, Outcome, Verdict } from './driver'
import { EngineEvents, type PendingLog } from './engine-events'
import { JobLogs, LINE_COST, type LogBatch, type LogLimits } from './job-logs'
import { TaskFailure, type ExecutorRegistry, type TaskContext } from './executor'
import { commitEachJob, dropGrown, dropUnstorable, saveGroups, type DirtyGroups } from './isolation'
import { HeldBytesExceeded, KeptBytesExceeded, watchKeptBytes, type KeptBytesWatch, type KeptLimitOf } from './kept-bytes-guard'
import { TaskGroups } from './task-groups'
import { fanOutRefusal, HeldWorkExceeded, heldRoom, type HeldLimitOf } from './held-work-guard'
import { ReadyQueue, waitingReasonText } from './fair-queue'
import { KeyedCounts } from '../keyed-counts'
import { Heartbeat } from './heartbeat'
import { recoverJob, type RecoveryReport } from './recovery'
import { drain, runSliced, SLICE_STEP, SlicedWorkStopped } from './sliced'
import { ActiveJobs, type HeldWork } from './active-jobs'

export interface EngineOptions {
  store: Store
  executors: ExecutorRegistry
  clock?: Clock
  /** How many executors may run at once across all jobs. */
  concurrency?: number
  /**
   * How many of those one submitter's tasks may hold at once (fair-queue.ts); the waiting are served
   * round-robin between submitters. Default: the whole pool. The app gives non-admins less than
   * the pool, so that another user's job always finds a slot.
   */
  shareOf?: (submitter: string) => number
  /**
   * How many tasks may run past a full pool (`concurrency`), each of a submitter holding no slot when
   * it starts: the newcomer lane (fair-queue.ts newcomerLane; the app gives it). A user with nothing
   * running then starts at once however long other users' tasks hold the pool, while a user alone
   * still fills the whole pool and never uses the lane. Default: 0, no lane.
   */
  newcomerLane?: number
  /** How long a cancelled or timed-out task gets to stop before it is given up on. */
  stopGraceMs?: number
  /** The semantics of each kind of job; plain DAGs by default. */
  driverFor?: DriverFor
  /**
   * Hears unexpected errors (a bug, a state that cannot be saved) with the job they concern; the
   * job is failed with the reason and the engine carries on. Default: printed to stderr.
   */
  onError?: (error: unknown, jobId: number | null) => void
  /** How long one tick may work before it yields the event loop (ms; budget.ts). */
  tickSliceMs?: number
  /** How many bytes of task values one tick stores, past the first (budget.ts TICK_MAX_BYTES by default). */
  tickMaxBytes?: number
  /** How much of each job's log is kept (its head and tail); DEFAULT_LOG_LIMITS by default. */
  logLimits?: LogLimits
  /**
   * How long a tick's commit is retried while the database stays locked by another connection
   * (SQLITE_BUSY) before the jobs it concerns are failed (ms); BUSY_RETRY_MS (store/connection.ts) by default.
   */
  busyRetryMs?: number
  /** Hears operational warnings (the database locked, and unlocked again) with the job they concern. Default: printed to stderr. */
  onWarn?: (message: string, jobId: number | null) => void
  /**
   * Asked as each attempt of a task starts (a first run, a retry, after waiting in the queue, after a
   * restart): why it may not start, or null. A reason fails the task at once with it, no attempt
   * left (the app gives services/run-rights.ts: its submitter's rights now, #9 §3). Default: none.
   */
  startRefusal?: (job: JobRecord, task: TaskRecord) => string | null
  /**
   * Asked before a redo resets or re-opens work of a job (Engine.redo, assertMayResume): why it may
   * not, or null (the app gives services/run-rights.ts createResumeCheck: none while the job's user is
   * disabled). A reason is thrown as conflict `user_disabled`. Default: none.
   */
  resumeRefusal?: (job: JobRecord) => string | null
  /**
   * Asked before a batch is stored, and before a redo re-opens an ended job, once per submitter of the
   * jobs it makes live: throws, and nothing is stored, when `submitter` may not add them (the app
   * gives shared/quotas.ts, admins exempt). Default: no limit.
   */
  admit?: (submitter: string, load: SubmitterLoad) => void
  /**
   * What a submitter's jobs may keep in all (bytes, as store/kept-bytes.ts counts them), or null for no
   * bound: a commit that grows a job's state past it is rolled back and that job failed with the
   * reason (kept-bytes-guard.ts; the app gives shared/quotas.ts, admins exempt). Default: no bound.
   */
  keptLimitOf?: KeptLimitOf
  /**
   * What a submitter's unfinished jobs may hold, or null for no bound: tasks a running job's driver adds
   * (a foreach's fan-out) that would pass it are not added, and that job is failed with the reason
   * (held-work-guard.ts); a commit whose writes take their state past its bytes is rolled back and the
   * job failed as for keptLimitOf (kept-bytes-guard.ts). The app gives shared/quotas.ts, admins exempt. Default: no bound.
   */
  heldLimitOf?: HeldLimitOf
}

/** What admit weighs for one submitter (counts of jobs and tasks). */
export interface SubmitterLoad {
  /** Their jobs stored and not yet started (counted only when `addingQueued` > 0; else 0). */
  queued: number
  /** Top-level jobs of theirs the batch queues; a sub-flow a running job starts, or a redo, belongs to a job already accepted and counts 0. */
  addingQueued: number
  /** What their live (queued, running or waiting) jobs hold in the engine's memory now (active-jobs.ts). */
  held: HeldWork
  /** The jobs and tasks this makes live (every job of theirs in the batch, sub-flows too; a redo's one job). */
  adding: HeldWork
}

/** How long the database stays locked before the jobs whose changes wait for it are told, in their log and by onWarn (ms). */
const BUSY_TELL_AFTER_MS = 1000

/** Whether `task` is no longer one of `job`'s (a redo removed it; a task of its name may have been made since). */
const isGone = (job: ActiveJob, task: ActiveTask): boolean => job.tasks.get(task.rec.name) !== task

const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e)).split('\n')[0]

interface Ready {
  job: ActiveJob
  task: ActiveTask
}

/**
 * Runs jobs as DAGs of tasks. Work happens in ticks: settle finished tasks, start ready ones,
 * commit every change of the tick in one transaction, and only then act on it (start executors,
 * emit events). So nothing is ever acted on that a crash could forget, and many task
 * completions share one commit. What results mean and what follows is the job's driver's call.
 */
export class Engine {
  readonly concurrency: number
  /** Slots past `concurrency` for submitters holding none (EngineOptions.newcomerLane). */
  readonly newcomerLane: number
  private readonly store: Store
  private readonly executors: ExecutorRegistry
  private readonly clock: Clock
  private readonly stopGraceMs: number
  private readonly driverFor: DriverFor
  private readonly onError: (error: unknown, jobId: number | null) => void
  private readonly startRefusal: (job: JobRecord, task: TaskRecord) => string | null
  private readonly resumeRefusal: (job: JobRecord) => string | null
  private readonly admit: ((submitter: string, load: SubmitterLoad) => void) | undefined
  private readonly keptLimitOf: KeptLimitOf
  private readonly heldLimitOf: HeldLimitOf
  /** Jobs whose fan-out passed their submitter's held-work bound: they add nothing more and are being failed. */
  private readonly overHeld = new WeakSet<ActiveJob>()
  /** Ended jobs whose log already says a redo reset nothing (redo), by id, and `<id>:patch` for one whose context patch it did not apply: said once each. */
  private readonly idleRedoNoted = new Set<string>()
  private readonly events: EngineEvents
  private readonly active = new ActiveJobs()
  private readonly ready: ReadyQueue<Ready>
  private running = 0
  /** The attempts holding a concurrency slot (at most `concurrency` plus `newcomerLane`), with their jobs: what stopRefused asks about. */
  private readonly slotted = new Map<ActiveTask, ActiveJob>()
  /**
   * Running attempts whose executor said they wait before their work starts (TaskContext.waiting), by
   * job id, oldest first, each with the function that tells why (asked by waitingReasons only). An
   * attempt leaves it when its executor says it waits no more, or when it ends.
   */
  private readonly waitingAttempts = new Map<number, Map<ActiveTask, (poolOnly: boolean) => string>>()
  /**
   * Slots given back by waiting attempts (setWaiting), by submitter: at most their share each, so one
   * user's flood of SQL jobs does not leave the ready queue for the memory budget's line whole (their
   * queued-jobs quota counts only queued ones), holding the engine's memory without bound.
   */
  private readonly lentSlots = new KeyedCounts<string>()
  private completions: { job: ActiveJob; task: ActiveTask; result: RunResult; reason?: AbortReason }[] = []
  private dirtyTasks = new Set<ActiveTask>()
  private dirtyJobs = new Set<ActiveJob>()
  /** Jobs whose context changed (a subset of dirtyJobs): only these rewrite their stored context. */
  private dirtyContexts = new Set<ActiveJob>()
  /** Groups changed in this tick (task-groups.ts), by the parent's groups: only these rows are written. */
  private dirtyGroups: DirtyGroups = new Map()
  private dirtyGroupCount = 0
  private readonly logs: JobLogs
  /** Jobs whose work is over, finishing once their log is written. */
  private readonly awaitingLog = new Set<ActiveJob>()
  /** Executors that have not returned yet (shutdown waits for them). */
  private readonly inflight = new Set<Promise<void>>()
  private afterCommit: (() => void)[] = []
  private waiters = new Map<number, ((job: JobRecord) => void)[]>()
  private tickScheduled = false
  /** Set while ticks wait (ticksAfter): a tick scheduled meanwhile runs once it settles. */
  private tickGate: Promise<void> | null = null
  /** Whether this tick starts ready tasks before stopping and deferred work (every other tick while both wait: tick). */
  private readyFirst = false
  /** The next tick waits for pending I/O first (see submitMany). */
  private tickAfterIo = false
  private readonly budget: TickBudget
  /** Work drivers put off to a later tick (JobControl.defer): a large fan-out in batches. */
  private deferred: { job: ActiveJob; fn: () => void; alone: boolean }[] = []
  /**
   * Jobs being stopped (beginStop: a cancel, a complete, the engine's own failures, a queue timeout),
   * with the tasks each has left to end: a tick's slice of them at a time, as the fan-out made them,
   * never all in one turn (a cancel of 50,000 waiting tasks held the main thread 677-1,005 ms in one
   * go, atk17; failing a 100k-task job 603 ms, fix18). Such a job is `cancelling`, stored with the
   * state it ends in: a restart ends it so (recovery.ts, activateJob).
   */
  private readonly stopping = new Map<ActiveJob, Iterator<ActiveTask>>()
  private stopped = false
  /**
   * The unfinished jobs a restart's recovery has yet to take up (recover: over several turns, while the
   * server answers): requests that act on one are refused until it is taken up (activeJob), and views
   * read the store for it.
   */
  private readonly recovering = new Set<number>()
  /** How many unfinished jobs the restart's recovery found (recovering holds those it has yet to take up): its refusals say how far it is. */
  private recoveringOf = 0
  /** Lines noted (note) for jobs recovery had yet to take up, written once it has. */
  private readonly notesWaiting = new Map<number, { level: LogLevel; text: string }[]>()
  /** Groups read beforehand for a job being activated (recover), by parent: what its driver's first JobControl.groups calls get. */
  private readonly groupsRead = new Map<ActiveJob, Map<string, TaskGroups>>()
  /** Told of every group a driver changes (TaskGroups): the next commit saves it. */
  private readonly groupChanged = (g: TaskGroups, index: number): void => {
    let indices = this.dirtyGroups.get(g)
    if (!indices) this.dirtyGroups.set(g, (indices = new Set()))
    if (!indices.has(index)) {
      indices.add(index)
      this.dirtyGroupCount++
    }
  }
  private readonly busyRetryMs: number
  private readonly onWarn: (message: string, jobId: number | null) => void
  /**
   * Set while the database is locked by another connection: the log batch the failed commit took
   * (its state changes went back into the dirty sets), when the lock was first met, the tries so far,
   * the timer of the next, and the jobs told. Commits wait for that timer; changes gather meanwhile.
   */
  private busy: { logs: LogBatch; since: number; tries: number; timer: unknown; gaveUp: boolean; told: Set<number> } | null = null
  /** Tasks drivers added while the database was locked, stored by the next commit that gets the lock. */
  private readonly unsaved = new UnsavedTasks()
  /** "Alive at" while jobs are live: what a crash's recovery ends interrupted tasks at. */
  private readonly heartbeat: Heartbeat

  constructor(options: EngineOptions) {
    this.store = options.store
    this.executors = options.executors
    this.clock = options.clock ?? systemClock
    this.concurrency = Math.max(1, options.concurrency ?? 16)
    this.newcomerLane = Math.max(0, options.newcomerLane ?? 0)
    this.ready = new ReadyQueue<Ready>(options.shareOf ?? (() => this.concurrency))
    this.stopGraceMs = options.stopGraceMs ?? 5000
    this.driverFor = options.driverFor ?? defaultDriverFor
    this.onError = options.onError ?? ((e, jobId) => console.error(`jobdesk: unexpected error${jobId === null ? '' : ` in job ${jobId}`}:`, e))
    this.startRefusal = options.startRefusal ?? (() => null)
    this.resumeRefusal = options.resumeRefusal ?? (() => null)
    this.admit = options.admit
    this.keptLimitOf = options.keptLimitOf ?? (() => null)
    this.heldLimitOf = options.heldLimitOf ?? (() => null)
    this.events = new EngineEvents(this.onError, (id) => this.store.jobs.taskValueBytes(id))
    this.budget = new TickBudget(options.tickSliceMs, undefined, undefined, options.tickMaxBytes)
    this.logs = new JobLogs(this.store.logs, this.clock, () => this.scheduleTick(), options.logLimits)
    this.busyRetryMs = options.busyRetryMs ?? BUSY_RETRY_MS
    this.onWarn = options.onWarn ?? ((message, jobId) => console.warn(`jobdesk: ${jobId === null ? '' : `job ${jobId}: `}${message}`))
    // no beat while recovery takes jobs up (recoverInSlices): after a crash in the middle of it, the next
    // start still ends the tasks of the jobs it had not taken up when JobDesk was last seen running them
    this.heartbeat = new Heartbeat(this.store.heartbeat, this.clock, () => this.active.size > 0 && !this.stopped, () => !this.busy && !this.stopped && !this.isRecovering())
  }

  on<K extends AppEventName>(name: K, listener: (data: AppEvents[K]) => void): () => void {
    return this.events.on(name, listener)
  }

  /** Publishes a stored workflow's change to event listeners (the event stream, the desktop window). */
  workflowChanged(change: WorkflowChange): void {
    this.events.workflow(change)
  }

  /** Validates the DAG, stores the job with its tasks, and schedules it. Throws invalid (no_tasks, unknown_executor, DAG shape). */
  submit(job: NewJob, tasks: NewTask[]): JobRecord {
    return this.submitMany([{ job, tasks }])[0]
  }

  /**
   * Submits a batch at once, as BullMQ's addBulk does: every DAG is validated first (one bad DAG
   * stores nothing), all jobs are stored in one transaction and scheduled with one commit, so a
   * batch pays two commits instead of two per job. Returns the stored jobs in the batch's order.
   * Throws invalid (nothing stored) for a job name with a hidden character (name_hidden_char, the
   * one check of every kind's job name: job-name.ts), labels past their bounds (labels_too_large,
   * shared/job-labels.ts) or tasks that are no DAG of known executors; and what admit throws for a
   * submitter with too many jobs queued or held (a quota's forbidden).
   */
  submitMany(batch: { job: NewJob; tasks: NewTask[] }[]): JobRecord[] {
    for (const { job, tasks } of batch) {
      assertJobName(job.name)
      assertJobLabels(job.labels)
      this.validateTasks(tasks)
    }
    this.checkAdmission(batch)
    // the tick that starts them comes after pending I/O: a submission (a script of 720 kB stored)
    // and its first tick (a process forked) back to back held a status probe 290-365 ms (#9 §2)
    if (!this.tickScheduled) this.tickAfterIo = true
    const created = this.store.jobs.createMany(batch)
    for (const { job, tasks } of created) this.events.job(this.activate(job, tasks, 0)) // a new job has no log lines yet
    this.commit()
    return created.map((c) => c.job)
  }

  /**
   * Asks admit about each submitter of the batch, with what their jobs of it add, what their live
   * jobs hold and how many of those are queued (running counts: no walk of the jobs or their tasks).
   */
  private checkAdmission(batch: readonly { job: NewJob; tasks: readonly NewTask[] }[]): void {
    if (!this.admit) return
    const adding = new Map<string, { queued: number; jobs: number; tasks: number; bytes: number }>()
    for (const { job, tasks } of batch) {
      const a = adding.get(job.submitter) ?? { queued: 0, jobs: 0, tasks: 0, bytes: 0 }
      if (job.parentJobId == null) a.queued++
      a.jobs++
      a.tasks += tasks.length
      // a submitted text (a large context, stored as sent) is weighed before it is stored, as the held
      // bytes will count it (twice, by its shape: migrations 043, 046); a small input is weighed once
      // stored, as state is. Its shape, unless counted where it was parsed, is counted here once: the store takes it from the job
      if (job.inputJson !== undefined) a.bytes += 2 * heldJsonWeight(Buffer.byteLength(job.inputJson), (job.inputShape ??= jsonShapeOf(job.inputJson)))
      adding.set(job.submitter, a)
    }
    for (const [submitter, a] of adding) {
      const queued = a.queued > 0 ? this.active.queuedBy(submitter) : 0
      this.admit(submitter, { queued, addingQueued: a.queued, held: this.active.heldBy(submitter), adding: { jobs: a.jobs, tasks: a.tasks, bytes: a.bytes } })
    }
  }

  /** Throws invalid unless the tasks form a DAG whose executors all exist. */
  private validateTasks(tasks: NewTask[]): void {
    if (tasks.length === 0) throw invalid('no_tasks', 'a job needs at least one task', 'tasks')
    for (const t of tasks) {
      if (!this.executors.has(t.executor)) {
        throw invalid('unknown_executor', `task "${t.name}": no executor named "${t.executor}"`, 'executor')
      }
    }
    new Dag(tasks.map((t) => ({ name: t.name, dependsOn: t.dependsOn ?? [] }))) // throws on a bad shape, before anything is stored
  }

  /**
   * Stops a job: queued work is dropped, running tasks are aborted (their processes killed).
   * `reason`: why, when not its user's request (a sub-flow stopped with its parent): logged, and its
   * error once cancelled (else "cancelled by user"). A job already being stopped keeps its first reason.
   */
  cancel(jobId: number, reason?: string): JobSummary {
    const job = this.activeJob(jobId)
    if (reason !== undefined && !job.cancelRequested) job.cancelReason = reason
    return this.stopJob(jobId, reason ?? 'cancel requested')
  }

  /**
   * Throws conflict `user_disabled` with EngineOptions.resumeRefusal's reason when work of `job` may
   * not be resumed now (its user is disabled): asked by redo, and by a redo stored to run once a
   * cancel ends (workflows/rillflow/service.ts).
   */
  assertMayResume(job: JobRecord): void {
    const why = this.resumeRefusal?.(job)
    if (why) throw conflict('user_disabled', why)
  }

  /**
   * Ends every unfinished job `check` gives a reason for as failed with that reason (its error), its
   * work stopped as cancel stops it, oldest first: a foreach parent is stopped before its sub-flows
   * end, so no sub-flow's end starts a new item. Queued, running and waiting jobs alike (a suspense
   * or flow_sync task holds no slot, so stopRefused never sees them). Jobs already being stopped are
   * left as they are. The app stops a user's work so when they are disabled (services/run-rights.ts
   * watchRunRights). Returns how many it stops.
   */
  failWhere(check: (job: JobRecord) => string | null): number {
    const picked: [ActiveJob, string][] = []
    for (const job of this.active.values()) {
      if (job.cancelRequested) continue
      const reason = check(job.rec)
      if (reason !== null) picked.push([job, reason])
    }
    picked.sort(([a], [b]) => a.rec.id - b.rec.id)
    if (picked.length) this.budget.start()
    for (const [job, reason] of picked) this.endAs(job, 'failed', reason)
    if (picked.length) this.commit()
    return picked.length
  }

  /**
   * Asks `check` again about every attempt that holds a slot now (its executor runs, or starts once
   * the tick's commit is saved), as the app does when rights change (services/run-rights.ts
   * watchRunRights): each attempt it refuses is stopped as cancel stops it (every process it
   * started), and its task then fails with the reason, no attempt left; the job goes on as its
   * driver says (a one-task job fails, a DAG's other running tasks run on).
   * The abort is sent on the next turn of the event loop, not after the commit: a lock held by another
   * program (holdForRetry) delays only the saving of the failure. An attempt whose result arrives
   * before the abort is sent (or had arrived, not yet applied) ended on its own and keeps its outcome.
   * Walks only the attempts holding slots (at most `concurrency` plus `newcomerLane`), never a job's other tasks.
   * Attempts being stopped or ended already, and held tasks (they run nothing here), are not asked.
   * A check that throws is reported (onError) and leaves that attempt alone. Returns how many it stops.
   */
  stopRefused(check: (job: JobRecord, task: TaskRecord) => string | null): number {
    let stopped = 0
    for (const [task, job] of this.slotted) {
      if (job.cancelRequested || !this.active.has(job.rec.id)) continue
      // its result arrived and waits for the tick: it ended on its own
      const ended = task.controller !== undefined && task.settle === undefined
      if (task.rec.status !== 'running' || ended || task.abortReason || task.refusal !== undefined) continue
      let refusal: string | null
      try {
        refusal = check(job.rec, task.rec)
      } catch (e) {
        this.onError(e, job.rec.id)
        continue
      }
      if (refusal === null) continue
      task.refusal = refusal
      this.log(job, task, 'WARN', `stopping task ${task.rec.name}: ${refusal}`)
      // one not executing yet never starts (execute); one executing is aborted as cancel aborts it (its whole process tree)
      if (task.controller) this.abortRefused(task, task.controller)
      stopped++
    }
    if (stopped) this.commit()
    return stopped
  }

  /**
   * Sends a refused attempt's abort on the next turn, whether or not the database is locked; if its
   * result arrived first it ended on its own and the refusal is dropped (settle keeps its outcome).
   */
  private abortRefused(task: ActiveTask, controller: AbortController): void {
    setImmediate(() => {
      // its result arrived meanwhile (settle === undefined) or was applied (another controller): nothing to stop
      if (task.controller === controller && task.settle !== undefined) this.abortTask(task, 'cancel')
    })
  }

  /**
   * Ends a job now as succeeded or failed (Rill Flow's complete_dag.json): its work is stopped
   * as by cancel, unfinished tasks end cancelled, and the job takes the given state.
   */
  complete(jobId: number, success: boolean): JobSummary {
    const job = this.activeJob(jobId)
    if (!job.cancelRequested) job.forcedStatus = success ? 'succeeded' : 'failed' // a job already being stopped ends as that stop said
    return this.stopJob(jobId, `completed on request as ${success ? 'succeeded' : 'failed'}`)
  }

  /**
   * Stops a job's work on request (cancel, complete), as beginStop does, and commits the first slice.
   * Returns the job as it is after that slice. Throws not_found, or conflict `job_finished` for an ended job.
   */
  private stopJob(jobId: number, why: string): JobSummary {
    const job = this.activeJob(jobId)
    if (!job.cancelRequested) {
      this.log(job, null, 'WARN', why)
      this.budget.start()
      this.beginStop(job)
      this.commit()
    }
    return toJobSummary(job.rec, job.tasks.size)
  }

  /**
   * The one way a job's work is stopped, whoever asks (a cancel, a complete, the engine's own failures
   * and its queue timeout: endAs): its tasks end (cancelTask) a tick's slice at a time, the first
   * slice now, each committed by its tick. A job that has tasks left after that slice, or executors
   * still stopping, is `cancelling` until they have all ended, stored with the state it then takes
   * (its forcedStatus, and failReason as its error; none: cancelled), so a restart in the middle ends
   * it so too; then it takes that state (maybeFinish). The caller commits.
   */
  private beginStop(job: ActiveJob): void {
    job.cancelRequested = true
    if (job.forcedStatus) job.rec.error = storedReason(job.failReason ?? null) // its end's reason, stored while it is cancelling
    else if (job.cancelReason !== undefined) job.rec.error = storedReason(job.cancelReason) // so too a cancel's, for a restart in the middle
    this.dirtyJobs.add(job)
    this.stopping.set(job, job.tasks.values())
    this.stopSome(job)
    if (job.running > 0 || this.stopping.has(job)) this.setJobStatus(job, 'cancelling')
    this.maybeFinish(job)
    if (this.stopping.size) this.scheduleTick()
  }

  /**
   * Ends `job` on the engine's own account as `status` with `reason` as its error, its work stopped
   * as beginStop stops it (sliced); a job already being stopped (a cancel) ends so instead. Logs the reason.
   */
  private endAs(job: ActiveJob, status: 'failed' | 'timed_out', reason: string): void {
    job.failReason = reason
    job.forcedStatus = status
    this.log(job, null, 'ERROR', reason)
    if (!job.cancelRequested) return this.beginStop(job)
    job.rec.error = storedReason(reason) // stored with its stop, for a restart in the middle of it
    this.dirtyJobs.add(job)
    this.maybeFinish(job)
  }

  /**
   * Ends the next of a stopping job's tasks while the tick's slice lasts (at least one, unless not
   * `atLeastOne`); once none is
   * left the job is no longer stopping and may finish. Returns how many tasks it walked.
   */
  private stopSome(job: ActiveJob, atLeastOne = true): number {
    const left = this.stopping.get(job)
    if (!left) return 0
    let walked = 0
    while ((atLeastOne && walked === 0) || !this.budget.spent(this.changes())) {
      const next = left.next()
      if (next.done) {
        this.stopping.delete(job)
        this.maybeFinish(job)
        break
      }
      walked++
      this.cancelTask(job, next.value)
    }
    return walked
  }

  /**
   * Lets outside events (a callback, a wakeup) act on a running job through its control,
   * committing what they change before returning.
   */
  act<T>(jobId: number, fn: (ctl: JobControl) => T): T {
    const job = this.activeJob(jobId)
    this.budget.start()
    const result = fn(job.ctl)
    this.maybeFinish(job)
    this.dispatch()
    this.commit()
    return result
  }

  /**
   * act for an outside call whose answer tells its client that its change is saved (wakeup.json:
   * nothing answered ok may be lost by a kill). It runs under jobdesk.db's write lock, taken
   * (BEGIN IMMEDIATE) before anything changes and let go once `fn`'s changes and what follows from
   * them are committed; what the engine had not saved yet is saved first, so the stored job is the
   * job as it is. `fn` gets the job's control, `weigh` and `putBack`. `weigh`: called once `fn` has
   * written all it writes (the job's context or a group's sub-context, the tasks it changed), before
   * anything follows from it, it saves them at once and weighs them against the submitter's bounds
   * (what their jobs keep, what their unfinished jobs hold); past one it puts them back as stored
   * and throws StateTooLarge, the job left as it was. `putBack`: for `fn` refusing its change itself
   * (before `weigh`), it puts back as stored what `fn` marked changed (contextChanged, a group's
   * touch, taskChanged).
   * @returns what `fn` returns
   * @throws SQLITE_BUSY (store/connection.ts isBusy) when another connection holds the write lock, or
   *   the engine still holds changes such a lock refused: nothing changed (the HTTP layer tries again,
   *   then answers 503 database_locked, http/busy-retry.ts); what act and `fn` throw; StateTooLarge from `weigh`
   */
  actSaved<T>(jobId: number, fn: (ctl: JobControl, weigh: () => void, putBack: () => void) => T): T {
    const job = this.activeJob(jobId)
    // its changes are kept in memory until the lock goes (holdForRetry): a commit now would save nothing
    if (this.busy) throw Object.assign(new Error('database is locked: the engine still waits to save changes another connection\'s lock refused'), { code: 'SQLITE_BUSY' })
    const db = this.store.db
    const outer = !db.inTransaction // inside a caller's transaction, that one holds the lock and commits
    if (outer) db.exec('BEGIN IMMEDIATE') // SQLITE_BUSY here, nothing changed, while another connection holds the lock
    try {
      this.commit()
      return this.act(jobId, (ctl) => fn(ctl, () => this.weighSaved(job), () => this.putBack(job, this.unsavedOf(job))))
    } finally {
      // what was written is kept whatever `fn` threw: the engine's memory already has it
      if (outer && db.inTransaction) db.exec('COMMIT')
    }
  }

  /**
   * actSaved's `weigh`: saves `job`'s changed tasks, its record with its context and its groups'
   * changed rows in a transaction of their own, checked against its submitter's bounds (watchKept) as
   * a commit is. Past one, that transaction rolls back, what it wrote is read back as stored
   * (actSaved saved it before `fn` ran: putBack) and StateTooLarge is thrown: bound `held` or `kept`, or
   * `context` for a value the store refuses (StateNotStorableError: too large, too deep). Any other
   * failure of the save is thrown as it is, memory put back as stored too.
   */
  private weighSaved(job: ActiveJob): void {
    const unsaved = this.unsavedOf(job)
    const { withContext, groups, tasks } = unsaved
    try {
      this.store.transaction(() => {
        const kept = this.watchKept([job.rec.id])
        // a task's output (a wakeup's body) is held work as the context is: weighed with it, as the commit will
        for (const t of tasks) this.store.jobs.saveTask(t.rec)
        this.store.jobs.saveJob(job.rec, withContext, !job.driver.resultIsContext, stopAsOf(job))
        saveGroups(this.store, groups)
        kept.check()
      })
    } catch (e) {
      // whatever the save failed on, memory goes back to what is stored: a change left there unsaved
      // would fail the next commit, which saves every job's changes (another user's submit's, #9)
      this.putBack(job, unsaved)
      if (e instanceof KeptBytesExceeded) throw new StateTooLarge(e.submitter, e.kept, e.max, e instanceof HeldBytesExceeded ? 'held' : 'kept')
      if (e instanceof StateNotStorableError) throw new StateTooLarge(job.rec.submitter, e.bytes ?? 0, e.limit ?? STATE_JSON_LIMIT, 'context', e.message)
      throw e
    }
    // saved: the commit need not serialize them again (a change after this marks them again)
    this.savedAlready(job, unsaved)
  }

  /** What of `job` the next commit would write: its context (with its record), its groups' changed rows, its changed tasks. */
  private unsavedOf(job: ActiveJob): { withContext: boolean; groups: DirtyGroups; tasks: ActiveTask[] } {
    const id = job.rec.id
    return {
      withContext: this.dirtyContexts.has(job),
      groups: new Map([...this.dirtyGroups].filter(([g]) => g.jobId === id)),
      tasks: [...this.dirtyTasks].filter((t) => t.rec.jobId === id),
    }
  }

  /**
   * Reads `unsaved` back as stored into the engine's memory (the context, the groups' sub-contexts, the
   * tasks' records), for a change refused after actSaved saved the job: what is stored is the job as
   * it was before the change.
   */
  private putBack(job: ActiveJob, unsaved: ReturnType<Engine['unsavedOf']>): void {
    const id = job.rec.id
    if (unsaved.withContext) job.rec.context = this.store.jobs.get(id)?.context ?? null
    for (const [g, indices] of unsaved.groups) {
      for (const i of indices) {
        const row = g.row(i)
        if (row) row.context = this.store.groups.context(id, g.parent, i) ?? null
      }
    }
    for (const t of unsaved.tasks) {
      const stored = this.store.jobs.task(id, t.rec.name)
      if (stored) Object.assign(t.rec, stored)
    }
    this.savedAlready(job, unsaved)
  }

  /**
   * `unsaved` (of `job`) is stored as it is in memory: its context and groups' rows are no longer to be
   * written by the next commit. Its tasks stay marked: the commit tells their change to the app's
   * events (their JSON text is kept from this save: store/state-json.ts).
   */
  private savedAlready(job: ActiveJob, unsaved: ReturnType<Engine['unsavedOf']>): void {
    this.dirtyContexts.delete(job)
    for (const [g, indices] of unsaved.groups) {
      this.dirtyGroups.delete(g)
      this.dirtyGroupCount -= indices.size
    }
  }

  /**
   * Resolves a held task (an async function's callback) as if its executor had answered. A callback
   * may beat the dispatch's own answer: it is then recorded durably and applied once the task is held.
   * Its changes are committed as act commits them (held in memory while another connection holds the
   * write lock): for the engine's own callers (a sub-flow's end). A client's callback uses resolveSaved.
   * @throws not_found / conflict as act; conflict `task_not_waiting` when the task is neither held nor dispatching
   */
  resolve(jobId: number, taskName: string, outcome: Outcome): void {
    this.act(jobId, () => this.applyCallback(jobId, taskName, outcome))
  }

  /**
   * resolve for a client's callback whose answer tells it that the result is saved (Rill Flow's
   * finish.json and a function's trigger.json: nothing answered ok may be lost by a kill): run by
   * actSaved, so it returns only once the task's end (or, ahead of its dispatch's answer, the callback
   * recorded for it) and what follows from it are in jobdesk.db. What the callback writes (its output
   * mappings' context, the output the task keeps) is weighed by actSaved's `weigh` before the task
   * ends, as upstream's saveContext refuses a context past its limit before the task changes: past a
   * bound nothing is kept and the task still waits for its callback.
   * @throws what resolve throws; SQLITE_BUSY while another connection holds the write lock, nothing changed (actSaved);
   *   StateTooLarge (shared/quotas.ts) when what it writes would pass the submitter's bounds or the context's own limits
   */
  resolveSaved(jobId: number, taskName: string, outcome: Outcome): void {
    this.actSaved(jobId, (_ctl, weigh, putBack) => this.applyCallback(jobId, taskName, outcome, { weigh, putBack }))
  }

  /**
   * resolve's and resolveSaved's work, inside act: applies `outcome` to the held task, or records it for a
   * task still dispatching. `saved` (resolveSaved): actSaved's weigh and putBack, for a callback that is
   * refused, the task left held, when what it writes would pass a bound.
   */
  private applyCallback(jobId: number, taskName: string, outcome: Outcome, saved?: { weigh: () => void; putBack: () => void }): void {
    const job = this.active.get(jobId)!
    const task = job.tasks.get(taskName)
    if (task?.controller && task.rec.status === 'running') {
      // kept in memory only once stored: a save refused (the lock) must not leave it to be applied later
      const runtime = { ...(task.rec.runtime ?? {}), pendingCallback: outcome }
      this.store.jobs.saveTask({ ...task.rec, runtime })
      task.rec.runtime = runtime
      return
    }
    if (!task || !job.held.has(task)) throw conflict('task_not_waiting', `task ${taskName} is not waiting for a result`)
    job.held.delete(task)
    if (!saved) return this.applyVerdict(job, task, job.driver.interpret(job.ctl, task.rec, outcome))
    let verdict: Verdict
    try {
      verdict = job.driver.interpret(job.ctl, task.rec, outcome, saved.putBack)
      // the output the task keeps is held work as the context its mappings wrote: weighed with it, before the task ends
      if (verdict.status !== 'hold' && verdict.output !== undefined) {
        task.rec.output = verdict.output
        this.dirtyTasks.add(task)
      }
      saved.weigh()
    } catch (e) {
      job.held.add(task) // refused: it still waits for its callback (weigh and the driver put back what was written)
      throw e
    }
    this.applyVerdict(job, task, verdict)
  }

  /**
   * Runs part of a job again: the chosen tasks (by default the named ones and all downstream)
   * go back to pending, a finished job reopens, and the driver starts what can start. The tasks the
   * driver removes (a running foreach's sub-tasks) are drained (drain): their executors stopped,
   * their queue entries dropped. `prepare` may adjust the job first (a context patch) through its control.
   * Every precondition is checked before anything changes, in memory or in the store, so a refused
   * redo changes nothing: throws not_found for no such job, conflict `job_stopping` for a job being
   * stopped (cancelling: its stop ends its tasks in slices; redo it once it has ended, as Rill Flow's
   * redo.json waits for it), conflict `task_running` when a task it would reset runs its executor, what
   * jobs.dropSubTasks throws (invalid `not_top_level_task`), and what admit throws for an ended job
   * re-opened (its submitter's unfinished jobs hold too much). `patch`: what the context patch
   * `prepare` writes weighs, weighed against the bound of held work (for a running job too) before
   * anything changes; once written, the context counts by its shape as it is saved (store saveJob). A redo
   * that resets nothing writes no patch, and the job's log says so.
   */
  /**
   * Weighs `bytes` a submitter's job would hold besides what they hold now against their bound of
   * held work (as redo weighs a context patch), changing nothing: the context patch of a redo stored to
   * run after a cancel (with the patches already waiting), which is otherwise weighed only when it
   * runs. Throws what the bound's admit throws (held bytes too much); nothing when there is no bound.
   */
  assertRoomForBytes(submitter: string, bytes: number): void {
    if (bytes > 0) this.admit?.(submitter, { queued: 0, addingQueued: 0, held: this.active.heldBy(submitter), adding: { jobs: 0, tasks: 0, bytes } })
  }

  redo(jobId: number, names: string[] | null, prepare?: (ctl: JobControl) => void, patch?: ContextPatchWeight): JobRecord {
    this.assertNotRecovering(jobId) // it would make a second live job of one recovery is making live
    let job = this.active.get(jobId)
    // a stop under way holds the job's tasks (its `stopping` iterator walks them) and the state it ends
    // in: a redo beside it reset a foreach the stop then ended, and its job status could not go back to running
    if (job?.cancelRequested) throw conflict('job_stopping', `job ${jobId} is being stopped (${STATUS_LABELS[job.rec.status]}); redo it once it has ended`)
    const owned = job?.rec ?? this.store.jobs.getWithoutState(jobId)
    if (owned) this.assertMayResume(owned)
    if (!this.tickScheduled) this.tickAfterIo = true // see scheduleTick at the end
    // the tasks whose sub-tasks go whole (a foreach's 100k): neither read nor kept, and dropped in two
    // rows (jobs.dropSubTasks: hidden from every reader at once, their rows removed in steps by the sweep)
    let roots: string[]
    const patchBytes = patch ? patch.chars + patch.extra : 0
    if (job) {
      roots = job.driver.redoRoots?.(job.rec, names, (n) => n.flatMap((name) => job!.tasks.get(name)?.rec ?? [])) ?? []
      // a context patch a running job takes is held as a submitted context is: weighed first (atk: twelve
      // waiting executions patched with 300,000 `{}` each held 22 heap bytes a counted character)
      if (patchBytes) this.admit?.(job.rec.submitter, { queued: 0, addingQueued: 0, held: this.active.heldBy(job.rec.submitter), adding: { jobs: 0, tasks: 0, bytes: patchBytes } })
    } else {
      const rec = this.store.jobs.get(jobId)
      if (!rec) throw notFound('job', jobId)
      const driver = this.driverFor(rec)
      roots = driver.redoRoots?.(rec, names, (n) => this.store.jobs.someTasks(jobId, { names: n })) ?? []
      // nothing to reset (names it does not have, or no unfinished task): the ended job stays as it ended,
      // unread (re-opening a 20,000-item foreach's execution to reset nothing held the thread 2.3 s)
      if (driver.redoRoots && !roots.length) {
        // said once a job while this process runs, in a line of bounded length: an ended job's log is
        // counted once, at its end, so repeated redos of 200 long names each wrote 2.5 MB no quota saw (atk)
        // a context patch goes into the tasks a redo resets: answered ok (as Rill Flow answers it), but said
        // not applied, by its size alone (a patch of megabytes in the line is what atk's flood was)
        const noted = patch ? `${jobId}:patch` : String(jobId)
        if (!this.idleRedoNoted.has(noted)) {
          this.idleRedoNoted.add(noted)
          const unapplied = patch ? `, and its context patch (${formatCount(patch.chars)} characters) was not applied` : ''
          this.note(jobId, 'INFO', `${names?.length ? `redo: no task named ${namesInBrief(names)}` : 'redo: no unfinished task'}; nothing reset${unapplied}`)
        }
        return rec
      }
      job = activateJob(rec, roots.length ? this.store.jobs.tasksOutside(jobId, roots) : this.store.jobs.tasks(jobId), driver, this.store.logs.nextSeq(jobId))
      // an ended job re-opened is held in memory again, with its tasks and its input and state: weighed as a submit is
      this.admit?.(rec.submitter, { queued: 0, addingQueued: 0, held: this.active.heldBy(rec.submitter), adding: { jobs: 1, tasks: job.tasks.size, bytes: this.store.keptBytes.heldByJob(jobId) + patchBytes } })
      job.ctl = this.control(job)
    }
    const plan = job.driver.redo?.(job.ctl, names) ?? { reset: downstream(job, names ?? []), remove: [] }
    for (const name of plan.reset) {
      const task = job.tasks.get(name)
      if (task?.controller) throw conflict('task_running', `task ${name} is running; cancel or wait for it before redo`)
    }
    const underRoot = (name: string) => roots.some((r) => name.startsWith(`${r}_`))
    // a reset or removed task's groups start afresh (a foreach that runs again makes them again).
    // Stored first, before anything changes in memory: a write refused by another program's lock
    // leaves the job as it was, and the request is tried again whole (http/busy-retry.ts)
    const cleared = [...plan.reset, ...plan.remove.filter((n) => !underRoot(n))]
    this.store.transaction(() => {
      this.store.jobs.dropSubTasks(jobId, roots)
      this.store.jobs.deleteTasks(jobId, plan.remove.filter((n) => !underRoot(n)))
      this.store.groups.clear(jobId, cleared.filter((n) => !roots.includes(n)))
    })
    if (roots.length) this.store.sweeper.wake()
    plan.apply?.()
    prepare?.(job.ctl)
    let stopping = 0
    for (const name of plan.remove) {
      const task = job.tasks.get(name)
      if (!task) continue
      if (this.drain(job, task)) stopping++
      job.tasks.delete(name)
      job.dependents.delete(name)
    }
    if (stopping) this.log(job, null, 'INFO', `redo: stopping ${stopping} running task${stopping === 1 ? '' : 's'} it removed`)
    for (const name of plan.reset) {
      const task = job.tasks.get(name)
      if (task) this.resetTask(job, task)
    }
    recount(job)
    if (job.rec.status !== 'running' && job.rec.status !== 'queued') this.setJobStatus(job, 'running')
    Object.assign(job.rec, { finishedAt: null, error: null, result: null })
    // the job is re-opened: nothing of a stop that ended it stays (none is under way: refused above)
    Object.assign(job, { firstError: null, cancelRequested: false })
    delete job.forcedStatus
    delete job.failReason
    delete job.cancelReason
    this.stopping.delete(job)
    this.overHeld.delete(job)
    // a reset foreach is weighed and reserves again at its new start; a running one's reservation is made again at activation
    this.active.release(job)
    this.dirtyJobs.add(job)
    this.log(job, null, 'INFO', `redo: ${plan.reset.length ? plan.reset.join(', ') : 'nothing to reset'}`)
    this.active.set(jobId, job) // counted again with the tasks it has now (a plan may remove some)
    this.heartbeat.keep()
    const clearedNames = new Set(cleared)
    for (const name of [...job.groups.keys()]) {
      if (!clearedNames.has(name) && !underRoot(name)) continue
      const groups = job.groups.get(name)
      if (groups) this.dirtyGroups.delete(groups)
      job.groups.delete(name)
    }
    drainActivation(job.driver.activate(job.ctl))
    this.updateProgress(job)
    this.maybeFinish(job)
    // its tasks start in the next tick, after pending I/O: a 100k-item foreach's redo (its execution
    // read, its sub-tasks dropped) and the foreach's start back to back held a status probe 210 ms
    this.scheduleTick()
    this.commit()
    return job.rec
  }

  /**
   * Takes a task a redo removes (a sub-task of a foreach or choice it resets) out of the job's
   * bookkeeping: no longer waiting or held, its timers cleared, its unsaved changes forgotten (its row
   * is dropped), and an executor it runs stopped as cancel stops it, after the redo's commit. Its
   * ready-queue entry is dropped when its turn comes, and its executor's end only gives back its slot
   * (isGone). Returns whether it had an executor to stop: the job ends only once that has returned.
   */
  private drain(job: ActiveJob, task: ActiveTask): boolean {
    if (task.rec.status === 'queued') job.waiting--
    if (job.held.delete(task)) job.driver.stopped?.(job.ctl, task.rec) // what it waited for outside is let go
    for (const t of task.timers) this.clock.clearTimeout(t)
    task.timers = []
    this.dirtyTasks.delete(task)
    if (!this.slotted.has(task)) return false
    // one started but not executing yet never executes (execute); one executing is aborted
    this.afterCommit.push(() => this.abortTask(task, 'cancel'))
    return true
  }

  private resetTask(job: ActiveJob, task: ActiveTask): void {
    const s = task.rec.status
    if (s === 'pending') return
    if (s === 'queued') job.waiting--
    if (job.held.delete(task)) job.driver.stopped?.(job.ctl, task.rec) // before its runtime (what it waited for) is cleared
    for (const t of task.timers) this.clock.clearTimeout(t)
    task.timers = []
    this.setTaskStatus(task, 'pending')
    Object.assign(task.rec, { attempt: 0, input: null, output: null, error: null, runtime: null, runAfter: null, startedAt: null, finishedAt: null })
  }

  /** Adds a line to a job's log (a dialect's own notes, like Linkis's "Your job is accepted"). */
  note(jobId: number, level: LogLevel, text: string): void {
    // a job recovery has yet to take up: once it has (its log's next line number is read as it does)
    const waiting = this.notesWaiting.get(jobId)
    if (waiting) return void waiting.push({ level, text })
    if (this.recovering.has(jobId)) return void this.notesWaiting.set(jobId, [{ level, text }])
    const job = this.active.get(jobId)
    if (job) return this.log(job, null, level, text)
    const time = this.clock.now()
    const append = () => this.store.logs.append([{ jobId, seq: this.store.logs.nextSeq(jobId), taskId: null, time, level, text }])
    try {
      append()
    } catch (e) {
      if (!isBusy(e)) throw e
      // another program holds the lock: the line is written once it lets go (its seq read then)
      void this.store.whileBusy(append).catch((error: unknown) => this.onError(error, jobId))
    }
  }

  /** Resolves when the job reaches a final state, and it is saved. */
  waitFor(jobId: number): Promise<JobRecord> {
    // ended, but not saved yet (the database is locked: holdForRetry): resolved once it is
    const unsaved = this.active.has(jobId) ? undefined : [...this.dirtyJobs].find((j) => j.rec.id === jobId)
    if (unsaved) return new Promise((resolve) => this.afterCommit.push(() => resolve(unsaved.rec)))
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

  /**
   * Why a queued job has not started, told from the scheduler's state now (fair-queue.ts
   * waitingReasonText); why a running job's work has not started, as its waiting attempt's executor
   * tells it now (TaskContext.waiting: a SQL task waiting for the SQL memory budget, "waiting for
   * memory: …"), named "task <name>: …" in a job of several tasks; or null when the job waits for
   * nothing here (working, being stopped, ended, unknown). Computed when asked, never kept per job (a
   * user may have 1,000 queued): walks the submitter's queue up to this job. `reader`: the user name
   * it is told to (the submitter reads "yours"; undefined: told as to the submitter); `readerIsAdmin`:
   * an admin reads the submitter's counts by name, any other reader who is not the submitter (the user
   * a job runs as) only the pool's state (WaitingState.poolOnly).
   */
  waitingReason(jobId: number, reader?: string, readerIsAdmin = false): string | null {
    return this.waitingReasons([jobId], reader, readerIsAdmin).get(jobId) ?? null
  }

  /**
   * waitingReason for many jobs at once (a page of the list), by job id; jobs not queued are absent.
   * One walk of each submitter's queue for all of their jobs asked.
   */
  waitingReasons(jobIds: readonly number[], reader?: string, readerIsAdmin = false): Map<number, string> {
    const bySubmitter = new Map<string, Set<number>>()
    const reasons = new Map<number, string>()
    for (const id of jobIds) {
      const job = this.active.get(id)
      if (!job || job.cancelRequested) continue
      if (job.rec.status === 'running') {
        const why = this.attemptsWaitingReason(job, reader !== undefined && reader !== job.rec.submitter && !readerIsAdmin)
        if (why !== null) reasons.set(id, why)
        continue
      }
      if (job.rec.status !== 'queued') continue
      const ids = bySubmitter.get(job.rec.submitter) ?? new Set<number>()
      bySubmitter.set(job.rec.submitter, ids.add(id))
    }
    for (const [submitter, ids] of bySubmitter) {
      const { held, share } = this.ready.standing(submitter)
      const ahead = this.ready.aheadOf(submitter, (r) => r.job.rec.id, ids)
      for (const id of ids) {
        const before = ahead.get(id)
        reasons.set(
          id,
          before === undefined
            ? this.delayedReason(this.active.get(id)!)
            : waitingReasonText({
                concurrency: this.concurrency,
                lane: this.newcomerLane,
                running: this.running,
                held,
                share,
                ahead: before,
                submitter,
                own: reader === undefined || reader === submitter,
                poolOnly: reader !== undefined && reader !== submitter && !readerIsAdmin,
              }),
        )
      }
    }
    return reasons
  }

  /**
   * Why a running job's work waits: its oldest waiting attempt's reason (TaskContext.waiting), asked
   * now, with the others counted; null when none waits. A map lookup per job: a page of 200 costs nothing.
   * `poolOnly`: told to a reader who is neither the submitter nor an admin (TaskContext.waiting).
   */
  private attemptsWaitingReason(job: ActiveJob, poolOnly: boolean): string | null {
    const waiting = this.waitingAttempts.get(job.rec.id)
    const first = waiting?.entries().next().value
    if (!waiting || !first) return this.heldReason(job)
    const [task, why] = first
    const text = job.tasks.size > 1 ? `task ${task.rec.name}: ${why(poolOnly)}` : why(poolOnly)
    return andMoreWaiting(text, waiting.size - 1)
  }

  /**
   * Why a running job whose work all waits outside the engine (held tasks: a wakeup, a callback, a
   * sub-flow; JobDriver.heldFor) has not ended: `waiting for its wakeup`, named `task <name>: …` in a
   * job of several tasks, the others held counted (parents passed over, JobDriver.heldFor null: they
   * wait for these); null while any of its tasks is queued or runs (it works), or none is held.
   */
  private heldReason(job: ActiveJob): string | null {
    if (job.held.size === 0 || job.running > 0 || job.waiting > 0) return null
    // the first held task that waits for something of its own; a parent waiting for its items is
    // passed over (JobDriver.heldFor null) and not counted: its items are
    let passed = 0
    let first: ActiveTask | undefined
    for (const held of job.held) {
      first ??= held
      const what = job.driver.heldFor ? job.driver.heldFor(job.ctl, held.rec) : 'its answer'
      if (what !== null) {
        const text = job.tasks.size > 1 ? `task ${held.rec.name}: waiting for ${what}` : `waiting for ${what}`
        return andMoreWaiting(text, job.held.size - 1 - passed)
      }
      // asked per job of a list page: a nested foreach's thousands of held parents are not all looked at (a
      // foreach of 100 foreaches holds 101 before its first leaf)
      if (++passed === HELD_PARENTS_PASSED) break
    }
    return first ? andMoreWaiting(`task ${first.rec.name}: waiting for its sub-tasks`, job.held.size - 1) : null
  }

  /**
   * Records that `task`'s attempt waits (`why` tells why) or, null, that it waits no more
   * (TaskContext.waiting). While it waits it gives its concurrency slot back (pool or newcomer lane,
   * and its submitter's share), and the next tick starts other work in it: SQL tasks waiting for the
   * memory budget held every slot, so no other user's shell job could start while one user's endless
   * SQL jobs held the budget (#9, atk). It takes its slot again when its wait ends, at once, even past
   * a full pool or its submitter's share: it is not queued again, so a cancel, timeout or shutdown
   * finds it as any running attempt, and recovery sees a running task as before. That cannot grow the
   * pool for long: a SQL task's wait ends when a running SQL job's claim is released, so the slot it
   * takes is the one that job's end gives back (both counted for a moment, until that end is recorded).
   * A submitter's attempts give back at most their share of slots (lentSlots); more of theirs that
   * wait keep theirs, so their share still bounds how many of their tasks run or wait.
   */
  private setWaiting(job: ActiveJob, task: ActiveTask, why: ((poolOnly: boolean) => string) | null): void {
    const id = job.rec.id
    const waiting = this.waitingAttempts.get(id)
    if (why === null) {
      if (waiting?.delete(task) && waiting.size === 0) this.waitingAttempts.delete(id)
      if (task.slotFreed) this.takeSlotBack(job, task)
      return
    }
    if (waiting) waiting.set(task, why)
    else this.waitingAttempts.set(id, new Map([[task, why]]))
    const submitter = job.rec.submitter
    if (!task.slotFreed && this.slotted.has(task) && this.lentSlots.get(submitter) < this.ready.standing(submitter).share) {
      task.slotFreed = true
      this.lentSlots.add(submitter)
      this.running--
      this.ready.release(submitter)
      this.scheduleTick() // its slot goes to the next ready task
    }
  }

  /** A waiting attempt that gave its slot back (setWaiting) waits no more, or ends: it counts in the pool again. */
  private takeSlotBack(job: ActiveJob, task: ActiveTask): void {
    task.slotFreed = false
    this.lentSlots.remove(job.rec.submitter)
    this.running++
    this.ready.take(job.rec.submitter)
  }

  /** A queued job none of whose tasks is in the ready queue: its task waits out a delay (a retry's backoff, a driver's "later") first. */
  private delayedReason(job: ActiveJob): string {
    let after = Number.POSITIVE_INFINITY
    for (const t of job.tasks.values()) if (t.rec.status === 'queued' && t.rec.runAfter != null) after = Math.min(after, t.rec.runAfter)
    return Number.isFinite(after) ? `waiting until ${new Date(after).toISOString()}: its start is delayed until then` : 'waiting for its turn: it starts at the scheduler’s next turn'
  }

  isActive(jobId: number): boolean {
    return this.active.has(jobId)
  }

  /** The live record of a running job (fresher than the store between ticks), else the stored one. */
  job(jobId: number): JobRecord | undefined {
    return this.active.get(jobId)?.rec ?? this.store.jobs.get(jobId)
  }

  /**
   * The live records of some tasks of a running job, by name (read-only: for views); undefined
   * when the job is not running. Saves reading large rows back from the store.
   */
  liveTasks(jobId: number, names: readonly string[]): TaskRecord[] | undefined {
    const job = this.active.get(jobId)
    if (!job || this.recovering.has(jobId)) return undefined // a job recovery is making live: what the store holds
    return names.flatMap((n) => {
      const t = job.tasks.get(n)
      return t ? [t.rec] : []
    })
  }

  /**
   * The live groups of a task of a running job (read-only: for views), or undefined when the job is
   * not running or its driver has not read them. Counting them here costs nothing; the store would scan.
   */
  liveGroups(jobId: number, parent: string): TaskGroups | undefined {
    return this.recovering.has(jobId) ? undefined : this.active.get(jobId)?.groups.get(parent)
  }

  /**
   * Takes up the jobs a previous process left unfinished, saving what it changed, all in this turn:
   * for callers that hold the thread by design (tests, tools). The app uses recoverInSlices.
   */
  recover(): RecoveryReport {
    return drain(this.recovery())
  }

  /**
   * Takes up the jobs a previous process left unfinished, saving what it changed, one job after the
   * other and each in slices of a tick's time (sliced.ts: a waiting foreach of 100,000 items held the
   * main thread 4.4-6.5 s in one turn, and the server, which now listens meanwhile, did not answer).
   * Each job's changes are committed once it is taken up, so a restart in the middle of recovery finds
   * the jobs before it taken up and takes up the rest. Call once, before any tick runs (the app holds
   * them until it resolves: ticksAfter), so that nothing starts before every job is known; meanwhile a
   * request that acts on a job not yet taken up is refused (503 recovering, activeJob) and
   * `isRecovering` says so. Resolves with what it did: early, the rest left to the next start, when the
   * engine stops meanwhile. `sliceMs`: each slice's time (ms), a tick's by default (runSliced).
   */
  async recoverInSlices(sliceMs?: number): Promise<RecoveryReport> {
    const report: RecoveryReport = { resumedTasks: 0, failedTasks: 0, jobs: 0 }
    try {
      return await runSliced(this.recovery(report), 'restart recovery', () => this.stopped, sliceMs)
    } catch (e) {
      if (e instanceof SlicedWorkStopped) return report
      throw e
    }
  }

  /** recover's work as a sliced loop (sliced.ts), counted into `report`; a job it cannot take up is quarantined. */
  private *recovery(report: RecoveryReport = { resumedTasks: 0, failedTasks: 0, jobs: 0 }): Generator<void, RecoveryReport, void> {
    const aliveAt = this.store.heartbeat.lastAt() // before this process's own first beat (activate)
    const ids = this.store.jobs.unfinishedIds()
    for (const id of ids) this.recovering.add(id)
    this.recoveringOf = ids.length
    try {
      for (const id of ids) {
        report.jobs++
        try {
          yield* this.recoveringJob(id, aliveAt, report)
        } catch (e) {
          this.onError(e, id)
          this.quarantineStored(id, `JobDesk could not resume this job after a restart: ${messageOf(e)}`)
        }
        this.recovering.delete(id)
        this.writeWaitingNotes(id)
      }
    } finally {
      this.recovering.clear() // also when the engine stops in the middle (runSliced returns the loop)
      for (const id of [...this.notesWaiting.keys()]) this.writeWaitingNotes(id)
    }
    return report
  }

  /** Writes the lines noted for job `id` while recovery had yet to take it up (note). */
  private writeWaitingNotes(id: number): void {
    const lines = this.notesWaiting.get(id)
    this.notesWaiting.delete(id)
    for (const { level, text } of lines ?? []) this.note(id, level, text)
  }

  /** Whether a restart's recovery is still taking up unfinished jobs (recover): their tasks start once it is over. */
  isRecovering(): boolean {
    return this.recovering.size > 0
  }

  /**
   * Takes up one unfinished job (recover) as a sliced loop: reads its tasks and its groups a page at a
   * time, decides what each interrupted task becomes (recoverJob), makes it live and commits.
   */
  private *recoveringJob(id: number, aliveAt: number | null, report: RecoveryReport): Generator<void, void, void> {
    const rec = this.store.jobs.get(id)
    if (!rec) return
    yield // its context read and parsed: 40-55 ms for a foreach's 100,000 items
    const tasks: TaskRecord[] = []
    for (let after = 0; ; ) {
      const page = this.store.jobs.tasksAfter(id, after, SLICE_STEP)
      for (const t of page) tasks.push(t)
      if (page.length < SLICE_STEP) break
      after = page[page.length - 1].id
      yield
    }
    const groups = new Map<string, TaskGroups>()
    for (let after: { parent: string; index: number } | null = null; ; ) {
      const page = this.store.groups.rowsAfter(id, after, SLICE_STEP)
      for (const { parent, ...row } of page) {
        let table = groups.get(parent)
        if (!table) groups.set(parent, (table = new TaskGroups(id, parent, [], this.groupChanged)))
        table.addStored(row)
      }
      if (page.length < SLICE_STEP) break
      const last = page[page.length - 1]
      after = { parent: last.parent, index: last.index }
      yield
    }
    const { resumed, failed, messages, endedAt, changed } = yield* recoverJob(rec, tasks, this.executors, this.clock.now(), aliveAt)
    report.resumedTasks += resumed
    report.failedTasks += failed
    yield
    const job = yield* this.committingAlong(this.activating(rec, tasks, this.store.logs.nextSeq(id), this.store.jobs.stopAs(id), groups))
    // what recovery decided is saved by the commits below, before anything acts on it; they are tried
    // again while another program holds the database's lock, rather than failing the job. Only the
    // tasks it changed: a waiting foreach's 100,000 tasks saved again held a restart seconds (atk18);
    // and a slice of them at a time: a cancel cut short leaves up to all of a job's tasks to change,
    // and 30,000 saved in one commit held the thread 688 ms of CPU (sliced-recovery.test.ts). The job
    // (its error) and recovery's lines go with the first: a restart after it finds them saved
    this.dirtyJobs.add(job)
    for (const m of messages) this.log(job, null, 'WARN', m)
    for (let i = 0; i < changed.length; i++) {
      const task = job.tasks.get(changed[i].name)
      if (task) this.dirtyTasks.add(task)
      if (this.changes() >= SLICE_STEP) {
        this.commit()
        yield
      }
    }
    this.maybeFinish(job, endedAt ?? undefined)
    this.commit()
  }

  /**
   * Runs the sliced loop `work` (sliced.ts) for recovery, committing what it has changed at each of its
   * yields once SLICE_STEP rows or more wait to be saved, and returns what it returns: a job's activation
   * may queue all of its 100k tasks (their dependencies done), whose save in one commit would hold the
   * thread for seconds. Each commit holds only states recovery has decided: a restart in the middle
   * finds them and decides the rest the same way.
   */
  private *committingAlong<T>(work: Generator<void, T, void>): Generator<void, T, void> {
    for (;;) {
      const step = work.next()
      if (step.done) return step.value
      if (this.changes() >= SLICE_STEP) this.commit()
      yield
    }
  }

  /**
   * Fails a job with `reason` in the store, without reading or writing its state: for a job
   * recovery cannot take up (the next start does not stumble on it again; it used to end the
   * process on every start), or one whose end could not be saved.
   */
  private quarantineStored(jobId: number, reason: string): void {
    this.active.delete(jobId)
    for (const j of [...this.stopping.keys()]) if (j.rec.id === jobId) this.stopping.delete(j)
    for (const t of [...this.dirtyTasks]) if (t.rec.jobId === jobId) this.dirtyTasks.delete(t)
    for (const j of [...this.dirtyJobs]) if (j.rec.id === jobId) this.dirtyJobs.delete(j)
    for (const j of [...this.dirtyContexts]) if (j.rec.id === jobId) this.dirtyContexts.delete(j)
    for (const g of [...this.dirtyGroups.keys()]) if (g.jobId === jobId) this.dirtyGroups.delete(g)
    this.unsaved.forget(jobId)
    this.logs.forget(jobId)
    try {
      this.store.jobs.quarantine(jobId, reason, this.clock.now())
      this.store.logs.append([{ jobId, seq: this.store.logs.nextSeq(jobId), taskId: null, time: this.clock.now(), level: 'ERROR', text: reason }])
    } catch (e) {
      this.onError(e, jobId)
    }
  }

  /**
   * Stops running work without recording it as cancelled, as a crash would; recovery takes it up
   * at the next start (interrupted scripts then fail with that reason). Resolves once every
   * executor has returned (its processes are gone), or after `graceMs` at most.
   */
  stop(graceMs = this.stopGraceMs): Promise<void> {
    this.stopped = true
    this.heartbeat.stop()
    if (this.busy?.timer) this.clock.clearTimeout(this.busy.timer)
    this.lockGone() // no more tries: the connection's other writes wait for a lock as usual again
    const stopping: ActiveTask[] = []
    for (const job of this.active.values()) {
      for (const task of job.tasks.values()) {
        if (!task.controller) continue
        stopping.push(task)
        this.abortTask(task, 'shutdown')
      }
    }
    if (!this.inflight.size) {
      this.recordStops(stopping)
      return Promise.resolve()
    }
    let timer: NodeJS.Timeout | undefined
    const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)))
    return Promise.race([Promise.allSettled([...this.inflight]).then(() => undefined), late]).finally(() => {
      clearTimeout(timer)
      this.recordStops(stopping)
    })
  }

  /**
   * Saves when each task `stop` stopped ended (`runtime.stoppedAt`: its executor's return, or now for
   * one that outlived the grace), so the next start's recovery ends it then, not at the restart
   * (newuser3: a job killed at Ctrl+C showed the restart as its end and the downtime in its duration).
   * A task not saved (the database locked) is ended at the restart, as after a crash.
   */
  private recordStops(tasks: ActiveTask[]): void {
    for (const task of tasks) {
      if (typeof task.rec.runtime?.stoppedAt !== 'number') task.rec.runtime = { ...(task.rec.runtime ?? {}), stoppedAt: this.clock.now() }
      try {
        this.store.jobs.saveTask(task.rec)
      } catch {
        // see above: recovery then uses the restart's time
      }
    }
  }

  // ── scheduling ──────────────────────────────────────────────────────────────

  /** Throws AppError unavailable `recovering` (503, retry after 1 s) while a restart's recovery has yet to take job `jobId` up (recover), saying how many of the unfinished jobs it has taken up. */
  assertNotRecovering(jobId: number): void {
    if (!this.recovering.has(jobId)) return
    const taken = this.recoveringOf - this.recovering.size
    throw new AppError('unavailable', 'recovering', `job ${jobId} is being taken up after a restart (recovering: ${formatCount(taken)} of ${formatCount(this.recoveringOf)} unfinished jobs taken up): try again in a moment`, { retryAfterSeconds: 1 })
  }

  private activeJob(jobId: number): ActiveJob {
    this.assertNotRecovering(jobId)
    const job = this.active.get(jobId)
    if (job) return job
    const rec = this.store.jobs.get(jobId)
    if (!rec) throw notFound('job', jobId)
    // "has already ended (succeeded)": "is already succeeded" was no English for most states (newuser5 #11)
    throw conflict('job_finished', `job ${jobId} has already ended (${STATUS_LABELS[rec.status]})`)
  }

  /**
   * Makes a stored job live; `tasks` are its stored task records, `nextSeq` its next log line number
   * (read when not given), `stopAs` the state a cancelling one ends in (activateJob).
   */
  private activate(rec: JobRecord, tasks: TaskRecord[], nextSeq = this.store.logs.nextSeq(rec.id), stopAs: StopStatus | null = null): ActiveJob {
    return drain(this.activating(rec, tasks, nextSeq, stopAs))
  }

  /**
   * activate as a sliced loop (sliced.ts): yields every SLICE_STEP tasks, and wherever the driver's
   * activation yields. `groups`: the job's stored groups by parent, read beforehand (a restart's
   * recovery reads 100k of them over several turns): what the driver's JobControl.groups calls get
   * while it activates the job (a parent without any: none).
   */
  private *activating(rec: JobRecord, tasks: TaskRecord[], nextSeq: number, stopAs: StopStatus | null, groups?: Map<string, TaskGroups>): Generator<void, ActiveJob, void> {
    const driver = this.driverFor(rec)
    const job = yield* activatingJob(rec, tasks, driver, nextSeq, stopAs)
    job.ctl = this.control(job)
    this.active.set(rec.id, job)
    this.heartbeat.keep()
    let i = 0
    for (const task of job.tasks.values()) {
      if (task.rec.status === 'queued') {
        job.waiting++
        this.scheduleReady(job, task)
      } else if (task.rec.status === 'running' && task.rec.runtime?.held) {
        job.held.add(task) // it was waiting for children or a callback: it still is
        this.armHoldDeadline(job, task)
        if (task.rec.runtime.pendingCallback) this.applyVerdict(job, task, { status: 'hold' })
      }
      if (++i % SLICE_STEP === 0) yield
    }
    if (!job.cancelRequested) {
      if (groups) this.groupsRead.set(job, groups)
      try {
        const activation = driver.activate(job.ctl)
        if (activation) yield* activation
      } finally {
        this.groupsRead.delete(job) // read once: a later call (a redo's) reads what the store holds then
      }
    }
    this.armQueueTimeout(job)
    this.scheduleTick()
    return job
  }

  /**
   * A job may say how long it will wait to start (`labels.queueTimeoutMs`, Linkis's
   * jobQueuingTimeout): one still queued then ends timed_out. Counted from creation, so it
   * holds across restarts.
   */
  private armQueueTimeout(job: ActiveJob): void {
    const limit = Number(job.rec.labels.queueTimeoutMs)
    if (!(limit > 0) || job.rec.status !== 'queued') return
    const expire = () => {
      if (job.rec.status !== 'queued' || !this.active.has(job.rec.id)) return
      // its tasks end in slices, as a cancel's (a job of 100k tasks ended in one turn held the thread)
      this.budget.start()
      this.guard(job, 'the queue timeout', () => this.endAs(job, 'timed_out', `waited more than ${limit} ms in the queue without starting`))
      this.commit()
    }
    this.clock.setTimeout(expire, Math.max(0, job.rec.createdAt + limit - this.clock.now()))
  }

  /**
   * Holds every tick (no task starts) until `ready` settles: the app recovers before its server
   * listens, and resumed workflow tasks need the server's callback URL (app.ts).
   */
  ticksAfter(ready: Promise<unknown>): void {
    const gate: Promise<void> = ready.then(
      () => void (this.tickGate === gate && (this.tickGate = null)),
      () => void (this.tickGate === gate && (this.tickGate = null)),
    )
    this.tickGate = gate
  }

  private scheduleTick(): void {
    if (this.tickScheduled || this.stopped) return
    this.tickScheduled = true
    if (this.tickGate) return void this.tickGate.then(() => this.tick())
    if (!this.tickAfterIo) return void setImmediate(() => this.tick())
    // scheduled from an I/O callback, a setImmediate runs before the next poll: the second one runs after it
    this.tickAfterIo = false
    setImmediate(() => setImmediate(() => this.tick()))
  }

  /**
   * One tick: settle finished tasks, run deferred driver work (stopping jobs' tasks first), start
   * ready tasks, commit. Each step stops when the tick's slice is used up (after at least one item,
   * so all of them progress; ready tasks only when no deferred work ran, which is finite); the rest
   * waits for the next tick, after pending I/O. While both wait, every other tick starts ready tasks
   * first (at least one) and runs deferred work only in what is left of its slice: a long stop or
   * fan-out never holds back the other users' tasks, and no tick holds longer than before.
   */
  private tick(): void {
    this.tickScheduled = false
    if (this.stopped) return
    noteActivity('engine tick')
    const began = performance.now()
    this.budget.start()
    let settled = 0
    while (this.completions.length > 0 && (settled === 0 || !this.budget.spent(this.changes()))) {
      const c = this.completions.shift()!
      settled++
      this.guard(c.job, `settling task ${c.task.rec.name}`, () => this.settle(c.job, c.task, c.result, c.reason))
    }
    const settledAt = performance.now()
    const awaiting = [...this.awaitingLog]
    this.awaitingLog.clear()
    for (const job of awaiting) this.guard(job, 'finishing', () => this.maybeFinish(job))
    // while jobs are stopped or fan out and tasks wait to start, every other tick starts tasks first:
    // a stop or a fan-out that spent every slice held back every other user's tasks (atk18: another
    // user's SELECT 1 took 7.4-8.8 s beside a 100,000-item fan-out, 3.2-4.0 s beside its stop)
    // One round of the ready queue's turns (a task per waiting user), not a slice of starts: their
    // settling would take the next tick's slice, and a fan-out's batches shrank to a few groups a tick
    // (dave's 100,000-item fan-out took 104 s instead of 21 s). Every waiting user, the fan-out's owner
    // too: passed over, her fan-out (which waits for its tasks to start) stalled at its first group.
    this.readyFirst = !this.readyFirst && this.ready.length > 0 && (this.stopping.size > 0 || this.deferred.length > 0)
    let started = 0
    let startMs = 0
    const startReady = (atLeastOne: boolean, most?: number) => {
      const at = performance.now()
      started = this.dispatch(atLeastOne, most)
      startMs = performance.now() - at
    }
    if (this.readyFirst) startReady(true, this.ready.users)
    const deferred = this.stopAndDefer(!this.readyFirst)
    // a tick whose deferred work spent its slice starts nothing more: a sub-flow start (copying and
    // storing megabytes) and the next task's preparation in one tick held the loop twice as long (atk30)
    if (!this.readyFirst) startReady(deferred === 0)
    const startedAt = performance.now()
    this.commit()
    const ended = performance.now()
    if (ended - began >= WORK_NOTE_MS) {
      // what a stall report names as the work that held the thread (stall-watch.ts): which step took it
      const ms = (from: number, to: number) => Math.round(to - from)
      noteWork(
        `engine tick: settling ${ms(began, settledAt)} ms (${settled} tasks), deferred work ${ms(settledAt + startMs, startedAt)} ms (${deferred} steps), starting ${Math.round(startMs)} ms (${started} tasks${this.readyFirst ? ', first' : ''}), commit ${ms(startedAt, ended)} ms`,
        ended - began,
      )
    }
    if (this.completions.length > 0 || this.deferred.length > 0 || this.stopping.size > 0) this.scheduleTick()
  }

  /**
   * A tick's stopping jobs' tasks (stopSome), then deferred driver work (JobControl.defer), while the
   * slice lasts. `first`: nothing ran before them in this tick, and at least one step runs (so they
   * always progress), work deferred `alone` too; otherwise (ready tasks started first) only while the
   * slice lasts, and no `alone` work (it runs first in its tick). Returns the steps run (tasks walked,
   * deferred functions).
   */
  private stopAndDefer(first: boolean): number {
    let steps = 0
    const mayGoOn = () => (first && steps === 0) || !this.budget.spent(this.changes())
    // stopping jobs' tasks first: they count as deferred work (their tick starts nothing more than one task)
    for (const job of [...this.stopping.keys()]) {
      if (!mayGoOn()) break
      this.guard(job, 'cancelling its tasks', () => void (steps += this.stopSome(job, first && steps === 0)))
    }
    // work deferred `alone` runs first in its tick and ends the tick's deferred work (JobControl.defer)
    while (this.deferred.length > 0 && ((first && steps === 0) || (!this.deferred[0].alone && !this.budget.spent(this.changes())))) {
      const d = this.deferred.shift()!
      steps++
      if (this.active.has(d.job.rec.id) && !d.job.cancelRequested) this.guard(d.job, 'deferred work', d.fn)
      if (d.alone) break
    }
    return steps
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
      this.ready.push(job.rec.submitter, { job, task })
      this.scheduleTick()
      return
    }
    const timer = this.clock.setTimeout(() => {
      task.timers = task.timers.filter((t) => t !== timer)
      if (task.rec.status !== 'queued') return
      this.ready.push(job.rec.submitter, { job, task })
      this.scheduleTick()
    }, delay)
    task.timers.push(timer)
  }

  /**
   * Starts ready tasks while slots and the tick's slice last (`atLeastOne`: even if the slice is spent),
   * `most` at most; returns how many it started. Once the pool is full, only tasks of submitters holding
   * no slot start, while the newcomer lane has room: a user running nothing gets one task running at once
   * (a minimum share of one, as in Hadoop's Fair Scheduler, which enforces it by preemption), kept here
   * without preemption, which would kill work that cannot resume, by a lane past the pool that grows
   * with such users, one slot each, up to its cap (fair-queue.ts newcomerLane), as worker-slots.ts
   * IDLE_LANE does for worker threads. Pool and lane are counted together, so a slot that frees while
   * lane tasks run reopens the lane first. Past the cap, they wait their turn as before.
   */
  private dispatch(atLeastOne = false, most = Number.POSITIVE_INFINITY): number {
    let started = 0
    while (this.running < this.concurrency + this.newcomerLane && this.ready.length > 0 && started < most) {
      if (this.budget.spent(this.changes()) && !(atLeastOne && started === 0)) {
        this.scheduleTick() // the rest in the next tick
        return started
      }
      const next = this.ready.next(this.running >= this.concurrency)
      if (!next) return started // every waiting user holds their share of the slots, or past a full pool one (or is passed over)
      const { job, task } = next.item
      // an entry of a task a redo removed (a foreach's sub-task made again under the same name) is dropped
      if (task.rec.status !== 'queued' || job.cancelRequested || !this.active.has(job.rec.id) || isGone(job, task)) continue
      started++
      this.guard(job, `starting task ${task.rec.name}`, () => this.start(job, task))
    }
    return started
  }

  /** A queued task's turn: it runs its executor, is held, waits longer, or ends now, as its driver says. */
  private start(job: ActiveJob, task: ActiveTask): void {
    const now = this.clock.now()
    if (job.rec.status !== 'running') {
      this.setJobStatus(job, 'running')
      job.rec.startedAt ??= now
    }
    job.waiting--
    this.setTaskStatus(task, 'running')
    Object.assign(task.rec, { attempt: task.rec.attempt + 1, startedAt: now, finishedAt: null, runAfter: null })
    // rights are asked again as each attempt starts: what allowed the submit may have been taken away
    const refused = this.startRefusal(job.rec, task.rec)
    if (refused !== null) return this.finishTask(job, task, 'failed', { error: refused })
    const prep = job.driver.prepare(job.ctl, task.rec)
    if (prep.action === 'run' || prep.action === 'hold') this.logAttemptStart(job, task)
    if (prep.action === 'run') {
      job.running++
      this.running++
      this.slotted.set(task, job)
      this.ready.take(job.rec.submitter)
      this.afterCommit.push(() => this.execute(job, task))
    } else if (prep.action === 'hold') {
      this.hold(job, task, prep.timeoutMs === undefined ? undefined : now + prep.timeoutMs)
    } else if (prep.action === 'delay') {
      Object.assign(task.rec, { attempt: task.rec.attempt - 1, startedAt: null })
      task.rec.runAfter = prep.untilMs
      this.enqueue(job, task)
    } else {
      this.finishTask(job, task, prep.status, { output: prep.output, error: prep.error ?? null })
    }
  }

  /**
   * Opens each attempt of a task that a redo ran again with a line of the task's own, "── attempt 3
   * (a redo) ──" (its first try), numbered as every view numbers attempts (taskAttemptNumber): a
   * task's log (the task panel) then shows every attempt, where a redone task's showed only the first (the
   * redo's note is a job line). Tries the task's retry policy makes belong to their attempt, opened by
   * "try N of attempt M failed: …; retrying" (retryLine) and by no line of this kind; a task's first run writes none,
   * so a job whose tasks run once logs what it did before.
   */
  private logAttemptStart(job: ActiveJob, task: ActiveTask): void {
    const earlier = task.rec.attempts.length // finished tries, kept through a redo (which counts `attempt` from 1 again)
    if (earlier === 0 || task.rec.attempt !== 1) return
    this.log(job, task, 'INFO', redoAttemptLine(taskAttemptNumber(task.rec)))
  }

  /** Holds a task running without a slot; `deadline` (epoch ms) is kept with it, so it survives a restart. */
  private hold(job: ActiveJob, task: ActiveTask, deadline?: number): void {
    job.held.add(task)
    task.rec.runtime = { ...(task.rec.runtime ?? {}), held: true, ...(deadline ? { holdDeadline: deadline } : {}) } // recovery keeps it waiting
    this.dirtyTasks.add(task)
    this.armHoldDeadline(job, task)
  }

  /** A held task with a deadline (a suspense's or an async call's timeout) is handed a timeout outcome when it passes. */
  private armHoldDeadline(job: ActiveJob, task: ActiveTask): void {
    const deadline = task.rec.runtime?.holdDeadline
    if (typeof deadline !== 'number') return
    const timer = this.clock.setTimeout(
      () => {
        if (!job.held.has(task) || !this.active.has(job.rec.id)) return
        this.guard(job, `the deadline of task ${task.rec.name}`, () =>
          this.act(job.rec.id, () => {
            job.held.delete(task)
            const outcome: Outcome = { ok: false, error: 'timeout', retryable: false, timedOut: true }
            this.applyVerdict(job, task, job.driver.interpret(job.ctl, task.rec, outcome))
          }),
        )
        this.commit()
      },
      Math.max(0, deadline - this.clock.now()),
    )
    task.timers.push(timer)
  }

  private execute(job: ActiveJob, task: ActiveTask): void {
    const { refusal } = task
    const gone = isGone(job, task)
    // cancelled by cancelTask, which found no executor to abort yet: while a write lock holds the start's
    // commit back, that is seconds (attack3: the executor ran anyway and its end failed the job)
    const cancelled = task.rec.status === 'cancelled'
    if (job.failReason !== undefined || refusal !== undefined || gone || cancelled) {
      // the job was stopped, this attempt refused (stopRefused) or cancelled, or its task removed by a redo, between its start and the commit: its executor never runs
      this.running--
      job.running--
      this.slotted.delete(task)
      this.ready.release(job.rec.submitter)
      task.refusal = undefined
      if (refusal !== undefined && job.failReason === undefined && !gone && !cancelled) this.finishTask(job, task, 'failed', { error: refusal })
      this.maybeFinish(job)
      return this.scheduleTick()
    }
    const executor = this.executors.get(task.rec.executor)!
    const controller = new AbortController()
    task.controller = controller
    let settled = false
    const settle = (result: RunResult) => {
      if (settled) return
      settled = true
      // stopped by the shutdown: the tick that would record its end no longer runs (recordStops saves this)
      if (this.stopped) task.rec.runtime = { ...(task.rec.runtime ?? {}), stoppedAt: this.clock.now() }
      task.settle = undefined // its result arrived: an abort now would stop nothing (stopRefused)
      this.setWaiting(job, task, null)
      for (const t of task.timers) this.clock.clearTimeout(t)
      task.timers = []
      this.completions.push({ job, task, result, reason: task.abortReason })
      this.scheduleTick()
    }
    task.settle = settle
    if (task.rec.timeoutMs != null) {
      task.timers.push(this.clock.setTimeout(() => this.abortTask(task, 'timeout'), task.rec.timeoutMs))
    }
    const ctx: TaskContext = {
      jobId: job.rec.id,
      jobUuid: job.rec.uuid,
      submitter: job.rec.submitter,
      taskId: task.rec.id,
      taskName: task.rec.name,
      attempt: task.rec.attempt,
      spec: task.rec.spec,
      input: task.rec.input,
      signal: controller.signal,
      log: (level, text, stream) => this.log(job, task, level, text, stream),
      setRuntime: (runtime) => {
        task.rec.runtime = runtime
        if (this.stopped) return
        try {
          this.store.jobs.saveTask(task.rec) // needed at once: a crash must find the process
        } catch (e) {
          if (!isBusy(e)) throw e
          // locked by another connection: the next commit saves it (retried until the lock goes); the
          // process it describes is already running, and failing its task here would leave it behind
          this.dirtyTasks.add(task)
          this.scheduleTick()
        }
      },
      setJobLabel: (key, value) => {
        if (this.stopped) return
        this.store.jobs.setLabel(job.rec.id, key, value)
        job.rec.labels = { ...job.rec.labels, [key]: value }
        this.dirtyJobs.add(job) // its summary (with the label) goes out with the next commit
        this.scheduleTick()
      },
      progress: (fraction) => {
        if (!(fraction >= 0 && fraction <= 1) || task.settle === undefined) return
        this.updateProgress(job, fraction)
        this.dirtyJobs.add(job)
        this.scheduleTick()
      },
      waiting: (why) => {
        if (task.settle === settle || why === null) this.setWaiting(job, task, why) // an ended attempt waits for nothing
      },
    }
    const run = Promise.resolve()
      .then(() => executor.run(ctx))
      .then(
        (outcome) => settle({ ok: true, output: outcome.output ?? null, awaitCallback: outcome.awaitCallback }),
        (err: unknown) =>
          settle({
            ok: false,
            error: err instanceof Error ? err.message : String(err),
            retryable: err instanceof TaskFailure ? err.retryable : true,
            output: err instanceof TaskFailure ? err.output : undefined,
            progress: err instanceof TaskFailure ? err.progress : undefined,
          }),
      )
      .catch((e: unknown) => this.onError(e, job.rec.id))
    this.inflight.add(run)
    void run.finally(() => this.inflight.delete(run))
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

  private settle(job: ActiveJob, task: ActiveTask, result: RunResult, reason: AbortReason | undefined): void {
    if (task.slotFreed) this.takeSlotBack(job, task) // to give it back below, as every attempt's end does
    this.running--
    this.ready.release(job.rec.submitter)
    job.running--
    this.slotted.delete(task)
    const { refusal } = task
    const fraction = result.ok ? undefined : result.progress
    Object.assign(task, { controller: undefined, abortReason: undefined, settle: undefined, refusal: undefined, slotFreed: undefined })
    task.endFraction = fraction !== undefined && fraction >= 0 && fraction <= 1 ? fraction : undefined
    // a redo removed its task and stopped it (drain): its slot is given back, and its end is no one's
    if (isGone(job, task)) return this.maybeFinish(job)
    // stopped because its rights went (stopRefused): failed with why, never retried, whatever it answered
    if (refusal !== undefined && reason === 'cancel') return this.finishTask(job, task, 'failed', { output: result.output, error: refusal })
    if (refusal !== undefined) this.log(job, task, 'INFO', `task ${task.rec.name} ended on its own before it could be stopped`)
    if (reason === 'cancel') {
      this.recordAttempt(task, 'cancelled', 'cancelled')
      this.setTaskStatus(task, 'cancelled')
      Object.assign(task.rec, { error: 'cancelled', finishedAt: this.clock.now() })
      if (result.output !== undefined) this.setOutput(task, result.output)
      // how far it got when it stopped (an import's bytes read), where it said so, not its last report before
      if (task.endFraction !== undefined && !job.driver.progress) this.updateProgress(job, task.endFraction)
      task.endFraction = undefined
      return this.maybeFinish(job)
    }
    const outcome: Outcome =
      result.ok && reason !== 'timeout'
        ? { ok: true, output: result.output, awaitCallback: result.awaitCallback }
        : reason === 'timeout'
          ? { ok: false, error: `timed out after ${task.rec.timeoutMs} ms`, retryable: true, timedOut: true }
          : { ok: false, error: (result as { error: string }).error, retryable: !result.ok && result.retryable, timedOut: false, output: result.output }
    this.applyVerdict(job, task, job.driver.interpret(job.ctl, task.rec, outcome))
  }

  private applyVerdict(job: ActiveJob, task: ActiveTask, verdict: Verdict): void {
    if (verdict.status === 'hold') {
      const early = task.rec.runtime?.pendingCallback as Outcome | undefined
      if (!early) return this.hold(job, task, verdict.deadlineMs)
      const { pendingCallback: _, ...rest } = task.rec.runtime!
      task.rec.runtime = rest
      return this.applyVerdict(job, task, job.driver.interpret(job.ctl, task.rec, early))
    }
    if ((verdict.status === 'failed' || verdict.status === 'timed_out') && verdict.retryInMs != null && !job.cancelRequested) {
      const delay = verdict.retryInMs
      const error = storedReason(verdict.error ?? null) // cut as finishTask cuts it; the log line keeps it whole
      this.recordAttempt(task, verdict.status, error)
      // the try and its attempt, named as every view names them (shared/task-attempts.ts): always both, so a
      // reader of the first attempt's "try 1 failed" does not take the try for the attempt
      this.log(job, task, 'WARN', retryLine(task.rec.attempt, taskAttemptNumber(task.rec), `${verdict.error}; retrying in ${delay} ms`))
      if (verdict.output !== undefined) this.setOutput(task, verdict.output)
      Object.assign(task.rec, { error, runAfter: this.clock.now() + delay })
      this.unhold(task) // the next attempt is held anew, with its own deadline
      this.enqueue(job, task)
      return
    }
    this.finishTask(job, task, verdict.status, { output: verdict.output, error: verdict.error ?? null })
  }

  /** Every final state of a task goes through here, whoever decided it. */
  private finishTask(job: ActiveJob, task: ActiveTask, status: FinalTaskStatus, fields: { output?: unknown; error?: string | null }): void {
    job.held.delete(task)
    for (const t of task.timers) this.clock.clearTimeout(t)
    task.timers = []
    // a reason of megabytes would ride in every list page and event of its job: cut (store/reasons.ts), whole in the log line below
    const error = storedReason(fields.error ?? null)
    this.recordAttempt(task, status, error)
    this.active.release(job, task.rec.name) // what its fan-out had still to add, it never will
    this.setTaskStatus(task, status)
    if (fields.output !== undefined) this.setOutput(task, fields.output)
    task.rec.error = error
    task.rec.finishedAt = this.clock.now()
    this.unhold(task)
    if (isDone(task.rec)) {
      job.done++
      for (const name of job.dependents.get(task.rec.name) ?? []) job.tasks.get(name)!.remaining--
    } else {
      if (status === 'failed' && task.endFraction !== undefined) job.failedShare += task.endFraction // the part it did (an import's bytes read)
      task.endFraction = undefined
      const what = status === 'timed_out' ? 'timed out' : 'failed'
      // a task that may retry names its last try as its retries' lines name theirs (shared lastTryLine)
      const mayRetry = task.rec.maxAttempts > 1 || task.rec.attempt > 1
      this.log(
        job,
        task,
        'ERROR',
        mayRetry && !job.cancelRequested
          ? lastTryLine(task.rec.attempt, taskAttemptNumber(task.rec), String(fields.error ?? null), task.rec.attempt < task.rec.maxAttempts)
          : `task ${task.rec.name} ${what}: ${fields.error ?? null}`,
      )
      job.firstError ??= `task ${task.rec.name}: ${task.rec.error}`
    }
    if (!job.cancelRequested) job.driver.settled(job.ctl, task.rec)
    // after the driver settled it (a foreach counts the group the task ended); a failed task counts
    // too: a workflow's progress counts it completed, and the Jobs page lagged the Workflows page
    this.updateProgress(job)
    this.dirtyJobs.add(job)
    this.maybeFinish(job)
  }

  /**
   * Sets a task's output and counts it against the tick's byte budget (budget.ts): a large one is
   * serialized now, where the tick's loops see the time it takes, and its save writes that text.
   */
  private setOutput(task: ActiveTask, output: unknown): void {
    task.rec.output = output
    this.budget.charge(prepareStateJson(output))
  }

  /** Drops the held mark and deadline of a task's attempt that ended. */
  private unhold(task: ActiveTask): void {
    if (!task.rec.runtime?.held) return
    const { held: _held, holdDeadline: _deadline, ...rest } = task.rec.runtime
    task.rec.runtime = Object.keys(rest).length ? rest : null
  }

  private cancelTask(job: ActiveJob, task: ActiveTask): void {
    const s = task.rec.status
    if (s === 'running' && task.controller) {
      this.setTaskStatus(task, 'cancelling')
      this.afterCommit.push(() => this.abortTask(task, 'cancel'))
    } else if (s === 'pending' || s === 'queued' || s === 'running') {
      if (s === 'queued') job.waiting--
      const wasHeld = job.held.delete(task)
      for (const t of task.timers) this.clock.clearTimeout(t)
      task.timers = []
      this.setTaskStatus(task, 'cancelled')
      task.rec.finishedAt = this.clock.now()
      if (wasHeld) job.driver.stopped?.(job.ctl, task.rec)
    }
  }

  /** Ends the job once nothing is running, waiting to run or held, and its log is written; `at`: when it ended, if not now. */
  private maybeFinish(job: ActiveJob, at?: number): void {
    if (job.running > 0 || job.waiting > 0 || job.held.size > 0 || this.stopping.has(job) || !this.active.has(job.rec.id)) return
    // Its last lines go ahead of other jobs' (job-logs.ts close): it waits only for its own log.
    this.logs.close(job.rec.id)
    if (this.logs.hasBacklog(job.rec.id)) {
      // A flood's tail goes out a commit's worth at a time; whoever reads the final state reads the whole log.
      this.awaitingLog.add(job)
      return
    }
    const final: JobStatus = job.forcedStatus ?? (job.cancelRequested ? 'cancelled' : job.driver.finalStatus(job.ctl))
    // queued jobs end only by running, cancel or timeout
    if (job.rec.status === 'queued' && job.forcedStatus && job.forcedStatus !== 'timed_out') this.setJobStatus(job, 'running')
    this.setJobStatus(job, final)
    this.finishJob(job, final, at)
  }

  private finishJob(job: ActiveJob, final: JobStatus, at = this.clock.now()): void {
    job.rec.finishedAt = at
    job.rec.error = storedReason(
      job.failReason ??
        (final === 'succeeded' ? null : final === 'cancelled' ? (job.cancelReason ?? 'cancelled by user') : job.forcedStatus ? 'completed on request as failed' : job.firstError),
    )
    if (final === 'succeeded') {
      job.rec.result = job.driver.result?.(job.ctl) ?? null
      job.rec.progress = 1 // all of it, whatever the count said (a foreach's skipped groups)
    } else if (job.driver.progress && final !== 'cancelled') job.rec.progress = endedShare(job)
    this.active.delete(job.rec.id)
    this.stopping.delete(job) // failed by the engine (guard) while stopping: nothing more to end
    this.logs.close(job.rec.id)
    const waiters = this.waiters.get(job.rec.id) ?? []
    this.waiters.delete(job.rec.id)
    this.afterCommit.push(() => waiters.forEach((w) => w(job.rec)))
  }

  // ── state, logs and commit ──────────────────────────────────────────────────

  /**
   * Adds the try that just ended to the task's invoke history (the last 50 are kept), with its attempt's
   * number: numbers derived from the tries would count from the oldest kept once older ones are dropped.
   */
  private recordAttempt(task: ActiveTask, status: TaskStatus, error: string | null): void {
    const { attempt, startedAt } = task.rec
    if (startedAt == null || attempt < 1) return
    const number = taskAttemptNumber(task.rec)
    task.rec.attempts = [...task.rec.attempts, { attempt, number, startedAt, finishedAt: this.clock.now(), status, error }].slice(-KEPT_TRIES)
  }

  /**
   * Sets the job's progress, 0..1: as its driver counts it (a workflow: Rill Flow's weighted
   * completion of its top-level tasks), else tasks done over tasks known, a running task's own
   * report (`runningFraction`) counting its share, and a failed task the part it said it did
   * (TaskFailure.progress: an import's bytes read). The one figure every view of the job shows
   * (the Jobs page, the Workflows page's run bar, the dialects' job progress).
   */
  private updateProgress(job: ActiveJob, runningFraction = 0): void {
    const p = job.driver.progress?.(job.ctl)
    const size = job.tasks.size
    job.rec.progress = p !== undefined && p >= 0 && p <= 1 ? p : size ? Math.min(1, (job.done + job.failedShare + runningFraction) / size) : 0
  }

  private setTaskStatus(task: ActiveTask, to: TaskStatus): void {
    task.rec.status = transitionTask(task.rec.status, to)
    this.dirtyTasks.add(task)
  }

  private setJobStatus(job: ActiveJob, to: JobStatus): void {
    job.rec.status = transitionJob(job.rec.status, to)
    this.active.recount(job) // a queued job that starts leaves its submitter's queued count
    this.dirtyJobs.add(job)
  }

  private log(job: ActiveJob, task: ActiveTask | null, level: LogLevel, text: string, stream?: LogStream): void {
    this.logs.add(job, task?.rec.id ?? null, task?.rec.name ?? null, level, text, stream)
    this.scheduleTick()
  }

  /** Rows the tick changed so far: what its budget counts. */
  private changes(): number {
    return this.dirtyTasks.size + this.dirtyGroupCount
  }

  /**
   * One transaction for everything the tick changed; then the events and the actions it allows.
   * While the database is locked by another connection the changes wait in memory (holdForRetry)
   * and nothing is acted on until they are saved.
   */
  private commit(): void {
    if (this.stopped || this.busy?.timer) return
    const retry = this.busy
    const tasks = this.dirtyTasks
    const jobs = this.dirtyJobs
    const contexts = this.dirtyContexts
    const groups = this.dirtyGroups
    // a retry writes the log batch its first try took, no more: one commit's worth (job-logs.ts)
    const logs = retry?.logs ?? this.logs.take()
    const actions = this.afterCommit
    if (!tasks.size && !jobs.size && !groups.size && !logs.lines.length && !logs.truncations.length && !actions.length && !this.unsaved.size) return
    this.dirtyTasks = new Set()
    this.dirtyJobs = new Set()
    this.dirtyContexts = new Set()
    this.dirtyGroups = new Map()
    this.dirtyGroupCount = 0
    this.afterCommit = []
    let unstore = () => {}
    let lines = logs.lines
    try {
      this.store.transaction(() => {
        const kept = this.watchKept([...[...tasks].map((t) => t.rec.jobId), ...[...jobs].map((j) => j.rec.id), ...[...groups.keys()].map((g) => g.jobId)])
        unstore = this.unsaved.insert(this.store)
        for (const t of tasks) this.store.jobs.saveTask(t.rec)
        saveGroups(this.store, groups)
        for (const j of jobs) this.store.jobs.saveJob(j.rec, contexts.has(j), !j.driver.resultIsContext, stopAsOf(j))
        kept.check() // before the logs: a log counts once its job's log is all written, never refused
        lines = this.withStoredTaskIds(logs.lines)
        this.store.logs.append(lines)
        for (const cut of logs.truncations) this.store.logs.truncate(cut)
        for (const id of logs.ended) this.store.logs.countKeptLog(id, LINE_COST)
      })
    } catch (e) {
      unstore()
      if (isBusy(e)) return this.holdForRetry(e, tasks, jobs, contexts, groups, logs, actions)
      this.lockGone() // not a lock: isolate writes what can be written now
      this.storeUnsavedAlone()
      const failed = this.isolate(tasks, jobs, contexts, groups, this.withStoredTaskIds(logs.lines), logs.truncations)
      this.settleStandIns()
      this.countKeptLogsAlone(logs.ended, failed)
      for (const t of [...tasks]) if (failed.has(t.rec.jobId)) tasks.delete(t)
      for (const j of [...jobs]) if (failed.has(j.rec.id)) jobs.delete(j)
      this.events.emitChanges(tasks, jobs, { lines: logs.lines.filter((l) => !failed.has(l.jobId)), truncations: logs.truncations.filter((c) => !failed.has(c.jobId)) })
      for (const action of actions) action()
      return this.commit() // the failed jobs' end, recorded by quarantine
    }
    this.settleStandIns()
    if (retry) {
      this.lockGone()
      this.onWarn(`the database is writable again after ${Math.round(this.clock.now() - retry.since)} ms; the engine's changes are saved (${retry.tries} tries)`, null)
      this.scheduleTick() // what gathered meanwhile
    }
    this.events.emitChanges(tasks, jobs, { lines, truncations: logs.truncations })
    for (const action of actions) action()
  }

  /**
   * What the writes of a commit of `jobIds`' changes may add to what their submitters keep, and to the
   * state their unfinished jobs hold (kept-bytes-guard.ts): jobs being failed are left out, so that
   * their end is always stored.
   */
  private watchKept(jobIds: Iterable<number>): KeptBytesWatch {
    const submitters = new Set<string>()
    for (const id of new Set(jobIds)) {
      const job = this.active.get(id)
      if (job && job.failReason === undefined) submitters.add(job.rec.submitter)
    }
    return watchKeptBytes(this.store.keptBytes, this.keptLimitOf, submitters, (s) => this.heldLimitOf(s)?.bytes ?? null)
  }

  /** After an isolated commit: each ended job's log is counted on its own (a job whose changes failed is not). */
  private countKeptLogsAlone(ended: number[], failed: Set<number>): void {
    for (const id of ended) {
      if (failed.has(id)) continue
      try {
        this.store.logs.countKeptLog(id, LINE_COST)
      } catch (e) {
        this.onError(e, id)
      }
    }
  }

  /** The commit is no longer held back by a lock. */
  private lockGone(): void {
    if (!this.busy) return
    this.busy = null
    lockWaitEnds(this.store.db)
  }

  /**
   * After a commit: the tasks added under a lock that it stored are forgotten by their stand-in ids,
   * and the log lines still queued under those (a flood's tail, past one commit's room) get the real ones.
   */
  private settleStandIns(): void {
    this.logs.renumber(this.unsaved.settle())
  }

  /** `lines` with the real ids of tasks added while the database was locked (UnsavedTasks), once they have them. */
  private withStoredTaskIds(lines: PendingLog[]): PendingLog[] {
    return lines.some((l) => l.taskId !== null && l.taskId < 0) ? lines.map((l) => ({ ...l, taskId: this.unsaved.idOf(l.taskId) })) : lines
  }

  /**
   * After a commit failed for another reason than a lock: stores the tasks drivers added under a
   * lock on their own, so the commits that follow do not fail on them again; if that fails too, their
   * jobs are stopped with the reason (their tasks are dropped, never stored).
   */
  private storeUnsavedAlone(): void {
    if (!this.unsaved.size) return
    try {
      this.store.transaction(() => this.unsaved.insert(this.store))
    } catch (e) {
      for (const id of this.unsaved.jobIds()) {
        this.unsaved.forget(id)
        const job = this.active.get(id)
        if (job) this.quarantine(job, `JobDesk could not store the tasks this job added: ${messageOf(e)}`, e)
      }
    }
  }

  /**
   * A commit found the database locked (SQLITE_BUSY) by another connection: its changes go back to
   * be written with the next try, after busyRetryDelay (100 ms, doubling, at most 2 s); its
   * actions (executors to start, waiters) wait for that. Each job concerned is told once in its log.
   * Past busyRetryMs the active jobs concerned are failed and their processes stopped at once; their
   * failure is saved when the lock goes, as the rest (recovery finds them running after a crash meanwhile).
   */
  private holdForRetry(error: unknown, tasks: Set<ActiveTask>, jobs: Set<ActiveJob>, contexts: Set<ActiveJob>, groups: DirtyGroups, logs: LogBatch, actions: (() => void)[]): void {
    for (const t of this.dirtyTasks) tasks.add(t)
    for (const j of this.dirtyJobs) jobs.add(j)
    for (const j of this.dirtyContexts) contexts.add(j)
    for (const [g, indices] of this.dirtyGroups) {
      const kept = groups.get(g)
      if (kept) for (const i of indices) kept.add(i)
      else groups.set(g, indices)
    }
    this.dirtyTasks = tasks
    this.dirtyJobs = jobs
    this.dirtyContexts = contexts
    this.dirtyGroups = groups
    this.dirtyGroupCount = [...groups.values()].reduce((n, indices) => n + indices.size, 0)
    this.afterCommit = [...actions, ...this.afterCommit]
    const now = this.clock.now()
    if (!this.busy) lockWaitBegins(this.store.db) // meanwhile other writes on the connection do not wait for the lock either
    const busy = (this.busy ??= { logs, since: now, tries: 0, timer: undefined, gaveUp: false, told: new Set() })
    busy.tries++
    const concerned = new Set<number>([...tasks].map((t) => t.rec.jobId))
    for (const j of jobs) concerned.add(j.rec.id)
    for (const l of logs.lines) concerned.add(l.jobId)
    for (const id of this.unsaved.jobIds()) concerned.add(id)
    const delay = busyRetryDelay(busy.tries)
    // a lock of a moment (a SQL task's result batch outlasting the connection's 50 ms wait) is not worth a line in each job's log
    for (const id of now - busy.since >= BUSY_TELL_AFTER_MS ? concerned : []) {
      if (!busy.told.has(id)) {
        busy.told.add(id)
        this.onWarn(`its changes could not be saved: ${messageOf(error)} (the write lock is held by ${lockHolderText(this.store.db)}); trying again for up to ${this.busyRetryMs / 1000} s`, id)
        const job = this.active.get(id)
        if (job) this.log(job, null, 'WARN', `JobDesk could not save this job's state yet: the database is locked by ${lockHolderText(this.store.db)} (${messageOf(error)}); its progress is kept and saved once the lock is released`)
      }
    }
    if (!busy.gaveUp && now - busy.since >= this.busyRetryMs) {
      busy.gaveUp = true
      const reason = `JobDesk could not save this job's state, so it was stopped: the database stayed locked by ${lockHolderText(this.store.db)} for ${Math.round((now - busy.since) / 1000)} s (${messageOf(error)})`
      for (const id of concerned) {
        const job = this.active.get(id)
        if (!job) continue
        this.quarantine(job, reason, error)
        // its processes stop now, not once the stop is saved: that may wait as long again
        for (const task of job.tasks.values()) if (task.controller) this.abortTask(task, 'cancel')
      }
    }
    busy.timer = this.clock.setTimeout(() => {
      busy.timer = undefined
      this.commit()
    }, delay)
  }

  /**
   * After a tick's transaction failed: commits job by job and stops each job whose state cannot be
   * saved (its unsaved changes are dropped, the job fails with the reason). Returns their ids.
   */
  private isolate(tasks: Set<ActiveTask>, jobs: Set<ActiveJob>, contexts: Set<ActiveJob>, groups: DirtyGroups, logs: PendingLog[], truncations: LogTruncation[]): Set<number> {
    const failed = commitEachJob(this.store, tasks, jobs, contexts, logs, truncations, groups, (id) => this.watchKept([id]))
    for (const [id, error] of failed) {
      const job = this.active.get(id)
      if (!job || job.failReason !== undefined) {
        // it ended in this tick, or even its failure did not save: record the failure directly;
        // a failed note on a job that had already ended is only reported
        this.onError(error, id)
        const ended = job !== undefined || [...jobs].some((j) => j.rec.id === id)
        if (ended) this.quarantineStored(id, `JobDesk could not save this job's state: ${messageOf(error)}`)
        continue
      }
      const dropped = error instanceof KeptBytesExceeded ? dropGrown(this.store, job, tasks, contexts, groups) : dropUnstorable(this.store, job)
      this.quarantine(job, `JobDesk could not save this job's state, so it was stopped: ${messageOf(error)}`, error)
      for (const d of dropped) this.log(job, null, 'WARN', `not saved: ${d}`)
      // every task of the job is saved with its end, including changes the failed commit lost
      for (const t of job.tasks.values()) this.dirtyTasks.add(t)
      this.dirtyJobs.add(job)
      // not its context when it passed the quota: the stored one is its last (dropGrown), and writing it
      // again could store it whole where it was a tail of the input (1 MB past the quota, unchecked)
      if (!(error instanceof KeptBytesExceeded)) this.dirtyContexts.add(job)
    }
    return new Set(failed.keys())
  }

  /** Runs `fn` for a job; an unexpected error stops that job (failed, with the reason), never the engine. */
  private guard(job: ActiveJob, what: string, fn: () => void): void {
    try {
      fn()
    } catch (e) {
      this.quarantine(job, `${what} failed unexpectedly: ${messageOf(e)}`, e)
    }
  }

  /**
   * Stops a job the engine cannot carry on with: its work is stopped as a cancel's, a slice at a time
   * (endAs), and it ends failed with `reason`. The caller commits.
   */
  private quarantine(job: ActiveJob, reason: string, error: unknown): void {
    // a user's quota, not a fault: the job's log says it
    if (!(error instanceof KeptBytesExceeded || error instanceof HeldWorkExceeded)) this.onError(error, job.rec.id)
    if (!this.active.has(job.rec.id) || job.failReason !== undefined) return
    try {
      this.endAs(job, 'failed', reason)
    } catch (e) {
      // its state is beyond repair in memory: record the failure directly and let it go
      this.onError(e, job.rec.id)
      this.quarantineStored(job.rec.id, reason)
    }
  }

  /**
   * Stores tasks a driver adds to a running job and returns their records. While another program
   * holds the database's lock (or tasks added under it still wait, so that ids keep their order) they
   * wait in memory with stand-in ids and the next commit that gets the lock stores them (UnsavedTasks),
   * rather than the job failing or the event loop waiting for the lock.
   */
  private addTasks(job: ActiveJob, tasks: NewTask[]): TaskRecord[] {
    if (!this.unsaved.size) {
      try {
        return this.store.jobs.addTasks(job.rec.id, tasks)
      } catch (e) {
        if (!isBusy(e)) throw e
      }
    }
    this.scheduleTick()
    return this.unsaved.add(job.rec.id, tasks)
  }

  /**
   * Whether `adding` tasks to `job` would pass its submitter's bound of held work (or already did):
   * then nothing is added, and the job is failed with the reason first thing in the next deferred
   * work, not inside the driver's step that asked (its state half changed); it adds nothing till then.
   */
  private refuseFanOut(job: ActiveJob, adding: number, shape?: FanOutShape): boolean {
    if (this.overHeld.has(job)) return true
    const refusal = fanOutRefusal(this.heldLimitOf, job.rec.submitter, this.active.heldBy(job.rec.submitter), adding, shape)
    if (!refusal) return false
    this.overHeld.add(job)
    this.deferred.unshift({ job, fn: () => this.quarantine(job, refusal.message, refusal), alone: false })
    this.scheduleTick()
    return true
  }

  /** The control a driver gets over its job; every change goes through the engine's bookkeeping. */
  private control(job: ActiveJob): JobControl {
    const get = (name: string): ActiveTask => {
      const t = job.tasks.get(name)
      if (!t) throw new Error(`job ${job.rec.id} has no task ${name}`)
      return t
    }
    return {
      job: job.rec,
      task: (name) => job.tasks.get(name)?.rec,
      // read as it is iterated: a 200k-task foreach's end asked for every task, and copying them all was one long turn
      tasks: function* () {
        for (const t of job.tasks.values()) yield t.rec
      },
      dependents: (name) => job.dependents.get(name) ?? [],
      remaining: (name) => get(name).remaining,
      enqueue: (name) => this.enqueue(job, get(name)),
      finish: (name, status, fields = {}) => {
        const t = get(name)
        if (t.controller) throw new Error(`task ${name} is running its executor; it cannot be finished from outside`)
        if (t.rec.status === 'queued') job.waiting--
        if (t.rec.status === 'pending') this.setTaskStatus(t, 'queued')
        // every task passes through running, even one decided without an executor
        if (t.rec.status === 'queued') this.setTaskStatus(t, 'running')
        this.finishTask(job, t, status, fields)
      },
      roomFor: (adding, shape, reserve) => {
        if (this.refuseFanOut(job, adding, shape)) return false
        if (reserve) this.active.reserve(job, reserve.task, reserve.tasks)
        return true
      },
      reserve: (task, tasks) => this.active.reserve(job, task, tasks),
      heldRoom: () => (this.overHeld.has(job) ? 0 : heldRoom(this.heldLimitOf, job.rec.submitter, this.active.heldBy(job.rec.submitter))),
      addTasks: (tasks, forTask) => {
        // Idempotent: tasks a crash left stored before their parent's state was committed are reused,
        // and a name given twice is made once (a second insert would break the tasks' unique name)
        const named = new Set<string>()
        const fresh = tasks.filter((t) => !job.tasks.has(t.name) && !named.has(t.name) && named.add(t.name))
        // what `forTask` reserved is counted already: only the part past it is weighed
        const past = fresh.length - (forTask === undefined ? 0 : Math.min(fresh.length, this.active.reservedFor(job, forTask)))
        if (fresh.length && (this.overHeld.has(job) || (past > 0 && this.refuseFanOut(job, past)))) return []
        const added = fresh.length ? this.addTasks(job, fresh) : []
        if (forTask !== undefined && added.length) this.active.drawDown(job, forTask, added.length)
        for (const rec of added) {
          job.tasks.set(rec.name, { rec, remaining: rec.dependsOn.length, timers: [] })
          job.dependents.set(rec.name, [])
        }
        for (const rec of added) for (const d of rec.dependsOn) job.dependents.get(d)?.push(rec.name)
        // what a fan-out holds counts at once: the next addition, or submit, is weighed with it
        if (added.length) this.active.recount(job)
        this.updateProgress(job)
        return tasks.map((t) => job.tasks.get(t.name)!.rec)
      },
      contextChanged: () => {
        this.dirtyJobs.add(job)
        this.dirtyContexts.add(job)
      },
      defer: (fn, o) => {
        this.deferred.push({ job, fn, alone: o?.alone === true })
        this.scheduleTick()
      },
      charge: (bytes) => this.budget.charge(bytes),
      taskChanged: (name) => {
        const t = get(name)
        this.dirtyTasks.add(t)
        // a driver sets a task's input (and some outputs) itself: counted as setOutput counts an output
        this.budget.charge(prepareStateJson(t.rec.input) + prepareStateJson(t.rec.output))
      },
      groups: (parent) => {
        let groups = job.groups.get(parent)
        if (!groups) {
          get(parent)
          const read = this.groupsRead.get(job)
          groups = read ? (read.get(parent) ?? new TaskGroups(job.rec.id, parent, [], this.groupChanged)) : new TaskGroups(job.rec.id, parent, this.store.groups.rows(job.rec.id, parent), this.groupChanged)
          job.groups.set(parent, groups)
        }
        return groups
      },
      log: (level, text, task) => this.log(job, task ? get(task) : null, level, text),
      now: () => this.clock.now(),
    }
  }
}

/** At most three of `names`, each cut to 40 characters, and how many more: a log line of bounded length. */
function namesInBrief(names: readonly string[]): string {
  const shown = names.slice(0, 3).map((n) => (n.length > 40 ? `${n.slice(0, 40)}…` : n))
  return names.length > 3 ? `${shown.join(', ')} and ${names.length - 3} more` : shown.join(', ')
}

/**
 * What a context patch a redo writes weighs in its user's held work (shared/quotas.ts heldJsonWeight):
 * its characters (counted with the context once saved) and what its shape's weight passes them.
 */
export interface ContextPatchWeight {
  chars: number
  extra: number
}

/** Task states that ran to an end (cancelled does not: it stopped short). */
const RAN_TO_END: ReadonlySet<TaskStatus> = new Set(['succeeded', 'failed', 'timed_out', 'skipped'])

/**
 * How far an ended job whose driver counts its own progress (a Rill Flow execution) got when it
 * failed, 0..0.99: its tasks that ran to an end over all its tasks, floored to a whole percent and
 * below 100% (it did not get there). A cancelled one keeps the driver's figure: its foreach items not
 * made yet are no tasks, and only the driver counts them. Not the driver's figure: Rill Flow's weighted completion
 * of the top-level tasks said 50% of a failed run of 40,002 tasks of which 40,001 ended (a foreach
 * counts as one task, and the one after it never ran: 1 of 2). Other jobs' figure already counts
 * their tasks (updateProgress). O(tasks), once a job.
 */
function endedShare(job: ActiveJob): number {
  if (job.tasks.size === 0) return job.rec.progress
  let ended = 0
  for (const t of job.tasks.values()) if (RAN_TO_END.has(t.rec.status)) ended++
  return Math.min(99, Math.floor((ended * 100) / job.tasks.size)) / 100
}

/** Runs a driver's activation to its end at once (JobDriver.activate may be a sliced loop). */
function drainActivation(activation: void | Generator<void, void, void>): void {
  if (activation) drain(activation)
}

/** `text` (one task's waiting reason) and how many more of the job's tasks wait too. */
/** At most this many held parents (JobDriver.heldFor null) are passed over to name a held task's own wait (heldReason). */
const HELD_PARENTS_PASSED = 1_000

function andMoreWaiting(text: string, more: number): string {
  return more > 0 ? `${text}; ${formatCount(more)} more of its tasks ${more === 1 ? 'waits' : 'wait'} too` : text
}
