// Sessions end when they should, in every dialect: sign-out revokes the token; a password change ends
// the user's other sessions and tickets (native bearer, Linkis session cookie, proxy ticket, token-login
// session); an admin's reset or disabling ends them all (#8.2, #9.3).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../support/app'
import { addUser, callAs, signIn, type TestUser } from '../support/users'
import { linkisClient } from '../linkis/support'

let t: TestApp
let bob: TestUser
beforeAll(async () => {
  t = await startTestApp()
  bob = await addUser(t, 'bob', { rights: ['scripts'] })
  await t.call('POST', '/api/v1/settings/linkis', { tokens: [{ code: 'BOB-TOKEN-123456', users: ['bob'], hosts: ['*'], expiresAt: null }], proxyUsers: {} })
}, 60_000)
afterAll(() => t.close())

const me = (token: string) => fetch(`${t.url}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.status)
const rill = (token: string) => fetch(`${t.url}/flow/service_check.json`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.status)
const tokensOf = (username: string) =>
  (t.app.store.db.prepare('SELECT t.kind FROM tokens t JOIN users u ON u.id = t.user_id WHERE u.username = ? ORDER BY t.kind').all(username) as { kind: string }[]).map((r) => r.kind)

/** Every kind of session bob can hold: two native tokens, a Linkis password session with a proxy ticket, a token-login session. */
async function sessionsOfBob(password: string) {
  const a = await signIn(t, 'bob', password)
  const b = await signIn(t, 'bob', password)
  const linkis = linkisClient(t.url)
  expect((await linkis.login('bob', password)).body.status).toBe(0)
  expect((await linkis.call('GET', '/user/proxy?proxyUser=bob')).body.status).toBe(0)
  const tokenLogin = linkisClient(t.url)
  expect((await tokenLogin.call('POST', '/user/token-login', undefined, { 'Token-Code': 'BOB-TOKEN-123456', 'Token-User': 'bob' })).body.status).toBe(0)
  return { a, b, linkis, tokenLogin }
}

describe('sign-out', () => {
  it('revokes the native token (also for Rill Flow) and the Linkis session and proxy tickets', async () => {
    const { a, linkis } = await sessionsOfBob(bob.password)
    expect(await rill(a)).toBe(200)
    expect((await fetch(`${t.url}/api/v1/logout`, { method: 'POST', headers: { authorization: `Bearer ${a}` } })).status).toBe(200)
    expect(await me(a)).toBe(401)
    expect(await rill(a)).toBe(401) // not taken for the credential-less loopback caller
    const cookie = linkis.cookie // keep the old ticket values, as a thief would
    expect((await linkis.call('POST', '/user/logout')).body.status).toBe(0)
    const replayed = await fetch(`${t.url}/api/rest_j/v1/user/userInfo`, { headers: { cookie } })
    expect(replayed.status).toBe(401)
  })
})

describe('password change', () => {
  it('a wrong current password is a form error and ends nothing', async () => {
    const r = await bob.call('POST', '/api/v1/me/password', { oldPassword: 'not-it', newPassword: 'whatever-123' })
    expect(r.status).toBe(400)
    expect(r.body.error).toMatchObject({ code: 'wrong_password', field: 'oldPassword' })
    expect(await me(bob.token)).toBe(200)
  })

  it('ends every other session and ticket of the user in every dialect; the one it came through stays', async () => {
    const { a, b, linkis, tokenLogin } = await sessionsOfBob(bob.password)
    expect(tokensOf('bob')).toEqual(expect.arrayContaining(['linkis', 'linkis-proxy', 'linkis-token', 'session']))
    const adminSession = await me(t.token)
    const changed = await fetch(`${t.url}/api/v1/me/password`, {
      method: 'POST',
      headers: { authorization: `Bearer ${a}`, 'content-type': 'application/json' },
      body: JSON.stringify({ oldPassword: bob.password, newPassword: 'bobs-new-password' }),
    })
    expect(changed.status).toBe(200)
    expect(await me(a)).toBe(200)
    expect(await me(b)).toBe(401)
    expect(await me(bob.token)).toBe(401)
    expect(await rill(b)).toBe(401)
    expect((await linkis.call('GET', '/user/userInfo')).status).toBe(401)
    expect((await tokenLogin.call('GET', '/user/userInfo')).status).toBe(401)
    expect(tokensOf('bob')).toEqual(['session'])
    expect(await me(t.token)).toBe(adminSession) // other users keep theirs
    bob.password = 'bobs-new-password'
    bob.token = a
  })
})

describe('admin actions on an account', () => {
  it('a password reset ends all of the user’s sessions and makes them choose a new password', async () => {
    const { a, linkis } = await sessionsOfBob(bob.password)
    const held = tokensOf('bob').length // native, Linkis session and ticket, token-login: all live
    expect(held).toBeGreaterThanOrEqual(5)
    const reset = await t.call('POST', '/api/v1/users/bob', { password: 'reset-by-admin-1' })
    // the Users page says how many sessions the reset ended
    expect(reset.body).toMatchObject({ username: 'bob', mustChangePassword: true, sessionsEnded: held })
    expect(await me(a)).toBe(401)
    expect((await linkis.call('GET', '/user/userInfo')).status).toBe(401)
    expect(tokensOf('bob')).toEqual([])
    const again = await signIn(t, 'bob', 'reset-by-admin-1')
    expect(((await (await fetch(`${t.url}/api/v1/me`, { headers: { authorization: `Bearer ${again}` } })).json()) as { mustChangePassword: boolean }).mustChangePassword).toBe(true)
    // the reset password opens nothing else until bob chooses his own (#9)
    expect((await callAs(t, again)('POST', '/api/v1/me/password', { oldPassword: 'reset-by-admin-1', newPassword: 'bobs-own-again-1' })).status).toBe(200)
    bob.password = 'bobs-own-again-1'
  })

  it('a disabled user’s tokens stop working, they cannot sign in, and no Linkis token acts as them', async () => {
    const { a, tokenLogin } = await sessionsOfBob(bob.password)
    const held = tokensOf('bob').length
    // an expired session is cleared with the rest but not counted as ended
    t.app.store.db.prepare("UPDATE tokens SET expires_at = 1 WHERE token_hash = (SELECT t.token_hash FROM tokens t JOIN users u ON u.id = t.user_id WHERE u.username = 'bob' AND t.kind = 'session' LIMIT 1 OFFSET 1)").run()
    const disabled = await t.call('POST', '/api/v1/users/bob', { disabled: true })
    expect(disabled.body).toMatchObject({ disabled: true, sessionsEnded: held - 1 })
    expect(tokensOf('bob')).toEqual([])
    expect(await me(a)).toBe(401)
    expect((await tokenLogin.call('GET', '/user/userInfo')).status).toBe(401)
    const login = await fetch(`${t.url}/api/v1/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'bob', password: bob.password }) })
    expect(login.status).toBe(403)
    expect(((await login.json()) as { error: { code: string } }).error.code).toBe('account_disabled')
    const perCall = await fetch(`${t.url}/api/rest_j/v1/user/userInfo`, { headers: { 'Token-Code': 'BOB-TOKEN-123456', 'Token-User': 'bob' } })
    expect(perCall.status).toBe(401)
    expect((await t.call('POST', '/api/v1/users/bob', { disabled: false })).body).toMatchObject({ disabled: false, sessionsEnded: 0 })
    expect(await me(await signIn(t, 'bob', bob.password))).toBe(200)
  })
})
