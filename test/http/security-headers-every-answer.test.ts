// Every answer the server sends carries the security headers (security-headers.ts: CSP with
// frame-ancestors 'none', X-Frame-Options DENY, nosniff; #9 §4/§6), not only those a route's reply
// path writes: fastify's own refusals (no route, a body of the wrong type or bad JSON, errors found
// before routing), the gates' refusals (body limits, body rate, a displaced upload, the pipelining
// bound), answers node's HTTP parser refused (client-errors.ts) and a hijacked event stream. An
// answer that ends the connection says `Connection: close`, and one sent while the body still
// arrives is read by the client before the connection goes (linger.ts).
// Before gate11 these went without: fastify's errors found before routing (no hook runs for them:
// no headers, and a keep-alive though a refusal of a connection not signed in closes it), node's
// own bare 400 to a request without Host and 417 to an Expect it does not meet, the event stream,
// and the parser's refusals client-errors.ts writes on the socket (nosniff only).
// The one exception is an answer there is none of: node writes nothing itself on a raw socket here
// (its parser's refusals are client-errors.ts's, which carry the headers), and the connections
// closed unanswered (past the cap, a head never begun before its time, requests pipelined past the
// bound) get no answer to carry them. A refusal the parser makes is not lingered over: the rest of
// that request cannot be read as HTTP, so its connection is closed at once.
import { connect, type Socket } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EVENTS_PATH } from '../../shared/api'
import { startTestApp, type TestApp } from '../support/app'
import { ask, get, rawConnections, statusLine } from '../support/raw-connections'

/** The main app: node's defaults but a short head time (so a timed-out head is seen soon) and a pipelining bound of 2. */
let t: TestApp
/** A tight app: 4 places, bodies held to 3,000 bytes and given 1 s. */
let tight: TestApp
beforeAll(async () => {
  ;[t, tight] = await Promise.all([
    startTestApp({ connections: { headersTimeoutMs: 1000, pipelinedAhead: 2 } }),
    startTestApp({ connections: { maxConnections: 4, bodyTimeoutMs: 1000, bodyBytesHeldMax: 3000, bodyBytesHeldShare: 3000 } }),
  ])
}, 60_000)
afterAll(() => Promise.all([t?.close(), tight?.close()]))

/** An answer's status and headers (lower-case names), read from its head. */
interface Answer {
  status: number
  headers: Map<string, string>
}

function parseHead(text: string): Answer {
  const [statusLine = '', ...lines] = text.slice(0, text.indexOf('\r\n\r\n')).split('\r\n')
  return { status: Number(statusLine.split(' ')[1]), headers: new Map(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()])) }
}

/** The heads of every answer in `text` (several on a pipelined connection). */
const heads = (text: string): Answer[] =>
  text
    .split(/(?=HTTP\/1\.1 \d{3} )/)
    .filter((a) => a.startsWith('HTTP/1.1 ') && !a.startsWith('HTTP/1.1 100 '))
    .map(parseHead)

/** Asserts the security headers on `answer`, naming `what`. */
function expectSecurityHeaders(what: string, answer: Answer): void {
  expect(answer.headers.get('x-frame-options'), `${what}: X-Frame-Options`).toBe('DENY')
  expect(answer.headers.get('x-content-type-options'), `${what}: nosniff`).toBe('nosniff')
  expect(answer.headers.get('content-security-policy') ?? '', `${what}: CSP`).toContain("frame-ancestors 'none'")
  expect(answer.headers.get('content-security-policy') ?? '', `${what}: CSP`).toContain("default-src 'self'")
}

const port = (app: TestApp) => Number(new URL(app.url).port)

/** Opens a raw connection to `app` (a server's close or reset is expected here). */
const open = (app: TestApp): Promise<Socket> =>
  new Promise((ok) => {
    const s = connect({ port: port(app), host: '127.0.0.1', allowHalfOpen: true }, () => ok(s))
    s.on('error', () => undefined)
  })

/**
 * Writes `request` on a new connection and reads what comes back until the server closes it or
 * `quietMs` pass after the first answer (`closed` false then): the whole text, and whether it closed.
 */
async function exchange(app: TestApp, request: string, quietMs = 300, withinMs = 10_000): Promise<{ text: string; closed: boolean }> {
  const socket = await open(app)
  return new Promise((ok) => {
    let text = ''
    let quiet: NodeJS.Timeout | undefined
    const giveUp = setTimeout(() => finish(false), withinMs)
    const finish = (closed: boolean) => {
      clearTimeout(giveUp)
      clearTimeout(quiet)
      socket.destroy()
      ok({ text, closed })
    }
    socket.on('data', (d) => {
      text += String(d)
      clearTimeout(quiet)
      if (text.includes('\r\n\r\n')) quiet = setTimeout(() => finish(false), quietMs)
    })
    socket.once('end', () => finish(true)) // the server's FIN: it closes its side (this one is half open)
    socket.once('close', () => finish(true))
    socket.write(request)
  })
}

const head = (method: string, path: string, headers: Record<string, string | number> = {}): string =>
  `${method} ${path} HTTP/1.1\r\n${Object.entries({ host: '127.0.0.1', ...headers })
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('')}\r\n`

describe('answers to requests that carry no credential, each closing its connection', () => {
  it.each<[string, string, number]>([
    ['an unknown native route (404)', get('/api/v1/no-such-route'), 404],
    ['an unknown Linkis route (404)', get('/api/rest_j/v1/no/such/route'), 404],
    ['an unknown Rill Flow route (404)', get('/flow/no_such_route.json'), 404],
    ['an unknown GES route (404)', get('/v2/no/such/route'), 404],
    ['an unknown Explorer route (404)', get('/api-open/no/such/route'), 404],
    ['a body of a type the route does not read (415)', `${head('POST', '/api/v1/login', { 'content-type': 'application/xml', 'content-length': 4 })}<a/>`, 415],
    ['a body that is not JSON (400)', `${head('POST', '/api/v1/login', { 'content-type': 'application/json', 'content-length': 1 })}{`, 400],
    ['a malformed %-escape in the path: fastify’s FST_ERR_BAD_URL (400)', get('/api/v1/jobs/%zz'), 400],
    ['a malformed %-escape under Linkis: FST_ERR_BAD_URL (400)', get('/api/rest_j/v1/entrance/%zz/status'), 400],
    ['a path parameter over fastify’s length: FST_ERR_MAX_PARAM_LENGTH (400)', get(`/api/v1/jobs/${'1'.repeat(150)}`), 400],
    ['a Host not allowed (403)', head('GET', '/api/v1/health', { host: 'attacker.example' }), 403],
    ['no Host at all (400 in the envelope, not node’s bare one)', 'GET /api/v1/health HTTP/1.1\r\n\r\n', 400],
    ['an Expect node does not meet (417 in the envelope, not node’s bare one)', head('GET', '/api/v1/health', { expect: 'something-else' }), 417],
    ['an Origin not allowed (403)', head('GET', '/api/v1/health', { origin: 'http://attacker.example' }), 403],
    ['no credential (401)', get('/api/v1/me'), 401],
    // written on the socket by client-errors.ts: the parser refused the request, no response exists
    ['a request that is not HTTP (400)', 'GARBAGE / HTTP/1.1\r\n\r\n', 400],
    ['a head over node’s 16 KB (431)', get(`/api/v1/health?pad=${'x'.repeat(20_000)}`), 431],
  ])('%s', async (what, request, status) => {
    const { text, closed } = await exchange(t, request)
    const answers = heads(text)
    expect(answers.map((a) => a.status), what).toEqual([status])
    expectSecurityHeaders(what, answers[0]!)
    expect(answers[0]!.headers.get('connection'), `${what}: Connection`).toBe('close')
    expect(closed, `${what}: closed`).toBe(true)
  })

  it('a head that does not arrive in time (408, written on the socket)', async () => {
    // node's sweep looks every 5 s (connection-limits.ts CONNECTIONS_CHECK_MS); the head time here is 1 s
    const { text, closed } = await exchange(t, 'GET /api/v1/health HTTP/1.1\r\nhost: 127.0.0.1\r\n', 300, 10_000)
    const answers = heads(text)
    expect(answers.map((a) => a.status)).toEqual([408])
    expectSecurityHeaders('timed-out head', answers[0]!)
    expect(answers[0]!.headers.get('connection')).toBe('close')
    expect(closed).toBe(true)
  }, 15_000)

  it('an unknown TuGraph route is answered with HTTP 200 (its envelope), the headers on it, and keeps its connection', async () => {
    const { text, closed } = await exchange(t, get('/LGraphHttpService/no/such/route'))
    const [answer] = heads(text)
    expect(answer!.status).toBe(200)
    expectSecurityHeaders('TuGraph 404', answer!)
    expect(closed).toBe(false)
  })
})

/**
 * Sends `first` on a new connection to `app`, and once an answer has come, `rest` (the rest of the
 * body): the answer's head, whether the server kept the connection while the body was still
 * arriving, whether it closed it once the rest came, and any error the client met (a reset).
 */
async function answeredWhileSending(app: TestApp, first: string, rest: string): Promise<{ answer: Answer; openWhileSending: boolean; closedAfterRest: boolean; error?: string }> {
  const socket = await open(app)
  let text = ''
  let ended = false
  let error: string | undefined
  socket.on('data', (d) => void (text += String(d)))
  socket.once('end', () => void (ended = true))
  socket.once('close', () => void (ended = true))
  socket.on('error', (e) => void (error = (e as NodeJS.ErrnoException).code))
  socket.write(first)
  await expect.poll(() => text.includes('\r\n\r\n') && !text.startsWith('HTTP/1.1 100 '), { timeout: 5_000 }).toBe(true)
  await new Promise((r) => setTimeout(r, 200))
  const openWhileSending = !ended
  socket.write(rest)
  await expect.poll(() => ended, { timeout: 3_000 }).toBe(true).catch(() => undefined)
  const closedAfterRest = ended
  socket.destroy()
  return { answer: heads(text)[0]!, openWhileSending, closedAfterRest, error }
}

describe('an answer sent while the body still arrives: read by the client, the connection closed once the rest is read', () => {
  const json = (length: number) => ({ 'content-type': 'application/json', 'content-length': length })
  it.each<[string, string, number]>([
    ['a body over the route’s limit (413)', 'POST /api/v1/login', 413],
    ['a malformed %-escape: fastify’s FST_ERR_BAD_URL (400)', 'POST /api/v1/jobs/%zz/cancel', 400],
  ])('%s', async (what, line, status) => {
    const [method, path] = line.split(' ') as [string, string]
    const r = await answeredWhileSending(t, `${head(method, path, json(200_000))}${'a'.repeat(100_000)}`, 'a'.repeat(100_000))
    expect(r.answer.status, what).toBe(status)
    expectSecurityHeaders(what, r.answer)
    expect(r.answer.headers.get('connection'), what).toBe('close')
    expect(r.openWhileSending, `${what}: open while the body comes`).toBe(true)
    expect(r.closedAfterRest, `${what}: closed once it came`).toBe(true)
    expect(r.error, `${what}: no reset`).toBeUndefined()
  })

  it('an Expect node does not meet (417)', async () => {
    const r = await answeredWhileSending(t, `${head('POST', '/api/v1/login', { ...json(200_000), expect: 'something-else' })}${'a'.repeat(100_000)}`, 'a'.repeat(100_000))
    expect(r.answer.status).toBe(417)
    expectSecurityHeaders('417', r.answer)
    expect(r.answer.headers.get('connection')).toBe('close')
    expect([r.openWhileSending, r.closedAfterRest, r.error]).toEqual([true, true, undefined])
  })
})

describe('answers that bypass fastify’s reply: a hijacked stream, the pipelining bound', () => {
  it('the event stream (its own head, written on the raw response)', async () => {
    const { text, closed } = await exchange(t, get(EVENTS_PATH, t.token))
    const [answer] = heads(text)
    expect(answer!.status).toBe(200)
    expect(answer!.headers.get('content-type')).toMatch(/^text\/event-stream/)
    expectSecurityHeaders('event stream', answer!)
    expect(closed).toBe(false)
  })

  it('requests pipelined past the bound: the answers taken up, the last saying Connection: close', async () => {
    const { text, closed } = await exchange(t, get('/api/v1/health', t.token).repeat(5))
    const answers = heads(text)
    expect(answers.map((a) => a.status)).toEqual([200, 200])
    answers.forEach((a, i) => expectSecurityHeaders(`pipelined answer ${i}`, a))
    expect(answers.map((a) => a.headers.get('connection'))).toEqual(['keep-alive', 'close'])
    expect(closed).toBe(true)
  })
})

describe('the body gates’ refusals (4 places, bodies held to 3,000 bytes and given 1 s)', () => {
  const c = () => rawConnections(tight)
  const upload = (length: number, token?: string) =>
    head('POST', '/api/v1/jobs', { ...(token ? { authorization: `Bearer ${token}` } : {}), 'content-type': 'application/json', 'content-length': length })

  it('a body too slow (408): closed once the rest is read', async () => {
    await c().holding(0, 'earlier connections closed')
    const r = await answeredWhileSending(tight, `${upload(2000, tight.token)}{"a":`, 'a'.repeat(1995))
    expect(r.answer.status).toBe(408)
    expectSecurityHeaders('408', r.answer)
    expect(r.answer.headers.get('connection')).toBe('close')
    expect([r.openWhileSending, r.closedAfterRest, r.error]).toEqual([true, true, undefined])
  })

  it('bodies over the bytes held (503): closed once the rest is read', async () => {
    await c().holding(0, 'earlier connections closed')
    const r = await answeredWhileSending(tight, `${upload(5000, tight.token)}${'a'.repeat(3500)}`, 'a'.repeat(1500))
    expect(r.answer.status).toBe(503)
    expectSecurityHeaders('503', r.answer)
    expect(r.answer.headers.get('connection')).toBe('close')
    expect([r.openWhileSending, r.closedAfterRest, r.error]).toEqual([true, true, undefined])
  })

  it('a signed-in upload displaced by a newcomer (503): closed once answered', async () => {
    const conns = c()
    await conns.holding(0, 'earlier connections closed')
    const uploads: Socket[] = []
    try {
      for (let i = 0; i < 4; i++) {
        const s = await conns.open()
        uploads.push(s)
        expect(statusLine(await ask(s, get('/api/v1/me', tight.token)))).toBe('HTTP/1.1 200 OK')
      }
      for (const s of uploads) expect(statusLine(await ask(s, `${upload(60_000, tight.token).slice(0, -2)}expect: 100-continue\r\n\r\n`))).toBe('HTTP/1.1 100 Continue')
      const displaced = new Promise<string>((ok) => {
        let text = ''
        uploads[0]!.on('data', (d) => (text += String(d)))
        uploads[0]!.once('close', () => ok(text))
      })
      for (const s of uploads) s.write(`{"name":"${'x'.repeat(690)}`)
      await new Promise((r) => setTimeout(r, 200))
      const newcomer = await conns.open()
      expect(statusLine(await ask(newcomer, get('/api/v1/me', tight.token)))).toBe('HTTP/1.1 200 OK')
      newcomer.destroy()
      const [answer] = heads(await displaced)
      expect(answer!.status).toBe(503)
      expectSecurityHeaders('displaced upload', answer!)
      expect(answer!.headers.get('connection')).toBe('close')
    } finally {
      uploads.forEach((s) => s.destroy())
    }
  })
})
