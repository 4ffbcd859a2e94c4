// One credential, one identity: a Token-Code/Token-User pair grants the same user, role and rights
// per call and through token-login, never more than the user it names; a non-admin token is never
// admin (#8.3). Sessions of one dialect are no credential in another where that would grant more.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../support/app'
import { addUser } from '../support/users'
import { linkisClient } from './support'
import { SETTING_KEYS } from '../../electron/store/setting-keys'

let t: TestApp
let bobJob = 0
const LOOPBACK = ['127.0.0.1', '::1', '::ffff:127.0.0.1']

beforeAll(async () => {
  t = await startTestApp()
  const bob = await addUser(t, 'bob', { rights: ['scripts'] })
  await addUser(t, 'carol')
  bobJob = (await bob.call('POST', '/api/v1/jobs', { type: 'script', language: 'sql', code: 'select 1' })).body.id
  const tokens = [
    { code: 'ETL-NOACCOUNT-12', users: ['hadoop'], hosts: ['*'], expiresAt: null },
    { code: 'OPS-PLAIN-123456', users: ['admin', 'x'], hosts: LOOPBACK, expiresAt: null },
    { code: 'admin-FOR-CAROL-0123456', users: ['carol'], hosts: ['*'], expiresAt: null },
    { code: 'admin-REAL-123456789012', users: ['admin'], hosts: ['*'], expiresAt: null },
  ]
  expect((await t.call('POST', '/api/v1/settings/linkis', { tokens, proxyUsers: {} })).status).toBe(200)
}, 60_000)
afterAll(() => t.close())

type Call = ReturnType<typeof linkisClient>['call']

/** What a caller can do: who they are, whether shell and SQL run, whether executeUser is honoured, whether bob's job is visible. */
async function powers(call: Call) {
  const info = (await call('GET', '/user/userInfo')).body.data
  const submit = (runType: string, code: string, extra: object = {}) =>
    call('POST', '/entrance/submit', { executionContent: { code, runType }, labels: { engineType: runType === 'sql' ? 'jdbc-4' : 'shell-1' }, ...extra })
  const shell = await submit('sh', 'echo hi')
  const sql = await submit('sql', 'select 1', { executeUser: 'someone-else' })
  const ranAs = sql.body.data?.taskID ? t.app.store.jobs.get(sql.body.data.taskID)!.labels.executeUser : null
  const seesBob = (await call('GET', `/jobhistory/${bobJob}/get`)).body.status === 0
  const adminView = (await call('GET', '/jobhistory/list?isAdminView=true&pageSize=500')).body.data.tasks.some((x: { umUser: string }) => x.umUser === 'bob')
  return { userName: info.userName, isAdmin: info.isAdmin, shell: shell.body.status === 0, sql: sql.body.status === 0, ranAs, seesBob: seesBob || adminView }
}

/** The same pair two ways: its headers on every call, and the session token-login gives for it. */
async function bothWays(code: string, user: string) {
  const perCall = linkisClient(t.url)
  const headers = { 'Token-Code': code, 'Token-User': user }
  const viaHeaders: Call = (method, path, body, h = {}) => perCall.call(method, path, body, { ...headers, ...h })
  const session = linkisClient(t.url)
  const login = await session.call('POST', '/user/token-login', undefined, headers)
  expect(login.body.status, JSON.stringify(login.body)).toBe(0)
  const [a, b] = [await powers(viaHeaders), await powers(session.call)]
  expect(login.body.data).toEqual({ userName: a.userName, isAdmin: a.isAdmin })
  return { perCall: a, tokenLogin: b, session }
}

describe('a Token-Code/Token-User pair grants the same identity per call and through token-login', () => {
  it('a Token-User without a local account: a plain user, SQL only, both ways (token-login no longer 401s)', async () => {
    const { perCall, tokenLogin } = await bothWays('ETL-NOACCOUNT-12', 'hadoop')
    expect(perCall).toEqual({ userName: 'hadoop', isAdmin: false, shell: false, sql: true, ranAs: 'hadoop', seesBob: false })
    expect(tokenLogin).toEqual(perCall)
  })

  it('a non-admin token whose users include admin acts as admin’s name, never with admin’s role', async () => {
    const { perCall, tokenLogin } = await bothWays('OPS-PLAIN-123456', 'admin')
    expect(perCall).toEqual({ userName: 'admin', isAdmin: false, shell: false, sql: true, ranAs: 'admin', seesBob: false })
    expect(tokenLogin).toEqual(perCall)
  })

  it('an admin- token naming a non-admin user gives that user’s rights only', async () => {
    const { perCall, tokenLogin } = await bothWays('admin-FOR-CAROL-0123456', 'carol')
    expect(perCall).toEqual({ userName: 'carol', isAdmin: false, shell: false, sql: true, ranAs: 'carol', seesBob: false })
    expect(tokenLogin).toEqual(perCall)
  })

  it('an admin- token naming an admin is admin both ways', async () => {
    const { perCall, tokenLogin } = await bothWays('admin-REAL-123456789012', 'admin')
    expect(perCall).toEqual({ userName: 'admin', isAdmin: true, shell: true, sql: true, ranAs: 'someone-else', seesBob: true })
    expect(tokenLogin).toEqual(perCall)
  })

  it('a token-login session is checked again on every call: removing or narrowing the token ends it', async () => {
    const { session } = await bothWays('ETL-NOACCOUNT-12', 'hadoop')
    const current = (await t.call('GET', '/api/v1/settings/linkis')).body.tokens as { id: string; users: string[]; hosts: string[]; expiresAt: number | null }[]
    const narrowed = current.map((x) => ({ id: x.id, users: x.users.includes('hadoop') ? ['someone'] : x.users, hosts: x.hosts, expiresAt: x.expiresAt }))
    await t.call('POST', '/api/v1/settings/linkis', { tokens: narrowed, proxyUsers: {} })
    const r = await session.call('GET', '/user/userInfo')
    expect(r.status).toBe(401)
    expect(r.body.message).toContain('Illegal TokenUser')
  })
})

describe('tokens stored before codes were hashed', () => {
  it('keep working, and Settings shows them masked', async () => {
    const before = t.app.store.settings.get(SETTING_KEYS.linkisTokens, [])
    t.app.store.settings.set(SETTING_KEYS.linkisTokens, [{ name: 'LEGACY-CODE-0042', users: ['*'], hosts: ['*'], expiresAt: null }])
    const r = await linkisClient(t.url).call('GET', '/user/userInfo', undefined, { 'Token-Code': 'LEGACY-CODE-0042', 'Token-User': 'carol' })
    expect(r.body.data).toEqual({ userName: 'carol', isAdmin: false })
    const seen = await t.call('GET', '/api/v1/settings/linkis')
    expect(seen.body.tokens).toEqual([{ id: expect.any(String), masked: '••••••042', admin: false, users: ['*'], hosts: ['*'], expiresAt: null }])
    t.app.store.settings.set(SETTING_KEYS.linkisTokens, before)
  })
})

describe('no way in grants more than another for the same credential', () => {
  it('a token-login session or a proxy ticket is no native or Rill Flow bearer token', async () => {
    const { session } = await bothWays('OPS-PLAIN-123456', 'admin')
    const ticket = session.cookie.split('=')[1]
    for (const path of ['/api/v1/me', '/api/v1/jobs', '/flow/service_check.json']) {
      expect((await fetch(`${t.url}${path}`, { headers: { authorization: `Bearer ${ticket}` } })).status, path).toBe(401)
    }
    const linkis = linkisClient(t.url)
    await linkis.login()
    await linkis.call('GET', '/user/proxy?proxyUser=etl')
    const proxy = /linkis_user_session_proxy_ticket_id_v1=([^;]+)/.exec(linkis.cookie)![1]
    expect((await fetch(`${t.url}/api/v1/me`, { headers: { authorization: `Bearer ${proxy}` } })).status).toBe(401)
    expect((await fetch(`${t.url}/api/rest_j/v1/user/userInfo`, { headers: { cookie: `linkis_user_session_ticket_id_v1=${proxy}` } })).status).toBe(401)
  })

  it('a native session acts in Linkis with the same role and rights, no more', async () => {
    const carol = await fetch(`${t.url}/api/v1/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'carol', password: 'carol-password-1' }) })
    const { token } = (await carol.json()) as { token: string }
    const viaBearer: Call = (method, path, body, h = {}) => linkisClient(t.url).call(method, path, body, { authorization: `Bearer ${token}`, ...h })
    expect(await powers(viaBearer)).toEqual({ userName: 'carol', isAdmin: false, shell: false, sql: true, ranAs: 'carol', seesBob: false })
  })
})
