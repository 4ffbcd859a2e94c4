// What trial9 (a new admin and a plain user, at 1280 px) found in the Users page and the sign-in
// form; each test fails before its fix.
import { resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { SHOTS, api, browserSuite, newUserAtLogin, poll, type BrowserSuite, type Served } from './support'

vi.setConfig({ testTimeout: 120_000 })

const VIEW = { width: 1280, height: 800 }
const suite: BrowserSuite = browserSuite(VIEW, { signedIn: true })
let served: Served
let page: Page
let token: string
beforeAll(() => ({ served, page, token } = suite))

describe('trial9', () => {
  it('Settings → Users: Add user with an empty Confirm password asks for it instead of saying the passwords differ', async () => {
    await page.goto(`${served.url}/#/settings`)
    const users = page.getByRole('region', { name: 'users', exact: true })
    await users.getByLabel('new user name').fill('carol')
    await users.getByLabel('new user password', { exact: true }).fill('carol-initial-1')
    await users.getByRole('button', { name: 'Add user' }).click()
    const alert = users.getByRole('alert')
    // was: "The two passwords differ: type the same one twice." with nothing typed a second time
    await poll(() => alert.textContent()).toBe('Type the password again in Confirm password.')
    expect(await users.getByLabel('confirm new user password').getAttribute('aria-invalid')).toBe('true')
    await page.screenshot({ path: resolve(SHOTS, 'trial9-new-user-empty-confirm.png') })
    await users.getByLabel('confirm new user password').fill('carol-initial-X')
    await users.getByRole('button', { name: 'Add user' }).click()
    await poll(() => alert.textContent()).toBe('The two passwords differ: type the same one twice.')
  })

  it('a plain user whose session an admin ended finds their own name on the sign-in form, not admin', async () => {
    const bob = await newUserAtLogin(suite, 'bob', 'bob-initial-1', VIEW)
    try {
      await bob.getByLabel('Repeat the new password').waitFor()
      await bob.getByLabel('New password (at least 8 characters)').fill('bob-own-pass-1')
      await bob.getByLabel('Repeat the new password').fill('bob-own-pass-1')
      await bob.getByRole('button', { name: 'Change password' }).click()
      await bob.getByRole('heading', { name: 'Jobs' }).waitFor()
      const { sessionsEnded } = await api(served.url, token, 'POST', '/api/v1/users/bob', { disabled: true })
      expect(sessionsEnded).toBe(1)
      // the disable's reason or the bare 401 after it, whichever the page hears first
      await poll(() => bob.getByRole('alert').textContent()).toMatch(/^Your session ended: /)
      // was "admin": bob's password typed under it counted as a failed sign-in of the admin
      expect(await bob.getByLabel('Username').inputValue()).toBe('bob')
      await bob.screenshot({ path: resolve(SHOTS, 'trial9-session-ended-name.png') })
    } finally {
      await bob.close()
    }
  })

  it('Settings → Users: a user who must change their password keeps "Last seen" on one line', async () => {
    await api(served.url, token, 'POST', '/api/v1/users', { username: 'dave', password: 'dave-initial-1', rights: [] })
    const { token: dave } = await (await fetch(`${served.url}/api/v1/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'dave', password: 'dave-initial-1' }) })).json()
    expect(dave).toBeTruthy() // signed in once: a date to show, not "never"
    await page.goto(`${served.url}/#/settings`)
    await page.reload() // the first test left the page on Settings: read the users anew
    const cell = page.locator('tr[data-user="dave"] td.num')
    await poll(() => cell.textContent()).not.toBe('never')
    await page.locator('tr[data-user="dave"]').getByText('(must change password)').waitFor()
    const lines = await cell.evaluate((td) => {
      const range = document.createRange()
      range.selectNodeContents(td)
      return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size
    })
    expect(lines).toBe(1) // was 2: "Dec 2, 2026," over "16:33:48" beside the wrapped name
    await cell.scrollIntoViewIfNeeded()
    await page.screenshot({ path: resolve(SHOTS, 'trial9-last-seen-one-line.png') })
  })
})
