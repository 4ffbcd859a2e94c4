// Attack (#9 §2, Cypher): a read-only statement any signed-in user may run on any graph, returning
// 199,999 rows (one under the 200,000-row cap, MAX_RESULT_ROWS) of four columns, about 110 bytes a
// row: `UNWIND range(1, 199999) AS i RETURN i, "<73 x>" + i AS s, i * 2 AS d, [i, i] AS l`. The rows
// run in a query worker, but come back to the main thread whole (a structured clone of 200,000
// arrays) and are answered (22.3 MB of JSON) or, in a Cypher script job, stored with
// results.append in one synchronous loop (electron/executors/cypher.ts; the graph workflow
// component got the stepwise store in component-large-result.test.ts, this executor did not).
// Measured over real HTTP (node out/main/serve.js, 2 cores, load average 8.0-8.4, other helpers
// busy) as plain user alice:
//   POST /api/v1/graphs/default/cypher: stall watch "held 4378 ms (ran: nothing noted; garbage
//     collection 1811 ms)", status probe 4,385 ms;
//   POST /api/v1/jobs {type: script, language: cypher}: "held 4797 ms (ran: GET /api/v1/health,
//     engine tick; garbage collection 1682 ms)", status probe 4,819 ms.
// Expected: the status probe answers under 200 ms while either runs (the rows reach the client or
// the job's result set all the same). This test FAILS until a large result crosses to the main
// thread and into the store in pieces, the event loop turning in between.
import { describe, expect, it } from 'vitest'
import { servedProcessSuite, underProbe } from '../support/served-process'
import { createUser } from '../support/users'

const app = servedProcessSuite()
const ROWS = 199_999
const QUERY = `UNWIND range(1, ${ROWS}) AS i RETURN i, "${'x'.repeat(73)}" + i AS s, i * 2 AS d, [i, i] AS l`

const call = async (token: string, method: string, path: string, body?: unknown) => {
  const res = await fetch(`${app.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  })
  return { status: res.status, body: (await res.json()) as Record<string, unknown> }
}

/** A plain user (no rights), signed in: anyone may run read-only Cypher on any graph. */
async function plainUser(): Promise<string> {
  return (await createUser(app, 'alice')).token
}

describe('attack: a Cypher result of 199,999 rows, just under the row cap', () => {
  let alice = ''
  it('POST /graphs/default/cypher answers it while the status probe answers within 200 ms (probe 4,385 ms)', async () => {
    alice = await plainUser()
    await call(alice, 'POST', '/api/v1/graphs/default/cypher', { script: 'RETURN 1' }) // a query worker started
    const answer = await underProbe(app, () => call(alice, 'POST', '/api/v1/graphs/default/cypher', { script: QUERY }))
    expect(answer.status).toBe(200)
    expect((answer.body.rows as unknown[]).length).toBe(ROWS)
  }, 300_000)

  it('a Cypher script job stores it while the status probe answers within 200 ms (probe 4,819 ms)', async () => {
    const job = await underProbe(app, async () => {
      const { body } = await call(alice, 'POST', '/api/v1/jobs', { type: 'script', language: 'cypher', code: QUERY })
      for (;;) {
        const j = await call(alice, 'GET', `/api/v1/jobs/${body.id as number}`)
        if (!['queued', 'running'].includes(j.body.status as string)) return j.body
        await new Promise((r) => setTimeout(r, 500))
      }
    })
    expect(job.status).toBe('succeeded')
    const set = await call(alice, 'GET', `/api/v1/jobs/${job.id as number}/results/0?offset=0&limit=1`)
    expect(set.body.total).toBe(ROWS)
  }, 300_000)
})
