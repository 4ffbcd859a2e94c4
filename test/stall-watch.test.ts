// Main-thread stall reports (#9 §2): a one-off wait in a long probe run must say what ran, and how
// much of it the thread spent waiting for a CPU rather than working.
import { spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { resolve } from 'node:path'
import { afterEach, expect, it } from 'vitest'
import { formatStall, noteActivity, noteWork, watchStalls, type Stall } from '../electron/stall-watch'
import { parseStall } from './support/served-process'
import { threadCpuMs } from './support/cpu-time'

let stop: () => void = () => undefined
afterEach(() => stop())

/** Holds the thread for `ms` of CPU time (not wall time: on a loaded machine it takes longer), as a long synchronous handler would. */
const busy = (ms: number) => {
  const start = threadCpuMs()
  while (threadCpuMs() - start < ms) {
    // holds the thread, as a long synchronous handler would
  }
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

it('reports a hold over the threshold with what was started before it, and nothing while the thread is free', async () => {
  const stalls: Stall[] = []
  stop = watchStalls({ thresholdMs: 200, everyMs: 20, report: (s) => stalls.push(s) })
  // On a loaded machine the watch's timer may also fire late for want of a CPU (stall-watch.ts
  // reports those too, with cpuWaitMs): 2 stalls were seen at load 16-21 where this test holds the
  // thread once. The claim is about holds by the thread's own work: held time less the CPU wait.
  const own = () => stalls.filter((s) => s.heldMs - s.cpuWaitMs! > 200)
  await sleep(300)
  expect(own()).toEqual([])
  noteActivity('POST /flow/submit.json')
  busy(450)
  await sleep(60)
  expect(own()).toHaveLength(1)
  const [held] = own()
  expect(held.heldMs).toBeGreaterThanOrEqual(400)
  expect(held.ran).toEqual(['POST /flow/submit.json'])
  // its own work: whatever the machine's load, 450 ms of CPU were not time spent waiting for one
  expect(held.heldMs - held.cpuWaitMs!).toBeGreaterThanOrEqual(400)
  expect(held.cpuMs).toBeGreaterThanOrEqual(400) // and were time on a CPU
  expect(held.longest).toBeUndefined() // no work was noted
  await sleep(200)
  expect(own()).toHaveLength(1) // the next windows are clean and noted nothing
  // any other stall was the machine's: over the threshold too (a free thread is not reported), with nothing noted
  for (const s of stalls) expect(s.heldMs).toBeGreaterThan(200)
  for (const s of stalls) if (s !== held) expect(s.ran).toEqual([])
})

it('says how long a held thread waited for a CPU that other programs had', async () => {
  // a watched process on one CPU, made to take a CPU only when nothing else wants it (SCHED_IDLE)
  // while a busy loop of normal priority holds that CPU: its timer fires late for want of a CPU, not
  // of work. It starts, and ends, at normal priority: an idle-priority process on a busy machine
  // may not get a CPU for seconds.
  const watched = `import { watchStalls } from ${JSON.stringify(resolve(__dirname, '../electron/stall-watch.ts'))}
    watchStalls({ thresholdMs: 100, everyMs: 20, report: (s) => console.log(JSON.stringify(s)) })
    console.log('ready')
    process.stdin.once('data', () => process.exit(0))`
  const child = spawn('taskset', ['-c', '0', process.execPath, '--import', 'tsx', '--input-type=module', '-e', watched], { stdio: ['pipe', 'pipe', 'inherit'] })
  const lines = createInterface({ input: child.stdout! })
  const stalls: Stall[] = []
  let watching = false
  // Every stall line after 'ready' is kept until the child's output ends: a line read after the
  // parent's own timer fired late was dropped when a flag gated it (a loaded CI saw 0 stalls: the
  // parent's timers phase ran before its poll phase read the line that had already arrived).
  const ready = new Promise<void>((ok) => lines.on('line', (line) => (line === 'ready' ? ok() : watching && stalls.push(JSON.parse(line) as Stall))))
  const outputEnded = new Promise((ok) => lines.once('close', ok))
  await ready
  watching = true
  const watchedFrom = performance.now()
  const chrt = (policy: string) =>
    new Promise<void>((ok, fail) => spawn('chrt', ['-a', policy, '-p', '0', String(child.pid)]).once('exit', (code) => (code === 0 ? ok() : fail(new Error(`chrt ${policy} exited ${code}`)))))
  await chrt('--idle')
  const hog = spawn('taskset', ['-c', '0', process.execPath, '-e', 'for (;;) {}'])
  await sleep(1500)
  hog.kill('SIGKILL')
  await chrt('--other')
  // the stall that spans the window is reported when the child next runs: on a loaded machine an
  // idle-priority child may not run at all until now (two clean-clone CIs at load 5-16 saw 0 stalls)
  await sleep(300)
  child.stdin!.write('\n')
  await outputEnded
  const watchedMs = performance.now() - watchedFrom
  expect(stalls.length).toBeGreaterThan(0)
  // Only part of the hold shows as waiting where the machine's CPU quota throttles the whole
  // container (CI: 278 of 574 ms): throttled time is not run_delay. So: a large share in all, and
  // each window's own wait, not a running total: together no more than the time watched. Not per
  // stall against its hold: a wait after a tick read the clock and before it read schedstat counts
  // for that tick and holds the next (CI: 971 ms waited in a 263 ms hold).
  const sum = (pick: (s: Stall) => number) => stalls.reduce((total, s) => total + pick(s), 0)
  expect(sum((s) => s.cpuWaitMs!)).toBeGreaterThanOrEqual(sum((s) => s.heldMs) * 0.3)
  expect(sum((s) => s.cpuWaitMs!)).toBeLessThanOrEqual(watchedMs + 300)
  // and the watched thread, which did nothing but its timer, ran on a CPU for little of it
  expect(sum((s) => s.cpuMs!)).toBeLessThan(sum((s) => s.heldMs) * 0.5)
  expect(formatStall(stalls[0])).toMatch(/^jobdesk: the main thread was held \d+ ms \(ran: nothing noted; garbage collection \d+ ms; on a CPU \d+ ms; waiting for a CPU \d+ ms\)$/)
}, 60_000)

it('names the longest work noted in the held window, and its line reads back whole', async () => {
  const stalls: Stall[] = []
  stop = watchStalls({ thresholdMs: 200, everyMs: 20, report: (s) => stalls.push(s) })
  await sleep(60)
  noteWork('an engine tick', 999) // in a window of its own, before the hold: not the hold's
  await sleep(60)
  noteActivity('engine tick')
  busy(300)
  noteWork('engine tick: settling 0 ms (0 tasks), deferred work 290 ms (2 steps), starting 0 ms (0 tasks), commit 10 ms', 300.4)
  noteWork('a shorter one', 120)
  await sleep(60)
  const own = stalls.filter((s) => s.ran.includes('engine tick'))
  expect(own).toHaveLength(1)
  expect(own[0].longest).toBe('300 ms engine tick: settling 0 ms (0 tasks), deferred work 290 ms (2 steps), starting 0 ms (0 tasks), commit 10 ms')
  expect(parseStall(formatStall(own[0]))).toEqual(own[0])
  for (const s of stalls) if (s !== own[0]) expect(s.longest).toBeUndefined()
})
