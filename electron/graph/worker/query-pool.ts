// The query workers: at most `max` at once, each loading the Cypher parser when it starts (seconds
// on a busy machine) and saying `ready` when done. A query is handed a ready worker only: one that
// has just finished wins over a spare still loading, and a query that must wait for a load waits
// here, before its timeout's clock starts.
//
//   start ──► loading ──ready──► idle ──acquire──► busy ──release──► idle (or ended when enough idle)
//                 │                                  └──discard (stopped, died)──► gone
//                 └──died──► gone (the oldest waiter fails: a worker that cannot boot fails queries, not loops)
import type { Worker } from 'node:worker_threads'
import { graphError } from '../errors'

/** How many query workers are in each state (QueryWorkerPool.counts). */
export interface QueryWorkerCounts {
  idle: number
  loading: number
  busy: number
  waiting: number
}

interface Waiter {
  take(worker: Worker): void
  fail(error: Error): void
}

/**
 * Hands out ready query workers, at most `max` alive. `acquire` resolves with an idle worker (or one
 * that finishes loading) and rejects with query_cancelled when its signal aborts, worker_failed when
 * the pool is closed or a worker dies while loading; `release` gives a worker back, `discard` ends one.
 */
export class QueryWorkerPool {
  /** Ready and unused; the most recently used last (its caches are warmest). */
  private idle: Worker[] = []
  private readonly loading = new Set<Worker>()
  private readonly busy = new Set<Worker>()
  private waiters: Waiter[] = []
  private closed = false

  /**
   * `start` boots a worker that posts `{type: 'ready'}` once it can take a query; `max` bounds the
   * workers alive at once (busy, idle and loading together); `keepIdle` how many stay loaded between
   * queries; `loadFailure` what a waiter is told when a worker stops while loading (other kinds of
   * work reuse this pool: Rill Flow descriptors, services/descriptor-parser.ts); `end` how a worker
   * this pool no longer keeps is ended (default: terminated; a worker that opens SQLite must be asked,
   * boot.ts stopGraphWorker).
   */
  constructor(
    private readonly start: () => Worker,
    private readonly max: number,
    private readonly keepIdle: number,
    private readonly loadFailure = 'a query worker stopped while loading the Cypher engine',
    private readonly end: (worker: Worker) => void = (worker) => void worker.terminate(),
  ) {}

  /**
   * A ready worker, marked busy: an idle one at once, else the first to become ready or free.
   * Starts a spare when none is left loaded, so the next query finds one. Rejects with
   * query_cancelled when `signal` aborts meanwhile, worker_failed when the pool closes or the
   * worker started for it dies while loading.
   */
  acquire(signal?: AbortSignal): Promise<Worker> {
    if (this.closed) return Promise.reject(graphError('worker_failed', 'the graph service is closed'))
    if (signal?.aborted) return Promise.reject(graphError('query_cancelled', 'Query cancelled.'))
    return new Promise<Worker>((resolve, reject) => {
      const onAbort = () => {
        this.waiters = this.waiters.filter((w) => w !== waiter)
        reject(graphError('query_cancelled', 'Query cancelled.'))
      }
      const waiter: Waiter = {
        take: (worker) => {
          signal?.removeEventListener('abort', onAbort)
          this.busy.add(worker)
          resolve(worker)
        },
        fail: (error) => {
          signal?.removeEventListener('abort', onAbort)
          reject(error)
        },
      }
      signal?.addEventListener('abort', onAbort, { once: true })
      this.waiters.push(waiter)
      this.pump()
    })
  }

  /**
   * Starts a worker when none is loaded or loading and there is room, so that the next acquire finds one
   * ready instead of waiting for a load (seconds on a busy machine); it stays idle until then, as a
   * released one does. For the moments a query is likely soon (GraphHost: an import starts).
   */
  warm(): void {
    if (this.closed || this.idle.length + this.loading.size > 0 || this.size >= this.max) return
    this.boot()
  }

  /** A busy worker whose query ended: idle again (or ended when enough are idle), then handed to a waiter. */
  release(worker: Worker): void {
    if (!this.busy.delete(worker)) return
    if (this.closed || (this.waiters.length === 0 && this.idle.length >= this.keepIdle)) this.end(worker)
    else this.idle.push(worker)
    this.pump()
  }

  /** A worker that is stopped or died (ended here, `end`, if it still runs); its place goes to a new one when queries wait. */
  discard(worker: Worker): void {
    const wasLoading = this.loading.delete(worker)
    const known = wasLoading || this.busy.delete(worker) || this.idle.includes(worker)
    this.idle = this.idle.filter((w) => w !== worker)
    if (!known) return
    this.end(worker)
    // a worker that could not even load fails one waiter, so a boot that always fails cannot loop
    if (wasLoading) this.waiters.shift()?.fail(graphError('worker_failed', this.loadFailure))
    this.pump()
  }

  /** Ends the pool: waiters fail; returns every worker, for the caller to end. */
  close(): Worker[] {
    this.closed = true
    for (const w of this.waiters.splice(0)) w.fail(graphError('worker_failed', 'the graph service is closing'))
    const all = [...this.idle, ...this.loading, ...this.busy]
    this.idle = []
    this.loading.clear()
    this.busy.clear()
    return all
  }

  /**
   * Workers by state (`waiting`: acquires not yet handed one), for a status and for tests, which wait
   * on these (a stopped query's worker gone, a spare loaded) instead of sleeping.
   */
  get counts(): QueryWorkerCounts {
    return { idle: this.idle.length, loading: this.loading.size, busy: this.busy.size, waiting: this.waiters.length }
  }

  private get size(): number {
    return this.idle.length + this.loading.size + this.busy.size
  }

  /** Hands idle workers to waiters, starts workers for the waiters left, and keeps a spare loading. */
  private pump(): void {
    if (this.closed) return
    while (this.waiters.length > 0 && this.idle.length > 0) this.waiters.shift()!.take(this.idle.pop()!)
    while (this.waiters.length > this.loading.size && this.size < this.max) this.boot()
    if (this.idle.length + this.loading.size === 0 && this.size < this.max && this.busy.size > 0) this.boot()
  }

  private boot(): void {
    const worker = this.start()
    this.loading.add(worker)
    const onReady = (m: { type?: string }) => {
      if (m?.type !== 'ready') return
      worker.off('message', onReady)
      if (!this.loading.delete(worker)) return
      this.idle.push(worker)
      this.pump()
    }
    worker.on('message', onReady)
    worker.once('exit', () => this.discard(worker))
  }
}
