// Cookie tossing in a real browser (#9, atk9): a page on another port of this computer sets a Linkis
// session cookie of another user at a longer path; Chromium keeps it beside the user's own (cookies
// ignore ports) and sends it first. JobDesk refuses the ambiguous call saying so, and its answer
// clears both from Chromium's store, so the user's next sign-in works and acts as the user.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { SESSION_COOKIE } from '../../electron/http/dialects/linkis/auth'
import { createUser, type SignedInUser } from '../support/users'
import { browserSuite, type Served } from './support'

const suite = browserSuite({ width: 1300, height: 860 })
let served: Served
let page: Page
let bob: SignedInUser
let alice: SignedInUser
let other: Server
let otherUrl: string

beforeAll(async () => {
  ;({ served, page } = suite)
  bob = await createUser({ url: served.url, token: suite.token }, 'bob')
  alice = await createUser({ url: served.url, token: suite.token }, 'alice')
  // the page on another port: anything at all, its script is what counts
  other = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>other</title>'))
  await new Promise<void>((done) => other.listen(0, '127.0.0.1', done))
  otherUrl = `http://${new URL(served.url).hostname}:${(other.address() as AddressInfo).port}/` // same host, another port
})
afterAll(() => new Promise<void>((done) => (other ? other.close(() => done()) : done())))

/** A same-origin call from JobDesk's page (the console's way): status and JSON body. */
const fromPage = (path: string, body?: unknown) =>
  page.evaluate(
    async ([p, b]) => {
      const r = await fetch(p as string, b === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(b) })
      return { status: r.status, body: (await r.json()) as { status: number; message: string; data: { userName?: string } } }
    },
    [path, body] as const,
  )
const signIn = (user: SignedInUser) => fromPage('/api/rest_j/v1/user/login', { userName: user.username, password: user.password })
/** Chromium's cookies of that name for JobDesk's host, at every path. */
const sessionCookies = async () => (await page.context().cookies()).filter((c) => c.name === SESSION_COOKIE && c.domain === new URL(served.url).hostname)

it('refuses a call carrying a tossed session cookie, clears it and the own one, and the next sign-in is the user’s', async () => {
  const bobs = await fetch(`${served.url}/api/rest_j/v1/user/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userName: bob.username, password: bob.password }) })
  const bobsTicket = /=([^;]+)/.exec(bobs.headers.getSetCookie()[0])![1]
  await page.goto(served.url)
  expect((await signIn(alice)).status).toBe(200)
  expect((await fromPage('/api/rest_j/v1/user/userInfo')).body.data.userName).toBe('alice')

  // the user visits the page on another port (the suite's page owns its context: the same tab)
  await page.goto(otherUrl)
  await page.evaluate(([name, value]) => (document.cookie = `${name}=${value}; path=/api/rest_j/v1/user`), [SESSION_COOKIE, bobsTicket] as const)
  expect(await sessionCookies()).toHaveLength(2) // Chromium keeps both: the port made no difference
  await page.goto(served.url)

  const refused = await fromPage('/api/rest_j/v1/user/userInfo')
  expect(refused.status).toBe(401)
  expect(refused.body.message).toBe(`the request carries 2 ${SESSION_COOKIE} cookies: sign in again`)
  expect(await sessionCookies()).toHaveLength(0)

  expect((await signIn(alice)).status).toBe(200)
  expect((await fromPage('/api/rest_j/v1/user/userInfo')).body.data.userName).toBe('alice')
})
