// Cypher over the native API (#12.4, the Graph page's transport): graphs.cypher answers TuGraph's
// header and rows, engine errors keep their line and column, and a running statement is stopped
// by its queryId, by whoever started it or an admin.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { startTestApp, type TestApp } from '../support/app'
import { addUser, type TestUser } from '../support/users'

// a query worker that starts (from TypeScript sources, on a busy machine) can take many seconds
vi.setConfig({ testTimeout: 120_000 })

let t: TestApp
let bob: TestUser
let carol: TestUser

beforeAll(async () => {
  t = await startTestApp()
  bob = await addUser(t, 'bob')
  carol = await addUser(t, 'carol')
  expect((await cypher(t.call, 'RETURN 0')).status).toBe(200) // the query workers load the parser once
}, 180_000)
afterAll(() => t.close())

const cypher = (call: TestApp['call'], script: string, extra: Record<string, unknown> = {}) => call('POST', '/api/v1/graphs/default/cypher', { script, ...extra })
/** Runs forever without holding rows: only a stop ends it. */
const ENDLESS = 'UNWIND range(1, 900000) AS x UNWIND range(1, 900000) AS y RETURN count(*) AS n'

/** Waits until `queryId` can be cancelled (it is registered once its request is in). */
async function cancelWhenRunning(call: TestApp['call'], queryId: string) {
  for (let i = 0; i < 200; i++) {
    const r = await call('POST', `/api/v1/cypher/${queryId}/cancel`)
    if (r.status !== 404) return r
    await new Promise((ok) => setTimeout(ok, 25))
  }
  throw new Error(`query ${queryId} never ran`)
}

describe('graphs.cypher', () => {
  it('writes and reads with TuGraph’s encoding: header types, vertices, edges, the write summary', async () => {
    expect((await cypher(t.call, "CALL db.createVertexLabel('person', 'id', 'id', 'int64', false, 'name', 'string', true)")).status).toBe(200)
    expect((await cypher(t.call, "CALL db.createEdgeLabel('knows', '[]')")).status).toBe(200)
    const made = await cypher(t.call, "CREATE (a:person {id: 1, name: 'Ann'})-[:knows]->(b:person {id: 2, name: 'Bob'})")
    expect(made.status).toBe(200)
    expect(made.body.summary).toBe('created 2 vertices, created 1 edges.')

    const read = await cypher(t.call, 'MATCH (a:person)-[r:knows]->(b) WHERE a.id = $id RETURN a, r, b.name AS name', { parameters: { id: 1 } })
    expect(read.status).toBe(200)
    expect(read.body.header).toEqual([
      { name: 'a', type: 1 },
      { name: 'r', type: 2 },
      { name: 'name', type: 0 },
    ])
    expect(read.body.rows).toEqual([
      [
        { identity: 0, label: 'person', properties: { id: 1, name: 'Ann' } },
        { dst: 1, forward: true, identity: 0, label: 'knows', label_id: 0, src: 0, temporal_id: 0 },
        'Bob',
      ],
    ])
    expect(typeof read.body.elapsed).toBe('number')
  })

  it('answers engine errors with their line and column, and bad requests naming the field', async () => {
    const bad = await cypher(t.call, 'MATCH (n)\nRETURN n LIMT 5')
    expect(bad.status).toBe(400)
    expect(bad.body.error).toMatchObject({ code: 'cypher_syntax', line: 2 })
    expect(bad.body.error.message).toMatch(/^Invalid syntax: .*\(line 2, column 10\)$/)
    expect((await cypher(t.call, 'MATCH (n:nope) RETURN n')).body.error.message).toBe('Vertex label [nope] does not exist.')
    expect((await cypher(t.call, 'RETURN 1', { queryId: '../x' })).status).toBe(400)
    expect((await cypher(t.call, 'RETURN 1', { parameters: [1] })).status).toBe(400)
    expect((await t.call('POST', '/api/v1/graphs/nowhere/cypher', { script: 'RETURN 1' })).body.error).toMatchObject({ code: 'graph_not_found' })
  })

  it('stops a running statement by its queryId: its owner or an admin, nobody else', async () => {
    const first = cypher(bob.call, ENDLESS, { queryId: 'bobs-long-1' })
    const denied = await cancelWhenRunning(carol.call, 'bobs-long-1')
    expect(denied.status).toBe(403)
    expect(denied.body.error).toMatchObject({ code: 'not_your_query' })
    expect((await cypher(bob.call, 'RETURN 1', { queryId: 'bobs-long-1' })).body.error).toMatchObject({ code: 'query_id_taken' })
    const started = Date.now()
    const stopped = await bob.call('POST', '/api/v1/cypher/bobs-long-1/cancel')
    expect(stopped.body).toEqual({ queryId: 'bobs-long-1', cancelled: true })
    const answer = await first
    expect(Date.now() - started).toBeLessThan(3000)
    expect(answer.body.error).toMatchObject({ code: 'query_cancelled', message: 'Query cancelled.' })
    expect((await bob.call('POST', '/api/v1/cypher/bobs-long-1/cancel')).status).toBe(404)

    const second = cypher(bob.call, ENDLESS, { queryId: 'bobs-long-2' })
    expect((await cancelWhenRunning(t.call, 'bobs-long-2')).status).toBe(200) // an admin may
    expect((await second).body.error).toMatchObject({ code: 'query_cancelled' })
    // a client that hangs up stops its query, as TuGraph's /cypher does
    const gone = new AbortController()
    const third = fetch(`${t.url}/api/v1/graphs/default/cypher`, {
      method: 'POST',
      headers: { authorization: `Bearer ${bob.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ script: ENDLESS, queryId: 'bobs-long-3' }),
      signal: gone.signal,
    }).catch(() => 'hung up')
    expect((await cancelWhenRunning(carol.call, 'bobs-long-3')).status).toBe(403) // it runs
    gone.abort()
    expect(await third).toBe('hung up')
    const end = Date.now() + 5000
    while ((await carol.call('POST', '/api/v1/cypher/bobs-long-3/cancel')).status !== 404) {
      expect(Date.now()).toBeLessThan(end)
      await new Promise((ok) => setTimeout(ok, 50))
    }
    // the query workers are free again
    expect((await cypher(bob.call, 'RETURN 41 + 1 AS n')).body.rows).toEqual([[42]])
  })
})
