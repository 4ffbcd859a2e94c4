import { readFileSync } from 'node:fs'
import { PerformanceObserver } from 'node:perf_hooks'

/** What the main thread started since the last check: route and tick labels, at most this many kept. */
const NOTED_MAX = 8
const noted: string[] = []

/**
 * Records that the main thread is starting `label` (an HTTP route as `POST /flow/submit.json`, an
 * engine tick), so that a stall report can say what ran. Costs an array push; the label is kept by
 * reference, so callers pass constant strings.
 */
export function noteActivity(label: string): void {
  if (noted.length < NOTED_MAX && noted[noted.length - 1] !== label) noted.push(label)
}

/** A main thread stall seen by watchStalls. */
export interface Stall {
  /** How late the watch's timer fired (ms): about how long the main thread was held. */
  heldMs: number
  /** What was started in the window (noteActivity), oldest first. */
  ran: string[]
  /** Garbage collection in the window (ms, all kinds). */
  gcMs: number
  /**
   * Of `heldMs`, how long the thread was ready to run but waited for a CPU the machine gave to other
   * threads and programs (ms; Linux's per-thread scheduler statistics), so a report tells a hold by
   * JobDesk's own work from a busy machine. Undefined where the system does not say.
   */
  cpuWaitMs?: number
}

/**
 * Nanoseconds the calling thread has spent runnable but waiting for a CPU since it started (the second
 * field of Linux's /proc/thread-self/schedstat), or undefined where that file does not exist.
 */
function cpuWaitNs(): number | undefined {
  try {
    return Number(readFileSync('/proc/thread-self/schedstat', 'latin1').split(' ')[1])
  } catch {
    return undefined
  }
}

/** The one-line stall report watchStalls writes by default; test/support/served-process.ts reads it back. */
export function formatStall(s: Stall): string {
  const waited = s.cpuWaitMs === undefined ? '' : `; waiting for a CPU ${s.cpuWaitMs} ms`
  return `jobdesk: the main thread was held ${s.heldMs} ms (ran: ${s.ran.join(', ') || 'nothing noted'}; garbage collection ${s.gcMs} ms${waited})`
}

/**
 * Checks every `everyMs` that the main thread is free, and reports each time it was held more than
 * `thresholdMs` (the measure, #9 §2: a status probe answers within 200 ms) with what ran and
 * how much of it was garbage collection, so that a one-off stall in a long run can be traced. By
 * default it writes one line to stderr. Returns the function that stops watching. The timer never
 * keeps the process alive.
 */
export function watchStalls(o: { thresholdMs?: number; everyMs?: number; report?: (stall: Stall) => void } = {}): () => void {
  const thresholdMs = o.thresholdMs ?? 200
  const everyMs = o.everyMs ?? 50
  const report = o.report ?? ((s: Stall) => console.warn(formatStall(s)))
  let gcMs = 0
  const gc = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) gcMs += entry.duration
  })
  gc.observe({ entryTypes: ['gc'] })
  let last = performance.now()
  let waitedNs = cpuWaitNs() // a read of a small kernel file every tick: some microseconds
  const timer = setInterval(() => {
    const now = performance.now()
    const heldMs = Math.round(now - last - everyMs)
    last = now
    const waitedSince = waitedNs
    waitedNs = cpuWaitNs()
    const cpuWaitMs = waitedNs === undefined || waitedSince === undefined ? undefined : Math.round((waitedNs - waitedSince) / 1e6)
    if (heldMs > thresholdMs) report({ heldMs, ran: [...noted], gcMs: Math.round(gcMs), ...(cpuWaitMs === undefined ? {} : { cpuWaitMs }) })
    noted.length = 0
    gcMs = 0
  }, everyMs)
  timer.unref()
  return () => {
    clearInterval(timer)
    gc.disconnect()
  }
}
