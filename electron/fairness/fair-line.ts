// The one policy for sharing a scarce resource fairly between users (#9: one user must not starve
// others): a waiting line keyed by owner. The services, the HTTP layer, the graph layer and the store
// build their bounds on it (worker-slots.ts, graph/fair-turns.ts, graph/worker/fair-queue.ts); it
// knows nothing of slots, timers or refusals, only who waits and who holds what.
// - Each owner's items wait first come, first served.
// - The next item goes to the owner holding the fewest (items taken and not yet released), ties to the
//   owner served longest ago (never served: first), then to the owner whose item came first. So an
//   owner whose item runs comes after every owner running nothing, and owners with as much running
//   take turns round-robin.
// - push may refuse an owner past `perOwner` waiting items; remove takes out an item whose caller left.
// An owner's mark (when it was last served) is forgotten once it holds and waits for nothing, so the
// maps stay as small as the work; until then it keeps its place in the round.

interface Entry<T> {
  item: T
  /** Arrival number: lower came first. */
  seq: number
}

export interface FairLineOptions {
  /** Items one owner may have waiting when pushed `bounded` (default: no bound). */
  perOwner?: number
  /**
   * Whether `owner` still waits elsewhere (a caller's own overflow beside the line): their mark is kept
   * while it does, so they do not come back as never served. Default: never.
   */
  waitsElsewhere?: (owner: string) => boolean
}

/** Waiting items of many owners, handed out fairly (see the top of this file). */
export class FairLine<T> {
  /** Waiting items by owner, oldest first (owners with none are not kept). */
  private readonly lines = new Map<string, Entry<T>[]>()
  /** What each owner holds: taken by shift, not yet released (owners holding none are not kept). */
  private readonly holding = new Map<string, number>()
  /** owner → the serial of its last shift: lower was served longer ago. */
  private readonly servedAt = new Map<string, number>()
  private serial = 0
  private arrivals = 0
  private size = 0
  private held = 0
  readonly perOwner: number
  private readonly waitsElsewhere: (owner: string) => boolean

  constructor(o: FairLineOptions = {}) {
    this.perOwner = o.perOwner ?? Number.POSITIVE_INFINITY
    this.waitsElsewhere = o.waitsElsewhere ?? (() => false)
  }

  /**
   * Puts `item` at the end of `owner`'s line. Returns false (nothing queued) when `bounded` and `owner`
   * already has `perOwner` waiting; `bounded` false: no bound (a share no one user may fill).
   */
  push(owner: string, item: T, bounded = true): boolean {
    const mine = this.lines.get(owner)
    if (mine && bounded && mine.length >= this.perOwner) return false
    const entry = { item, seq: this.arrivals++ }
    if (mine) mine.push(entry)
    else this.lines.set(owner, [entry])
    this.size++
    return true
  }

  /** Takes `item` out of `owner`'s line (its caller hung up); false when it was not waiting there. */
  remove(owner: string, item: T): boolean {
    const mine = this.lines.get(owner)
    const i = mine?.findIndex((e) => e.item === item) ?? -1
    if (i < 0) return false
    mine!.splice(i, 1)
    this.size--
    if (mine!.length === 0) this.lines.delete(owner)
    this.forget(owner)
    return true
  }

  /** The owner whose turn it is, among those `may` lets take one (default: all); undefined when none waits. */
  due(may?: (owner: string) => boolean): string | undefined {
    let best: string | undefined
    let bestHeld = 0
    let bestServed = 0
    let bestSeq = 0
    for (const [owner, mine] of this.lines) {
      if (may && !may(owner)) continue
      const held = this.holds(owner)
      const served = this.servedAt.get(owner) ?? 0
      const seq = mine[0]!.seq
      if (best === undefined || held < bestHeld || (held === bestHeld && (served < bestServed || (served === bestServed && seq < bestSeq)))) {
        ;[best, bestHeld, bestServed, bestSeq] = [owner, held, served, seq]
      }
    }
    return best
  }

  /**
   * Takes the oldest item of the owner whose turn it is (due(may)); that owner now holds one more
   * (give it back with release) and counts as served now. Undefined when nothing that `may` allows waits.
   */
  shift(may?: (owner: string) => boolean): T | undefined {
    const owner = this.due(may)
    if (owner === undefined) return undefined
    const mine = this.lines.get(owner)!
    const { item } = mine.shift()!
    this.size--
    if (mine.length === 0) this.lines.delete(owner)
    this.hold(owner)
    return item
  }

  /** `owner` takes one without waiting (there was room and no one waited): it holds one more and counts as served now. */
  hold(owner: string): void {
    this.holding.set(owner, this.holds(owner) + 1)
    this.held++
    this.servedAt.set(owner, ++this.serial)
  }

  /** `owner` gave back one thing it held (an item shifted earlier has ended). Does nothing if it holds none. */
  release(owner: string): void {
    const n = this.holds(owner)
    if (n === 0) return
    if (n > 1) this.holding.set(owner, n - 1)
    else this.holding.delete(owner)
    this.held--
    this.forget(owner)
  }

  /** How many `owner` holds (shifted, not released). */
  holds(owner: string): number {
    return this.holding.get(owner) ?? 0
  }

  /** How many are held, by all owners together. */
  get heldByAll(): number {
    return this.held
  }

  /** Items waiting: of `owner`, or of everyone. */
  count(owner?: string): number {
    if (owner === undefined) return this.size
    return this.lines.get(owner)?.length ?? 0
  }

  /** Whether some waiting owner satisfies `test`. */
  someOwner(test: (owner: string) => boolean): boolean {
    for (const owner of this.lines.keys()) if (test(owner)) return true
    return false
  }

  /** Every waiting item, oldest first (a copy). */
  items(): T[] {
    return [...this.lines.values()]
      .flat()
      .sort((a, b) => a.seq - b.seq)
      .map((e) => e.item)
  }

  /** Takes every waiting item out (the service is closing), oldest first. */
  drain(): T[] {
    const all = this.items()
    this.lines.clear()
    this.size = 0
    for (const owner of [...this.servedAt.keys()]) this.forget(owner)
    return all
  }

  /** Drops `owner`'s mark once it holds nothing and waits for nothing, here or elsewhere (call it when its overflow empties). */
  forget(owner: string): void {
    if (this.holds(owner) === 0 && !this.lines.has(owner) && !this.waitsElsewhere(owner)) this.servedAt.delete(owner)
  }

  /** Owners with a mark kept, for tests that the maps stay small. */
  get known(): number {
    return this.servedAt.size
  }
}
