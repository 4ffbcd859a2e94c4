// One graph worker answering requests (GraphOps) one at a time, with the requests waiting for it on
// this thread in a queue fair between users (fair-queue.ts), not in the worker's message port: a
// request waits behind at most one of each other user's, one user may have only so many waiting,
// and a request whose caller hangs up leaves the queue (or, running, is told to stop through a flag
// in shared memory: the handlers that can stop read it between steps). GraphHost keeps two lanes,
// so cheap reads never wait behind an import check's sampling (graph-host.ts).
import type { Worker } from 'node:worker_threads'
import { isAppError } from '../../../shared/errors'
import { fromErrorBody, graphError } from '../errors'
import { stopGraphWorker } from './boot'
import { FairQueue } from './fair-queue'
import type { FromWorker, GraphOpName, ToWorker } from './protocol'

interface Pending {
  id: number
  user: string
  op: GraphOpName
  params: unknown
  stop: SharedArrayBuffer
  resolve(v: unknown): void
  reject(e: Error): void
  /** Unhooks the caller's signal. */
  detach(): void
}

export interface LaneOptions {
  /** What the lane answers, for messages ("import checks and file previews"). */
  what: string
  /** Requests one user may have waiting (not counting the one running). */
  perUser: number
  /**
   * Milliseconds a running request whose caller hung up may take to notice its stop flag before the
   * worker is stopped (stopGraphWorker; a new one is started for the next): only for lanes that never write, so
   * no write is cut short. Undefined: the worker is left to end the request.
   */
  stopGraceMs?: number
}

export class RequestLane {
  private worker: Worker | null = null
  private readonly queue: FairQueue<Pending>
  private running: Pending | null = null
  /** Set once the running request's caller has gone: its answer is dropped. */
  private runningGone = false
  private graceTimer: NodeJS.Timeout | undefined
  private closed = false

  constructor(
    private readonly startWorker: () => Worker,
    private readonly options: LaneOptions,
  ) {
    this.queue = new FairQueue<Pending>(options.perUser)
  }

  /**
   * Queues `op` for `user` ('' for callers that name none: the app's own, which share one turn of
   * the round and no bound) and resolves with the worker's result. Rejects with the worker's
   * AppError; requests_queued when `user` already has `perUser` waiting here; the signal's reason (an Error) or request_cancelled when `signal` aborts first;
   * worker_failed when the worker died running it or the lane is closed.
   */
  send(id: number, op: GraphOpName, params: unknown, user: string, signal?: AbortSignal): Promise<unknown> {
    if (this.closed) return Promise.reject(graphError('worker_failed', 'the graph service is closed'))
    if (signal?.aborted) return Promise.reject(cancelled(signal))
    return new Promise((resolve, reject) => {
      const onAbort = () => this.abandon(pending, cancelled(signal!))
      const pending: Pending = { id, user, op, params, stop: new SharedArrayBuffer(4), resolve, reject, detach: () => signal?.removeEventListener('abort', onAbort) }
      if (!this.queue.push(user, pending, user !== '')) {
        const who = user ? `user ${user}` : 'this caller'
        reject(graphError('requests_queued', `${who} already has ${this.options.perUser} graph requests (${this.options.what}) waiting: wait for their answers, then ask again`, { retryAfterSeconds: 1 }))
        return
      }
      signal?.addEventListener('abort', onAbort, { once: true })
      this.pump()
    })
  }

  /** Requests waiting here and running (0 or 1), for status and tests. */
  get counts(): { waiting: number; running: number } {
    return { waiting: this.queue.count(), running: this.running ? 1 : 0 }
  }

  /** Rejects every request waiting or running with `error` and hands back the worker to stop (stopGraphWorker). */
  close(error: () => Error): Worker | null {
    this.closed = true
    clearTimeout(this.graceTimer)
    for (const p of this.queue.drain()) settle(p, () => p.reject(error()))
    const running = this.running
    if (running && !this.runningGone) settle(running, () => running.reject(error()))
    this.running = null
    const worker = this.worker
    this.worker = null
    return worker
  }

  /** The caller is gone: out of the queue, or (running) told to stop, and answered at once. */
  private abandon(p: Pending, e: Error): void {
    if (this.queue.remove(p.user, p)) return settle(p, () => p.reject(e))
    if (this.running !== p || this.runningGone) return
    this.runningGone = true
    Atomics.store(new Int32Array(p.stop), 0, 1)
    settle(p, () => p.reject(e))
    if (this.options.stopGraceMs === undefined) return
    const worker = this.worker
    this.graceTimer = setTimeout(() => {
      // asked to end itself, terminated only as a last resort (it opens graph files: boot.ts); 'exit' frees the lane
      if (this.running === p && this.worker === worker && worker) void stopGraphWorker(worker)
    }, this.options.stopGraceMs)
    this.graceTimer.unref()
  }

  /** Sends the next waiting request when the worker is free. */
  private pump(): void {
    if (this.running || this.closed) return
    const next = this.queue.shift()
    if (!next) return
    this.running = next
    this.runningGone = false
    const worker = this.worker ?? this.start()
    worker.ref() // while a request runs the process waits for its answer
    try {
      worker.postMessage({ type: 'request', id: next.id, op: next.op, params: next.params, stop: next.stop } satisfies ToWorker)
    } catch (e) {
      // params that cannot be cloned (a bug of the caller): that request fails, the lane goes on
      const live = this.finish(worker)
      settle(next, () => next.reject(e instanceof Error ? e : new Error(String(e))), live)
    }
  }

  private start(): Worker {
    const worker = this.startWorker()
    worker.unref() // an idle worker must not keep the process alive
    worker.on('message', (m: FromWorker) => {
      if (m.type !== 'response' || this.worker !== worker) return
      const p = this.running
      if (!p || p.id !== m.id) return
      const live = this.finish(worker)
      if (m.ok) settle(p, () => p.resolve(m.result), live)
      else settle(p, () => p.reject(fromErrorBody(m.error)), live)
    })
    const died = (why: string) => {
      if (this.worker !== worker) return
      this.worker = null
      const p = this.running
      if (!p) return
      const live = this.finish(worker)
      settle(p, () => p.reject(graphError('worker_failed', `the graph worker stopped: ${why}`)), live)
    }
    worker.on('error', (e) => died(e.message))
    worker.on('exit', (code) => died(`exit code ${code}`))
    this.worker = worker
    return worker
  }

  /**
   * The running request has ended: the lane takes the next one (after the caller is answered).
   * Returns whether its caller still waits (false: it hung up and was answered then).
   */
  private finish(worker: Worker): boolean {
    clearTimeout(this.graceTimer)
    const live = !this.runningGone
    if (this.running) this.queue.release(this.running.user) // its user's turn of the round is over
    this.running = null
    this.runningGone = false
    if (this.queue.count() === 0) worker.unref()
    queueMicrotask(() => this.pump())
    return live
  }
}

/** Answers `p` once (`answer` when `live`), unhooking its signal. */
function settle(p: Pending, answer: () => void, live = true): void {
  p.detach()
  if (live) answer()
}

/** What a request whose caller hung up is rejected with: the signal's reason when it is an error. */
function cancelled(signal: AbortSignal): Error {
  const reason: unknown = signal.reason
  if (isAppError(reason) || reason instanceof Error) return reason as Error
  return graphError('request_cancelled', 'The request was cancelled before it was answered.')
}
