import { existsSync, readlinkSync } from 'node:fs'
import { getPriority, setPriority } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { Worker, type ResourceLimits } from 'node:worker_threads'

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
 * client that hung up). A worker that has not answered (aborted, failed) is terminated, so none goes
 * on working for nobody.
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
    if (!answered) void worker.terminate()
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
