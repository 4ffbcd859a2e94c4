import { spawn } from 'node:child_process'
import { accessSync, constants, mkdirSync, statSync, writeFileSync } from 'node:fs'
import { delimiter, isAbsolute, join } from 'node:path'
import { resultCutText } from '../../shared/result-limits'
import { TaskFailure, type Executor, type TaskContext } from '../engine/executor'
import { BUSY_RETRY_MS, isBusy, retryWhileBusy } from '../store/connection'
import type { ResultRepository, ResultSetMeta } from '../store/result.repository'
import { failureMessage, readHeadline, StderrTail } from './failure-headline'
import { feedLines, LineSplitter } from './line-splitter'
import { stderrLevels } from './stderr-level'
import { ownTurn } from './turns'
import { killRun, newRunMarker, processStartTime, RUN_MARKER_ENV, runProcesses, signalRun, type RunHandle } from './process-tree'
import { createRunCgroup, inCgroup, releaseCgroup } from './run-cgroup'

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
/** How long output may keep arriving after a script's first process exited and the rest of its run was killed. */
const PIPE_DRAIN_MS = 1000

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
 * Runs `spec.code` with an interpreter in its own process group, its own cgroup where one can be
 * made, and with a marker in its environment, so that cancel and timeout stop the script and
 * everything it started (process-tree.ts says which guarantee holds where). stdout lines log as
 * INFO (and fill a text result set), stderr lines at the level they state, else INFO (stderr-level.ts).
 */
export function createProcessExecutor(interpreter: Interpreter, options: ProcessOptions): Executor {
  const killGraceMs = options.killGraceMs ?? 1000
  return {
    name: interpreter.name,
    resumable: false, // a script may have side effects: never run it twice behind the user's back
    run: (ctx) => runProcess(ctx, interpreter, options, killGraceMs),
    reap(runtime) {
      const run = runOf(runtime)
      if (run && runProcesses(run).length > 0) killRun(run)
      if (run?.cgroup) releaseCgroup(run.cgroup)
    },
  }
}

/** The run a task's recorded runtime names, if it names one. */
function runOf(runtime: Record<string, unknown>): RunHandle | null {
  const pid = Number(runtime.pid)
  if (!Number.isInteger(pid) || pid <= 1 || process.platform === 'win32') return null
  // only a run cgroup JobDesk made (run-cgroup.ts's layout), whatever else a record might name
  const cgroup = typeof runtime.cgroup === 'string' && /\/jobdesk\/\d+-\d+\/run-[\w-]+$/.test(runtime.cgroup) ? runtime.cgroup : null
  return { pid, marker: typeof runtime.marker === 'string' ? runtime.marker : '', startTime: typeof runtime.startTime === 'string' ? runtime.startTime : null, cgroup }
}

/** The file `command` names, looked up on `path` like exec does, or null when there is none to run. */
function findExecutable(command: string, path: string | undefined): string | null {
  const runnable = (file: string) => {
    try {
      accessSync(file, constants.X_OK)
      return statSync(file).isFile()
    } catch {
      return false
    }
  }
  if (command.includes('/')) return runnable(command) ? command : null
  for (const dir of (path ?? '').split(delimiter)) {
    if (dir && isAbsolute(dir) && runnable(join(dir, command))) return join(dir, command)
  }
  return null
}

/**
 * Collects stdout lines into a text result set in batches; created on the first line. Runs in the
 * output pipes' handlers, where a throw would end the process: a batch the store refuses (locked past
 * its busy timeout by another connection, a full disk) ends the result set there, marked partial, with
 * a warning in the job's log, which keeps every line as before; the script runs on. Lines past the
 * job's budget or its user's quota (result.repository.ts append) end it too, `truncated`, with the
 * WARN every executor writes there (at the script's end).
 */
function textResult(ctx: TaskContext, results: ResultRepository | undefined) {
  let set: ResultSetMeta | undefined
  let pending: unknown[][] = []
  let count = 0
  let cut = false
  let bytes = 0
  let refused = false
  let cutAt: number | undefined // rows kept when the job's budget or its user's quota cut the set
  // a write refused by another program's lock (SQLITE_BUSY) is thrown for the caller to try again
  // later: the lines wait (within the caps); any other refusal ends the result set
  const keep = (write: () => void) => {
    try {
      write()
    } catch (e) {
      if (isBusy(e)) throw e
      refused = true
      pending = []
      ctx.log('WARN', `the output is no longer kept as a result set (its log keeps every line): ${(e as Error).message}`)
    }
  }
  const flush = () => {
    if (!results || !pending.length || refused) return
    keep(() => {
      set ??= results.create({ jobId: ctx.jobId, taskId: ctx.taskId, kind: 'text', columns: [{ name: 'output', type: 'string' }] })
      const from = count - pending.length
      const kept = results.append(set, from, pending)
      if (kept < pending.length) {
        cut = true
        cutAt = from + kept
      }
      pending = []
    })
  }
  return {
    line(text: string) {
      if (!results || refused || set?.cut) return
      if (count >= MAX_RESULT_LINES || bytes >= MAX_RESULT_BYTES) {
        cut = true
        return
      }
      bytes += text.length
      pending.push([text])
      count++
      if (pending.length >= 200) {
        try {
          flush()
        } catch {
          // locked by another program: these lines go with a later flush
        }
      }
    },
    /**
     * The script ended (`stopped`: by cancel, timeout or kill, so its output may miss lines): the
     * last lines and the set's end are written, tried again while another program holds the lock.
     */
    async close(stopped: boolean): Promise<void> {
      let told = false
      const end = () => {
        flush()
        // told at the end, not at the cut: a job's log keeps only the first and last lines of a large output
        if (cutAt !== undefined && set?.cut && !told) {
          told = true
          ctx.log('WARN', resultCutText(cutAt, set.cut))
        }
        if (!set || !results) return
        const written = set
        keep(() => (stopped || refused ? results.markPartial(ctx.jobId, ctx.taskId) : results.finish(written, cut ? 'truncated' : 'complete')))
      }
      try {
        await retryWhileBusy(end, { forMs: BUSY_RETRY_MS })
      } catch (e) {
        ctx.log('WARN', `the output's result set could not be completed (its log keeps every line): ${(e as Error).message}`)
      }
    },
  }
}

async function runProcess(ctx: TaskContext, interpreter: Interpreter, options: ProcessOptions, killGraceMs: number): Promise<{ output: unknown }> {
  const code = ctx.spec.code
  if (typeof code !== 'string') throw new TaskFailure('spec.code must be a string', false)
  const cwd = join(options.workRoot, ctx.jobUuid)
  mkdirSync(cwd, { recursive: true })
  const [interpreterCommand, interpreterArgs] = interpreter.command(code, cwd)
  const result = textResult(ctx, options.results)
  await ownTurn() // starting a process holds the main thread for tens of ms: a burst of jobs starts one per turn
  return new Promise((resolve, reject) => {
    if (ctx.signal.aborted) return reject(new Error(`aborted: ${String(ctx.signal.reason)}`))
    const marker = newRunMarker()
    const env: NodeJS.ProcessEnv = { ...process.env, JOBDESK_JOB_ID: String(ctx.jobId), JOBDESK_JOB_UUID: ctx.jobUuid, JOBDESK_TASK: ctx.taskName, [RUN_MARKER_ENV]: marker }
    let cgroup = process.platform === 'linux' ? createRunCgroup(marker) : null
    // In a cgroup the command is started by a shell (run-cgroup.ts inCgroup), which would report a
    // missing interpreter as its own exit 127: look it up first, and fail as spawn would.
    const executable = cgroup ? findExecutable(interpreterCommand, env.PATH) : interpreterCommand
    if (executable === null) {
      releaseCgroup(cgroup!)
      const e: NodeJS.ErrnoException = Object.assign(new Error(`spawn ${interpreterCommand} ENOENT`), { code: 'ENOENT' })
      return reject(new TaskFailure(interpreter.missing(e), false))
    }
    const [command, args] = cgroup ? inCgroup(cgroup, executable, interpreterArgs) : [executable, interpreterArgs]
    const child = spawn(command, args, {
      cwd,
      detached: process.platform !== 'win32', // its own process group, and the marker for those that leave it
      stdio: ['ignore', 'pipe', 'pipe'],
      env,
      windowsHide: true,
    })
    const pid = child.pid
    const run: RunHandle | null = pid === undefined ? null : { pid, marker, startTime: processStartTime(pid), seen: new Map(), cgroup }
    if (run) ctx.setRuntime({ pid: run.pid, pgid: run.pid, startTime: run.startTime, marker, ...(cgroup ? { cgroup } : {}) })
    const release = () => {
      if (cgroup) releaseCgroup(cgroup)
      cgroup = null
    }
    const out = new LineSplitter((line) => {
      ctx.log('INFO', line)
      result.line(line)
    })
    const stderr = new StderrTail()
    const levelOf = stderrLevels()
    const err = new LineSplitter((line) => {
      const { level, plain } = levelOf(line)
      ctx.log(level, line, 'stderr')
      if (level === 'ERROR' || plain) stderr.push(line) // a failure's headline is read from errors and plain output, not warnings, INFO or `set -x`
    })
    feedLines(child.stdout, out)
    feedLines(child.stderr, err)

    let hardKill: NodeJS.Timeout | undefined
    let closeWait: NodeJS.Timeout | undefined
    let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined
    let settled = false
    const onAbort = () => {
      if (!run) return
      signalRun(run, 'SIGTERM')
      hardKill = setTimeout(() => killRun(run), killGraceMs)
    }
    ctx.signal.addEventListener('abort', onAbort, { once: true })

    const settle = () => {
      if (settled) return
      settled = true
      ctx.signal.removeEventListener('abort', onAbort)
      clearTimeout(hardKill)
      clearTimeout(closeWait)
      if (run) killRun(run) // background children of a finished script go with it
      release()
      out.end()
      err.end()
      const stopped = ctx.signal.aborted
      void result.close(stopped).then(() => {
        if (stopped) return reject(new Error(`stopped (${String(ctx.signal.reason)})`))
        if (exit?.code === 0) return resolve({ output: { exitCode: 0 } })
        const why = exit?.signal ? `killed by ${exit.signal}` : `exit code ${exit?.code}`
        const headline = readHeadline(interpreter.name, stderr.lines())
        reject(new TaskFailure(failureMessage(headline, why), true, { exitCode: exit?.code ?? null, signal: exit?.signal ?? null, ...(headline?.line ? { line: headline.line } : {}) }))
      })
    }

    child.on('error', (e: NodeJS.ErrnoException) => {
      if (settled) return
      settled = true
      ctx.signal.removeEventListener('abort', onAbort)
      release()
      reject(new TaskFailure(interpreter.missing(e), false))
    })
    // The script is done when its first process exits, even while a background child still holds
    // stdout: what is left of the run is killed (on cancel, after the grace period), which closes
    // the pipes; a holder that escaped the kill cannot keep the job open past PIPE_DRAIN_MS.
    child.on('exit', (code, signal) => {
      exit = { code, signal }
      if (run && !ctx.signal.aborted) killRun(run)
      closeWait = setTimeout(() => {
        child.stdout.destroy()
        child.stderr.destroy()
        settle()
      }, ctx.signal.aborted ? killGraceMs + PIPE_DRAIN_MS : PIPE_DRAIN_MS)
    })
    child.on('close', settle)
  })
}

export const createShellExecutor = (options: ProcessOptions): Executor => createProcessExecutor(shellInterpreter, options)
export const createPythonExecutor = (options: ProcessOptions): Executor => createProcessExecutor(pythonInterpreter, options)
