// Device cookies in a real browser (#9 §3): the web UI's sign-in leaves Chromium a device cookie it
// keeps (HttpOnly, SameSite=Strict, for the sign-in path), and with it the admin signs in again right
// after a local process's wrong guesses at admin; a browser without one waits (the countdown).
// A password change in that browser answers it the cookie anew, so it keeps that trust.
import { resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { SHOTS, browserSuite, poll, type Served, mainNav } from './support'

const suite = browserSuite({ width: 1300, height: 860 })
let served: Served
let page: Page
beforeAll(() => ({ served, page } = suite))

/** Signs in through the login page with the default admin's password. */
async function signInOnPage(p: Page): Promise<void> {
  await p.getByLabel('Username').fill('admin')
  await p.getByLabel('Password').fill('73@TuGraph')
  await p.getByRole('button', { name: 'Sign in' }).click()
}

/** Wrong guesses at admin from a local process (this test, on loopback, no cookie). */
async function localGuesses(n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const r = await fetch(`${served.url}/api/v1/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: `guess-${i}` }) })
    expect(r.status).toBe(401)
  }
}

describe('the browser’s device cookie', () => {
  it('is kept by the browser at sign-in, and lets it sign in past a local process’s guesses', async () => {
    await page.goto(served.url)
    await signInOnPage(page)
    await page.getByRole('heading', { name: 'Jobs' }).waitFor()
    const cookies = await page.context().cookies(`${served.url}/api/v1/login`)
    const device = cookies.find((c) => c.name.startsWith('jobdesk_device_'))
    expect(device).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/api/v1/login' })
    expect(await page.evaluate(() => document.cookie)).not.toContain('jobdesk_device_') // not readable by scripts

    await page.getByRole('button', { name: 'Sign out' }).click()
    await page.getByRole('button', { name: 'Sign in' }).waitFor()
    await localGuesses(5)
    await signInOnPage(page)
    await page.getByRole('heading', { name: 'Jobs' }).waitFor()
    await page.screenshot({ path: resolve(SHOTS, 'device-cookie-signed-in.png') })
  })

  it('a browser without one waits while those guesses back off', async () => {
    const fresh = await suite.browser.newPage({ viewport: { width: 1300, height: 860 } })
    try {
      await fresh.goto(served.url)
      await fresh.getByLabel('Username').fill('admin')
      await fresh.getByLabel('Password').fill('73@TuGraph')
      // one more wrong guess counted (the sixth: the pair at loopback now waits 2 s), waiting out the first back-off if it still holds
      for (;;) {
        const r = await fetch(`${served.url}/api/v1/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'guess-again' }) })
        if (r.status === 401) break
        expect(r.status).toBe(429)
        await new Promise((done) => setTimeout(done, Number(r.headers.get('retry-after')) * 1000))
      }
      await fresh.getByRole('button', { name: 'Sign in' }).click()
      await poll(() => fresh.getByTestId('sign-in-retry').textContent()).toMatch(/Try again in \d+ s|You can try again now/)
      expect(await fresh.getByRole('alert').textContent()).toMatch(/too many failed sign-ins for user "admin"/i)
      await fresh.screenshot({ path: resolve(SHOTS, 'device-cookie-fresh-browser-waits.png') })
      // the first browser, with its cookie, goes straight in meanwhile
      await page.getByRole('button', { name: 'Sign out' }).click()
      await signInOnPage(page)
      await page.getByRole('heading', { name: 'Jobs' }).waitFor()
    } finally {
      await fresh.close()
    }
  })

  it('is kept through the browser’s own password change: it signs in past the guesses with the new password', async () => {
    const deviceCookie = async () => (await page.context().cookies(`${served.url}/api/v1/login`)).find((c) => c.name.startsWith('jobdesk_device_'))!
    const before = await deviceCookie()
    await mainNav(page, 'Settings')
    const form = page.getByRole('form', { name: 'change password' })
    await form.getByLabel('Current password').fill('73@TuGraph')
    await form.getByLabel(/New password/).fill('admin-changed-1')
    await form.getByLabel('Repeat the new password').fill('admin-changed-1')
    await form.getByRole('button', { name: 'Change password' }).click()
    await form.getByText('Password changed.', { exact: false }).waitFor()
    const after = await deviceCookie()
    expect(after.value).not.toBe(before.value) // signed anew under the new password (the old one vouches for nothing now)
    expect(after.value.split('.')[0]).toBe(before.value.split('.')[0]) // the same device
    expect(after).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/api/v1/login' })
    // a local process's wrong guess backs the pair at loopback off again (waiting out the last back-off if it still holds)
    const guess = (password: string) => fetch(`${served.url}/api/v1/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password }) })
    for (;;) {
      const r = await guess('guess-after-change')
      if (r.status === 401) break
      expect(r.status).toBe(429)
      await new Promise((done) => setTimeout(done, Number(r.headers.get('retry-after')) * 1000))
    }
    expect((await guess('admin-changed-1')).status).toBe(429) // a client without the cookie waits, with the right password
    await page.getByRole('button', { name: 'Sign out' }).click()
    await page.getByLabel('Username').fill('admin')
    await page.getByLabel('Password').fill('admin-changed-1')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByRole('heading', { name: 'Jobs' }).waitFor()
    await page.screenshot({ path: resolve(SHOTS, 'device-cookie-after-password-change.png') })
  })
})
