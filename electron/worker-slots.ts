// Bounds on worker threads (and child processes) of one kind, shared by services (exports, text work,
// result queries, scratch table lists), the HTTP views and the graph layer (md5 checks): a helper below
// them all. Shared fairly between users (#9: one user must not starve others), the way the Cypher
// statements' admission does it (graph/worker/query-admission.ts):
// - `running` at once; waiting work is taken by owner, the owner with the fewest running first (ties:
//   the one whose last start is oldest), in arrival order within an owner: the app's one fair line
//   (fairness/fair-line.ts) keeps that order.
// - The line holds `waiting`; an owner waiting in fewer than OWNER_WAITING places is let in past it
//   (so one owner's flood never refuses another's request), one waiting in more is refused once the
//   line is full. Every caller names its owner (SlotRequest.owner is required); those with none to name
//   give '', one owner shared by them all, whose share is the whole line.
// - An owner who runs nothing starts at once past `running` (one more: IDLE_LANE) when every running
//   one has run SLOW_WORK_MS: so another owner's request waits behind at most one of theirs.
// - Work runs with a lease whose signal aborts when the request's client hangs up or the time limit
//   passes: the work stops there (a worker thread asked to end itself, worker-thread.ts stopThread; a
//   child killed) and frees its slot at once.
import { availableParallelism } from 'node:os'
import { AppError } from '../shared/errors'
import { systemClock, type Clock } from './clock'
import { FairLine } from './fairness/fair-line'

/** Threads of one kind that may be busy at once: all cores but one (left to the main thread), at most 2. */
export const WORKER_THREADS = Math.max(1, Math.min(2, availableParallelism() - 1))

/** Waiting places one owner may hold by default: one user's flood takes at most these of the line. */
export const OWNER_WAITING = 2

/** From how long running work counts as slow (ms): behind slow work only, an owner who runs nothing need not wait. */
export const SLOW_WORK_MS = 1000

/** How many may run past `running` for owners who run nothing (behind slow work only). */
export const IDLE_LANE = 1

/**
 * How many run at once (`running`) and wait their turn (`waiting` in the line, and `perOwner` places an
 * owner keeps past it: OWNER_WAITING unless said), and the refusal of a caller beyond them: AppError
 * `unavailable` with `code` and the text `busyOwn` (a named owner) or `busy` (no owner named). The refusal
 * applies only to callers that acquire without `patient`; bounds without one (value-reader.ts, whose
 * reads all wait) make every caller patient. `timeLimit`: running work's lease signal aborts after
 * `ms` with AppError `unavailable` `code` and `message`. `clock` is for tests.
 */
export type SlotBounds = {
  running: number
  waiting: number
  perOwner?: number
  timeLimit?: { ms: number; code: string; message: string }
  clock?: Clock
} & ({ code: string; busy: string; busyOwn?: string } | { code?: undefined; busy?: undefined; busyOwn?: undefined })

/** Who takes a slot and until when they want it. */
export interface SlotRequest {
  /**
   * Whose work it is (a user's name, or body-rate.ts bodyOwner's key): shares are kept per owner. Required,
   * so that a caller cannot forget it (atk13: value loads and long descriptors named none and ran first
   * come, first served); '' is one owner shared by all callers that have none to name, whose share is the whole line.
   */
  owner: string
  /** Aborts when the request's client hangs up: waiting work leaves the line; running work's lease signal aborts. */
  signal?: AbortSignal
  /** Past the waiting places, wait for room in the line (for as long as `signal` lets it) instead of being refused. */
  patient?: boolean
}

/** A slot held: release() it once, when the work has ended (more calls do nothing). */
export interface SlotLease {
  /** Aborts with the request signal's reason (hang-up) or the time limit's AppError: the work must stop then. */
  readonly signal: AbortSignal
  release(): void
}

interface Waiter {
  owner: string
  grant(lease: SlotLease): void
}

/**
 * A fair bound on work of one kind (see the top of this file): `acquire` gives a SlotLease at once or
 * after waiting its turn; it throws AppError `unavailable` (`code`) beyond the waiting places.
 */
export function workerSlots(o: SlotBounds) {
  const clock = o.clock ?? systemClock
  const perOwner = o.perOwner ?? OWNER_WAITING
  /** When each running lease started (clock ms). */
  const started = new Set<{ at: number }>()
  /** Patient callers waiting for room in `line` (or in their owner's share of it), first come first admitted. */
  const overflow: Waiter[] = []
  /** The line of waiting callers; what an owner holds there is what they run (a lease not yet released). */
  const line = new FairLine<Waiter>({ waitsElsewhere: (owner) => overflow.some((w) => w.owner === owner) })
  let recheck: unknown
  const busy = () => started.size
  /** Waiting places `owner` may hold: callers that name no owner share the whole line. */
  const shareOf = (owner: string) => (owner === '' ? o.waiting : perOwner)
  /**
   * Whether `owner` may take one more place in the line: while it has room, or while they wait in fewer
   * than their share of places (past `waiting` then: so one owner's flood never refuses another, and the
   * line is at most `waiting` plus each owner's share).
   */
  const mayWait = (owner: string) => line.count() < o.waiting || line.count(owner) < shareOf(owner)

  /** The lease of work `line` just gave `owner` (shift counted it as theirs). */
  const start = (owner: string): SlotLease => {
    const mark = { at: clock.now() }
    started.add(mark)
    const stop = new AbortController()
    const limit = o.timeLimit
    const timer = limit ? clock.setTimeout(() => stop.abort(new AppError('unavailable', limit.code, limit.message)), limit.ms) : undefined
    let released = false
    return {
      signal: stop.signal,
      release() {
        if (released) return
        released = true
        if (timer !== undefined) clock.clearTimeout(timer)
        started.delete(mark)
        line.release(owner)
        dispatch()
      },
    }
  }
  const allSlow = () => [...started].every((s) => clock.now() - s.at >= SLOW_WORK_MS)
  /**
   * Starts waiters while there is room, or the idle lane is open to the owner due (one who runs
   * nothing, behind slow work only), lets patient ones into the line, and re-checks when running work turns slow.
   */
  const dispatch = () => {
    for (;;) {
      const room = busy() < o.running
      const lane = !room && busy() < o.running + IDLE_LANE && allSlow()
      const next = line.shift((owner) => room || (lane && line.holds(owner) === 0))
      if (next) {
        next.grant(start(next.owner))
        continue
      }
      let admitted = false
      for (const w of [...overflow]) {
        if (!mayWait(w.owner)) continue
        overflow.splice(overflow.indexOf(w), 1)
        line.push(w.owner, w, false)
        admitted = true
      }
      if (!admitted) break
    }
    if (recheck !== undefined) clock.clearTimeout(recheck)
    recheck = undefined
    const idleWaits = line.someOwner((owner) => line.holds(owner) === 0)
    if (idleWaits && busy() < o.running + IDLE_LANE && started.size > 0) {
      const youngest = Math.max(...[...started].map((s) => s.at))
      recheck = clock.setTimeout(() => ((recheck = undefined), dispatch()), Math.max(0, youngest + SLOW_WORK_MS - clock.now()))
    }
  }

  const slots = {
    /**
     * Takes a slot for `owner`, at once or after waiting its turn. Rejects with AppError `unavailable`
     * (`code`) when the line is full and the owner waits in their share of places already, and with `signal`'s
     * reason when it aborts first: a caller that hangs up while waiting leaves the line. With
     * `patient`, a full line is not refused: the caller waits for room in it, then for its turn. The
     * lease's signal aborts on hang-up (`signal`) and at the time limit, counted from the start.
     */
    acquire(r: SlotRequest): Promise<SlotLease> {
      const { owner, signal } = r
      if (signal?.aborted) return Promise.reject(signal.reason)
      return new Promise<SlotLease>((resolve, reject) => {
        const onAbort = () => {
          if (overflow.includes(waiter)) overflow.splice(overflow.indexOf(waiter), 1)
          line.remove(owner, waiter)
          line.forget(owner)
          dispatch()
          reject(signal!.reason)
        }
        const waiter: Waiter = {
          owner,
          grant: (lease) => {
            signal?.removeEventListener('abort', onAbort)
            resolve(withSignal(lease, signal))
          },
        }
        const full = !mayWait(owner) || overflow.some((w) => w.owner === owner)
        signal?.addEventListener('abort', onAbort, { once: true })
        line.push(owner, waiter, false)
        dispatch()
        if (!full || !line.remove(owner, waiter)) return // waiting its turn, or started
        if (!r.patient && o.code !== undefined) {
          signal?.removeEventListener('abort', onAbort)
          reject(new AppError('unavailable', o.code, owner === '' ? o.busy : (o.busyOwn ?? o.busy)))
          return
        }
        overflow.push(waiter)
        dispatch()
      })
    },
    /** How many callers wait for a slot (in the line, and patient ones for room in it). */
    get waiting(): number {
      return line.count() + overflow.length
    },
    /** How many run now. */
    get running(): number {
      return busy()
    },
    /**
     * Runs `work` in a slot (acquire, then release once it settles), giving it the lease's signal (hang-up
     * or time limit: it must stop then); rejects as acquire does, or with what `work` throws.
     */
    async use<T>(work: (signal: AbortSignal) => Promise<T>, r: SlotRequest): Promise<T> {
      const lease = await slots.acquire(r)
      try {
        return await work(lease.signal)
      } finally {
        lease.release()
      }
    },
  }
  return slots
}

/**
 * `lease` whose signal also aborts with `signal`'s reason (the request's hang-up), once it is running.
 * Not AbortSignal.any: Node keeps a composite signal that has abort listeners alive for as long as
 * its sources may abort, so every listener a worker request left on it (and the request it held)
 * stayed in the heap for good (atk20: ~1 MB a long descriptor). A plain controller wired to both
 * sources, unwired at release, is freed with the request.
 */
function withSignal(lease: SlotLease, signal: AbortSignal | undefined): SlotLease {
  if (!signal) return lease
  const both = new AbortController()
  const fromLease = () => both.abort(lease.signal.reason)
  const fromRequest = () => both.abort(signal.reason)
  if (signal.aborted) fromRequest()
  else if (lease.signal.aborted) fromLease()
  lease.signal.addEventListener('abort', fromLease, { once: true })
  signal.addEventListener('abort', fromRequest, { once: true })
  return {
    signal: both.signal,
    release: () => {
      lease.signal.removeEventListener('abort', fromLease)
      signal.removeEventListener('abort', fromRequest)
      lease.release()
    },
  }
}
