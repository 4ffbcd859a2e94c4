// Hostile Cypher against the app in its own process: a cartesian explosion, an unbounded walk on a
// dense graph, a huge UNWIND range, deep nesting, a 20,000-term OR, a result too large to hold. Each ends with a
// clear error in TuGraph's envelope while a status probe keeps answering in under 200 ms; the
// process survives, also a restart on the same data.
import { expect, it } from 'vitest'
import { expectResponsive, probeWhile, servedProcessSuite } from '../support/served-process'
import { expectError, expectOk, tugraphClient } from './support'

const served = servedProcessSuite({ start: false })

const step = (what: string, since: number) => console.log(`${what}: ${Date.now() - since} ms`)

it('bounds hostile queries with clear errors, never freezing or crashing the server', async () => {
  const t0 = Date.now()
  await served.start()
  let c = tugraphClient(served.url)
  await c.login()
  const cypher = (script: string, more: Record<string, unknown> = {}) => c.post('cypher', { graph: 'default', script, ...more })
  // a dense graph: 40 persons, everyone knows everyone
  expectOk(await cypher("CALL db.createVertexLabel('person', 'id', 'id', 'int64', false)"))
  expectOk(await cypher("CALL db.createEdgeLabel('knows', '[]')"))
  expectOk(await cypher('UNWIND range(1, 40) AS i CREATE (:person {id: i})'))
  expect(expectOk(await cypher('MATCH (a:person), (b:person) WHERE a.id <> b.id CREATE (a)-[:knows]->(b)')).result).toEqual([{ '<SUMMARY>': 'created 0 vertices, created 1560 edges.' }])

  // two query workers loaded (as after any use), so the probe measures queries, not workers starting
  await Promise.all([cypher('RETURN 1'), cypher('RETURN 2')])
  step('set up', t0)
  const t1 = Date.now()
  let probes = 0
  let slowest = 0
  const hostile: [string, Record<string, unknown>, RegExp][] = [
    ['MATCH (a), (b), (c), (d), (e), (f) RETURN count(*)', { timeout: 2 }, /timed out/],
    ['MATCH p = (a:person {id: 1})-[*]-(b) RETURN count(p)', { timeout: 2 }, /timed out/],
    ['UNWIND range(1, 10000000000) AS x RETURN x', {}, /^Query too large: range\(\) .* elements per list/],
    [`RETURN ${'['.repeat(200_000)}${']'.repeat(200_000)}`, {}, /^Query nested too deeply/],
    [`MATCH (n:person) WHERE ${Array.from({ length: 20_000 }, (_, i) => `n.id = ${i}`).join(' OR ')} RETURN n.id`, {}, /^Expression too long/],
    ['MATCH (a:person), (b:person), (c:person), (d:person) RETURN DISTINCT a.id, b.id, c.id, d.id', {}, /^Query too large/],
    ['MATCH (a:person), (b:person), (c:person), (d:person) RETURN a.id', {}, /^Result too large/],
  ]
  for (const [script, more, error] of hostile) {
    const { probe: p } = await probeWhile(served, async () => expectError(await cypher(script, more), '400', error))
    console.log(`${script.slice(0, 60)}: slowest probe ${Math.round(p.maxMs)} ms of ${p.count}`)
    expectResponsive(p)
    probes += p.count
    slowest = Math.max(slowest, p.maxMs)
  }
  step(`hostile queries (probe ${probes} answers, slowest ${Math.round(slowest)} ms)`, t1)
  expect(probes).toBeGreaterThan(10)

  // alive, and alive again after a restart on the same data
  expect(expectOk(await cypher('MATCH (n:person) RETURN count(n) AS n'))).toEqual({ result: [{ n: 40 }] })
  await served.kill()
  await served.start()
  c = tugraphClient(served.url)
  await c.login()
  expect(expectOk(await cypher('MATCH (:person {id: 1})-[r:knows]->() RETURN count(r) AS n'))).toEqual({ result: [{ n: 39 }] })
}, 300_000)
