// A graph workflow's component inputs, at their edges: a component whose id is also the name of an
// Object member (constructor, toString) gets no values it was not given, and an upstream edge file
// that a bad row stops half-way is removed like a finished one (#15).
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, waitForStatus, type TestApp } from '../../support/app'
import { seedSocialGraph } from '../support'

let t: TestApp

beforeAll(async () => {
  t = await startTestApp()
  await seedSocialGraph(t.app, t.dir, { bootQueryWorker: true })
}, 120_000)
afterAll(() => t.close())

async function create(doc: unknown): Promise<{ id: number }> {
  const res = await t.call('POST', '/api/v1/graph-workflows', { document: doc })
  expect(res.status, JSON.stringify(res.body)).toBe(201)
  return res.body
}

describe('graph workflow component inputs', { timeout: 90_000 }, () => {
  it('asks for a required parameter of a component named constructor or toString instead of inventing its value', async () => {
    for (const id of ['constructor', 'toString', 'valueOf']) {
      const wf = await create({
        name: `named_${id}`,
        components: [{ id, kind: 'query', graph: 'social', query: 'MATCH (a:person) WHERE a.name = $name RETURN a.name', params: [{ name: 'name', type: 'string' }], outputs: ['output0'] }],
        wires: [],
      })
      const res = await t.call('POST', `/api/v1/graph-workflows/${wf.id}/jobs`, {})
      expect(res.status, `${id}: ${JSON.stringify(res.body)}`).toBe(400)
      expect(res.body.error).toMatchObject({ code: 'missing_parameter', field: `input.${id}.name` })
    }
  })

  it('takes a parameter named constructor from its default, not as a wire', async () => {
    const wf = await create({
      name: 'param_constructor',
      components: [{ id: 'query_1', kind: 'query', graph: 'social', query: 'MATCH (a:person) WHERE a.name = $constructor RETURN a.name', params: [{ name: 'constructor', type: 'string', default: 'Ann' }], outputs: ['output0'] }],
      wires: [],
    })
    const started = await t.call('POST', `/api/v1/graph-workflows/${wf.id}/jobs`, {})
    expect(started.status, JSON.stringify(started.body)).toBe(201)
    const job = await waitForStatus(t, started.body.id, ['succeeded', 'failed', 'cancelled'], 60_000)
    const view = (await t.call('GET', `/api/v1/graph-workflows/jobs/${started.body.id}`)).body
    expect(job.status, view.components[0].error).toBe('succeeded')
    expect(view.components[0].rows).toBe(1)
  })

  it('removes the edge file of upstream rows when a row without an id fails the component', async () => {
    const wf = await create({
      name: 'null_dst',
      components: [
        { id: 'query_1', kind: 'query', graph: 'social', query: 'MATCH (a:person) RETURN a.name, null', outputs: ['output0', 'output1'] },
        { id: 'PageRank_1', kind: 'algorithm', algorithm: 'PageRank', input: { kind: 'upstream' } },
      ],
      wires: [
        { from: { component: 'query_1', anchor: 'output0' }, to: { component: 'PageRank_1', anchor: 'src' } },
        { from: { component: 'query_1', anchor: 'output1' }, to: { component: 'PageRank_1', anchor: 'dst' } },
      ],
    })
    const started = await t.call('POST', `/api/v1/graph-workflows/${wf.id}/jobs`, {})
    expect(started.status, JSON.stringify(started.body)).toBe(201)
    const job = await waitForStatus(t, started.body.id, ['succeeded', 'failed', 'cancelled'], 60_000)
    expect(job.status).toBe('failed')
    const view = (await t.call('GET', `/api/v1/graph-workflows/jobs/${started.body.id}`)).body
    expect(view.components[1].error).toMatch(/row 1 of query_1 has no dst/)
    const work = join(t.dir, 'work', 'graph-workflows', `job-${started.body.id}`)
    expect(existsSync(work) ? readdirSync(work) : []).toEqual([])
  })
})
