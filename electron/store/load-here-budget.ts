// The main thread's budget for loading small finished values itself (finished-values.ts: an answer's
// first slice), so that a burst of them cannot hold every other request: past it, they are loaded in
// a worker thread like larger ones.
import type { Clock } from '../clock'

/**
 * A value of at most this many bytes is loaded by its first slice on the calling thread, not in a
 * worker (StoredSlices.ready): such a load costs about what two 1 MB slices from SQLite cost (a 1 MB
 * value: 3-37 ms at load 4), where starting a worker thread for it took 230-310 ms (npm run bench -- firstslice).
 * At most LOAD_HERE_BUDGET_MS of such loads a second: past that, they too are loaded in a worker thread.
 */
export const LOAD_HERE_BYTES = 2 * 1024 * 1024

/**
 * How many ms of main-thread loads of values of at most LOAD_HERE_BYTES `ready` lets first slices make
 * in any LOAD_HERE_WINDOW_MS (FinishedBytes.slices); past that, such values are loaded in a worker
 * thread like larger ones. Each such load takes the main thread (a 2 MiB value: 6-74 ms by load), and
 * nothing bounded how many ran back to back: 64 first slices of distinct 2 MiB values held it 0.4-4.7 s
 * in all, and a status probe queued behind them. A load's cost is foreseen from the last ones' ms per
 * byte (LOAD_HERE_START_MS_PER_MIB before any), so an idle machine still loads many here (a worker
 * costs more: 230-310 ms to start) and a loaded one few, and the first of each window (one a second
 * whatever its cost) times it again.
 */
export const LOAD_HERE_BUDGET_MS = 100

/** The window (ms) LOAD_HERE_BUDGET_MS is counted over. */
export const LOAD_HERE_WINDOW_MS = 1_000

/** What a main-thread load is foreseen to cost (ms per MiB) before one was timed: a 1 MB value took 3-37 ms at load 4. */
export const LOAD_HERE_START_MS_PER_MIB = 37

/** The least a main-thread load is foreseen to cost (ms per MiB; the fastest measured), so that loads timed at 0 ms (the clock's ms) admit no flood. */
export const LOAD_HERE_MIN_MS_PER_MIB = 3

/**
 * The main thread's load budget on `clock`: `allows(size)` says whether a first slice may load `size`
 * bytes on the calling thread now (LOAD_HERE_BUDGET_MS in each LOAD_HERE_WINDOW_MS, the load's ms
 * foreseen from the ms per MiB of the last ones) and, if so, counts its foreseen ms; `timed(bytes, ms)`
 * is told what a load on the main thread took, which foresees the next ones' cost.
 */
export function loadHereBudget(clock: Clock): { allows(size: number): boolean; timed(bytes: number, ms: number): void } {
  // ms of loads foreseen since `since`, and the ms per MiB foreseen
  const here = { since: -Infinity, ms: 0, msPerMib: LOAD_HERE_START_MS_PER_MIB }
  return {
    allows(size) {
      const now = clock.now()
      if (now - here.since >= LOAD_HERE_WINDOW_MS) Object.assign(here, { since: now, ms: 0 })
      const ms = (size / (1024 * 1024)) * here.msPerMib
      // the first of a window always may: else a load once foreseen over the budget would never be timed again here
      if (here.ms > 0 && here.ms + ms > LOAD_HERE_BUDGET_MS) return false
      here.ms += ms
      return true
    },
    timed(bytes, ms) {
      // what this load took foresees the next ones' (half of each): the machine's load changes;
      // a small one's time is mostly the clock's grain
      if (bytes >= 64 * 1024) here.msPerMib = Math.max(LOAD_HERE_MIN_MS_PER_MIB, (here.msPerMib + ms / (bytes / (1024 * 1024))) / 2)
    },
  }
}
