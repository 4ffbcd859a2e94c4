// What a connection's signed-in mark buys, and when it ends (connection-limits.ts, gate10). One
// account trickling an upload on every connection held every place: a signed-in request in flight
// never gave way. And the mark ended only on an HTTP 401, so a user disabled or signed out, refused
// by TuGraph with HTTP 200, or a browser reusing its keep-alive connection without a credential
// after signing out, kept places no newcomer could take. The cap here is 4: two places per account.
import type { Socket } from 'node:net'
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest'
import { TOKEN_KINDS } from '../../electron/services/auth.service'
import type { UserRecord } from '../../electron/store/user.repository'
import { startTestApp, type TestApp } from '../support/app'
import { ask, get, rawConnections, statusLine, type RawConnections } from '../support/raw-connections'

const CAP = 4
/** Bytes of unfinished bodies held at once: four trickled uploads of 700 bytes fit, and one more of 900 only once one of them is let go. */
const HELD_MAX = 3000
let t: TestApp
let c: RawConnections
const users: Record<'ann' | 'bob' | 'carl', { record: UserRecord; token: string }> = {} as never
beforeAll(async () => {
  // one account may hold all of it here (its share of it is attack-body-bytes-share.test.ts's)
  t = await startTestApp({ connections: { maxConnections: CAP, bodyBytesHeldMax: HELD_MAX, bodyBytesHeldShare: HELD_MAX } })
  c = rawConnections(t)
  // made in the store: fetch's own keep-alive connections would take places
  for (const username of ['ann', 'bob', 'carl'] as const) {
    const record = t.app.store.users.create({ username, passwordHash: 'x', isAdmin: false, mustChangePassword: false })
    users[username] = { record, token: t.app.auth.issueToken(record) }
  }
}, 60_000)
afterAll(() => t?.close())
beforeEach(() => c.holding(0, "the last test's connections closed"))

/** Opens a connection for each token and signs it in with a keep-alive who-am-I, in that order. */
async function signedIn(tokens: string[]): Promise<Socket[]> {
  const sockets: Socket[] = []
  for (const token of tokens) {
    const s = await c.open()
    sockets.push(s)
    expect(statusLine(await ask(s, get('/api/v1/me', token)))).toBe('HTTP/1.1 200 OK')
  }
  return sockets
}

/** Everything `socket` is sent from now until it closes, as text. */
const untilClosed = (socket: Socket): Promise<string> =>
  new Promise((ok) => {
    let text = ''
    socket.on('data', (d) => (text += String(d)))
    socket.once('close', () => ok(text))
  })

it('one account trickling an upload on every place gives way to a newcomer: its oldest upload is answered 503 and its bytes held are let go', async () => {
  const uploads = await signedIn(Array(CAP).fill(t.token))
  try {
    // a 60,000-byte job each: node answers 100 Continue once the request is in flight
    for (const s of uploads) {
      const head = `POST /api/v1/jobs HTTP/1.1\r\nhost: 127.0.0.1\r\nauthorization: Bearer ${t.token}\r\ncontent-type: application/json\r\ncontent-length: 60000\r\nexpect: 100-continue\r\n\r\n`
      expect(statusLine(await ask(s, head))).toBe('HTTP/1.1 100 Continue')
    }
    const answers = uploads.map(untilClosed)
    // 700 bytes of each body, the rest never sent (the body rule would end each in 20 s)
    for (const s of uploads) s.write(`{"name":"${'x'.repeat(690)}`)
    await new Promise((r) => setTimeout(r, 200)) // their bytes read and held
    const newcomer = await c.open()
    expect(statusLine(await ask(newcomer, get('/api/v1/me', t.token)))).toBe('HTTP/1.1 200 OK')
    const displaced = await answers[0]!
    expect(statusLine(displaced)).toBe('HTTP/1.1 503 Service Unavailable')
    expect(displaced).toContain('"code":"server_busy"') // in the native envelope
    expect(uploads.slice(1).filter((s) => s.readyState !== 'open')).toHaveLength(0)
    // its 700 bytes are no longer held: a 900-byte body fits beside the other three
    newcomer.destroy()
    await c.holding(CAP - 1, 'the newcomer and the displaced upload closed')
    const body = `{"name":"${'y'.repeat(888)}"}`
    const next = await c.open()
    const answer = await ask(next, `POST /api/v1/jobs HTTP/1.1\r\nhost: 127.0.0.1\r\nauthorization: Bearer ${t.token}\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\nconnection: close\r\n\r\n${body}`)
    expect(statusLine(answer)).toMatch(/^HTTP\/1\.1 4\d\d /) // the job is refused for what it says, not for want of room
    expect(answer).not.toContain('server_busy')
  } finally {
    uploads.forEach((s) => s.destroy())
  }
})

it('a connection whose user was disabled is signed out by TuGraph’s refusal, answered HTTP 200: a newcomer takes its place', async () => {
  const tugraphToken = t.app.auth.issueToken(users.ann.record, TOKEN_KINDS.tugraph, 3_600_000)
  const held = await signedIn([users.ann.token, t.token, t.token, users.bob.token]) // every account within its two places
  try {
    t.app.store.users.update(users.ann.record.id, { isAdmin: false, disabled: true, rights: [] })
    const refused = await ask(held[0]!, `POST /LGraphHttpService/Query/clear_cache HTTP/1.1\r\nhost: 127.0.0.1\r\nauthorization: ${tugraphToken}\r\ncontent-length: 2\r\n\r\n{}`)
    expect(statusLine(refused)).toBe('HTTP/1.1 200 OK')
    expect(refused).toContain('Authentication failed.')
    const newcomer = await c.open()
    expect(statusLine(await ask(newcomer, get('/api/v1/me', t.token)))).toBe('HTTP/1.1 200 OK')
    expect(held.slice(1).filter((s) => s.readyState !== 'open')).toHaveLength(0) // the others keep theirs
    newcomer.destroy()
  } finally {
    t.app.store.users.update(users.ann.record.id, { isAdmin: false, disabled: false, rights: [] })
    held.forEach((s) => s.destroy())
  }
})

it('a signed-in keep-alive reused without a credential (a browser after sign-out) is signed out: a newcomer takes its place', async () => {
  const held = await signedIn([t.token, t.token, users.bob.token, users.carl.token])
  try {
    expect(statusLine(await ask(held[0]!, get('/openapi.json')))).toBe('HTTP/1.1 200 OK')
    const gaveWay = new Promise((ok) => held[0]!.once('close', ok)) // the one reused without a credential
    const newcomer = await c.open()
    expect(statusLine(await ask(newcomer, get('/api/v1/me', t.token)))).toBe('HTTP/1.1 200 OK')
    await gaveWay
    expect(held.slice(1).filter((s) => s.readyState !== 'open')).toHaveLength(0)
    newcomer.destroy()
  } finally {
    held.forEach((s) => s.destroy())
  }
})
