// Attack (atk23): the sign-in back-off kept at most maxEntries (10,000) keys and dropped the oldest
// first, whether or not that key was backed off then; and every address of 127.0.0.0/8 counted as a
// client of its own, although each reaches a server on 127.0.0.1 (a local process binds any of them
// as its source), so the per-address back-off never started for a guesser that moved on each try.
// 10,000 wrong sign-ins under other names pushed the admin's backed-off entry out: the next five
// guesses at the admin's password were tried again, and so on. A user's back-off must outlive a
// flood of other keys, and loopback is one client.
import { describe, expect, it } from 'vitest'
import { DEFAULT_THROTTLE, LoginThrottle } from '../../electron/services/login-throttle'

const loopback = (i: number) => `127.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`
const remote = (i: number) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`

describe('LoginThrottle under a flood of other names', () => {
  it('counts every address of 127.0.0.0/8, ::1 and ::ffff:127.x as one client', () => {
    const now = 1_000_000
    const throttle = new LoginThrottle(() => now)
    for (let i = 0; i < 5; i++) throttle.attempt('admin', loopback(1 + i))
    expect(() => throttle.check('admin', '::1')).toThrow(/too many failed sign-ins for user "admin"/)
    expect(() => throttle.check('admin', '::ffff:127.9.9.9')).toThrow(/for user "admin"/)
    for (let i = 0; i < 15; i++) throttle.attempt(`filler${i}`, i % 2 ? loopback(1000 + i) : '::1') // 20 failures from this computer
    expect(() => throttle.attempt('filler-next', loopback(99_999))).toThrow(/too many failed sign-ins from 127\.1\.134\.159/)
  })

  it('keeps the admin backed off after 10,000 failures for other names, each from another address', () => {
    const now = 1_000_000
    const throttle = new LoginThrottle(() => now)
    for (let i = 0; i < 5; i++) throttle.attempt('admin', loopback(1 + i))
    expect(() => throttle.check('admin', loopback(100))).toThrow(/too many failed sign-ins for user "admin"/)
    // three keys each (name at address, address, name): 30,000 keys through a map of 10,000, none backed off
    for (let i = 0; i < DEFAULT_THROTTLE.maxEntries; i++) throttle.attempt(`filler${i}`, remote(1000 + i))
    expect(() => throttle.check('admin', loopback(99_999))).toThrow(/too many failed sign-ins for user "admin"/)
  })

  it('when every entry is backed off, refuses what it could not count until the first back-off ends, and forgets none', () => {
    let now = 1_000_000
    const policy = { ...DEFAULT_THROTTLE, pairThreshold: 1, addressThreshold: 1, accountThreshold: 1, maxEntries: 6 }
    const throttle = new LoginThrottle(() => now, policy)
    throttle.failed('alice', '192.0.2.1') // three keys, each backed off for 1 s
    now += 500
    throttle.failed('bob', '192.0.2.2') // three more, until 1.5 s: the map is full of back-offs
    throttle.failed('carol', '192.0.2.3') // no room: not counted...
    expect(() => throttle.check('carol', '192.0.2.3')).toThrow(/too many failed sign-ins on this server/) // ...so refused
    expect(() => throttle.check('dave', '192.0.2.4')).toThrow(/on this server/)
    expect(() => throttle.check('alice', '192.0.2.1')).toThrow(/for user "alice"/) // still held, not forgotten
    now += 501 // alice's back-offs have ended: room again
    expect(() => throttle.check('dave', '192.0.2.4')).not.toThrow()
    throttle.failed('dave', '192.0.2.4')
    expect(() => throttle.check('dave', '192.0.2.4')).toThrow(/for user "dave"/)
    expect(() => throttle.check('bob', '192.0.2.2')).toThrow(/for user "bob"/) // bob's back-off was never dropped to make room
  })
})
