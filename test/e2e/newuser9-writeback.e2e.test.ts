// New-user trial #9 (HIGH): persons with `age INT64`, then PageRank from Graph → Workflows written
// back into `age`: the job succeeded and every age became 0 or 1 (rounded). Now the component's
// settings say before the run that PageRank's DOUBLE values do not fit age's INT64, the run is
// refused naming the field, and a property that may hold values asks to confirm replacing them.
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
  await seedGraph(served.url, token, 'people', [
    "CALL db.createVertexLabel('persons', 'id', 'id', 'int64', false, 'age', 'int64', true, 'rank', 'double', true)",
    "CALL db.createEdgeLabel('knows', '[]')",
    'CREATE (a:persons {id: 1, age: 30}), (b:persons {id: 2, age: 41}), (c:persons {id: 3, age: 32}), (d:persons {id: 4, age: 33}), (a)-[:knows]->(b), (b)-[:knows]->(c), (c)-[:knows]->(a)',
  ])
})

const ages = async () => (await api(served.url, token, 'POST', '/api/v1/graphs/people/cypher', { script: 'MATCH (n:persons) RETURN n.age ORDER BY n.id' })).rows
const settings = () => page.getByRole('complementary', { name: 'component settings' })

describe('new user #9: an algorithm’s write-back', () => {
  it('says PageRank cannot go into age INT64, refuses the run, and asks before replacing a property’s values', { timeout: LONG }, async () => {
    expect(await ages()).toEqual([[30], [41], [32], [33]])
    const wf = await api(served.url, token, 'POST', '/api/v1/graph-workflows', {
      document: { name: 'rank people', components: [{ id: 'PageRank_1', kind: 'algorithm', algorithm: 'PageRank', input: { kind: 'graph', graph: 'people' }, writeBack: { property: 'age' } }], wires: [] },
    })
    expect(wf.id, JSON.stringify(wf)).toBeGreaterThan(0)
    await signIn(page, served.url)
    await page.goto(`${served.url}/#/graph/workflows/${wf.id}`)
    await page.getByTestId('gw-node-PageRank_1').click()
    await poll(async () => (await settings().textContent()) ?? '').toContain('PageRank gives DOUBLE values; age is INT64 in [persons]')
    await settings().getByLabel('write back property').scrollIntoViewIfNeeded()
    await page.screenshot({ path: resolve(SHOTS, 'newuser9-writeback-refused.png') })

    // the run is refused, naming the field; the ages stay
    const run = await api(served.url, token, 'POST', `/api/v1/graph-workflows/${wf.id}/jobs`, {})
    expect(run.error?.field, JSON.stringify(run)).toBe('components.PageRank_1.writeBack.property')
    expect(run.error.message).toMatch(/DOUBLE/)
    expect(await ages()).toEqual([[30], [41], [32], [33]])

    // rank fits; persons has vertices, so it may hold values: the form asks to confirm replacing them
    await settings().getByLabel('write back property').fill('rank')
    await poll(() => page.getByTestId('gw-overwrite').count()).toBe(1)
    expect(await page.getByTestId('gw-overwrite').textContent()).toContain('rank exists in [persons] (4 vertices) and may hold values')
    await settings().getByLabel('replace existing values').check()
    await page.getByRole('button', { name: 'Save', exact: true }).click()
    await poll(async () => JSON.stringify((await api(served.url, token, 'GET', `/api/v1/graph-workflows/${wf.id}`)).document.components[0].writeBack)).toBe(JSON.stringify({ property: 'rank', overwrite: true }))
    await settings().getByLabel('replace existing values').scrollIntoViewIfNeeded()
    await page.screenshot({ path: resolve(SHOTS, 'newuser9-writeback-confirm.png') })

    const ok = await api(served.url, token, 'POST', `/api/v1/graph-workflows/${wf.id}/jobs`, {})
    expect(ok.id, JSON.stringify(ok)).toBeGreaterThan(0)
    await poll(async () => (await api(served.url, token, 'GET', `/api/v1/jobs/${ok.id}`)).status).toBe('succeeded')
    expect(await ages()).toEqual([[30], [41], [32], [33]])
  })
})
