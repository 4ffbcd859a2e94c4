import type { FanOutShape } from '../../shared/quotas'
import type { JobStatus, LogLevel } from '../../shared/status'
import type { JobRecord, NewTask, TaskRecord } from '../store/job.repository'
import type { TaskGroups } from './task-groups'

/**
 * What a driver may do to the job it drives. Every change is recorded by the engine and
 * committed with the rest of the tick before anything acts on it.
 */
export interface JobControl {
  readonly job: JobRecord
  task(name: string): TaskRecord | undefined
  tasks(): Iterable<TaskRecord>
  /** Tasks that name this one in their dependsOn. */
  dependents(name: string): readonly string[]
  /** Dependencies of the task not yet succeeded or skipped. */
  remaining(name: string): number
  /** pending → queued: the task runs when a slot is free (its `prepare` is asked first). */
  enqueue(name: string): void
  /** Ends a task that is pending, queued or held, without an executor. */
  finish(name: string, status: FinalTaskStatus, fields?: { output?: unknown; error?: string | null }): void
  /**
   * Adds tasks to the running job (a foreach group's sub-tasks); they start pending. Returns their
   * records, or none when they would pass the submitter's bound of held work: then nothing is added
   * and the job is being failed with the reason (Engine's refuseFanOut). `forTask`: the task whose
   * accepted fan-out adds them (roomFor's `reserve`): they are drawn from its reservation first, and
   * only what is past it is weighed.
   */
  addTasks(tasks: NewTask[], forTask?: string): TaskRecord[]
  /**
   * Whether `adding` more tasks fit the submitter's bound of held work, asked by a fan-out that knows
   * its size before it adds any (a foreach: its items × its group's tasks). When not, the job is being
   * failed with the reason, as addTasks refuses, and the caller adds nothing: none of a fan-out that
   * cannot fit runs (a foreach of 130,000 items ran 1,219 of them before its batches reached the bound).
   * `shape`: how `adding` was counted, named in the refusal (a foreach's nested ones).
   * `reserve`: when they fit, `reserve.tasks` of them (those `reserve.task`'s fan-out adds itself, to be
   * added with addTasks(…, task)) are counted in what the submitter holds at once, until added or the
   * task ends: a second fan-out started meanwhile is weighed with them, and refused at its start.
   */
  roomFor(adding: number, shape?: FanOutShape, reserve?: { task: string; tasks: number }): boolean
  /**
   * Sets what `task`'s fan-out will still add (tasks, 0 or more), counted in what the submitter holds
   * as roomFor's `reserve` is, without weighing it: for a driver that re-derives a running fan-out's
   * reservation at activation (a restart, a redo), where it was accepted before.
   */
  reserve(task: string, tasks: number): void
  /**
   * How many more tasks the job may add now before passing its submitter's bound of held work: 0 or
   * more, Infinity when there is no bound (an admin's). For a fan-out that counts its size in steps,
   * to stop counting once it passes this (a foreach's nested ones).
   */
  heldRoom(): number
  /** Call after changing job.context, so it is saved with the tick. */
  contextChanged(): void
  /**
   * Runs `fn` after the current step (skipped if the job has ended or is being cancelled by then):
   * in a later tick, after this one commits, or later in this tick when deferred by deferred work.
   * For work too large for one tick: a foreach starts its groups in batches. Deferred work runs in
   * order, as much of it in one tick as the tick's budget allows (engine/budget.ts), which is checked
   * only between items. `alone`: `fn` is its tick's only deferred work, first in it and followed by
   * none, for a step that costs about a tick by itself (a wide foreach's output mapping over 100k
   * groups, its context's save): after other deferred work, it held the tick for both. Not durable:
   * a driver re-derives deferred work from the job's state when it is activated.
   */
  defer(fn: () => void, o?: { alone?: boolean }): void
  /**
   * Counts `bytes` the driver stores or copies outside the tick's task rows (a sub-flow's context)
   * against the tick's byte budget (budget.ts), so what follows waits for a later tick.
   */
  charge(bytes: number): void
  /** Call after changing a task record's input or runtime outside a transition, so it is saved. */
  taskChanged(name: string): void
  /**
   * The groups of a task that runs groups of sub-tasks (a foreach's items), each with a status and
   * a sub-context, stored one row per group: a change is saved with the tick, writing only that group.
   */
  groups(parent: string): TaskGroups
  log(level: LogLevel, text: string, task?: string): void
  now(): number
}

export type FinalTaskStatus = 'succeeded' | 'failed' | 'skipped' | 'timed_out'

/** Before a queued task runs: call its executor, hold it running (children, callbacks), or end it now. */
export type Preparation =
  | { action: 'run' }
  /** Held running without a slot; after `timeoutMs` the driver is asked to interpret a timeout. */
  | { action: 'hold'; timeoutMs?: number }
  | { action: 'finish'; status: FinalTaskStatus; output?: unknown; error?: string | null }
  /** Not yet: back to the queue until the given time (a timeline delay); the attempt does not count. */
  | { action: 'delay'; untilMs: number }

/**
 * What an executor reported for a task, or a callback (`callback` set) for a held one. A callback's
 * `reason`: why what the task waited for failed, in words (a sub-flow's end), for the task's error
 * when its verdict is a failure; none: the driver finds words in the output.
 */
export type Outcome =
  | { ok: true; output: unknown; awaitCallback?: boolean; callback?: { resultType: string; reason?: string } }
  | { ok: false; error: string; retryable: boolean; timedOut: boolean; output?: unknown }

/** What the outcome means for the task. */
export type Verdict =
  | { status: 'succeeded' | 'skipped'; output?: unknown; error?: string | null }
  | { status: 'failed' | 'timed_out'; error: string; output?: unknown; retryInMs?: number | null }
  /** Keep running without a slot until `Engine.resolve` finishes it (an async callback), or until `deadlineMs` (epoch ms) passes: then a timeout outcome. */
  | { status: 'hold'; deadlineMs?: number }

/**
 * The semantics of one kind of job: which tasks start, what results mean, what follows.
 * The engine keeps durability, scheduling, executors, timeouts, cancel and recovery.
 */
export interface JobDriver {
  /**
   * The job is (re)activated: queue what can start. A driver whose activation loops over 100k tasks or
   * groups may be a generator that yields between parts (engine/sliced.ts): a restart's recovery runs
   * it over several turns; any other activation runs it to its end at once.
   */
  activate(ctl: JobControl): void | Generator<void, void, void>
  prepare(ctl: JobControl, task: TaskRecord): Preparation
  /**
   * What `outcome` means for `task`, writing what follows from it (a Rill Flow task's output mappings).
   * `putBack` is given for a client's callback that can be refused (Engine.resolveSaved: actSaved's
   * putBack): a write past a size limit of the context then puts back what was written (putBack) and
   * throws StateTooLarge, the task left waiting, instead of failing the task.
   */
  interpret(ctl: JobControl, task: TaskRecord, outcome: Outcome, putBack?: () => void): Verdict
  /** A task reached a final state. */
  settled(ctl: JobControl, task: TaskRecord): void
  /**
   * A task that waited outside the engine (held: a callback, a sub-flow) was ended by a stop of its
   * job (a cancel, a complete, the engine's own failures), or reset or removed by a redo: let go of
   * what it waited for (a Rill Flow flow_sync's sub-flow is stopped too). Called once, before the
   * task's runtime is cleared; keep it cheap.
   */
  stopped?(ctl: JobControl, task: TaskRecord): void
  /**
   * What a held task (Verdict `hold`) waits for, in words that follow "waiting for": `its wakeup` (a
   * Rill Flow suspense), `its callback` (an async function), `the end of sub-flow <id>`. The job's
   * waitingReason while it waits only so (Engine.waitingReason): the Jobs page said "working…" beside an
   * indeterminate bar for a job that only waited for its wakeup (#9 tfui L6). Keep it cheap: asked per
   * job of a list page. Without it, "its answer". Null for a task that holds only while other held
   * tasks of its job end (a foreach waiting for its items): the reason then names one of those, with
   * the wait it does (a foreach of suspense tasks read "waiting for its answer", #9).
   */
  heldFor?(ctl: JobControl, task: TaskRecord): string | null
  /** Nothing runs or waits any more: the job's final status. */
  finalStatus(ctl: JobControl): Exclude<JobStatus, 'queued' | 'running' | 'cancelling' | 'cancelled'>
  /** The job's result once it succeeded. */
  result?(ctl: JobControl): unknown
  /**
   * The result is the job's context without its `__<route>` entries (a Rill Flow execution's): it is
   * kept in memory for listeners but not stored again (a 4 MB context was stored a third time at the
   * end, #9 §2); readers of a stored result take the stored context instead (jobs.service.ts).
   */
  readonly resultIsContext?: boolean
  /**
   * How far the job is, 0..1, when tasks done over tasks known is not it (a foreach makes its groups'
   * tasks as they start, so that ratio jumps back). Asked whenever a task ends; keep it cheap.
   */
  progress?(ctl: JobControl): number
  /**
   * Redo: which tasks go back to pending (`reset`, the engine adds nothing) and which tasks made
   * at run time are dropped (`remove`: a foreach's groups). Without it, redo resets the named
   * tasks and everything downstream of them. It only plans, changing nothing: the engine may still
   * refuse the redo (a reset task runs its executor); `apply`, when given, makes the driver's own
   * changes (a foreach's sub-contexts dropped) once the redo is taken.
   */
  redo?(ctl: JobControl, names: string[] | null): { reset: string[]; remove: string[]; apply?: () => void }
  /**
   * Redo, asked before the job's tasks are read: the tasks whose sub-tasks (named `<root>_…`,
   * store/jobs/sub-task-names.ts) a redo of `names` drops, found from the job's record and the
   * tasks `read` gives by name (read only those: its top-level ones). The engine then neither reads
   * those sub-tasks nor keeps them, and deletes them and their groups by name range (a foreach of
   * 100k items: reading them to drop them held the main thread ~1.4 s). Must name every task whose
   * sub-tasks `redo` removes, and no task `redo` does not reset; none for a redo that resets nothing,
   * which then leaves an ended job as it ended (not re-opened, its tasks not read).
   */
  redoRoots?(job: JobRecord, names: string[] | null, read: (names: readonly string[]) => TaskRecord[]): string[]
}
