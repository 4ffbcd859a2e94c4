// TuGraph sign-in over real HTTP (reference/tugraph.md §1.1–§1.2, §8 items 1–3, 6–8, 34, 35): login
// with `userName` or `user`, the JWT, refresh and logout revoking tokens, the token raw or after
// `Bearer `, the envelope on every path form, and CORS kept to JobDesk's own and configured origins.
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startApp, type JobDeskApp } from '../../electron/app'
import { createTuGraphSessions, MAX_TOKENS_PER_USER as TUGRAPH_MAX_TOKENS, TOKEN_REFRESH_MS } from '../../electron/http/dialects/tugraph/sessions'
import { createAuthService, DEFAULT_ADMIN, TOKEN_KINDS } from '../../electron/services/auth.service'
import { openStore } from '../../electron/store'
import { SETTING_KEYS } from '../../electron/store/setting-keys'
import { startTestApp, type TestApp } from '../support/app'
import { tempDir, tempStore } from '../support/temp-store'
import { addUser } from '../support/users'
import { expectError, expectOk, QUERY, tugraphClient } from './support'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp()
}, 30_000)
afterAll(() => t?.close())

const claimsOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8'))

describe('login (§8.1, §8.2)', () => {
  it('answers a token, the default-password flag and the admin flag, in the envelope', async () => {
    const c = tugraphClient(t.url)
    const r = await c.post('login', { userName: 'admin', password: '73@TuGraph' })
    const data = expectOk(r)
    expect(r.headers.get('content-type')).toMatch(/^application\/json/)
    expect(data).toEqual({ authorization: expect.any(String), jwt: data.authorization, default_password: true, is_admin: true })
    const [header, , signature] = data.authorization.split('.')
    expect(JSON.parse(Buffer.from(header, 'base64url').toString())).toEqual({ alg: 'HS256', typ: 'JWT' })
    expect(signature).toMatch(/^[\w-]{43}$/)
    const claims = claimsOf(data.authorization)
    expect(claims).toMatchObject({ iss: 'fma.ai', refresh_time: expect.stringMatching(/^\d{10}\.\d{6}$/), first_login_time: claims.refresh_time })
    expect(Math.abs(Number(claims.refresh_time) * 1000 - Date.now())).toBeLessThan(60_000)
  })

  it('takes `user` for `userName` (the legacy API), and says which field is missing', async () => {
    const c = tugraphClient(t.url)
    expect(expectOk(await c.post('login', { user: 'admin', password: '73@TuGraph' })).default_password).toBe(true)
    expectError(await c.post('login', { password: '73@TuGraph' }), '400', '`userName` is not specified.')
    expectError(await c.post('login', { userName: 'admin' }), '400', '`password` is not specified.')
    expectError(await c.post('login', { userName: 7, password: 'x' }), '400', /`userName`/)
  })

  it('refuses a wrong password with "Bad user/password." and backs off after repeated failures, even the right one', async () => {
    const c = tugraphClient(t.url)
    await addUser(t, 'mallory-target')
    for (let i = 0; i < 5; i++) expectError(await c.post('login', { userName: 'mallory-target', password: `wrong-${i}` }), '400', 'Bad user/password.')
    const backedOff = await c.post('login', { userName: 'mallory-target', password: 'mallory-target-password-1' })
    expectError(backedOff, '400', /^Too many login failures, please try again in \d+ seconds$/)
    // the seconds it says go in Retry-After too, as the native login's (it had none)
    const seconds = /in (\d+) seconds/.exec(backedOff.body.errorMessage)![1]
    expect(backedOff.headers.get('retry-after')).toBe(seconds)
    expectError(await c.post('login', { userName: 'nobody-at-all', password: 'x' }), '400', 'Bad user/password.')
  })

  it('is the same local users as every dialect: a user made in the native API signs in, not an admin, no default password', async () => {
    const u = await addUser(t, 'tg-login-user')
    const data = expectOk(await tugraphClient(t.url).post('login', { userName: u.username, password: u.password }))
    expect(data).toMatchObject({ default_password: false, is_admin: false })
  })
})

describe('tokens (§8.3, §8.7, §8.8)', () => {
  it('wants a token on every method but login: 401 without one, or with a forged one', async () => {
    const c = tugraphClient(t.url)
    expectError(await c.post('cypher', { graph: 'default', script: 'RETURN 1 AS x' }), '401', 'Authentication failed.')
    expectError(await c.post('import_progress', { taskId: 'x' }, { authorization: 'eyJhbGciOiJIUzI1NiJ9.e30.AAAA' }), '401', 'Authentication failed.')
    expectError(await c.post('import_progress', { taskId: 'x' }, { authorization: `Bearer ${t.token}` }), '401') // a native session is not a TuGraph token
  })

  it('takes the token raw or after "Bearer "', async () => {
    const c = tugraphClient(t.url)
    const token = await c.login()
    for (const authorization of [token, `Bearer ${token}`, `bearer ${token}`]) {
      expectError(await c.post('import_progress', { taskId: 'no-such-task' }, { authorization }), '400', 'Not a valid task id')
    }
  })

  it('refresh answers a new token with the same first login time; the old one stops working, the new one works', async () => {
    const c = tugraphClient(t.url)
    const t1 = await c.login()
    await new Promise((r) => setTimeout(r, 5))
    const data = expectOk(await c.post('refresh'))
    expect(data).toEqual({ authorization: expect.any(String), jwt: data.authorization })
    const t2 = data.authorization
    expect(t2).not.toBe(t1)
    expect(claimsOf(t2).first_login_time).toBe(claimsOf(t1).first_login_time)
    expect(Number(claimsOf(t2).refresh_time)).toBeGreaterThan(Number(claimsOf(t1).refresh_time))
    expectError(await c.post('import_progress', { taskId: 'x' }, { authorization: t1 }), '401')
    expectError(await c.post('refresh', undefined, { authorization: t1 }), '401')
    expectError(await c.post('import_progress', { taskId: 'x' }, { authorization: t2 }), '400', 'Not a valid task id')
  })

  it('logout answers data "" and the token is dead afterwards', async () => {
    const c = tugraphClient(t.url)
    await c.login()
    expect(expectOk(await c.post('logout'))).toBe('')
    expectError(await c.post('import_progress', { taskId: 'x' }), '401', 'Authentication failed.')
    expectError(await c.post('logout'), '401')
  })

  it('ends with a password change in the native API, and a disabled user’s tokens stop working', async () => {
    const u = await addUser(t, 'tg-revoked')
    const c = tugraphClient(t.url)
    await c.login(u.username, u.password)
    expect((await u.call('POST', '/api/v1/me/password', { oldPassword: u.password, newPassword: 'a-new-password-2' })).status).toBe(200)
    expectError(await c.post('import_progress', { taskId: 'x' }), '401')
    await c.login(u.username, 'a-new-password-2')
    expect((await t.call('POST', `/api/v1/users/${u.username}`, { disabled: true })).status).toBe(200)
    expectError(await c.post('import_progress', { taskId: 'x' }), '401')
  })
})

describe('token lifetimes (tugraph-db: src/db/token_manager.h)', () => {
  it('work 24 h after issue or refresh; refresh is refused 24 h after the first login ("token has timeout.")', async () => {
    let now = 1_700_000_000_000
    const { store, cleanup } = tempStore(() => now)
    try {
      const auth = createAuthService(store, () => now)
      await auth.ensureDefaultAdmin()
      const admin = store.users.findByUsername(DEFAULT_ADMIN.username)!
      const sessions = createTuGraphSessions(auth, store.settings)
      const first = sessions.issue(admin)
      now += 23 * 3600_000
      expect(sessions.actor(first).username).toBe('admin')
      const second = sessions.refresh(first, admin) // 23 h after the first login: allowed
      expect(() => sessions.actor(first)).toThrow('Authentication failed.')
      now += 2 * 3600_000 // 25 h after the first login, 2 h after the refresh
      expect(sessions.actor(second).username).toBe('admin')
      expect(() => sessions.refresh(second, admin)).toThrow('token has timeout.')
      now += TOKEN_REFRESH_MS // the second token's own 24 h are over
      expect(() => sessions.actor(second)).toThrow('token has already expire')
      expect(() => sessions.refresh(second, admin)).toThrow('token has timeout.')
    } finally {
      cleanup()
    }
  })
})

describe('cypher (§8.3–§8.6)', () => {
  it('wants a token, then checks its fields, then answers in any case', async () => {
    const c = tugraphClient(t.url)
    expectError(await c.post('cypher', { graph: 'default', script: 'RETURN 1 AS x' }), '401')
    await c.login()
    expectError(await c.post('cypher', { graph: 'default' }), '400', '`script` is not specified.')
    expect(expectOk(await c.post('Cypher', { graph: 'default', script: 'RETURN 1 AS x' }))).toEqual({ result: [{ x: 1 }] })
  }, 120_000) // the first query starts a query worker
})

describe('the live tokens of one user', () => {
  it('past the most one user may hold, a login is refused naming it, and none of the user’s tokens ends (TuGraph refuses; the store would end the oldest)', async () => {
    const u = await addUser(t, 'tg-many-tokens')
    const user = t.app.store.users.account(u.username)!
    for (let i = 0; i < TUGRAPH_MAX_TOKENS; i++) t.app.auth.storeToken(`held-${i}-${Math.random()}`, user, TOKEN_KINDS.tugraph, TOKEN_REFRESH_MS)
    const c = tugraphClient(t.url)
    expectError(await c.post('login', { userName: u.username, password: u.password }), '400', `${u.username} holds ${TUGRAPH_MAX_TOKENS} live tokens, the most one user may; log out unused sessions or wait until they expire`)
    expect(t.app.auth.liveTokenCount(user, TOKEN_KINDS.tugraph)).toBe(TUGRAPH_MAX_TOKENS)
  })
})

describe('authentication comes before the body', () => {
  it('answers a caller without a token 401 whatever the body: too large, broken, or an upload', async () => {
    const c = tugraphClient(t.url)
    expectError(await c.post('import_schema', '{"graph":'), '401')
    expectError(await c.post('upload_files', Buffer.alloc(17 * 1024 * 1024), { 'File-Name': 'x', 'Begin-Pos': '0', Size: String(17 * 1024 * 1024) }), '401')
  })
})

describe('paths and the envelope (§8.6, §8.35)', () => {
  it('serves every method under the prefix and at the root, in any case, with or without a trailing slash', async () => {
    const token = await tugraphClient(t.url).login()
    for (const path of [`${QUERY}/import_progress`, `${QUERY}/IMPORT_PROGRESS/`, '/import_progress', '/Import_Progress/']) {
      const res = await fetch(`${t.url}${path}`, { method: 'POST', headers: { authorization: token }, body: '{"taskId":"nope"}' }) // no content type, as curl -d sends a form one
      expect(res.status).toBe(200)
      expect(await res.json()).toEqual({ errorCode: '400', errorMessage: 'Not a valid task id' })
    }
    const root = tugraphClient(t.url, '')
    expect(expectOk(await root.post('login', { userName: 'admin', password: '73@TuGraph' })).authorization).toEqual(expect.any(String))
  })

  it('answers an unknown method "Unsupported method", also without a token; bad input anywhere in the envelope', async () => {
    const c = tugraphClient(t.url)
    expectError(await c.post('nosuch', {}), '400', 'Unsupported method')
    expectError(await c.post('constructor', {}), '400', 'Unsupported method')
    await c.login()
    expectError(await c.post('nosuch', {}), '400', 'Unsupported method')
    expectError(await c.post('login', '{"userName":'), '400', /^body is not valid JSON: /)
    expectError(await c.post('check_file', '[1,2]'), '400', 'the request body must be a JSON object')
    expectError(await c.post('check_file', '{"__proto__":{"isAdmin":true},"fileName":"a","flag":"2"}'), '400', /__proto__/)
    const get = await fetch(`${t.url}${QUERY}/login`)
    expectError({ status: get.status, body: await get.json(), headers: get.headers }, '400', 'Unsupported method')
    const deep = await fetch(`${t.url}/LGraphHttpService/other/thing`, { method: 'POST' })
    expectError({ status: deep.status, body: await deep.json(), headers: deep.headers }, '400', 'Unsupported method')
  })
})

describe('CORS (§8.34, and the one deviation: JobDesk’s origins only)', () => {
  let app: JobDeskApp
  let dir: string
  const allowed = 'http://tugraph-browser.example:7001'
  beforeAll(async () => {
    dir = tempDir()
    const store = openStore(join(dir, 'jobdesk.db'))
    store.settings.set(SETTING_KEYS.allowedOrigins, [allowed])
    store.close()
    app = await startApp({ dataDir: dir, host: '127.0.0.1', port: 0, concurrency: 2 })
  }, 30_000)
  afterAll(async () => {
    await app?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('answers a configured origin’s preflight allowing the upload headers, and its calls with its origin', async () => {
    const pre = await fetch(`${app.url}${QUERY}/upload_files`, {
      method: 'OPTIONS',
      headers: { origin: allowed, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,file-name,begin-pos,size,content-type' },
    })
    expect(pre.status).toBeLessThan(300)
    expect(pre.headers.get('access-control-allow-origin')).toBe(allowed)
    expect(pre.headers.get('access-control-allow-methods')).toContain('POST')
    for (const h of ['authorization', 'file-name', 'begin-pos', 'size']) expect(pre.headers.get('access-control-allow-headers')?.toLowerCase()).toContain(h)
    const res = await fetch(`${app.url}${QUERY}/login`, { method: 'POST', headers: { origin: allowed }, body: '{"userName":"admin","password":"73@TuGraph"}' })
    expect(res.headers.get('access-control-allow-origin')).toBe(allowed)
    expect((await res.json()).errorCode).toBe('200')
  })

  it('refuses a foreign origin in the envelope, without `*`: a web page cannot sign in with the default password', async () => {
    for (const method of ['OPTIONS', 'POST']) {
      const res = await fetch(`${app.url}${QUERY}/login`, { method, headers: { origin: 'http://evil.example' }, body: method === 'POST' ? '{"userName":"admin","password":"73@TuGraph"}' : undefined })
      expect(res.status).toBe(200)
      expect(res.headers.get('access-control-allow-origin')).toBeNull()
      expect(await res.json()).toEqual({ errorCode: '400', errorMessage: expect.stringContaining('origin http://evil.example') })
    }
    const res = await fetch(`${app.url}/login`, { method: 'POST', headers: { origin: 'http://evil.example' }, body: '{}' })
    expect(await res.json()).toMatchObject({ errorCode: '400' })
  })
})
