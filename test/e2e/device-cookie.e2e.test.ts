// Device cookies in a real browser (#9 §3): the web UI's sign-in leaves Chromium a device cookie it
// keeps (HttpOnly, SameSite=Strict, for the sign-in path), and with it the admin signs in again right
// after a local process's wrong guesses at admin; a browser without one waits (the countdown).
import { resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { SHOTS, browserSuite, poll, type Served } from './support'

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
})
