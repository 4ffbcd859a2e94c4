// Attack (#9 §1, re-verification, new on the graph side): a read-only Cypher query any signed-in
// user may run builds a list by doubling it in `reduce` (`l + l`). List concatenation is not held to
// the 1,000,000-element limit that range() and collect() are (4,194,304 elements came back from 22
// doublings), so it grows until the query worker's 1 GB heap is full. Over real HTTP against
// `npm run serve` (request timeout 86400 s, the most allowed; the client gave up after 90 s and the
// query ran on) V8 then aborted the WHOLE server: "FATAL ERROR: Reached heap limit Allocation failed
// - JavaScript heap out of memory" (in Runtime_GrowArrayElements), about 5 minutes after the query
// began. With a 900,000-element start the worker's OOM was caught instead (413 after 292 s), so the
// outcome depends on where the allocation fails. This test FAILS until concatenation is held to the
// list limit (a 4xx at once) and the process survives.
import { request } from 'node:http'
import { describe, expect, it } from 'vitest'
import { expectResponsive, probeWhile, servedProcessSuite } from '../support/served-process'

const app = servedProcessSuite()

const cypher = (script: string, timeout: number) =>
  fetch(`${app.url}/api/v1/graphs/default/cypher`, {
    method: 'POST',
    headers: { authorization: `Bearer ${app.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ script, timeout }),
  })

/** POSTs a Cypher query with node:http, which (unlike fetch) waits for the answer however long it takes. */
const cypherNoClientTimeout = (script: string, timeout: number) =>
  new Promise<number | string>((ok) => {
    const req = request(`${app.url}/api/v1/graphs/default/cypher`, {
      method: 'POST',
      headers: { authorization: `Bearer ${app.token}`, 'content-type': 'application/json' },
    }, (res) => { res.resume(); res.on('end', () => ok(res.statusCode ?? 0)) })
    req.on('error', (e) => ok(`no answer: ${e.message}`)) // the server died under it
    req.end(JSON.stringify({ script, timeout }))
  })

describe('attack: a Cypher list doubled by concatenation', () => {
  it('22 doublings of [1] are refused as over the 1,000,000-element list limit (4,194,304 elements came back)', async () => {
    const res = await cypher('RETURN size(reduce(l = [1], i IN range(1, 22) | l + l)) AS n', 60)
    const body = (await res.json()) as any
    expect(res.status, JSON.stringify(body)).toBe(413)
    expect(body.error.message).toMatch(/^Query too large: a list built by \+ .* limit of 1,000,000 elements per list/)
  }, 120_000)

  it('40 doublings with the longest timeout: a prompt 4xx, the probe answers and the process lives (it died of a V8 heap OOM)', async () => {
    const { result, probe } = await probeWhile(app, async () => {
      return Promise.race([
        cypherNoClientTimeout('RETURN size(reduce(l = [1], i IN range(1, 40) | l + l)) AS n', 86_400),
        app.exited.then((code) => `the server process exited (${code}) while the query ran`),
      ])
    })
    expect(app.child.exitCode).toBe(null)
    expect(app.child.signalCode).toBe(null)
    expect(result).toBe(413)
    expectResponsive(probe)
  }, 900_000)
})
