import { spawn } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { TaskFailure, type Executor, type TaskContext } from '../engine/executor'
import { LineSplitter } from './line-splitter'
import { groupMembers, killTree, processStartTime } from './process-tree'

export interface ShellOptions {
  /** Each job gets its own working folder below this one. */
  workRoot: string
  /** How long a cancelled script gets after SIGTERM before SIGKILL. */
  killGraceMs?: number
}

/**
 * Runs `spec.code` with /bin/sh (cmd.exe on Windows) in its own process group, so that cancel and
 * timeout stop the script and everything it started. stdout lines log as INFO, stderr as ERROR.
 */
export function createShellExecutor(options: ShellOptions): Executor {
  const killGraceMs = options.killGraceMs ?? 1000
  return {
    name: 'shell',
    resumable: false, // a script may have side effects: never run it twice behind the user's back
    run: (ctx) => runShell(ctx, options.workRoot, killGraceMs),
    reap(runtime) {
      const pgid = Number(runtime.pgid)
      if (!Number.isInteger(pgid) || pgid <= 1 || process.platform === 'win32') return
      const since = typeof runtime.startTime === 'string' ? runtime.startTime : null
      if (groupMembers(pgid, since).length > 0) killTree(pgid)
    },
  }
}

function runShell(ctx: TaskContext, workRoot: string, killGraceMs: number): Promise<{ output: unknown }> {
  const code = ctx.spec.code
  if (typeof code !== 'string') return Promise.reject(new TaskFailure('spec.code must be a string', false))
  const cwd = join(workRoot, ctx.jobUuid)
  mkdirSync(cwd, { recursive: true })
  const [shell, args] = process.platform === 'win32' ? ['cmd.exe', ['/d', '/s', '/c', code]] : ['/bin/sh', ['-c', code]]
  return new Promise((resolve, reject) => {
    if (ctx.signal.aborted) return reject(new Error(`aborted: ${String(ctx.signal.reason)}`))
    const child = spawn(shell, args, {
      cwd,
      detached: process.platform !== 'win32', // its own process group: kill(-pid) reaches every descendant
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, JOBDESK_JOB_ID: String(ctx.jobId), JOBDESK_JOB_UUID: ctx.jobUuid, JOBDESK_TASK: ctx.taskName },
      windowsHide: true,
    })
    const pid = child.pid
    if (pid !== undefined) ctx.setRuntime({ pid, pgid: pid, startTime: processStartTime(pid) })
    const out = new LineSplitter((line) => ctx.log('INFO', line))
    const err = new LineSplitter((line) => ctx.log('ERROR', line))
    child.stdout.on('data', (c: Buffer) => out.push(c))
    child.stderr.on('data', (c: Buffer) => err.push(c))

    let hardKill: NodeJS.Timeout | undefined
    const onAbort = () => {
      if (pid === undefined) return
      killTree(pid, 'SIGTERM')
      hardKill = setTimeout(() => killTree(pid, 'SIGKILL'), killGraceMs)
    }
    ctx.signal.addEventListener('abort', onAbort, { once: true })

    child.on('error', (e) => {
      ctx.signal.removeEventListener('abort', onAbort)
      reject(new TaskFailure(`could not start ${shell}: ${e.message}`, false))
    })
    child.on('close', (exitCode, signal) => {
      ctx.signal.removeEventListener('abort', onAbort)
      clearTimeout(hardKill)
      out.end()
      err.end()
      if (pid !== undefined) killTree(pid) // background children of a finished script go with it
      if (ctx.signal.aborted) return reject(new Error(`stopped (${String(ctx.signal.reason)})`))
      if (exitCode === 0) return resolve({ output: { exitCode: 0 } })
      const why = signal ? `killed by ${signal}` : `exit code ${exitCode}`
      reject(new TaskFailure(`script failed: ${why}`, true, { exitCode, signal }))
    })
  })
}
