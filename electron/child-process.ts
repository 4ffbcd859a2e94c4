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
 */
export function startChild(name: string, sourceDir: string): ChildProcess {
  const built = builtEntry(name)
  // its own process group: a terminal's Ctrl+C goes to the server, which stops its jobs in order
  const detached = process.platform !== 'win32'
  const child = built
    ? fork(built, [], { detached, serialization: 'advanced' })
    : fork(join(sourceDir, `${name}.ts`), [], { detached, serialization: 'advanced', execArgv: ['--import', 'tsx'] })
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
 * native code (a long SQLite statement) and cannot hear the IPC channel close.
 */
export function dieWithParent(): void {
  const parent = process.ppid
  const watchdog = new Worker(
    `const parent = ${parent}
     setInterval(() => {
       let gone = process.ppid !== parent
       try { process.kill(parent, 0) } catch { gone = true }
       if (gone) process.kill(process.pid, 'SIGKILL')
     }, 500)`,
    { eval: true, execArgv: [] }, // plain Node: no loader to boot (tsx, when run from source)
  )
  watchdog.unref()
  process.once('disconnect', () => process.exit()) // heard only while idle; the watchdog covers the rest
}
