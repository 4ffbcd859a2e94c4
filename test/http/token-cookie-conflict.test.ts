// Linkis Token-Code/Token-User cookies beside the caller's own credential (linkis/auth.ts
// tokenCookieActor, #9 atk10): a page on another port of this computer can set them, so they are
// refused (401, Linkis's envelope naming the conflict) and cleared at every path the tossed ones can
// have, never taken over the session cookie or a bearer token; the same pair as HEADERS (what Linkis
// clients send) works as before. The attack itself: attack-token-cookie-tossing.test.ts.
import { beforeAll, expect, it } from 'vitest'
import { SESSION_COOKIE } from '../../electron/http/dialects/linkis/auth'
import type { TestApp } from '../support/app'
import { appSuite } from '../support/app-suite'
import type { TestUser } from '../support/users'

let t: TestApp
let alice: TestUser
const suite = appSuite('bob', 'alice')
beforeAll(async () => {
  ;({ t, users: { alice } } = suite)
  expect((await t.call('POST', '/api/v1/settings/linkis', { tokens: [{ code: 'BOB-TOKEN-123456', users: ['bob'], hosts: ['*'], expiresAt: null }], proxyUsers: {} })).status).toBe(200)
})

async function alicesSession(): Promise<string> {
  const res = await fetch(`${t.url}/api/rest_j/v1/user/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userName: alice.username, password: alice.password }) })
  expect(res.status).toBe(200)
  return res.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`))!.split(';')[0]
}

const ENTRANCE = '/api/rest_j/v1/entrance/no-such-exec/status'
const userInfo = (headers: Record<string, string>) => fetch(`${t.url}/api/rest_j/v1/user/userInfo`, { headers })
/** The paths a Set-Cookie list clears `name` at. */
const clearedPaths = (res: Response, name: string) =>
  res.headers
    .getSetCookie()
    .filter((c) => c.startsWith(`${name}=;`) && /Max-Age=0/.test(c))
    .map((c) => /Path=([^;]*)/.exec(c)![1])

it('bob’s pair tossed beside alice’s session cookie: 401 naming the conflict, both cleared at the tossed path too', async () => {
  const own = await alicesSession()
  const res = await fetch(`${t.url}${ENTRANCE}`, { headers: { cookie: `Token-Code=BOB-TOKEN-123456; Token-User=bob; ${own}` } })
  expect(res.status).toBe(401)
  const body = (await res.json()) as { status: number; message: string }
  expect(body.status).toBe(-1)
  expect(body.message).toMatch(/Token-Code\/Token-User cookies came beside the session cookie/)
  for (const name of ['Token-Code', 'Token-User']) expect(clearedPaths(res, name)).toEqual(expect.arrayContaining(['/', '/api/rest_j/v1/entrance']))
  // her session is untouched: without the tossed cookies she is herself
  expect(((await (await userInfo({ cookie: own })).json()) as { data: { userName: string } }).data.userName).toBe(alice.username)
  // the pair as headers (what Linkis clients send) cannot be tossed: it acts as bob beside any cookies, as before
  const headers = await userInfo({ 'Token-Code': 'BOB-TOKEN-123456', 'Token-User': 'bob', cookie: `Token-Code=made-up; Token-User=${alice.username}; ${own}` })
  expect(((await headers.json()) as { data: { userName: string } }).data.userName).toBe('bob')
})

it('bob’s pair tossed beside alice’s bearer token is refused, not taken as bob', async () => {
  const res = await userInfo({ authorization: `Bearer ${alice.token}`, cookie: 'Token-Code=BOB-TOKEN-123456; Token-User=bob' })
  const body = (await res.json()) as { status: number; data?: { userName?: string } }
  expect(body.data?.userName).not.toBe('bob')
  expect(res.status).toBe(401)
})

it('a lone tossed Token-User cookie beside her session is cleared, not left to refuse every call', async () => {
  const own = await alicesSession()
  const res = await userInfo({ cookie: `Token-User=${alice.username}; ${own}` })
  expect(res.status).toBe(401)
  expect(clearedPaths(res, 'Token-User')).toContain('/')
})
