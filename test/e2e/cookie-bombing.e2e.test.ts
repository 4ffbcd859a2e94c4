// Cookie bombing in a real browser (#9 LOW): cookies ignore ports, so a page on another port of this
// computer can set enough cookies for JobDesk's host that every request of JobDesk's pages carries a
// head over node's 16 KB and is refused 431, for as long as the cookies live. The 431 of a head with
// cookies now carries `Clear-Site-Data: "cookies"`: Chromium drops them, and the next load works.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { SHOTS, browserSuite, poll, type Served } from './support'

const suite = browserSuite({ width: 1300, height: 860 }, { signedIn: true })
let served: Served
let page: Page
let other: Server
let otherUrl: string

beforeAll(async () => {
  ;({ served, page } = suite)
  other = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>other</title>'))
  await new Promise<void>((done) => other.listen(0, '127.0.0.1', done))
  otherUrl = `http://${new URL(served.url).hostname}:${(other.address() as AddressInfo).port}/` // same host, another port
})
afterAll(() => new Promise<void>((done) => (other ? other.close(() => done()) : done())))

const jobdeskCookies = async () => (await page.context().cookies()).filter((c) => c.domain === new URL(served.url).hostname)

it('a page on another port that floods the host with cookies locks JobDesk out for one load only', async () => {
  await page.getByRole('navigation').waitFor()
  // the page on another port sets 8 cookies of 3,000 characters: 24 KB on every request to the host
  await page.goto(otherUrl)
  await page.evaluate(() => {
    for (let i = 0; i < 8; i++) document.cookie = `bomb${i}=${'x'.repeat(3000)}; path=/; max-age=86400`
  })
  // document.cookie hands them to Chromium's cookie store, which the context reads a moment later
  await poll(async () => (await jobdeskCookies()).filter((c) => c.name.startsWith('bomb')).length).toBe(8)

  const refused = await page.goto(served.url)
  expect(refused?.status()).toBe(431)
  expect(await refused?.headerValue('clear-site-data')).toBe('"cookies"')
  expect(await page.locator('body').innerText()).toMatch(/larger than 16 KB.*cookies included/)
  // before: every load kept failing 431 while the cookies lived (a day here)
  expect(await jobdeskCookies()).toEqual([])
  const loaded = await page.goto(served.url)
  expect(loaded?.status()).toBe(200)
  await page.getByRole('navigation').waitFor() // still signed in: the session is not a cookie
  await page.screenshot({ path: resolve(SHOTS, 'cookie-bombing.png') })
})
