// `npx tsx bench/tick-bytes.ts`: the longest turn of the event loop while eight tasks settle 3 MB
// outputs at once (#9 §2): all in one tick (as before the byte budget: every output of the tick
// serialized, checked and written in its one commit), with the default budget (engine/budget.ts), and
// with the byte budget alone, on a
// real store in a temp folder. Two shapes of output: one long string, and 60,000 small rows. Prints
// medians over the runs: the longest turn (this thread's CPU in it, and its wall time), this thread's
// CPU over the whole burst and the burst's wall time, with the load average.
import { mkdtempSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomUUID } from 'node:crypto'
import { TICK_MAX_BYTES } from '../electron/engine/budget'
import { Engine } from '../electron/engine/engine'
import { ExecutorRegistry, type Executor } from '../electron/engine/executor'
import { openStore } from '../electron/store'
import { threadCpuMs, watchTurns } from './main-thread-clock'

const FAN = 8
const RUNS = Number(process.env.BENCH_RUNS ?? 5)

/** CPU time (ms) of this thread so far (Linux's per-thread scheduler statistics). */

const shapes: Record<string, (task: string) => unknown> = {
  string: (task) => ({ task, s: 'r'.repeat(3_000_000) }),
  rows: (task) => ({ task, rows: Array.from({ length: 60_000 }, (_, i) => ({ id: i, name: `name-${i}`, v: i * 1.5, ok: true })) }),
}

async function run(shape: string, budget: { tickSliceMs?: number; tickMaxBytes?: number }): Promise<{ longestMs: number; longestCpuMs: number; cpuMs: number; wallMs: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'jobdesk-bench-'))
  const store = openStore(join(dir, 'jobdesk.db'))
  // the outputs are built before the burst: what is measured is what the engine does with them
  const outputs = new Map(Array.from({ length: FAN }, (_, i) => [`t${i}`, shapes[shape](`t${i}`)]))
  let open = (): void => undefined
  const gate = new Promise<void>((resolve) => (open = resolve))
  const big: Executor = { name: 'big', resumable: true, run: async (ctx) => (await gate, { output: outputs.get(ctx.taskName) }) }
  const engine = new Engine({ store, executors: new ExecutorRegistry([big]), concurrency: FAN, ...budget })
  try {
    const job = engine.submit({ uuid: randomUUID(), kind: 'dag', name: 'burst', submitter: 'admin' }, [...outputs.keys()].map((name) => ({ name, executor: 'big' })))
    await new Promise((r) => setTimeout(r, 100)) // every task running, held at the gate
    // the longest stretch between two firings of a 1 ms timer, as this thread's CPU time (what the
    // engine itself spent, whatever the machine's load) and as wall time
    const cpu0 = threadCpuMs()
    const wall0 = performance.now()
    const turns = watchTurns()
    open() // all eight settle at once
    await engine.waitFor(job.id)
    const wallMs = performance.now() - wall0
    const cpuMs = threadCpuMs() - cpu0
    const { longestMs, longestCpuMs } = turns.stop()
    return { longestMs, longestCpuMs, cpuMs, wallMs }
  } finally {
    await engine.stop()
    store.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

async function main(): Promise<void> {
  console.log(`load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}; node ${process.version}; ${FAN} outputs settling at once, ${RUNS} runs each`)
  for (const shape of Object.keys(shapes)) {
    // one tick for all eight, as before the byte budget (when their serialization came in the commit,
    // after the tick's loops: the time slice never saw it); the default budget; the byte budget alone
    for (const [label, budget] of [
      ['all in one tick', { tickSliceMs: Number.POSITIVE_INFINITY, tickMaxBytes: Number.POSITIVE_INFINITY }],
      [`default (20 ms slice, ${TICK_MAX_BYTES >> 20} MB)`, {}],
      [`${TICK_MAX_BYTES >> 20} MB, no time slice`, { tickSliceMs: Number.POSITIVE_INFINITY }],
    ] as const) {
      const results: Awaited<ReturnType<typeof run>>[] = []
      for (let i = 0; i < RUNS; i++) results.push(await run(shape, budget))
      const med = (k: 'longestMs' | 'longestCpuMs' | 'cpuMs' | 'wallMs') => [...results.map((r) => r[k])].sort((a, b) => a - b)[Math.floor(results.length / 2)].toFixed(0)
      const max = (k: 'longestMs' | 'longestCpuMs') => Math.max(...results.map((r) => r[k])).toFixed(0)
      console.log(
        `${shape}, ${label}: longest turn CPU median ${med('longestCpuMs')} ms (max ${max('longestCpuMs')}), wall median ${med('longestMs')} ms (max ${max('longestMs')}); thread CPU in all median ${med('cpuMs')} ms; burst wall median ${med('wallMs')} ms`,
      )
    }
  }
  console.log(`load average after: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`)
}

await main()
