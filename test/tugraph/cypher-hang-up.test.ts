// A Cypher statement stops when its HTTP client hangs up (#9 §2): a client that gives up (a closed
// tab, a client-side timeout) must not leave its statement holding a query worker until the
// statement's own timeout. Over real HTTP, TuGraph's /cypher and the native POST /api/v1/graphs/:graph/cypher:
// a cartesian count that runs for minutes is aborted by the client after ~300 ms, and the statement
// must leave its worker within a second.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../support/app'
import { until } from '../support/until'
import { expectOk, tugraphClient, type TuGraphClient } from './support'

let t: TestApp
let c: TuGraphClient
beforeAll(async () => {
  t = await startTestApp()
  c = tugraphClient(t.url)
  await c.login()
  expectOk(await c.post('cypher', { graph: 'default', script: "CALL db.createVertexLabel('person', 'id', 'id', 'int64', false)" }))
  expectOk(await c.post('cypher', { graph: 'default', script: 'UNWIND range(1, 60) AS i CREATE (:person {id: i})' }))
}, 120_000)
afterAll(async () => {
  await t?.close()
})

/** 60^6 rows: minutes of work, far past the test, with the longest timeout a client may ask. */
const SLOW = 'MATCH (a:person), (b:person), (c:person), (d:person), (e:person), (f:person) RETURN count(*)'

/** Waits until no statement runs; returns how long that took (ms), or throws after `withinMs`. */
async function untilIdle(withinMs: number): Promise<number> {
  const started = Date.now()
  await until(() => t.app.graph.queryLoad(), (load) => load.running === 0, `a statement still runs ${withinMs} ms after its client hung up`, withinMs)
  return Date.now() - started
}

/** Posts `body` to `path`, aborts the request once the statement runs (after ~300 ms), and answers how long the worker took to be free. */
async function hangUp(path: string, headers: Record<string, string>, body: unknown): Promise<number> {
  const stop = new AbortController()
  const sent = fetch(`${t.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body), signal: stop.signal })
  sent.catch(() => undefined)
  // the statement has a worker (one may take seconds to load on a loaded machine)
  await until(() => t.app.graph.queryWorkers().busy, (n) => n >= 1, 'the statement on a worker')
  await new Promise((r) => setTimeout(r, 300))
  expect(t.app.graph.queryLoad().running, 'the statement runs until the client hangs up').toBe(1)
  stop.abort()
  await expect(sent).rejects.toThrow()
  return untilIdle(1000)
}

describe('a client that hangs up stops its Cypher statement', () => {
  it('TuGraph POST /cypher: the worker is free within a second, and the next statement answers', async () => {
    const ms = await hangUp('/cypher', { authorization: c.token }, { graph: 'default', script: SLOW, timeout: 3600 })
    console.log(`TuGraph /cypher: worker free ${ms} ms after the hang-up`)
    const started = Date.now()
    expect(expectOk(await c.post('cypher', { graph: 'default', script: 'MATCH (n:person) RETURN count(n) AS n' }))).toEqual({ result: [{ n: 60 }] })
    expect(Date.now() - started).toBeLessThan(5000)
  }, 120_000)

  it('native POST /api/v1/graphs/default/cypher: the worker is free within a second', async () => {
    const ms = await hangUp('/api/v1/graphs/default/cypher', { authorization: `Bearer ${t.token}` }, { script: SLOW, timeout: 3600 })
    console.log(`native cypher: worker free ${ms} ms after the hang-up`)
    const r = await t.call('POST', '/api/v1/graphs/default/cypher', { script: 'RETURN 1 AS one' })
    expect(r.status).toBe(200)
    expect(r.body.rows).toEqual([[1]])
  }, 120_000)
})
