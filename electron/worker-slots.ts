// Bounds on worker threads of one kind, shared by services (exports, text work, result queries), the
// HTTP views and the graph layer (md5 checks): a helper below them all.
import { availableParallelism } from 'node:os'
import { AppError } from '../shared/errors'

/** Threads of one kind that may be busy at once: all cores but one (left to the main thread), at most 2. */
export const WORKER_THREADS = Math.max(1, Math.min(2, availableParallelism() - 1))

/**
 * A bound on worker threads of one kind: `running` at once, a few more `waiting` their turn, and a
 * clear refusal beyond that. `acquire` throws AppError `unavailable` with `code` and the text `busy`.
 */
export function workerSlots(o: { running: number; waiting: number; code: string; busy: string }) {
  let running = 0
  const queue: (() => void)[] = []
  const slots = {
    /**
     * Takes a slot, at once or after waiting its turn. Rejects with AppError `unavailable` (`code`)
     * when `waiting` already wait, and with `signal`'s reason when it aborts first: a caller that
     * hangs up while waiting leaves the queue instead of taking a slot later for nobody.
     */
    acquire(signal?: AbortSignal): Promise<void> {
      if (signal?.aborted) return Promise.reject(signal.reason)
      if (running < o.running) {
        running++
        return Promise.resolve()
      }
      if (queue.length >= o.waiting) return Promise.reject(new AppError('unavailable', o.code, o.busy))
      return new Promise((resolve, reject) => {
        const onAbort = () => {
          queue.splice(queue.indexOf(take), 1)
          reject(signal!.reason)
        }
        const take = () => {
          signal?.removeEventListener('abort', onAbort)
          resolve()
        }
        queue.push(take)
        signal?.addEventListener('abort', onAbort, { once: true })
      })
    },
    /** Hands the slot to the next waiting, or frees it. */
    release(): void {
      const next = queue.shift()
      if (next) next()
      else running--
    },
    /** Runs `work` in a slot (acquire, then release once it settles); rejects as acquire does, or with what `work` throws. */
    async use<T>(work: () => Promise<T>, signal?: AbortSignal): Promise<T> {
      await slots.acquire(signal)
      try {
        return await work()
      } finally {
        slots.release()
      }
    },
  }
  return slots
}
