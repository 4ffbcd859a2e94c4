// rill-flow-ui's sign-in against JobDesk's own users (#10): login.json checks the password and hands
// out a session token the UI sends back bare in `Authorization`; the micro app rides on the cookie.
import { rmSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startApp } from '../../electron/app'
import { startTestApp, type TestApp } from '../support/app'
import { tempDir } from '../support/temp-store'
import { addUser } from '../support/users'
import { consoleLogin, send } from './support'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp()
})
afterAll(() => t.close())

const YAML = 'workspace: auth\ndagName: flow\ntype: flow\ntasks:\n  - {category: pass, name: a}\n'

describe('Rill Flow console: login.json and currentUser.json', () => {
  it('signs in with the local password and answers the fields the UI reads', async () => {
    const r = await send(`${t.url}/flow/bg/user/login.json`, 'POST', {}, { username: 'admin', password: '73@TuGraph' })
    expect(r.status).toBe(200)
    expect(r.body).toEqual({
      userId: expect.any(String),
      username: 'admin',
      realName: 'admin',
      roles: [{ roleName: 'Admin', value: 'super' }],
      homePath: '/flow-definition/list',
      desc: expect.any(String),
      avatar: '',
      token: expect.stringMatching(/^\S{20,}$/),
    })
    const cookie = r.headers.get('set-cookie') ?? ''
    expect(cookie).toMatch(/^rillflow_session=[^;]+;/)
    expect(cookie).toMatch(/HttpOnly/i)
    expect(cookie).toMatch(/SameSite=Strict/i)
    expect(cookie).toMatch(/Path=\/flow/)

    // the UI sends the token back without a scheme
    const me = await send(`${t.url}/flow/bg/user/currentUser.json?_t=1`, 'GET', { authorization: r.body.token })
    expect(me.status).toBe(200)
    expect(me.body).toMatchObject({ username: 'admin', realName: 'admin', userId: r.body.userId, roles: [{ value: 'super' }], homePath: '/flow-definition/list' })
    expect(me.body).not.toHaveProperty('password')
    // JobDesk's own form works too
    expect((await send(`${t.url}/flow/bg/user/currentUser.json`, 'GET', { authorization: `Bearer ${r.body.token}` })).body.username).toBe('admin')
  })

  it('tells a user from an admin', async () => {
    const ann = await addUser(t, 'ann')
    const c = await consoleLogin(t, 'ann', ann.password)
    expect((await c.call('GET', '/flow/bg/user/currentUser.json')).body).toMatchObject({ username: 'ann', roles: [{ roleName: 'User', value: 'user' }] })
  })

  it('refuses a wrong or blank password and a body of the wrong shape, in Rill Flow’s error body', async () => {
    const wrong = await send(`${t.url}/flow/bg/user/login.json`, 'POST', {}, { username: 'admin', password: 'nope-nope' })
    expect(wrong).toMatchObject({ status: 401, body: { error_code: 30104, error: 'wrong username or password' } })
    expect(wrong.body).not.toHaveProperty('token')
    const blank = await send(`${t.url}/flow/bg/user/login.json`, 'POST', {}, { username: 'admin', password: '  ' })
    expect(blank.status).toBe(400)
    expect(blank.body).toEqual({ error_code: 30109, error: expect.stringContaining('password'), pass_through: true })
    const typed = await send(`${t.url}/flow/bg/user/login.json`, 'POST', {}, { username: ['admin'], password: 1 })
    expect(typed.status).toBe(422)
    expect(typed.body).toMatchObject({ error_code: 30109, error: 'username must be a string' })
    const notJson = await send(`${t.url}/flow/bg/user/login.json`, 'POST', {}, '{"username":', 'application/json')
    expect(notJson.status).toBe(422)
    expect(notJson.body).toMatchObject({ error_code: 30109 })
  })

  it('answers the console routes without a credential with 401 in Rill Flow’s error body, even from loopback', async () => {
    for (const path of [
      '/flow/bg/user/currentUser.json',
      '/flow/bg/get_descriptor_ids.json?current=1',
      '/flow/bg/get_business_options.json',
      '/flow/bg/get_execution_ids.json?current=1',
      '/flow/bg/get_execution.json?id=x',
      '/flow/bg/get_descriptor.json?id=x',
      '/flow/template/get_template_prototypes.json?enable=1',
      '/flow/template/get_task_templates.json',
      '/flow/template/get_meta_data_list.json',
    ]) {
      const r = await send(`${t.url}${path}`, 'GET', {})
      expect({ path, status: r.status }).toEqual({ path, status: 401 })
      expect(r.body).toEqual({ error_code: 30104, error: expect.stringContaining('login.json') })
    }
  })

  it('refuses a signed-out, forged or malformed token everywhere under /flow, not taking it for the desktop user', async () => {
    const c = await consoleLogin(t, 'admin', '73@TuGraph')
    for (const authorization of ['forged-token-value', 'Basic YWRtaW46YWRtaW4=', 'Bearer']) {
      for (const path of ['/flow/bg/user/currentUser.json', '/flow/get_execution_ids.json?service_id=a:b', '/flow/service_check.json']) {
        const r = await send(`${t.url}${path}`, 'GET', { authorization })
        expect({ authorization, path, status: r.status, code: r.body.error_code }).toEqual({ authorization, path, status: 401, code: 30104 })
      }
    }
    // a password change ends the console session too
    const bob = await addUser(t, 'bob')
    const console = await consoleLogin(t, 'bob', bob.password)
    expect((await console.call('GET', '/flow/bg/user/currentUser.json')).status).toBe(200)
    const changed = await bob.call('POST', '/api/v1/me/password', { oldPassword: bob.password, newPassword: 'bob-new-password-2' })
    expect(changed.status).toBe(200)
    expect((await console.call('GET', '/flow/bg/user/currentUser.json')).status).toBe(401)
    expect((await console.micro('GET', '/flow/bg/user/currentUser.json')).status).toBe(401)
    expect((await c.call('GET', '/flow/bg/user/currentUser.json')).status).toBe(200) // others stay signed in
  })

  it('lets the micro app work with the session cookie alone, as the signed-in user', async () => {
    const cyd = await addUser(t, 'cyd')
    const c = await consoleLogin(t, 'cyd', cyd.password)
    const added = await c.micro('POST', '/flow/bg/manage/descriptor/add_descriptor.json?business_id=auth&feature_name=flow&alias=release', YAML, 'text/plain')
    expect(added.status).toBe(200)
    const graph = await c.micro('GET', '/flow/bg/get_descriptor.json?id=auth:flow')
    expect(graph.body).toMatchObject({ success: true, data: { workspace: 'auth', dagName: 'flow' } })
    const run = await c.micro('POST', '/flow/submit.json?descriptor_id=auth:flow', { x: 1 })
    expect(run.status).toBe(200)
    const shown = await c.micro('GET', `/flow/bg/get_execution.json?id=${encodeURIComponent(run.body.execution_id)}`)
    expect(shown.status).toBe(200)
    // the execution is cyd's: listed for her, not for another user
    const jobs = await cyd.call('GET', '/api/v1/jobs?type=workflow')
    expect(jobs.body.items.map((j: { submitter: string }) => j.submitter)).toEqual(['cyd'])
    const dan = await addUser(t, 'dan')
    const other = await consoleLogin(t, 'dan', dan.password)
    expect((await other.micro('GET', `/flow/bg/get_execution.json?id=${encodeURIComponent(run.body.execution_id)}`)).body).toMatchObject({ error_code: 30605 }) // as an unknown one (#9 §3)
  })
})

describe('Rill Flow console from its own dev server (an origin allowed in Settings)', () => {
  it('needs the console login there: a page of another origin is never the desktop user', async () => {
    const dir = tempDir()
    const origin = 'http://localhost:5173'
    const first = await startApp({ dataDir: dir, host: '127.0.0.1', port: 0, concurrency: 2 })
    try {
      const { token } = await first.auth.login('admin', '73@TuGraph')
      const body = { allowRemote: false, allowedHosts: [], allowedOrigins: [origin], rillflowRequireToken: false }
      const saved = await send(`${first.url}/api/v1/settings/server`, 'POST', { authorization: `Bearer ${token}` }, body)
      expect(saved.status).toBe(200)
    } finally {
      await first.close()
    }
    const app = await startApp({ dataDir: dir, host: '127.0.0.1', port: 0, concurrency: 2 })
    try {
      const host = new URL(app.url).host
      const inject = (method: 'GET' | 'POST', url: string, headers: Record<string, string> = {}, payload?: string) =>
        app.server.inject({ method, url, headers: { host, origin, ...headers }, payload })
      // without a credential: 401 in Rill Flow's body, with the CORS header so the page can read it
      const anonymous = await inject('POST', '/flow/submit.json?descriptor_id=a:b', { 'content-type': 'application/json' }, '{}')
      expect(anonymous.statusCode).toBe(401)
      expect(anonymous.json()).toMatchObject({ error_code: 30104 })
      expect(anonymous.headers['access-control-allow-origin']).toBe(origin)
      // the preflight of the UI's header is answered
      const preflight = await inject('OPTIONS' as 'GET', '/flow/bg/get_descriptor_ids.json', { 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' })
      expect(preflight.statusCode).toBe(204)
      const login = await inject('POST', '/flow/bg/user/login.json', { 'content-type': 'application/json' }, JSON.stringify({ username: 'admin', password: '73@TuGraph' }))
      expect(login.statusCode).toBe(200)
      const list = await inject('GET', '/flow/bg/get_descriptor_ids.json?current=1&page=1&pageSize=10', { authorization: login.json().token })
      expect(list.statusCode).toBe(200)
      expect(list.json()).toEqual({ items: [], total: 0 })
      // a page of a foreign origin not in Settings is refused before anything else
      const evil = await app.server.inject({ method: 'POST', url: '/flow/bg/user/login.json', headers: { host, origin: 'https://evil.example', 'content-type': 'application/json' }, payload: '{}' })
      expect(evil.statusCode).toBe(403)
      expect(evil.json()).toMatchObject({ error_code: 30108 })
    } finally {
      await app.close()
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
