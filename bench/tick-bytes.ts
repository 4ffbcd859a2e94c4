// `npx tsx bench/tick-bytes.ts`: the longest turn of the event loop while eight tasks settle 3 MB
// outputs at once (#9 §2), with the tick's byte budget (engine/budget.ts TICK_MAX_BYTES) and without
// one (as before it: every output of the tick serialized, checked and written in its one commit), on a
// real store in a temp folder. Two shapes of output: one long string, and 60,000 small rows. Prints,
// per run, the longest turn, this thread's CPU over the burst and its wall time, with the load average.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomUUID } from 'node:crypto'
import { TICK_MAX_BYTES } from '../electron/engine/budget'
import { Engine } from '../electron/engine/engine'
import { ExecutorRegistry, type Executor } from '../electron/engine/executor'
import { openStore } from '../electron/store'

const FAN = 8
const RUNS = Number(process.env.BENCH_RUNS ?? 5)

/** CPU time (ms) of this thread so far (Linux's per-thread scheduler statistics). */
const threadCpuMs = (): number => Number(readFileSync('/proc/thread-self/schedstat', 'latin1').split(' ')[0]) / 1e6

const shapes: Record<string, (task: string) => unknown> = {
  string: (task) => ({ task, s: 'r'.repeat(3_000_000) }),
  rows: (task) => ({ task, rows: Array.from({ length: 60_000 }, (_, i) => ({ id: i, name: `name-${i}`, v: i * 1.5, ok: true })) }),
}

async function run(shape: string, maxBytes: number): Promise<{ longestMs: number; cpuMs: number; wallMs: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'jobdesk-bench-'))
  const store = openStore(join(dir, 'jobdesk.db'))
  // the outputs are built before the burst: what is measured is what the engine does with them
  const outputs = new Map(Array.from({ length: FAN }, (_, i) => [`t${i}`, shapes[shape](`t${i}`)]))
  let open = (): void => undefined
  const gate = new Promise<void>((resolve) => (open = resolve))
  const big: Executor = { name: 'big', resumable: true, run: async (ctx) => (await gate, { output: outputs.get(ctx.taskName) }) }
  const engine = new Engine({ store, executors: new ExecutorRegistry([big]), concurrency: FAN, tickMaxBytes: maxBytes })
  try {
    const job = engine.submit({ uuid: randomUUID(), kind: 'dag', name: 'burst', submitter: 'admin' }, [...outputs.keys()].map((name) => ({ name, executor: 'big' })))
    await new Promise((r) => setTimeout(r, 100)) // every task running, held at the gate
    let longestMs = 0
    let last = performance.now()
    const watch = setInterval(() => {
      const now = performance.now()
      longestMs = Math.max(longestMs, now - last)
      last = now
    }, 1)
    const cpu0 = threadCpuMs()
    const wall0 = performance.now()
    last = wall0
    open() // all eight settle at once
    await engine.waitFor(job.id)
    const wallMs = performance.now() - wall0
    const cpuMs = threadCpuMs() - cpu0
    clearInterval(watch)
    longestMs = Math.max(longestMs, performance.now() - last)
    return { longestMs, cpuMs, wallMs }
  } finally {
    await engine.stop()
    store.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

async function main(): Promise<void> {
  console.log(`load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}; node ${process.version}; ${FAN} outputs settling at once, ${RUNS} runs each`)
  for (const shape of Object.keys(shapes)) {
    for (const [label, maxBytes] of [
      ['no byte budget', Number.POSITIVE_INFINITY],
      [`byte budget ${TICK_MAX_BYTES >> 20} MB`, TICK_MAX_BYTES],
    ] as const) {
      const results: Awaited<ReturnType<typeof run>>[] = []
      for (let i = 0; i < RUNS; i++) results.push(await run(shape, maxBytes))
      const med = (k: 'longestMs' | 'cpuMs' | 'wallMs') => [...results.map((r) => r[k])].sort((a, b) => a - b)[Math.floor(results.length / 2)].toFixed(0)
      const max = (k: 'longestMs') => Math.max(...results.map((r) => r[k])).toFixed(0)
      console.log(`${shape}, ${label}: longest turn median ${med('longestMs')} ms (max ${max('longestMs')}); thread CPU median ${med('cpuMs')} ms; wall median ${med('wallMs')} ms`)
    }
  }
  console.log(`load average after: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`)
}

await main()
