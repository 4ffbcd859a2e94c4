// One client without an account held every connection the server allows (#9 §2, atk40 MEDIUM): it
// sent one request on each connection, got 401, and each connection stayed an idle keep-alive for
// fastify's 72 s, renewed by each new request; every other client's new connection was then closed
// unanswered, the admin's browser included. Here the cap is 4 (connection-limits.ts): whatever one
// client without an account holds, a signed-in client still gets its answer; nor can one account's
// idle keep-alives hold every place.
import { request, Agent } from 'node:http'
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../support/app'
import { rawConnections, type RawConnections } from '../support/raw-connections'

const CAP = 4
let t: TestApp
let c: RawConnections
beforeAll(async () => {
  t = await startTestApp({ connections: { maxConnections: CAP } })
  c = rawConnections(t)
}, 60_000)
afterAll(() => t?.close())
beforeEach(() => c.holding(0, "the last test's connections closed"))

const port = (): number => Number(new URL(t.url).port)
/** A signed-in client's status request on a new connection: its status line, '' if closed unanswered. */
async function signedInStatus(): Promise<string> {
  const socket = await c.open()
  return new Promise((ok) => {
    let answer = ''
    socket.on('data', (d) => (answer += String(d)))
    socket.once('close', () => ok(answer.split('\r\n')[0]))
    socket.write(`GET /api/v1/me HTTP/1.1\r\nhost: 127.0.0.1\r\nauthorization: Bearer ${t.token}\r\nconnection: close\r\n\r\n`)
  })
}

/** `count` requests at once without a credential through a keep-alive agent; their statuses. */
async function anonymous(agent: Agent, path: string, count: number): Promise<number[]> {
  const one = (): Promise<number> =>
    new Promise((ok, fail) => {
      const req = request({ host: '127.0.0.1', port: port(), path, agent }, (res) => {
        res.resume()
        res.once('end', () => ok(res.statusCode ?? 0))
      })
      req.once('error', fail)
      req.end()
    })
  return Promise.all(Array.from({ length: count }, one))
}

it('a client that got 401 on every connection it could open leaves a signed-in client its answer', async () => {
  const agent = new Agent({ keepAlive: true, maxSockets: CAP })
  try {
    expect(await anonymous(agent, '/api/v1/jobs', CAP)).toEqual(Array(CAP).fill(401))
    expect(await signedInStatus()).toBe('HTTP/1.1 200 OK')
    // the refused connections are not kept alive for the next try
    await c.holding(0, 'the connections answered 401 closed')
    // nor are the event streams' (16 a user, 128 in all: only a signed-in user gets one)
    expect(await anonymous(agent, '/api/v1/events', CAP)).toEqual(Array(CAP).fill(401))
    await c.holding(0, 'the event streams refused 401 closed')
  } finally {
    agent.destroy()
  }
})

it('idle keep-alive connections of answers that need no account give way to a signed-in client', async () => {
  const agent = new Agent({ keepAlive: true, maxSockets: CAP })
  try {
    expect(await anonymous(agent, '/openapi.json', CAP)).toEqual(Array(CAP).fill(200))
    expect(await c.count()).toBe(CAP) // kept alive: they may be a browser's
    expect(await signedInStatus()).toBe('HTTP/1.1 200 OK')
    expect(await c.count()).toBeLessThanOrEqual(CAP)
  } finally {
    agent.destroy()
  }
})

it('connections of one address that never finish a request without an account give way to a signed-in client', async () => {
  // sign-in bodies that never come: each request is in flight for the body's 20 s (body-rate.ts)
  const held = await Promise.all(Array.from({ length: CAP }, () => c.open()))
  for (const s of held) s.write('POST /api/v1/login HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{')
  try {
    await c.holding(CAP, 'the slow sign-ins held')
    await new Promise((r) => setTimeout(r, 100)) // their heads read: requests in flight
    expect(await signedInStatus()).toBe('HTTP/1.1 200 OK')
    expect(await c.count()).toBeLessThanOrEqual(CAP)
  } finally {
    held.forEach((s) => s.destroy())
  }
})

it('one account holding every place with idle keep-alives gives way to a new connection too', async () => {
  const held = await Promise.all(Array.from({ length: CAP }, () => c.open()))
  const answered = held.map((s) => new Promise((ok) => s.once('data', ok)))
  for (const s of held) s.write(`GET /api/v1/me HTTP/1.1\r\nhost: 127.0.0.1\r\nauthorization: Bearer ${t.token}\r\n\r\n`)
  try {
    await Promise.all(answered)
    expect(await c.count()).toBe(CAP)
    expect(await signedInStatus()).toBe('HTTP/1.1 200 OK')
    expect(held.filter((s) => s.readyState === 'open').length).toBeGreaterThanOrEqual(CAP / 2) // only those over the user's half gave way
  } finally {
    held.forEach((s) => s.destroy())
  }
})

it('a refusal while its body still arrives closes the connection once the body is read, not as a keep-alive', async () => {
  const socket = await c.open()
  let answer = ''
  const closed = new Promise<void>((ok) => socket.once('close', () => ok()))
  const answered = new Promise<void>((ok) => socket.on('data', (d) => ((answer += String(d)), ok())))
  socket.write('POST /api/v1/jobs HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: 10\r\n\r\n{"a":')
  await answered
  expect(answer.split('\r\n')[0]).toBe('HTTP/1.1 401 Unauthorized')
  socket.write('1234}')
  await closed
  await c.holding(0, 'the refused upload closed')
})
