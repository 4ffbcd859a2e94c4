import { createHash } from 'node:crypto'
import { AppError } from '../../shared/errors'
import { clientAddressKey, isLoopbackAddress } from './client-address'
import { BackOffCounts, type BackOffTiming } from './back-off-counts'

/** How sign-in failures back off: four counts, each with its own threshold (see LoginThrottle). */
export interface ThrottlePolicy extends BackOffTiming {
  /** Failures of one user name from one client address before that pair backs off. */
  pairThreshold: number
  /** Failures from one client address (any user names) before it backs off. */
  addressThreshold: number
  /**
   * Failures of one user name from all addresses together before it backs off for addresses the
   * user has not signed in from. Above what one address can reach (its pair backs off first).
   */
  accountThreshold: number
  /**
   * Pair, address and account counts kept at most (in each of the strangers' and the accounts' maps),
   * so a flood of names and addresses cannot grow memory without bound. Full, the oldest entry not
   * backed off goes; one backed off now never does.
   */
  maxEntries: number
  /** Device counts kept at most (a device is held to pairThreshold, as one client is); the same rule when full. */
  maxDevices: number
  /**
   * The longest back-off of the counts keyed by a user name (the pair and the account), shorter than
   * maxMs (which the address and device counts keep): anyone may guess at a name, so a long back-off
   * there would be a lock-out of its owner anyone can cause.
   */
  nameMaxMs: number
}

export const DEFAULT_THROTTLE: ThrottlePolicy = {
  pairThreshold: 5,
  addressThreshold: 20,
  // one address puts at most about 18 failures a window into a pair (5, then waits of 1 s, 2 s, …
  // 64 s, then 120 s: nameMaxMs), so six or more addresses are needed to reach this
  accountThreshold: 100,
  baseMs: 1000,
  maxMs: 15 * 60_000,
  // 2 minutes: an owner whose name a stranger guesses at waits at most this (the trial's 16 guesses
  // had bob wait 422 s of 512). Guessing gains little by it: the address count (20 failures, any
  // names) backs the guesser's address off up to maxMs, so one address still gets about 30 guesses
  // a window, and many addresses meet the account count (100) and its 2 minutes a guess
  nameMaxMs: 2 * 60_000,
  windowMs: 15 * 60_000,
  maxEntries: 10_000,
  maxDevices: 10_000,
}

/** One count a sign-in is held to: its map and key, its threshold, and how a refusal names it. */
interface Count {
  map: BackOffCounts
  key: string
  threshold: number
  who: string
  /** Whether a back-off of this count refuses this sign-in (the account's spares familiar addresses). */
  refuses: boolean
  /** Its longest back-off (ms): the policy's nameMaxMs for counts keyed by a user name, else maxMs. */
  maxMs: number
}

/** Addresses remembered per user as ones they signed in from (the most recent). */
const FAMILIAR_PER_USER = 16
/**
 * Device counts one user may hold (each sign-in mints a device): past them, a device of theirs not
 * yet counted is held as a client without a cookie. So one account holder cannot fill the devices'
 * map with their own back-offs (atk31) — it would take maxDevices / this many accounts.
 */
export const DEVICES_PER_USER = 32
/** Names longer than any account's (USERNAME: 64; names without one: 128) are keyed by their hash, so a key's bytes are bounded too. */
const LONGEST_KEYED_NAME = 128

/**
 * Names are found trimmed and in lower case (auth.service checkPassword), so ' Alice' and 'alice'
 * are one account's guesses. A longer name is no account's: it is keyed by its SHA-256, so a
 * guesser's 60 KB names cannot make the map's 10,000 entries gigabytes.
 */
const foldUser = (user: string): string => {
  const name = user.trim().toLowerCase()
  return name.length > LONGEST_KEYED_NAME ? `#${createHash('sha256').update(name).digest('base64url')}` : name
}

/**
 * Backs off sign-ins (passwords, Linkis token codes) after repeated failures with exponential
 * delays (base × 2^(failures over the threshold), up to maxMs), during which even the right
 * credential is refused. The one place sign-in back-off is decided. A sign-in from a client the
 * user's device cookie vouches for (device-cookies.ts: this browser signed in as this user before)
 * is held only to that device's own failures (the `device` count). Any other sign-in's failure
 * counts three times:
 *
 * - per user at one address (the pair, 5): what one client may guess at one account. A stranger's
 *   guesses back off the stranger, never the owner signing in from elsewhere (the DoS of a lock-out
 *   keyed by the name alone).
 * - per address over any names (20): one client spraying many accounts.
 * - per user over all addresses (100): many clients guessing one account. It refuses only at
 *   addresses the user has not signed in from lately, and never at this computer, whose own guesses
 *   the pair already bounds — so a botnet's guesses are bounded without locking the owner out where
 *   they sign in (what Entra's smart lockout does for familiar locations).
 *
 * The device count is OWASP's device cookies: guesses from anywhere else (any local process on
 * loopback included) never hold up a browser that signed in as the user, and that browser may
 * guess only as often as one client (pairThreshold) before it waits too.
 *
 * Addresses are compared as clientAddressKey() names them: all of loopback is one address, an
 * IPv6 client is its /64, and the desktop window is an address of its own that no socket reaches, so
 * guesses sent to loopback by any local process never back off the window (atk28). The window is
 * still held to its own pair and address counts: whoever sits at an unlocked desktop must not get
 * unbounded guesses at the password through its password change. User names are compared trimmed
 * and in lower case. The counts live in bounded maps (back-off-counts.ts) that strangers cannot
 * crowd each other out of: devices (keys only a successful sign-in mints), the account counts of
 * names that are accounts (`isAccount`: as many keys as there are users), and everything else. So a
 * flood of new names, addresses or /64s can neither push out a back-off, nor reset an account's
 * count short of its threshold (which would give a botnet its 100 guesses again), nor leave a device
 * no room to be counted. In memory: a restart forgets, which only helps the person who restarted it.
 */
export class LoginThrottle {
  /** Pair and address counts, and the account counts of names that are no account: keys anyone may make by guessing. */
  private readonly strangers: BackOffCounts
  /** The account counts of names that are accounts: one key per user at most. */
  private readonly accounts: BackOffCounts
  /** Device counts: keys only a device cookie this server signed can make. */
  private readonly devices: BackOffCounts
  /** User (folded) → client address keys they signed in from, oldest first. */
  private readonly familiar = new Map<string, string[]>()
  /** User (folded) → the keys of their devices in `devices` (at most DEVICES_PER_USER; ones the map dropped are pruned when looked at). */
  private readonly devicesOf = new Map<string, Set<string>>()

  /**
   * `isAccount(name)`: whether a user name (trimmed, lower case) is an account's (auth.service asks
   * the users table); by default none is, and account counts share the strangers' map.
   */
  constructor(
    private readonly now: () => number = Date.now,
    private readonly policy: ThrottlePolicy = DEFAULT_THROTTLE,
    private readonly isAccount: (name: string) => boolean = () => false,
  ) {
    this.strangers = new BackOffCounts(policy.maxEntries, policy)
    this.accounts = new BackOffCounts(policy.maxEntries, policy)
    this.devices = new BackOffCounts(policy.maxDevices, policy)
  }

  /**
   * Throws AppError `rate_limited` (HTTP 429) with retryAfterSeconds while any count this sign-in is
   * held to is backed off. `device`: the id of a device cookie verified for `user` (device-cookies.ts), if one came.
   */
  check(user: string | undefined, address: string | undefined, device?: string): void {
    const now = this.now()
    for (const c of this.counts(user, address, device)) {
      if (!c.refuses) continue
      const until = c.map.heldUntil(c.key, now)
      if (until) throw this.refusal(c.who, until - now)
      const room = c.map.fullUntil(c.key, now)
      if (room) throw this.refusal('on this server (too many back-offs at once to count more)', room - now)
    }
  }

  /**
   * Checks the back-off, then counts this attempt as a failure until succeeded() takes it back, so
   * guesses sent in parallel cannot all pass the check before the first is counted. For checks that
   * await (a password hash); a synchronous check may use check() and failed(). Returns the
   * attempt's ticket for succeeded().
   */
  attempt(user: string | undefined, address: string | undefined, device?: string): number {
    this.check(user, address, device)
    return this.failed(user, address, device)
  }

  /** Counts a failure for the device, else for the pair, the address and the account; returns its time (the ticket attempt() hands out). */
  failed(user: string | undefined, address: string | undefined, device?: string): number {
    const now = this.now()
    for (const c of this.counts(user, address, device)) c.map.fail(c.key, c.threshold, now, c.maxMs)
    return now
  }

  /**
   * After attempt() with the right credential: the device or the pair starts over and the address
   * becomes one the user signed in from. The address and the account lose exactly this attempt's
   * failure (one good account must not wipe out guesses at others, nor one good address the guesses
   * of others), and their back-off is what the failures left earn — so a right password never locks
   * the address for everyone else. `ticket`: what attempt() returned (else the newest failure).
   */
  succeeded(user: string, address: string | undefined, ticket?: number, device?: string): void {
    const now = this.now()
    for (const c of this.counts(user, address, device)) {
      if (c.key.startsWith('p:') || c.key.startsWith('d:')) c.map.forget(c.key)
      else c.map.takeBack(c.key, c.threshold, ticket, now, c.maxMs)
    }
    if (address) this.remember(foldUser(user), clientAddressKey(address))
  }

  /**
   * After attempt() for a sign-in that was never checked (refused for a reason of the server's, such
   * as too many checks waiting): its failure is taken back from every count, and nothing is learnt
   * (no count starts over, no address becomes familiar). `ticket`: what attempt() returned.
   */
  withdrawn(user: string, address: string | undefined, ticket: number, device?: string): void {
    const now = this.now()
    for (const c of this.counts(user, address, device)) c.map.takeBack(c.key, c.threshold, ticket, now, c.maxMs)
  }

  /**
   * The key of `device`'s count when it may be counted as a device of `user`: not when the user
   * already holds DEVICES_PER_USER others, nor when the map is full of back-offs with no room for it
   * (then it is held as any client is: a full map must not refuse a browser that never failed, atk31).
   */
  private deviceKey(name: string, device: string, now: number): string | undefined {
    const key = `d:${device}`
    let mine = this.devicesOf.get(name)
    if (mine) for (const k of mine) if (!this.devices.has(k)) mine.delete(k)
    if (!mine?.has(key)) {
      if ((mine?.size ?? 0) >= DEVICES_PER_USER || this.devices.fullUntil(key, now)) return undefined
      if (!mine) this.devicesOf.set(name, (mine = new Set()))
      mine.add(key)
    }
    return key
  }

  /** How many counts are held in each map (each is bounded by the policy). */
  get size(): { strangers: number; accounts: number; devices: number } {
    return { strangers: this.strangers.size, accounts: this.accounts.size, devices: this.devices.size }
  }

  /**
   * The counts a sign-in of `user` from `address` is held to: its device's alone when a device cookie
   * vouches for it; no address (or an empty one) is a client of its own for the pair.
   */
  private counts(user: string | undefined, address: string | undefined, device: string | undefined): Count[] {
    const { pairThreshold, addressThreshold, accountThreshold, maxMs, nameMaxMs } = this.policy
    const name = user ? foldUser(user) : undefined
    const deviceKey = device !== undefined && name !== undefined ? this.deviceKey(name, device, this.now()) : undefined
    if (deviceKey !== undefined) return [{ map: this.devices, key: deviceKey, threshold: pairThreshold, who: `for user "${user}" in this browser`, refuses: true, maxMs }]
    const where = address ? clientAddressKey(address) : undefined
    const out: Count[] = []
    const map = this.strangers
    // the address goes first in the key: it holds no space, so no two (address, name) pairs meet
    if (name !== undefined) out.push({ map, key: `p:${where ?? '-'} ${name}`, threshold: pairThreshold, who: `for user "${user}"`, refuses: true, maxMs: nameMaxMs })
    if (where !== undefined) out.push({ map, key: `a:${where}`, threshold: addressThreshold, who: `from ${address}`, refuses: true, maxMs })
    if (name !== undefined) {
      const familiar = isLoopbackAddress(address) || (where !== undefined && (this.familiar.get(name)?.includes(where) ?? false))
      out.push({ map: this.isAccount(name) ? this.accounts : map, key: `u:${name}`, threshold: accountThreshold, who: `for user "${user}" at addresses they have not signed in from`, refuses: !familiar, maxMs: nameMaxMs })
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

  private refusal(who: string, wait: number): AppError {
    const seconds = Math.ceil(wait / 1000)
    const at = new Date(this.now() + wait).toISOString()
    return new AppError('rate_limited', 'too_many_attempts', `too many failed sign-ins ${who}; try again in ${seconds} s (at ${at})`, {
      retryAfterSeconds: seconds,
    })
  }
}
