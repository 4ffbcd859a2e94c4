// Waiting work taken round-robin by user, in arrival order within a user, with a bound on what one
// user may have waiting: one user's many requests never make another's wait behind more than one
// of theirs, and never grow the queue without end (#9 §2). The request lanes of GraphHost use it.

export class FairQueue<T> {
  /** Waiting items by user; the Map's order is the round-robin order (a served user moves to the end). */
  private readonly waiting = new Map<string, T[]>()

  /** `perUser`: the items one user may have waiting at once (push refuses more). */
  constructor(readonly perUser: number) {}

  /**
   * Queues `item` for `user`; false (nothing queued) when `user` already has `perUser` waiting.
   * `bounded` false: no bound (the share of callers that name no user, which no one user may fill).
   */
  push(user: string, item: T, bounded = true): boolean {
    const mine = this.waiting.get(user)
    if (!mine) {
      this.waiting.set(user, [item])
      return true
    }
    if (bounded && mine.length >= this.perUser) return false
    mine.push(item)
    return true
  }

  /** Takes `item` out of `user`'s queue (a caller that hung up); false when it was not waiting. */
  remove(user: string, item: T): boolean {
    const mine = this.waiting.get(user)
    const i = mine?.indexOf(item) ?? -1
    if (i < 0) return false
    mine!.splice(i, 1)
    if (mine!.length === 0) this.waiting.delete(user)
    return true
  }

  /**
   * The next item: the oldest of the user whose turn it is (that user then goes to the end of the
   * round). The user served last comes after every other waiting user, also one who arrived while
   * their item ran: whoever waits has at most the running item of another user ahead of them.
   */
  shift(): T | undefined {
    let chosen: string | undefined
    for (const user of this.waiting.keys()) {
      if (user !== this.lastServed) {
        chosen = user
        break
      }
      chosen ??= user
    }
    if (chosen === undefined) return undefined
    const mine = this.waiting.get(chosen)!
    const item = mine.shift()!
    this.waiting.delete(chosen)
    if (mine.length) this.waiting.set(chosen, mine)
    this.lastServed = chosen
    return item
  }

  /** The user whose item was taken last. */
  private lastServed: string | undefined

  /** Items waiting: of `user`, or of everyone. */
  count(user?: string): number {
    if (user !== undefined) return this.waiting.get(user)?.length ?? 0
    let n = 0
    for (const mine of this.waiting.values()) n += mine.length
    return n
  }

  /** Takes every waiting item out (the service is closing). */
  drain(): T[] {
    const all = [...this.waiting.values()].flat()
    this.waiting.clear()
    return all
  }
}
