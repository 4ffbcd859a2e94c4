// Per-graph rights (#9.3): reading is shared, changing a graph needs its owner or an admin. A
// non-admin could change the shared `default` graph's schema (and drop its labels). Each path that
// writes a graph is tried by two users — admin (the owner of `default`) and bob — in its own dialect.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { startTestApp, type TestApp } from '../support/app'
import { addUser, type TestUser } from '../support/users'
import { waitForStatus } from '../support/app'
import { expectError, expectOk, tugraphClient, type TuGraphClient } from '../tugraph/support'
import { PERSON_SCHEMA, upload } from './support'

vi.setConfig({ testTimeout: 120_000 }) // query workers start slowly on a busy machine

let t: TestApp
let bob: TestUser
let admin: TuGraphClient
let b: TuGraphClient
const REFUSED = /Graph \[default\] belongs to admin: only its owner or an admin may change/
beforeAll(async () => {
  t = await startTestApp()
  bob = await addUser(t, 'bob')
  admin = tugraphClient(t.url)
  await admin.login()
  b = tugraphClient(t.url)
  await b.login(bob.username, bob.password)
  expectOk(await admin.post('import_schema', { graph: 'default', description: PERSON_SCHEMA }))
  expectOk(await admin.post('cypher', { graph: 'default', script: "CREATE (:person {id: 1, name: 'ann'})" }))
}, 120_000)
afterAll(() => t.close())

describe('the native API', () => {
  it('bob reads graphs but may not change the schema of default, import into it or drop it; admin may', async () => {
    expect((await bob.call('GET', '/api/v1/graphs/default')).body).toMatchObject({ name: 'default', owner: 'admin' })
    const schema = await bob.call('POST', '/api/v1/graphs/default/schema', { schema: [{ label: 'town', type: 'VERTEX', primary: 'n', properties: [{ name: 'n', type: 'STRING' }] }] })
    expect(schema.status).toBe(403)
    expect(schema.body.error).toMatchObject({ kind: 'forbidden', code: 'not_graph_owner', message: expect.stringMatching(REFUSED) })
    upload(t.app.graph.dataDir, 'p.csv', '2,bo\n', 'bob')
    // Check says so before Start (trial10): it used to answer "No problems found" for a mapping bob may not import
    const p = [{ path: 'p.csv', format: 'CSV', label: 'person', columns: ['id', 'name'] }]
    const check = await bob.call('POST', '/api/v1/imports/check', { graph: 'default', files: p })
    expect(check.body).toMatchObject({ ok: false, problems: [{ severity: 'error', code: 'not_graph_owner', message: expect.stringMatching(REFUSED) }] })
    expect((await t.call('POST', '/api/v1/imports/check', { graph: 'default', files: [{ ...p[0], path: 'nothing-here.csv' }] })).body.problems.map((x: { code: string }) => x.code)).toEqual(['file_not_found'])
    const imported = await bob.call('POST', '/api/v1/imports', { graph: 'default', files: [{ path: 'p.csv', format: 'CSV', label: 'person', columns: ['id', 'name'] }] })
    expect(imported.status).toBe(403)
    expect(imported.body.error.code).toBe('not_graph_owner')
    const drop = await bob.call('POST', '/api/v1/graphs/default/drop')
    expect(drop.status).toBe(403)
    expect((await t.call('GET', '/api/v1/graphs/default')).body.labels.map((l: { name: string }) => l.name).sort()).toEqual(['knows', 'person'])
    const own = await t.call('POST', '/api/v1/graphs/default/schema', { schema: [{ label: 'town', type: 'VERTEX', primary: 'n', properties: [{ name: 'n', type: 'STRING' }] }] })
    expect(own.status).toBe(200)
    expect((await t.call('POST', '/api/v1/graphs', { graph: 'mine' })).body).toMatchObject({ name: 'mine', owner: 'admin' })
  })
})

describe('TuGraph', () => {
  it('bob runs read-only Cypher; a write clause, a write procedure or import_schema is refused in TuGraph’s envelope', async () => {
    expect(expectOk(await b.post('cypher', { graph: 'default', script: 'MATCH (n:person) RETURN n.name AS name' }))).toEqual({ result: [{ name: 'ann' }] })
    expectError(await b.post('cypher', { graph: 'default', script: "CREATE (:person {id: 9, name: 'eve'})" }), '400', REFUSED)
    expectError(await b.post('cypher', { graph: 'default', script: 'MATCH (n:person) DETACH DELETE n' }), '400', REFUSED)
    expectError(await b.post('cypher', { graph: 'default', script: "CALL db.createVertexLabel('x', 'id', 'id', 'int64', false)" }), '400', REFUSED)
    expectError(await b.post('import_schema', { graph: 'default', description: { schema: [{ label: 'y', type: 'VERTEX', primary: 'id', properties: [{ name: 'id', type: 'INT64' }] }] } }), '400', REFUSED)
    expect(expectOk(await admin.post('cypher', { graph: 'default', script: 'MATCH (n:person) RETURN count(n) AS n' }))).toEqual({ result: [{ n: 1 }] })
    expectOk(await admin.post('cypher', { graph: 'default', script: "CREATE (:person {id: 2, name: 'bo'})" }))
  })
})

describe('TuGraph index procedures', () => {
  it('the graph’s owner adds and drops vertex and edge indexes over /cypher; another user is refused in TuGraph’s envelope and nothing changes', async () => {
    expect((await t.call('POST', '/api/v1/graphs', { graph: 'bobs', owner: 'bob' })).body).toMatchObject({ name: 'bobs', owner: 'bob' })
    expectOk(await b.post('import_schema', { graph: 'bobs', description: PERSON_SCHEMA }))
    const indexes = async (graph: string) =>
      expectOk(await admin.post('cypher', { graph, script: 'CALL db.indexes() YIELD label, field, label_type RETURN label, field, label_type' })).result.filter((r: { field: string }) => r.field === 'name' || r.field === 'since')
    for (const script of ["CALL db.addIndex('person', 'name', false)", "CALL db.addEdgeIndex('knows', 'since', false, false)"]) {
      expectOk(await b.post('cypher', { graph: 'bobs', script }))
    }
    expect(await indexes('bobs')).toEqual([
      { label: 'person', field: 'name', label_type: 'vertex' },
      { label: 'knows', field: 'since', label_type: 'edge' },
    ])
    // bob on admin's graph: refused, as every write of a graph he does not own
    for (const script of ["CALL db.addIndex('person', 'name', false)", "CALL db.addEdgeIndex('knows', 'since', false, false)"]) {
      expectError(await b.post('cypher', { graph: 'default', script }), '400', REFUSED)
    }
    expect(await indexes('default')).toEqual([])
    expectOk(await admin.post('cypher', { graph: 'default', script: "CALL db.addIndex('person', 'name', false)" }))
    for (const script of ["CALL db.deleteIndex('person', 'name')", "CALL db.deleteEdgeIndex('knows', 'since')"]) {
      expectError(await b.post('cypher', { graph: 'default', script }), '400', REFUSED)
    }
    expect(await indexes('default')).toEqual([{ label: 'person', field: 'name', label_type: 'vertex' }])
    expectOk(await admin.post('cypher', { graph: 'default', script: "CALL db.deleteIndex('person', 'name')" }))
    // and drops his own
    for (const script of ["CALL db.deleteIndex('person', 'name')", "CALL db.deleteEdgeIndex('knows', 'since')"]) {
      expectOk(await b.post('cypher', { graph: 'bobs', script }))
    }
    expect(await indexes('bobs')).toEqual([])
  })
})

describe('GES import-graph', () => {
  it('bob is refused in GES’s envelope', async () => {
    const iam = await fetch(`${t.url}/v3/auth/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ auth: { identity: { methods: ['password'], password: { user: { name: 'bob', password: bob.password } } } } }),
    })
    expect(iam.status).toBe(201)
    upload(t.app.graph.dataDir, 'e.csv', '1,1\n', 'bob')
    const res = await fetch(`${t.url}/v2/p1/graphs/default/import-graph`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'X-Auth-Token': iam.headers.get('x-subject-token')! },
      body: JSON.stringify({ edgeset_path: 'e.csv' }),
    })
    expect(res.status).toBe(403)
    expect(JSON.stringify(await res.json())).toMatch(/belongs to admin/)
  })
})

describe('Cypher script jobs', () => {
  it('bob’s script that writes fails with the reason; his read-only script succeeds', async () => {
    const count = async () => expectOk(await admin.post('cypher', { graph: 'default', script: 'MATCH (n:person) RETURN count(n) AS n' })).result[0].n
    const before = await count()
    const write = await bob.call('POST', '/api/v1/jobs', { type: 'script', language: 'cypher', code: "MATCH (n:person) RETURN n.name;\nCREATE (:person {id: 7, name: 'x'})" })
    expect(write.status).toBe(201)
    const failed = await waitForStatus(t, write.body.id, ['failed', 'succeeded'], 60_000)
    expect(failed.status).toBe('failed')
    expect(failed.error).toMatch(/statement 2 in graph default: Graph \[default\] belongs to admin/)
    const read = await bob.call('POST', '/api/v1/jobs', { type: 'script', language: 'cypher', code: 'MATCH (n:person) RETURN n.name' })
    expect((await waitForStatus(t, read.body.id, ['failed', 'succeeded'], 60_000)).status).toBe('succeeded')
    expect(await count()).toBe(before)
  })
})

describe('algorithms and graph workflows', () => {
  it('bob may not write an algorithm’s values back into default', async () => {
    const res = await bob.call('POST', '/api/v1/algorithms/jobs', { algorithm: 'PageRank', source: { kind: 'graph', graph: 'default' }, writeBack: { property: 'name' } })
    expect(res.status).toBe(403)
    expect(res.body.error).toMatchObject({ code: 'not_graph_owner', message: expect.stringMatching(REFUSED) })
  })

  it('bob’s graph workflow whose query writes default fails with the reason and changes nothing', async () => {
    const count = async () => expectOk(await admin.post('cypher', { graph: 'default', script: 'MATCH (n:person) RETURN count(n) AS n' })).result[0].n
    const before = await count()
    const doc = {
      name: 'sneaky',
      components: [{ id: 'query_1', kind: 'query', name: 'write', graph: 'default', query: "CREATE (p:person {id: 8, name: 'z'}) RETURN p.name", outputs: ['output0'] }],
      wires: [],
    }
    const wf = await bob.call('POST', '/api/v1/graph-workflows', { document: doc })
    expect(wf.status, JSON.stringify(wf.body)).toBe(201)
    const run = await bob.call('POST', `/api/v1/graph-workflows/${wf.body.id}/jobs`, {})
    expect(run.status, JSON.stringify(run.body)).toBe(201)
    const ended = await waitForStatus(t, run.body.id, ['failed', 'succeeded'], 60_000)
    expect(ended.status).toBe('failed')
    expect(ended.error).toMatch(REFUSED)
    expect(await count()).toBe(before)
  })
})
