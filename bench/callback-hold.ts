// `npm run bench -- callbackhold` (or `npx tsx bench/callback-hold.ts`): how long one big Rill Flow
// callback the bounds allow holds the server (#9 §2: a status probe answers within 200 ms). A
// finish.json whose body is mapped into the context, of the two bodies the last check sent: 8 × 87,000
// `{}` (one list mapped by eight output mappings: 2.09 MB of context) and 1,000,000 zeros (mapped
// once), and a wakeup.json of the first body. For each: the slowest status probe (every 50 ms, from a
// worker thread) while the callback is sent and answered, and the CPU the server's main thread spent
// meanwhile (its own work: /proc, 10 ms steps). The app runs as `serve` runs it, in a process of its
// own (bench/rest-servers.ts); BENCH_HOLD_BEFORE=<tree> (a checkout of the commit before a change:
// `git archive <commit> | tar -x -C <dir>`, node_modules linked) runs that tree's app beside it, with
// that tree's workers, the two taking turns each round, so before and after meet the same machine.
// BENCH_HOLD_RUNS (default 3).
import { createServer, type Server as HttpServer } from 'node:http'
import { mkdtempSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { adminToken, builtWorkersOf, json, mainThreadCpuMs, median, probeDuring, startServer, stopServer, useBuiltWorkers, type Server } from './served-app'

const RUNS = Number(process.env.BENCH_HOLD_RUNS ?? 3)

/** One callback's figures, medians over the runs (and the largest probe of all). */
export interface CallbackHoldRow {
  what: string
  tree: 'before' | 'now'
  status: number
  /** The slowest probe of each run's median, and of all runs, ms. */
  probeMaxMs: number
  probeWorstMs: number
  /** The server's main-thread CPU while the callback was sent and answered, ms. */
  cpuMs: number
  /** The callback's answer time, ms. */
  answerMs: number
}

/** The callback part's figures. */
export interface CallbackHoldFigures {
  rows: CallbackHoldRow[]
  runs: number
  load: [number, number]
}

/** A function task's executor that accepts each call and answers later by callback (task_scheduler). */
function startExecutor(): Promise<{ url: string; server: HttpServer }> {
  const server = createServer((req, res) => {
    req.resume()
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"result_type":"SUCCESS"}'))
  })
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok({ url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, server })))
}

const mappings = (n: number) => Array.from({ length: n }, (_, i) => `{source: $.output.items, target: $.context.c${i}}`).join(', ')

/** The flows: `eight` and `one` (a function waiting for finish.json, then a pass), `wake` (a suspense woken by wakeup.json). */
const flows = (executor: string): string[] => [
  ...[['eight', 8], ['one', 1]].map(
    ([name, n]) =>
      `workspace: hold\ndagName: ${name}\ntype: flow\ntasks:\n` +
      `  - {category: function, name: f, resourceName: ${executor}/accept.json, pattern: task_scheduler, next: done, outputMappings: [${mappings(n as number)}]}\n` +
      `  - {category: pass, name: done}\n`,
  ),
  `workspace: hold\ndagName: wake\ntype: flow\ntasks:\n` +
    `  - {category: suspense, name: f, next: done, conditions: ["$.input.[?(@.go == true)]"], inputMappings: [{source: $.context.go, target: $.input.go}], outputMappings: [${mappings(8)}, {source: $.output.go, target: $.context.go}]}\n` +
    `  - {category: pass, name: done}\n`,
]

const CASES: { what: string; flow: string; route: 'finish' | 'wakeup'; body: () => string }[] = [
  { what: 'finish.json, 8 × 87,000 {} mapped', flow: 'hold:eight', route: 'finish', body: () => JSON.stringify({ items: Array.from({ length: 87_000 }, () => ({})) }) },
  { what: 'finish.json, 1,000,000 zeros mapped once', flow: 'hold:one', route: 'finish', body: () => JSON.stringify({ items: new Array(1_000_000).fill(0) }) },
  { what: 'wakeup.json, 8 × 87,000 {} mapped', flow: 'hold:wake', route: 'wakeup', body: () => JSON.stringify({ go: true, items: Array.from({ length: 87_000 }, () => ({})) }) },
]

/** A served app of `tree` with the flows stored, and its data folder. */
async function app(tree: string | undefined, executor: string, env: Record<string, string>): Promise<{ server: Server; dir: string; token: string }> {
  const dir = mkdtempSync(`${tmpdir()}/jobdesk-callback-hold-`)
  const server = await startServer(['jobdesk', dir], tree, env)
  const token = await adminToken(server.url)
  for (const yaml of flows(executor)) await json(`${server.url}/flow/bg/manage/descriptor/add_descriptor.json`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: yaml })
  return { server, dir, token }
}

/** Submits `flow` and resolves with its execution id once its task `f` waits for its callback. */
async function waiting(url: string, flow: string): Promise<string> {
  const { execution_id: id } = await json(`${url}/flow/submit.json?descriptor_id=${flow}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
  for (;;) {
    const { ret } = await json(`${url}/flow/get.json?execution_id=${encodeURIComponent(id)}&brief=false`)
    if (Object.values(ret.tasks as Record<string, { name: string; status: string }>).some((t) => t.name === 'f' && t.status === 'RUNNING')) break
    await new Promise((r) => setTimeout(r, 50))
  }
  await new Promise((r) => setTimeout(r, 300)) // a function's task is held once its dispatch's answer is taken
  return id
}

/** Measures each case on this tree's app (and BENCH_HOLD_BEFORE's), taking turns, RUNS times. */
export async function measureCallbackHold(): Promise<CallbackHoldFigures> {
  const loadAtStart = loadavg()[0]
  const dropWorkers = await useBuiltWorkers()
  const executor = await startExecutor()
  const trees: { tree: CallbackHoldRow['tree']; dir?: string }[] = [...(process.env.BENCH_HOLD_BEFORE ? [{ tree: 'before' as const, dir: process.env.BENCH_HOLD_BEFORE }] : []), { tree: 'now' }]
  const apps = []
  const bundles: { drop(): void }[] = []
  try {
    for (const t of trees) {
      const workers = t.dir ? await builtWorkersOf(t.dir) : { env: {}, drop: () => undefined }
      bundles.push(workers)
      apps.push({ ...t, ...(await app(t.dir, executor.url, workers.env)) })
    }
    const rows: CallbackHoldRow[] = []
    for (const c of CASES) {
      const body = c.body()
      const seen = new Map<string, { status: number; probe: number[]; cpu: number[]; answer: number[] }>()
      for (let run = 0; run < RUNS; run++) {
        for (const a of apps) {
          const id = await waiting(a.server.url, c.flow)
          const pid = a.server.child.pid!
          const cpuBefore = mainThreadCpuMs(pid)
          const started = performance.now()
          const { result: status, probe } = await probeDuring(a.server.url, a.token, async () => {
            const res = await fetch(`${a.server.url}/flow/${c.route}.json?execution_id=${encodeURIComponent(id)}&task_name=f`, { method: 'POST', headers: { 'content-type': 'application/json' }, body })
            await res.arrayBuffer()
            return res.status
          })
          const answer = performance.now() - started
          const cpu = mainThreadCpuMs(pid) - cpuBefore
          const s = seen.get(a.tree) ?? { status, probe: [], cpu: [], answer: [] }
          s.probe.push(probe.maxMs)
          s.cpu.push(cpu)
          s.answer.push(answer)
          seen.set(a.tree, s)
        }
      }
      for (const [tree, s] of seen) {
        rows.push({ what: c.what, tree: tree as CallbackHoldRow['tree'], status: s.status, probeMaxMs: median(s.probe), probeWorstMs: Math.max(...s.probe), cpuMs: median(s.cpu), answerMs: median(s.answer) })
      }
    }
    return { rows, runs: RUNS, load: [loadAtStart, loadavg()[0]] }
  } finally {
    for (const a of apps) {
      await stopServer(a.server)
      rmSync(a.dir, { recursive: true, force: true })
    }
    executor.server.close()
    dropWorkers()
    for (const b of bundles) b.drop()
  }
}

/** The figures as a Markdown table. */
export function callbackHoldTable(f: CallbackHoldFigures): string[] {
  const r = (x: number) => String(Math.round(x))
  return [
    `Medians of ${f.runs} runs, the trees taking turns (load ${f.load[0].toFixed(1)}–${f.load[1].toFixed(1)} over the part). "before": BENCH_HOLD_BEFORE's tree; "now": this one.`,
    '',
    '| callback | code | answer | slowest probe, ms (median of runs) | slowest of all runs | server main-thread CPU, ms | answered in, ms |',
    '|---|---|---:|---:|---:|---:|---:|',
    ...f.rows.map((x) => `| ${x.what} | ${x.tree} | ${x.status} | ${r(x.probeMaxMs)} | ${r(x.probeWorstMs)} | ${r(x.cpuMs)} | ${r(x.answerMs)} |`),
  ]
}

if (process.argv[1]?.endsWith('callback-hold.ts')) {
  measureCallbackHold().then((f) => callbackHoldTable(f).forEach((l) => console.log(l)))
}
