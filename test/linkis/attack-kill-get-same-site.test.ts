// Attack (#9 §4, CSRF on cookie-authenticated routes): Linkis's kill is a GET (upstream's
// `GET /entrance/{execID}/kill`, also by task id) authenticated by the session cookie. The cookie
// is SameSite=Strict, but "site" ignores the port: a page on any other port of 127.0.0.1 (a dev
// server, another local web app, one a script started), or with remote on any page of the same
// registrable domain as an allowed host, is the same site, so its `<img src=".../entrance/75/kill">`
// carries the cookie. Such a GET has no Origin header, and security.ts lets a request without one
// through; nothing reads Sec-Fetch-Site. Task ids are small integers, so the page kills every job
// of whoever has JobDesk's Linkis console open. Measured over real HTTP (node out/main/serve.js):
// bob's running Linkis job 75 went `cancelled` after `GET /entrance/75/kill` with his cookie and
// `Sec-Fetch-Site: same-site`, `Sec-Fetch-Mode: no-cors`, `Sec-Fetch-Dest: image`, no Origin.
// Expected: a cookie-authenticated kill from a page that is not JobDesk's own origin is refused and
// the job keeps running; a client that is no browser (no Sec-Fetch headers, as the Linkis CLI and
// SDKs send) and JobDesk's own pages (same-origin) still kill.
// This test FAILS until state-changing GETs refuse cross-origin browser requests.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ENDED_STATUSES, startTestApp, waitForStatus, type TestApp } from '../support/app'
import { addUser } from '../support/users'
import { linkisClient } from './support'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp()
}, 60_000)
afterAll(() => t.close())

/** What a browser sends for `<img src>` from a page at http://127.0.0.1:<another port>/ (same site, another origin). */
const IMG_FROM_SAME_SITE = { 'sec-fetch-site': 'same-site', 'sec-fetch-mode': 'no-cors', 'sec-fetch-dest': 'image', referer: 'http://127.0.0.1:9/evil.html' }

describe('attack: a page of another origin on the same site kills Linkis jobs with GET /entrance/:id/kill', () => {
  it('refuses the cross-origin browser GET and the job keeps running; a plain client still kills it', async () => {
    const bob = await addUser(t, 'bob', { rights: ['scripts'] })
    const linkis = linkisClient(t.url)
    expect((await linkis.login('bob', bob.password)).body.status).toBe(0)
    const submitted = await linkis.submit('sleep 60', 'shell')
    expect(submitted.body.status, JSON.stringify(submitted.body)).toBe(0)
    const id: number = submitted.body.data.taskID
    await waitForStatus(t, id, ['running'])

    const forged = await linkis.call('GET', `/entrance/${id}/kill`, undefined, IMG_FROM_SAME_SITE)
    expect(forged.body.status, JSON.stringify(forged.body)).not.toBe(0)
    expect((await t.call('GET', `/api/v1/jobs/${id}`)).body.status).toBe('running')

    // the Linkis CLI and SDKs send no Sec-Fetch headers: their kill still works
    const plain = await linkis.call('GET', `/entrance/${id}/kill`)
    expect(plain.body.status, JSON.stringify(plain.body)).toBe(0)
    expect((await waitForStatus(t, id, ENDED_STATUSES)).status).toBe('cancelled')
  }, 60_000)
})
