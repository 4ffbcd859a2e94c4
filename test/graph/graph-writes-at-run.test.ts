// Graph write rights are checked when a job writes, not only when it was submitted (#9 §3; the
// attack in attack-rerun-stale-rights.test.ts). bob's graph `team` is dropped and made anew by admin;
// then each kind of job that writes a graph — an import, a GES import-graph, an algorithm job with
// writeBack, a graph workflow whose algorithm component writes back — is run again with the tasks bob
// submitted: by the engine's redo (what TuGraph's resume by task id, a graph workflow's rerun from the
// failed component and recovery after a restart do: the same tasks, run again) it fails naming the
// graph and the right; by a rerun it is refused at once with 403. admin's data stays as it was.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ENDED_STATUSES, startTestApp, waitForStatus, type TestApp } from '../support/app'
import { addUser, type TestUser } from '../support/users'
import { RANKED_PERSON_SCHEMA, upload } from './support'

let t: TestApp
let bob: TestUser

beforeAll(async () => {
  t = await startTestApp()
  bob = await addUser(t, 'bob')
}, 120_000)
afterAll(() => t.close())

const PERSON_FILE = { path: 'mine.csv', format: 'CSV', label: 'person', columns: ['id', 'name'] }

/** GES's IAM token for bob (X-Auth-Token). */
async function gesToken(): Promise<string> {
  const res = await fetch(`${t.url}/v3/auth/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ auth: { identity: { methods: ['password'], password: { user: { name: bob.username, password: bob.password, domain: { name: bob.username } } } }, scope: { project: { name: 'cn-north-4' } } } }),
  })
  expect(res.status).toBe(201)
  return res.headers.get('x-subject-token')!
}

async function adminRows(): Promise<unknown[]> {
  const rows = await t.call('POST', '/api/v1/graphs/team/cypher', { script: 'MATCH (n:person) RETURN n.id AS id, n.name AS name, n.rank AS rank ORDER BY id' })
  expect(rows.status, JSON.stringify(rows.body)).toBe(200)
  return rows.body.rows
}

describe('graph writes are authorised when they run', () => {
  it('bob’s import, GES import, PageRank write-back and workflow write-back fail on admin’s new graph of the same name', async () => {
    // while team is bob's: one job of each kind, all allowed
    expect((await t.call('POST', '/api/v1/graphs', { graph: 'team', owner: 'bob' })).status).toBe(201)
    expect((await bob.call('POST', '/api/v1/graphs/team/schema', RANKED_PERSON_SCHEMA)).status).toBe(200)
    upload(t.dir, 'mine.csv', '900,bob-was-here\n901,bob-again\n', 'bob')
    upload(t.dir, 'ges.csv', '902,person,ges-bob\n', 'bob')
    const imported = await bob.call('POST', '/api/v1/imports', { graph: 'team', files: [PERSON_FILE] })
    expect(imported.status, JSON.stringify(imported.body)).toBe(201)
    const token = await gesToken()
    const ges = await fetch(`${t.url}/v2/p1/graphs/team/import-graph`, {
      method: 'POST',
      headers: { 'X-Auth-Token': token, 'content-type': 'application/json' },
      body: JSON.stringify({ vertexset_path: 'ges.csv', vertexset_format: 'csv', delimiter: ',' }),
    })
    const gesBody = (await ges.json()) as { job_id: string }
    expect(ges.status, JSON.stringify(gesBody)).toBe(200)
    const gesJob = t.app.store.jobs.getByUuid(gesBody.job_id)!
    // the write-backs replace what the one before wrote (overwrite), and admin's rank below on the rerun
    // the GES import waits for bob's import (one import into a graph at a time); a write-back is
    // refused while an import into its graph is queued or running (graph_busy), so the algorithms come after
    for (const id of [imported.body.jobId as number, gesJob.id]) expect((await waitForStatus(t, id, ENDED_STATUSES, 60_000)).status, `job ${id}`).toBe('succeeded')
    const ranked = await bob.call('POST', '/api/v1/algorithms/jobs', { algorithm: 'PageRank', source: { kind: 'graph', graph: 'team' }, writeBack: { property: 'rank', overwrite: true } })
    expect(ranked.status, JSON.stringify(ranked.body)).toBe(201)
    const wf = await bob.call('POST', '/api/v1/graph-workflows', {
      document: { name: 'rank_team', components: [{ id: 'PageRank_1', kind: 'algorithm', algorithm: 'PageRank', input: { kind: 'graph', graph: 'team' }, writeBack: { property: 'rank', overwrite: true } }], wires: [] },
    })
    expect(wf.status, JSON.stringify(wf.body)).toBe(201)
    const flow = await bob.call('POST', `/api/v1/graph-workflows/${wf.body.id}/jobs`, {})
    expect(flow.status, JSON.stringify(flow.body)).toBe(201)
    const jobs = { import: imported.body.jobId as number, ges: gesJob.id, algorithm: ranked.body.id as number, workflow: flow.body.id as number }
    for (const id of [jobs.algorithm, jobs.workflow]) expect((await waitForStatus(t, id, ENDED_STATUSES, 60_000)).status, `job ${id}`).toBe('succeeded')

    // admin takes the name: a new graph team of admin's own
    expect((await t.call('POST', '/api/v1/graphs/team/drop', {})).status).toBe(200)
    expect((await t.call('POST', '/api/v1/graphs', { graph: 'team' })).body.owner).toBe('admin')
    expect((await t.call('POST', '/api/v1/graphs/team/schema', RANKED_PERSON_SCHEMA)).status).toBe(200)
    expect((await t.call('POST', '/api/v1/graphs/team/cypher', { script: "CREATE (:person {id: 1, name: 'admin-data', rank: 42.0})" })).status).toBe(200)

    // the same tasks run again (redo, resume, recovery): each fails when it runs, naming graph and right
    const reasons: Record<string, RegExp> = {
      import: /bob may not import into graph \[team\]: that needs the right to change the graph\. Graph \[team\] belongs to admin/,
      ges: /bob may not import into graph \[team\]: that needs the right to change the graph/,
      algorithm: /bob may not write PageRank results back into graph \[team\]: that needs the right to change the graph/,
      workflow: /bob may not write PageRank results back into graph \[team\]/,
    }
    for (const [kind, id] of Object.entries(jobs)) {
      t.app.engine.redo(id, t.app.store.jobs.tasks(id).map((task) => task.name))
      // the job reopens (its new state is committed a moment later): wait for the end of this run
      const job = await waitForStatus(t, id, ['failed', 'cancelled'], 60_000)
      expect(job.status, `${kind} job ${id}`).toBe('failed')
      expect(JSON.stringify(job), kind).toMatch(reasons[kind])
    }
    expect(await adminRows()).toEqual([[1, 'admin-data', 42]])

    // a rerun is refused at submit
    for (const [kind, id] of Object.entries(jobs)) {
      const rerun = await bob.call('POST', `/api/v1/jobs/${id}/rerun`, {})
      expect(rerun.status, `${kind}: ${JSON.stringify(rerun.body)}`).toBe(403)
      expect(rerun.body.error).toMatchObject({ code: 'not_graph_owner', message: expect.stringMatching(reasons[kind]) })
    }
    for (const from of ['failed', 'start']) {
      const again = await bob.call('POST', `/api/v1/graph-workflows/jobs/${jobs.workflow}/rerun`, { from })
      expect(again.status, `graph workflow rerun from ${from}: ${JSON.stringify(again.body)}`).toBe(403)
    }
    expect(await adminRows()).toEqual([[1, 'admin-data', 42]])

    // admin, who may change team, reruns bob's PageRank job: it runs and writes
    const mine = await t.call('POST', `/api/v1/jobs/${jobs.algorithm}/rerun`, {})
    expect(mine.status).toBe(201)
    expect((await waitForStatus(t, mine.body.id, ENDED_STATUSES, 60_000)).status).toBe('succeeded')
    expect(await adminRows()).toEqual([[1, 'admin-data', 1]])
  }, 240_000)
})
