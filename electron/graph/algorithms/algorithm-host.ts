// The main thread's side of algorithm runs: each run gets a graph worker (graph-worker.ts) of its
// own; one finished worker is kept idle so its snapshot cache serves the next run. Cancel sets the
// shared stop flag, which the algorithm reads every few thousand steps; a run that has not ended a
// second later (graphology's Louvain cannot look at the flag) has its worker terminated.
import type { Worker } from 'node:worker_threads'
import { graphError } from '../errors'
import { startGraphWorker } from '../worker/boot'
import type { FromWorker, ToWorker } from '../worker/protocol'
import type { AlgorithmEnd, AlgorithmEvent, AlgorithmInput } from './algorithm-run'

/**
 * How long a stopped run may take to notice before its worker is terminated. The algorithms that
 * read the flag notice within milliseconds; this bounds graphology's Louvain, and leaves the rest
 * of a cancel (ending the task and the job) room inside the "stops within a second".
 */
export const STOP_GRACE_MS = 400

interface Run {
  worker: Worker
  flag: Int32Array
  onEvent(e: AlgorithmEvent): void
  resolve(end: AlgorithmEnd): void
  reject(e: Error): void
}

export class AlgorithmHost {
  private readonly runs = new Map<number, Run>()
  private idle: Worker | null = null
  private nextId = 1
  private closed = false

  constructor(readonly dataDir: string) {}

  /**
   * Runs an algorithm in a worker. `signal` stops it (the run ends `cancelled`). Resolves with how
   * it ended; rejects (worker_failed) only if the worker died.
   */
  run(input: AlgorithmInput, hooks: { onEvent(e: AlgorithmEvent): void; signal?: AbortSignal }): Promise<AlgorithmEnd> {
    if (this.closed) return Promise.reject(graphError('worker_failed', 'the graph service is closed'))
    const worker = this.idle ?? this.startWorker()
    this.idle = null
    worker.ref()
    const id = this.nextId++
    const stop = new SharedArrayBuffer(4)
    const flag = new Int32Array(stop)
    const { signal } = hooks
    let timer: NodeJS.Timeout | undefined
    const onAbort = () => {
      Atomics.store(flag, 0, 1)
      timer = setTimeout(() => {
        const run = this.runs.get(id)
        if (!run) return
        this.runs.delete(id)
        void worker.terminate()
        run.resolve({ outcome: 'cancelled' })
      }, STOP_GRACE_MS)
    }
    if (signal?.aborted) onAbort()
    else signal?.addEventListener('abort', onAbort, { once: true })
    return new Promise<AlgorithmEnd>((resolve, reject) => {
      this.runs.set(id, { worker, flag, onEvent: hooks.onEvent, resolve, reject })
      worker.postMessage({ type: 'algorithm', id, input, stop } satisfies ToWorker)
    }).finally(() => {
      clearTimeout(timer)
      signal?.removeEventListener('abort', onAbort)
    })
  }

  private startWorker(): Worker {
    const worker = startGraphWorker({ dataDir: this.dataDir })
    worker.unref()
    worker.on('message', (m: FromWorker) => {
      if (m.type !== 'algorithm-event' && m.type !== 'algorithm-end') return
      const run = this.runs.get(m.id)
      if (!run) return
      if (m.type === 'algorithm-event') return run.onEvent(m.event)
      this.runs.delete(m.id)
      worker.unref()
      if (!this.closed && this.idle === null) this.idle = worker
      else void worker.terminate()
      run.resolve(m.end)
    })
    const died = (why: string) => {
      if (this.idle === worker) this.idle = null
      for (const [id, run] of this.runs) {
        if (run.worker !== worker) continue
        this.runs.delete(id)
        run.reject(graphError('worker_failed', `the algorithm worker stopped: ${why}`))
      }
    }
    worker.on('error', (e) => died(e.message))
    worker.on('exit', (code) => died(`exit code ${code}`))
    return worker
  }

  /** How many runs are in progress. */
  get running(): number {
    return this.runs.size
  }

  /** Stops every run and ends every worker. */
  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    const workers = [...this.runs.values()].map((r) => r.worker)
    for (const r of this.runs.values()) Atomics.store(r.flag, 0, 1)
    if (this.idle) workers.push(this.idle)
    this.idle = null
    await Promise.all(workers.map((w) => w.terminate()))
  }
}
