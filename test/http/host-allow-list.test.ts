// DNS rebinding (#9.4): a page on attacker.example whose name now resolves to this machine sends
// `Host: attacker.example`. Only loopback names, the machine's own names and addresses (when opened
// to the network) and configured hosts get through; the Host header is parsed strictly.
import { rmSync } from 'node:fs'
import { hostname, networkInterfaces } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startApp, type JobDeskApp } from '../../electron/app'
import { parseHost } from '../../electron/http/host'
import { hashPassword } from '../../electron/services/passwords'
import { openStore } from '../../electron/store'
import { SETTING_KEYS } from '../../electron/store/setting-keys'
import { startTestApp, type TestApp } from '../support/app'
import { tempDir } from '../support/temp-store'

const login = { username: 'admin', password: '73@TuGraph' }
const chosen = { username: 'admin', password: 'a password of their own' }

describe('parseHost', () => {
  it.each([
    ['127.0.0.1', '127.0.0.1', undefined],
    ['LOCALHOST:8080', 'localhost', 8080],
    ['[::1]:65535', '[::1]', 65535],
    ['[0:0:0:0:0:0:0:1]', '[::1]', undefined],
    ['my-box.lan', 'my-box.lan', undefined],
  ])('accepts %s', (header, name, port) => {
    expect(parseHost(header)).toEqual(port === undefined ? { name } : { name, port })
  })

  it.each([
    '127.0.0.1:8080@evil.com',
    '[::1]evil.com',
    '[::1]:80:80',
    '[evil.com]',
    '127.0.0.1:',
    '127.0.0.1:0',
    '127.0.0.1:65536',
    '127.0.0.1:+80',
    '127.1',
    '0x7f.0.0.1',
    'evil.com\\@127.0.0.1',
    'a b',
    'host..lan',
    '-host.lan',
    'x'.repeat(254),
    '',
  ])('refuses %j', (header) => {
    expect(parseHost(header)).toBeUndefined()
  })
})

describe('on loopback', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await startTestApp()
  })
  afterAll(() => t.close())

  it.each(['127.0.0.1:8080@evil.com', '[::1]evil.com', '127.0.0.1.attacker.example', 'attacker.example', '127.1:80'])(
    'refuses Host %j before anything else runs, in the envelope of the route’s dialect',
    async (host) => {
      const native = await t.app.server.inject({ method: 'POST', url: '/api/v1/login', headers: { host }, payload: login })
      expect(native.statusCode).toBe(403)
      expect(native.json().error).toMatchObject({ kind: 'forbidden', code: 'bad_host', field: 'Host' })
      const linkis = await t.app.server.inject({ method: 'POST', url: '/api/rest_j/v1/user/login', headers: { host }, payload: { userName: 'admin', password: '73@TuGraph' } })
      expect(linkis.statusCode).toBe(403)
      expect(linkis.json()).toMatchObject({ status: 3, data: {} })
      const rill = await t.app.server.inject({ method: 'GET', url: '/flow/service_check.json', headers: { host } })
      expect(rill.statusCode).toBe(403)
      expect(rill.json()).toMatchObject({ error_code: 30108 })
    },
  )

  it('Settings take only hosts the check can match', async () => {
    const set = (allowedHosts: string[]) => t.call('POST', '/api/v1/settings/server', { allowRemote: false, allowedHosts, allowedOrigins: [], rillflowRequireToken: false })
    for (const bad of ['a..b', 'evil host', 'http://jobdesk.lan', '-x.lan', 'x'.repeat(64) + '.lan']) {
      const res = await set([bad])
      expect(res.status, bad).toBe(400)
      expect(res.body.error.field).toBe('allowedHosts.0')
    }
    expect((await set(['jobdesk.lan:8080', '10.0.0.5', 'fd00::5', '[fd00::6]'])).status).toBe(200)
  })

  it('remembers only the loopback Host it accepted: the next, different Host is checked afresh', async () => {
    // the hook keeps the last accepted loopback Host header to skip parsing it again (#14.2)
    const poll = (host: string) => t.app.server.inject({ method: 'GET', url: '/flow/service_check.json', headers: { host } })
    for (const host of ['127.0.0.1:8080', '127.0.0.1:8080@evil.com', '127.0.0.1:8080', 'attacker.example', 'localhost', '127.0.0.1.attacker.example']) {
      expect((await poll(host)).statusCode, host).toBe(host.includes('attacker') || host.includes('@') ? 403 : 200)
    }
  })

  it.each(['127.0.0.1', 'localhost:1234', '[::1]:8080'])('answers Host %j', async (host) => {
    const res = await t.app.server.inject({ method: 'POST', url: '/api/v1/login', headers: { host }, payload: login })
    expect(res.statusCode).toBe(200)
  })
})

describe('opened to the network', () => {
  let app: JobDeskApp
  let dir: string
  beforeAll(async () => {
    dir = tempDir()
    const store = openStore(join(dir, 'jobdesk.db'))
    // opened to the network only once admin has a password of their own (users.service.ts networkRefusal)
    store.users.create({ username: 'admin', passwordHash: await hashPassword(chosen.password), isAdmin: true, mustChangePassword: false })
    store.settings.set(SETTING_KEYS.allowRemote, true)
    store.settings.set(SETTING_KEYS.allowedHosts, ['jobdesk.example.org', 'fd00::5'])
    store.close()
    app = await startApp({ dataDir: dir, host: '127.0.0.1', port: 0, concurrency: 2 })
  })
  afterAll(async () => {
    await app.close()
    rmSync(dir, { recursive: true, force: true })
  })

  const loginAs = (host: string) => app.server.inject({ method: 'POST', url: '/api/v1/login', headers: { host }, payload: chosen })

  it('a rebinding page cannot sign in, let alone run a shell job', async () => {
    const res = await loginAs('attacker.example')
    expect(res.statusCode).toBe(403)
    expect(res.json().error.code).toBe('bad_host')
    const job = await app.server.inject({
      method: 'POST',
      url: '/api/v1/jobs',
      headers: { host: 'attacker.example:8080' },
      payload: { type: 'script', language: 'shell', code: 'touch /tmp/pwned' },
    })
    expect(job.statusCode).toBe(403)
    expect(app.store.jobs.history({ offset: 0, limit: 10 }).total).toBe(0)
  })

  it('answers the machine’s host name, every interface address and the configured hosts', async () => {
    const addresses = Object.values(networkInterfaces())
      .flat()
      .map((a) => a!.address)
      .filter((a) => !a.includes('%'))
    const hosts = [hostname(), ...addresses.map((a) => (a.includes(':') ? `[${a}]:8080` : `${a}:8080`)), 'jobdesk.example.org', '[fd00::5]:80', 'localhost']
    for (const host of hosts) expect((await loginAs(host)).statusCode, host).toBe(200)
  })
})
