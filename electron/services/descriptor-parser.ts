import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { AppError } from '../../shared/errors'
import { badDescriptor, DescriptorError, parseForStorage, type StoredDescriptor } from '../workflows/rillflow/descriptor'
import { checkTextSize } from '../workflows/rillflow/descriptor/limits'
import { QueryWorkerPool } from '../graph/worker/query-pool'
import { startWorker } from '../worker-thread'
import type { DescriptorParseMessage, DescriptorParseRequest } from './descriptor-worker'
import { WORKER_THREADS, workerSlots } from './worker-slots'

/**
 * Up to this many characters a descriptor is parsed on the main thread; a longer one in a worker
 * thread. Measured on a loaded 2-core machine: parsing, validating and rewriting took about 0.6 ms
 * per kB (a 490 kB descriptor of 30,000 defaultContext keys: ~300 ms), so 64 kB stays near 40 ms.
 */
export const INLINE_DESCRIPTOR_CHARS = 64 * 1024
/** A descriptor is at most 1 MB of text (descriptor/limits.ts); its parse stays well inside this. */
const WORKER_LIMITS = { maxOldGenerationSizeMb: 256, maxYoungGenerationSizeMb: 32 }
const WAITING = 8

/** Long descriptors waiting their turn beyond the workers' (a clear refusal past them). */
const slots = workerSlots({
  running: WORKER_THREADS,
  waiting: WAITING,
  code: 'too_many_descriptors',
  busy: `${WORKER_THREADS + WAITING} long descriptors are already being read or waiting: try again in a moment`,
})

/**
 * The descriptor workers: one stays loaded between descriptors (booting one takes seconds on a busy
 * machine). Unref'd: an idle worker does not keep the process alive.
 */
const pool = new QueryWorkerPool(
  () => {
    const worker = startWorker('descriptor-worker', dirname(fileURLToPath(import.meta.url)), undefined, WORKER_LIMITS)
    worker.unref()
    return worker
  },
  WORKER_THREADS,
  1,
  'a descriptor worker stopped while loading',
)

/**
 * Parses a descriptor for add_descriptor (descriptor/index.ts parseForStorage): a short one on the
 * main thread, a long one in a worker thread. A text over the size limit is refused before either.
 * Rejects with AppError `invalid` bad_descriptor naming the field and line of a bad descriptor
 * (descriptor/error.ts badDescriptor), with AppError `unavailable` (too_many_descriptors) when too
 * many long ones are already being parsed and waiting, and AppError `internal` when a worker fails.
 */
export async function parseDescriptorForStorage(text: string): Promise<StoredDescriptor> {
  try {
    if (text.length <= INLINE_DESCRIPTOR_CHARS) {
      warm()
      return parseForStorage(text)
    }
    checkTextSize(text) // a text too long to be one is refused at once
    return await parseInWorker(text)
  } catch (e) {
    throw e instanceof DescriptorError ? badDescriptor(e) : e
  }
}

let warmed = false
/**
 * Loads a descriptor worker in the background, once: a process that is sent descriptors has one
 * ready before the first long one comes (a boot takes seconds on a busy machine).
 */
function warm(): void {
  if (warmed) return
  warmed = true
  pool.acquire().then(
    (worker) => pool.release(worker),
    () => (warmed = false), // it could not load: the next descriptor tries again
  )
}

async function parseInWorker(text: string): Promise<StoredDescriptor> {
  await slots.acquire()
  try {
    const worker = await pool.acquire()
    let ok = false
    try {
      const answer = await new Promise<DescriptorParseMessage>((resolve, reject) => {
        const fail = (why: string) => reject(new AppError('internal', 'descriptor_parse_failed', `reading the descriptor failed: ${why}`))
        const onError = (e: Error) => fail(e.message)
        const onExit = () => fail('its worker stopped')
        worker.once('message', (m: DescriptorParseMessage) => {
          worker.off('error', onError)
          worker.off('exit', onExit)
          resolve(m)
        })
        worker.once('error', onError)
        worker.once('exit', onExit)
        worker.postMessage({ text } satisfies DescriptorParseRequest)
      })
      ok = answer.type !== 'error'
      if (answer.type === 'parsed') return answer.descriptor
      if (answer.type === 'invalid') throw new DescriptorError(answer.message, answer.details)
      throw new AppError('internal', 'descriptor_parse_failed', `reading the descriptor failed: ${answer.message}`)
    } finally {
      if (ok) pool.release(worker)
      else pool.discard(worker) // it failed or died: a fresh one for the next descriptor
    }
  } finally {
    slots.release()
  }
}
