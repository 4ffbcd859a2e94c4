// Acting as another user (#9 §3): one rule (access.ts actAsRefusal) for the Linkis proxy ticket and a
// submit's executeUser. Oneself always, an admin anyone, nobody else an admin ('*' is any user who is
// not an admin); the rule is asked when the proxy is made and on every call that uses it; and a run
// never has the admin role unless the credential that submitted it was an admin's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ENDED_STATUSES, startTestApp, waitForStatus, type TestApp } from '../support/app'
import { addUser, type TestUser } from '../support/users'
import { linkisClient } from './support'

let t: TestApp
let alice: TestUser
beforeAll(async () => {
  t = await startTestApp()
  alice = await addUser(t, 'alice')
  await addUser(t, 'bob')
  await addUser(t, 'carol')
  const tokens = [{ code: 'OPS-PLAIN-123456', users: ['*'], hosts: ['*'], expiresAt: null }]
  expect((await t.call('POST', '/api/v1/settings/linkis', { tokens, proxyUsers: { alice: ['*'] } })).status).toBe(200)
}, 60_000)
afterAll(() => t.close())

const cypher = (code: string, creator = 'IDE') => ({ executionContent: { code, runType: 'cypher' }, labels: { engineType: 'cypher-1', userCreator: `x-${creator}` } })

describe('acting as another user through Linkis', () => {
  it('"*" reaches any user who is not an admin; an admin never, with the reason in the envelope', async () => {
    const linkis = linkisClient(t.url)
    await linkis.login('alice', alice.password)
    const refused = await linkis.call('GET', '/user/proxy?proxyUser=admin')
    expect(refused.body).toMatchObject({ status: 3, message: expect.stringMatching(/alice may not act as admin: admin is an admin, and only admins may act as admins/) })
    expect((await linkis.call('GET', '/user/userInfo')).body.data.userName).toBe('alice') // no ticket was given
    expect((await linkis.call('GET', '/user/proxy?proxyUser=bob')).body.status).toBe(0)
    const asBob = await linkis.call('POST', '/entrance/submit', cypher('RETURN 1'))
    const job = await waitForStatus(t, asBob.body.data.taskID, ENDED_STATUSES, 60_000)
    expect(job).toMatchObject({ status: 'succeeded', submitter: 'alice', labels: { executeUser: 'bob' } })
    // a name in the body is no way round it
    const named = await linkis.call('POST', '/entrance/submit', { ...cypher('RETURN 1'), executeUser: 'admin' })
    expect(t.app.store.jobs.get(named.body.data.taskID)!.labels.executeUser).toBe('bob')
  }, 90_000) // the first Cypher job starts the graph worker

  it('ends a proxy whose user became an admin, saying so once; calls then act as the login user', async () => {
    const linkis = linkisClient(t.url)
    await linkis.login('alice', alice.password)
    expect((await linkis.call('GET', '/user/proxy?proxyUser=carol')).body.status).toBe(0)
    expect((await t.call('POST', '/api/v1/users/carol', { role: 'admin' })).status).toBe(200)
    const ended = await linkis.call('POST', '/entrance/submit', cypher("CALL dbms.graph.createGraph('by_carol_proxy', '', 0)"))
    expect(ended.body).toMatchObject({ status: 3, message: expect.stringMatching(/alice may no longer act as carol: carol is an admin.*The proxy has ended/) })
    expect((await t.call('GET', '/api/v1/graphs/by_carol_proxy')).status).toBe(404)
    expect((await linkis.call('GET', '/user/userInfo')).body.data.userName).toBe('alice')
    await t.call('POST', '/api/v1/users/carol', { role: 'user' })
  })

  it('ends a proxy whose grant was taken back', async () => {
    const linkis = linkisClient(t.url)
    await linkis.login('alice', alice.password)
    expect((await linkis.call('GET', '/user/proxy?proxyUser=bob')).body.status).toBe(0)
    await t.call('POST', '/api/v1/settings/linkis', { tokens: [{ code: 'OPS-PLAIN-123456', users: ['*'], hosts: ['*'], expiresAt: null }], proxyUsers: { alice: ['carol'] } })
    expect((await linkis.call('GET', '/user/userInfo')).body).toMatchObject({ status: 3, message: expect.stringMatching(/no admin has let alice act as bob/) })
    expect((await linkis.call('GET', '/user/userInfo')).body.data.userName).toBe('alice')
    await t.call('POST', '/api/v1/settings/linkis', { tokens: [{ code: 'OPS-PLAIN-123456', users: ['*'], hosts: ['*'], expiresAt: null }], proxyUsers: { alice: ['*'] } })
  })

  it('a non-admin token naming admin runs Cypher without the admin role', async () => {
    const viaToken = linkisClient(t.url)
    const headers = { 'Token-Code': 'OPS-PLAIN-123456', 'Token-User': 'admin' }
    const made = await viaToken.call('POST', '/entrance/submit', cypher("CALL dbms.graph.createGraph('by_plain_token', '', 0)"), headers)
    expect(made.body.status, JSON.stringify(made.body)).toBe(0)
    const job = await waitForStatus(t, made.body.data.taskID, ENDED_STATUSES, 60_000)
    expect(job.status).toBe('failed')
    expect((await t.call('GET', '/api/v1/graphs/by_plain_token')).status).toBe(404)
    expect(JSON.stringify(job.error)).toMatch(/Non-admin cannot create graphs/)
  }, 90_000)
})
