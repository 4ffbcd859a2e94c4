// The worker exports' slots and their line, fair by user (#9 §2). A plain first-come line would let
// a few accounts keep every place: whoever asks again first after a stop takes it. Here a freed slot
// goes to the user with the fewest running, then to the one served longest ago (round robin by
// user): the app's one fair line (fairness/fair-line.ts) keeps that order. On top of it, a user with
// nothing running or waiting always gets a place in a full line.
import { AppError } from '../../../shared/errors'
import { FairLine } from '../../fairness/fair-line'

/** One export waiting for a slot; `key` tells users apart (a token for the yield rule, reader-pace.ts). */
export interface QueuePlace {
  readonly key: string
}

/** The queue's bounds, and what it tells the yield rule. */
export interface ExportQueueOptions {
  /** Exports that run at once. */
  running: number
  /** Exports that may wait for a slot beside them. */
  waiting: number
  /** Said in a displaced or refused export's refusal (Retry-After), in seconds: about when a place frees. */
  retryAfterSeconds: number
  /** A place began to wait. */
  onWait?: (place: QueuePlace) => void
  /** A place stopped waiting: `served` when it got a slot, otherwise it left (its client hung up) or was displaced. */
  onLeave?: (place: QueuePlace, served: boolean) => void
  /** A monotonic clock in milliseconds (performance.now; tests fake it with the timers): times a displaced user's wait before it may displace. */
  now?: () => number
}

interface Waiting extends QueuePlace {
  /** The place was taken from another export (displace): it is never taken in turn. */
  readonly won: boolean
  take(): void
  drop(reason: unknown): void
}

/**
 * Slots for worker exports: `running` at once, `waiting` more in line. `acquire(key, signal)` resolves
 * with the slot's release (idempotent) once the export may run. A freed slot goes to the waiting export
 * whose user has the fewest running, ties to the user served longest ago (or never), then to the one
 * that waited longest. With every waiting place taken, a user with nothing running or waiting takes
 * the place of the newest waiting export of the user with the most running or waiting (when everyone
 * has one, simply the newest waiting one), which is refused with AppError rate_limited
 * `export_displaced` (Retry-After `retryAfterSeconds`, during which that user may not displace in
 * turn, only wait for a place to free). Otherwise a full line refuses with AppError
 * unavailable `too_many_exports` (Retry-After `retryAfterSeconds` too). The bound: a user with nothing in flight always gets a place, and
 * at most `waiting` - 1 exports are ahead of them; since each user's turn comes round in order, users
 * with many exports do not go twice before them. A place won by displacing is never displaced in
 * turn (else one account more than the places could take each newcomer's place straight back, and
 * the newest, displaced each time, would never reach the front); when every waiting place was won
 * so, a newcomer is refused `too_many_exports` like anyone else, and the places ahead are served in turn.
 */
export function exportQueue(o: ExportQueueOptions) {
  /** Waiting exports; what a user holds there is what they run (a slot not yet released). */
  const line = new FairLine<Waiting>()
  const now = o.now ?? (() => performance.now())
  /**
   * Users displaced, and until when (ms, `now`) they may not displace in turn: their Retry-After. Else,
   * with every place held by one account each, a displaced account that asks again at once takes the
   * newcomer's place straight back, and one spare account is enough to keep a newcomer out.
   */
  const cooling = new Map<string, number>()

  const inFlight = (key: string): number => line.holds(key) + line.count(key)

  /** The release of the slot `key` now holds (the line counted it as theirs). */
  const slot = (key: string): (() => void) => {
    let held = true
    return () => {
      if (!held) return
      held = false
      line.release(key)
      next()
    }
  }

  /** Hands free slots to the fairest waiting exports. */
  const next = (): void => {
    for (let w: Waiting | undefined; line.heldByAll < o.running && (w = line.shift()); ) w.take()
  }

  /**
   * With the line full, a newcomer (`key` with nothing in flight) takes the place of the newest waiting
   * export of the user with the most, among places not themselves won by displacing. Returns whether it did.
   */
  const displace = (key: string): boolean => {
    if (line.count() < o.waiting || inFlight(key) > 0) return false
    const t = now()
    for (const [k, until] of cooling) if (until <= t) cooling.delete(k)
    if (cooling.has(key)) return false
    let victim: Waiting | undefined
    let most = 0
    for (const w of line.items()) {
      if (w.won) continue
      const n = inFlight(w.key)
      if (n >= most) [victim, most] = [w, n] // ties: the newest (line is oldest first)
    }
    if (!victim) return false
    cooling.set(victim.key, t + o.retryAfterSeconds * 1000)
    victim.drop(
      new AppError(
        'rate_limited',
        'export_displaced',
        `a user with no export running or waiting took this export's place in line: ${most} of yours were running or waiting; try again in a while`,
        { retryAfterSeconds: o.retryAfterSeconds },
      ),
    )
    return true
  }

  return {
    /**
     * A slot for an export of `key`: at once, or once its turn comes. Rejects with AppError unavailable
     * `too_many_exports` (retryAfterSeconds) when the line is full and `key` may not displace anyone, with AppError
     * rate_limited `export_displaced` when a newcomer takes its place while it waits, and with
     * `signal`'s reason when it aborts first (the client hung up: it leaves the line).
     */
    acquire(key: string, signal?: AbortSignal): Promise<() => void> {
      if (signal?.aborted) return Promise.reject(signal.reason)
      if (line.heldByAll < o.running && line.count() === 0) {
        line.hold(key)
        return Promise.resolve(slot(key))
      }
      const won = displace(key)
      if (line.count() >= o.waiting) {
        const total = o.running + o.waiting
        // when to ask again, as a user past their own cap is told (export-user-cap.ts): a place frees by then
        return Promise.reject(
          new AppError('unavailable', 'too_many_exports', `${total} exports are already running or waiting: try again when one has finished`, { retryAfterSeconds: o.retryAfterSeconds }),
        )
      }
      return new Promise((resolve, reject) => {
        const leave = (served: boolean) => {
          signal?.removeEventListener('abort', onAbort)
          o.onLeave?.(place, served)
        }
        const place: Waiting = {
          key,
          won,
          take: () => {
            leave(true)
            resolve(slot(key))
          },
          drop: (reason) => {
            line.remove(key, place)
            leave(false)
            reject(reason)
          },
        }
        const onAbort = () => place.drop(signal!.reason)
        line.push(key, place)
        signal?.addEventListener('abort', onAbort, { once: true })
        o.onWait?.(place)
      })
    },
    /** The exports waiting now, oldest first (a new running export's yield rule is told of each). */
    get waiting(): readonly QueuePlace[] {
      return line.items()
    },
  }
}
