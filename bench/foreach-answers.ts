// `npm run bench -- foreachget` (or `npx tsx bench/foreach-answers.ts`; BENCH_GET_ITEMS, default 100,000;
// BENCH_GET_RUNS, default 3; about a minute): a Rill Flow execution waiting in a foreach over that many
// items (one suspense task an item: the issue's workload), the app started in this process (app.ts
// startApp, its workers built) on a fresh temp folder, then the execution's two whole views read over
// HTTP, taking turns: `/flow/get.json` (its top-level tasks, the foreach's group statuses streamed a
// page a turn) and the console's `/flow/bg/get_execution.json` (the same view). Each request is sent
// and its answer read to the end from a worker thread, so that this process's main thread is the app's
// alone: the answer's time (request to last byte), the longest turn of the main thread's event loop
// meanwhile (a 1 ms timer's longest gap, wall and this thread's CPU in it), the main thread's CPU for
// the request, and a status probe (GET /api/v1/health every 50 ms, from another worker thread).
import { mkdtempSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { Worker } from 'node:worker_threads'
import { startApp } from '../electron/app'
import { uuidOfExecutionId } from '../electron/workflows/rillflow/runtime/names'
import { HOLD_TASK, foreachWorkflow } from '../test/support/workflows'
import { median, threadCpuMs, watchTurns } from './main-thread-clock'
import { adminToken, json, probeDuring, useBuiltWorkers, type ProbeFigures } from './served-app'

const ITEMS = Number(process.env.BENCH_GET_ITEMS ?? 100_000)
const RUNS = Number(process.env.BENCH_GET_RUNS ?? 3)
// One suspense task an item, never woken: the execution stays waiting in its foreach.
const DESCRIPTOR = foreachWorkflow('bench:fan', HOLD_TASK)

/** One view's figures over the runs: medians, but the longest turn and the probe's worst, which are the worst of all runs. */
export interface ViewFigures {
  what: string
  status: number
  bytes: number
  answerMs: number
  answerSpread: [number, number]
  mainCpuMs: number
  longestTurnMs: number
  longestTurnCpuMs: number
  probe: ProbeFigures
}

/** The foreachget part's figures. */
export interface ForeachAnswersFigures {
  items: number
  tasks: number
  fanOutMs: number
  views: ViewFigures[]
  runs: number
  load: [number, number]
}

// CommonJS, evaluated as is: one request, its answer read to the end, timed in the worker
const REQUEST = `
const { parentPort, workerData: { url, token } } = require('node:worker_threads')
;(async () => {
  const started = performance.now()
  const res = await fetch(url, { headers: { authorization: 'Bearer ' + token } })
  const bytes = (await res.arrayBuffer()).byteLength
  parentPort.postMessage({ status: res.status, bytes, ms: performance.now() - started })
})()
`

/** Sends GET `url` from a worker thread; resolves with its status, its answer's bytes and the time to its last byte. */
function requestFromWorker(url: string, token: string): Promise<{ status: number; bytes: number; ms: number }> {
  const worker = new Worker(REQUEST, { eval: true, workerData: { url, token } })
  return new Promise((ok, fail) => {
    worker.once('message', (m) => (ok(m), void worker.terminate()))
    worker.once('error', fail)
  })
}

/** Starts the app, makes the waiting execution, reads its two views RUNS times each under the probe; stops the app and removes its folder. */
export async function measureForeachAnswers(): Promise<ForeachAnswersFigures> {
  const loadAtStart = loadavg()[0]
  const unbundle = await useBuiltWorkers()
  const dir = mkdtempSync(join(tmpdir(), 'jobdesk-foreach-get-bench-'))
  const app = await startApp({ dataDir: dir, host: '127.0.0.1', port: 0, concurrency: 8 })
  try {
    const token = await adminToken(app.url)
    const auth = { authorization: `Bearer ${token}` }
    await json(`${app.url}/flow/bg/manage/descriptor/add_descriptor.json?business_id=bench&feature_name=fan&alias=release`, { method: 'POST', headers: { ...auth, 'content-type': 'text/plain' }, body: DESCRIPTOR })
    const t0 = performance.now()
    const submitted = await json(`${app.url}/flow/submit.json?descriptor_id=bench:fan`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ items: Array.from({ length: ITEMS }, (_, i) => i) }),
    })
    const executionId = submitted.execution_id as string
    const id = app.store.jobs.getByUuid(uuidOfExecutionId(executionId))!.id
    const waiting = () => (app.store.jobs.taskCountsByStatus(id) as Record<string, number>).running ?? 0
    for (const end = Date.now() + 600_000; waiting() < ITEMS + 1; await new Promise((r) => setTimeout(r, 200))) {
      if (Date.now() > end) throw new Error(`only ${waiting()} of ${ITEMS + 1} tasks wait after 600 s`)
    }
    const fanOutMs = performance.now() - t0
    await new Promise((r) => setTimeout(r, 1000)) // the fan-out's last ticks

    const q = encodeURIComponent(executionId)
    const views = [
      { what: '`GET /flow/get.json?execution_id=…`', url: `${app.url}/flow/get.json?execution_id=${q}` },
      { what: '`GET /flow/bg/get_execution.json?id=…` (the console)', url: `${app.url}/flow/bg/get_execution.json?id=${q}` },
    ]
    const runs = views.map(() => [] as { status: number; bytes: number; ms: number; cpuMs: number; turn: { longestMs: number; longestCpuMs: number }; probe: ProbeFigures }[])
    for (let i = 0; i < RUNS; i++) {
      for (const k of i % 2 ? [1, 0] : [0, 1]) {
        const { result, probe } = await probeDuring(app.url, token, async () => {
          const turns = watchTurns()
          const cpu0 = threadCpuMs()
          const r = await requestFromWorker(views[k].url, token)
          return { ...r, cpuMs: threadCpuMs() - cpu0, turn: turns.stop() }
        })
        if (result.status !== 200) throw new Error(`${views[k].url} answered ${result.status}`)
        runs[k].push({ ...result, probe })
      }
    }
    return {
      items: ITEMS,
      tasks: Number(app.store.db.prepare('SELECT count(*) FROM tasks WHERE job_id = ?').pluck().get(id)),
      fanOutMs,
      runs: RUNS,
      views: views.map((v, k) => {
        const rs = runs[k]
        const ms = rs.map((r) => r.ms)
        return {
          what: v.what,
          status: rs.at(-1)!.status,
          bytes: rs.at(-1)!.bytes,
          answerMs: median(ms),
          answerSpread: [Math.min(...ms), Math.max(...ms)],
          mainCpuMs: median(rs.map((r) => r.cpuMs)),
          longestTurnMs: Math.max(...rs.map((r) => r.turn.longestMs)),
          longestTurnCpuMs: Math.max(...rs.map((r) => r.turn.longestCpuMs)),
          probe: {
            count: rs.reduce((n, r) => n + r.probe.count, 0),
            p50Ms: median(rs.map((r) => r.probe.p50Ms)),
            p99Ms: Math.max(...rs.map((r) => r.probe.p99Ms)),
            maxMs: Math.max(...rs.map((r) => r.probe.maxMs)),
            failures: rs.reduce((n, r) => n + r.probe.failures, 0),
          },
        }
      }),
      load: [loadAtStart, loadavg()[0]],
    }
  } finally {
    await app.close()
    rmSync(dir, { recursive: true, force: true })
    unbundle()
  }
}

const f0 = (x: number): string => x.toFixed(0)

/** The figures as a line of what the execution was and a markdown table of its two views. */
export function foreachAnswersTable(r: ForeachAnswersFigures): string[] {
  return [
    `A Rill Flow foreach over ${r.items.toLocaleString('en-US')} items of one suspense task: ${r.tasks.toLocaleString('en-US')} task rows, all waiting ${(r.fanOutMs / 1000).toFixed(1)} s after the submit. ${r.runs} reads of each view, taking turns.`,
    '',
    '| the running execution\'s whole view | KiB | answer ms: median (min–max) | main thread CPU ms (median) | longest turn of the main thread, ms (its CPU) | status probe: probes, p50 / p99 / max ms |',
    '|---|---:|---:|---:|---:|---:|',
    ...r.views.map(
      (v) =>
        `| ${v.what} | ${(v.bytes / 1024).toLocaleString('en-US', { maximumFractionDigits: 0 })} | ${f0(v.answerMs)} (${f0(v.answerSpread[0])}–${f0(v.answerSpread[1])}) | ${f0(v.mainCpuMs)} | ${f0(v.longestTurnMs)} (${f0(v.longestTurnCpuMs)}) | ${v.probe.count}: ${f0(v.probe.p50Ms)} / ${f0(v.probe.p99Ms)} / ${f0(v.probe.maxMs)}${v.probe.failures ? `, ${v.probe.failures} failed` : ''} |`,
    ),
  ]
}

if (process.argv[1]?.endsWith('foreach-answers.ts')) {
  const r = await measureForeachAnswers()
  console.log(`load average ${r.load[0].toFixed(1)} at the start, ${r.load[1].toFixed(1)} at the end`)
  for (const line of foreachAnswersTable(r)) console.log(line)
  process.exit(0)
}
