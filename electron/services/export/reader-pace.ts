// The pace an export worker's reader must keep (#9 §2; atk35, atk36, atk37). An export holds one of
// few running slots; while its reader is slower than its worker, that slot waits on the reader. Only
// that time is judged: time during which the reader is the bottleneck ("reader-bound": its answer's
// stream full, the worker's acknowledgements held back), and the bytes it takes. Time the
// worker spends producing (a slow xlsx, a selective filter) is never held against the reader.

/** The rules a reader is held to; exporter.ts gives EXPORT_IDLE_MS, EXPORT_MIN_BYTES and EXPORT_YIELD_MS. */
export interface PaceRules {
  /** Reader-bound milliseconds that `minBytes` taken pays for; a deficit of this long stops the export. */
  idleMs: number
  /** Bytes the reader must take per `idleMs` of reader-bound time. */
  minBytes: number
  /** Reader-bound milliseconds, summed over the export's life, it may keep other users' exports waiting (those still waiting, or served). */
  yieldMs: number
}

/** Why a reader's export is stopped: too slow (`got` bytes in `ms` of reader-bound time), or it kept others waiting `ms`. */
export type PaceVerdict = { kind: 'slow'; got: number; ms: number } | { kind: 'yield'; ms: number }

/** What the exporter tells the watch of one export's reader. */
export interface ReaderPace {
  /** The reader became the bottleneck: its stream is full and an acknowledgement is held back. */
  full(): void
  /** The reader took from its stream and the held acknowledgements went out: the worker is the bottleneck again. */
  drained(): void
  /** Another user's export (`waiter`, any token) began waiting for a slot (the yield rule counts reader-bound time only while one waits). */
  waits(waiter: object): void
  /**
   * `waiter` stopped waiting: `served` (it got a slot), its waiting stays counted; otherwise (its client
   * hung up, or it was displaced) the reader-bound time only it waited through is dropped, as if it never came.
   */
  leaves(waiter: object, served: boolean): void
  /** Ends the watch (the export ended): no verdict after it. */
  end(): void
}

/**
 * Watches one export's reader against `rules`, `taken()` being the bytes it has taken so far, and calls
 * `stop` once (the exporter ends the export) when either rule is broken:
 *
 * - slow: reader-bound time accrues a deficit, and each byte the reader takes pays
 *   `idleMs / minBytes` of it back (the reads that end its stretches: while the worker is the
 *   bottleneck the stream is short of full and there is little to take); the deficit never goes below zero (a fast stretch banks no credit
 *   for a later stall). At `idleMs` of deficit the reader is too slow: it took less than `minBytes` per
 *   `idleMs` of waiting for it, however its reads were timed. A read just before some window's end
 *   resets nothing (atk37 F2), and a fast reader of a slow producer is judged only on the moments it
 *   held the worker up (atk37 F4).
 * - yield: reader-bound time while another user's export waits is summed over the export's life; at
 *   `yieldMs` the export gives its slot up. With no one waiting it never counts, so a lone user is
 *   never slowed (atk37 F3). Only waits that are still on or ended in a slot count: each waiter's
 *   reader-bound time is kept apart until it is served, and dropped if it leaves unserved, so a user
 *   who queues and hangs up, again and again, costs the running export nothing (atk39). The time
 *   counted is the union of the counted waits: those ongoing all end now, so their union is the
 *   longest of them; a served one settles that union and starts the others afresh.
 *
 * `now` is a monotonic clock in milliseconds (performance.now; tests fake it with the timers).
 */
export function readerPace(rules: PaceRules, taken: () => number, stop: (v: PaceVerdict) => void, now = () => performance.now()): ReaderPace {
  const payPerByte = rules.idleMs / rules.minBytes
  let bound = false
  let since = 0 // when the time up to now was last counted (while bound)
  let mark = 0 // taken() when last counted
  let deficit = 0 // ms
  let run = { ms: 0, bytes: 0 } // reader-bound time and bytes since the deficit was last zero: what the verdict says
  const waiters = new Map<object, number>() // other users' exports waiting now: reader-bound ms during each's wait
  let settled = 0 // reader-bound ms during waits that ended in a slot
  /** Reader-bound ms that counted waits kept this export's slot from others. */
  const keptWaiting = () => settled + Math.max(0, ...waiters.values())
  let timer: NodeJS.Timeout | undefined
  let ended = false

  /** Counts the reader-bound time and bytes since the last count. */
  const count = () => {
    if (!bound) return
    const t = now()
    const dt = t - since
    const bytes = taken() - mark
    since = t
    mark += bytes
    for (const [w, ms] of waiters) waiters.set(w, ms + dt)
    deficit += dt - bytes * payPerByte
    if (deficit <= 0) {
      deficit = 0
      run = { ms: 0, bytes: 0 }
    } else run = { ms: run.ms + dt, bytes: run.bytes + bytes }
  }
  // a timer fires up to a millisecond early (libuv's clock is in whole ms): within that is reached
  const reached = (ms: number, limit: number) => ms >= limit - 1
  /** Until the first moment a rule could be broken, counting only reader-bound time: never sooner. */
  const schedule = () => {
    clearTimeout(timer)
    timer = undefined
    if (!bound || ended) return
    const wait = Math.min(rules.idleMs - deficit, waiters.size > 0 ? rules.yieldMs - keptWaiting() : Infinity)
    timer = setTimeout(check, Math.max(1, Math.ceil(wait)))
  }
  function check() {
    timer = undefined
    if (ended || !bound) return // drained meanwhile: the next full() watches again
    count()
    let verdict: PaceVerdict | undefined
    if (reached(deficit, rules.idleMs)) verdict = { kind: 'slow', got: run.bytes, ms: run.ms }
    else if (waiters.size > 0 && reached(keptWaiting(), rules.yieldMs)) verdict = { kind: 'yield', ms: keptWaiting() }
    if (!verdict) return schedule()
    ended = true
    stop(verdict)
  }
  return {
    full() {
      if (bound || ended) return
      bound = true
      since = now()
      // `mark` stays: the read that ended the last stretch is counted now (a stream calls its _read
      // before it hands the bytes over, so drained() came before they left the stream)
      // a timer still pending from an earlier stretch fires no later than a rule could now be broken
      if (!timer) schedule()
    },
    drained() {
      count()
      bound = false
    },
    waits(waiter) {
      if (waiters.has(waiter)) return
      count()
      waiters.set(waiter, 0)
      schedule()
    },
    leaves(waiter, served) {
      if (!waiters.has(waiter)) return
      count()
      if (served) {
        settled = keptWaiting()
        for (const w of waiters.keys()) waiters.set(w, 0)
      }
      waiters.delete(waiter)
      schedule()
    },
    end() {
      ended = true
      clearTimeout(timer)
    },
  }
}
