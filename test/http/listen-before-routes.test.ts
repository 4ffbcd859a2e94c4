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
  /** The error sending the request met after its answer came (EPIPE), if any. */
  error?: string
}

/** `method` `path` sent to `port` (`headers` beside a JSON content type, `body` or `{}` for a POST); `started`: whether startApp resolved. */
const askOf = (started: () => boolean, port: number, method: string, path: string, headers: Record<string, string> = {}, body?: Buffer) =>
  new Promise<Answer>((ok, fail) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers: { 'content-type': 'application/json', ...headers } }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8')
        answer = { status: res.statusCode!, retryAfter: res.headers['retry-after'], body: text.startsWith('{') ? JSON.parse(text) : text, duringStart: !started() }
      })
    })
    // answered once the request is over: an error sending its body (EPIPE, a reset) after the answer came is told too
    let answer: Answer | undefined
    let error: string | undefined
    req.on('error', (e: NodeJS.ErrnoException) => (error = e.code ?? e.message))
    req.on('close', () => (answer ? ok({ ...answer, error }) : fail(new Error(`no answer: ${error}`))))
    req.end(method === 'POST' ? (body ?? '{}') : undefined)
  })

/** Starts an app (its data in a temp folder) and sends `send(port)`'s requests as soon as its port listens; their answers. */
async function askWhileStarting(send: (ask: (method: string, path: string, headers?: Record<string, string>, body?: Buffer) => Promise<Answer>) => Promise<Answer>[]): Promise<Answer[]> {
  const dataDir = tempDir()
  let started = false
  const answers: Promise<Answer>[] = []
  const listen = Server.prototype.listen
  Server.prototype.listen = function (this: Server, ...args: unknown[]) {
    this.once('listening', () => {
      const { port } = this.address() as AddressInfo
      answers.push(...send((method, path, headers, body) => askOf(() => started, port, method, path, headers, body)))
    })
    return (listen as (...a: unknown[]) => Server).apply(this, args)
  } as typeof listen
  try {
    app = await startApp({ dataDir, host: '127.0.0.1', port: 0, concurrency: 2 })
    started = true
  } finally {
    Server.prototype.listen = listen
  }
  return Promise.all(answers)
}

it('the port answers while the routes are made: 503 starting with Retry-After, in each API envelope', { timeout: 60_000 }, async () => {
  const dataDir = tempDir()
  const staticDir = join(dataDir, 'renderer') // the UI's files, as serve gives them
  mkdirSync(staticDir)
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>JobDesk</title>')
  let started = false
  const answers: Promise<Answer>[] = []
  const ask = (port: number, method: string, path: string) => askOf(() => started, port, method, path)
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

it('while the routes are made, a foreign Host is refused 403 bad_host, and a large body is read before the 503 (it was reset)', { timeout: 60_000 }, async () => {
  await app?.close()
  app = undefined
  const [foreign, big] = await askWhileStarting((ask) => [
    ask('GET', '/api/v1/health', { host: 'evil.example' }),
    ask('POST', '/flow/finish.json?execution_id=x&task_name=y', {}, Buffer.alloc(8 * 1024 * 1024, 0x20)),
  ])
  // before: 503 starting to any Host (a rebinding page learnt the server was there), and EPIPE for the 8 MiB POST
  expect(foreign.duringStart, 'the server answered only once its start was over').toBe(true)
  expect(foreign.status).toBe(403)
  expect(foreign.body.error).toMatchObject({ code: 'bad_host' })
  expect(big.status).toBe(503) // the gate's (its answer may end after the start: the body is read first)
  expect(big.body).toMatchObject({ error: 'JobDesk is starting: try again in a moment' })
  expect(big.error).toBeUndefined()
  expect(big.retryAfter).toBe(String(STARTING_RETRY_AFTER_S))
})


it('reports no stall while the routes are made: stall watching starts once they are ready (every start logged "held 1010 ms")', { timeout: 60_000 }, async () => {
  await app?.close()
  app = undefined
  const warned: string[] = []
  const warn = console.warn
  console.warn = (...args: unknown[]) => void warned.push(args.map(String).join(' ')) // stall reports' default writer
  let started = false
  let heldDuringStart: boolean | undefined
  const listen = Server.prototype.listen
  Server.prototype.listen = function (this: Server, ...args: unknown[]) {
    // the thread held 400 ms just after listening, while the routes are made (a loaded machine took 1 s)
    this.once('listening', () =>
      setTimeout(() => {
        heldDuringStart = !started
        const until = performance.now() + 400
        while (performance.now() < until);
      }, 0),
    )
    return (listen as (...a: unknown[]) => Server).apply(this, args)
  } as typeof listen
  try {
    app = await startApp({ dataDir: tempDir(), host: '127.0.0.1', port: 0, concurrency: 2, watchStalls: true })
    started = true
    await new Promise((r) => setTimeout(r, 300)) // a report comes at the watch's first tick after a hold
  } finally {
    Server.prototype.listen = listen
    console.warn = warn
  }
  expect(heldDuringStart).toBe(true)
  expect(warned.filter((w) => w.includes('the main thread was held'))).toEqual([])
})
