// #9 §1: no input takes the process down. The starting gate (http/starting.ts) answers requests from a
// plain 'request' listener, outside fastify's error handling: an error there that was rethrown (the
// Host check failing other than by its refusal) was an uncaught exception, the end of the process. It
// is logged and the request still answered 503 `starting`.
import Fastify from 'fastify'
import { connect, type AddressInfo } from 'node:net'
import { afterEach, expect, it } from 'vitest'
import { holdUntilReady } from '../../electron/http/starting'

let close: (() => Promise<void>) | undefined
afterEach(async () => close?.())

it('answers 503 starting when the Host check fails unexpectedly, and logs it', async () => {
  const logged: string[] = []
  const app = Fastify({ logger: { level: 'error', stream: { write: (line: string) => void logged.push(line) } } })
  close = () => app.close()
  holdUntilReady(app, () => {
    throw new TypeError('a bug in the host check')
  })
  await new Promise<void>((ok) => app.server.listen(0, '127.0.0.1', ok))
  const { port } = app.server.address() as AddressInfo
  const res = await fetch(`http://127.0.0.1:${port}/api/v1/health`)
  expect(res.status).toBe(503)
  expect(res.headers.get('retry-after')).toBe('1')
  expect(await res.json()).toMatchObject({ error: { code: 'starting' } })
  expect(logged.join('')).toContain('a bug in the host check')
})

// a new user's attack: while starting, Explorer answered HTTP 500 ErrInternalServer (and logged it as a
// bug), TuGraph errorCode "400" like a bad request (tugraph-db-browser takes a "400" without a token as
// "sign in again"). Neither has an "unavailable" code (reference/jobapis.md §B.2, tugraph.md §1.1): Explorer
// keeps its documented ErrInternalServer code but is sent with HTTP 503, TuGraph says "500" (the server's
// side, not the request's), both with Retry-After.
it('answers Explorer with HTTP 503 and TuGraph with errorCode "500" while starting, each with Retry-After, logging no error', async () => {
  const logged: string[] = []
  const app = Fastify({ logger: { level: 'error', stream: { write: (line: string) => void logged.push(line) } } })
  close = () => app.close()
  holdUntilReady(app, () => {})
  await new Promise<void>((ok) => app.server.listen(0, '127.0.0.1', ok))
  const { port } = app.server.address() as AddressInfo
  const explorer = await fetch(`http://127.0.0.1:${port}/api-open/v1/jobs`)
  expect(explorer.status).toBe(503)
  expect(explorer.headers.get('retry-after')).toBe('1')
  expect(await explorer.json()).toEqual({ code: 50004000, message: 'ErrInternalServer: JobDesk is starting: try again in a moment' })
  const tugraph = await fetch(`http://127.0.0.1:${port}/LGraphHttpService/Query/cypher`, { method: 'POST', body: '{}' })
  expect(tugraph.status).toBe(200) // TuGraph's envelope: always 200
  expect(tugraph.headers.get('retry-after')).toBe('1')
  expect(await tugraph.json()).toEqual({ errorCode: '500', errorMessage: 'JobDesk is starting: try again in a moment' })
  expect(logged.join('')).toBe('')
})

// a new user's attack: during a stop (Ctrl+C), a request on a connection still open got fastify's bare
// {"error":"Service Unavailable","statusCode":503}, in no API's envelope and without Retry-After
it('answers 503 stopping in each API envelope, with Retry-After, once the server is closing', async () => {
  const app = Fastify()
  holdUntilReady(app, () => {}).open()
  let closeBegun = false // after the gate's own preClose hook
  app.addHook('preClose', (done) => {
    closeBegun = true
    done()
  })
  let release = (): void => undefined
  const held = new Promise<void>((ok) => (release = ok))
  let slow = 0
  app.get('/slow', async () => {
    slow++
    await held
    return { ok: true }
  })
  await new Promise<void>((ok) => app.server.listen(0, '127.0.0.1', ok))
  await app.ready()
  const { port } = app.server.address() as AddressInfo
  let requests = 0
  app.server.on('request', () => requests++)
  const until = async (done: () => boolean) => {
    while (!done()) await new Promise((ok) => setTimeout(ok, 10))
  }
  // one connection per API, each busy with /slow so closing keeps it open
  const paths = ['/', '/api/v1/health', '/api-open/v1/jobs', '/LGraphHttpService/Query/cypher', '/api/rest_j/v1/entrance/1/status']
  const sockets = paths.map(() => {
    const socket = connect(port, '127.0.0.1')
    const got = { text: '', ended: new Promise<void>((ok) => socket.on('close', () => ok())) }
    socket.on('data', (c: Buffer) => (got.text += c.toString('utf8')))
    socket.write('GET /slow HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n')
    return { socket, got }
  })
  await until(() => slow === paths.length)
  const closing = app.close()
  await until(() => closeBegun)
  sockets.forEach(({ socket }, i) => socket.write(`GET ${paths[i]} HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n`))
  await until(() => requests === 2 * paths.length)
  release()
  await closing
  for (const { socket, got } of sockets) {
    socket.end()
    await got.ended
  }
  const answers = sockets.map(({ got }) => got.text.split(/(?=HTTP\/1\.1 )/)[1] ?? '')
  const body = (a: string) => JSON.parse(a.slice(a.indexOf('\r\n\r\n') + 4))
  for (const a of answers) expect(a).toMatch(/\r\nretry-after: \d+\r\n/i)
  const [root, native, explorer, tugraph, linkis] = answers
  expect(root).toMatch(/^HTTP\/1\.1 503 /)
  expect(body(root)).toMatchObject({ error: { kind: 'unavailable', code: 'stopping' } })
  expect(body(native)).toMatchObject({ error: { code: 'stopping' } })
  expect(explorer).toMatch(/^HTTP\/1\.1 503 /)
  expect(body(explorer)).toMatchObject({ code: 50004000, message: expect.stringMatching(/^ErrInternalServer: JobDesk is stopping/) })
  expect(tugraph).toMatch(/^HTTP\/1\.1 200 /)
  expect(body(tugraph)).toMatchObject({ errorCode: '500', errorMessage: expect.stringMatching(/^JobDesk is stopping/) })
  expect(body(linkis)).toMatchObject({ status: expect.any(Number), message: expect.stringMatching(/^JobDesk is stopping/) })
})
