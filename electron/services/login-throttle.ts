import { AppError } from '../../shared/errors'

/** How sign-in failures back off; per user name and per client address, each with its own threshold. */
export interface ThrottlePolicy {
  /** Failures of one user name before it backs off. */
  userThreshold: number
  /** Failures from one client address (any user names) before it backs off. */
  addressThreshold: number
  /** The first back-off; each further failure doubles it, up to maxMs. */
  baseMs: number
  maxMs: number
  /** Failures older than this are forgotten. */
  windowMs: number
  /** Entries kept at most (the oldest go first), so a flood of names cannot grow memory without bound. */
  maxEntries: number
}

export const DEFAULT_THROTTLE: ThrottlePolicy = {
  userThreshold: 5,
  addressThreshold: 20,
  baseMs: 1000,
  maxMs: 15 * 60_000,
  windowMs: 15 * 60_000,
  maxEntries: 10_000,
}

interface Entry {
  /** Times of the failures inside the window, oldest first (at most MAX_REMEMBERED). */
  failures: number[]
  /** Refused until then: the last failure's time plus the back-off its count earns. */
  until: number
}

/** Failures remembered per key: past this the back-off is at its longest anyway. */
const MAX_REMEMBERED = 64

/**
 * Backs off sign-ins (passwords, Linkis token codes) after repeated failures, as OWASP's
 * authentication guidance suggests: exponential delays per account and per client address, during
 * which even the right credential is refused. In memory: a restart forgets, which only helps the
 * person who restarted it. User names are compared in lower case.
 */
/** A user's entry: names are found trimmed and in lower case (auth.service checkPassword), so ' Alice' and 'alice' are one account's guesses. */
const userKey = (user: string): string => `u:${user.trim().toLowerCase()}`

export class LoginThrottle {
  private readonly entries = new Map<string, Entry>()

  constructor(
    private readonly now: () => number = Date.now,
    private readonly policy: ThrottlePolicy = DEFAULT_THROTTLE,
  ) {}

  /** Throws AppError `rate_limited` (HTTP 429) with retryAfterSeconds while the user or the address is backed off. */
  check(user: string | undefined, address: string | undefined): void {
    for (const [key, who] of this.keys(user, address)) {
      const e = this.entries.get(key)
      const wait = e ? e.until - this.now() : 0
      if (wait > 0) {
        const seconds = Math.ceil(wait / 1000)
        const at = new Date(this.now() + wait).toISOString()
        throw new AppError('rate_limited', 'too_many_attempts', `too many failed sign-ins ${who}; try again in ${seconds} s (at ${at})`, {
          retryAfterSeconds: seconds,
        })
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

  /** Counts a failure for the user and the address; returns its time (the ticket attempt() hands out). */
  failed(user: string | undefined, address: string | undefined): number {
    const now = this.now()
    for (const [key] of this.keys(user, address)) {
      const e = this.live(key, now) ?? { failures: [], until: 0 }
      e.failures.push(now)
      if (e.failures.length > MAX_REMEMBERED) e.failures.shift()
      this.backOff(key, e)
      this.entries.delete(key) // re-inserted last: the map's order is the age order for eviction
      this.entries.set(key, e)
      if (this.entries.size > this.policy.maxEntries) this.entries.delete(this.entries.keys().next().value!)
    }
    return now
  }

  /**
   * After attempt(): the user's count starts over; the address loses exactly this attempt's failure
   * (one good account must not wipe out guesses at others), and its back-off is what the failures
   * left earn — so a right password never locks the address for everyone else (all of loopback
   * is one address). `ticket`: what attempt() returned (else the address's newest failure).
   */
  succeeded(user: string, address: string | undefined, ticket?: number): void {
    this.entries.delete(userKey(user))
    if (address === undefined) return
    const key = `a:${address}`
    const e = this.live(key, this.now())
    if (!e) return
    const at = ticket === undefined ? -1 : e.failures.lastIndexOf(ticket)
    e.failures.splice(at === -1 ? e.failures.length - 1 : at, 1)
    this.backOff(key, e)
  }

  /** The entry with failures older than the window dropped; undefined when none are left. */
  private live(key: string, now: number): Entry | undefined {
    const e = this.entries.get(key)
    if (!e) return undefined
    const fresh = e.failures.filter((t) => now - t <= this.policy.windowMs)
    if (fresh.length === 0 && e.until <= now) {
      this.entries.delete(key)
      return undefined
    }
    e.failures = fresh
    return e
  }

  /** Sets `until` from the failures: from the threshold on, base × 2^(over it) after the last one. */
  private backOff(key: string, e: Entry): void {
    const threshold = key.startsWith('u:') ? this.policy.userThreshold : this.policy.addressThreshold
    const n = e.failures.length
    e.until = n >= threshold ? e.failures[n - 1] + Math.min(this.policy.baseMs * 2 ** Math.min(n - threshold, 30), this.policy.maxMs) : 0
  }

  private keys(user: string | undefined, address: string | undefined): [string, string][] {
    const out: [string, string][] = []
    if (user) out.push([userKey(user), `for user "${user}"`])
    if (address) out.push([`a:${address}`, `from ${address}`])
    return out
  }
}
