import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { TaskFailure, type Executor, type TaskContext, type TaskOutcome } from '../engine/executor'
import type { ResultRepository } from '../store/result.repository'
import { memoryKilled, warmChildren } from '../child-process'
import { SQL_JOB_MEMORY_BYTES } from './scratch-limit'
import { SqlMemoryBudget, type SqlMemoryGrant } from './sql-memory'
import { formatSize } from '../../shared/number-format'
import { scratchFileOf } from '../user-file-names'
import type { OwnWriters } from '../store/own-writers'
import { stored } from './result-steps'
import type { SqlWorkerControl, SqlWorkerInput, SqlWorkerMessage } from './sql-worker'

export interface SqlOptions {
  /** Per-user scratch databases live here; never JobDesk's own store. */
  scratchRoot: string
  /** JobDesk's store, where result sets are written. */
  storeFile: string
  maxRows?: number
  /** To mark the sets a stopped or failed script was writing as partial. */
  results?: ResultRepository
  /**
   * What job `jobId`'s submitter's jobs may keep in all (shared/quotas.ts MAX_KEPT_BYTES_PER_USER:
   * result rows, code, logs and state), or null when they have none (an admin). None unless given.
   */
  resultQuotaOf?: (jobId: number) => SqlWorkerInput['userQuota']
  /**
   * What all running SQL jobs' memory limits may add up to (sql-memory.ts): a job past it waits for one
   * to end. Default: a budget of half the machine's memory (defaultSqlMemoryBudget).
   */
  memory?: SqlMemoryBudget
  /**
   * The store's own writers (store/own-writers.ts), where each job's process is registered, to pause
   * between its transactions while a write of the main thread waits for the lock. None unless given.
   */
  ownWriters?: OwnWriters
}

/** Why a job whose process was killed for its memory (not by a cancel or timeout) failed. */
const memoryLimitText = `the SQL job memory limit of ${formatSize(SQL_JOB_MEMORY_BYTES)} reached: the script was stopped (a sort, GROUP BY or DISTINCT over big values holds them all in memory, and a statement over views that name other views several times takes memory for every copy); sort or read fewer or smaller values, or simpler views`

/** How a task stopped by a cancel or timeout (its signal) ends, waiting or running. */
const stoppedError = (ctx: TaskContext): Error => new Error(`stopped (${String(ctx.signal.reason)})`)

/** The SQL executor, and close(): kills its spare process and starts no more (the app's close, before the engine stops). */
export interface SqlExecutor extends Executor {
  close(): void
}

/**
 * Runs SQL against the submitting user's scratch SQLite database in a child process (sql-worker.ts);
 * each SELECT becomes a result set. Cancel and timeout kill the process (SIGKILL), which stops even a
 * statement that never returns to JavaScript; the job ends once the process is gone. Each job has a
 * process of its own, never used for another: the one spare (warmChildren), started once a job's
 * process is up, booted but holding nothing of anyone's, or a fresh one when there is none. A job
 * takes its process only once the SQL memory budget has room for its limit (SqlOptions.memory): until
 * then it waits, its log and its job's waitingReason saying why, and a cancel or timeout ends the wait.
 */
export function createSqlExecutor(options: SqlOptions): SqlExecutor {
  const processes = warmChildren('sql-worker', dirname(fileURLToPath(import.meta.url)))
  const memory = options.memory ?? new SqlMemoryBudget()
  /** Runs `input` of the task `ctx` in a process of its own; `grant` (its claim on the memory budget) is released once the process is gone. */
  const runInProcess = (ctx: TaskContext, input: SqlWorkerInput, grant: SqlMemoryGrant): Promise<TaskOutcome> => {
    if (ctx.signal.aborted) {
      grant.release() // stopped between its grant and now: no process was taken
      return Promise.reject(stoppedError(ctx))
    }
    return new Promise((resolve, reject) => {
      const child = processes.take()
      // with a callback, a send that fails (the process said 'done' and disconnected since) is not
      // an 'error' event, which failed a job that had finished (attack2: "SQL process failed: write EPIPE")
      const control = (m: SqlWorkerControl) => {
        if (child.connected) child.send(m, () => undefined)
      }
      // the next job's spare boots once this one's process is up (its first message or its end), not
      // beside a fresh one still booting, which would slow this job on a busy machine
      let refilled = false
      const refill = () => {
        if (!refilled) processes.refill()
        refilled = true
      }
      let settled = false
      let stopping = false
      let writer: ReturnType<OwnWriters['add']> | undefined
      const finish = (fn: () => void, stopped = true) => {
        if (settled) return
        settled = true
        writer?.remove()
        ctx.signal.removeEventListener('abort', onAbort)
        if (!stopped || !options.results) return fn()
        // tried again while another SQL job's process holds the write lock (stored), never thrown from
        // this child's event handler: thrown there, SQLITE_BUSY ended the whole server (attack2: any
        // user's cancel beside two big SQL jobs)
        const results = options.results
        void stored(() => results.markPartial(ctx.jobId, ctx.taskId))
          .catch((e: Error) => ctx.log('WARN', `its result set could not be marked partial: ${e.message}`))
          .finally(fn)
      }
      // the job ends once the process is gone ('close'), so nothing writes after it is marked partial
      const onAbort = () => {
        stopping = true
        child.kill('SIGKILL')
      }
      ctx.signal.addEventListener('abort', onAbort, { once: true })
      child.on('message', (m: SqlWorkerMessage) => {
        refill()
        if (m.type === 'paused') return writer?.paused()
        if (stopping) return
        if (m.type === 'log') {
          for (const line of m.lines) ctx.log(line.level, line.text)
          if (m.progress !== undefined) ctx.progress?.(m.progress)
        } else if (m.type === 'done') finish(() => resolve({ output: { resultSets: m.resultSets } }), false)
        else finish(() => reject(new TaskFailure(m.message, false)))
      })
      child.on('exit', () => grant.release())
      child.on('error', (e) => {
        child.kill('SIGKILL')
        grant.release() // a process that failed to start or to take its input may never say 'exit'
        finish(() => reject(new TaskFailure(`SQL process failed: ${e.message}`, false)))
      })
      child.on('close', (code, signal) => { // after its last message: 'close' waits for the IPC channel too
        grant.release()
        refill()
        if (stopping) finish(() => reject(stoppedError(ctx)))
        else if (memoryKilled(signal)) finish(() => reject(new TaskFailure(memoryLimitText, false)))
        else finish(() => reject(new TaskFailure(`SQL process exited (${signal ?? code})`, false)))
      })
      child.send(input)
      // registered after its input, so that a pause comes after it
      writer = options.ownWriters?.add({ pause: () => control({ type: 'pause' }), resume: () => control({ type: 'resume' }) })
    })
  }
  return {
    name: 'sql',
    close: () => processes.close(),
    resumable: false,
    run(ctx) {
      const code = ctx.spec.code
      if (typeof code !== 'string') return Promise.reject(new TaskFailure('spec.code must be a string', false))
      mkdirSync(options.scratchRoot, { recursive: true })
      const user = typeof ctx.spec.user === 'string' ? ctx.spec.user : 'user'
      const input: SqlWorkerInput = {
        scratchFile: scratchFileOf(options.scratchRoot, user),
        storeFile: options.storeFile,
        jobId: ctx.jobId,
        taskId: ctx.taskId,
        code,
        maxRows: options.maxRows ?? 1_000_000,
        userQuota: options.resultQuotaOf?.(ctx.jobId) ?? null,
      }
      // while it waits, its job says why (the engine asks `now` when its waitingReason is read)
      // claims count by the submitter, as the engine's share does: not by `user`, whom it runs as (#9, atk)
      const waited = memory.acquire(ctx.submitter, ctx.signal, (text, now) => {
        ctx.log('INFO', text)
        ctx.waiting?.(now)
      })
      // a cancel or timeout while it waits ends it as one while it runs would
      return waited.then(
        (grant) => {
          ctx.waiting?.(null)
          return runInProcess(ctx, input, grant)
        },
        () => Promise.reject(stoppedError(ctx)),
      )
    },
  }
}
