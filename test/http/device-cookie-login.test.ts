// Device cookies (#9 §3): all of loopback is one client for the sign-in back-off, so any local
// process's wrong guesses at admin held up the admin's own browser sign-ins on this computer. A
// browser that signed in as a user now keeps a signed device cookie for them, and its sign-ins as
// that user wait only for its own failures; everyone else (no cookie, a forged one, another user's,
// an API client's login) backs off as before.
import { rmSync } from 'node:fs'
import { beforeAll, describe, expect, it } from 'vitest'
import { startApp } from '../../electron/app'
import { DEFAULT_ADMIN } from '../../electron/services/auth.service'
import { startTestApp, type TestApp } from '../support/app'
import { appSuiteWith } from '../support/app-suite'
import { movedClock } from '../support/moved-clock'
import { browserLogin } from '../support/users'
import { linkisClient } from '../linkis/support'

const ADMIN = DEFAULT_ADMIN

const login = browserLogin
// the apps' sign-in clock: a back-off is waited out by moving it ahead, not by sleeping through it
const clock = movedClock()

/** Five wrong guesses at `username` from a local process (loopback, no cookie): the pair at loopback backs off. */
async function localGuesses(url: string, username: string, n = 5): Promise<void> {
  for (let i = 0; i < n; i++) expect((await login(url, username, `wrong-guess-${i}`)).status).toBe(401)
}

describe('a browser that signed in as a user', () => {
  let t: TestApp
  const suite = appSuiteWith({ authNow: clock.now }, 'bob')
  beforeAll(() => ({ t } = suite))

  it('gets an HttpOnly, SameSite=Strict device cookie for that user, sent back only to the sign-in', async () => {
    const first = await login(t.url, ADMIN.username, ADMIN.password)
    expect(first.status).toBe(200)
    expect(first.setCookies).toHaveLength(1)
    const [c] = first.setCookies
    expect(c).toMatch(/^jobdesk_device_\d+=[\w-]+\.\d+\.[\w-]+;/)
    expect(c).toMatch(/; HttpOnly/i)
    expect(c).toMatch(/; SameSite=Strict/i)
    expect(c).toMatch(/; Path=\/api\/v1\/login(;|$)/)
    expect(c).toMatch(/; Max-Age=15552000/) // 180 days
    const again = await login(t.url, ADMIN.username, ADMIN.password, first.cookie)
    expect(again.cookie).not.toBe(first.cookie) // a fresh device id with each sign-in
    expect(again.cookie!.split('=')[0]).toBe(first.cookie!.split('=')[0]) // under the same name: one per user
  })

  it('signs in past a local process’s guesses at that user and at made-up names; without the cookie it waits', async () => {
    const browser = (await login(t.url, ADMIN.username, ADMIN.password)).cookie!
    await localGuesses(t.url, ADMIN.username)
    const plain = await login(t.url, ADMIN.username, ADMIN.password)
    expect(plain.status).toBe(429)
    expect(plain.body.error!.message).toMatch(/too many failed sign-ins for user "admin"/)
    const trusted = await login(t.url, ADMIN.username, ADMIN.password, browser)
    expect(trusted.status).toBe(200)
    // 20 failures from this computer under any names back off the address: not the browser
    for (let i = 0; i < 15; i++) await login(t.url, `spray-${i}`, 'password1')
    expect((await login(t.url, 'bob', 'bob-password-1')).status).toBe(429)
    expect((await login(t.url, ADMIN.username, ADMIN.password, trusted.cookie)).status).toBe(200)
  })

  it('is held to its own failures: five wrong passwords back off that browser, not another one', async () => {
    clock.pass(1100) // no cookie-less sign-in works until the back-offs above end
    const other = await login(t.url, ADMIN.username, ADMIN.password, undefined)
    const a = (await login(t.url, ADMIN.username, ADMIN.password)).cookie!
    expect(other.status).toBe(200)
    for (let i = 0; i < 5; i++) expect((await login(t.url, ADMIN.username, `typo-${i}`, a)).status).toBe(401)
    const held = await login(t.url, ADMIN.username, ADMIN.password, a)
    expect(held.status).toBe(429)
    expect(held.body.error!.message).toMatch(/too many failed sign-ins for user "admin" in this browser/)
    expect((await login(t.url, ADMIN.username, ADMIN.password, other.cookie)).status).toBe(200)
  })
})

describe('a browser’s password change', () => {
  let t: TestApp
  let bobsBrowser: string
  const suite = appSuiteWith({ authNow: clock.now }, 'bob', 'carol')
  beforeAll(() => ({ t } = suite))

  /** POST /api/v1/me/password with a session's token: the status, the JSON body and the cookies its answer sets, as a browser keeps them. */
  const changeOver = async (token: string, oldPassword: string, newPassword: string) => {
    const r = await fetch(`${t.url}/api/v1/me/password`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ oldPassword, newPassword }),
    })
    const setCookies = r.headers.getSetCookie()
    return { status: r.status, body: (await r.json()) as unknown, setCookies, cookie: setCookies.map((c) => c.split(';')[0]).join('; ') || undefined }
  }
  const change = async (token: string, oldPassword: string, newPassword: string) => (await changeOver(token, oldPassword, newPassword)).status

  it('is held to the device its session signed in with, not to a local process’s guesses', async () => {
    const browser = await login(t.url, 'bob', 'bob-password-1')
    await localGuesses(t.url, 'bob')
    const changed = await changeOver(browser.body.token!, 'bob-password-1', 'bob-password-2')
    expect(changed.status).toBe(200)
    bobsBrowser = changed.cookie!
    // a session no device cookie was set for (an API client's, signed in in-process) waits as before
    const { token } = await t.app.auth.login('carol', 'carol-password-1')
    await localGuesses(t.url, 'carol')
    expect(await change(token, 'carol-password-1', 'carol-password-2')).toBe(429)
  })

  it('answers that browser its device cookie anew: it keeps its trust; the old value vouches for nothing', async () => {
    const first = await login(t.url, 'bob', 'bob-password-2') // bob and this computer are backed off: only a trusted browser gets in
    expect(first.status).toBe(429)
    const browser = await login(t.url, 'bob', 'bob-password-2', bobsBrowser)
    expect(browser.status).toBe(200)
    const before = browser.cookie!
    const changed = await changeOver(browser.body.token!, 'bob-password-2', 'bob-password-3')
    expect(changed.status).toBe(200)
    expect(changed.setCookies).toHaveLength(1)
    const [c] = changed.setCookies
    expect(c).toMatch(/; HttpOnly/i)
    expect(c).toMatch(/; SameSite=Strict/i)
    expect(c).toMatch(/; Path=\/api\/v1\/login(;|$)/) // set by the change, sent back only to the sign-in
    const [name, value] = changed.cookie!.split('=')
    expect(name).toBe(before.split('=')[0]) // the same user's cookie
    expect(value).not.toBe(before.split('=')[1]) // signed anew, under the new password
    expect(value.split('.')[0]).toBe(before.split('=')[1].split('.')[0]) // the same device: its failures stay its own
    expect(changed.body).toEqual({ username: 'bob', isAdmin: false, mustChangePassword: false, rights: expect.any(Object) }) // the cookie is a header only
    clock.pass(1100) // the back-off of the first test ends; one more guess starts the next (2 s)
    expect((await login(t.url, 'bob', 'one-more-guess')).status).toBe(401)
    expect((await login(t.url, 'bob', 'bob-password-3')).status).toBe(429)
    expect((await login(t.url, 'bob', 'bob-password-3', before)).status).toBe(429) // issued under the old password (atk31)
    bobsBrowser = changed.cookie!
    expect((await login(t.url, 'bob', 'bob-password-3', bobsBrowser)).status).toBe(200)
  })

  it('gives none to a session that signed in without one, nor to an admin resetting another user’s password', async () => {
    const { token } = await t.app.auth.login('carol', 'carol-password-1')
    clock.pass(1100) // carol's back-off above ends
    const api = await changeOver(token, 'carol-password-1', 'carol-password-2')
    expect(api.status).toBe(200)
    expect(api.setCookies).toEqual([])
    const admin = await login(t.url, ADMIN.username, ADMIN.password)
    expect(admin.cookie).toMatch(/^jobdesk_device_/)
    const reset = await fetch(`${t.url}/api/v1/users/carol`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin.body.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ password: 'carol-reset-by-admin-1' }),
    })
    expect(reset.status).toBe(200)
    expect(reset.headers.getSetCookie()).toEqual([])
  })

  it('counts its wrong current passwords against that device: five, and it waits', async () => {
    const browser = await login(t.url, 'bob', 'bob-password-3', bobsBrowser)
    expect(browser.status).toBe(200)
    for (let i = 0; i < 5; i++) expect(await change(browser.body.token!, `not-it-${i}`, 'bob-password-4')).toBe(400)
    expect(await change(browser.body.token!, 'bob-password-3', 'bob-password-4')).toBe(429)
    expect((await login(t.url, 'bob', 'bob-password-3', browser.cookie)).status).toBe(429) // that browser's sign-ins too
  })
})

describe('what a device cookie does not vouch for', () => {
  let t: TestApp
  const suite = appSuiteWith({ authNow: clock.now }, 'bob')
  beforeAll(() => ({ t } = suite))

  it('a forged cookie, or another user’s under this user’s name, is a client like any other', async () => {
    const admin = (await login(t.url, ADMIN.username, ADMIN.password)).cookie!
    const bob = (await login(t.url, 'bob', 'bob-password-1')).cookie!
    const [adminName, adminValue] = admin.split('=')
    await localGuesses(t.url, ADMIN.username)
    const forged = adminValue.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')) // another device id under the same signature
    expect((await login(t.url, ADMIN.username, ADMIN.password, `${adminName}=${forged}`)).status).toBe(429)
    expect((await login(t.url, ADMIN.username, ADMIN.password, `${adminName}=${bob.split('=')[1]}`)).status).toBe(429)
    expect((await login(t.url, ADMIN.username, ADMIN.password, bob)).status).toBe(429) // bob's cookie, as bob's
    expect((await login(t.url, ADMIN.username, ADMIN.password, admin)).status).toBe(200)
  })

  it('an API client’s login (Linkis) neither gets one nor is vouched for by one it sends', async () => {
    clock.pass(1100)
    const admin = (await login(t.url, ADMIN.username, ADMIN.password)).cookie!
    const linkis = await fetch(`${t.url}/api/rest_j/v1/user/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: admin },
      body: JSON.stringify({ userName: ADMIN.username, password: ADMIN.password }),
    })
    expect(linkis.headers.getSetCookie().some((c) => c.startsWith('jobdesk_device_'))).toBe(false)
    await localGuesses(t.url, ADMIN.username)
    const refused = await linkisClient(t.url).login(ADMIN.username, ADMIN.password)
    expect(refused.body).toMatchObject({ status: 1, message: expect.stringContaining('too many failed sign-ins') })
    expect((await login(t.url, ADMIN.username, ADMIN.password, admin)).status).toBe(200)
  })
})

describe('after a restart', () => {
  it('a device cookie is still good (its key is kept in jobdesk.db)', async () => {
    const t = await startTestApp()
    const cookie = (await login(t.url, ADMIN.username, ADMIN.password)).cookie!
    await t.app.close()
    const app = await startApp({ dataDir: t.dir, host: '127.0.0.1', port: 0, concurrency: 1 })
    try {
      await localGuesses(app.url, ADMIN.username)
      expect((await login(app.url, ADMIN.username, ADMIN.password)).status).toBe(429)
      expect((await login(app.url, ADMIN.username, ADMIN.password, cookie)).status).toBe(200)
    } finally {
      await app.close()
      rmSync(t.dir, { recursive: true, force: true })
    }
  }, 60_000)
})
