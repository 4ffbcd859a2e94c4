// The sign-in back-off (#9.3) in isolation: a right password never locks the address for others
// (on loopback every client is 127.0.0.1, Linkis Token-Code calls included); guesses back off the
// guesser's address, and many addresses together only the addresses the user has not signed in from.
import { describe, expect, it } from 'vitest'
import { DESKTOP_CLIENT } from '../../electron/services/client-address'
import { DEFAULT_THROTTLE, LoginThrottle } from '../../electron/services/login-throttle'

function guesses(throttle: LoginThrottle, n: number, advance: () => void): void {
  for (let i = 0; i < n; i++) {
    advance()
    try {
      throttle.attempt(`guess${i}`, '127.0.0.1')
    } catch {
      // backed off: counts nothing new
    }
  }
}

describe('LoginThrottle', () => {
  it('a right password after the address back-off has passed does not lock the address again for everyone', () => {
    let now = 1_000_000
    const throttle = new LoginThrottle(() => now)
    guesses(throttle, 25, () => (now += 1))
    now += 10 * 60_000 // past the back-off so far, still inside the 15-minute window
    const ticket = throttle.attempt('admin', '127.0.0.1')
    throttle.succeeded('admin', '127.0.0.1', ticket)
    expect(() => throttle.check('carol', '127.0.0.1')).not.toThrow()
  })

  it('still backs the address off while its guesses earn it, even for a right password', () => {
    let now = 1_000_000
    const throttle = new LoginThrottle(() => now)
    guesses(throttle, 20, () => (now += 1))
    expect(() => throttle.attempt('admin', '127.0.0.1')).toThrow(/too many failed sign-ins from 127.0.0.1/)
  })

  it('a right password takes back only its own attempt: a guess counted meanwhile still counts', () => {
    let now = 1_000_000
    const throttle = new LoginThrottle(() => now)
    guesses(throttle, 19, () => (now += 1))
    const ticket = throttle.attempt('admin', '127.0.0.1') // 20th: its scrypt runs...
    now += 1
    throttle.failed('bob', '127.0.0.1') // ...while a guess fails: the 21st
    throttle.succeeded('admin', '127.0.0.1', ticket)
    expect(() => throttle.check('carol', '127.0.0.1')).toThrow(/from 127.0.0.1/) // 20 failures left: backed off
  })

  it('starts a user over after their right password, and forgets failures older than the window', () => {
    let now = 1_000_000
    const throttle = new LoginThrottle(() => now)
    for (let i = 0; i < 4; i++) throttle.failed('bob', undefined)
    const ticket = throttle.attempt('bob', undefined)
    throttle.succeeded('bob', undefined, ticket)
    for (let i = 0; i < 4; i++) throttle.failed('bob', undefined)
    expect(() => throttle.check('bob', undefined)).not.toThrow()
    throttle.failed('bob', undefined)
    expect(() => throttle.check('bob', undefined)).toThrow(/for user "bob"/)
    now += 16 * 60_000
    throttle.failed('bob', undefined)
    now += 1001
    expect(() => throttle.check('bob', undefined)).not.toThrow()
  })

  it('200 wrong guesses at one account from one address, then the right password: refused', () => {
    let now = 1_000_000
    const throttle = new LoginThrottle(() => now)
    let tried = 0
    for (let i = 0; i < 200; i++) {
      now += 100
      try {
        throttle.attempt('admin', '192.0.2.9')
        tried++
      } catch {
        // backed off
      }
    }
    expect(tried).toBeLessThan(20) // 5, then once per doubling wait
    expect(() => throttle.attempt('admin', '192.0.2.9')).toThrow(/for user "admin"/)
  })

  it("one address's guesses at an account do not hold up its owner at another address", () => {
    const now = 1_000_000
    const throttle = new LoginThrottle(() => now)
    for (const name of ['admin', 'ADMIN', ' Admin', 'admin ', 'aDmIn']) throttle.attempt(name, '192.0.2.66')
    expect(() => throttle.check('admin', '192.0.2.66')).toThrow(/for user "admin"/)
    expect(() => throttle.check('admin', '::ffff:192.0.2.66')).toThrow(/for user "admin"/) // one client however Node spells it
    expect(() => throttle.check('admin', '127.0.0.1')).not.toThrow()
    expect(() => throttle.check('admin', '198.51.100.4')).not.toThrow()
  })

  it("loopback's guesses back off loopback, not the desktop window; the window's own guesses back off only the window (atk28)", () => {
    const now = 1_000_000
    const throttle = new LoginThrottle(() => now)
    for (let i = 0; i < 5; i++) throttle.failed('admin', '127.0.0.1')
    expect(() => throttle.check('admin', '127.0.0.7')).toThrow(/for user "admin"/) // all of loopback is still one guesser
    expect(() => throttle.check('admin', DESKTOP_CLIENT)).not.toThrow()
    for (let i = 0; i < 5; i++) throttle.failed('bob', DESKTOP_CLIENT)
    expect(() => throttle.check('bob', DESKTOP_CLIENT)).toThrow(/for user "bob"/) // the window is held to its own pair count
    expect(() => throttle.check('bob', '127.0.0.1')).not.toThrow()
  })

  it('guesses at one account from many addresses back it off, except at this computer and where its user signed in', () => {
    let now = 1_000_000
    const throttle = new LoginThrottle(() => now)
    throttle.succeeded('admin', '198.51.100.4', throttle.attempt('admin', '198.51.100.4')) // the admin's laptop
    for (let i = 0; i < 100; i++) {
      now += 10
      throttle.failed('admin', `203.0.113.${i}`) // one each: no address nor pair backs off
    }
    expect(() => throttle.check('admin', '192.0.2.200')).toThrow(/for user "admin" at addresses they have not signed in from/)
    expect(() => throttle.check('admin', '127.0.0.1')).not.toThrow()
    expect(() => throttle.check('admin', '198.51.100.4')).not.toThrow()
    expect(() => throttle.check('bob', '192.0.2.200')).not.toThrow()
    now += 15 * 60_000 + 1001 // the guesses have left the window and their back-off has ended
    expect(() => throttle.check('admin', '192.0.2.200')).not.toThrow()
  })

  it('a right password that ends a back-off the full map set aside makes room there at once', () => {
    const now = 1_000_000
    const policy = { ...DEFAULT_THROTTLE, pairThreshold: 1, addressThreshold: 2, accountThreshold: 1, maxEntries: 3 }
    const throttle = new LoginThrottle(() => now, policy)
    throttle.failed('alice', '192.0.2.1')
    throttle.failed('alice', '192.0.2.1') // pair, address and account backed off: the map is full of back-offs
    throttle.failed('bob', '192.0.2.2') // not counted
    expect(() => throttle.check('bob', '192.0.2.2')).toThrow(/on this server/)
    throttle.succeeded('zed', '192.0.2.1') // the address keeps one failure: below its threshold, its back-off ends
    expect(() => throttle.check('bob', '192.0.2.2')).not.toThrow()
    throttle.failed('bob', '192.0.2.2') // counted where the address's entry was
    expect(() => throttle.check('bob', '192.0.2.2')).toThrow(/for user "bob"/)
    expect(() => throttle.check('alice', '192.0.2.1')).toThrow(/for user "alice"/) // still held
  })

  it('never forgets a back-off while it lasts, through a small map filling and emptying (random guesses, fixed seed)', () => {
    let now = 1_000_000
    const policy = { ...DEFAULT_THROTTLE, pairThreshold: 1, addressThreshold: 2, accountThreshold: 3, maxEntries: 9 }
    const throttle = new LoginThrottle(() => now, policy)
    let seed = 42
    /** mulberry32: the same guesses on every run. */
    const random = () => {
      seed = (seed + 0x6d2b79f5) | 0
      let x = Math.imul(seed ^ (seed >>> 15), 1 | seed)
      x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x
      return ((x ^ (x >>> 14)) >>> 0) / 4294967296
    }
    const pick = (n: number) => Math.floor(random() * n)
    /** "user address" → when the refusal seen for it ends at the earliest (epoch ms). */
    const refusedUntil = new Map<string, number>()
    const refusals = { count: 0, full: 0 }
    for (let step = 0; step < 5000; step++) {
      now += pick(10) === 0 ? pick(3000) : 0
      const user = `u${pick(8)}`
      const address = `192.0.2.${pick(8)}`
      try {
        throttle.check(user, address)
        // a refusal seen earlier for this pair has not ended yet: it was forgotten
        expect(refusedUntil.get(`${user} ${address}`) ?? 0, `step ${step}: ${user} at ${address}`).toBeLessThanOrEqual(now)
        throttle.failed(user, address)
      } catch (e) {
        if (!(e instanceof Error) || !/too many failed sign-ins/.test(e.message)) throw e
        // the full map's refusal ends as soon as there is room; a count's lasts its back-off
        if (/on this server/.test(e.message)) {
          refusals.full++
          continue
        }
        refusals.count++
        const end = Date.parse(/\(at ([^)]+)\)/.exec(e.message)![1])
        refusedUntil.set(`${user} ${address}`, Math.max(refusedUntil.get(`${user} ${address}`) ?? 0, end))
      }
    }
    expect(refusals.count).toBeGreaterThan(200)
    expect(refusals.full).toBeGreaterThan(20) // the map was full of back-offs, and room found again
  })
})
