// Attack (atk31, device cookies): the device counts live in one map of 10,000 shared by all users,
// and "keys only a successful sign-in mints" are minted by any account holder: each sign-in as
// themselves gives a fresh device id, and the old cookies stay good. A low-privilege user who fills
// the map with backed-off devices of their own (5 wrong passwords each) makes it full of back-offs,
// and then every browser that brings a device cookie not yet in the map — the admin's included — is
// refused "on this server", while a client with no cookie signs in. Whatever one account does with
// its own devices must not lock out another account's browser. Now one user holds at most
// DEVICES_PER_USER device counts, and a map full of back-offs holds a new device as a client without
// a cookie rather than refusing it.
import { beforeAll, describe, expect, it } from 'vitest'
import { DEFAULT_ADMIN } from '../../electron/services/auth.service'
import { DEFAULT_THROTTLE, DEVICES_PER_USER, LoginThrottle } from '../../electron/services/login-throttle'
import type { TestApp } from '../support/app'
import { appSuite } from '../support/app-suite'
import { browserLogin, type TestUser } from '../support/users'

const login = browserLogin

/** The device id a device cookie (`jobdesk_device_<id>=<device>.<issued>.<mac>`) carries. */
const deviceOf = (cookie: string) => cookie.split('=')[1].split('.')[0]

describe('the device counts under a flood of one user’s own devices', () => {
  let t: TestApp
  let bob: TestUser
  const suite = appSuite('bob')
  beforeAll(() => ({ t, users: { bob } } = suite))

  it('leave the admin’s browser able to sign in', async () => {
    const adminBrowser = (await login(t.url, DEFAULT_ADMIN.username, DEFAULT_ADMIN.password)).cookie!

    // The devices of 9,997 cookies minted earlier, a few by each of many accounts (one account may
    // hold only DEVICES_PER_USER: see below), counted straight into the throttle to save the test
    // 60,000 sign-ins; with the waits between a device's failures left out, 9 at once back it off
    // for 16 s, as 9 spaced ones do from the last of them.
    const throttle = t.app.auth.throttle
    const others = DEFAULT_THROTTLE.maxDevices - 3
    for (let i = 0; i < others; i++) for (let k = 0; k < 9; k++) throttle.failed(`user-${i % 400}`, '127.0.0.1', `minted-${i}`)

    // the last 3 over HTTP: bob mints a device cookie by signing in, and backs it off with wrong
    // passwords (5, then one after each back-off ends: 1 s, 2 s), so it is held for 4 s
    const minted: string[] = []
    for (let i = 0; i < 3; i++) minted.push((await login(t.url, 'bob', bob.password)).cookie!)
    for (const cookie of minted) for (let k = 0; k < 5; k++) expect((await login(t.url, 'bob', `wrong-${k}`, cookie)).status).toBe(401)
    for (const wait of [1100, 2100]) {
      await new Promise((r) => setTimeout(r, wait))
      for (const cookie of minted) expect((await login(t.url, 'bob', `wrong-after-${wait}`, cookie)).status).toBe(401)
    }
    expect(throttle.size.devices).toBe(DEFAULT_THROTTLE.maxDevices) // each minted cookie is a device of its own in the shared map

    // one more cookie of bob's, and a wrong guess with it: no room to count it (the map is full of back-offs)
    const another = (await login(t.url, 'bob', bob.password)).cookie!
    expect(deviceOf(another)).not.toBe(deviceOf(minted[0]))
    expect((await login(t.url, 'bob', 'wrong-again', another)).status).toBe(401)

    // the admin's browser, which never failed, brings its device cookie with the right password
    const admin = await login(t.url, DEFAULT_ADMIN.username, DEFAULT_ADMIN.password, adminBrowser)
    expect(admin.body.error?.message, 'the admin’s browser was refused').toBeUndefined()
    expect(admin.status).toBe(200)
  }, 60_000)

  it('hold one user to DEVICES_PER_USER device counts: their further devices are held as any client', () => {
    const throttle = new LoginThrottle()
    for (let i = 0; i < DEVICES_PER_USER + 20; i++) for (let k = 0; k < 5; k++) throttle.failed('bob', '127.0.0.1', `bob-${i}`)
    expect(throttle.size.devices).toBe(DEVICES_PER_USER)
    // the devices past the bound were counted as bob's guesses from this address: that pair is backed off
    expect(() => throttle.check('bob', '127.0.0.1')).toThrow(/too many failed sign-ins for user "bob"/)
    // a device already counted is still held only to its own failures, and another user's device is counted
    expect(() => throttle.check('bob', '127.0.0.1', 'bob-0')).toThrow(/in this browser/)
    throttle.failed('carol', '127.0.0.1', 'carol-0')
    expect(throttle.size.devices).toBe(DEVICES_PER_USER + 1)
  })
})
