// #9 §0: a graph worker opens graph files (SQLite), and a thread terminated inside a better-sqlite3
// call that then throws aborts the whole process (`FATAL ERROR: v8::ToLocalChecked Empty MaybeLocal`,
// WiseLibs/better-sqlite3#842; it killed a CI run). A stopped statement or algorithm run is told
// through its flag in shared memory, read between rows; its worker is then asked to end
// (stopGraphWorker) and ends itself between two SQLite calls: exit code 0, where a terminated thread's
// is 1. Terminate is the last resort for a worker stuck where no flag is read.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Worker } from 'node:worker_threads'
import { afterEach, beforeEach, expect, it } from 'vitest'
import { AlgorithmHost } from '../../electron/graph/algorithms/algorithm-host'
import type { AlgorithmEvent } from '../../electron/graph/algorithms/algorithm-run'
import { seededRandom } from '../../electron/graph/algorithms/louvain'
import { GraphHost } from '../../electron/graph/worker/graph-host'
import { THREAD_STOP_GRACE_MS } from '../../electron/worker-thread'
import { fixtureGraph } from '../cypher/fixture'
import { ENDLESS_CYPHER } from '../support/endless-cypher'
import { tempDir } from '../support/temp-store'
import { watchThreadExits } from '../support/thread-exits'
import { until } from '../support/until'

let dir = ''
let threads: ReturnType<typeof watchThreadExits>
beforeEach(() => {
  dir = tempDir()
  threads = watchThreadExits()
})
afterEach(() => threads.stop())

const admin = { username: 'admin', isAdmin: true }

it('a timed-out endless statement is answered at its timeout, and its worker ends itself (exit code 0)', { timeout: 180_000 }, async () => {
  fixtureGraph(dir, 'g').close()
  const host = new GraphHost(dir)
  try {
    await host.runCypher({ graph: 'g', script: 'RETURN 1 AS x', actor: admin }) // a loaded worker: the statement's clock starts on it
    const started = Date.now()
    await expect(host.runCypher({ graph: 'g', script: ENDLESS_CYPHER, timeoutSeconds: 1, actor: admin })).rejects.toMatchObject({ code: 'query_timeout' })
    expect(Date.now() - started).toBeLessThan(1_000 + 2_000 + 1_000) // by the worker at its timeout, or at the host's grace (QUERY_STOP_GRACE_MS) at the latest
    // its worker back idle, and the spare the pool starts done loading the parser (a load, which opens
    // no graph, may outlast the stop's grace on a busy machine: it would be terminated)
    await until(() => host.queryWorkers, (w) => w.busy === 0 && w.loading === 0, 'the query workers idle')
  } finally {
    await host.close()
  }
  expect(threads.started).toBeGreaterThanOrEqual(1)
  expect(new Set(await threads.exits())).toEqual(new Set([0]))
})

it('an algorithm run stopped part way ends cancelled, and its worker ends itself (exit code 0)', { timeout: 120_000 }, async () => {
  const file = join(dir, 'chain.csv')
  // reading 500,000 edges takes seconds (300,000: 4.3 s on a loaded machine); it reads the flag as it goes
  writeFileSync(file, Array.from({ length: 500_000 }, (_, i) => `${i},${i + 1}`).join('\n') + '\n')
  const host = new AlgorithmHost(dir)
  const stop = new AbortController()
  const events: AlgorithmEvent['type'][] = []
  setTimeout(() => stop.abort(), 300) // mid-run: its worker has started (a bundle) and reads the file
  try {
    const end = await host.run({ algorithm: 'PageRank', params: {}, source: { kind: 'file', file, name: 'chain.csv' }, weighted: false }, { onEvent: (e) => events.push(e.type), signal: stop.signal })
    expect(end).toEqual({ outcome: 'cancelled' })
    expect(events).not.toContain('rows') // it had not ended
    // a stopped run's worker is not kept (what it read is garbage): it is stopped, and ends itself
    expect(await threads.exits()).toEqual([0])
  } finally {
    await host.close()
  }
})

it('a Louvain run stopped part way hears its flag, and its worker ends itself (exit code 0) well before Louvain would end', { timeout: 180_000 }, async () => {
  const file = join(dir, 'random.csv')
  // a random graph (30,000 vertices, 150,000 edges): graphology's Louvain takes seconds on it, after a
  // snapshot and a graphology graph that take seconds too
  const random = seededRandom(5)
  const vertex = () => Math.floor(random() * 30_000)
  writeFileSync(file, Array.from({ length: 150_000 }, () => `${vertex()},${vertex()}`).join('\n') + '\n')
  const exits: Promise<{ code: number; at: number }>[] = []
  const onWorker = (w: Worker) => exits.push(new Promise((resolve) => w.once('exit', (code) => resolve({ code, at: performance.now() }))))
  process.on('worker', onWorker)
  const host = new AlgorithmHost(dir)
  const input = { algorithm: 'Louvain' as const, params: {}, source: { kind: 'file' as const, file, name: 'random.csv' }, weighted: false }
  // 0.3: the graphology graph is built, graphology's Louvain starts (its first level's moves); its columns come once it has ended
  const louvainStarts = (e: AlgorithmEvent) => e.type === 'progress' && e.fraction === 0.3
  try {
    // how long Louvain takes on this machine now, unstopped
    let from = 0
    let to = 0
    await host.run(input, { onEvent: (e) => (louvainStarts(e) ? (from = performance.now()) : e.type === 'columns' && !to && (to = performance.now())) })
    const louvainMs = to - from
    expect(louvainMs).toBeGreaterThan(0)
    const stop = new AbortController()
    let asked = 0
    const onEvent = (e: AlgorithmEvent) => {
      if (!louvainStarts(e) || asked) return
      asked = performance.now()
      stop.abort()
    }
    const end = await host.run(input, { onEvent, signal: stop.signal })
    expect(end).toEqual({ outcome: 'cancelled' })
    expect(asked).toBeGreaterThan(0)
    const ended = await exits[exits.length - 1] // the stopped run's worker (the first run's, kept idle, or a new one)
    expect(ended.code).toBe(0) // ended itself; terminated: 1
    // heard at its next vertices, not when Louvain ends (before: 1.6 s of 1.7, 4.6 s of ~5); after: 0.26-2.1 s
    // at load 3-17, most of it building Louvain's index, which reads no flag
    expect(ended.at - asked).toBeLessThan(Math.min(louvainMs / 2, THREAD_STOP_GRACE_MS / 2))
  } finally {
    process.off('worker', onWorker)
    await host.close()
  }
})
