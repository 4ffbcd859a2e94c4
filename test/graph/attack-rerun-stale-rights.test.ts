// Attack (#9 §3, graph rights): graph write rights are checked when an import or an algorithm with
// writeBack is started (graph.service.ts, algorithm.service.ts), never when its task runs, and
// jobs.rerun (POST /api/v1/jobs/:id/rerun) copies the old tasks' specs as they were. So a rerun
// writes into whatever graph now bears the name, whoever owns it. Measured over real HTTP (npm run
// serve, load average 3.5): bob imported `900,bob-was-here` into his graph `team` and ran PageRank with
// writeBack `rank`; admin dropped `team` and made a new `team` of their own holding
// (1, 'admin-data', rank 42.0). bob's new import into it was refused (403 not_graph_owner), but his
// two reruns answered 201 and succeeded: admin's graph then held bob's rows 900 and 901, and admin's
// rank 42.0 was overwritten with 0.5. This test FAILS until a graph write is authorised when it runs
// (or at rerun), so a rerun into a graph bob does not own fails with not_graph_owner and writes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ENDED_STATUSES, startTestApp, waitForStatus, type TestApp } from '../support/app'
import { addUser, type TestUser } from '../support/users'
import { RANKED_PERSON_SCHEMA } from './support'

let t: TestApp
let bob: TestUser

beforeAll(async () => {
  t = await startTestApp()
  bob = await addUser(t, 'bob')
}, 120_000)
afterAll(() => t.close())


describe('attack: bob reruns his graph jobs after the graph has become admin’s', () => {
  it('his import and his PageRank writeBack do not write into admin’s graph', async () => {
    // while team is bob's: his import and his algorithm with writeBack, both allowed
    expect((await t.call('POST', '/api/v1/graphs', { graph: 'team', owner: 'bob' })).status).toBe(201)
    expect((await bob.call('POST', '/api/v1/graphs/team/schema', RANKED_PERSON_SCHEMA)).status).toBe(200)
    const up = await fetch(`${t.url}/api/v1/files/upload?path=mine.csv&offset=0&replace=true`, {
      method: 'POST',
      headers: { authorization: `Bearer ${bob.token}`, 'content-type': 'application/octet-stream' },
      body: '900,bob-was-here\n901,bob-again\n',
    })
    expect(up.status).toBe(200)
    const imported = await bob.call('POST', '/api/v1/imports', { graph: 'team', files: [{ path: 'mine.csv', format: 'CSV', label: 'person', columns: ['id', 'name'] }] })
    expect(imported.status).toBe(201)
    expect((await waitForStatus(t, imported.body.jobId, ENDED_STATUSES, 60_000)).status).toBe('succeeded')
    const ranked = await bob.call('POST', '/api/v1/algorithms/jobs', { algorithm: 'PageRank', source: { kind: 'graph', graph: 'team' }, writeBack: { property: 'rank' } })
    expect(ranked.status).toBe(201)
    expect((await waitForStatus(t, ranked.body.id, ENDED_STATUSES, 60_000)).status).toBe('succeeded')

    // admin takes the name: a new graph team of admin's own
    expect((await t.call('POST', '/api/v1/graphs/team/drop', {})).status).toBe(200)
    expect((await t.call('POST', '/api/v1/graphs', { graph: 'team' })).body.owner).toBe('admin')
    expect((await t.call('POST', '/api/v1/graphs/team/schema', RANKED_PERSON_SCHEMA)).status).toBe(200)
    expect((await t.call('POST', '/api/v1/graphs/team/cypher', { script: "CREATE (:person {id: 1, name: 'admin-data', rank: 42.0})" })).status).toBe(200)
    expect((await bob.call('POST', '/api/v1/imports', { graph: 'team', files: [{ path: 'mine.csv', format: 'CSV', label: 'person', columns: ['id', 'name'] }] })).status).toBe(403)

    // bob's reruns: refused, or failed when they run
    for (const id of [imported.body.jobId, ranked.body.id]) {
      const rerun = await bob.call('POST', `/api/v1/jobs/${id}/rerun`, {})
      if (rerun.status === 201) {
        const job = await waitForStatus(t, rerun.body.id, ENDED_STATUSES, 60_000)
        expect(job.status, `rerun of job ${id}`).toBe('failed')
      } else {
        expect(rerun.status).toBe(403)
      }
    }
    const rows = await t.call('POST', '/api/v1/graphs/team/cypher', { script: 'MATCH (n:person) RETURN n.id AS id, n.name AS name, n.rank AS rank ORDER BY id' })
    expect(rows.body.rows).toEqual([[1, 'admin-data', 42]])
  }, 240_000)
})
