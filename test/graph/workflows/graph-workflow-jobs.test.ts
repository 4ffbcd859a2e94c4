// Graph workflows over the native API: store and version a workflow, run it as one job whose
// tasks are its components (a query feeding PageRank through its output anchors), page and
// export each component's result set, write back into the graph, refuse bad documents and runs
// naming the component, owner-or-admin, and rerun from the failed component or from the start.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, waitForStatus, type TestApp } from '../../support/app'
import { addUser } from '../../support/users'
import { seedSocialGraph, upload } from '../support'

let t: TestApp

beforeAll(async () => {
  t = await startTestApp()
  //   social: 1 → 2 → 3 → 1 (a triangle), 4 → 5 (a second component)
  await seedSocialGraph(t.app, t.dir, { bootQueryWorker: true })
}, 120_000)
afterAll(() => t.close())

//   query_1 ($minAge) ──output0──► src ┐
//                     ──output1──► dst ┴ PageRank_1
const rankDoc = (query = 'MATCH (a:person)-[:knows]->(b:person) WHERE a.age >= $minAge RETURN a.name, b.name') => ({
  name: 'rank_people',
  components: [
    { id: 'query_1', kind: 'query', name: 'friends', graph: 'social', query, params: [{ name: 'minAge', type: 'int', default: 0 }], outputs: ['output0', 'output1'] },
    { id: 'PageRank_1', kind: 'algorithm', algorithm: 'PageRank', input: { kind: 'upstream' } },
  ],
  wires: [
    { from: { component: 'query_1', anchor: 'output0' }, to: { component: 'PageRank_1', anchor: 'src' } },
    { from: { component: 'query_1', anchor: 'output1' }, to: { component: 'PageRank_1', anchor: 'dst' } },
  ],
})

async function create(doc: unknown, as = t): Promise<any> {
  const res = await as.call('POST', '/api/v1/graph-workflows', { document: doc })
  expect(res.status, JSON.stringify(res.body)).toBe(201)
  return res.body
}

async function runToEnd(id: number, body: unknown = {}): Promise<any> {
  const started = await t.call('POST', `/api/v1/graph-workflows/${id}/jobs`, body)
  expect(started.status, JSON.stringify(started.body)).toBe(201)
  await waitForStatus(t, started.body.id, ['succeeded', 'failed', 'cancelled'], 60_000)
  return (await t.call('GET', `/api/v1/graph-workflows/jobs/${started.body.id}`)).body
}

describe('graph workflows', { timeout: 90_000 }, () => {
  it('stores a workflow with Explorer’s numeric id and saves versions', async () => {
    const wf = await create(rankDoc())
    expect(String(wf.id)).toMatch(/^[1-9]\d*$/) // numbered 1, 2, 3… (test/store/graph-workflow-ids.test.ts): a number, as Explorer's clients need
    expect(wf).toMatchObject({ name: 'rank_people', owner: 'admin', version: 1, latestVersion: 1 })
    const saved = await t.call('POST', `/api/v1/graph-workflows/${wf.id}/versions`, { document: { ...rankDoc(), name: 'rank_people_v2' } })
    expect(saved.status).toBe(201)
    expect(saved.body).toMatchObject({ version: 2, latestVersion: 2, name: 'rank_people_v2' })
    expect(saved.body.versions.map((v: any) => v.version)).toEqual([2, 1])
    const first = await t.call('GET', `/api/v1/graph-workflows/${wf.id}?version=1`)
    expect(first.body.document.name).toBe('rank_people')
    const list = await t.call('GET', '/api/v1/graph-workflows')
    expect(list.body.map((w: any) => w.id)).toContain(wf.id)
  })

  it('runs a query feeding PageRank as one job; each component has a result set', async () => {
    const wf = await create(rankDoc())
    const view = await runToEnd(wf.id)
    expect(view.job).toMatchObject({ kind: 'dag', status: 'succeeded', taskCount: 2 })
    expect(view.job.name).toMatch(/^rank_people_\d{14}$/)
    expect(view).toMatchObject({ workflowId: wf.id, version: 1 })
    expect(view.components.map((c: any) => [c.id, c.name, c.status, c.rows, c.outputs])).toEqual([
      ['query_1', 'friends', 'succeeded', 4, ['output0', 'output1']],
      ['PageRank_1', 'PageRank', 'succeeded', 5, ['VID', 'VALUE']],
    ])
    const pr = view.components[1]
    const page = await t.call('GET', `/api/v1/jobs/${view.job.id}/results/${pr.resultIndex}?limit=100`)
    expect(page.body.columns.map((c: any) => c.name)).toEqual(['VID', 'VALUE'])
    expect(page.body.rows.map((r: any[]) => r[0]).sort()).toEqual(['Ann', 'Bob', 'Cid', 'Dee', 'Eve'])
    expect(page.body.rows.reduce((a: number, r: any[]) => a + r[1], 0)).toBeCloseTo(1, 9)
    const second = await t.call('GET', `/api/v1/jobs/${view.job.id}/results/${pr.resultIndex}?offset=3&limit=10`)
    expect(second.body.rows).toEqual(page.body.rows.slice(3))
    const csv = await t.call('GET', `/api/v1/jobs/${view.job.id}/results/${pr.resultIndex}/csv`)
    expect(csv.body.csv.split('\r\n')[0]).toBe('VID,VALUE')
  })

  it('takes query parameters from the run’s input (Explorer’s input by component id)', async () => {
    const wf = await create(rankDoc())
    const view = await runToEnd(wf.id, { input: { query_1: { minAge: '32' } } })
    expect(view.components[0].rows).toBe(2) // Cid → Ann, Dee → Eve
    // what a rerun runs again, as its question shows it: the query with the run's value
    expect((await t.call('GET', `/api/v1/jobs/${view.job.id}/code`)).body[0].code).toBe(`query_1: query on graph social\n${rankDoc().components[0].query}\n$minAge = "32"`)
    const rows = (await t.call('GET', `/api/v1/jobs/${view.job.id}/results/${view.components[1].resultIndex}`)).body.rows
    expect(rows.map((r: any[]) => r[0]).sort()).toEqual(['Ann', 'Cid', 'Dee', 'Eve'])
  })

  it('runs an algorithm on a graph with a wired parameter and writes back into a vertex property', async () => {
    const wf = await create({
      name: 'components',
      components: [
        { id: 'query_1', kind: 'query', graph: 'social', query: "MATCH (p:person) WHERE p.name = $who RETURN p.id", params: [{ name: 'who', type: 'string' }], outputs: ['root'] },
        { id: 'BFS_1', kind: 'algorithm', algorithm: 'BFS', input: { kind: 'graph', graph: 'social', edgeLabel: 'knows' } },
        { id: 'WCC_1', kind: 'algorithm', algorithm: 'WCC', input: { kind: 'graph', graph: 'social' }, writeBack: { property: 'age', overwrite: true } },
      ],
      wires: [{ from: { component: 'query_1', anchor: 'root' }, to: { component: 'BFS_1', anchor: 'ROOT' } }],
    })
    const view = await runToEnd(wf.id, { input: { query_1: { who: 'Dee' } } })
    expect(view.job.status, JSON.stringify(view)).toBe('succeeded')
    const bfs = (await t.call('GET', `/api/v1/jobs/${view.job.id}/results/${view.components[1].resultIndex}`)).body.rows
    // the query's p.id joins the algorithm's ids: from Dee (person.id 4, vid 3) Eve (5) is reached
    expect(bfs).toEqual([[4, 5]])
    const wcc = (await t.call('GET', `/api/v1/jobs/${view.job.id}/results/${view.components[2].resultIndex}`)).body.rows
    expect(wcc).toEqual([[1, 1], [2, 1], [3, 1], [4, 4], [5, 4]])
    for (const id of [1, 4, 5]) expect((await t.app.graph.findVertex('social', 'person', id, { user: 'admin' }))?.properties.age).toBe(id < 4 ? 1 : 4)
  })

  it('refuses an invalid document naming the component, and validates without storing', async () => {
    const doc = rankDoc()
    doc.wires.pop()
    const res = await t.call('POST', '/api/v1/graph-workflows', { document: doc })
    expect(res.status).toBe(400)
    expect(res.body.error).toMatchObject({ code: 'invalid_workflow', field: 'document.components[1].input' })
    expect(res.body.error.message).toMatch(/PageRank_1: input dst is not wired/)
    const v = await t.call('POST', '/api/v1/graph-workflows/validate', { document: doc })
    expect(v.body.valid).toBe(false)
    expect(v.body.errors[0].component).toBe('PageRank_1')
  })

  it('refuses a run whose input or sources are wrong, naming the component', async () => {
    const wf = await create({ ...rankDoc(), components: [rankDoc().components[0], { id: 'PageRank_1', kind: 'algorithm', algorithm: 'PageRank', input: { kind: 'upstream' } }] })
    const cases: [unknown, string, RegExp][] = [
      [{ input: { query_9: { minAge: 1 } } }, 'input.query_9', /"query_9", which the workflow does not have/],
      [{ input: { query_1: { maxAge: 1 } } }, 'input.query_1.maxAge', /query_1 has no parameter "maxAge"; it takes minAge/],
    ]
    for (const [body, field, message] of cases) {
      const res = await t.call('POST', `/api/v1/graph-workflows/${wf.id}/jobs`, body)
      expect(res.status, JSON.stringify(res.body)).toBe(400)
      expect(res.body.error.field).toBe(field)
      expect(res.body.error.message).toMatch(message)
    }
    const noGraph = await create({ name: 'x', components: [{ id: 'WCC_1', kind: 'algorithm', algorithm: 'WCC', input: { kind: 'graph', graph: 'nope' } }], wires: [] })
    const res = await t.call('POST', `/api/v1/graph-workflows/${noGraph.id}/jobs`, {})
    expect(res.status).toBe(404)
    expect(res.body.error.message).toMatch(/^WCC_1: /)
    const noFile = await create({ name: 'y', components: [{ id: 'WCC_1', kind: 'algorithm', algorithm: 'WCC', input: { kind: 'file', path: 'missing.csv' } }], wires: [] })
    expect((await t.call('POST', `/api/v1/graph-workflows/${noFile.id}/jobs`, {})).body.error.message).toMatch(/^WCC_1: /)
  })

  it('keeps workflows and their jobs to their owner and admins', async () => {
    const bob = await addUser(t, 'wf-bob')
    upload(t.dir, 'e.csv', '1,2\n2,3\n', 'wf-bob')
    const wf = await create({ name: 'bobs', components: [{ id: 'WCC_1', kind: 'algorithm', algorithm: 'WCC', input: { kind: 'file', path: 'e.csv' } }], wires: [] }, bob as unknown as TestApp)
    const eve = await addUser(t, 'wf-eve')
    // another user's workflow and job answer as unknown ones (#9 §3)
    const unknownWorkflow = { kind: 'not_found', code: 'workflow_not_found', message: `workflow ${wf.id} does not exist` }
    expect(await eve.call('GET', `/api/v1/graph-workflows/${wf.id}`)).toMatchObject({ status: 404, body: { error: unknownWorkflow } })
    expect(await eve.call('POST', `/api/v1/graph-workflows/${wf.id}/jobs`, {})).toMatchObject({ status: 404, body: { error: unknownWorkflow } })
    expect(await eve.call('POST', `/api/v1/graph-workflows/${wf.id}/versions`, { document: rankDoc() })).toMatchObject({ status: 404, body: { error: unknownWorkflow } })
    expect((await eve.call('GET', '/api/v1/graph-workflows')).body).toEqual([])
    const started = await bob.call('POST', `/api/v1/graph-workflows/${wf.id}/jobs`, {})
    expect(started.status).toBe(201)
    await waitForStatus(t, started.body.id, ['succeeded'])
    expect(await eve.call('GET', `/api/v1/graph-workflows/jobs/${started.body.id}`)).toMatchObject({ status: 404, body: { error: { code: 'job_not_found', message: `job ${started.body.id} does not exist` } } })
    expect((await bob.call('GET', `/api/v1/graph-workflows/jobs/${started.body.id}`)).body.components[0].rows).toBe(3)
    expect((await t.call('GET', `/api/v1/graph-workflows/${wf.id}`)).status).toBe(200)
  })
})

describe('graph workflow reruns', { timeout: 90_000 }, () => {
  //   query_1 (RETURN 'a') ──root──► ROOT of SSSP_1 (on roads.csv)
  const chain = {
    name: 'roads',
    components: [
      { id: 'query_1', kind: 'query', graph: 'social', query: "RETURN 'a' AS root", outputs: ['root'] },
      { id: 'SSSP_1', kind: 'algorithm', algorithm: 'SSSP', input: { kind: 'file', path: 'roads.csv' } },
    ],
    wires: [{ from: { component: 'query_1', anchor: 'root' }, to: { component: 'SSSP_1', anchor: 'ROOT' } }],
  }

  it('reruns a failed job from its failed component, reusing the finished one’s output; or whole as a new job', async () => {
    upload(t.dir, 'roads.csv', 'a,b,1\nb,c,heavy\n')
    const wf = await create(chain)
    const failed = await runToEnd(wf.id)
    expect(failed.job.status).toBe('failed')
    expect(failed.components.map((c: any) => c.status)).toEqual(['succeeded', 'failed'])
    expect(failed.components[1].error).toMatch(/roads.csv line 2/)
    const query = (await t.call('GET', `/api/v1/jobs/${failed.job.id}`)).body.tasks[0]
    // while it is finished and failed, a rerun from the start is a new job; from the failed one, the same job
    upload(t.dir, 'roads.csv', 'a,b,1\nb,c,2\n')
    const redo = await t.call('POST', `/api/v1/graph-workflows/jobs/${failed.job.id}/rerun`, { from: 'failed' })
    expect(redo.status, JSON.stringify(redo.body)).toBe(201)
    expect(redo.body.id).toBe(failed.job.id)
    await waitForStatus(t, failed.job.id, ['succeeded', 'failed'], 60_000)
    const after = (await t.call('GET', `/api/v1/graph-workflows/jobs/${failed.job.id}`)).body
    expect(after.job.status).toBe('succeeded')
    expect(after.components.map((c: any) => c.status)).toEqual(['succeeded', 'succeeded'])
    // query_1 did not run again: same start, one attempt, same result set
    const queryAfter = (await t.call('GET', `/api/v1/jobs/${failed.job.id}`)).body.tasks[0]
    expect([queryAfter.startedAt, queryAfter.attempt]).toEqual([query.startedAt, 1])
    expect(after.components[0].resultIndex).toBe(failed.components[0].resultIndex)
    const rows = (await t.call('GET', `/api/v1/jobs/${failed.job.id}/results/${after.components[1].resultIndex}`)).body.rows
    expect(rows).toEqual([['a', 0], ['b', 1], ['c', 3]])
    // a job that succeeded has nothing failed to rerun; the whole workflow runs again as a new job
    const nothing = await t.call('POST', `/api/v1/graph-workflows/jobs/${failed.job.id}/rerun`, { from: 'failed' })
    expect([nothing.status, nothing.body.error.code]).toEqual([409, 'nothing_failed'])
    const whole = await t.call('POST', `/api/v1/graph-workflows/jobs/${failed.job.id}/rerun`, { from: 'start' })
    expect(whole.status).toBe(201)
    expect(whole.body.id).not.toBe(failed.job.id)
    await waitForStatus(t, whole.body.id, ['succeeded', 'failed'], 60_000)
    const fresh = (await t.call('GET', `/api/v1/jobs/${whole.body.id}`)).body
    expect(fresh).toMatchObject({ status: 'succeeded', rerunOf: failed.job.id, labels: { graphWorkflowId: String(wf.id) } })
    expect(fresh.tasks.every((x: any) => x.startedAt > queryAfter.startedAt)).toBe(true)
  })

  it('an admin’s rerun of another user’s job: from the failed component in place as its owner, whole as the admin; its code shows what runs', async () => {
    const bob = await addUser(t, 'wf-rerun-bob')
    upload(t.dir, 'bob-roads.csv', 'a,b,1\nb,c,heavy\n', 'wf-rerun-bob') // only in bob's upload folder
    const wf = await create({ ...chain, name: 'bobs roads', components: [chain.components[0], { ...chain.components[1], input: { kind: 'file', path: 'bob-roads.csv' } }] }, bob as unknown as TestApp)
    const started = await bob.call('POST', `/api/v1/graph-workflows/${wf.id}/jobs`, {})
    expect((await waitForStatus(t, started.body.id, ['succeeded', 'failed'], 60_000)).status).toBe('failed')
    const id = started.body.id as number
    // what the Rerun question shows the admin: each component as the rerun runs it
    const code = await t.call('GET', `/api/v1/jobs/${id}/code`)
    expect(code.status, JSON.stringify(code.body)).toBe(200)
    expect(code.body).toEqual([
      { task: 'query_1', executor: 'graph-component', code: "query_1: query on graph social\nRETURN 'a' AS root" },
      { task: 'SSSP_1', executor: 'graph-component', code: 'SSSP_1: algorithm SSSP on file bob-roads.csv\nSSSP with its default parameters\nROOT = the value wired into it' },
    ])
    const eve = await addUser(t, 'wf-rerun-eve')
    expect((await eve.call('GET', `/api/v1/jobs/${id}/code`)).status, 'another user’s job answers as none').toBe(404)
    // from the failed component: the same job, still bob's, reading bob's upload folder
    upload(t.dir, 'bob-roads.csv', 'a,b,1\nb,c,2\n', 'wf-rerun-bob')
    expect((await t.call('POST', `/api/v1/graph-workflows/jobs/${id}/rerun`, { from: 'failed' })).body.id).toBe(id)
    expect((await waitForStatus(t, id, ['succeeded', 'failed'], 60_000)).status).toBe('succeeded')
    expect(t.app.store.jobs.get(id)!.submitter).toBe('wf-rerun-bob')
    expect(t.app.store.jobs.tasks(id).map((x) => x.spec.user)).toEqual(['wf-rerun-bob', 'wf-rerun-bob'])
    // whole: a new job submitted by the admin, whose components run as the admin (hence the question)
    const whole = await t.call('POST', `/api/v1/graph-workflows/jobs/${id}/rerun`, { from: 'start' })
    expect(t.app.store.jobs.get(whole.body.id)!.submitter).toBe('admin')
    expect(t.app.store.jobs.tasks(whole.body.id).map((x) => x.spec.user)).toEqual(['admin', 'admin'])
    expect((await t.call('GET', `/api/v1/jobs/${whole.body.id}/code`)).body.map((x: any) => x.code)).toEqual(code.body.map((x: any) => x.code))
    await waitForStatus(t, whole.body.id, ['succeeded', 'failed'], 60_000)
  })

  it('reruns a cancelled job from its cancelled component; refuses a running one', async () => {
    const lines: string[] = []
    for (let i = 0; i < 20_000; i++) lines.push(`${i},${(i + 1) % 20_000}`, `${i},${(i * 7 + 3) % 20_000}`, `${i},${(i * 13 + 5) % 20_000}`)
    upload(t.dir, 'ring.csv', lines.join('\n'))
    const wf = await create({ name: 'long', components: [{ id: 'Betweenness_1', kind: 'algorithm', algorithm: 'BetweennessCentrality', input: { kind: 'file', path: 'ring.csv' } }], wires: [] })
    const started = await t.call('POST', `/api/v1/graph-workflows/${wf.id}/jobs`, {})
    const id = started.body.id
    await waitForStatus(t, id, ['running'])
    const busy = await t.call('POST', `/api/v1/graph-workflows/jobs/${id}/rerun`, {})
    expect([busy.status, busy.body.error.code]).toEqual([409, 'job_unfinished'])
    await t.call('POST', `/api/v1/jobs/${id}/cancel`)
    await waitForStatus(t, id, ['cancelled'])
    const redo = await t.call('POST', `/api/v1/graph-workflows/jobs/${id}/rerun`, {})
    expect(redo.body).toMatchObject({ id, status: 'running' })
    await waitForStatus(t, id, ['running'])
    expect((await t.call('GET', `/api/v1/graph-workflows/jobs/${id}`)).body.components[0].status).toMatch(/queued|running/)
    await t.call('POST', `/api/v1/jobs/${id}/cancel`)
    await waitForStatus(t, id, ['cancelled'])
  })
})
