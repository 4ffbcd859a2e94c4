import { KeyedCounts } from '../keyed-counts'
import { Queue } from './queue'

// The engine's ready queue stays apart from the app's fair line (fairness/fair-line.ts): it is on the
// scheduler's hot path (O(1) turns, no scan of every waiting user), serves users strictly in turn
// rather than fewest-running first, and caps each user at a share of the pool instead of bounding
// what they may have waiting.

/**
 * The ready queue, shared fairly between users: one FIFO per user, served round-robin, and a user
 * holding their share of the running slots is passed over until one of theirs ends (the scheduler
 * counts the slots: take() and release()). A user alone is served as a single FIFO. Like Slurm's
 * per-user limit (QOS MaxJobsPerUser) with round-robin instead of fair-share priority. Past a full
 * pool the scheduler asks only for newcomers' items (next(true): users holding no slot), for its
 * newcomer lane (newcomerLane below).
 */
export class ReadyQueue<T> {
  private readonly queues = new Map<string, Queue<T>>()
  /** Users with ready items, in their turn's order. */
  private readonly turns = new Queue<string>()
  /** Running slots held, by user (only users holding one). */
  private readonly running = new KeyedCounts<string>()
  private size = 0

  /** `shareOf(user)`: how many slots a user may hold at once (read when the user has nothing running or waiting). */
  constructor(private readonly shareOf: (user: string) => number) {}

  private readonly shares = new Map<string, number>()

  get length(): number {
    return this.size
  }

  /** How many users have items waiting: one round of turns. */
  get users(): number {
    return this.turns.length
  }

  push(user: string, item: T): void {
    let q = this.queues.get(user)
    if (!q) {
      this.queues.set(user, (q = new Queue<T>()))
      this.turns.push(user)
    }
    q.push(item)
    this.size++
  }

  /**
   * The next item of the first user in turn who may start one more, who then goes to the back of
   * the line; undefined when every waiting user holds their share (or nothing waits). `newcomer`:
   * only a user holding no running slot may (those passed over keep their turn's order). At most
   * as many users are passed over as hold slots, so a call walks at most the pool plus one turn.
   */
  next(newcomer = false): { user: string; item: T } | undefined {
    for (let tries = this.turns.length; tries > 0; tries--) {
      const user = this.turns.shift()!
      const q = this.queues.get(user)!
      if (this.running.get(user) >= (newcomer ? 1 : this.share(user))) {
        this.turns.push(user)
        continue
      }
      const item = q.shift()!
      this.size--
      if (q.length > 0) this.turns.push(user)
      else {
        this.queues.delete(user)
        if (this.running.get(user) === 0) this.shares.delete(user)
      }
      return { user, item }
    }
    return undefined
  }

  /** `user` now holds one more running slot. */
  take(user: string): void {
    this.running.add(user)
  }

  /** `user` gave back a running slot. */
  release(user: string): void {
    if (this.running.remove(user) === 0 && !this.queues.has(user)) this.shares.delete(user) // read afresh next time (a role may have changed)
  }

  private share(user: string): number {
    let s = this.shares.get(user)
    if (s === undefined) this.shares.set(user, (s = Math.max(1, this.shareOf(user))))
    return s
  }
}

/**
 * The running slots a non-admin may hold out of `concurrency`: three quarters (at least 1), so a
 * quarter of the pool always stays for everyone else (16 → 12, 8 → 6, 4 → 3, 2 → 1). There is no
 * preemption: without this reserve, one user's endless jobs would keep everyone else's queued.
 */
export const nonAdminShare = (concurrency: number): number => Math.max(1, concurrency - Math.ceil(concurrency / 4))

/**
 * How many tasks may run past a full pool of `concurrency`, each of a submitter holding no slot at the
 * time (Engine's `newcomerLane`): an eighth of the pool, at least 1 (16 → 2, 8 → 1). Without it a user
 * with nothing running waited behind other users' long jobs for as long as they ran (fair19: six users'
 * sleeping shell jobs held all 16 slots, and a seventh user's SELECT 1 stayed queued). Small, because
 * every task in it is one more process (a SQL job's may use SQL_JOB_MEMORY_BYTES) beyond the pool.
 */
export const newcomerLane = (concurrency: number): number => Math.max(1, Math.ceil(concurrency / 8))
