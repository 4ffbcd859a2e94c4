// Bounds on worker threads of one kind, shared by services (exports, text work, result queries), the
// HTTP views and the graph layer (md5 checks): a helper below them all.
import { availableParallelism } from 'node:os'
import { AppError } from '../shared/errors'

/** Threads of one kind that may be busy at once: all cores but one (left to the main thread), at most 2. */
export const WORKER_THREADS = Math.max(1, Math.min(2, availableParallelism() - 1))

/**
 * How many threads of one kind run at once (`running`) and wait their turn (`waiting`), and the refusal
 * of a caller beyond them: AppError `unavailable` with `code` and the text `busy`. The refusal applies
 * only to callers that acquire without `patient`. Bounds without one (value-reader.ts, whose reads all
 * wait) make every caller patient.
 */
export type SlotBounds = { running: number; waiting: number } & ({ code: string; busy: string } | { code?: undefined; busy?: undefined })

/**
 * A bound on worker threads of one kind: `running` at once, a few more `waiting` their turn, and a
 * clear refusal beyond that (when `o` gives one): `acquire` throws AppError `unavailable` with `code`
 * and the text `busy`.
 */
export function workerSlots(o: SlotBounds) {
  let running = 0
  const queue: (() => void)[] = []
  /** Patient callers (acquire with `patient`) waiting for room in `queue`, first come first admitted. */
  const overflow: (() => void)[] = []
  /** Moves patient callers into the queue while it has room (after a waiter left it). */
  const admit = () => {
    while (overflow.length > 0 && queue.length < o.waiting) overflow.shift()!()
  }
  /** Waits in `line` until `take` is called; leaves it with `signal`'s reason when that aborts first. */
  const waitIn = (line: (() => void)[], signal: AbortSignal | undefined, onTake: () => Promise<void> | void): Promise<void> =>
    new Promise((resolve, reject) => {
      const onAbort = () => {
        line.splice(line.indexOf(take), 1)
        admit()
        reject(signal!.reason)
      }
      const take = () => {
        signal?.removeEventListener('abort', onAbort)
        Promise.resolve(onTake()).then(resolve, reject)
      }
      line.push(take)
      signal?.addEventListener('abort', onAbort, { once: true })
    })
  const slots = {
    /**
     * Takes a slot, at once or after waiting its turn. Rejects with AppError `unavailable` (`code`)
     * when `waiting` already wait, and with `signal`'s reason when it aborts first: a caller that
     * hangs up while waiting leaves the queue instead of taking a slot later for nobody. With
     * `patient`, a full queue is not refused: the caller waits for room in it (behind other patient
     * callers), then for its turn, for as long as `signal` lets it (the caller bounds the wait). Every
     * caller is patient when the bounds give no refusal (no `code`).
     */
    acquire(signal?: AbortSignal, patient = false): Promise<void> {
      if (signal?.aborted) return Promise.reject(signal.reason)
      if (running < o.running) {
        running++
        return Promise.resolve()
      }
      if (queue.length >= o.waiting || overflow.length > 0) {
        if (!patient && o.code !== undefined) return Promise.reject(new AppError('unavailable', o.code, o.busy))
        // in the queue's order once there is room: the turn is then waited for as any other
        return waitIn(overflow, signal, () => waitIn(queue, signal, () => {}))
      }
      return waitIn(queue, signal, () => {})
    },
    /** Hands the slot to the next waiting (and lets a patient caller into the queue), or frees it. */
    release(): void {
      const next = queue.shift()
      if (next) {
        next()
        admit()
      } else running--
    },
    /** How many callers wait for a slot (in the queue, and patient ones for room in it). */
    get waiting(): number {
      return queue.length + overflow.length
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
