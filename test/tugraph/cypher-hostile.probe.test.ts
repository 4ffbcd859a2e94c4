// Hostile Cypher against the app in its own process: a cartesian explosion, an unbounded walk on a
// dense graph, a huge UNWIND range, deep nesting, a result too large to hold. Each ends with a
// clear error in TuGraph's envelope while a status probe keeps answering in under 200 ms; the
// process survives, also a restart on the same data.
import { rmSync } from 'node:fs'
import { afterAll, expect, it } from 'vitest'
import { probeWhile, startServedProcess, type ServedProcess } from '../support/served-process'
import { tempDir } from '../support/temp-store'
import { expectError, expectOk, tugraphClient } from './support'

let dir = ''
let served: ServedProcess | undefined
afterAll(async () => {
  await served?.kill()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

it('bounds hostile queries with clear errors, never freezing or crashing the server', async () => {
  dir = tempDir()
  served = await startServedProcess(dir)
  let c = tugraphClient(served.url)
  await c.login()
  const cypher = (script: string, more: Record<string, unknown> = {}) => c.post('cypher', { graph: 'default', script, ...more })
  // a dense graph: 40 persons, everyone knows everyone
  expectOk(await cypher("CALL db.createVertexLabel('person', 'id', 'id', 'int64', false)"))
  expectOk(await cypher("CALL db.createEdgeLabel('knows', '[]')"))
  expectOk(await cypher('UNWIND range(1, 40) AS i CREATE (:person {id: i})'))
  expect(expectOk(await cypher('MATCH (a:person), (b:person) WHERE a.id <> b.id CREATE (a)-[:knows]->(b)')).result).toEqual([{ '<SUMMARY>': 'created 0 vertices, created 1560 edges.' }])

  const { probe } = await probeWhile(served.url, served.token, async () => {
    const started = Date.now()
    expectError(await cypher('MATCH (a), (b), (c), (d), (e), (f) RETURN count(*)', { timeout: 2 }), '400', "Query timed out after 2 s (the request's timeout).")
    expectError(await cypher('MATCH p = (a:person {id: 1})-[*]-(b) RETURN count(p)', { timeout: 2 }), '400', "Query timed out after 2 s (the request's timeout).")
    expect(Date.now() - started).toBeLessThan(15_000)
    expectError(await cypher('UNWIND range(1, 10000000000) AS x RETURN x'), '400', /^List too large/)
    expectError(await cypher(`RETURN ${'['.repeat(200_000)}${']'.repeat(200_000)}`), '400', /^Query nested too deeply/)
    expectError(await cypher('MATCH (a:person), (b:person), (c:person), (d:person) RETURN DISTINCT a.id, b.id, c.id, d.id'), '400', /^Query too large/)
    expectError(await cypher('MATCH (a:person), (b:person), (c:person), (d:person) RETURN a.id'), '400', /^Result too large/)
  })
  expect(probe.failures).toEqual([])
  expect(probe.count).toBeGreaterThan(10)
  expect(probe.maxMs).toBeLessThan(200)

  // alive, and alive again after a restart on the same data
  expect(expectOk(await cypher('MATCH (n:person) RETURN count(n) AS n'))).toEqual({ result: [{ n: 40 }] })
  await served.kill()
  served = await startServedProcess(dir)
  c = tugraphClient(served.url)
  await c.login()
  expect(expectOk(await cypher('MATCH (:person {id: 1})-[r:knows]->() RETURN count(r) AS n'))).toEqual({ result: [{ n: 39 }] })
})
