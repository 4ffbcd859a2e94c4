// Attack (#9 §3): a guesser with IPv6 address space (a /48 is 65,536 /64s; a /32, four billion) has
// a fresh client for every guess. Each guess makes keys in the back-off map: if the map grew with
// them, memory would (and with 30 KB names, fast); if it dropped the oldest keys, the admin's
// back-off would go with them; and if it were full of back-offs, no one new could be counted, so
// everyone would wait — the owner in their browser included. The map stays bounded in entries and
// bytes, keeps every back-off, and devices (which only a sign-in mints) have room of their own.
import { describe, expect, it } from 'vitest'
import { DEFAULT_THROTTLE, LoginThrottle } from '../../electron/services/login-throttle'
import { gc } from '../support/heap'

/** Heap in use after a full collection (bytes). */
const heapNow = () => {
  gc()
  return process.memoryUsage().heapUsed
}

/** An address in the i-th /64 of 2001:db8::/32 (a guesser's fresh client per guess). */
const inOwnPrefix = (i: number) => `2001:db8:${((i >> 16) & 0xffff).toString(16)}:${(i & 0xffff).toString(16)}::1`
const refusal = (f: () => void): string | undefined => {
  try {
    f()
    return undefined
  } catch (e) {
    return (e as Error).message
  }
}

// FLOOD guesses make 3 keys each, 6 times the map's 10,000 entries: enough to show it bounded in
// entries (an unbounded map would hold them all), the oldest-first eviction that would drop the admin's
// back-offs, and the bytes of 3,000 30 KB names kept whole (270 MB). 100,000 showed the same and
// took 8 s of attempts at 85 µs each (most of the file's 20-50 s).
const FLOOD = 20_000

describe(`LoginThrottle under a flood from ${FLOOD.toLocaleString('en')} IPv6 /64s`, () => {
  it('stays within its bounds in entries and bytes, and the admin’s back-offs hold throughout', () => {
    const now = 1_000_000
    const throttle = new LoginThrottle(() => now)
    throttle.succeeded('admin', '198.51.100.9') // where the owner signs in
    for (let i = 0; i < 5; i++) throttle.attempt('admin', '192.0.2.1') // one address's pair backs off
    // 95 more from 19 other /64s, 100 in all: the account backs off at addresses admin has not signed in from
    for (let p = 0; p < 19; p++) for (let k = 0; k < 5; k++) throttle.attempt('admin', `2001:db8:ffff:${p.toString(16)}::${k + 1}`)
    expect(refusal(() => throttle.check('admin', inOwnPrefix(999_999)))).toMatch(/for user "admin" at addresses they have not signed in from/)

    const before = heapNow()
    const long = 'x'.repeat(30_000)
    for (let i = 0; i < FLOOD; i++) {
      // the last 3,000 names are 30 KB: kept as given, the 9,000 keys they make would hold 100s of MB
      const name = i >= FLOOD - 3000 ? `${i}${long}` : `n${i}`
      throttle.attempt(name, inOwnPrefix(i))
    }
    const grown = heapNow() - before
    const { strangers, devices } = throttle.size
    expect(strangers).toBe(DEFAULT_THROTTLE.maxEntries)
    expect(devices).toBe(0)
    expect(grown, `heap grew ${(grown / 2 ** 20).toFixed(1)} MB over ${3 * FLOOD} keys`).toBeLessThan(16 * 2 ** 20)

    expect(refusal(() => throttle.check('admin', inOwnPrefix(FLOOD + 1)))).toMatch(/at addresses they have not signed in from/)
    expect(refusal(() => throttle.check('admin', '192.0.2.1'))).toMatch(/for user "admin"; try again/)
    expect(refusal(() => throttle.check('admin', '198.51.100.9'))).toBeUndefined() // familiar: the owner is not locked out
    expect(refusal(() => throttle.check('admin', '2001:db8:ffff:3::99'))).toMatch(/for user "admin"/) // the /64 is one client
  }, 120_000)

  it('cannot reset an account’s count short of its threshold: a botnet’s 100 guesses stay 100', () => {
    const now = 1_000_000
    const throttle = new LoginThrottle(() => now, DEFAULT_THROTTLE, (name) => name === 'admin')
    const botnet = (from: number) => {
      for (let p = from; p < from + 19; p++) for (let k = 0; k < 5; k++) throttle.attempt('admin', `2001:db8:fffe:${p.toString(16)}::${k + 1}`)
    }
    botnet(0) // 95 guesses at admin from 19 /64s: the account is 5 short of backing off
    // 30,000 keys of made-up names from fresh /64s: every other count is pushed out of the map
    for (let i = 0; i < 10_000; i++) throttle.attempt(`n${i}`, inOwnPrefix(i))
    expect(refusal(() => botnet(100))).toMatch(/for user "admin" at addresses they have not signed in from/) // after 5 more
    expect(throttle.size).toMatchObject({ strangers: DEFAULT_THROTTLE.maxEntries, accounts: 1 })
  }, 60_000)

  it('full of back-offs it refuses strangers it cannot count, and still counts a browser’s device', () => {
    let now = 1_000_000
    const policy = { ...DEFAULT_THROTTLE, pairThreshold: 1, addressThreshold: 1, accountThreshold: 1, maxEntries: 3000, maxDevices: 10 }
    const throttle = new LoginThrottle(() => now, policy)
    for (let i = 0; i < 1000; i++) throttle.attempt(`x${i}`, inOwnPrefix(i)) // three keys each, all backed off: full
    throttle.failed('y', inOwnPrefix(4000)) // no room: not counted, so refused from now on
    expect(refusal(() => throttle.check('admin', inOwnPrefix(5000)))).toMatch(/on this server/)
    expect(refusal(() => throttle.check('admin', '127.0.0.1', 'device-1'))).toBeUndefined()
    throttle.failed('admin', '127.0.0.1', 'device-1') // counted in the devices' own map: that device now waits
    expect(refusal(() => throttle.check('admin', '127.0.0.1', 'device-1'))).toMatch(/for user "admin" in this browser/)
    expect(refusal(() => throttle.check('admin', '127.0.0.1', 'device-2'))).toBeUndefined()
    now += 1001
    const ticket = throttle.attempt('admin', '127.0.0.1', 'device-1')
    throttle.succeeded('admin', '127.0.0.1', ticket, 'device-1') // the device starts over
    expect(throttle.size.devices).toBe(0)
  })
})
