// Which Cypher statement gets a query worker next, fairly between users: one user's slow
// statements must not keep everyone else's waiting. The rules, as a fair-share scheduler with a
// soft and a hard concurrency limit has them (Trino's resource groups; docs/CYPHER.md, "Query workers"):
// - `workers` statements run at once (the soft limit). A user who already runs a statement may not
//   take the last of them (it stays for users who run none, so one user holds at most `workers - 1`).
// - Past the soft limit, up to `hard`: a statement of a user who runs nothing starts at once on a
//   worker of its own when every running statement is a slow one (has run `slowMs` or more). Three
//   users' slow statements no longer make a fourth user's quick one wait for one of them to end;
//   the threads share the cores, as a database's sessions do. A user who runs something never passes
//   the soft limit, so the overflow is bounded by users, and by `hard` (threads and memory).
// - Waiting statements are taken round-robin by user, in arrival order within a user.
// A statement's timeout counts from its arrival: one that expires while it waits leaves the queue
// with query_timeout naming its position and wait. Nothing is preempted: a running statement runs
// to its end, its timeout or its cancel.
import { graphError } from '../errors'
import { KeyedCounts } from '../../keyed-counts'

/** A worker given to a statement: release() it once, when the statement has ended. */
export interface QuerySlot {
  /** Milliseconds the statement waited for its worker (0 when one was free). */
  waitedMs: number
  release(): void
}

interface Waiter {
  user: string
  arrived: number
  grant(slot: QuerySlot): void
  fail(e: Error): void
}

/** A statement that has run this long (ms) is a slow one: behind slow ones only, a user who runs nothing need not wait. */
export const SLOW_STATEMENT_MS = 1000

export interface AdmissionLimits {
  /** The hard limit: statements running at once, overflow included (default: `workers`, no overflow). */
  hard?: number
  /** From how long a running statement counts as slow (default SLOW_STATEMENT_MS). */
  slowMs?: number
  /** The clock (ms), for tests. */
  now?: () => number
}

export class QueryAdmission {
  /** Statements running, by user. */
  private readonly running = new KeyedCounts<string>()
  /** When each running statement started (by slot), to tell slow ones. */
  private readonly started = new Set<{ at: number }>()
  private busy = 0
  /** Waiting statements by user; the Map's order is the round-robin order (a served user moves to the end). */
  private readonly waiting = new Map<string, Waiter[]>()
  private readonly hard: number
  private readonly slowMs: number
  private readonly now: () => number
  /** A dispatch due when the youngest running statement turns slow (a user who runs nothing waits for that). */
  private recheck: NodeJS.Timeout | undefined

  /** `workers`: the statements that may run at once (the soft limit); `limits.hard`: at most, overflow included. */
  constructor(
    private readonly workers: number,
    limits: AdmissionLimits = {},
  ) {
    this.hard = Math.max(workers, limits.hard ?? workers)
    this.slowMs = limits.slowMs ?? SLOW_STATEMENT_MS
    this.now = limits.now ?? Date.now
  }

  /**
   * Resolves with a slot when `user`'s statement may run. Rejects with query_cancelled when
   * `signal` aborts while it waits, query_timeout when `timeoutMs` (from now; 0 = none) passes
   * while it waits (the message names its place in the queue and how long it waited).
   */
  admit(user: string, o: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<QuerySlot> {
    if (o.signal?.aborted) return Promise.reject(graphError('query_cancelled', 'Query cancelled.'))
    const arrived = this.now()
    return new Promise<QuerySlot>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined
      const settle = () => {
        clearTimeout(timer)
        o.signal?.removeEventListener('abort', onAbort)
      }
      const waiter: Waiter = {
        user,
        arrived,
        grant: (slot) => {
          settle()
          resolve(slot)
        },
        fail: (e) => {
          settle()
          reject(e)
        },
      }
      const leave = (e: Error) => {
        const queue = this.waiting.get(user)
        const i = queue?.indexOf(waiter) ?? -1
        if (i < 0) return
        queue!.splice(i, 1)
        if (queue!.length === 0) this.waiting.delete(user)
        waiter.fail(e)
        this.dispatch() // the statements behind it may now be the ones to run
      }
      const onAbort = () => leave(graphError('query_cancelled', 'Query cancelled while waiting for a query worker.'))
      o.signal?.addEventListener('abort', onAbort, { once: true })
      if (o.timeoutMs && o.timeoutMs > 0) {
        timer = setTimeout(() => {
          const { position, queued } = this.place(waiter)
          const waited = ((this.now() - arrived) / 1000).toFixed(1)
          leave(graphError('query_timeout', `Query timed out after ${o.timeoutMs! / 1000} s (the request's timeout) waiting for a query worker: ${waited} s in the queue at position ${position} of ${queued}, ${this.busyText()}.`))
        }, o.timeoutMs)
        timer.unref?.()
      }
      const queue = this.waiting.get(user)
      if (queue) queue.push(waiter)
      else this.waiting.set(user, [waiter])
      this.dispatch()
    })
  }

  /** Statements waiting, and running, for status and tests. */
  get counts(): { waiting: number; running: number } {
    let waiting = 0
    for (const q of this.waiting.values()) waiting += q.length
    return { waiting, running: this.busy }
  }

  /** Rejects every waiting statement with `error` (the service is closing). */
  close(error: () => Error): void {
    clearTimeout(this.recheck)
    const all = [...this.waiting.values()].flat()
    this.waiting.clear()
    for (const w of all) w.fail(error())
  }

  /**
   * A user may take a worker below the soft limit when one is free, the last one only if they run
   * nothing yet; past it (up to the hard limit), only if they run nothing and every running statement is slow.
   */
  private mayRun(user: string, now: number): boolean {
    const free = this.workers - this.busy
    if (free > 1 || (free === 1 && !this.running.get(user))) return true
    return free <= 0 && this.busy < this.hard && !this.running.get(user) && this.youngestStart() + this.slowMs <= now
  }

  /** When the most recently started running statement started (-Infinity when none runs). */
  private youngestStart(): number {
    let youngest = Number.NEGATIVE_INFINITY
    for (const s of this.started) youngest = Math.max(youngest, s.at)
    return youngest
  }

  private take(user: string, arrived: number): QuerySlot {
    this.busy++
    this.running.add(user)
    const start = { at: this.now() }
    this.started.add(start)
    let released = false
    return {
      waitedMs: start.at - arrived,
      release: () => {
        if (released) return
        released = true
        this.busy--
        this.started.delete(start)
        this.running.remove(user)
        this.dispatch()
      },
    }
  }

  /** Gives free workers to waiting statements: users in round-robin order, each user's oldest first. */
  private dispatch(): void {
    const now = this.now()
    for (let served = true; served && this.busy < this.hard; ) {
      served = false
      for (const [user, queue] of this.waiting) {
        if (!this.mayRun(user, now)) continue
        const w = queue.shift()!
        this.waiting.delete(user)
        if (queue.length) this.waiting.set(user, queue) // to the end of the round
        w.grant(this.take(user, w.arrived))
        served = true
        break
      }
    }
    this.scheduleRecheck(now)
  }

  /** A user who runs nothing waits at the soft limit only until the youngest running statement turns slow: look again then. */
  private scheduleRecheck(now: number): void {
    clearTimeout(this.recheck)
    this.recheck = undefined
    if (this.busy < this.workers || this.busy >= this.hard) return
    if (![...this.waiting.keys()].some((user) => !this.running.get(user))) return
    this.recheck = setTimeout(() => this.dispatch(), Math.max(0, this.youngestStart() + this.slowMs - now) + 1)
    this.recheck.unref?.()
  }

  private busyText(): string {
    return this.busy <= this.workers ? `${this.busy} of ${this.workers} workers busy` : `${this.busy} workers busy (${this.workers}, and up to ${this.hard} behind slow statements)`
  }

  /** Where a waiting statement stands if the round-robin goes on as it is: 1 = next. */
  private place(waiter: Waiter): { position: number; queued: number } {
    const users = [...this.waiting.keys()]
    const mine = this.waiting.get(waiter.user) ?? []
    const i = mine.indexOf(waiter)
    const u = users.indexOf(waiter.user)
    let position = i + 1
    let queued = 0
    users.forEach((other, j) => {
      const n = this.waiting.get(other)!.length
      queued += n
      // before this waiter: the other users' statements of the rounds up to its own (and of its round when they come first)
      if (other !== waiter.user) position += Math.min(n, i + (j < u ? 1 : 0))
    })
    return { position, queued }
  }
}
