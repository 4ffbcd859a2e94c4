// Users (#9.3): admins create users, change their role and rights, disable them and reset passwords,
// through the native API (the same operations IPC calls); roles admin and user; the default admin
// password keeps working from loopback; the scripts right gates shell and python in every dialect.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hashPassword } from '../../electron/services/passwords'
import { startTestApp, waitForStatus, type TestApp } from '../support/app'
import { addUser, createUser, signIn, type TestUser } from '../support/users'
import { linkisClient } from '../linkis/support'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp()
}, 60_000)
afterAll(() => t.close())

describe('users API (admins only)', () => {
  it('creates users, lists them, and refuses bad names, duplicates and reserved names', async () => {
    const made = await t.call('POST', '/api/v1/users', { username: 'Dana', password: 'dana-password-1', role: 'user' })
    expect(made.status).toBe(201)
    expect(made.body).toMatchObject({ username: 'dana', role: 'user', disabled: false, rights: [], mustChangePassword: true, lastSeenAt: null })
    const list = await t.call('GET', '/api/v1/users')
    expect(list.body.map((u: { username: string; role: string }) => [u.username, u.role])).toEqual([['admin', 'admin'], ['dana', 'user']])
    expect(JSON.stringify(list.body)).not.toMatch(/scrypt|password_?hash/i)
    for (const [body, code] of [
      [{ username: 'dana', password: 'another-one-1' }, 'user_exists'],
      [{ username: '../etc', password: 'another-one-1' }, 'bad_username'],
      [{ username: 'rillflow', password: 'another-one-1' }, 'reserved_username'],
      [{ username: 'eve', password: 'short' }, 'weak_password'],
      [{ username: 'eve', password: '73@TuGraph' }, 'default_password'],
    ] as const) {
      const r = await t.call('POST', '/api/v1/users', body)
      expect(r.body.error?.code, JSON.stringify(body)).toBe(code)
    }
    expect((await t.call('POST', '/api/v1/users', { username: 'eve', password: 'eve-password-1', role: 'root' })).status).toBe(400)
    expect((await t.call('POST', '/api/v1/users/nobody', { disabled: true })).status).toBe(404)
  })

  it('keeps when a user was last seen after their sessions end (a disable, a reset, a sign-out)', async () => {
    await t.call('POST', '/api/v1/users', { username: 'lena', password: 'lena-password-1' })
    const before = Date.now()
    expect(await signIn(t, 'lena', 'lena-password-1')).toBeTruthy() // a sign-in is being seen
    const seen = async () => ((await t.call('GET', '/api/v1/users')).body as { username: string; lastSeenAt: number | null }[]).find((u) => u.username === 'lena')!.lastSeenAt
    const atSignIn = await seen()
    expect(atSignIn).toBeGreaterThanOrEqual(before)
    expect((await t.call('POST', '/api/v1/users/lena', { disabled: true })).body.sessionsEnded).toBe(1)
    // was: "never" as soon as her tokens were gone (it was read from them)
    expect(await seen()).toBe(atSignIn)
  })

  it('refuses names Windows or macOS would make another user’s upload folder or no folder, naming the rule', async () => {
    for (const username of ['gina.', 'gina..', 'CON', 'Nul.txt', 'lpt9.tar.gz', 'com0', 'aux.']) {
      const r = await t.call('POST', '/api/v1/users', { username, password: 'other-password-1' })
      expect(r.status, username).toBe(400)
      expect(r.body.error, username).toMatchObject({ code: 'username_aliases_folder', field: 'username' })
    }
    expect((await t.call('POST', '/api/v1/users', { username: 'x.', password: 'other-password-1' })).body.error.message).toMatch(/must not end with "\." .*Windows drops/)
    expect((await t.call('POST', '/api/v1/users', { username: 'prn', password: 'other-password-1' })).body.error.message).toMatch(/Windows device name/)
    // dots inside a name, and names that only start like a device, are folders of their own
    for (const username of ['gina.b', 'console', 'com10', 'nullable', 'lpt-1']) {
      expect((await t.call('POST', '/api/v1/users', { username, password: 'other-password-1' })).status, username).toBe(201)
    }
  })

  it('keeps an account made before the rule signing in, without an upload folder, and refuses the name it aliases', async () => {
    t.app.store.users.create({ username: 'hank.', passwordHash: await hashPassword('hank-password-1'), isAdmin: false, mustChangePassword: false })
    const token = await signIn(t, 'hank.', 'hank-password-1')
    const upload = await fetch(`${t.url}/api/v1/files/upload?path=x.csv&offset=0`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' }, body: 'a,b\n' })
    const refused = (await upload.json()) as { error: { code: string; message: string } }
    expect(upload.status).toBe(400)
    expect(refused.error).toMatchObject({ code: 'path_invalid', message: expect.stringMatching(/"hank\." cannot name an upload folder: it must not end with/) })
    const clash = await t.call('POST', '/api/v1/users', { username: 'HANK', password: 'other-password-1' })
    expect(clash.status).toBe(409)
    expect(clash.body.error).toMatchObject({ code: 'user_exists', field: 'username', message: expect.stringMatching(/hank\. already exists, and hank would share its upload folder/) })
  })

  it('changes roles: a promoted user administers at once; nobody can disable or demote themselves', async () => {
    const erin = await addUser(t, 'erin')
    expect((await erin.call('GET', '/api/v1/users')).status).toBe(403)
    expect((await t.call('POST', '/api/v1/users/erin', { role: 'admin' })).body.role).toBe('admin')
    expect((await erin.call('GET', '/api/v1/users')).status).toBe(200) // the same token, now with the new role
    expect((await t.call('POST', '/api/v1/users/admin', { disabled: true })).body.error.code).toBe('own_account')
    expect((await erin.call('POST', '/api/v1/users/erin', { role: 'user' })).body.error.code).toBe('own_account')
    expect((await erin.call('POST', '/api/v1/users/admin', { role: 'user' })).body.role).toBe('user') // erin demotes admin…
    expect((await erin.call('POST', '/api/v1/users/admin', { role: 'admin' })).body.role).toBe('admin') // …and back
    expect((await t.call('POST', '/api/v1/users/erin', { role: 'user' })).body.role).toBe('user')
    expect((await erin.call('GET', '/api/v1/users')).status).toBe(403)
  })
})

describe('signing in by the name as the admin typed it', () => {
  it('lets a user made as "Gail" sign in as Gail, GAIL or gail in every dialect (names are stored in lower case)', async () => {
    await createUser(t, 'Gail')
    const password = 'Gail-password-1'
    for (const name of ['Gail', 'GAIL', ' gail ']) {
      const native = await fetch(`${t.url}/api/v1/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: name, password }) })
      expect(native.status, name).toBe(200)
      expect(((await native.json()) as { user: { username: string } }).user.username).toBe('gail')
      const tugraph = await fetch(`${t.url}/LGraphHttpService/Query/login`, { method: 'POST', body: JSON.stringify({ userName: name, password }) })
      expect(((await tugraph.json()) as { errorCode: string }).errorCode, name).toBe('200')
      const rill = await fetch(`${t.url}/flow/bg/user/login.json`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: name, password }) })
      expect(rill.status, name).toBe(200)
      const linkis = await linkisClient(t.url).call('POST', '/user/login', { userName: name, password })
      expect(linkis.body, name).toMatchObject({ status: 0, data: { userName: 'gail' } })
    }
  })
})

describe('the scripts right', () => {
  let fred: TestUser
  beforeAll(async () => {
    fred = await addUser(t, 'fred')
  })

  it('keeps shell and python to admins and granted users, in the native API and Linkis; SQL is open', async () => {
    for (const language of ['shell', 'python']) {
      const r = await fred.call('POST', '/api/v1/jobs', { type: 'script', language, code: 'echo hi' })
      expect(r.status, language).toBe(403)
      expect(r.body.error).toMatchObject({ code: 'scripts_not_allowed', field: 'language' })
    }
    const sql = await fred.call('POST', '/api/v1/jobs', { type: 'script', language: 'sql', code: 'select 1' })
    expect(sql.status).toBe(201)
    const linkis = linkisClient(t.url)
    expect((await linkis.login('fred', fred.password)).body.status).toBe(0)
    const sh = await linkis.submit('echo hi', 'sh')
    expect(sh.body).toMatchObject({ status: 3, message: expect.stringContaining('"scripts" right') })
    expect((await linkis.submit('print(1)', 'py')).body.status).toBe(3)
    expect((await linkis.submit('select 1', 'sql')).body.status).toBe(0)

    expect((await t.call('POST', '/api/v1/users/fred', { rights: ['scripts'] })).body.rights).toEqual(['scripts'])
    const me = await fred.call('GET', '/api/v1/me')
    expect(me.body.rights).toEqual(['scripts'])
    const shell = await fred.call('POST', '/api/v1/jobs', { type: 'script', language: 'shell', code: 'echo granted' })
    expect(shell.status).toBe(201)
    await waitForStatus(t, shell.body.id, ['succeeded'])
    expect((await linkis.submit('echo granted', 'sh')).body.status).toBe(0)

    // taken away again: a rerun of the shell job is refused too
    await t.call('POST', '/api/v1/users/fred', { rights: [] })
    const rerun = await fred.call('POST', `/api/v1/jobs/${shell.body.id}/rerun`, {})
    expect(rerun.status).toBe(403)
    expect(rerun.body.error.code).toBe('scripts_not_allowed')
  })
})

describe('the default admin password', () => {
  it('keeps working for API clients on loopback, and is flagged for the UI to ask for a change', async () => {
    const token = await signIn(t, 'admin', '73@TuGraph')
    const me = await (await fetch(`${t.url}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } })).json()
    expect(me).toMatchObject({ username: 'admin', mustChangePassword: true })
  })
})
