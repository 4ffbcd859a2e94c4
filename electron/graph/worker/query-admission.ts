// Which Cypher statement gets a query worker next, fairly between users: one user's slow
// statements must not keep everyone else's waiting. Two rules, as a fair-share scheduler has them:
// a user who already runs a statement may not take the last free worker (it stays for users who
// run none, so one user holds at most `workers - 1`), and waiting statements are taken round-robin
// by user, in arrival order within a user. A statement's timeout counts from its arrival: one that
// expires while it waits leaves the queue with query_timeout naming its position and wait.
import { graphError } from '../errors'

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

export class QueryAdmission {
  /** Statements running, by user. */
  private readonly running = new Map<string, number>()
  private busy = 0
  /** Waiting statements by user; the Map's order is the round-robin order (a served user moves to the end). */
  private readonly waiting = new Map<string, Waiter[]>()

  /** `workers`: statements that may run at once. */
  constructor(private readonly workers: number) {}

  /**
   * Resolves with a slot when `user`'s statement may run. Rejects with query_cancelled when
   * `signal` aborts while it waits, query_timeout when `timeoutMs` (from now; 0 = none) passes
   * while it waits (the message names its place in the queue and how long it waited).
   */
  admit(user: string, o: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<QuerySlot> {
    if (o.signal?.aborted) return Promise.reject(graphError('query_cancelled', 'Query cancelled.'))
    const arrived = Date.now()
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
          const waited = ((Date.now() - arrived) / 1000).toFixed(1)
          leave(graphError('query_timeout', `Query timed out after ${o.timeoutMs! / 1000} s (the request's timeout) waiting for a query worker: ${waited} s in the queue at position ${position} of ${queued}, ${this.busy} of ${this.workers} workers busy.`))
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
    const all = [...this.waiting.values()].flat()
    this.waiting.clear()
    for (const w of all) w.fail(error())
  }

  /** A user may take a worker when one is free, and the last free one only if they run nothing yet. */
  private mayRun(user: string): boolean {
    const free = this.workers - this.busy
    return free > 1 || (free === 1 && !this.running.get(user))
  }

  private take(user: string, arrived: number): QuerySlot {
    this.busy++
    this.running.set(user, (this.running.get(user) ?? 0) + 1)
    let released = false
    return {
      waitedMs: Date.now() - arrived,
      release: () => {
        if (released) return
        released = true
        this.busy--
        const n = (this.running.get(user) ?? 1) - 1
        if (n > 0) this.running.set(user, n)
        else this.running.delete(user)
        this.dispatch()
      },
    }
  }

  /** Gives free workers to waiting statements: users in round-robin order, each user's oldest first. */
  private dispatch(): void {
    for (let served = true; served && this.busy < this.workers; ) {
      served = false
      for (const [user, queue] of this.waiting) {
        if (!this.mayRun(user)) continue
        const w = queue.shift()!
        this.waiting.delete(user)
        if (queue.length) this.waiting.set(user, queue) // to the end of the round
        w.grant(this.take(user, w.arrived))
        served = true
        break
      }
    }
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
