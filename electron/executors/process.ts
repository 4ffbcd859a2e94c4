import { spawn } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { TaskFailure, type Executor, type TaskContext } from '../engine/executor'
import type { ResultRepository, ResultSetMeta } from '../store/result.repository'
import { failureMessage, readHeadline, StderrTail } from './failure-headline'
import { feedLines, LineSplitter } from './line-splitter'
import { ownTurn } from './turns'
import { groupMembers, killTree, processStartTime } from './process-tree'

export interface ProcessOptions {
  /** Each job gets its own working folder below this one. */
  workRoot: string
  /** How long a cancelled script gets after SIGTERM before SIGKILL. */
  killGraceMs?: number
  /** Where stdout is kept as a text result set (Linkis shows it as the job's result). */
  results?: ResultRepository
}

/** How a language's code becomes a command, run in the job's working folder. */
export interface Interpreter {
  name: string
  /** The command and its arguments; may write the code to a file in `cwd` first. */
  command(code: string, cwd: string): [string, string[]]
  /** A clear failure when the interpreter cannot be started (not installed). */
  missing(error: NodeJS.ErrnoException): string
}

const MAX_RESULT_LINES = 100_000
/** The text result keeps at most this much of stdout; the log keeps its head and tail (engine/job-logs.ts). */
const MAX_RESULT_BYTES = 16 * 1024 * 1024

export const shellInterpreter: Interpreter = {
  name: 'shell',
  command: (code) => (process.platform === 'win32' ? ['cmd.exe', ['/d', '/s', '/c', code]] : ['/bin/sh', ['-c', code]]),
  missing: (e) => `could not start the shell: ${e.message}`,
}

export const pythonInterpreter: Interpreter = {
  name: 'python',
  command(code, cwd) {
    const file = join(cwd, 'script.py')
    writeFileSync(file, code)
    return [process.platform === 'win32' ? 'python' : 'python3', ['-u', file]] // -u: output arrives line by line
  },
  missing: (e) =>
    e.code === 'ENOENT' ? 'python3 was not found on PATH: install Python 3 to run python scripts' : `could not start python3: ${e.message}`,
}

/**
 * Runs `spec.code` with an interpreter in its own process group, so that cancel and timeout stop
 * the script and everything it started. stdout lines log as INFO (and fill a text result set),
 * stderr lines as ERROR.
 */
export function createProcessExecutor(interpreter: Interpreter, options: ProcessOptions): Executor {
  const killGraceMs = options.killGraceMs ?? 1000
  return {
    name: interpreter.name,
    resumable: false, // a script may have side effects: never run it twice behind the user's back
    run: (ctx) => runProcess(ctx, interpreter, options, killGraceMs),
    reap(runtime) {
      const pgid = Number(runtime.pgid)
      if (!Number.isInteger(pgid) || pgid <= 1 || process.platform === 'win32') return
      const since = typeof runtime.startTime === 'string' ? runtime.startTime : null
      if (groupMembers(pgid, since).length > 0) killTree(pgid)
    },
  }
}

/** Collects stdout lines into a text result set in batches; created on the first line. */
function textResult(ctx: TaskContext, results: ResultRepository | undefined) {
  let set: ResultSetMeta | undefined
  let pending: unknown[][] = []
  let count = 0
  let bytes = 0
  const flush = () => {
    if (!results || !pending.length) return
    set ??= results.create({ jobId: ctx.jobId, taskId: ctx.taskId, kind: 'text', columns: [{ name: 'output', type: 'string' }] })
    results.append(set, count - pending.length, pending)
    pending = []
  }
  return {
    line(text: string) {
      if (!results || count >= MAX_RESULT_LINES || bytes >= MAX_RESULT_BYTES) return
      bytes += text.length
      pending.push([text])
      count++
      if (pending.length >= 200) flush()
    },
    flush,
  }
}

async function runProcess(ctx: TaskContext, interpreter: Interpreter, options: ProcessOptions, killGraceMs: number): Promise<{ output: unknown }> {
  const code = ctx.spec.code
  if (typeof code !== 'string') throw new TaskFailure('spec.code must be a string', false)
  const cwd = join(options.workRoot, ctx.jobUuid)
  mkdirSync(cwd, { recursive: true })
  const [command, args] = interpreter.command(code, cwd)
  const result = textResult(ctx, options.results)
  await ownTurn() // starting a process holds the main thread for tens of ms: a burst of jobs starts one per turn
  return new Promise((resolve, reject) => {
    if (ctx.signal.aborted) return reject(new Error(`aborted: ${String(ctx.signal.reason)}`))
    const child = spawn(command, args, {
      cwd,
      detached: process.platform !== 'win32', // its own process group: kill(-pid) reaches every descendant
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, JOBDESK_JOB_ID: String(ctx.jobId), JOBDESK_JOB_UUID: ctx.jobUuid, JOBDESK_TASK: ctx.taskName },
      windowsHide: true,
    })
    const pid = child.pid
    if (pid !== undefined) ctx.setRuntime({ pid, pgid: pid, startTime: processStartTime(pid) })
    const out = new LineSplitter((line) => {
      ctx.log('INFO', line)
      result.line(line)
    })
    const stderr = new StderrTail()
    const err = new LineSplitter((line) => {
      ctx.log('ERROR', line)
      stderr.push(line)
    })
    feedLines(child.stdout, out)
    feedLines(child.stderr, err)

    let hardKill: NodeJS.Timeout | undefined
    const onAbort = () => {
      if (pid === undefined) return
      killTree(pid, 'SIGTERM')
      hardKill = setTimeout(() => killTree(pid, 'SIGKILL'), killGraceMs)
    }
    ctx.signal.addEventListener('abort', onAbort, { once: true })

    child.on('error', (e: NodeJS.ErrnoException) => {
      ctx.signal.removeEventListener('abort', onAbort)
      reject(new TaskFailure(interpreter.missing(e), false))
    })
    child.on('close', (exitCode, signal) => {
      ctx.signal.removeEventListener('abort', onAbort)
      clearTimeout(hardKill)
      out.end()
      err.end()
      result.flush()
      if (pid !== undefined) killTree(pid) // background children of a finished script go with it
      if (ctx.signal.aborted) return reject(new Error(`stopped (${String(ctx.signal.reason)})`))
      if (exitCode === 0) return resolve({ output: { exitCode: 0 } })
      const why = signal ? `killed by ${signal}` : `exit code ${exitCode}`
      const headline = readHeadline(interpreter.name, stderr.lines())
      reject(new TaskFailure(failureMessage(headline, why), true, { exitCode, signal, ...(headline?.line ? { line: headline.line } : {}) }))
    })
  })
}

export const createShellExecutor = (options: ProcessOptions): Executor => createProcessExecutor(shellInterpreter, options)
export const createPythonExecutor = (options: ProcessOptions): Executor => createProcessExecutor(pythonInterpreter, options)
