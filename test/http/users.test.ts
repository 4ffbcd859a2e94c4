// Users (#9.3): admins create users, change their role and rights, disable them and reset passwords,
// through the native API (the same operations IPC calls); roles admin and user; the default admin
// password keeps working from loopback; the scripts right gates shell and python in every dialect.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, waitForStatus, type TestApp } from '../support/app'
import { addUser, signIn, type TestUser } from '../support/users'
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
