// #9 leftover (attack), over HTTP: a user's endless read answers at once, in its dialect's envelope,
// that its graph was deleted when an admin drops the graph (native) or deletes it from Cypher
// (TuGraph's dbms.graph.deleteGraph), and an Explorer job's query component fails at once (Explorer
// shows status codes only: 3, Failed; the task's error says why); before, each ran on until its own
// timeout. The host's part is in test/graph/delete-graph-stops-queries.test.ts.
import { afterAll, beforeAll, expect, it, vi } from 'vitest'
import { startTestApp, type TestApp } from '../support/app'
import { addUser, type TestUser } from '../support/users'
import { until } from '../support/until'
import { ENDLESS_CYPHER } from '../support/endless-cypher'
import { expectError, tugraphClient } from '../tugraph/support'
import { DEFAULT_ADMIN } from '../../electron/services/auth.service'

// a query worker that starts (from TypeScript sources, on a busy machine) can take many seconds
vi.setConfig({ testTimeout: 120_000 })

let t: TestApp
let bob: TestUser
beforeAll(async () => {
  t = await startTestApp()
  bob = await addUser(t, 'bob')
  for (const graph of ['g2', 'g3', 'g4']) expect((await t.call('POST', '/api/v1/graphs', { graph })).status).toBe(201)
  expect((await t.call('POST', '/api/v1/graphs/default/cypher', { script: 'RETURN 0' })).status).toBe(200) // a warm worker
}, 180_000)
afterAll(() => t?.close())

/** Bob's endless read on `graph` over the native API (timeout 40 s), once it runs in a worker. */
async function endlessRead(graph: string): Promise<{ read: ReturnType<TestUser['call']> }> {
  const read = bob.call('POST', `/api/v1/graphs/${graph}/cypher`, { script: ENDLESS_CYPHER, timeout: 40 })
  await until(() => t.app.graph.queryWorkers().busy, (n) => n >= 1, `bob's read on ${graph} running`)
  return { read }
}

/** What `read` answered within 2 s of now, or 'still running'. */
const within2s = <T>(read: Promise<T>) => Promise.race([read, new Promise<'still running'>((r) => setTimeout(() => r('still running'), 2000))])

it('answers a native read 404 graph_not_found when an admin drops its graph natively', async () => {
  const { read } = await endlessRead('g2')
  expect((await t.call('POST', '/api/v1/graphs/g2/drop')).status).toBe(200)
  const answer = await within2s(read)
  console.log(`bob's native read after the native drop: ${JSON.stringify(answer === 'still running' ? answer : answer.body)}`)
  expect(answer).toMatchObject({ status: 404, body: { error: { code: 'graph_not_found', message: 'Graph [g2] was deleted while this query ran.' } } })
  await until(() => t.app.graph.queryWorkers().busy, (n) => n === 0, 'the worker free again', 2000)
})

it("answers a TuGraph read in TuGraph's envelope when an admin deletes its graph from Cypher", async () => {
  const admin = tugraphClient(t.url)
  await admin.login()
  const client = tugraphClient(t.url)
  await client.login('bob', bob.password)
  const read = client.post('cypher', { graph: 'g3', script: ENDLESS_CYPHER, timeout: 40 })
  await until(() => t.app.graph.queryWorkers().busy, (n) => n >= 1, "bob's read on g3 running")
  expect((await admin.post('cypher', { graph: 'default', script: "CALL dbms.graph.deleteGraph('g3')" })).body.errorCode).toBe('200')
  const answer = await within2s(read)
  console.log(`bob's TuGraph read after deleteGraph: ${JSON.stringify(answer === 'still running' ? answer : answer.body)}`)
  expect(answer).not.toBe('still running')
  if (answer !== 'still running') expectError(answer, '400', 'Graph [g3] was deleted while this query ran.')
  await until(() => t.app.graph.queryWorkers().busy, (n) => n === 0, 'the worker free again', 2000)
})

it('fails an Explorer job whose query runs on a graph an admin drops, at once', async () => {
  const made = await t.call('POST', '/api/v1/graph-workflows', {
    document: { name: 'endless_on_g4', components: [{ id: 'query_1', kind: 'query', graph: 'g4', query: ENDLESS_CYPHER, outputs: ['output0'] }], wires: [] },
  })
  expect(made.status, JSON.stringify(made.body)).toBe(201)
  const auth = `Bearer ${Buffer.from(`${DEFAULT_ADMIN.username}:${DEFAULT_ADMIN.password}`).toString('base64')}`
  const connected = await fetch(`${t.url}/api-open/v1/connect`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: auth }, body: JSON.stringify({ address: '127.0.0.1', port: 9669 }) })
  const cookie = /explorer_token=[^;]+/.exec(connected.headers.get('set-cookie') ?? '')![0]
  const ex = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${t.url}/api-open/v1${path}`, { method, headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, body: body === undefined ? undefined : JSON.stringify(body) })
    return (await res.json()) as any
  }
  const started = await ex('POST', `/workflows/${made.body.id}/jobs`, {})
  expect(started.code, JSON.stringify(started)).toBe(0)
  const jobId = started.data.id as number
  await until(() => t.app.graph.queryWorkers().busy, (n) => n >= 1, 'the job’s query running')
  expect((await t.call('POST', '/api/v1/graphs/g4/drop')).status).toBe(200)
  const dropped = Date.now()
  let job: any
  while (Date.now() - dropped < 3000 && (job = (await ex('GET', `/jobs/${jobId}`)).data).status !== 3) await new Promise((r) => setTimeout(r, 50))
  console.log(`the Explorer job ${Date.now() - dropped} ms after the drop: ${JSON.stringify(job)}`)
  expect(job).toMatchObject({ status: 3, tasks: [{ status: 3 }] })
  expect(t.app.store.jobs.tasks(jobId)[0].error).toBe('query_1: Graph [g4] was deleted while this query ran.')
})
