// Time is injected so retry and timeout tests take no real time (test/support/manual-clock.ts).
export interface Clock {
  now(): number
  /** Calls `fn` once `ms` have passed; any delay works, also one of months (see MAX_TIMER_MS). */
  setTimeout(fn: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
}

/**
 * The longest delay Node's setTimeout keeps (2^31-1 ms, about 24.8 days): a longer one is clamped
 * to 1 ms with a TimeoutOverflowWarning, so a Rill Flow `timeoutInSeconds: "3000000"` used to fail
 * its task at once. Longer delays are re-armed in steps of at most this.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1

/** A timer that may outlast one setTimeout: the current step, replaced as each one ends. */
interface ChainedTimer {
  step: NodeJS.Timeout | undefined
}

/**
 * Runs `fn` at `now() + ms` by timers of at most `maxStepMs` each (re-armed from the target time,
 * so steps add no drift); `arm` is the underlying setTimeout. Exported for tests of the chaining.
 */
export function chainedTimeout(
  fn: () => void,
  ms: number,
  arm: (fn: () => void, ms: number) => NodeJS.Timeout,
  now: () => number = Date.now,
  maxStepMs = MAX_TIMER_MS,
): ChainedTimer {
  const delay = Number.isFinite(ms) ? Math.max(0, ms) : ms > 0 ? Number.MAX_SAFE_INTEGER : 0
  const at = now() + delay
  const timer: ChainedTimer = { step: undefined }
  const next = () => {
    const left = at - now()
    if (left > maxStepMs) timer.step = arm(next, maxStepMs)
    else if (left > 0) timer.step = arm(fn, left)
    else fn()
  }
  timer.step = delay > maxStepMs ? arm(next, maxStepMs) : arm(fn, delay)
  return timer
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) =>
    chainedTimeout(fn, ms, (f, step) => {
      const t = setTimeout(f, step)
      t.unref?.() // a pending retry or timeout must not keep a finished process alive
      return t
    }),
  clearTimeout: (handle) => {
    const timer = handle as ChainedTimer | undefined
    if (timer?.step !== undefined) clearTimeout(timer.step)
  },
}
