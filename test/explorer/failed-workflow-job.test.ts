// A graph workflow job whose first component fails, as two dialects show it (ux18 #4): Explorer's job
// detail gave the component that never ran status 0 (Preparing), as if it would still run; it is 4
// (Interrupted), the code the job's end left it in, as for a cancel (jobapis.md §B.2-B.3). GES's job
// center gave it `related_graph: ""`; it names the graph the workflow runs on (ges-job-center-api.txt:
// "Associated graph name"), as for an algorithm or import job.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, waitForStatus, type TestApp } from '../support/app'
import { DEFAULT_ADMIN } from '../../electron/services/auth.service'
import { seedSocialGraph, upload } from '../graph/support'
import { gesToken } from '../ges/support'

let t: TestApp
let jobId: number
let jobUuid: string
let cookie: string

beforeAll(async () => {
  t = await startTestApp()
  await seedSocialGraph(t.app, t.dir, { bootQueryWorker: true })
  upload(t.dir, 'bad.csv', '1,2,2000\n2,3,2001\n3,1,oops\n') // SSSP reads the weight: "oops" fails it
  //   SSSP_1 (file bad.csv, fails) ──VID──► query_2 ($name, on graph social: never runs)
  const made = await t.call('POST', '/api/v1/graph-workflows', {
    document: {
      name: 'fails_first',
      components: [
        { id: 'SSSP_1', kind: 'algorithm', algorithm: 'SSSP', input: { kind: 'file', path: 'bad.csv' }, params: { ROOT: '1' } },
        { id: 'query_2', kind: 'query', graph: 'social', query: 'MATCH (a:person) WHERE a.name = $name RETURN a.name', params: [{ name: 'name', type: 'string' }], outputs: ['output0'] },
      ],
      wires: [{ from: { component: 'SSSP_1', anchor: 'VID' }, to: { component: 'query_2', anchor: 'name' } }],
    },
  })
  expect(made.status, JSON.stringify(made.body)).toBe(201)
  const run = await t.call('POST', `/api/v1/graph-workflows/${made.body.id}/jobs`, {})
  expect(run.status, JSON.stringify(run.body)).toBeLessThan(300)
  jobId = run.body.id ?? run.body.job?.id
  const job = await waitForStatus(t, jobId, ['failed'], 60_000)
  jobUuid = job.uuid
  const connect = await fetch(`${t.url}/api-open/v1/connect`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${Buffer.from(`${DEFAULT_ADMIN.username}:${DEFAULT_ADMIN.password}`).toString('base64')}` },
    body: JSON.stringify({ address: '127.0.0.1', port: 9669 }),
  })
  cookie = /explorer_token=([^;]+)/.exec(connect.headers.get('set-cookie') ?? '')![1]
}, 120_000)
afterAll(() => t.close())

describe('a graph workflow job whose first component failed', () => {
  it('Explorer: the failed component is 3, the one that never ran 4 (Interrupted), not 0 (Preparing)', async () => {
    const res = await fetch(`${t.url}/api-open/v1/jobs/${jobId}`, { headers: { cookie: `explorer_token=${cookie}` } })
    const job = ((await res.json()) as any).data
    expect(job.status).toBe(3)
    expect(job.tasks.map((x: any) => [x.name, x.status, x.runBeginTime])).toEqual([
      ['SSSP', 3, expect.any(String)],
      ['Query', 4, null],
    ])
  })

  it('GES: related_graph names the graph the workflow runs on', async () => {
    const token = await gesToken(t.url)
    const list = await fetch(`${t.url}/v2/p1/graphs/jobs?limit=100&graph_name=social`, { headers: { 'X-Auth-Token': token } })
    const mine = ((await list.json()) as any).job_list.find((j: any) => j.job_id === jobUuid)
    expect(mine).toMatchObject({ job_type: 'Workflow', job_name: 'RunWorkflow', related_graph: 'social', status: 'failed' })
  })
})
