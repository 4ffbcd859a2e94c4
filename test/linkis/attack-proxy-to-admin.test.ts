// Attack (#9 §3, rights across dialects): an admin lets plain user alice act as other users through
// Linkis's proxy (Settings → Linkis, proxyUsers {alice: ["*"]}: "any user", e.g. to run jobs for a
// team). `*` includes the admins: alice calls GET /user/proxy?proxyUser=admin, and her Cypher jobs
// then run as admin WITH admin's role (the cypher executor takes spec.user = the executeUser and
// looks its role up), so she creates graphs ("Non-admin cannot create graphs." for her own
// session) and writes admin's graphs. Elsewhere the product refuses exactly this: a Linkis token is
// "admin only when its code starts with admin- and its Token-User is an admin" (README), and an
// executeUser named in the submit body is honoured for admins only (entrance.ts mayChoose).
// Measured over real HTTP (node out/main/serve.js): alice's proxied job `CALL
// dbms.graph.createGraph("made_by_alice", "", 0)` succeeded and the graph exists; `MATCH (n:person
// {id: 1}) SET n.name = "written-by-alice"` changed admin's graph g1; her jobhistory listed all 40 of
// admin's jobs. Expected: a proxied run has the rights of the user who signs in, never more (or a
// non-admin cannot proxy to an admin): the createGraph job fails naming the refusal, nothing is made.
// This test FAILS until proxying cannot lift a plain user to an admin.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ENDED_STATUSES, startTestApp, waitForStatus, type TestApp } from '../support/app'
import { addUser } from '../support/users'
import { linkisClient } from './support'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp()
}, 60_000)
afterAll(() => t.close())

describe('attack: a plain user with proxy rights "*" proxies to admin', () => {
  it('does not get the admin role: creating a graph through the proxied session is refused', async () => {
    const alice = await addUser(t, 'alice')
    expect((await t.call('POST', '/api/v1/settings/linkis', { tokens: [], proxyUsers: { alice: ['*'] } })).status).toBe(200)
    const linkis = linkisClient(t.url)
    expect((await linkis.login('alice', alice.password)).body.status).toBe(0)
    // her own session may not create graphs
    const own = await linkis.call('POST', '/entrance/submit', { executionContent: { code: "CALL dbms.graph.createGraph('own_try', '', 0)", runType: 'cypher' }, labels: { engineType: 'cypher-1', userCreator: 'alice-IDE' } })
    expect((await waitForStatus(t, own.body.data.taskID, ENDED_STATUSES)).status).toBe('failed')
    await linkis.call('GET', '/user/proxy?proxyUser=admin')
    const proxied = await linkis.call('POST', '/entrance/submit', { executionContent: { code: "CALL dbms.graph.createGraph('made_by_alice', '', 0)", runType: 'cypher' }, labels: { engineType: 'cypher-1', userCreator: 'admin-IDE' } })
    if (proxied.body.status === 0) {
      const job = await waitForStatus(t, proxied.body.data.taskID, ENDED_STATUSES)
      expect(job.status, JSON.stringify(job.error)).toBe('failed')
    }
    expect((await t.call('GET', '/api/v1/graphs/made_by_alice')).status).toBe(404)
  }, 90_000) // its Cypher job starts the graph worker: seconds on a loaded machine
})
