// The endpoints of Rill Flow's docs/samples/executor/main.py, as test/workflows/fixtures/UPSTREAM.md §1
// describes them, including its quirks (greet/print/hello answer a JSON array: a Python set).
import Fastify, { type FastifyInstance } from 'fastify'

type Body = Record<string, unknown>

export interface SampleExecutor {
  url: string
  app: FastifyInstance
  /** Requests seen, for asserting what Rill Flow sent. */
  calls: { path: string; headers: Record<string, unknown>; query: Record<string, string>; body: unknown }[]
  /** Queues the responses /answer.json gives task `task` (a string is sent as text, an Error as HTTP 500, a promise is awaited first). */
  answer(task: string, ...values: unknown[]): void
  close(): Promise<void>
}

export async function startSampleExecutor(): Promise<SampleExecutor> {
  const app = Fastify({ forceCloseConnections: true }) // /hang.json must not hold close() open
  const calls: SampleExecutor['calls'] = []
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_r, body, done) =>
    done(null, Object.fromEntries(new URLSearchParams(String(body)))),
  )
  app.addHook('preHandler', async (req) => {
    calls.push({ path: req.url.split('?')[0], headers: req.headers, query: req.query as Record<string, string>, body: req.body })
  })
  const body = (b: unknown) => (b ?? {}) as Body
  const failed = (msg: string) => ({ result_type: 'FAILED', error_msg: msg })

  app.post('/greet.json', async (req) => {
    const user = (req.query as Body).user as string | undefined
    if (!user) return failed('params user is null')
    const word = body(req.body)[user]
    return word === undefined ? failed('greet processing failed') : ['result_type', 'SUCCESS', 'result', word]
  })
  app.post('/executor.json', async (req) => {
    const item = Number(body(req.body).segment_item)
    const callback = req.headers['x-callback-url']
    if (req.headers['x-mode'] === 'async' && typeof callback === 'string') {
      setTimeout(() => {
        void fetch(callback, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ executor_result: item * 10, result_type: 'SUCCESS' }),
        })
      }, 20)
      return { result_type: 'SUCCESS' }
    }
    return { executor_result: item * 10 }
  })
  app.post('/callback.json', async (req) => {
    const r = body(req.body).executor_result
    return r === undefined ? failed('callback processing failed') : { callback_result: Number(r) * 10 }
  })
  app.post('/calculate.json', async (req) => {
    const list = body(req.body).callback_result_list
    return Array.isArray(list) ? { sum: list.reduce((a: number, b) => a + Number(b), 0) } : failed('calculate processing failed')
  })
  app.post('/sub_callback.json', async (req) => ({ callback_result: Number(body(req.body).sum) * 10 }))
  app.post('/choice.json', async (req) => {
    const n = Number((req.query as Body).input_num)
    if (!Number.isInteger(n)) return failed('choice processing failed')
    let sum = 0
    for (let i = 0; i < n; i++) sum += i * i
    return { sum }
  })
  app.post('/print.json', async (req) => ['result_type', 'SUCCESS', 'print_result', body(req.body).sum])
  app.get('/hello.json', async (req) => {
    const user = (req.query as Body).user
    return user ? ['result_type', 'SUCCESS', 'result', `Hello, ${String(user)}`] : failed('params user is null')
  })
  app.post('/posts.json', async (req) => ({
    result_type: 'SUCCESS',
    result: { content_type: req.headers['content-type'], user: (req.query as Body).user, form_data: req.body },
  }))
  // For ports of upstream's traversal tests: a task_scheduler function that accepts and waits for finish.json.
  app.post('/accept.json', async () => ({ result_type: 'SUCCESS' }))
  // Answers whatever the test queued for the task named in ?name= (a sync function's response).
  const answers = new Map<string, unknown[]>()
  app.post('/answer.json', async (req, reply) => {
    const queue = answers.get((req.query as Body).name as string) ?? []
    const next = await queue.shift()
    if (typeof next === 'string') return reply.type('text/plain').send(next)
    if (next instanceof Error) return reply.code(500).send({ error: next.message })
    return reply.send(next === undefined ? null : JSON.stringify(next))
  })
  // Records DAG-completion callbacks.
  app.post('/dag_done.json', async () => ({ ok: true }))
  // Never answers (until the test ends): for timeouts.
  app.post('/hang.json', () => new Promise(() => {}))
  const url = await app.listen({ host: '127.0.0.1', port: 0 })
  return { url, app, calls, answer: (task, ...values) => void answers.set(task, values), close: () => app.close() }
}
