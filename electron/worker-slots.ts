// Bounds on worker threads of one kind, shared by services (exports, text work, result queries) and the graph layer (md5 checks): a helper below both.
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
  return {
    acquire(): Promise<void> {
      if (running < o.running) {
        running++
        return Promise.resolve()
      }
      if (queue.length >= o.waiting) return Promise.reject(new AppError('unavailable', o.code, o.busy))
      return new Promise((resolve) => queue.push(resolve))
    },
    /** Hands the slot to the next waiting, or frees it. */
    release(): void {
      const next = queue.shift()
      if (next) next()
      else running--
    },
  }
}
