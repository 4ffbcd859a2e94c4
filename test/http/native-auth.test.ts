import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../support/app'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp()
})
afterAll(() => t.close())

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${t.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) })

describe('native API: authentication', () => {
  it('logs the default admin in and flags the default password', async () => {
    const res = await post('/api/v1/login', { username: 'admin', password: '73@TuGraph' })
    expect(res.status).toBe(200)
    const body = await res.json()
    expect(body.token).toMatch(/^[\w-]{40,}$/)
    expect(body.user).toEqual({ username: 'admin', isAdmin: true, mustChangePassword: true, rights: ['scripts'] })
  })

  it('refuses wrong passwords and names a missing field', async () => {
    const wrong = await post('/api/v1/login', { username: 'admin', password: 'nope' })
    expect(wrong.status).toBe(401)
    expect((await wrong.json()).error).toMatchObject({ kind: 'unauthenticated', message: 'wrong username or password' })
    const missing = await post('/api/v1/login', { username: 'admin' })
    expect(missing.status).toBe(400)
    expect((await missing.json()).error).toMatchObject({ field: 'password' })
  })

  it('answers 401 on every route without a valid bearer token', async () => {
    for (const path of ['/api/v1/jobs', '/api/v1/jobs/1', '/api/v1/health', '/api/v1/me', '/api/v1/events']) {
      const res = await fetch(`${t.url}${path}`)
      expect(res.status, path).toBe(401)
      expect(res.headers.get('www-authenticate')).toBe('Bearer')
    }
    const bad = await fetch(`${t.url}/api/v1/jobs`, { headers: { authorization: 'Bearer forged' } })
    expect(bad.status).toBe(401)
  })

  it('stores passwords hashed with scrypt, never in plain text', () => {
    const rows = t.app.store.db.prepare('SELECT password_hash FROM users').all() as { password_hash: string }[]
    expect(rows[0].password_hash).toMatch(/^scrypt\$/)
    expect(rows[0].password_hash).not.toContain('73@TuGraph')
  })

  it('changes the password: checks the old one, refuses weak ones, then clears the flag', async () => {
    const weak = await t.call('POST', '/api/v1/me/password', { oldPassword: '73@TuGraph', newPassword: 'short' })
    expect(weak.status).toBe(400)
    expect(weak.body.error.field).toBe('newPassword')
    const wrongOld = await t.call('POST', '/api/v1/me/password', { oldPassword: 'guess', newPassword: 'a-much-better-one' })
    expect(wrongOld.status).toBe(400) // a form error on the field, not a 401 that would end the session (#8.1)
    expect(wrongOld.body.error).toMatchObject({ code: 'wrong_password', field: 'oldPassword' })
    const ok = await t.call('POST', '/api/v1/me/password', { oldPassword: '73@TuGraph', newPassword: 'a-much-better-one' })
    expect(ok.body).toEqual({ username: 'admin', isAdmin: true, mustChangePassword: false, rights: ['scripts'] })
    expect((await post('/api/v1/login', { username: 'admin', password: '73@TuGraph' })).status).toBe(401)
    expect((await post('/api/v1/login', { username: 'admin', password: 'a-much-better-one' })).status).toBe(200)
  })

  it('revokes a token on logout', async () => {
    const { token } = await (await post('/api/v1/login', { username: 'admin', password: 'a-much-better-one' })).json()
    const auth = { authorization: `Bearer ${token}` }
    expect((await fetch(`${t.url}/api/v1/me`, { headers: auth })).status).toBe(200)
    expect((await fetch(`${t.url}/api/v1/logout`, { method: 'POST', headers: auth })).status).toBe(200)
    expect((await fetch(`${t.url}/api/v1/me`, { headers: auth })).status).toBe(401)
  })
})

describe('native API: browser-origin protections', () => {
  it('refuses a Host header that is not loopback (DNS rebinding)', async () => {
    // fetch will not send a forged Host header, so this one goes through fastify's inject
    const injected = await t.app.server.inject({ method: 'GET', url: '/api/v1/health', headers: { host: 'attacker.example' } })
    expect(injected.statusCode).toBe(403)
    expect(injected.json().error.code).toBe('bad_host')
    const rebound = await t.app.server.inject({ method: 'GET', url: '/api/v1/health', headers: { host: '127.0.0.1.attacker.example:8080' } })
    expect(rebound.statusCode).toBe(403)
  })

  it('refuses a foreign Origin (CSRF) but accepts its own', async () => {
    const host = new URL(t.url).host
    const foreign = await t.app.server.inject({ method: 'POST', url: '/api/v1/login', headers: { host, origin: 'https://evil.example' }, payload: { username: 'admin', password: 'x' } })
    expect(foreign.statusCode).toBe(403)
    expect(foreign.json().error.code).toBe('bad_origin')
    const own = await t.app.server.inject({ method: 'GET', url: '/api/v1/health', headers: { host, origin: t.url, authorization: `Bearer ${t.token}` } })
    expect(own.statusCode).toBe(200)
  })

  it('serves OpenAPI generated from the route schemas, and Swagger UI where Rill Flow users look', async () => {
    const spec = await (await fetch(`${t.url}/openapi.json`)).json()
    expect(spec.openapi).toMatch(/^3\./)
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/api/v1/jobs', '/api/v1/jobs/{id}/logs', '/api/v1/login']))
    expect(spec.paths['/api/v1/jobs'].post.requestBody.content['application/json'].schema.required).toEqual(['type', 'language', 'code'])
    const ui = await fetch(`${t.url}/swagger-ui.html`)
    expect(ui.status).toBe(200)
    expect(await ui.text()).toContain('swagger')
  })
})
