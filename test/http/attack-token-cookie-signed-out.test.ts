// Linkis takes Token-Code and Token-User as cookies too, and JobDesk refused them only beside the
// caller's own credential (linkis/auth.ts tokenCookieActor; attack-token-cookie-tossing.test.ts). A
// signed-out browser carrying bob's pair (tossed in by a page on another port of this computer, which
// cookies ignore, or left over) was taken as bob: a page of any site can then have that browser act as
// bob (an <img> or a link sends the cookies, and no Origin), and JobDesk's own Linkis console, signed
// out, submits its user's code as bob, where bob reads it. Linkis's clients send the pair as headers
// (linkis-gateway-httpclient-support TokenAuthenticationStrategy: authToHeaders, no cookies); a
// browser never needs it as cookies (the console signs in, or swaps the pair for a session with
// token-login), so in a browser's request (Sec-Fetch-Site or Origin) the cookies are refused in
// Linkis's envelope naming why, and cleared. A client that is no browser may still send them.
import { beforeAll, expect, it } from 'vitest'
import type { TestApp } from '../support/app'
import { appSuite } from '../support/app-suite'
import type { TestUser } from '../support/users'

let t: TestApp
let bob: TestUser
const suite = appSuite('bob')
beforeAll(async () => {
  ;({ t, users: { bob } } = suite)
  // the admin gave bob a token for his own scripts
  expect((await t.call('POST', '/api/v1/settings/linkis', { tokens: [{ code: 'BOB-TOKEN-123456', users: ['bob'], hosts: ['*'], expiresAt: null }], proxyUsers: {} })).status).toBe(200)
})

const PAIR = 'Token-Code=BOB-TOKEN-123456; Token-User=bob'
/** What a browser adds to a request: a page of another site loading an image, JobDesk's own page calling its API. */
const CROSS_SITE_IMAGE = { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'no-cors', 'sec-fetch-dest': 'image' }
const ownPage = () => ({ 'sec-fetch-site': 'same-origin', 'sec-fetch-mode': 'cors', 'sec-fetch-dest': 'empty', origin: t.url })

const userInfo = (headers: Record<string, string>) => fetch(`${t.url}/api/rest_j/v1/user/userInfo`, { headers })
/** The names a Set-Cookie list clears. */
const cleared = (res: Response) => new Set(res.headers.getSetCookie().filter((c) => /Max-Age=0/.test(c)).map((c) => c.split('=')[0]))

/** Expects `res` refused in Linkis's envelope for token cookies sent by a browser, both cleared. */
async function expectRefused(res: Response): Promise<void> {
  expect(res.status).toBe(401)
  const body = (await res.json()) as { status: number; message: string; data?: unknown }
  expect(body.status).toBe(-1)
  expect(body.message).toMatch(/Token-Code\/Token-User cookies came from a browser/)
  expect([...cleared(res)].sort()).toEqual(['Token-Code', 'Token-User'])
}

it('a signed-out browser carrying bob’s token cookies, led by another site’s image, is not taken as bob', async () => {
  const res = await userInfo({ cookie: PAIR, ...CROSS_SITE_IMAGE })
  // before: 200, userName bob
  await expectRefused(res)
})

it('JobDesk’s own Linkis console, signed out with bob’s token cookies tossed in, does not submit as bob', async () => {
  const before = (await bob.call('GET', '/api/v1/jobs')).body.items.length
  const res = await fetch(`${t.url}/api/rest_j/v1/entrance/submit`, {
    method: 'POST',
    headers: { cookie: PAIR, 'content-type': 'application/json', ...ownPage() },
    body: JSON.stringify({ executionContent: { code: "select 'her secret';", runType: 'sql' }, labels: { engineType: 'sql', userCreator: 'IDE' } }),
  })
  await expectRefused(res)
  expect((await bob.call('GET', '/api/v1/jobs')).body.items.length, 'no job of bob’s').toBe(before)
})

it('a browser that sends an Origin but no Sec-Fetch-* headers (an older one) is refused the same', async () => {
  await expectRefused(await userInfo({ cookie: PAIR, origin: t.url }))
})

it('a client that is no browser may still send the pair as cookies, as Linkis takes them; in a browser the pair works as headers, and a cookie does not complete half of it', async () => {
  // Node's fetch sends Sec-Fetch-Mode: cors of its own: that alone is no browser
  const script = await userInfo({ cookie: PAIR })
  expect(script.status).toBe(200)
  expect(((await script.json()) as { data: { userName: string } }).data.userName).toBe('bob')
  const headers = await userInfo({ 'Token-Code': 'BOB-TOKEN-123456', 'Token-User': 'bob', ...ownPage() })
  expect(headers.status).toBe(200)
  expect(((await headers.json()) as { data: { userName: string } }).data.userName).toBe('bob')
  // in a browser a tossed Token-Code cookie does not complete a Token-User header of its page's
  const half = await userInfo({ 'Token-User': 'bob', cookie: 'Token-Code=BOB-TOKEN-123456', ...ownPage() })
  expect(half.status).toBe(401)
  expect(((await half.json()) as { message: string }).message).toMatch(/specify both Token-Code and Token-User/)
})
