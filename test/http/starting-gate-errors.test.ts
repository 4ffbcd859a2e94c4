// #9 §1: no input takes the process down. The starting gate (http/starting.ts) answers requests from a
// plain 'request' listener, outside fastify's error handling: an error there that was rethrown (the
// Host check failing other than by its refusal) was an uncaught exception, the end of the process. It
// is logged and the request still answered 503 `starting`.
import Fastify from 'fastify'
import type { AddressInfo } from 'node:net'
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
