// Deleting a graph workflow over the native API (DELETE /api/v1/graph-workflows/:id): owner or
// admin (403 for another user's, 404 for an unknown id, in the native envelope); its jobs stay in
// the Jobs page history with their results and reruns, and Explorer's workflows/{id}/jobs then
// answers its not-found code. The list gives each workflow's last run (job, status, time).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEFAULT_ADMIN } from '../../../electron/services/auth.service'
import { startTestApp, waitForStatus, type TestApp } from '../../support/app'
import { addUser } from '../../support/users'
import { upload } from '../support'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp()
  upload(t.dir, 'e.csv', '1,2\n2,3\n10,11\n')
}, 120_000)
afterAll(() => t.close())

const wccDoc = (name: string) => ({ name, components: [{ id: 'WCC_1', kind: 'algorithm', algorithm: 'WCC', input: { kind: 'file', path: 'e.csv' } }], wires: [] })

async function create(name: string, as: Pick<TestApp, 'call'> = t): Promise<number> {
  const res = await as.call('POST', '/api/v1/graph-workflows', { document: wccDoc(name) })
  expect(res.status, JSON.stringify(res.body)).toBe(201)
  return res.body.id
}

async function runToEnd(id: number): Promise<number> {
  const started = await t.call('POST', `/api/v1/graph-workflows/${id}/jobs`, {})
  expect(started.status, JSON.stringify(started.body)).toBe(201)
  await waitForStatus(t, started.body.id, ['succeeded', 'failed', 'cancelled'], 60_000)
  return started.body.id
}

const listed = async (id: number) => ((await t.call('GET', '/api/v1/graph-workflows')).body as any[]).find((w) => w.id === id)

describe('deleting a graph workflow', { timeout: 90_000 }, () => {
  it('lists each workflow with its last run: none before the first, then the newest job with its status and time', async () => {
    const id = await create('last run')
    expect((await listed(id)).lastRun).toBeNull()
    const first = await runToEnd(id)
    const second = await runToEnd(id)
    const job = (await t.call('GET', `/api/v1/jobs/${second}`)).body
    expect(second).toBeGreaterThan(first)
    expect((await listed(id)).lastRun).toEqual({ jobId: second, status: 'succeeded', at: job.finishedAt })
  })

  it('deletes a workflow; its jobs stay readable and rerunnable; Explorer answers not found for its jobs list', async () => {
    const id = await create('to delete')
    const jobId = await runToEnd(id)
    expect((await t.call('GET', `/api/v1/graph-workflows/jobs/${jobId}`)).body).toMatchObject({ workflowId: id, workflowName: 'to delete', workflowDeleted: false })
    const gone = await t.call('DELETE', `/api/v1/graph-workflows/${id}`)
    expect([gone.status, gone.body]).toEqual([200, { id, deleted: true }])
    expect((await t.call('GET', `/api/v1/graph-workflows/${id}`)).status).toBe(404)
    expect(await listed(id)).toBeUndefined()
    const again = await t.call('DELETE', `/api/v1/graph-workflows/${id}`)
    expect([again.status, again.body.error.code]).toEqual([404, 'workflow_not_found'])

    // the job keeps its name, its components' results, and runs again (it holds what it ran)
    const kept = await t.call('GET', `/api/v1/jobs/${jobId}`)
    expect(kept.status).toBe(200)
    expect(kept.body.labels.graphWorkflowName).toBe('to delete')
    const view = await t.call('GET', `/api/v1/graph-workflows/jobs/${jobId}`)
    expect([view.status, view.body.workflowId, view.body.components[0].rows]).toEqual([200, id, 5])
    // the canvas (Jobs page → Open on the canvas) says the workflow was deleted instead of opening it
    expect(view.body).toMatchObject({ workflowName: 'to delete', workflowDeleted: true })
    const rerun = await t.call('POST', `/api/v1/graph-workflows/jobs/${jobId}/rerun`, { from: 'start' })
    expect(rerun.status, JSON.stringify(rerun.body)).toBe(201)
    expect((await waitForStatus(t, rerun.body.id, ['succeeded', 'failed'], 60_000)).status).toBe('succeeded')
    expect((await t.call('GET', `/api/v1/jobs?limit=200`)).status).toBe(200)

    // Explorer: the workflow's job list is not found; the job itself still answers
    const login = await fetch(`${t.url}/api-open/v1/connect`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${Buffer.from(`${DEFAULT_ADMIN.username}:${DEFAULT_ADMIN.password}`).toString('base64')}` },
      body: JSON.stringify({ address: '127.0.0.1', port: 9669 }),
    })
    const cookie = /explorer_token=[^;]+/.exec(login.headers.get('set-cookie') ?? '')![0]
    const jobs = await fetch(`${t.url}/api-open/v1/workflows/${id}/jobs`, { headers: { cookie } })
    expect([jobs.status, ((await jobs.json()) as any).code]).toEqual([404, 40404000])
    const one = await fetch(`${t.url}/api-open/v1/jobs/${jobId}`, { headers: { cookie } })
    expect([one.status, ((await one.json()) as any).data.id]).toEqual([200, jobId])
  })

  it('answers another user’s workflow as an unknown id (404, #9 §3); an admin may delete anyone’s', async () => {
    const bob = await addUser(t, 'del-bob')
    upload(t.dir, 'e.csv', '1,2\n', 'del-bob')
    const bobs = await create('bobs', bob)
    const eve = await addUser(t, 'del-eve')
    const refused = await eve.call('DELETE', `/api/v1/graph-workflows/${bobs}`)
    expect([refused.status, refused.body.error]).toEqual([404, { kind: 'not_found', code: 'workflow_not_found', message: `workflow ${bobs} does not exist` }])
    expect((await bob.call('GET', `/api/v1/graph-workflows/${bobs}`)).status).toBe(200)
    const unknown = await bob.call('DELETE', '/api/v1/graph-workflows/1000000001')
    expect([unknown.status, unknown.body.error.code]).toEqual([404, 'workflow_not_found'])
    expect((await t.call('DELETE', `/api/v1/graph-workflows/${bobs}`)).status).toBe(200)
    expect((await bob.call('GET', '/api/v1/graph-workflows')).body).toEqual([])
  })
})
