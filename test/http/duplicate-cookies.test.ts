// A request that carries two values of one credential cookie (a page on another port of this
// computer tossed one in, #9 / atk9) is refused in its dialect's envelope, 401, saying a second
// cookie of that name came, and its answer clears that name at every path the tossed cookie can
// have, so the browser's next sign-in works. A single cookie works as before. A device cookie names
// no one: any of its values that verifies counts, so a tossed one cannot cost a browser its trust.
import { beforeAll, describe, expect, it } from 'vitest'
import { clearingCookies } from '../../electron/http/cookies'
import { SESSION_COOKIE } from '../../electron/http/dialects/linkis/auth'
import type { TestApp } from '../support/app'
import { appSuite } from '../support/app-suite'
import { addUser, browserLogin, type TestUser } from '../support/users'

/**
 * The few rules of a browser's cookie store (RFC 6265) this needs: host-only cookies keyed by name
 * and path, sent longest path first to the paths they match, replaced or deleted (Max-Age=0) by
 * Set-Cookie at the same name and path.
 */
class BrowserJar {
  private cookies = new Map<string, { name: string; path: string; value: string }>()
  /** What a page's script does: `document.cookie = "name=value; path=…"`. */
  set(name: string, value: string, path: string): void {
    this.cookies.set(`${name}\n${path}`, { name, path, value })
  }
  /** Applies an answer's Set-Cookie headers. */
  take(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';').map((s) => s.trim())
      const eq = pair.indexOf('=')
      const name = pair.slice(0, eq)
      const path = attrs.find((a) => /^path=/i.test(a))?.slice(5) ?? '/'
      if (attrs.some((a) => /^max-age=0$/i.test(a))) this.cookies.delete(`${name}\n${path}`)
      else this.set(name, pair.slice(eq + 1), path)
    }
  }
  /** The Cookie header for a request to `path`, or undefined. */
  header(path: string): string | undefined {
    const sent = [...this.cookies.values()]
      .filter((c) => c.path === '/' || path === c.path || path.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`))
      .sort((a, b) => b.path.length - a.path.length)
    return sent.length ? sent.map((c) => `${c.name}=${c.value}`).join('; ') : undefined
  }
  /** How many cookies of `name` it holds. */
  count(name: string): number {
    return [...this.cookies.values()].filter((c) => c.name === name).length
  }
}

let t: TestApp
let bob: TestUser
let alice: TestUser
const suite = appSuite('bob', 'alice')
beforeAll(() => ({ t, users: { bob, alice } } = suite))

/** A fetch as `jar`'s browser: its cookies go along, its Set-Cookies come back into it. */
async function browse(jar: BrowserJar, path: string, init: RequestInit = {}): Promise<Response> {
  const cookie = jar.header(path.split('?')[0])
  const res = await fetch(`${t.url}${path}`, { ...init, headers: { ...(init.headers as Record<string, string>), ...(cookie ? { cookie } : {}) } })
  jar.take(res)
  return res
}

const json = (body: unknown): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
const linkisLogin = (jar: BrowserJar, user: TestUser) => browse(jar, '/api/rest_j/v1/user/login', json({ userName: user.username, password: user.password }))
const SUBMIT = '/api/rest_j/v1/entrance/submit'
const submit = (jar: BrowserJar) => browse(jar, SUBMIT, json({ executionContent: { code: 'select 1;', runType: 'sql' }, labels: { engineType: 'sql', userCreator: 'alice-IDE' } }))

/** The session ticket a Linkis sign-in as `user` sets (in a jar of its own). */
async function ticketOf(user: TestUser): Promise<string> {
  const own = new BrowserJar()
  expect((await linkisLogin(own, user)).status).toBe(200)
  return /linkis_user_session_ticket_id_v1=([^;]+)/.exec(own.header('/')!)![1]
}

describe('the Linkis session cookie', () => {
  it('tossed in ahead of the user’s own: 401 saying so, both cleared, and the next sign-in submits as the user', async () => {
    const jar = new BrowserJar()
    expect((await linkisLogin(jar, alice)).status).toBe(200)
    jar.set(SESSION_COOKIE, await ticketOf(bob), '/api/rest_j/v1/entrance') // the page on another port
    expect(jar.header(SUBMIT)!.startsWith(`${SESSION_COOKIE}=`)).toBe(true)
    const refused = await submit(jar)
    expect(refused.status).toBe(401)
    expect(await refused.json()).toMatchObject({ status: -1, message: `the request carries 2 ${SESSION_COOKIE} cookies: sign in again` })
    const cleared = refused.headers.getSetCookie().filter((c) => c.startsWith(`${SESSION_COOKIE}=;`))
    expect(cleared).toEqual(expect.arrayContaining([expect.stringContaining('Path=/;'), expect.stringContaining('Path=/api/rest_j/v1/entrance;')]))
    expect(cleared.every((c) => /Max-Age=0/.test(c))).toBe(true)
    expect(jar.count(SESSION_COOKIE)).toBe(0) // the tossed cookie and alice's own

    expect((await linkisLogin(jar, alice)).status).toBe(200)
    const res = await submit(jar)
    const body = (await res.json()) as { status: number; data: { taskID: number } }
    expect(body.status).toBe(0)
    expect((await alice.call('GET', `/api/v1/jobs/${body.data.taskID}`)).status).toBe(200)
    expect((await bob.call('GET', `/api/v1/jobs/${body.data.taskID}`)).status).toBe(404)
  })

  it('one cookie still signs the user in, and a tossed path ending in a slash is cleared too', async () => {
    const jar = new BrowserJar()
    expect((await linkisLogin(jar, alice)).status).toBe(200)
    const info = await browse(jar, '/api/rest_j/v1/user/userInfo')
    expect(((await info.json()) as { data: { userName: string } }).data.userName).toBe('alice')
    jar.set(SESSION_COOKIE, await ticketOf(bob), '/api/rest_j/v1/user/')
    expect((await browse(jar, '/api/rest_j/v1/user/userInfo')).status).toBe(401)
    expect(jar.count(SESSION_COOKIE)).toBe(0)
  })

  it('a sign-out with two session cookies ends both tickets and clears both', async () => {
    const bobs = await ticketOf(bob)
    const jar = new BrowserJar()
    expect((await linkisLogin(jar, alice)).status).toBe(200)
    const alices = /=([^;]+)/.exec(jar.header('/')!)![1]
    jar.set(SESSION_COOKIE, bobs, '/api/rest_j/v1/user')
    expect((await browse(jar, '/api/rest_j/v1/user/logout', { method: 'POST' })).status).toBe(200)
    expect(jar.count(SESSION_COOKIE)).toBe(0)
    for (const ticket of [alices, bobs]) {
      const res = await fetch(`${t.url}/api/rest_j/v1/user/userInfo`, { headers: { cookie: `${SESSION_COOKIE}=${ticket}` } })
      expect(res.status).toBe(401)
    }
  })

  it('Token-Code and Token-User cookies sent twice are refused before any token is looked up', async () => {
    const res = await fetch(`${t.url}/api/rest_j/v1/user/userInfo`, { headers: { cookie: 'Token-User=bob; Token-Code=X; Token-User=alice' } })
    expect(res.status).toBe(401)
    expect(((await res.json()) as { message: string }).message).toBe('the request carries 2 Token-User cookies: sign in again')
  })
})

describe('the Rill Flow console cookie', () => {
  const consoleLogin = (jar: BrowserJar, user: TestUser) => browse(jar, '/flow/bg/user/login.json', json({ username: user.username, password: user.password }))
  const WHO = '/flow/bg/user/currentUser.json'

  it('tossed in ahead: 401 in Rill Flow’s error body, cleared at its own path and the tossed one; one cookie works', async () => {
    const jar = new BrowserJar()
    const bobs = new BrowserJar()
    expect((await consoleLogin(bobs, bob)).status).toBe(200)
    expect((await consoleLogin(jar, alice)).status).toBe(200)
    expect(((await (await browse(jar, WHO)).json()) as { username: string }).username).toBe('alice')
    jar.set('rillflow_session', /=([^;]+)/.exec(bobs.header(WHO)!)![1], '/flow/bg/user')
    const refused = await browse(jar, WHO)
    expect(refused.status).toBe(401)
    expect(await refused.json()).toEqual({ error_code: 30104, error: 'the request carries 2 rillflow_session cookies: sign in again' })
    expect(jar.count('rillflow_session')).toBe(0) // its own (/flow) and the tossed one
    expect((await consoleLogin(jar, alice)).status).toBe(200)
    expect(((await (await browse(jar, WHO)).json()) as { username: string }).username).toBe('alice')
  })
})

describe('the Explorer token cookie', () => {
  const connect = (jar: BrowserJar, user: TestUser) =>
    browse(jar, '/api-open/v1/connect', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${Buffer.from(`${user.username}:${user.password}`).toString('base64')}` }, body: '{}' })

  it('tossed in ahead: ErrUnauthorized saying so, cleared; one cookie lists the user’s jobs', async () => {
    const jar = new BrowserJar()
    const bobs = new BrowserJar()
    expect((await connect(bobs, bob)).status).toBe(200)
    expect((await connect(jar, alice)).status).toBe(200)
    expect((await browse(jar, '/api-open/v1/jobs')).status).toBe(200)
    jar.set('explorer_token', /=([^;]+)/.exec(bobs.header('/')!)![1], '/api-open/v1')
    const refused = await browse(jar, '/api-open/v1/jobs')
    expect(refused.status).toBe(401)
    expect(await refused.json()).toMatchObject({ code: 40104000, message: 'ErrUnauthorized: the request carries 2 explorer_token cookies: sign in again' })
    expect(jar.count('explorer_token')).toBe(0)
    expect((await connect(jar, alice)).status).toBe(200)
    expect((await browse(jar, '/api-open/v1/jobs')).status).toBe(200)
  })
})

describe('the device cookie of a browser sign-in', () => {
  it('keeps the browser’s trust when another value of its name is sent ahead of it', async () => {
    const carol = await addUser(t, 'carol')
    const first = await browserLogin(t.url, carol.username, carol.password)
    expect(first.status).toBe(200)
    const [name] = first.cookie!.split('=')
    // five wrong guesses from this computer hold up sign-ins as carol that bring no device cookie
    for (let i = 0; i < 5; i++) expect((await browserLogin(t.url, carol.username, `guess-${i}`)).status).toBe(401)
    expect((await browserLogin(t.url, carol.username, carol.password)).status).toBe(429)
    const tossed = `${name}=AAAAAAAAAAAAAAAAAAAAAA.1700000000.forged; ${first.cookie}`
    expect((await browserLogin(t.url, carol.username, carol.password, tossed)).status).toBe(200)
  })
})

describe('the cookies that clear a repeated name', () => {
  const pathsOf = (lines: string[]) => lines.map((l) => /Path=([^;]+)/.exec(l)![1])

  it('cover every path a cookie sent to the URL can have, with and without a trailing slash', () => {
    const lines = clearingCookies('n', '/api/rest_j/v1/entrance/submit?x=/a/b')
    expect(pathsOf(lines)).toEqual(['/', '/api', '/api/', '/api/rest_j', '/api/rest_j/', '/api/rest_j/v1', '/api/rest_j/v1/', '/api/rest_j/v1/entrance', '/api/rest_j/v1/entrance/', '/api/rest_j/v1/entrance/submit', '/api/rest_j/v1/entrance/submit/'])
    expect(lines.every((l) => l.startsWith('n=; ') && /; Max-Age=0;/.test(l) && !/Domain=/.test(l))).toBe(true)
  })

  it('are host-only for an IP address, and again for a host name itself and each of its parent domains', () => {
    expect(clearingCookies('n', '/flow', '127.0.0.1')).toHaveLength(3)
    expect(clearingCookies('n', '/flow', '[::1]')).toHaveLength(3)
    // Chromium keeps a cookie set with Domain=localhost apart from the host-only one (rev9)
    expect(clearingCookies('n', '/flow', 'localhost').filter((l) => l.includes('; Domain=localhost;'))).toHaveLength(3)
    const named = clearingCookies('n', '/flow', 'jobdesk.corp.example')
    expect(named).toHaveLength(12)
    expect(named.filter((l) => l.includes('; Domain=jobdesk.corp.example;'))).toHaveLength(3)
    expect(named.filter((l) => l.includes('; Domain=corp.example;'))).toHaveLength(3)
    expect(named.filter((l) => l.includes('; Domain=example;'))).toHaveLength(3)
  })

  it('stop at a segment a Path attribute cannot carry and after 16 segments', () => {
    expect(pathsOf(clearingCookies('n', '/flow/a;b/c'))).toEqual(['/', '/flow', '/flow/'])
    expect(clearingCookies('n', '/x'.repeat(500))).toHaveLength(33)
  })
})
