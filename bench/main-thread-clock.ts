// What the in-process parts of the bench measure the main thread with: its own CPU time (less swayed
// by other processes than wall time), a timed call, the longest turn of the event loop over a while,
// and the spread of a list of figures.
import { readFileSync } from 'node:fs'

/** CPU time (ms) of the calling thread so far (Linux's per-thread scheduler statistics). */
export const threadCpuMs = (): number => Number(readFileSync('/proc/thread-self/schedstat', 'latin1').split(' ')[0]) / 1e6

/** Runs `fn` once; returns what it returned with its wall time and this thread's CPU time in it (ms). */
export function timed<T>(fn: () => T): { value: T; wallMs: number; cpuMs: number } {
  const cpu0 = threadCpuMs()
  const t0 = performance.now()
  const value = fn()
  return { value, wallMs: performance.now() - t0, cpuMs: threadCpuMs() - cpu0 }
}

/** The `q` quantile (0–1) of `xs` (nearest rank; NaN for none). */
export function quantile(xs: readonly number[], q: number): number {
  if (!xs.length) return Number.NaN
  const sorted = [...xs].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]
}

/** The median of `xs` (the upper one of an even count; NaN for none). */
export const median = (xs: readonly number[]): number => quantile(xs, 0.5)

/**
 * Watches the event loop with a 1 ms timer until `stop` is called: the longest stretch between two
 * firings (a turn that held the thread, in ms of wall time, and of this thread's CPU in it).
 */
export function watchTurns(): { stop(): { longestMs: number; longestCpuMs: number } } {
  let longestMs = 0
  let longestCpuMs = 0
  let last = performance.now()
  let lastCpu = threadCpuMs()
  const note = (): void => {
    const now = performance.now()
    const cpu = threadCpuMs()
    longestMs = Math.max(longestMs, now - last)
    longestCpuMs = Math.max(longestCpuMs, cpu - lastCpu)
    last = now
    lastCpu = cpu
  }
  const timer = setInterval(note, 1)
  return {
    stop() {
      clearInterval(timer)
      note()
      return { longestMs, longestCpuMs }
    },
  }
}

/** One sweep step as the sweeper's own loop runs it (a step a turn), timed: rows removed and ms. */
export interface StepFigure {
  rows: number
  ms: number
}

/** Figures of a run of sweep steps: how many, rows a step (median), ms a step (median, p99, max), ms of work in all. */
export function stepSummary(steps: readonly StepFigure[]): { steps: number; rowsPerStep: number; p50Ms: number; p99Ms: number; maxMs: number; workMs: number } {
  const ms = steps.map((s) => s.ms)
  return {
    steps: steps.length,
    rowsPerStep: median(steps.map((s) => s.rows)),
    p50Ms: median(ms),
    p99Ms: quantile(ms, 0.99),
    maxMs: Math.max(...ms),
    workMs: ms.reduce((a, b) => a + b, 0),
  }
}

/**
 * Runs `step` once a turn of the event loop (setImmediate, as row-sweeper.ts's own loop does) until
 * it removes nothing; returns each step's rows and wall time (the last, empty, step not counted).
 */
export async function stepEachTurn(step: () => number): Promise<StepFigure[]> {
  const steps: StepFigure[] = []
  for (;;) {
    await new Promise((r) => setImmediate(r))
    const t0 = performance.now()
    const rows = step()
    const ms = performance.now() - t0
    if (rows === 0) return steps
    steps.push({ rows, ms })
  }
}
