// Start-up of a Cypher query worker (#12): from `new Worker` to its `ready` message, which it posts once
// the Cypher engine is loaded and its parser warmed (graph-worker.ts), then the first query's answer.
// Every user's first query, and every test that runs Cypher, waits for this. Wall ms and the CPU ms of
// the whole process (all threads) over that span; the median of several workers started one after the
// other, with the min–max spread.
// Run: npx tsx bench/query-worker-start.ts [runs] [built-worker.js]
//   without a path the worker runs from source through tsx (as before the tests bundled it once per run,
//   test/support/worker-bundle.ts); with out/main/graph-worker.js
//   (after `npx electron-vite build`) it is the built one the app starts.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { Worker } from 'node:worker_threads'
import { startGraphWorker } from '../electron/graph/worker/boot'
import type { FromWorker, ToWorker } from '../electron/graph/worker/protocol'

const runs = Number(process.argv[2] ?? 5)
const built = process.argv[3] ? resolve(process.argv[3]) : undefined

interface Sample {
  readyMs: number
  readyCpuMs: number
  firstQueryMs: number
}

const cpuMs = () => {
  const u = process.cpuUsage()
  return (u.user + u.system) / 1000
}

async function once(dataDir: string): Promise<Sample> {
  const cpu0 = cpuMs()
  const t0 = performance.now()
  const workerData = { dataDir, warmCypher: true }
  const worker = built ? new Worker(built, { workerData }) : startGraphWorker(workerData)
  const next = (type: FromWorker['type']) => new Promise<FromWorker>((done) => worker.on('message', (m: FromWorker) => m.type === type && done(m)))
  await next('ready')
  const readyMs = performance.now() - t0
  const readyCpuMs = cpuMs() - cpu0
  const t1 = performance.now()
  const answered = next('cypher-end')
  const query = { script: 'RETURN 1 AS one', graph: 'default', actor: { username: 'admin', isAdmin: true }, parseOnly: true }
  worker.postMessage({ type: 'cypher', id: 1, query, stop: new SharedArrayBuffer(4) } satisfies ToWorker)
  await answered
  const firstQueryMs = performance.now() - t1
  await worker.terminate()
  return { readyMs, readyCpuMs, firstQueryMs }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const figure = (xs: number[]) => `${median(xs).toFixed(0)} (${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)})`

const dataDir = mkdtempSync(join(tmpdir(), 'jobdesk-worker-start-'))
try {
  const samples: Sample[] = []
  for (let i = 0; i < runs; i++) samples.push(await once(dataDir))
  console.log(`query worker start-up (${built ? `built: ${built}` : 'source, through tsx'}), median (min–max) of ${runs}:`)
  console.log(`  to ready: ${figure(samples.map((s) => s.readyMs))} ms wall, ${figure(samples.map((s) => s.readyCpuMs))} ms CPU`)
  console.log(`  first query after ready: ${figure(samples.map((s) => s.firstQueryMs))} ms wall`)
} finally {
  rmSync(dataDir, { recursive: true, force: true })
}
