import type { LogStream } from '../../shared/model'
import type { LogLevel } from '../../shared/status'

/** What a running task can see and do. */
export interface TaskContext {
  jobId: number
  jobUuid: string
  /**
   * The job's submitter: whose fair share of the engine its work counts in, and so of what executors
   * share out (the SQL memory budget). Not spec.user, the user a Linkis proxy job runs as (executeUser):
   * counting claims by that let one submitter hold a share per user they may run as (#9, atk).
   */
  submitter: string
  taskId: number
  taskName: string
  attempt: number
  spec: Record<string, unknown>
  input: unknown
  /** Aborted on cancel or timeout; an executor must stop its work (and child processes) when it fires. */
  signal: AbortSignal
  /** Logs a line; `stream` is where the task's process wrote it (stdout when absent). */
  log(level: LogLevel, text: string, stream?: LogStream): void
  /** Durably records what is needed to find the work again after a crash (a process group id, …). */
  setRuntime(runtime: Record<string, unknown>): void
  /**
   * Sets a label of the task's job, stored at once and shown with it (lists, detail, events): what a
   * task says of the job as a whole (`warning`, JOB_WARNING_LABEL).
   */
  setJobLabel?(key: string, value: string): void
  /** How far the task is, 0..1 (shown as the job's progress). */
  progress?(fraction: number): void
  /**
   * Says this attempt waits before its work starts, for something its executor shares out (the SQL
   * memory budget: executors/sql-memory.ts): `why(poolOnly)` tells it in one line, asked only when the job's
   * waitingReason is read (Engine.waitingReason), never stored; `poolOnly`: the reader is neither the
   * submitter nor an admin (the user a job runs as), told only the shared state, never the submitter's
   * counts (as fair-queue.ts WaitingState.poolOnly). null: it waits no more; its end clears it too.
   * While it waits, its concurrency slot goes to other work; it takes it again, at once, when it says null.
   */
  waiting?(why: ((poolOnly: boolean) => string) | null): void
}

export interface TaskOutcome {
  output?: unknown
  /** The work was handed off (an async HTTP function): the task stays running until a callback resolves it. */
  awaitCallback?: boolean
}

export interface Executor {
  readonly name: string
  /** True when running a task again after a crash cannot do harm (no side effects, or idempotent ones). */
  readonly resumable: boolean
  run(ctx: TaskContext): Promise<TaskOutcome>
  /** After a crash: stop whatever a task left behind, from the runtime it recorded. */
  reap?(runtime: Record<string, unknown>): void
  /**
   * After a crash, for a task that was running: run it again, hold it waiting for the callback it
   * was promised (an async call that may have been delivered), or fail it. Default: by `resumable`.
   */
  recoverAs?(spec: Record<string, unknown>): 'resume' | 'hold' | 'fail'
}

/**
 * A task that did not succeed. `retryable: false` skips the remaining attempts (a user error, not a glitch).
 * `progress`: how far the task got, 0..1 (an import's bytes read); once it has failed for good, or was
 * cancelled, the job's progress counts this share of the task, where it would count none (a figure
 * outside 0..1 is ignored). Without it the task counts as its executor last reported while running
 * (cancelled) or nothing (failed), as before.
 */
export class TaskFailure extends Error {
  constructor(
    message: string,
    readonly retryable = true,
    readonly output?: unknown,
    readonly progress?: number,
  ) {
    super(message)
    this.name = 'TaskFailure'
  }
}

export class ExecutorRegistry {
  private readonly byName = new Map<string, Executor>()

  constructor(executors: Executor[] = []) {
    for (const e of executors) this.register(e)
  }

  register(executor: Executor): this {
    this.byName.set(executor.name, executor)
    return this
  }

  get(name: string): Executor | undefined {
    return this.byName.get(name)
  }

  has(name: string): boolean {
    return this.byName.has(name)
  }
}
