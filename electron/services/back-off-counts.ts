// The bounded map of failure counts behind the sign-in back-off (login-throttle.ts): what a key has
// failed lately, whether that backs it off now, and which entry goes when the map is full.

import { SoonestFirst, type Timed } from './soonest-first'

/** How failures turn into a back-off: the first lasts baseMs, each further one doubles it up to maxMs; failures older than windowMs are forgotten. */
export interface BackOffTiming {
  baseMs: number
  maxMs: number
  windowMs: number
}

interface Entry {
  /** Times of the failures inside the window, oldest first (at most the threshold + OVER_REMEMBERED). */
  failures: number[]
  /** Refused until then: the last failure's time plus the back-off its count earns. */
  until: number
}

/** Failures remembered past a count's threshold: past this the back-off is at its longest anyway. */
const OVER_REMEMBERED = 32

/**
 * Failure counts by key (epoch-ms times), at most `maxEntries` of them, so a flood of keys cannot
 * grow memory without bound (the caller keeps keys short: login-throttle.ts hashes long names).
 * Full, the oldest entry not backed off goes, found in O(log n) amortized (a backed-off entry passed
 * over once is set aside, soonest end first, rather than walked again on every failure); one
 * backed off now never goes. When every entry is backed off, a failure of a new key cannot be
 * counted: fullUntil() says until when, so the caller refuses what it could not count
 * (conservative: a back-off is never forgotten to make room).
 */
export class BackOffCounts {
  /** Every entry, by key. */
  private readonly entries = new Map<string, Entry>()
  /**
   * The keys of the entries not set aside, oldest failure first: where makeRoom looks for one to
   * drop. An entry in `entries` but not here is set aside: backed off when makeRoom passed it, and
   * held in `setAside` under its current `until`.
   */
  private readonly ageOrder = new Set<string>()
  /**
   * Set-aside entries by when their back-off ends, one current pair per set-aside key; a pair is
   * stale when its key is no longer set aside with that end (isSetAside).
   */
  private readonly setAside = new SoonestFirst()
  /** While the map is full of back-offs: when the first of them ends. */
  private full = 0

  constructor(
    private readonly maxEntries: number,
    private readonly timing: BackOffTiming,
  ) {}

  /** How many keys are held (at most maxEntries). */
  get size(): number {
    return this.entries.size
  }

  /** Whether `key` has a count (failures in the window, or a back-off), as last seen. */
  has(key: string): boolean {
    return this.entries.has(key)
  }

  /** When the back-off of `key` ends (epoch ms), or 0 when it is not backed off at `now`. */
  heldUntil(key: string, now: number): number {
    const until = this.entries.get(key)?.until ?? 0
    return until > now ? until : 0
  }

  /** When the map, full of back-offs, will have room for `key` (epoch ms); 0 when `key` is held or there is room. */
  fullUntil(key: string, now: number): number {
    return now < this.full && this.entries.size >= this.maxEntries && !this.entries.has(key) ? this.full : 0
  }

  /**
   * Counts a failure of `key` at `now`, backing it off from `threshold` failures on, for at most
   * `maxMs` (default the timing's maxMs); not counted when fullUntil(key) says so.
   */
  fail(key: string, threshold: number, now: number, maxMs = this.timing.maxMs): void {
    const e = this.live(key, now) ?? (this.makeRoom(now) ? { failures: [], until: 0 } : undefined)
    if (!e) return // not counted: the caller refuses what it cannot count until there is room
    e.failures.push(now)
    if (e.failures.length > threshold + OVER_REMEMBERED) e.failures.shift()
    this.backOff(threshold, e, maxMs)
    this.entries.set(key, e)
    this.ageOrder.delete(key) // re-inserted last (and so no longer set aside): the age order for eviction
    this.ageOrder.add(key)
  }

  /**
   * Takes back one failure of `key`: the one counted at `ticket` (else the newest), and backs it off
   * as the failures left earn (at most `maxMs`, as fail()).
   */
  takeBack(key: string, threshold: number, ticket: number | undefined, now: number, maxMs = this.timing.maxMs): void {
    const e = this.live(key, now)
    if (!e) return
    const at = ticket === undefined ? -1 : e.failures.lastIndexOf(ticket)
    e.failures.splice(at === -1 ? e.failures.length - 1 : at, 1)
    const until = e.until
    this.backOff(threshold, e, maxMs)
    if (e.until !== until && !this.ageOrder.has(key)) {
      this.putAside(key, e) // under its new end (the old pair goes stale)
      this.full = 0 // its back-off may have ended: room is looked for again
    }
  }

  /** Forgets every failure of `key`. */
  forget(key: string): void {
    this.entries.delete(key)
    this.ageOrder.delete(key)
  }

  /** The entry with failures older than the window dropped; undefined when none are left. */
  private live(key: string, now: number): Entry | undefined {
    const e = this.entries.get(key)
    if (!e) return undefined
    const fresh = e.failures.filter((t) => now - t <= this.timing.windowMs)
    if (fresh.length === 0 && e.until <= now) {
      this.forget(key)
      return undefined
    }
    e.failures = fresh
    return e
  }

  /**
   * Room for one more entry: drops the oldest entry not backed off now, never one that is. False
   * when every entry is backed off; then `full` is when the first of them ends, and until then no
   * search is made again. A backed-off entry it passes is set aside (out of the age order, into
   * setAside), so each entry is passed at most once per failure: O(log n) amortized a call.
   */
  private makeRoom(now: number): boolean {
    if (this.entries.size < this.maxEntries) return true
    if (now < this.full) return false
    // a set-aside back-off that has ended goes first: it was older than every entry still in the age order
    for (let top = this.setAside.peek(); top; top = this.setAside.peek()) {
      if (!this.isSetAside(top)) this.setAside.pop()
      else if (top.at > now) break
      else {
        this.setAside.pop()
        this.entries.delete(top.key)
        return true
      }
    }
    for (const key of this.ageOrder) {
      const e = this.entries.get(key)!
      if (e.until <= now) {
        this.forget(key)
        return true
      }
      this.putAside(key, e)
    }
    // every entry is set aside; the top is current (stale ones were popped above, and only current ones pushed since)
    this.full = this.setAside.peek()?.at ?? now
    return false
  }

  /** Takes a backed-off entry out of the age order, to be found by when its back-off ends. */
  private putAside(key: string, e: Entry): void {
    this.ageOrder.delete(key)
    this.setAside.push(e.until, key)
    // stale pairs (entries that failed again, or ended) are dropped in one go when they outnumber the map
    if (this.setAside.size > 2 * this.maxEntries) this.setAside.filter((t) => this.isSetAside(t))
  }

  /** Whether a pair of setAside is current: its key is set aside, under that end. */
  private isSetAside(t: Timed): boolean {
    return !this.ageOrder.has(t.key) && this.entries.get(t.key)?.until === t.at
  }

  /** Sets `until` from the failures: from the threshold on, base × 2^(over it) after the last one, at most maxMs. */
  private backOff(threshold: number, e: Entry, maxMs: number): void {
    const n = e.failures.length
    e.until = n >= threshold ? e.failures[n - 1] + Math.min(this.timing.baseMs * 2 ** Math.min(n - threshold, 30), maxMs) : 0
  }
}
