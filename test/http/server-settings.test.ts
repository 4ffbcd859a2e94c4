import { rmSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { hostname } from 'node:os'
import { describe, expect, it } from 'vitest'
import { startApp } from '../../electron/app'
import { startTestApp } from '../support/app'
import { tempDir } from '../support/temp-store'

describe('server exposure settings', () => {
  it('stays on loopback until an admin opens it to the network; applies at the next start', async () => {
    const dir = tempDir()
    const first = await startApp({ dataDir: dir, host: '127.0.0.1', port: 0, concurrency: 2 })
    try {
      expect((first.server.server.address() as AddressInfo).address).toBe('127.0.0.1')
      const { token } = await first.auth.login('admin', '73@TuGraph')
      const call = (method: string, body?: object) =>
        fetch(`${first.url}/api/v1/settings/server`, {
          method,
          headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
          body: body ? JSON.stringify(body) : undefined,
        }).then(async (r) => ({ status: r.status, body: await r.json() }))
      expect((await call('GET')).body).toEqual({ allowRemote: false, allowedHosts: [], allowedOrigins: [], rillflowRequireToken: false, rillflowTokenRequiredByUsers: false })
      const bad = await call('POST', { allowRemote: true, allowedHosts: ['evil host'], allowedOrigins: [], rillflowRequireToken: false })
      expect(bad.status).toBe(400)
      // not to the network while an admin still has the well-known default password (#9.3)
      const weak = await call('POST', { allowRemote: true, allowedHosts: [], allowedOrigins: [], rillflowRequireToken: false })
      expect(weak.status).toBe(409)
      expect(weak.body.error).toMatchObject({ code: 'default_password', field: 'allowRemote', message: expect.stringContaining('admin') })
      const changed = await fetch(`${first.url}/api/v1/me/password`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ oldPassword: '73@TuGraph', newPassword: 'not-the-default-1' }),
      })
      expect(changed.status).toBe(200)
      const saved = await call('POST', { allowRemote: true, allowedHosts: [], allowedOrigins: ['https://tools.example.com'], rillflowRequireToken: true })
      expect(saved.body.allowRemote).toBe(true)
      // a second user makes Rill Flow want a token from loopback at once, whatever was set: the settings say so (newuser4)
      const created = await fetch(`${first.url}/api/v1/users`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'bob', password: 'bob-password-1' }),
      })
      expect(created.status).toBe(201)
      expect((await call('GET')).body).toMatchObject({ rillflowRequireToken: true, rillflowTokenRequiredByUsers: true })
      expect((await first.server.inject({ method: 'GET', url: '/flow/service_check.json' })).statusCode).toBe(401)
      // still loopback and strict until restarted
      expect((await first.server.inject({ method: 'GET', url: '/flow/service_check.json', headers: { host: 'jobdesk.lan:8080' } })).statusCode).toBe(403)
    } finally {
      await first.close()
    }
    const second = await startApp({ dataDir: dir, host: '127.0.0.1', port: 0, concurrency: 2 })
    try {
      expect((second.server.server.address() as AddressInfo).address).toBe('0.0.0.0')
      expect(second.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
      const lan = await second.server.inject({ method: 'GET', url: '/api/v1/health', headers: { host: `${hostname()}:8080` } })
      expect(lan.statusCode).toBe(401) // the machine's own name now, but still a credential
      const foreign = await second.server.inject({ method: 'GET', url: '/api/v1/health', headers: { host: 'jobdesk.lan:8080' } })
      expect(foreign.statusCode).toBe(403) // not any Host: a name the machine does not have is DNS rebinding (#9.4)
      const rill = await second.server.inject({ method: 'GET', url: '/flow/service_check.json', headers: { host: `${hostname()}:8080` } })
      expect(rill.statusCode).toBe(401) // Rill Flow wants a token now, even from loopback
      const cors = await second.server.inject({ method: 'OPTIONS', url: '/api/v1/jobs', headers: { host: hostname(), origin: 'https://tools.example.com' } })
      expect(cors.statusCode).toBe(204)
      expect(cors.headers['access-control-allow-origin']).toBe('https://tools.example.com')
    } finally {
      await second.close()
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('allowed origins and host names (#10: a console on its own dev server)', () => {
  it('apply to the running server as soon as an admin saves them, and stop applying when removed', async () => {
    const t = await startTestApp()
    try {
      const origin = 'http://localhost:8089' // linkis-web's dev server in scripts/consoles/linkis-web.mjs
      // what the console's dev proxy sends: a POST carrying the page's Origin
      const consoleLogin = () =>
        t.app.server.inject({ method: 'POST', url: '/api/rest_j/v1/user/login', headers: { host: '127.0.0.1:9001', origin }, payload: { userName: 'admin', password: '73@TuGraph' } })
      const onLan = () => t.app.server.inject({ method: 'GET', url: '/api/v1/health', headers: { host: 'jobdesk.lan' } })
      const before = await consoleLogin()
      expect(before.statusCode).toBe(403)
      expect(before.json()).toMatchObject({ status: 3, message: expect.stringContaining(origin) })
      expect((await onLan()).statusCode).toBe(403)

      const set = (allowedOrigins: string[], allowedHosts: string[]) =>
        t.call('POST', '/api/v1/settings/server', { allowRemote: false, allowedHosts, allowedOrigins, rillflowRequireToken: false })
      expect((await set([origin], ['jobdesk.lan'])).status).toBe(200)
      const allowed = await consoleLogin()
      expect(allowed.statusCode).toBe(200)
      expect(allowed.json()).toMatchObject({ status: 0, data: { userName: 'admin' } })
      expect(allowed.headers['access-control-allow-origin']).toBe(origin)
      const preflight = await t.app.server.inject({ method: 'OPTIONS', url: '/api/rest_j/v1/jobhistory/list', headers: { host: '127.0.0.1:9001', origin, 'access-control-request-method': 'GET' } })
      expect(preflight.statusCode).toBe(204)
      expect((await onLan()).statusCode).toBe(401) // the name is ours now; the route still wants a credential

      expect((await set([], [])).status).toBe(200)
      expect((await consoleLogin()).statusCode).toBe(403)
      expect((await onLan()).statusCode).toBe(403)
    } finally {
      await t.close()
    }
  })
})
