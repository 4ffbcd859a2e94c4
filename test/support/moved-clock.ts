/**
 * A clock that runs with Date.now and can be moved ahead: for the sign-in back-offs (startTestApp's
 * `authNow`), so that a test waits out a 1 s back-off by moving it instead of sleeping through it.
 * `now()` is milliseconds since the epoch; `pass(ms)` moves it ahead for good.
 */
export function movedClock(): { now: () => number; pass: (ms: number) => void } {
  let ahead = 0
  return {
    now: () => Date.now() + ahead,
    pass: (ms) => {
      ahead += ms
    },
  }
}
