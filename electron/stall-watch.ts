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

/** Work of this many ms or more may be noted with noteWork (the engine notes its ticks that long). */
export const WORK_NOTE_MS = 50

// The longest work noted (noteWork) since the last check.
let longest: { what: string; ms: number } | undefined

/**
 * Records that the main thread just spent `ms` on `what` (a tick of the engine, with what its steps
 * took), so that a stall report says which work held the thread, not only what started in its
 * window. Meant for work over WORK_NOTE_MS, whose description is built only then; the longest
 * since the last check is kept.
 */
export function noteWork(what: string, ms: number): void {
  if (!longest || ms > longest.ms) longest = { what, ms: Math.round(ms) }
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
  /**
   * How long the thread ran on a CPU in the window (ms; the same statistics; the window is `heldMs`
   * and the watch's interval). Held time neither on a CPU nor waiting for one, the thread was blocked
   * (a disk write, a lock) or its container's CPU quota was used up (throttled time is not counted as
   * waiting). Undefined where the system does not say.
   */
  cpuMs?: number
  /** The longest work noted in the window (noteWork), as `<ms> ms <what>`. */
  longest?: string
}

/**
 * Nanoseconds the calling thread has spent on a CPU (`ran`) and runnable but waiting for one (`waited`)
 * since it started (the first two fields of Linux's /proc/thread-self/schedstat), or undefined where
 * that file does not exist.
 */
function schedNs(): { ran: number; waited: number } | undefined {
  try {
    const [ran, waited] = readFileSync('/proc/thread-self/schedstat', 'latin1').split(' ')
    return { ran: Number(ran), waited: Number(waited) }
  } catch {
    return undefined
  }
}

/** The one-line stall report watchStalls writes by default; test/support/served-process.ts reads it back. */
export function formatStall(s: Stall): string {
  const onCpu = s.cpuMs === undefined ? '' : `; on a CPU ${s.cpuMs} ms`
  const waited = s.cpuWaitMs === undefined ? '' : `; waiting for a CPU ${s.cpuWaitMs} ms`
  const longestWork = s.longest === undefined ? '' : `; longest: ${s.longest}`
  return `jobdesk: the main thread was held ${s.heldMs} ms (ran: ${s.ran.join(', ') || 'nothing noted'}; garbage collection ${s.gcMs} ms${onCpu}${waited}${longestWork})`
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
  let sched = schedNs() // a read of a small kernel file every tick: some microseconds
  longest = undefined
  const timer = setInterval(() => {
    const now = performance.now()
    const heldMs = Math.round(now - last - everyMs)
    last = now
    const since = sched
    sched = schedNs()
    const ms = (pick: 'ran' | 'waited') => (sched === undefined || since === undefined ? undefined : Math.round((sched[pick] - since[pick]) / 1e6))
    const cpuWaitMs = ms('waited')
    const cpuMs = ms('ran')
    if (heldMs > thresholdMs) {
      const work = longest && { longest: `${longest.ms} ms ${longest.what}` }
      report({ heldMs, ran: [...noted], gcMs: Math.round(gcMs), ...(cpuMs === undefined ? {} : { cpuMs }), ...(cpuWaitMs === undefined ? {} : { cpuWaitMs }), ...work })
    }
    noted.length = 0
    longest = undefined
    gcMs = 0
  }, everyMs)
  timer.unref()
  return () => {
    clearInterval(timer)
    gc.disconnect()
  }
}
