import { AppError } from '../../shared/errors'
import { clientAddressKey, isLoopbackAddress } from './client-address'
import { SoonestFirst, type Timed } from './soonest-first'

/** How sign-in failures back off: three counts, each with its own threshold (see LoginThrottle). */
export interface ThrottlePolicy {
  /** Failures of one user name from one client address before that pair backs off. */
  pairThreshold: number
  /** Failures from one client address (any user names) before it backs off. */
  addressThreshold: number
  /**
   * Failures of one user name from all addresses together before it backs off for addresses the
   * user has not signed in from. Above what one address can reach (its pair backs off first).
   */
  accountThreshold: number
  /** The first back-off; each further failure doubles it, up to maxMs. */
  baseMs: number
  maxMs: number
  /** Failures older than this are forgotten. */
  windowMs: number
  /**
   * Entries kept at most, so a flood of names cannot grow memory without bound. Full, the oldest
   * entry not backed off goes; one backed off now never does.
   */
  maxEntries: number
}

export const DEFAULT_THROTTLE: ThrottlePolicy = {
  pairThreshold: 5,
  addressThreshold: 20,
  // one address puts at most about 15 failures a window into a pair (5, then waits of 1 s, 2 s, …
  // 512 s), so seven or more addresses are needed to reach this
  accountThreshold: 100,
  baseMs: 1000,
  maxMs: 15 * 60_000,
  windowMs: 15 * 60_000,
  maxEntries: 10_000,
}

interface Entry {
  /** Times of the failures inside the window, oldest first (at most the threshold + OVER_REMEMBERED). */
  failures: number[]
  /** Refused until then: the last failure's time plus the back-off its count earns. */
  until: number
}

/** One count a sign-in is held to: its map key, its threshold, and how a refusal names it. */
interface Count {
  key: string
  threshold: number
  who: string
  /** Whether a back-off of this count refuses this sign-in (the account's spares familiar addresses). */
  refuses: boolean
}

/** Failures remembered past a count's threshold: past this the back-off is at its longest anyway. */
const OVER_REMEMBERED = 32
/** Addresses remembered per user as ones they signed in from (the most recent). */
const FAMILIAR_PER_USER = 16

/** Names are found trimmed and in lower case (auth.service checkPassword), so ' Alice' and 'alice' are one account's guesses. */
const foldUser = (user: string): string => user.trim().toLowerCase()

/**
 * Backs off sign-ins (passwords, Linkis token codes) after repeated failures with exponential
 * delays (base × 2^(failures over the threshold), up to maxMs), during which even the right
 * credential is refused. Each failure counts three times:
 *
 * - per user at one address (the pair, 5): what one client may guess at one account. A stranger's
 *   guesses back off the stranger, never the owner signing in from elsewhere (the DoS of a lock-out
 *   keyed by the name alone).
 * - per address over any names (20): one client spraying many accounts.
 * - per user over all addresses (100): many clients guessing one account. It refuses only at
 *   addresses the user has not signed in from lately, and never at this computer, whose own guesses
 *   the pair already bounds — so a botnet's guesses are bounded without locking the owner out where
 *   they sign in (what Entra's smart lockout does for familiar locations, and OWASP's device cookies).
 *
 * Addresses are compared as clientAddressKey() names them: all of loopback is one address, an
 * IPv6 client is its /64, and the desktop window is an address of its own that no socket reaches, so
 * guesses sent to loopback by any local process never back off the window (atk28). The window is
 * still held to its own pair and address counts: whoever sits at an unlocked desktop must not get
 * unbounded guesses at the password through its password change. User names are compared trimmed
 * and in lower case. The map of counts is bounded (maxEntries): when it is full the oldest entry not backed off
 * now goes (found in O(log n) amortized: a backed-off entry passed over once is set aside, soonest
 * end first, rather than walked again on every guess); when every entry is backed off, a failure
 * whose count is not held cannot be counted, so check() refuses every sign-in it would not be able
 * to count until the first back-off ends (conservative: never forget a back-off to make room). In
 * memory: a restart forgets, which only helps the person who restarted it.
 */
export class LoginThrottle {
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
  /** User (folded) → client address keys they signed in from, oldest first. */
  private readonly familiar = new Map<string, string[]>()
  /** While the map is full of back-offs: when the first of them ends. */
  private fullUntil = 0

  constructor(
    private readonly now: () => number = Date.now,
    private readonly policy: ThrottlePolicy = DEFAULT_THROTTLE,
  ) {}

  /** Throws AppError `rate_limited` (HTTP 429) with retryAfterSeconds while any count this sign-in is held to is backed off. */
  check(user: string | undefined, address: string | undefined): void {
    const now = this.now()
    const full = now < this.fullUntil && this.entries.size >= this.policy.maxEntries
    for (const c of this.counts(user, address)) {
      if (!c.refuses) continue
      const e = this.entries.get(c.key)
      if (e) {
        if (e.until > now) throw this.refusal(c.who, e.until - now)
      } else if (full) {
        throw this.refusal('on this server (too many back-offs at once to count more)', this.fullUntil - now)
      }
    }
  }

  /**
   * Checks the back-off, then counts this attempt as a failure until succeeded() takes it back, so
   * guesses sent in parallel cannot all pass the check before the first is counted. For checks that
   * await (a password hash); a synchronous check may use check() and failed(). Returns the
   * attempt's ticket for succeeded().
   */
  attempt(user: string | undefined, address: string | undefined): number {
    this.check(user, address)
    return this.failed(user, address)
  }

  /** Counts a failure for the pair, the address and the account; returns its time (the ticket attempt() hands out). */
  failed(user: string | undefined, address: string | undefined): number {
    const now = this.now()
    for (const c of this.counts(user, address)) {
      const e = this.live(c.key, now) ?? (this.makeRoom(now) ? { failures: [], until: 0 } : undefined)
      if (!e) continue // not counted: check() refuses what it cannot count until there is room
      e.failures.push(now)
      if (e.failures.length > c.threshold + OVER_REMEMBERED) e.failures.shift()
      this.backOff(c.threshold, e)
      this.entries.set(c.key, e)
      this.ageOrder.delete(c.key) // re-inserted last (and so no longer set aside): the age order for eviction
      this.ageOrder.add(c.key)
    }
    return now
  }

  /**
   * After attempt() with the right credential: the pair starts over and the address becomes one the
   * user signed in from. The address and the account lose exactly this attempt's failure (one good
   * account must not wipe out guesses at others, nor one good address the guesses of others), and
   * their back-off is what the failures left earn — so a right password never locks the address for
   * everyone else. `ticket`: what attempt() returned (else the newest failure).
   */
  succeeded(user: string, address: string | undefined, ticket?: number): void {
    const now = this.now()
    for (const c of this.counts(user, address)) {
      if (c.key.startsWith('p:')) {
        this.remove(c.key)
        continue
      }
      const e = this.live(c.key, now)
      if (!e) continue
      const at = ticket === undefined ? -1 : e.failures.lastIndexOf(ticket)
      e.failures.splice(at === -1 ? e.failures.length - 1 : at, 1)
      const until = e.until
      this.backOff(c.threshold, e)
      if (e.until !== until && !this.ageOrder.has(c.key)) {
        this.putAside(c.key, e) // under its new end (the old pair goes stale)
        this.fullUntil = 0 // its back-off may have ended: room is looked for again
      }
    }
    if (address) this.remember(foldUser(user), clientAddressKey(address))
  }

  /** The counts a sign-in of `user` from `address` is held to; no address (or an empty one) is a client of its own for the pair. */
  private counts(user: string | undefined, address: string | undefined): Count[] {
    const { pairThreshold, addressThreshold, accountThreshold } = this.policy
    const where = address ? clientAddressKey(address) : undefined
    const name = user ? foldUser(user) : undefined
    const out: Count[] = []
    // the address goes first in the key: it holds no space, so no two (address, name) pairs meet
    if (name !== undefined) out.push({ key: `p:${where ?? '-'} ${name}`, threshold: pairThreshold, who: `for user "${user}"`, refuses: true })
    if (where !== undefined) out.push({ key: `a:${where}`, threshold: addressThreshold, who: `from ${address}`, refuses: true })
    if (name !== undefined) {
      const familiar = isLoopbackAddress(address) || (where !== undefined && (this.familiar.get(name)?.includes(where) ?? false))
      out.push({ key: `u:${name}`, threshold: accountThreshold, who: `for user "${user}" at addresses they have not signed in from`, refuses: !familiar })
    }
    return out
  }

  /** An address the user signed in from; the most recent FAMILIAR_PER_USER are kept (users are real accounts, so this is bounded). */
  private remember(name: string, where: string): void {
    const list = (this.familiar.get(name) ?? []).filter((a) => a !== where)
    list.push(where)
    if (list.length > FAMILIAR_PER_USER) list.shift()
    this.familiar.set(name, list)
  }

  /** The entry with failures older than the window dropped; undefined when none are left. */
  private live(key: string, now: number): Entry | undefined {
    const e = this.entries.get(key)
    if (!e) return undefined
    const fresh = e.failures.filter((t) => now - t <= this.policy.windowMs)
    if (fresh.length === 0 && e.until <= now) {
      this.remove(key)
      return undefined
    }
    e.failures = fresh
    return e
  }

  /**
   * Room for one more entry: drops the oldest entry not backed off now, never one that is. False
   * when every entry is backed off; then fullUntil is when the first of them ends, and until then
   * no search is made again. A backed-off entry it passes is set aside (out of the age order, into
   * setAside), so each entry is passed at most once per failure: O(log n) amortized a call.
   */
  private makeRoom(now: number): boolean {
    if (this.entries.size < this.policy.maxEntries) return true
    if (now < this.fullUntil) return false
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
        this.remove(key)
        return true
      }
      this.putAside(key, e)
    }
    // every entry is set aside; the top is current (stale ones were popped above, and only current ones pushed since)
    this.fullUntil = this.setAside.peek()?.at ?? now
    return false
  }

  /** Takes a backed-off entry out of the age order, to be found by when its back-off ends. */
  private putAside(key: string, e: Entry): void {
    this.ageOrder.delete(key)
    this.setAside.push(e.until, key)
    // stale pairs (entries that failed again, or ended) are dropped in one go when they outnumber the map
    if (this.setAside.size > 2 * this.policy.maxEntries) this.setAside.filter((t) => this.isSetAside(t))
  }

  /** Whether a pair of setAside is current: its key is set aside, under that end. */
  private isSetAside(t: Timed): boolean {
    return !this.ageOrder.has(t.key) && this.entries.get(t.key)?.until === t.at
  }

  private remove(key: string): void {
    this.entries.delete(key)
    this.ageOrder.delete(key)
  }

  /** Sets `until` from the failures: from the threshold on, base × 2^(over it) after the last one. */
  private backOff(threshold: number, e: Entry): void {
    const n = e.failures.length
    e.until = n >= threshold ? e.failures[n - 1] + Math.min(this.policy.baseMs * 2 ** Math.min(n - threshold, 30), this.policy.maxMs) : 0
  }

  private refusal(who: string, wait: number): AppError {
    const seconds = Math.ceil(wait / 1000)
    const at = new Date(this.now() + wait).toISOString()
    return new AppError('rate_limited', 'too_many_attempts', `too many failed sign-ins ${who}; try again in ${seconds} s (at ${at})`, {
      retryAfterSeconds: seconds,
    })
  }
}
