// New-user trial #10 (MEDIUM): PageRank from Graph → Workflows written back into a new property
// `score` was refused: "No vertex label of nu10 has a property score: add it to a label first." —
// but nothing in the app adds a property to a label, and the message did not say how. Now, as Neo4j
// GDS's write mode, the write-back adds a property no label has (optional, of the result's type) to
// the labels with vertices, with the values in one transaction; the form says so before the run.
import { resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { SHOTS, api, browserSuite, poll, seedGraph, signIn, type Served } from './support'

const suite = browserSuite({ width: 1400, height: 860 })
const LONG = 120_000

let served: Served
let page: Page
let token: string
beforeAll(async () => {
  ;({ served, page, token } = suite)
  await seedGraph(served.url, token, 'nu10', [
    "CALL db.createVertexLabel('people', 'id', 'id', 'int64', false, 'age', 'int64', true)",
    "CALL db.createEdgeLabel('knows', '[]')",
    'CREATE (a:people {id: 1, age: 30}), (b:people {id: 2, age: 25}), (c:people {id: 3, age: 41}), (a)-[:knows]->(b), (b)-[:knows]->(c), (a)-[:knows]->(c)',
  ])
})

const settings = () => page.getByRole('complementary', { name: 'component settings' })

describe('new user #10: writing an algorithm back into a property the graph lacks', () => {
  it('says the property will be added, and the run adds it (DOUBLE, optional) with the values', { timeout: LONG }, async () => {
    const wf = await api(served.url, token, 'POST', '/api/v1/graph-workflows', {
      document: { name: 'rank people', components: [{ id: 'PageRank_1', kind: 'algorithm', algorithm: 'PageRank', input: { kind: 'graph', graph: 'nu10' }, writeBack: { property: 'score' } }], wires: [] },
    })
    expect(wf.id, JSON.stringify(wf)).toBeGreaterThan(0)
    await signIn(page, served.url)
    await page.goto(`${served.url}/#/graph/workflows/${wf.id}`)
    await page.getByTestId('gw-node-PageRank_1').click()
    await poll(async () => (await page.getByTestId('gw-new-property').textContent().catch(() => '')) ?? '').toContain('score will be added to [people] as DOUBLE')
    const text = (await settings().textContent()) ?? ''
    expect(text).not.toContain('add it to a label first')
    await settings().getByLabel('write back property').scrollIntoViewIfNeeded()
    await page.screenshot({ path: resolve(SHOTS, 'newuser10-writeback-new-property.png') })

    const run = await api(served.url, token, 'POST', `/api/v1/graph-workflows/${wf.id}/jobs`, {})
    expect(run.id, JSON.stringify(run)).toBeGreaterThan(0)
    await poll(async () => (await api(served.url, token, 'GET', `/api/v1/jobs/${run.id}`)).status).toBe('succeeded')
    const schema = await api(served.url, token, 'POST', '/api/v1/graphs/nu10/cypher', { script: "CALL db.getLabelSchema('vertex', 'people')" })
    expect(JSON.stringify(schema.rows)).toContain('score')
    const scores = (await api(served.url, token, 'POST', '/api/v1/graphs/nu10/cypher', { script: 'MATCH (n:people) RETURN n.score ORDER BY n.id' })).rows as [number][]
    expect(scores).toHaveLength(3)
    expect(scores.every(([s]) => typeof s === 'number' && s > 0), JSON.stringify(scores)).toBe(true)
    // the form now finds score in people (3 vertices): a second run would replace its values, so it asks
    await page.reload()
    await page.getByTestId('gw-node-PageRank_1').click()
    await poll(() => page.getByTestId('gw-overwrite').count()).toBe(1)
  })
})
