// #9 leftovers, on GraphHost: a statement refused on a graph an import holds is planned first, not only
// parsed, so every error a run finds before its first row wins as on any graph: an unknown function, an
// unknown variable, a parameter not given or parameters that are not a map, a cartesian product of
// lists past the UNWIND bound (query_too_large) answered graph_busy before. And a statement that drops
// graphs (dbms.graph.deleteGraph) is refused by the host as planned, before anything of it runs: a UNION
// of two drops, the second of a graph an import holds, dropped the first graph and then failed. A
// parameter not given is found before a write waits for the graph's lock (it waited until its timeout
// while another write held the lock: 5 s here, 60 s by default). Here the
// graphs `free` and `held` have the same schema and files; an unfinished import job (the job store's,
// GraphHost's option) holds `held`.
import { rmSync } from 'node:fs'
import { afterAll, beforeAll, expect, it, vi } from 'vitest'
import { parseSchemaDescription } from '../../electron/graph/store/schema'
import { createGraphFile, graphFile, listGraphNames } from '../../electron/graph/store/catalog'
import { GraphDb } from '../../electron/graph/store/graph-db'
import { GraphHost } from '../../electron/graph/worker/graph-host'
import type { CypherQuery } from '../../electron/graph/worker/protocol'
import { tempDir } from '../support/temp-store'
import { ADMIN, PERSON_SCHEMA } from './support'

// query workers load slowly on a busy machine
vi.setConfig({ testTimeout: 180_000 })

let dir = ''
let host: GraphHost
const makeGraph = (name: string) => {
  createGraphFile(dir, name)
  const g = GraphDb.open(name, graphFile(dir, name))
  g.addLabels(parseSchemaDescription(PERSON_SCHEMA))
  g.close()
}
beforeAll(() => {
  dir = tempDir()
  for (const name of ['free', 'held', 'spare']) makeGraph(name)
  host = new GraphHost(dir, { unfinishedImportGraphs: () => [{ graph: 'held', jobId: 12 }] })
})
afterAll(async () => {
  await host?.close()
  rmSync(dir, { recursive: true, force: true })
})

/** What `script` answers on `graph`: ok, or its error's code, message and line. */
const answer = (graph: string, script: string, more: Partial<CypherQuery> = {}) =>
  host.runCypher({ graph, script, actor: ADMIN, timeoutSeconds: 60, ...more }).then(
    () => ({ ok: true }),
    (e: { code: string; message: string; line?: number }) => ({ code: e.code, message: e.message, line: e.line }),
  )
const BUSY = 'Graph [held] has an import queued or running (job 12); cancel it or wait before changing its labels, indexes or data'
const DROP_BUSY = 'Graph [held] has an import queued or running (job 12); cancel it or wait before dropping the graph'

it('answers a write that cannot be planned with its own error on a held graph, as on a free one', async () => {
  const cases: [string, Partial<CypherQuery>, string][] = [
    ["CREATE (:person {id: 1, name: nosuch('x')})", {}, 'cypher_semantic'],
    ['MATCH (n:person) SET m.name = "x"', {}, 'cypher_semantic'],
    ['CREATE (:person {id: $id, name: "x"})', {}, 'cypher_semantic'],
    ['CREATE (:person {id: $id, name: "x"})', { parameters: [1] }, 'cypher_semantic'],
    ["UNWIND range(1, 20000) AS a UNWIND range(1, 20000) AS b CREATE (:person {id: a * b, name: 'x'})", {}, 'query_too_large'],
    ["CALL db.upsertVertex('person', [{id: 1, name: 'x'}]) YIELD nosuch RETURN nosuch", {}, 'cypher_semantic'],
  ]
  for (const [script, more, code] of cases) {
    const free = await answer('free', script, more)
    expect(free, script).toMatchObject({ code })
    expect(await answer('held', script, more), script).toEqual(free)
  }
  // one that plans is refused, never run: the graph stays empty
  expect(await answer('held', "CREATE (:person {id: $id, name: 'x'})", { parameters: { id: 1 } })).toEqual({ code: 'graph_busy', message: BUSY, line: undefined })
  expect(await answer('held', 'MATCH (n) RETURN count(n) AS n')).toEqual({ ok: true })
})

it('refuses a statement that would drop a held graph before any of it runs, after its own checks', async () => {
  // the first part's drop ran, then the second's refusal failed the statement: `spare` was gone
  expect(await answer('free', "CALL dbms.graph.deleteGraph('spare') UNION CALL dbms.graph.deleteGraph('held')")).toEqual({ code: 'graph_busy', message: DROP_BUSY, line: undefined })
  expect(listGraphNames(dir).sort()).toEqual(['free', 'held', 'spare'])
  expect(await answer('free', 'CALL dbms.graph.deleteGraph($g)', { parameters: { g: 'held' } })).toEqual({ code: 'graph_busy', message: DROP_BUSY, line: undefined })
  // TuGraph's own answers come first: a non-admin (on a graph not theirs: readOnly), a name that is not a string, the query's own graph
  const bob = { actor: { username: 'bob', isAdmin: false }, readOnly: 'Graph [free] belongs to admin: bob may only read it.' }
  expect(await answer('free', "CALL dbms.graph.deleteGraph('held')", bob)).toMatchObject({ code: 'not_admin', message: 'Non-admin cannot delete graphs.' })
  expect(await answer('free', 'CALL dbms.graph.deleteGraph(1)')).toMatchObject({ code: 'cypher_runtime' })
  expect(await answer('held', "CALL dbms.graph.deleteGraph('held')")).toMatchObject({ code: 'cypher_runtime', message: 'Graph [held] is the graph of this query; run the procedure on another graph.' })
  expect(listGraphNames(dir).sort()).toEqual(['free', 'held', 'spare'])
  // a graph no import holds is dropped
  expect(await answer('free', "CALL dbms.graph.deleteGraph('spare')")).toEqual({ ok: true })
  expect(listGraphNames(dir).sort()).toEqual(['free', 'held'])
})

it('answers a parameter not given at once while another write holds the graph, not after waiting for its lock', async () => {
  // another connection's write transaction (an import package, a long Cypher write) holds `free`'s lock
  const holder = GraphDb.open('free', graphFile(dir, 'free'))
  holder.db.exec('BEGIN IMMEDIATE')
  try {
    const started = performance.now()
    // before: the statement waited in the lock's busy wait until its timeout (query_timeout after 5 s and the stop's grace)
    expect(await answer('free', "CREATE (:person {id: $id, name: 'x'})", { timeoutSeconds: 5 })).toEqual({ code: 'cypher_semantic', message: 'Parameter $id is not defined.', line: undefined })
    expect(performance.now() - started).toBeLessThan(4000)
  } finally {
    holder.db.exec('ROLLBACK')
    holder.close()
  }
  // EXPLAIN runs nothing: it needs no parameters, and names no graph it drops
  expect(await answer('free', 'EXPLAIN MATCH (n) WHERE n.id = $id RETURN n')).toEqual({ ok: true })
  expect(await answer('free', "EXPLAIN CALL dbms.graph.deleteGraph('held')")).toEqual({ ok: true })
})
