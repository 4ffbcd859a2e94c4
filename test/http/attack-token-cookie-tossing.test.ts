// atk10: a tossed credential cookie of ANOTHER name than the user's own is not a repeated name, so
// cookies.ts's refusal of a repeated credential cookie never sees it. The Linkis dialect takes
// Token-Code and Token-User from cookies too (as Linkis does), and before the session cookie
// (linkis/auth.ts linkisActor): a page on another port of this computer that sets
// `Token-Code=<bob's token code>; Token-User=bob; path=/api/rest_j/v1/entrance` makes alice's Linkis
// console submit as bob, who then reads her code and results; and `Token-User=alice; Token-Code=x`
// (no credential at all) refuses every call of her console, never clears itself, and counts each as
// a failed sign-in of alice from her own address.
import { beforeAll, expect, it } from 'vitest'
import { SESSION_COOKIE } from '../../electron/http/dialects/linkis/auth'
import type { TestApp } from '../support/app'
import { appSuite } from '../support/app-suite'
import type { TestUser } from '../support/users'

let t: TestApp
let bob: TestUser
let alice: TestUser
const suite = appSuite('bob', 'alice')
beforeAll(async () => {
  ;({ t, users: { bob, alice } } = suite)
  // the admin gave bob a token for his own scripts
  expect((await t.call('POST', '/api/v1/settings/linkis', { tokens: [{ code: 'BOB-TOKEN-123456', users: ['bob'], hosts: ['*'], expiresAt: null }], proxyUsers: {} })).status).toBe(200)
})

/** alice's Linkis console sign-in: her session cookie. */
async function alicesSession(): Promise<string> {
  const res = await fetch(`${t.url}/api/rest_j/v1/user/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userName: alice.username, password: alice.password }) })
  expect(res.status).toBe(200)
  return res.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`))!.split(';')[0]
}

/** alice's console submits, with `tossed` cookies sent ahead of her own (the longer path first). */
const submit = (tossed: string, own: string) =>
  fetch(`${t.url}/api/rest_j/v1/entrance/submit`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: `${tossed}; ${own}` },
    body: JSON.stringify({ executionContent: { code: "select 'alice secret';", runType: 'sql' }, labels: { engineType: 'sql', userCreator: 'alice-IDE' } }),
  })

it("does not take alice's console request as bob's when bob's Token-Code and Token-User cookies were tossed in", async () => {
  const own = await alicesSession()
  const res = await submit('Token-Code=BOB-TOKEN-123456; Token-User=bob', own)
  const body = (await res.json()) as { status: number; data?: { taskID?: number } }
  const taskID = body.data?.taskID
  if (body.status === 0 && taskID !== undefined) {
    const seen = await bob.call('GET', `/api/v1/jobs/${taskID}`)
    expect(seen.status, `alice's submit with bob's token cookies tossed in became job ${taskID}, which bob reads: ${JSON.stringify(seen.body).slice(0, 200)}`).toBe(404)
  }
})

it('a tossed Token-User cookie with a made-up code is refused and cleared, so her console works again', async () => {
  const own = await alicesSession()
  const res = await submit('Token-Code=made-up; Token-User=alice', own)
  expect(res.status).toBe(401)
  const cleared = res.headers.getSetCookie().filter((c) => /^Token-(User|Code)=;/.test(c))
  expect(cleared.length, 'Set-Cookie clearing the tossed Token-User / Token-Code').toBeGreaterThan(0)
})

it("alice's console sending a tossed Token-User cookie does not hold up her own sign-in", async () => {
  const own = await alicesSession()
  for (let i = 0; i < 6; i++) await (await submit('Token-Code=made-up; Token-User=alice', own)).text()
  const login = await fetch(`${t.url}/api/rest_j/v1/user/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userName: alice.username, password: alice.password }) })
  expect(login.status, `alice's own sign-in after her console sent the tossed cookies: ${await login.text()}`).toBe(200)
})
