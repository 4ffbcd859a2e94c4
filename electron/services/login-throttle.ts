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
  failures: number
  last: number
  until: number
}

/**
 * Backs off sign-ins (passwords, Linkis token codes) after repeated failures, as OWASP's
 * authentication guidance suggests: exponential delays per account and per client address, during
 * which even the right credential is refused. In memory: a restart forgets, which only helps the
 * person who restarted it. User names are compared in lower case.
 */
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
   * Checks the back-off, then counts this attempt as a failure until succeeded() says otherwise, so
   * guesses sent in parallel cannot all pass the check before the first is counted. For checks that
   * await (a password hash); a synchronous check may use check() and failed().
   */
  attempt(user: string | undefined, address: string | undefined): void {
    this.check(user, address)
    this.failed(user, address)
  }

  failed(user: string | undefined, address: string | undefined): void {
    const now = this.now()
    for (const [key] of this.keys(user, address)) {
      const old = this.entries.get(key)
      const e: Entry = old && now - old.last <= this.policy.windowMs ? old : { failures: 0, last: now, until: 0 }
      e.failures++
      e.last = now
      const threshold = key.startsWith('u:') ? this.policy.userThreshold : this.policy.addressThreshold
      if (e.failures >= threshold) e.until = now + Math.min(this.policy.baseMs * 2 ** Math.min(e.failures - threshold, 30), this.policy.maxMs)
      this.entries.delete(key) // re-inserted last: the map's order is the age order for eviction
      this.entries.set(key, e)
      if (this.entries.size > this.policy.maxEntries) this.entries.delete(this.entries.keys().next().value!)
    }
  }

  /**
   * After attempt(): the user's count starts over; the address's loses only this attempt (one good
   * account must not wipe out guesses at others).
   */
  succeeded(user: string, address: string | undefined): void {
    this.entries.delete(`u:${user.toLowerCase()}`)
    const e = address === undefined ? undefined : this.entries.get(`a:${address}`)
    if (!e) return
    e.failures = Math.max(0, e.failures - 1)
    if (e.failures < this.policy.addressThreshold) e.until = 0
  }

  private keys(user: string | undefined, address: string | undefined): [string, string][] {
    const out: [string, string][] = []
    if (user) out.push([`u:${user.toLowerCase()}`, `for user "${user}"`])
    if (address) out.push([`a:${address}`, `from ${address}`])
    return out
  }
}
