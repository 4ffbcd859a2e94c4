import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { AppError } from '../../shared/errors'
import { QueryWorkerPool } from '../graph/worker/query-pool'
import { startWorker } from '../worker-thread'
import { WORKER_THREADS, workerSlots, type SlotRequest } from '../worker-slots'

/** A long text is handled in a worker of at most this much heap: a body or descriptor is at most a few MB. */
const WORKER_LIMITS = { maxOldGenerationSizeMb: 256, maxYoungGenerationSizeMb: 32 }
/** Long texts waiting their turn beyond the workers' (a clear refusal past them). */
const WAITING = 8

/** What a text worker answers a request with: its own kinds, or `error` for anything it did not expect. */
export type TextWorkerMessage = { type: string } & ({ type: 'error'; message: string } | object)

/**
 * Worker threads that take one request at a time about a long text and answer it with one message
 * (descriptor-worker.ts, mapping-worker.ts), so that megabytes of text are never read on the main
 * thread (#9 §2). One worker stays loaded between requests; idle ones do not keep the process alive.
 * `entry` is the worker module's name beside this file; `doing` says what fails in an error message
 * ("reading the descriptor"); `failCode` is the AppError code of a failure; `busyCode` and `busy(limit)` the
 * refusal when WORKER_THREADS run and WAITING more wait (`limit` of them in all).
 */
export function textWorkers<Request, Message extends TextWorkerMessage>(o: { entry: string; doing: string; failCode: string; busyCode: string; busy: (limit: number) => string }) {
  const slots = workerSlots({ running: WORKER_THREADS, waiting: WAITING, code: o.busyCode, busy: o.busy(WORKER_THREADS + WAITING) })
  const pool = new QueryWorkerPool(
    () => {
      const worker = startWorker(o.entry, dirname(fileURLToPath(import.meta.url)), undefined, WORKER_LIMITS)
      worker.unref()
      return worker
    },
    WORKER_THREADS,
    1,
    `a worker ${o.doing} stopped while loading`,
  )
  const failed = (why: string) => new AppError('internal', o.failCode, `${o.doing} failed: ${why}`)
  let warmed = false
  return {
    /**
     * Sends `request` to a worker and resolves with its answer, any but `error`. Rejects with AppError
     * `unavailable` (busyCode) when too many are running and waiting, and AppError `internal`
     * (failCode) when the worker answers `error`, throws or stops; such a worker is replaced. With
     * `patient`, too many waiting is not refused: the request waits for room (workerSlots.acquire),
     * until `signal` aborts (rejecting with its reason), which the caller uses to bound the wait; once
     * running, `signal` ends its worker. `owner` shares the workers fairly between users.
     */
    async ask(request: Request, o: SlotRequest): Promise<Exclude<Message, { type: 'error' }>> {
      const lease = await slots.acquire(o)
      try {
        const worker = await pool.acquire()
        let ok = false
        try {
          const answer = await new Promise<Message>((resolve, reject) => {
            const onError = (e: Error) => reject(failed(e.message))
            const onExit = () => reject(failed('its worker stopped'))
            worker.once('message', (m: Message) => {
              worker.off('error', onError)
              worker.off('exit', onExit)
              resolve(m)
            })
            worker.once('error', onError)
            worker.once('exit', onExit)
            // the client hung up: the answer is for nobody, and the worker is discarded (ended) below
            lease.signal.addEventListener('abort', () => reject(lease.signal.reason), { once: true })
            worker.postMessage(request)
          })
          if (answer.type === 'error') throw failed((answer as { message: string }).message)
          ok = true
          return answer as Exclude<Message, { type: 'error' }>
        } finally {
          if (ok) pool.release(worker)
          else pool.discard(worker) // it failed or died: a fresh one for the next text
        }
      } finally {
        lease.release()
      }
    },
    /** The bound on requests running and waiting (held by tests to fill the queue). */
    slots,
    /** Loads a worker in the background, once, so that one is ready before the first long text comes (a boot takes seconds on a busy machine). */
    warm(): void {
      if (warmed) return
      warmed = true
      pool.acquire().then(
        (worker) => pool.release(worker),
        () => (warmed = false), // it could not load: the next text tries again
      )
    },
  }
}
