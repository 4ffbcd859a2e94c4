// Attack (atk23): the sign-in back-off keeps at most maxEntries (10,000) keys and drops the oldest
// first, whether or not that key is backed off now. Every address of 127.0.0.0/8 reaches a server on
// 127.0.0.1 (a local process binds any of them as its source), so the per-address back-off never
// starts for a guesser that moves on each try, and 10,000 wrong sign-ins under other names push the
// admin's backed-off entry out: the next five guesses at the admin's password are tried again, and so
// on. A user's back-off must outlive a flood of other keys.
import { describe, expect, it } from 'vitest'
import { DEFAULT_THROTTLE, LoginThrottle } from '../../electron/services/login-throttle'

const address = (i: number) => `127.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`

describe('LoginThrottle under a flood of other names', () => {
  it('keeps the admin backed off after 10,000 failures for other names from other loopback addresses', () => {
    let now = 1_000_000
    const throttle = new LoginThrottle(() => now)
    for (let i = 0; i < 5; i++) throttle.attempt('admin', address(1 + i))
    expect(() => throttle.check('admin', address(100))).toThrow(/too many failed sign-ins for user "admin"/)
    for (let i = 0; i < DEFAULT_THROTTLE.maxEntries; i++) throttle.attempt(`filler${i}`, address(1000 + i)) // no key of these is backed off
    expect(() => throttle.check('admin', address(99_999))).toThrow(/too many failed sign-ins for user "admin"/) // today: evicted, the next guess is tried
  })
})
