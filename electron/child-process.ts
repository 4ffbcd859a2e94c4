import { fork, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import { Worker } from 'node:worker_threads'
import { builtEntry } from './worker-thread'

/** Children still alive: killed when this process exits, so none outlives it (see also dieWithParent). */
const live = new Set<ChildProcess>()
let exitHookInstalled = false

/**
 * Starts a child process by name, connected by IPC: the built `<name>.js` (builtEntry)
 * (electron.vite.config.ts lists it as an entry), or, run from source (tests, the bench),
 * `<sourceDir>/<name>.ts` through tsx's loader. Unlike a worker thread, it can be stopped at any
 * moment (`kill('SIGKILL')`), even inside native code; it is killed when this process exits, and it
 * should call dieWithParent() for the cases where this process cannot (kill -9). Under Electron,
 * fork() runs the entry with Electron's own Node (ELECTRON_RUN_AS_NODE), so native modules match.
 * `env` adds variables to this process's environment for the child (SQLITE_TMPDIR, …).
 */
export function startChild(name: string, sourceDir: string, o: { env?: Record<string, string> } = {}): ChildProcess {
  const built = builtEntry(name)
  // its own process group: a terminal's Ctrl+C goes to the server, which stops its jobs in order
  const detached = process.platform !== 'win32'
  const env = o.env ? { ...process.env, ...o.env } : undefined
  const child = built
    ? fork(built, [], { detached, serialization: 'advanced', env })
    : fork(join(sourceDir, `${name}.ts`), [], { detached, serialization: 'advanced', execArgv: ['--import', 'tsx'], env })
  live.add(child)
  child.once('exit', () => live.delete(child))
  if (!exitHookInstalled) {
    exitHookInstalled = true
    process.once('exit', () => {
      for (const c of live) c.kill('SIGKILL')
    })
  }
  return child
}

/**
 * Call first thing in a child started by startChild(): a small watchdog thread kills this process
 * (SIGKILL) within about a second once its parent is gone, even while the main thread is busy in
 * native code (a long SQLite statement) and cannot hear the IPC channel close. With `maxRssBytes`, it
 * also kills it within MEMORY_CHECK_MS once its resident memory passes that: SQLite's native memory
 * counts against no V8 heap limit, and better-sqlite3's SQLite is built without memory statistics
 * (SQLITE_DEFAULT_MEMSTATUS=0), so PRAGMA hard_heap_limit does nothing there (#9 §1, atk12). The
 * parent tells such a death by its signal (SIGKILL it did not send: memoryKilled).
 */
export function dieWithParent(o: { maxRssBytes?: number } = {}): void {
  const parent = process.ppid
  watchdog = new Worker(
    `const parent = ${parent}
     let maxRss = ${Math.floor(o.maxRssBytes ?? 0)}
     setInterval(() => {
       let gone = process.ppid !== parent
       try { process.kill(parent, 0) } catch { gone = true }
       if (gone) process.kill(process.pid, 'SIGKILL')
     }, 500)
     require('node:worker_threads').parentPort.on('message', (bytes) => (maxRss = maxRss > 0 ? Math.min(maxRss, bytes) : bytes))
     setInterval(() => {
       if (maxRss > 0 && process.memoryUsage.rss() > maxRss) process.kill(process.pid, 'SIGKILL')
     }, ${MEMORY_CHECK_MS})`,
    { eval: true, execArgv: [] }, // plain Node: no loader to boot (tsx, when run from source)
  )
  watchdog.unref()
  process.once('disconnect', () => process.exit()) // heard only while idle; the watchdog covers the rest
}

/** The watchdog thread dieWithParent started in this (child) process. */
let watchdog: Worker | undefined

/** In a child that called dieWithParent: lowers its memory limit to `bytes` of resident memory (never raises it). For tests, which need a small one. */
export function lowerMemoryLimit(bytes: number): void {
  watchdog?.postMessage(Math.floor(bytes))
}

/** How often a child's watchdog looks at its resident memory (ms): SQLite grew ~50 MB a second in atk12's views, so it passes a limit by a few MB. */
export const MEMORY_CHECK_MS = 50

/**
 * Whether a child started with a memory limit (dieWithParent) that ended with `signal`, when its parent
 * did not kill it, was ended for its memory: by its own watchdog, or by the system's out-of-memory killer.
 */
export const memoryKilled = (signal: NodeJS.Signals | null): boolean => signal === 'SIGKILL'

/** Children of one entry, each started before the work it will do arrives (warmChildren). */
export interface WarmChildren {
  /**
   * A child for one piece of work, connected and referenced (it keeps this process alive like one
   * from startChild): the spare if it is still up, else a fresh one. A child is handed out once; the
   * caller owns it from here (kill, events). Does not start the next spare: call refill().
   */
  take(): ChildProcess
  /** Starts a spare in the background if there is none and close() was not called. */
  refill(): void
  /** Kills the spare (SIGKILL) and starts no more. */
  close(): void
  /** The process id of the spare waiting now, if any (what a process list would show). */
  readonly sparePid: number | undefined
}

/** How long a spare waits for work before it is ended (ms): an idle desktop app does not hold ~60 MB for a SQL job that may never come. */
export const SPARE_IDLE_MS = 10 * 60_000

/**
 * Keeps at most one spare child of `name` (startChild) that has booted and loaded its modules and waits
 * for its first IPC message, so that a piece of work skips the start of a process (for a SQL job about
 * 0.5-1.5 s: Node, better-sqlite3, the store's modules). The spare holds nothing of anyone's until it is
 * taken, and it serves one piece of work only: the child's code must end after its first message
 * (sql-worker.ts does). An idle spare keeps no event loop alive (unref'd); it dies with this process
 * like any child of startChild (the exit hook here, dieWithParent there). One that dies idle is dropped,
 * and the next refill() starts another: not at once, so a child that cannot start does not loop. One
 * not taken within `idleMs` is ended too (the next piece of work then starts its own, as the first does).
 */
export function warmChildren(name: string, sourceDir: string, idleMs = SPARE_IDLE_MS): WarmChildren {
  let spare: { child: ChildProcess; gone: () => void; failed: () => void; retire: NodeJS.Timeout } | undefined
  let closed = false
  return {
    take() {
      const s = spare
      spare = undefined
      if (s) {
        clearTimeout(s.retire)
        s.child.off('exit', s.gone)
        s.child.off('error', s.failed)
        if (s.child.exitCode === null && s.child.signalCode === null && s.child.connected) {
          s.child.ref()
          s.child.channel?.ref()
          return s.child
        }
        s.child.kill('SIGKILL')
      }
      return startChild(name, sourceDir)
    },
    refill() {
      if (closed || spare) return
      const child = startChild(name, sourceDir)
      const gone = () => {
        if (spare?.child === child) spare = undefined
      }
      const failed = () => { // e.g. its IPC channel broke: an 'error' nobody heard would throw
        child.kill('SIGKILL')
        gone()
      }
      child.once('exit', gone)
      child.on('error', failed)
      child.unref()
      child.channel?.unref()
      const retire = setTimeout(() => {
        if (spare?.child !== child) return
        spare = undefined
        child.kill('SIGKILL')
      }, idleMs)
      retire.unref()
      spare = { child, gone, failed, retire }
    },
    get sparePid() {
      return spare?.child.pid
    },
    close() {
      closed = true
      if (spare) clearTimeout(spare.retire)
      spare?.child.kill('SIGKILL')
      spare = undefined
    },
  }
}
