import { Readable } from 'node:stream'
import Fastify, { type FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fetchFailureReason, urlForMessage } from '../../electron/executors/fetch-failure'
import { httpExecutor } from '../../electron/executors/http'
import { makeEngine, submit } from '../support/engine'
import { tempStore } from '../support/temp-store'

let echo: FastifyInstance
let base: string
let calls = 0

beforeAll(async () => {
  echo = Fastify({ forceCloseConnections: true }) // the answers cut at 4 MB leave their streams' requests unfinished on this side
  echo.post('/echo', async (req) => ({ got: req.body }))
  echo.post('/flaky', async (_req, reply) => (++calls < 2 ? reply.code(503).send('busy') : { ok: true }))
  echo.post('/bad', async (_req, reply) => reply.code(400).send({ error: 'nope' }))
  echo.post('/text', async (_req, reply) => reply.type('text/plain').send('hello'))
  // an answer past the 4 MB limit, streamed without a Content-Length (chunked)
  const sixMegabytes = function* () {
    for (let i = 0; i < 6; i++) yield Buffer.alloc(1 << 20, 0x20)
  }
  echo.post('/huge', async (_req, reply) => reply.type('application/json').send(Readable.from(sixMegabytes())))
  echo.post('/deep', async (_req, reply) => reply.type('application/json').send('['.repeat(5000) + ']'.repeat(5000)))
  base = await echo.listen({ host: '127.0.0.1', port: 0 })
})
afterAll(() => echo.close())

function run(tasks: Parameters<typeof submit>[1]) {
  const t = tempStore()
  const engine = makeEngine(t.store, { executors: [httpExecutor] })
  const job = submit(engine, tasks)
  return engine.waitFor(job.id).then((done) => ({ done, tasks: t.store.jobs.tasks(job.id), cleanup: t.cleanup }))
}

describe('http executor', () => {
  it('POSTs the input as JSON and stores the JSON response as output', async () => {
    const r = await run([{ name: 'call', executor: 'http', spec: { url: `${base}/echo` }, input: { a: 1 } }])
    expect(r.done.status).toBe('succeeded')
    expect(r.tasks[0].output).toEqual({ got: { a: 1 } })
    r.cleanup()
  })

  it('retries a 503 and succeeds', async () => {
    const r = await run([{ name: 'call', executor: 'http', spec: { url: `${base}/flaky` }, maxAttempts: 3, backoffMs: 10 }])
    expect(r.done.status).toBe('succeeded')
    expect(r.tasks[0].attempt).toBe(2)
    r.cleanup()
  })

  it('does not retry a 400, and says what the server answered', async () => {
    const r = await run([{ name: 'call', executor: 'http', spec: { url: `${base}/bad` }, maxAttempts: 3, backoffMs: 10 }])
    expect(r.done.status).toBe('failed')
    expect(r.tasks[0]).toMatchObject({ attempt: 1, error: `POST ${base}/bad answered HTTP 400: {"error":"nope"}` })
    r.cleanup()
  })

  it('rejects a non-JSON answer and a non-http URL', async () => {
    const r = await run([
      { name: 'text', executor: 'http', spec: { url: `${base}/text` } },
      { name: 'file', executor: 'http', spec: { url: 'file:///etc/passwd' } },
    ])
    const errors = Object.fromEntries(r.tasks.map((t) => [t.name, t.error]))
    expect(errors.text).toMatch(/body that is not JSON: hello/)
    expect(errors.file).toBe('spec.url must be an http:// or https:// URL')
    r.cleanup()
  })

  it('fails a task whose answer is over 4 MB or nested too deep, naming the limit, without retrying', async () => {
    const r = await run([
      { name: 'huge', executor: 'http', spec: { url: `${base}/huge` }, maxAttempts: 3, backoffMs: 10 },
      { name: 'deep', executor: 'http', spec: { url: `${base}/deep` }, maxAttempts: 3, backoffMs: 10 },
    ])
    const byName = Object.fromEntries(r.tasks.map((t) => [t.name, t]))
    expect(byName.huge).toMatchObject({ status: 'failed', attempt: 1, error: `POST ${base}/huge answered more than 4 MB, the most an answer may hold` })
    expect(byName.deep).toMatchObject({ status: 'failed', attempt: 1, error: `the answer of POST ${base}/deep nests deeper than 100 levels` })
    r.cleanup()
  })
})

describe('http executor: a call that gets no answer (newuser4 #10)', () => {
  it('says why (the connection’s error, not "fetch failed") and where, without credentials or query', async () => {
    const closed = Fastify()
    const port = Number(new URL(await closed.listen({ host: '127.0.0.1', port: 0 })).port)
    await closed.close() // nothing listens there now
    const r = await run([
      { name: 'closed', executor: 'http', spec: { url: `http://127.0.0.1:${port}/hook?token=secret` } },
      { name: 'credentials', executor: 'http', spec: { url: `http://user:secret@127.0.0.1:${port}/hook` } },
    ])
    expect(r.done.status).toBe('failed')
    const errors = Object.fromEntries(r.tasks.map((t) => [t.name, t.error]))
    expect(errors.closed).toBe(`POST http://127.0.0.1:${port}/hook failed: connect ECONNREFUSED 127.0.0.1:${port}`)
    // fetch refuses such a URL, quoting it whole: the error quotes it without them
    expect(errors.credentials).toBe(`POST http://127.0.0.1:${port}/hook failed: Request cannot be constructed from a URL that includes credentials: http://127.0.0.1:${port}/hook`)
    r.cleanup()
  })

  it('names each address tried when all refused (localhost on ::1 and 127.0.0.1), and a bare error as it is', () => {
    const refused = (address: string) => Object.assign(new Error(`connect ECONNREFUSED ${address}:9`), { code: 'ECONNREFUSED' })
    const both = Object.assign(new AggregateError([refused('::1'), refused('127.0.0.1')], ''), { code: 'ECONNREFUSED' })
    expect(fetchFailureReason(new TypeError('fetch failed', { cause: both }), 'http://localhost:9/')).toBe('connect ECONNREFUSED ::1:9; connect ECONNREFUSED 127.0.0.1:9')
    const timeout = Object.assign(new Error('Connect Timeout Error'), { code: 'UND_ERR_CONNECT_TIMEOUT' })
    expect(fetchFailureReason(new TypeError('fetch failed', { cause: timeout }), 'http://10.9.9.9/')).toBe('Connect Timeout Error (UND_ERR_CONNECT_TIMEOUT)')
    expect(fetchFailureReason(new DOMException('This operation was aborted', 'AbortError'), 'http://x/')).toBe('This operation was aborted')
    expect(urlForMessage('https://a:b@example.com:8443/p/q?key=1#frag')).toBe('https://example.com:8443/p/q')
  })
})
