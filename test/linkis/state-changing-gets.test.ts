// GETs that change state (Linkis's kill, sign-out and proxy switch) act on the session cookie, and a
// page on another port of 127.0.0.1 is the same site: its `<img>` sends the cookie and no Origin.
// security.ts refuses such a request (Sec-Fetch-Site cross-site or same-site, a cookie, no Origin) on
// every CHANGES_STATE route, in the dialect's envelope; JobDesk's own pages, a URL typed in the
// address bar and clients that are no browser still get through.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../support/app'
import { addUser } from '../support/users'
import { linkisClient } from './support'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp()
  await addUser(t, 'carol', { rights: ['scripts'] })
}, 60_000)
afterAll(() => t.close())

const fromPage = (site: string) => ({ 'sec-fetch-site': site, 'sec-fetch-mode': 'no-cors', 'sec-fetch-dest': 'image' })

describe('Linkis GETs that change state, from a page of another origin', () => {
  it.each(['same-site', 'cross-site'])('refuses user/logout and user/proxy with Sec-Fetch-Site %s: 403 in the Linkis envelope, the session lives', async (site) => {
    const linkis = linkisClient(t.url)
    expect((await linkis.login()).body.status).toBe(0)
    const proxy = await linkis.call('GET', '/user/proxy?proxyUser=carol', undefined, fromPage(site))
    expect(proxy.status).toBe(403)
    expect(proxy.body).toMatchObject({ status: expect.any(Number), method: expect.any(String), message: expect.stringContaining(`Sec-Fetch-Site: ${site}`) })
    expect(proxy.body.status).toBe(3) // Linkis's forbidden (envelope.ts STATUS_OF_KIND)
    const logout = await linkis.call('GET', '/user/logout', undefined, fromPage(site))
    expect(logout.status).toBe(403)
    expect(logout.body.message).toContain('changes state')
    expect((await linkis.call('GET', '/user/userInfo')).body.status).toBe(0) // still signed in
  })

  it('lets JobDesk’s own pages (same-origin), a typed URL (none) and a plain client sign out', async () => {
    for (const site of ['same-origin', 'none', undefined]) {
      const linkis = linkisClient(t.url)
      expect((await linkis.login()).body.status).toBe(0)
      const out = await linkis.call('GET', '/user/logout', undefined, site ? fromPage(site) : {})
      expect(out.body.status, `${site}: ${JSON.stringify(out.body)}`).toBe(0)
      expect((await linkis.call('GET', '/user/userInfo')).body.status).not.toBe(0)
    }
  })

  it('reads (userInfo) are not refused from another origin’s page', async () => {
    const linkis = linkisClient(t.url)
    expect((await linkis.login()).body.status).toBe(0)
    expect((await linkis.call('GET', '/user/userInfo', undefined, fromPage('same-site'))).body.status).toBe(0)
  })
})
