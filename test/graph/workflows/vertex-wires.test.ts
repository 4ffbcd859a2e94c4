// A query's vertices (`RETURN p`) wired into an algorithm: the algorithm gets the vertex by the id
// algorithms name it with — its primary-key value, `Label:key` where keys repeat across vertex
// labels (electron/graph/algorithms/README.md, Vertex ids) — not the store's internal vid (#15).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, waitForStatus, type TestApp } from '../../support/app'
import { ADMIN } from '../support'

let t: TestApp

const vertex = (label: string) => ({ label, type: 'VERTEX', primary: 'id', properties: [{ name: 'id', type: 'INT64' }, { name: 'name', type: 'STRING' }] })
const edge = (label: string, from: string, to: string) => ({ label, type: 'EDGE', properties: [], constraints: [[from, to]] })

beforeAll(async () => {
  t = await startTestApp()
  // hops: keys 101..104 (none equal to a vid), a chain A → B → C → D
  await t.app.graph.createGraph('hops', ADMIN)
  await t.app.graph.importSchema('hops', { schema: [vertex('person'), edge('knows', 'person', 'person')] }, ADMIN)
  // a padding vertex first, so vids and keys differ by more than an offset of one
  await t.app.graph.cypher({ graph: 'hops', script: "CREATE (:person {id: 900, name: 'pad'})", actor: ADMIN })
  await t.app.graph.cypher({
    graph: 'hops',
    script: "CREATE (a:person {id: 101, name: 'A'}), (b:person {id: 102, name: 'B'}), (c:person {id: 103, name: 'C'}), (d:person {id: 104, name: 'D'}), (a)-[:knows]->(b), (b)-[:knows]->(c), (c)-[:knows]->(d)",
    actor: ADMIN,
  })
  // towns: person 1 and city 1 share a key, so algorithms name its vertices Label:key
  await t.app.graph.createGraph('towns', ADMIN)
  await t.app.graph.importSchema('towns', { schema: [vertex('person'), vertex('city'), edge('road', 'city', 'city'), edge('lives', 'person', 'city')] }, ADMIN)
  await t.app.graph.cypher({
    graph: 'towns',
    script: "CREATE (p:person {id: 1, name: 'Ann'}), (o:city {id: 1, name: 'Oslo'}), (r:city {id: 2, name: 'Rome'}), (b:city {id: 3, name: 'Bern'}), (p)-[:lives]->(o), (o)-[:road]->(r), (r)-[:road]->(b)",
    actor: ADMIN,
  })
}, 120_000)
afterAll(() => t.close())

async function run(doc: unknown): Promise<{ view: any; rows: (c: number) => Promise<unknown[][]> }> {
  const created = await t.call('POST', '/api/v1/graph-workflows', { document: doc })
  expect(created.status, JSON.stringify(created.body)).toBe(201)
  const started = await t.call('POST', `/api/v1/graph-workflows/${created.body.id}/jobs`, {})
  expect(started.status, JSON.stringify(started.body)).toBe(201)
  await waitForStatus(t, started.body.id, ['succeeded', 'failed', 'cancelled'], 60_000)
  const view = (await t.call('GET', `/api/v1/graph-workflows/jobs/${started.body.id}`)).body
  const rows = async (c: number) => (await t.call('GET', `/api/v1/jobs/${view.job.id}/results/${view.components[c].resultIndex}?limit=100`)).body.rows
  return { view, rows }
}

const intoRoot = (graph: string, query: string, algorithm: string, algoGraph: { graph: string; edgeLabel?: string }) => ({
  name: `root_${algorithm}_${graph}`,
  components: [
    { id: 'query_1', kind: 'query', graph, query, outputs: ['output0'] },
    { id: `${algorithm}_1`, kind: 'algorithm', algorithm, input: { kind: 'graph', ...algoGraph } },
  ],
  wires: [{ from: { component: 'query_1', anchor: 'output0' }, to: { component: `${algorithm}_1`, anchor: 'ROOT' } }],
})

describe('a query vertex wired into an algorithm', { timeout: 90_000 }, () => {
  it('starts BFS and SSSP at the vertex the query returned, named by its primary key', async () => {
    for (const algorithm of ['BFS', 'SSSP']) {
      const { view, rows } = await run(intoRoot('hops', "MATCH (p:person) WHERE p.name = 'B' RETURN p", algorithm, { graph: 'hops' }))
      expect(view.job.status, JSON.stringify(view.components.map((c: any) => c.error))).toBe('succeeded')
      if (algorithm === 'BFS') expect(await rows(1)).toEqual([[102, 103], [102, 104]])
      else expect(await rows(1)).toEqual([[102, 0], [103, 1], [104, 2]])
    }
  })

  it('names a vertex Label:key where its key repeats across labels, so it is not ambiguous', async () => {
    const { view, rows } = await run(intoRoot('towns', "MATCH (c:city) WHERE c.name = 'Oslo' RETURN c", 'BFS', { graph: 'towns', edgeLabel: 'road' }))
    expect(view.job.status, JSON.stringify(view.components.map((c: any) => c.error))).toBe('succeeded')
    expect(await rows(1)).toEqual([['city:1', 'city:2'], ['city:1', 'city:3']])
  })

  it('builds upstream edges from returned vertices by key, Label:key when keys repeat among them', async () => {
    const edges = (query: string) => ({
      name: 'edges_of_vertices',
      components: [
        { id: 'query_1', kind: 'query', graph: 'towns', query, outputs: ['output0', 'output1'] },
        { id: 'WCC_1', kind: 'algorithm', algorithm: 'WCC', input: { kind: 'upstream' } },
      ],
      wires: [
        { from: { component: 'query_1', anchor: 'output0' }, to: { component: 'WCC_1', anchor: 'src' } },
        { from: { component: 'query_1', anchor: 'output1' }, to: { component: 'WCC_1', anchor: 'dst' } },
      ],
    })
    const roads = await run(edges('MATCH (a:city)-[:road]->(b:city) RETURN a, b'))
    expect(roads.view.job.status, JSON.stringify(roads.view.components.map((c: any) => c.error))).toBe('succeeded')
    expect((await roads.rows(1)).map((r) => r[0]).sort()).toEqual([1, 2, 3])
    const all = await run(edges('MATCH (a)-[]->(b) RETURN a, b'))
    expect(all.view.job.status, JSON.stringify(all.view.components.map((c: any) => c.error))).toBe('succeeded')
    expect((await all.rows(1)).map((r) => r[0]).sort()).toEqual(['city:1', 'city:2', 'city:3', 'person:1'])
  })
})
