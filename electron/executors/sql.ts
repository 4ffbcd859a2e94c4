import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { TaskFailure, type Executor } from '../engine/executor'
import type { ResultRepository } from '../store/result.repository'
import { startChild } from '../child-process'
import { scratchFileOf } from '../user-file-names'
import type { SqlWorkerInput, SqlWorkerMessage } from './sql-worker'

export interface SqlOptions {
  /** Per-user scratch databases live here; never JobDesk's own store. */
  scratchRoot: string
  /** JobDesk's store, where result sets are written. */
  storeFile: string
  maxRows?: number
  /** To mark the sets a stopped or failed script was writing as partial. */
  results?: ResultRepository
}

/**
 * Runs SQL against the submitting user's scratch SQLite database in a child process (sql-worker.ts);
 * each SELECT becomes a result set. Cancel and timeout kill the process (SIGKILL), which stops even a
 * statement that never returns to JavaScript; the job ends once the process is gone.
 */
export function createSqlExecutor(options: SqlOptions): Executor {
  return {
    name: 'sql',
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
      }
      return new Promise((resolve, reject) => {
        const child = startChild('sql-worker', dirname(fileURLToPath(import.meta.url)))
        let settled = false
        let stopping = false
        const finish = (fn: () => void, stopped = true) => {
          if (settled) return
          settled = true
          ctx.signal.removeEventListener('abort', onAbort)
          if (stopped) options.results?.markPartial(ctx.jobId, ctx.taskId)
          fn()
        }
        // the job ends once the process is gone ('close'), so nothing writes after it is marked partial
        const onAbort = () => {
          stopping = true
          child.kill('SIGKILL')
        }
        ctx.signal.addEventListener('abort', onAbort, { once: true })
        child.on('message', (m: SqlWorkerMessage) => {
          if (stopping) return
          if (m.type === 'log') {
            for (const line of m.lines) ctx.log(line.level, line.text)
            if (m.progress !== undefined) ctx.progress?.(m.progress)
          } else if (m.type === 'done') finish(() => resolve({ output: { resultSets: m.resultSets } }), false)
          else finish(() => reject(new TaskFailure(m.message, false)))
        })
        child.on('error', (e) => {
          child.kill('SIGKILL')
          finish(() => reject(new TaskFailure(`SQL process failed: ${e.message}`, false)))
        })
        child.on('close', (code, signal) => { // after its last message: 'close' waits for the IPC channel too
          if (stopping) finish(() => reject(new Error(`stopped (${String(ctx.signal.reason)})`)))
          else finish(() => reject(new TaskFailure(`SQL process exited (${signal ?? code})`, false)))
        })
        child.send(input)
      })
    },
  }
}
