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
   * as many users are passed over as hold slots, so a call walks at most the pool
   * and the newcomer lane plus one turn.
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

  /** The running slots `user` holds and how many they may hold (their share), read without changing anything. */
  standing(user: string): { held: number; share: number } {
    return { held: this.running.get(user), share: this.shares.get(user) ?? Math.max(1, this.shareOf(user)) }
  }

  /**
   * For each key of `wanted` (`keyOf`: a job's id) met in `user`'s FIFO, how many distinct other keys
   * come before its first item; a key not met is absent. One walk of the user's FIFO, up to the last
   * wanted key: for a reader's question (a job's detail, a page of the list), never per tick.
   */
  aheadOf<K>(user: string, keyOf: (item: T) => K, wanted: ReadonlySet<K>): Map<K, number> {
    const ahead = new Map<K, number>()
    const before = new Set<K>()
    for (const item of this.queues.get(user) ?? []) {
      if (ahead.size === wanted.size) break
      const key = keyOf(item)
      if (before.has(key)) continue
      if (wanted.has(key)) ahead.set(key, before.size)
      before.add(key)
    }
    return ahead
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
 * How many tasks may run past a full pool of `concurrency` (Engine's `newcomerLane`): half the pool, at
 * least 1 (16 → 8, 8 → 4, 4 → 2, 2 → 1). The lane is not a reserve but a cap: it grows with the users
 * present, one slot for each submitter who holds no slot when their task starts (ReadyQueue.next(true)),
 * so a user never has more than one task in it, and a sub-flow or a foreach's members count as their
 * root job's submitter (a child execution is submitted as its parent's submitter). The engine counts
 * the pool and the lane together: once a pool slot frees while lane tasks run, one of those counts in
 * the pool from then on and its lane slot reopens for the next newcomer, while the pool's own waiting
 * tasks wait until the pool has room past them.
 *
 * Why: a user with nothing running should not wait behind other users' long jobs for as long as they
 * run. That is a minimum share of one slot per user, as Hadoop's Fair Scheduler gives (YARN's
 * FairScheduler: a queue's minResources), but it enforces one by preemption, which would kill work
 * here that cannot resume; so it is kept by running past the pool instead. With an eighth (16 → 2),
 * six users' sleeping shell jobs held the pool (fair19), two more users' the lane, and a ninth user's
 * SELECT 1 stayed queued until one of the 18 ended (#9). Users are made by admins only, so the users
 * who can claim a slot are few.
 *
 * The limit that remains: once the pool and the whole lane are held by long tasks (16 + 8: an admin or
 * two users can hold the pool, eight more users the lane), the next newcomer waits until one of them
 * ends. Half, not more, because every task in the lane is one more process beyond the pool (a SQL
 * job's may use SQL_JOB_MEMORY_BYTES; what all SQL jobs' processes may claim together is bounded apart,
 * by executors/sql-memory.ts, whose waiting jobs give their slot back here while they wait).
 */
export const newcomerLane = (concurrency: number): number => Math.max(1, Math.floor(concurrency / 2))

/** The scheduler's state a queued job's waiting reason is told from (waitingReasonText). */
export interface WaitingState {
  /** The pool's slots (Engine.concurrency) and the newcomer lane's past it. */
  concurrency: number
  lane: number
  /** Slots held now, pool and lane together. */
  running: number
  /** The job's submitter's slots held, and how many they may hold (their share). */
  held: number
  share: number
  /** The submitter's other jobs waiting before this one in their queue. */
  ahead: number
  /** The submitter's name, and whether the reader is the submitter (the text says "yours" then). */
  submitter: string
  own: boolean
  /**
   * The reader is neither the submitter nor an admin (the user a job runs as, labels.executeUser): told
   * only the pool's state, never the submitter's slots, share or other jobs (#9, atk: bob read alice's).
   */
  poolOnly?: boolean
}

/**
 * Why a queued job waits, in one line, as Slurm's squeue REASON says it (Resources, Priority,
 * QOSMaxJobsPerUserLimit): the user's share used by their own jobs; the pool full (and the newcomer
 * lane, or the lane only for users running nothing); then the user's earlier jobs that go first.
 * To a reader who may not know the submitter's counts (`poolOnly`), only whether the pool (and lane) is full.
 */
export function waitingReasonText(w: WaitingState): string {
  if (w.poolOnly) {
    if (w.running < w.concurrency) return 'waiting for its turn: the pool has a free place; what goes before it is told to its submitter'
    const laneFull = w.lane > 0 && w.running >= w.concurrency + w.lane
    return `waiting for a place: all ${w.concurrency} are taken${laneFull ? `, and so are the ${w.lane} place${w.lane === 1 ? '' : 's'} of the newcomer lane` : ''}`
  }
  const whose = w.own ? 'your' : `${w.submitter}’s`
  const theirs = w.own ? 'yours' : `${w.submitter}’s`
  const earlier = `${w.ahead} earlier job${w.ahead === 1 ? '' : 's'} of ${theirs}`
  let text: string
  if (w.held >= w.share) text = `waiting: ${whose} share of ${w.share} place${w.share === 1 ? '' : 's'} is used by ${whose} own jobs`
  else if (w.running >= w.concurrency) {
    text = `waiting for a place: all ${w.concurrency} are taken (${theirs} hold ${w.held}, ${whose} share is ${w.share})`
    if (w.running >= w.concurrency + w.lane) {
      if (w.lane > 0) text += `, and so are the ${w.lane} place${w.lane === 1 ? '' : 's'} of the newcomer lane`
    } else if (w.held > 0) text += '; the newcomer lane takes only users running nothing'
  } else return w.ahead > 0 ? `waiting behind ${earlier}` : 'waiting for its turn: a place is free, it starts at the scheduler’s next turn'
  return w.ahead > 0 ? `${text}; ${earlier} ${w.ahead === 1 ? 'goes' : 'go'} first` : text
}
