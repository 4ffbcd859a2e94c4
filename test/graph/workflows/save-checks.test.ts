// Graph workflows are checked when saved, not only when run (#15): a graph name that is no name
// (`../default`) or a query that does not parse (two statements, a syntax error) is refused by
// create, save and validate naming the component and field in the native envelope; a graph that
// does not exist yet is stored with a warning (a workflow may be made before its import) and
// refused by a run, which keeps every check.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../../support/app'
import { seedSocialGraph } from '../support'

let t: TestApp

beforeAll(async () => {
  t = await startTestApp()
  await seedSocialGraph(t.app, t.dir, { bootQueryWorker: true })
}, 120_000)
afterAll(() => t.close())

const query = (q: Record<string, unknown> = {}) => ({ name: 'checked', components: [{ id: 'query_1', kind: 'query', graph: 'social', query: 'MATCH (p:person) RETURN p.id', outputs: ['output0'], ...q }], wires: [] })
const algorithm = (graph: string) => ({ name: 'checked', components: [{ id: 'WCC_1', kind: 'algorithm', algorithm: 'WCC', input: { kind: 'graph', graph } }], wires: [] })

describe('graph workflow checks at save', { timeout: 90_000 }, () => {
  it('refuses a graph name that is no graph name, naming the component and field', async () => {
    for (const [doc, field, component] of [
      [query({ graph: '../default' }), 'document.components[0].graph', 'query_1'],
      [query({ graph: '9lives' }), 'document.components[0].graph', 'query_1'],
      [algorithm('../default'), 'document.components[0].input.graph', 'WCC_1'],
    ] as const) {
      const res = await t.call('POST', '/api/v1/graph-workflows', { document: doc })
      expect(res.status, JSON.stringify(res.body)).toBe(400)
      expect(res.body.error).toMatchObject({ kind: 'invalid', code: 'invalid_workflow', field })
      expect(res.body.error.message).toMatch(new RegExp(`^${component}: .*is no graph name: Invalid Graph: name`))
    }
  })

  it('refuses a query of two statements or that does not parse, at create, save and validate', async () => {
    const two = await t.call('POST', '/api/v1/graph-workflows', { document: query({ query: 'MATCH (p:person) RETURN p.id; MATCH (q) DETACH DELETE q' }) })
    expect(two.status, JSON.stringify(two.body)).toBe(400)
    expect(two.body.error).toMatchObject({ code: 'invalid_workflow', field: 'document.components[0].query' })
    expect(two.body.error.message).toMatch(/^query_1: the query does not parse: Only one statement per request/)
    const broken = await t.call('POST', '/api/v1/graph-workflows', { document: query({ query: 'MATCH (p:person RETURN p' }) })
    expect(broken.status).toBe(400)
    expect(broken.body.error).toMatchObject({ field: 'document.components[0].query' })
    expect(broken.body.error.message).toMatch(/^query_1: the query does not parse: .*line 1/)
    // a saved workflow's next version is checked the same way
    const ok = await t.call('POST', '/api/v1/graph-workflows', { document: query() })
    expect(ok.status).toBe(201)
    expect(ok.body.warnings).toEqual([])
    const saved = await t.call('POST', `/api/v1/graph-workflows/${ok.body.id}/versions`, { document: query({ query: 'RETURN 1; RETURN 2' }) })
    expect(saved.status).toBe(400)
    expect(saved.body.error.field).toBe('document.components[0].query')
    expect((await t.call('GET', `/api/v1/graph-workflows/${ok.body.id}`)).body.latestVersion).toBe(1)
    const v = await t.call('POST', '/api/v1/graph-workflows/validate', { document: query({ query: 'RETURN 1; RETURN 2' }) })
    expect(v.body).toMatchObject({ valid: false, errors: [{ component: 'query_1', field: 'components[0].query' }] })
  })

  it('stores a workflow whose graph does not exist yet with a warning; a run refuses it', async () => {
    const doc = { ...query({ graph: 'later' }), components: [...query({ graph: 'later' }).components, algorithm('later').components[0]] }
    const made = await t.call('POST', '/api/v1/graph-workflows', { document: doc })
    expect(made.status, JSON.stringify(made.body)).toBe(201)
    expect(made.body.warnings).toEqual([
      { component: 'query_1', field: 'components[0].graph', message: 'query_1: graph later does not exist (yet); a run needs it' },
      { component: 'WCC_1', field: 'components[1].input.graph', message: 'WCC_1: graph later does not exist (yet); a run needs it' },
    ])
    const v = await t.call('POST', '/api/v1/graph-workflows/validate', { document: doc })
    expect(v.body).toMatchObject({ valid: true, errors: [], warnings: [{ component: 'query_1' }, { component: 'WCC_1' }] })
    const run = await t.call('POST', `/api/v1/graph-workflows/${made.body.id}/jobs`, {})
    expect(run.status).toBe(404)
    expect(run.body.error).toMatchObject({ code: 'graph_not_found' })
    expect(run.body.error.message).toMatch(/^query_1: /)
  })

  it('still refuses at run time a stored version that would not pass these checks', async () => {
    // stored past the service (a version saved before the checks existed)
    const id = t.app.store.graphWorkflows.create(query({ query: 'RETURN 1; RETURN 2' }) as never, 'admin')
    const run = await t.call('POST', `/api/v1/graph-workflows/${id}/jobs`, {})
    expect(run.status, JSON.stringify(run.body)).toBe(400)
    expect(run.body.error).toMatchObject({ code: 'invalid_workflow', field: 'document.components[0].query' })
    const badName = t.app.store.graphWorkflows.create(algorithm('../default') as never, 'admin')
    const run2 = await t.call('POST', `/api/v1/graph-workflows/${badName}/jobs`, {})
    expect(run2.status).toBe(400)
    expect(run2.body.error.field).toBe('document.components[0].input.graph')
  })
})
