import { existsSync, readlinkSync } from 'node:fs'
import { getPriority, setPriority } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { parentPort, receiveMessageOnPort, Worker, type ResourceLimits } from 'node:worker_threads'

/**
 * Names a folder of worker bundles that wins over the sources: the test run builds the worker entries
 * there once (test/support/worker-bundle.ts) instead of each test's workers loading them through tsx.
 */
export const WORKER_BUNDLE_ENV = 'JOBDESK_WORKER_BUNDLE'

/**
 * The path of the built entry `<name>.js`: in the folder named by JOBDESK_WORKER_BUNDLE (tests), or
 * next to the main bundle (this module may sit in out/main or in a chunk folder below it); undefined
 * when running from source.
 */
export function builtEntry(name: string): string | undefined {
  const here = dirname(fileURLToPath(import.meta.url))
  const bundle = process.env[WORKER_BUNDLE_ENV]
  return [...(bundle ? [join(bundle, `${name}.js`)] : []), join(here, `${name}.js`), join(here, '..', `${name}.js`)].find((built) => existsSync(built))
}

/**
 * Starts a worker thread by name: the built `<name>.js` (builtEntry; electron.vite.config.ts lists each
 * worker as an entry), or, run from source (the bench, tests without the bundle), `<sourceDir>/<name>.ts`
 * loaded through tsx's loader, registered inside the worker.
 */
export function startWorker(name: string, sourceDir: string, workerData: unknown, resourceLimits?: ResourceLimits): Worker {
  const built = builtEntry(name)
  if (built) return new Worker(built, { workerData, resourceLimits })
  const source = pathToFileURL(join(sourceDir, `${name}.ts`)).href
  const boot = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(source)}) })`
  return new Worker(boot, { eval: true, workerData, resourceLimits })
}

/** What a worker started for one piece of work posts once: its answer, or why the work failed. */
export type OneAnswerMessage = { type: string } | { type: 'error'; message: string }

/**
 * The answer of a worker thread started for one piece of work (startWorker), which posts one message
 * and ends: `value(m)` of its message. Rejects with `failed(why)` when it posts `{type: 'error',
 * message}`, throws or exits without answering; with `signal`'s reason as soon as `signal` aborts (a
 * client that hung up). A worker that has not answered (aborted, failed) is stopped (stopThread: it
 * ends itself at its next check, never terminated inside a SQLite call), so none goes on working for
 * nobody; the promise does not wait for that.
 */
export async function oneAnswer<M extends OneAnswerMessage, T>(
  worker: Worker,
  o: { value(m: Exclude<M, { type: 'error' }>): T; failed(why: string): Error; signal?: AbortSignal },
): Promise<T> {
  const { signal } = o
  let answered = false
  let onAbort: (() => void) | undefined
  try {
    const value = await new Promise<T>((resolve, reject) => {
      const fail = (why: string) => reject(o.failed(why))
      worker.once('message', (m: M) => {
        if (m.type === 'error') return fail((m as { message: string }).message)
        try {
          resolve(o.value(m as Exclude<M, { type: 'error' }>))
        } catch (e) {
          reject(e as Error) // thrown in a worker's message handler it would end the process
        }
      })
      worker.once('error', (e) => fail(e.message))
      worker.once('exit', () => fail('its worker stopped'))
      onAbort = () => reject(signal!.reason)
      if (signal?.aborted) onAbort()
      else signal?.addEventListener('abort', onAbort, { once: true })
    })
    answered = true
    return value
  } finally {
    if (onAbort) signal?.removeEventListener('abort', onAbort)
    if (!answered) void stopThread(worker)
  }
}

/**
 * The transfer list for posting `bytes` to another thread (postMessage's second argument): their
 * ArrayBuffer when the bytes have it to themselves, so its memory moves and is not copied; none (a
 * copy) for a piece of a larger buffer, such as Node's shared pool of small Buffers, or no bytes.
 */
export function movedMemory(bytes: Uint8Array | null | undefined): ArrayBuffer[] {
  return bytes && bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? [bytes.buffer as ArrayBuffer] : []
}

/**
 * Call first thing in a worker thread: lowers this thread's CPU priority (Linux: nice +10 on its own
 * thread id), so that when the cores are busy the main thread, which answers every request and runs
 * the engine, is scheduled first. Elsewhere, or when not permitted, it does nothing.
 */
export function yieldToMainThread(): void {
  if (process.platform !== 'linux') return
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop())
    if (Number.isInteger(tid) && tid > 0) setPriority(tid, Math.min(19, getPriority(tid) + 10))
  } catch {
    // no /proc/thread-self (very old kernels) or no permission: run at the normal priority
  }
}

/** The message that asks a worker thread to end itself (stopThread; the worker listens with exitOnStop). */
export const THREAD_STOP = 'jobdesk:stop-thread'

/**
 * How long a thread asked to stop may take to end itself before it is terminated (ms): it ends at its
 * next turn of the event loop, between two SQLite calls.
 */
export const THREAD_STOP_GRACE_MS = 5_000

/**
 * Stops a worker thread that may be inside a better-sqlite3 call: asks it to end itself (THREAD_STOP,
 * heard by exitOnStop between two calls) and terminates it only when it has not ended within `graceMs`.
 * A thread terminated inside a better-sqlite3 call that then throws aborts the whole process (`FATAL
 * ERROR: v8::ToLocalChecked Empty MaybeLocal` from Database::ThrowSqliteError; WiseLibs/better-sqlite3#842,
 * seen in CI). Resolves once the thread has ended; calling it again on a stopping thread adds nothing.
 */
export function stopThread(worker: Worker, graceMs = THREAD_STOP_GRACE_MS): Promise<void> {
  const known = stopping.get(worker)
  if (known) return known
  const ended = new Promise<void>((resolve) => {
    if (worker.threadId === -1) return resolve() // already ended
    worker.once('exit', () => resolve())
  })
  stopping.set(worker, ended)
  try {
    worker.postMessage(THREAD_STOP)
  } catch {
    // the port is closed: the thread is ending anyway
  }
  const late = setTimeout(() => void worker.terminate(), graceMs)
  late.unref()
  void ended.then(() => clearTimeout(late))
  return ended
}
const stopping = new WeakMap<Worker, Promise<void>>()

/**
 * Call first thing in a worker thread that opens the store: it ends itself (process.exit, at its next
 * turn, so never inside a SQLite call) when stopThread asks. `endsWhenIdle`: true for a worker that
 * does one piece of work and ends (oneAnswer), whose listener then does not keep the thread alive;
 * false for one that waits for more messages (requests, acknowledgements). Outside a thread it does nothing.
 */
export function exitOnStop(o: { endsWhenIdle: boolean }): void {
  if (!parentPort) return
  parentPort.on('message', (m) => m === THREAD_STOP && process.exit(0))
  if (o.endsWhenIdle) parentPort.unref()
}

/** Thrown by throwIfStopped: stopThread asked this thread to stop; the worker ends without answering. */
export class ThreadStopped extends Error {
  constructor() {
    super('the thread was asked to stop')
    this.name = 'ThreadStopped'
  }
}
let stopHeard = false

/**
 * In a one-answer worker thread (exitOnStop with endsWhenIdle) busy in one synchronous piece of work:
 * throws ThreadStopped once stopThread has asked it to stop, reading its port at once (exitOnStop's
 * listener hears only at the next turn of the event loop, after the work). For a thread that is sent
 * no other message: any other message waiting on the port is taken and dropped. A no-op outside a
 * thread. Cheap (~0.1-0.3 µs): may be called per row from inside a SQLite statement, where throwing
 * ends the statement with that error rather than terminating the thread inside it.
 */
export function throwIfStopped(): void {
  if (!parentPort) return
  while (!stopHeard) {
    const m = receiveMessageOnPort(parentPort)
    if (!m) break
    stopHeard = m.message === THREAD_STOP
  }
  if (stopHeard) throw new ThreadStopped()
}

/**
 * A stop flag in shared memory (one Int32, 0 until raised), for a worker thread that hears other
 * messages on its port as well (an export's acknowledgements), where throwIfStopped would take them
 * and drop them: the thread is given it in its workerData, reads it with stopFlagCheck, and whoever
 * stops the thread raises it (raiseStop) before stopThread's message.
 */
export type StopFlag = Int32Array

/** A new StopFlag, not raised. */
export const newStopFlag = (): StopFlag => new Int32Array(new SharedArrayBuffer(4))

/** Raises `flag`: the thread's stopFlagCheck throws from now on. */
export function raiseStop(flag: StopFlag): void {
  Atomics.store(flag, 0, 1)
}

/**
 * The check of `flag` in the thread it was given to: a function that throws ThreadStopped once the
 * flag is raised, leaving the port's messages alone. Cheap (one atomic read): may be called per row
 * from inside a SQLite statement (stopCheckTerm) or per statement (openStoreReader).
 */
export function stopFlagCheck(flag: StopFlag): () => void {
  return () => {
    if (Atomics.load(flag, 0) !== 0) throw new ThreadStopped()
  }
}
