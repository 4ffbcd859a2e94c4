// The main thread's side of algorithm runs: each run gets a graph worker (graph-worker.ts) of its
// own; one finished worker is kept idle so its snapshot cache serves the next run (a run that failed
// or was cancelled ends its worker instead: what it read before it stopped, up to a run's bound, is
// not kept until the next run). At most RUNS_AT_ONCE runs hold memory at once, RUNS_AT_ONCE_PER_USER
// of one user; the others wait their turn, fairly by user (limits.ts). Cancel sets the shared stop
// flag, which the algorithm reads every few thousand steps; a run that has not ended STOP_GRACE_MS later
// (one in a step that reads no flag: graphology's Louvain between two levels) ends cancelled, and its worker is stopped
// (stopGraphWorker: asked, terminated only as a last resort, since it opens graph files).
import type { Worker } from 'node:worker_threads'
import { diskReserveOf } from '../../disk-reserve'
import { FairLine } from '../../fairness/fair-line'
import { graphError } from '../errors'
import { startGraphWorker, stopGraphWorker } from '../worker/boot'
import { THREAD_STOP_GRACE_MS } from '../../worker-thread'
import type { FromWorker, ToWorker } from '../worker/protocol'
import type { AlgorithmEnd, AlgorithmEvent, AlgorithmInput } from './algorithm-run'
import { RUN_LIMITS, RUNS_AT_ONCE, RUNS_AT_ONCE_PER_USER, WORKER_MAX_OLD_GENERATION_MB, type RunLimits } from './limits'

/**
 * How long a stopped run may take to notice before it ends cancelled and its worker is stopped. The algorithms that
 * read the flag notice within milliseconds; this bounds a step that reads none (graphology's Louvain
 * builds its index and zooms out between levels without a hook: 0.5-2 s for 250,000 random
 * edges at load 3), and leaves the rest
 * of a cancel (ending the task and the job) room inside the issue's "stops within a second".
 */
export const STOP_GRACE_MS = 400

interface Run {
  worker: Worker
  flag: Int32Array
  onEvent(e: AlgorithmEvent): void
  resolve(end: AlgorithmEnd): void
  reject(e: Error): void
}

/** Whether a run ended part way through building or using its snapshot (cancelled, or past a bound). */
const leavesGarbage = (end: AlgorithmEnd): boolean => end.outcome === 'cancelled' || (end.outcome === 'failed' && end.error.code === 'algorithm_input_too_large')

/** What AlgorithmHost may be told: tests lower the bounds. */
export interface AlgorithmHostOptions {
  /** The bounds on one run's snapshot (default RUN_LIMITS). */
  limits?: RunLimits
  /** Runs holding memory at once, of all users (default RUNS_AT_ONCE) and of one (default RUNS_AT_ONCE_PER_USER). */
  runsAtOnce?: number
  runsAtOncePerUser?: number
}

/** The hooks of one run: its events, its stop signal, and whose turn it takes (`owner`: the job's user). */
export interface RunHooks {
  onEvent(e: AlgorithmEvent): void
  signal?: AbortSignal
  owner?: string
}

/** A run waiting for its turn: started when it comes, or ended cancelled (the host closed). */
interface Waiting {
  start(): void
  cancel(): void
}

/** The owner of runs whose caller names none (tests, the bench): they take turns as one user. */
const NO_OWNER = ''

export class AlgorithmHost {
  private readonly runs = new Map<number, Run>()
  private idle: Worker | null = null
  private nextId = 1
  private closed = false
  private readonly line = new FairLine<Waiting>()
  private readonly limits: RunLimits
  private readonly atOnce: number
  private readonly atOncePerUser: number

  constructor(
    readonly dataDir: string,
    o: AlgorithmHostOptions = {},
  ) {
    this.limits = o.limits ?? RUN_LIMITS
    this.atOnce = Math.max(1, o.runsAtOnce ?? RUNS_AT_ONCE)
    this.atOncePerUser = Math.max(1, o.runsAtOncePerUser ?? RUNS_AT_ONCE_PER_USER)
  }

  /**
   * Runs an algorithm in a worker once it is the owner's turn (a log event says when it waits).
   * `signal` stops it, waiting or running (the run ends `cancelled`). Resolves with how it ended;
   * rejects only if the worker died: worker_failed, or algorithm_input_too_large when it ran out of its heap.
   */
  run(input: AlgorithmInput, hooks: RunHooks): Promise<AlgorithmEnd> {
    if (this.closed) return Promise.reject(graphError('worker_failed', 'the graph service is closed'))
    const owner = hooks.owner ?? NO_OWNER
    const { signal } = hooks
    if (signal?.aborted) return Promise.resolve({ outcome: 'cancelled' })
    return new Promise<AlgorithmEnd>((resolve, reject) => {
      let started = false
      const waiting: Waiting = {
        start: () => {
          started = true
          signal?.removeEventListener('abort', onAbort)
          this.start(input, hooks, owner).then(resolve, reject)
        },
        cancel: () => resolve({ outcome: 'cancelled' }),
      }
      const onAbort = () => {
        if (this.line.remove(owner, waiting)) resolve({ outcome: 'cancelled' })
      }
      signal?.addEventListener('abort', onAbort, { once: true })
      this.line.push(owner, waiting, false)
      this.next() // its turn now, if there is room and no one before it may start
      if (started) return
      const mine = this.line.holds(owner)
      hooks.onEvent({
        type: 'log',
        level: 'INFO',
        text: `waiting for a turn: ${mine >= this.atOncePerUser ? `your ${mine === 1 ? 'other algorithm run holds' : `${mine} other algorithm runs hold`} memory (one user runs at most ${this.atOncePerUser} at once)` : `${this.line.heldByAll} algorithm runs hold memory (at most ${this.atOnce} run at once)`}`,
      })
    })
  }

  /** Starts the waiting runs whose turn it is while fewer than `atOnce` run. */
  private next(): void {
    while (!this.closed && this.line.heldByAll < this.atOnce) {
      const waiting = this.line.shift((who) => this.line.holds(who) < this.atOncePerUser)
      if (!waiting) return
      waiting.start()
    }
  }

  /** Runs `input` in a worker; the owner already holds its turn, given back when the run ends. */
  private start(input: AlgorithmInput, hooks: RunHooks, owner: string): Promise<AlgorithmEnd> {
    if (this.closed) {
      this.line.release(owner)
      return Promise.reject(graphError('worker_failed', 'the graph service is closed'))
    }
    return this.runInWorker({ ...input, limits: input.limits ?? this.limits }, hooks).finally(() => {
      this.line.release(owner)
      this.next()
    })
  }

  private runInWorker(input: AlgorithmInput, hooks: RunHooks): Promise<AlgorithmEnd> {
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
        // the run ends cancelled now; its worker gets the whole grace to notice the flag and end
        // itself (starved of CPU, nice +10, it may take seconds, or in a Louvain step without a hook)
        void stopGraphWorker(worker, THREAD_STOP_GRACE_MS)
        run.resolve({ outcome: 'cancelled' })
      }, STOP_GRACE_MS)
    }
    if (signal?.aborted) onAbort()
    else signal?.addEventListener('abort', onAbort, { once: true })
    return new Promise<AlgorithmEnd>((resolve, reject) => {
      this.runs.set(id, { worker, flag, onEvent: hooks.onEvent, resolve, reject })
      worker.postMessage({ type: 'algorithm', id, input: { ...input, diskReserveBytes: diskReserveOf(this.dataDir) }, stop } satisfies ToWorker)
    }).finally(() => {
      clearTimeout(timer)
      signal?.removeEventListener('abort', onAbort)
    })
  }

  private startWorker(): Worker {
    // the heap bounds ids, Maps and rows; the snapshot's typed arrays are outside it (bounded by RunLimits)
    const worker = startGraphWorker({ dataDir: this.dataDir }, { maxOldGenerationSizeMb: WORKER_MAX_OLD_GENERATION_MB })
    worker.unref()
    worker.on('message', (m: FromWorker) => {
      if (m.type !== 'algorithm-event' && m.type !== 'algorithm-end') return
      const run = this.runs.get(m.id)
      if (!run) return
      if (m.type === 'algorithm-event') return run.onEvent(m.event)
      this.runs.delete(m.id)
      worker.unref()
      // a run stopped, or failed past a bound, leaves what it read as garbage (up to the bound's
      // hundreds of MB) that an idle worker would keep until its next run: its worker ends instead
      if (!this.closed && this.idle === null && !leavesGarbage(m.end)) this.idle = worker
      else void stopGraphWorker(worker)
      run.resolve(m.end)
    })
    const died = (why: string, oom: boolean) => {
      if (this.idle === worker) this.idle = null
      for (const [id, run] of this.runs) {
        if (run.worker !== worker) continue
        this.runs.delete(id)
        const heap = `the algorithm ran out of its worker's ${WORKER_MAX_OLD_GENERATION_MB} MB heap limit; run it on a smaller input`
        run.reject(oom ? graphError('algorithm_input_too_large', heap) : graphError('worker_failed', `the algorithm worker stopped: ${why}`))
      }
    }
    worker.on('error', (e) => died(e.message, (e as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY'))
    worker.on('exit', (code) => died(`exit code ${code}`, false))
    return worker
  }

  /** Workers kept between runs for their snapshot cache (0 or 1). */
  get kept(): number {
    return this.idle ? 1 : 0
  }

  /** How many runs are in progress. */
  get running(): number {
    return this.runs.size
  }

  /** How many runs wait for their turn. */
  get waiting(): number {
    return this.line.count()
  }

  /** Stops every run and ends every worker; waiting runs end cancelled. */
  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    for (const waiting of this.line.drain()) waiting.cancel()
    const workers = [...this.runs.values()].map((r) => r.worker)
    for (const r of this.runs.values()) Atomics.store(r.flag, 0, 1)
    if (this.idle) workers.push(this.idle)
    this.idle = null
    await Promise.all(workers.map((w) => stopGraphWorker(w)))
  }
}
