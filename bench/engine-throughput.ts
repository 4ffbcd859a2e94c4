import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Engine } from '../electron/engine/engine'
import { ExecutorRegistry } from '../electron/engine/executor'
import { noopExecutor } from '../electron/executors/noop'
import type { NewTask } from '../electron/store/job.repository'
import { openStore } from '../electron/store'

export interface ThroughputResult {
  tasks: number
  submitMs: number
  runMs: number
  tasksPerSecond: number
  usPerTask: number
  rssMb: number
}

/** A layered DAG `width` wide; each task waits for two tasks of the layer before it. */
export function layeredDag(size: number, width = 100): NewTask[] {
  const w = Math.min(width, size)
  return Array.from({ length: size }, (_, i) => {
    const layer = Math.floor(i / w)
    const col = i % w
    const prev = (c: number) => `t${(layer - 1) * w + (c % w)}`
    return { name: `t${i}`, executor: 'noop', dependsOn: layer === 0 ? [] : [...new Set([prev(col), prev(col + 1)])] }
  })
}

/** Runs one DAG of noop tasks on a real SQLite file and times every durable completion. */
export async function measureThroughput(size: number, concurrency = 64): Promise<ThroughputResult> {
  const dir = mkdtempSync(join(tmpdir(), 'jobdesk-bench-'))
  const store = openStore(join(dir, 'jobdesk.db'))
  try {
    const engine = new Engine({ store, executors: new ExecutorRegistry([noopExecutor]), concurrency })
    const tasks = layeredDag(size)
    const t0 = performance.now()
    const job = engine.submit({ uuid: randomUUID(), kind: 'dag', name: `bench ${size}`, submitter: 'bench' }, tasks)
    const t1 = performance.now()
    const done = await engine.waitFor(job.id)
    const t2 = performance.now()
    if (done.status !== 'succeeded') throw new Error(`bench job ended ${done.status}`)
    const runMs = t2 - t1
    return {
      tasks: size,
      submitMs: t1 - t0,
      runMs,
      tasksPerSecond: size / (runMs / 1000),
      usPerTask: (runMs * 1000) / size,
      rssMb: process.memoryUsage().rss / 2 ** 20,
    }
  } finally {
    store.close()
    rmSync(dir, { recursive: true, force: true })
  }
}
