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
