// Three places lean on how node's http server and fastify work inside, for want of a public way
// (body10): the body rule counts a body where node's HTTP parser hands it on, the request stream's
// `push` (body-rate.ts onBodyBytes); a lingering close waits for the body by wrapping the socket's
// `destroySoon`, which node calls after a `Connection: close` answer (linger.ts holdCloseUntilRead);
// and the pipelining bound takes fastify's handler, the one 'request' listener Fastify() puts on its
// server, off that server and calls it itself (pipelining.ts boundPipelining).
// These tests fail when a node or fastify upgrade changes any of them, and show that the close still
// waits for the body on a node without destroySoon (what node does then: `socket.end()`).
import Fastify from 'fastify'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { connect, type AddressInfo, type Socket } from 'node:net'
import { afterEach, expect, it } from 'vitest'
import { onBodyBytes } from '../../electron/http/body-rate'
import { holdCloseUntilRead } from '../../electron/http/linger'
import { boundPipelining } from '../../electron/http/pipelining'

let server: Server | undefined
afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())))

/** A plain node http server answering each request with `handle`; resolves with its port. */
async function serve(handle: (req: IncomingMessage, res: ServerResponse) => void): Promise<number> {
  server = createServer(handle)
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r))
  return (server.address() as AddressInfo).port
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms))

it('node’s HTTP parser hands each chunk of a body to the request’s push, framing taken off, and null when it is whole', async () => {
  const counted: (number | null)[] = []
  let read = 0
  const port = await serve((req, res) => {
    onBodyBytes(req, (bytes) => counted.push(bytes))
    req.on('data', (d: Buffer) => void (read += d.length))
    req.on('end', () => res.end('ok'))
  })
  const socket = connect(port, '127.0.0.1')
  let got = ''
  socket.on('data', (d) => void (got += String(d)))
  socket.write('POST / HTTP/1.1\r\nhost: 127.0.0.1\r\ntransfer-encoding: chunked\r\n\r\n')
  await pause(50)
  // a chunk-size line with leading zeros: framing, not body
  for (const part of ['0000000000000a\r\n0123456789\r\n', '5\r\nabcde\r\n', '0\r\n\r\n']) {
    socket.write(part)
    await pause(30)
  }
  await expect.poll(() => got).toMatch(/^HTTP\/1\.1 200 /)
  socket.destroy()
  expect(counted.filter((n) => n !== null).reduce((a, n) => a! + n!, 0)).toBe(15)
  expect(read).toBe(15)
  expect(counted.at(-1), 'the end: push(null)').toBeNull()
})

/**
 * Answers a POST of 300,000 bytes with `Connection: close` after its first 100,000, through
 * holdCloseUntilRead (after `prepare` has its way with the server's socket), and sends the rest
 * 300 ms later. Resolves with when the server's socket closed (ms after the answer), whether the
 * client read the answer and met no error, and whether the socket had destroySoon.
 */
async function closeAfterAnswerWhileSending(prepare: (socket: Socket) => void = () => undefined) {
  let answeredAt = 0
  let closedAt = 0
  let hadDestroySoon = false
  const port = await serve((req, res) => {
    const socket = req.socket
    hadDestroySoon = typeof (socket as Socket & { destroySoon?: unknown }).destroySoon === 'function'
    prepare(socket)
    socket.once('close', () => void (closedAt = Date.now()))
    req.once('data', () => {
      holdCloseUntilRead(req)
      res.setHeader('connection', 'close')
      res.end('refused')
      answeredAt = Date.now()
    })
  })
  // as curl does, it goes on sending after the server's FIN (a net client would end at once)
  const client = connect({ port, host: '127.0.0.1', allowHalfOpen: true })
  let got = ''
  let error: string | undefined
  client.on('data', (d) => void (got += String(d)))
  client.on('error', (e) => void (error = (e as NodeJS.ErrnoException).code))
  client.write('POST / HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-length: 300000\r\n\r\n')
  client.write(Buffer.alloc(100_000, 97))
  await expect.poll(() => got).toContain('refused')
  await pause(300)
  const stillOpen = closedAt === 0
  await new Promise<void>((r) => client.write(Buffer.alloc(200_000, 97), () => r()))
  await expect.poll(() => closedAt, { timeout: 3_000 }).toBeGreaterThan(0)
  client.destroy()
  return { stillOpen, closedAfterMs: closedAt - answeredAt, answered: got.includes('refused'), error, hadDestroySoon }
}

it('node closes a Connection: close answer’s socket through destroySoon, and holdCloseUntilRead holds it until the body is read', async () => {
  const r = await closeAfterAnswerWhileSending()
  expect(r.hadDestroySoon, 'node’s sockets have destroySoon (else linger.ts falls back: the test below)').toBe(true)
  expect(r.stillOpen, 'open while the body comes').toBe(true)
  expect(r.closedAfterMs, 'closed once the rest was read').toBeGreaterThanOrEqual(300)
  expect(r.answered).toBe(true)
  expect(r.error).toBeUndefined()
})

it('on a node whose sockets have no destroySoon, holdCloseUntilRead still closes the connection once the body is read', async () => {
  const r = await closeAfterAnswerWhileSending((socket) => void ((socket as { destroySoon?: unknown }).destroySoon = undefined))
  expect(r.stillOpen, 'open while the body comes').toBe(true)
  expect(r.closedAfterMs, 'closed once the rest was read').toBeGreaterThanOrEqual(300)
  expect(r.answered).toBe(true)
  expect(r.error).toBeUndefined()
})

it('fastify puts its handler on its server as the one "request" listener when it is made, and adds none later: the pipelining bound takes it off and calls it itself', async () => {
  const app = Fastify()
  let served = 0
  app.get('/', async () => {
    served++
    return 'ok'
  })
  const fastifys = app.server.listeners('request')
  expect(fastifys, 'Fastify() put one request listener on its server').toHaveLength(1)
  boundPipelining(app.server, 1)
  await app.listen({ port: 0, host: '127.0.0.1' })
  try {
    const listeners = app.server.listeners('request')
    expect(listeners, 'ready and listen added no request listener: every request goes through the bound').toHaveLength(1)
    expect(listeners[0]).not.toBe(fastifys[0])
    // three pipelined requests on one connection, a bound of one: fastify is handed the first only
    const socket = connect((app.server.address() as AddressInfo).port, '127.0.0.1')
    let got = ''
    socket.on('data', (d) => void (got += String(d)))
    const closed = new Promise((r) => socket.once('close', r))
    socket.write('GET / HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n'.repeat(3))
    await closed
    expect(got.match(/^HTTP\/1\.1 200 /gm), 'answered through the bound: fastify’s handler works when called so').toHaveLength(1)
    expect(got).toMatch(/connection: close/i)
    expect(served).toBe(1)
  } finally {
    await app.close()
  }
})
