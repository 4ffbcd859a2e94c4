// #9 (tfix2): a restart on a 100,000-item foreach refused connections for ~8 s: the server listened only
// once fastify had registered its plugins and routes (~3 s of a loaded machine's start) and the rest of
// the start was done. Now it listens as soon as its connection guards are on (after the data folder's
// lock and the refused --host checks), and a request that comes before the routes are ready is answered
// at once: 503 `starting` with Retry-After, in its API's envelope. Seen from the 'listening' event on:
// requests sent then, while the start goes on, are answered before startApp resolves.
import { mkdirSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { Server, type AddressInfo } from 'node:net'
import { join } from 'node:path'
import { afterAll, expect, it } from 'vitest'
import { startApp, type JobDeskApp } from '../../electron/app'
import { STARTING_RETRY_AFTER_S } from '../../electron/http/starting'
import { tempDir } from '../support/temp-store'

let app: JobDeskApp | undefined
afterAll(() => app?.close())

interface Answer {
  status: number
  retryAfter?: string
  body: any
  /** Whether it came before startApp resolved. */
  duringStart: boolean
}

it('the port answers while the routes are made: 503 starting with Retry-After, in each API envelope', { timeout: 60_000 }, async () => {
  const dataDir = tempDir()
  const staticDir = join(dataDir, 'renderer') // the UI's files, as serve gives them
  mkdirSync(staticDir)
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>JobDesk</title>')
  let started = false
  const answers: Promise<Answer>[] = []
  const ask = (port: number, method: string, path: string) =>
    new Promise<Answer>((ok, fail) => {
      const req = request({ host: '127.0.0.1', port, method, path, headers: { 'content-type': 'application/json' } }, (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8')
          ok({ status: res.statusCode!, retryAfter: res.headers['retry-after'], body: text.startsWith('{') ? JSON.parse(text) : text, duringStart: !started })
        })
      })
      req.on('error', fail)
      req.end(method === 'POST' ? '{}' : undefined)
    })
  const listen = Server.prototype.listen
  Server.prototype.listen = function (this: Server, ...args: unknown[]) {
    this.once('listening', () => {
      const { port } = this.address() as AddressInfo
      answers.push(ask(port, 'GET', '/api/v1/health'), ask(port, 'POST', '/flow/submit.json?descriptor_id=a:b'))
    })
    return (listen as (...a: unknown[]) => Server).apply(this, args)
  } as typeof listen
  try {
    app = await startApp({ dataDir, host: '127.0.0.1', port: 0, concurrency: 2, staticDir })
    started = true
  } finally {
    Server.prototype.listen = listen
  }
  const [health, submit] = await Promise.all(answers)
  // before: the first answer was the route's own (401 sign in first), given once the start was over
  expect(health.duringStart, 'the server answered only once its start was over').toBe(true)
  expect(health.status).toBe(503)
  expect(health.retryAfter).toBe(String(STARTING_RETRY_AFTER_S))
  expect(health.body.error).toMatchObject({ kind: 'unavailable', code: 'starting' })
  expect(submit.duringStart).toBe(true)
  expect(submit.status).toBe(503) // Rill Flow's envelope: its own fields, the same Retry-After
  expect(submit.retryAfter).toBe(String(STARTING_RETRY_AFTER_S))
  expect(submit.body).toMatchObject({ error_code: expect.any(Number), error: 'JobDesk is starting: try again in a moment' })
  // and once started, the routes answer
  const res = await fetch(`${app.url}/api/v1/health`)
  expect(res.status).toBe(401)
  expect((await fetch(`${app.url}/`)).status).toBe(200)
})
