// Cypher over the native API (#12.4, the Graph page's transport): graphs.cypher answers TuGraph's
// header and rows, engine errors keep their line and column, and a running statement is stopped
// by its queryId (each user's own names), by whoever started it or an admin.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { startTestApp, type TestApp } from '../support/app'
import { addUser, type TestUser } from '../support/users'
import { ENDLESS_CYPHER } from '../support/endless-cypher'

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
const ENDLESS = ENDLESS_CYPHER

/** Waits until `queryId` runs for the user of `call` (the same name is then taken for them). */
async function whenRunning(call: TestApp['call'], queryId: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const r = await cypher(call, 'RETURN 1', { queryId })
    if (r.body.error?.code === 'query_id_taken') return
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
    expect(bad.body.error).toMatchObject({ code: 'cypher_syntax', line: 2, column: 10 })
    expect(bad.body.error.message).toMatch(/^Invalid syntax: .*\(line 2, column 10\)$/)
    expect((await cypher(t.call, 'MATCH (n:nope) RETURN n')).body.error.message).toBe('Vertex label [nope] does not exist.')
    expect((await cypher(t.call, 'RETURN 1', { queryId: '../x' })).status).toBe(400)
    expect((await cypher(t.call, 'RETURN 1', { parameters: [1] })).status).toBe(400)
    expect((await t.call('POST', '/api/v1/graphs/nowhere/cypher', { script: 'RETURN 1' })).body.error).toMatchObject({ code: 'graph_not_found' })
  })

  // the trial (MED): a non-admin's cube of UNWINDs held a query worker past 400 s, and `timeoutSeconds` was "not taken here"
  it('bounds a non-admin’s statement: the UNWIND estimate refuses a cube at once, and `timeout` (TuGraph’s name) stops a long one, saying so', async () => {
    const started = Date.now()
    const cube = await cypher(bob.call, 'UNWIND range(1,3000) AS a UNWIND range(1,3000) AS b UNWIND range(1,3000) AS c RETURN count(*)')
    expect(cube.status).toBe(413)
    // located as the run-time refusal is: the UNWIND that passes the limit (#9: neither line nor column before)
    expect(cube.body.error).toMatchObject({ code: 'query_too_large', line: 1, column: 53, message: expect.stringMatching(/^Query too large: its UNWINDs would make about 27,000,000,000 rows \(3,000 × 3,000 × 3,000\), past the limit of 100,000,000 rows/) })
    expect(Date.now() - started).toBeLessThan(10_000) // before: no answer in 400 s
    const misnamed = await cypher(bob.call, 'RETURN 1', { timeoutSeconds: 5 })
    expect(misnamed.status).toBe(400)
    expect(misnamed.body.error).toMatchObject({ field: 'timeoutSeconds', message: 'body has a field "timeoutSeconds" that is not taken here; did you mean "timeout"?' })
    expect((await cypher(bob.call, 'RETURN 1', { timeout: 86_401 })).body.error.message).toBe('timeout must be a number from 0 to 86400')
    const timed = await cypher(bob.call, ENDLESS, { timeout: 1 })
    expect(timed.body.error).toMatchObject({ code: 'query_timeout', message: "Query timed out after 1 s (the request's timeout)." })
  })

  // #9 §3: ranges of a variable count as one in the estimate, so it let this through; before, the
  // statement made its 100,010,000 UNWIND rows to the end (or ran to its timeout) and answered 200 (rows: 100,000,000)
  it('refuses a statement whose UNWINDs make more than 100,000,000 rows while it runs, naming the UNWIND, and answers the next', { timeout: 300_000 }, async () => {
    const started = Date.now()
    const r = await cypher(bob.call, 'WITH 10000 AS n UNWIND range(1, n) AS a UNWIND range(1, n) AS b RETURN count(*) AS rows', { timeout: 280 })
    console.log(`100,000,000 UNWIND rows refused over the native API in ${Date.now() - started} ms`)
    expect(r.status).toBe(413)
    expect(r.body.error).toMatchObject({
      code: 'query_too_large',
      line: 1,
      column: 41, // #9: no column before
      message: 'Query too large: its UNWINDs have made 100,000,000 rows, the limit per statement, and UNWIND at line 1, column 41 was making more; narrow the lists, or aggregate or add LIMIT between the UNWINDs.',
    })
    expect((await cypher(bob.call, 'RETURN 1 AS x')).body.rows).toEqual([[1]])
  })

  it('stops a running statement by its queryId: its owner or an admin; queryIds are per user, so nobody learns another’s', async () => {
    const first = cypher(bob.call, ENDLESS, { queryId: 'bobs-long-1' })
    await whenRunning(bob.call, 'bobs-long-1')
    // carol's namespace: bob's run is not there, exactly as a name nobody uses is not
    const denied = await carol.call('POST', '/api/v1/cypher/bobs-long-1/cancel')
    const nobodys = await carol.call('POST', '/api/v1/cypher/nobodys-name/cancel')
    expect(denied.status).toBe(404)
    expect(denied.body.error).toMatchObject({ code: 'query_not_found', message: 'no query of yours named bobs-long-1 is running' })
    expect(nobodys.body.error.message).toBe('no query of yours named nobodys-name is running')
    expect((await cypher(carol.call, 'RETURN 7 AS n', { queryId: 'bobs-long-1' })).body.rows).toEqual([[7]]) // no clash with bob's
    const named = await carol.call('POST', '/api/v1/cypher/bobs-long-1/cancel', { user: 'bob' })
    expect(named.status).toBe(403)
    expect(named.body.error).toMatchObject({ code: 'not_your_query' })
    expect((await carol.call('POST', '/api/v1/cypher/nobodys-name/cancel', { user: 'bob' })).body.error).toMatchObject({ code: 'not_your_query' }) // the same whether it runs or not
    const started = Date.now()
    const stopped = await bob.call('POST', '/api/v1/cypher/bobs-long-1/cancel')
    expect(stopped.body).toEqual({ queryId: 'bobs-long-1', user: 'bob', cancelled: true })
    const answer = await first
    expect(Date.now() - started).toBeLessThan(3000)
    expect(answer.body.error).toMatchObject({ code: 'query_cancelled', message: 'Query cancelled.' })
    expect((await bob.call('POST', '/api/v1/cypher/bobs-long-1/cancel')).status).toBe(404)

    const second = cypher(bob.call, ENDLESS, { queryId: 'bobs-long-2' })
    await whenRunning(bob.call, 'bobs-long-2')
    expect((await t.call('POST', '/api/v1/cypher/bobs-long-2/cancel')).body).toEqual({ queryId: 'bobs-long-2', user: 'bob', cancelled: true }) // an admin may
    expect((await second).body.error).toMatchObject({ code: 'query_cancelled' })
    // two users' runs of one name: an admin says whose
    const bobs = cypher(bob.call, ENDLESS, { queryId: 'shared-name' })
    const carols = cypher(carol.call, ENDLESS, { queryId: 'shared-name' })
    await whenRunning(bob.call, 'shared-name')
    await whenRunning(carol.call, 'shared-name')
    const which = await t.call('POST', '/api/v1/cypher/shared-name/cancel')
    expect(which.status).toBe(400)
    expect(which.body.error).toMatchObject({ field: 'user', message: expect.stringMatching(/^queries of (bob, carol|carol, bob) are named shared-name/) })
    expect((await t.call('POST', '/api/v1/cypher/shared-name/cancel', { user: 'carol' })).body).toMatchObject({ user: 'carol', cancelled: true })
    expect((await carols).body.error).toMatchObject({ code: 'query_cancelled' })
    expect((await bob.call('POST', '/api/v1/cypher/shared-name/cancel')).body).toMatchObject({ user: 'bob', cancelled: true }) // bob's ran on
    expect((await bobs).body.error).toMatchObject({ code: 'query_cancelled' })
    // a client that hangs up stops its query, as TuGraph's /cypher does
    const gone = new AbortController()
    const third = fetch(`${t.url}/api/v1/graphs/default/cypher`, {
      method: 'POST',
      headers: { authorization: `Bearer ${bob.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ script: ENDLESS, queryId: 'bobs-long-3' }),
      signal: gone.signal,
    }).catch(() => 'hung up')
    await whenRunning(bob.call, 'bobs-long-3')
    gone.abort()
    expect(await third).toBe('hung up')
    const end = Date.now() + 5000
    while ((await t.call('POST', '/api/v1/cypher/bobs-long-3/cancel')).status !== 404) {
      expect(Date.now()).toBeLessThan(end)
      await new Promise((ok) => setTimeout(ok, 50))
    }
    // the query workers are free again
    expect((await cypher(bob.call, 'RETURN 41 + 1 AS n')).body.rows).toEqual([[42]])
  })
})
