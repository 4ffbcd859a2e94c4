// An algorithm's write-back never silently destroys data (#9, new-user HIGH): a PageRank written
// back into `age INT64` succeeded and rounded every age to 0 or 1. The result's type must fit the
// property's declared type (checked when the job is submitted, and again when the values are
// written: the schema may change while it runs), and a property that already holds values is
// written only with `overwrite: true`. Over the native API (inject) on a small graph.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, waitForStatus, type TestApp } from '../../support/app'
import { seedPersonsGraph } from '../support'

let t: TestApp

//   persons: 1 → 2 → 3 → 1, 4 → 5; age INT64 holds 30..34, rank DOUBLE and team INT64 are empty
beforeAll(async () => {
  t = await startTestApp()
  const optional = (name: string, type: string) => ({ name, type, optional: true })
  await seedPersonsGraph(t.app, t.dir, [optional('age', 'INT64'), optional('rank', 'DOUBLE'), optional('team', 'INT32'), optional('note', 'STRING')], { columns: ['age'], csv: '1,30\n2,41\n3,32\n4,33\n5,34\n' })
}, 60_000)
afterAll(() => t.close())

const ages = async () => {
  const res = await t.call('POST', '/api/v1/graphs/people/cypher', { script: 'MATCH (n:persons) RETURN n.id, n.age ORDER BY n.id' })
  expect(res.status, JSON.stringify(res.body)).toBe(200)
  return JSON.stringify(res.body.rows)
}

async function run(body: unknown): Promise<any> {
  const started = await t.call('POST', '/api/v1/algorithms/jobs', body)
  expect(started.status, JSON.stringify(started.body)).toBe(201)
  await waitForStatus(t, started.body.id, ['succeeded', 'failed', 'cancelled'])
  return (await t.call('GET', `/api/v1/algorithms/jobs/${started.body.id}?limit=100`)).body
}

const graph = { kind: 'graph', graph: 'people' }

describe('write-back types and overwrite', () => {
  it('refuses PageRank (DOUBLE) into age INT64 at submit, naming the field, label, both types; the ages stay', async () => {
    const before = await ages()
    const res = await t.call('POST', '/api/v1/algorithms/jobs', { algorithm: 'PageRank', source: graph, writeBack: { property: 'age', overwrite: true } })
    expect(res.status, JSON.stringify(res.body)).toBe(400)
    expect(res.body.error.field).toBe('writeBack.property')
    expect(res.body.error.message).toMatch(/\[persons\]/)
    expect(res.body.error.message).toMatch(/INT64/)
    expect(res.body.error.message).toMatch(/DOUBLE/)
    expect(await ages()).toBe(before)
  }, 60_000)

  it('refuses an INT64 community id into a STRING property, and a DOUBLE into INT32', async () => {
    for (const [algorithm, property] of [['WCC', 'note'], ['ClosenessCentrality', 'team']]) {
      const res = await t.call('POST', '/api/v1/algorithms/jobs', { algorithm, source: graph, writeBack: { property } })
      expect(res.status, `${algorithm} → ${property}`).toBe(400)
      expect(res.body.error.field).toBe('writeBack.property')
    }
  })

  it('writes PageRank into an empty DOUBLE property and WCC into an empty INT32 one', async () => {
    const pr = await run({ algorithm: 'PageRank', source: graph, writeBack: { property: 'rank' } })
    expect(pr.job.status, JSON.stringify(pr.job)).toBe('succeeded')
    expect(pr.summary.writtenBack).toEqual({ property: 'rank', vertices: 5, skipped: 0 })
    const wcc = await run({ algorithm: 'WCC', source: graph, writeBack: { property: 'team' } })
    expect(wcc.job.status, JSON.stringify(wcc.job)).toBe('succeeded')
    const res = await t.call('POST', '/api/v1/graphs/people/cypher', { script: 'MATCH (n:persons) RETURN n.id, n.team, n.rank ORDER BY n.id' })
    // ranks stored as computed (they add up to 1); teams are the component's first vertex id
    const rows = res.body.rows as [number, number, number][]
    expect(rows.map((r) => r[1])).toEqual([1, 1, 1, 4, 4])
    expect(rows.reduce((a, r) => a + r[2], 0)).toBeCloseTo(1, 9)
  })

  it('refuses to write into a property that holds values unless overwrite is true', async () => {
    const before = await ages()
    const res = await t.call('POST', '/api/v1/algorithms/jobs', { algorithm: 'WCC', source: graph, writeBack: { property: 'age' } })
    expect(res.status, JSON.stringify(res.body)).toBe(409)
    expect(res.body.error.field).toBe('writeBack.overwrite')
    expect(res.body.error.message).toMatch(/age/)
    expect(res.body.error.message).toMatch(/\[persons\]/)
    expect(res.body.error.message).toMatch(/overwrite/)
    expect(await ages()).toBe(before)
    // rank was written by the case above: it holds values now
    expect((await t.call('POST', '/api/v1/algorithms/jobs', { algorithm: 'PageRank', source: graph, writeBack: { property: 'rank' } })).status).toBe(409)
    const over = await run({ algorithm: 'WCC', source: graph, writeBack: { property: 'age', overwrite: true } })
    expect(over.job.status, JSON.stringify(over.job)).toBe('succeeded')
    expect(over.summary.writtenBack).toEqual({ property: 'age', vertices: 5, skipped: 0 })
    expect(await ages()).not.toBe(before)
  })

  it('refuses to start a graph workflow whose algorithm would round or overwrite, naming the component’s field', async () => {
    const start = async (writeBack: unknown) => {
      const made = await t.call('POST', '/api/v1/graph-workflows', { document: { name: `wb_${Math.random().toString(36).slice(2, 8)}`, components: [{ id: 'PageRank_1', kind: 'algorithm', algorithm: 'PageRank', input: graph, writeBack }], wires: [] } })
      expect(made.status, JSON.stringify(made.body)).toBe(201)
      return t.call('POST', `/api/v1/graph-workflows/${made.body.id}/jobs`, {})
    }
    const rounded = await start({ property: 'age', overwrite: true })
    expect(rounded.status, JSON.stringify(rounded.body)).toBe(400)
    expect(rounded.body.error.field).toBe('components.PageRank_1.writeBack.property')
    const overwrites = await start({ property: 'rank' })
    expect(overwrites.status, JSON.stringify(overwrites.body)).toBe(409)
    expect(overwrites.body.error.field).toBe('components.PageRank_1.writeBack.overwrite')
    const asked = await start({ property: 'rank', overwrite: true })
    expect(asked.status, JSON.stringify(asked.body)).toBe(201)
    expect((await waitForStatus(t, asked.body.id, ['succeeded', 'failed', 'cancelled'])).status).toBe('succeeded')
  })

  it('refuses a writeBack.overwrite that is not a boolean', async () => {
    const res = await t.call('POST', '/api/v1/algorithms/jobs', { algorithm: 'WCC', source: graph, writeBack: { property: 'age', overwrite: 'yes' } })
    expect(res.status).toBe(400)
    expect(res.body.error.field ?? res.body.error.message).toMatch(/overwrite/)
  })
})
