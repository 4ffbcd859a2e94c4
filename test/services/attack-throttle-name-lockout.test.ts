// Attack (issue #9 trial, LOW): anyone could lock an account out of password sign-in without signing
// in. 16 wrong passwords for bob from one address, each sent once its Retry-After had passed, doubled
// the pair's back-off from 4 s to 512 s, and bob's right password then waited 422 s. The counts keyed
// by a user name (the pair, the account over all addresses) now back off at most nameMaxMs (2 min);
// the address's count, the guesser's own, still doubles up to maxMs (15 min; a guesser who waits out
// each back-off gets it to 512 s before the window forgets the first failures). Faked time throughout.
import { describe, expect, it } from 'vitest'
import { AppError } from '../../shared/errors'
import { DEFAULT_THROTTLE, LoginThrottle } from '../../electron/services/login-throttle'

/** The Retry-After (seconds) of a refused sign-in, or 0 when it is let through. */
function retryAfter(f: () => void): number {
  try {
    f()
    return 0
  } catch (e) {
    expect(e).toBeInstanceOf(AppError)
    return (e as AppError).retryAfterSeconds!
  }
}

/** `n` wrong passwords from `address`, the name of each from `name(i)`, each sent once the back-off before it has passed. */
function patientGuesses(throttle: LoginThrottle, clock: { now: number }, address: string, n: number, name: (i: number) => string): number[] {
  const waits: number[] = []
  for (let i = 0; i < n; i++) {
    const wait = retryAfter(() => throttle.check(name(i), address))
    waits.push(wait)
    clock.now += wait * 1000
    throttle.attempt(name(i), address) // a wrong password: counted, never succeeded()
  }
  return waits
}

describe('attack: locking an account out by guessing at its name', () => {
  it('holds the owner back at most 2 minutes after the trial’s 16 patient guesses at one address', () => {
    const clock = { now: 1_000_000 }
    const throttle = new LoginThrottle(() => clock.now, DEFAULT_THROTTLE, (n) => n === 'bob')
    const waits = patientGuesses(throttle, clock, '203.0.113.7', 16, () => 'bob')
    // 5 free, then 1, 2, 4, … s: before the cap the last waits were 256 and 512 s
    expect(waits.slice(5)).toEqual([1, 2, 4, 8, 16, 32, 64, 120, 120, 120, 120])
    expect(DEFAULT_THROTTLE.nameMaxMs).toBe(120_000)
    expect(retryAfter(() => throttle.check('bob', '203.0.113.7'))).toBe(120) // before: 512 (the trial saw 422 left)
    clock.now += 120_000
    expect(retryAfter(() => throttle.check('bob', '203.0.113.7'))).toBe(0)
  })

  it('still backs the guesser’s address off longer: 512 s, as far as doubling gets inside the 15-minute window', () => {
    const clock = { now: 1_000_000 }
    const throttle = new LoginThrottle(() => clock.now)
    // one guess at each of 29 names: the pairs never back off, the address does (from its 20th)
    const waits = patientGuesses(throttle, clock, '203.0.113.8', 29, (i) => `user${i}`)
    expect(waits.slice(20)).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 256])
    expect(retryAfter(() => throttle.check('someone', '203.0.113.8'))).toBe(512)
  })

  it('caps the account’s count over many addresses at 2 minutes too', () => {
    const clock = { now: 1_000_000 }
    const throttle = new LoginThrottle(() => clock.now, DEFAULT_THROTTLE, (n) => n === 'bob')
    // 108 addresses, one guess each (inside the 15-minute window): the account count (100) backs off at addresses bob never used
    for (let i = 0; i < 108; i++) {
      clock.now += 1000 * retryAfter(() => throttle.check('bob', `198.51.100.${i}`))
      throttle.attempt('bob', `198.51.100.${i}`)
    }
    expect(retryAfter(() => throttle.check('bob', '192.0.2.1'))).toBe(120) // before: 256
  })
})
