// Attack (atk27) on 2b4f794: tokenIdentity now refuses a Token-User `rillflow` (reserved: the name
// JobDesk puts on the jobs of Rill Flow's credential-less loopback client) and names with hidden
// characters. The Linkis proxy ticket (user.ts GET /user/proxy → auth.ts linkisActor PROXY_COOKIE) is
// another way to a name: actAsRefusal treats `rillflow` (no account, users.caller → not admin) as
// "any user who is not an admin", so a plain user an admin granted proxy "*" acts as `rillflow`
// (session.actsAs = ['rillflow']) and mayReach gives them every credential-less Rill Flow execution;
// and proxyUser `\u202Enimda` (percent-decoded query) is accepted as executeUser, drawn as admin.
// Also ADMIN and adm1n: no account, so "not an admin" for actAsRefusal, yet they read as admin.
// Expected: a reserved name (or one reading as it), one reading as an account, and one with hidden characters refused as a proxy
// user, as they are as a Token-User and a new account.
import { afterAll, beforeAll, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../support/app'
import { addUser, type TestUser } from '../support/users'
import { uuidOfExecutionId } from '../../electron/workflows/rillflow/runtime/names'
import { rillClient } from '../workflows/support/rill-client'
import { linkisClient } from './support'

let t: TestApp
let alice: TestUser
let jobId: number
beforeAll(async () => {
  t = await startTestApp()
  // the desktop client's execution, made while it is the only user (credential-less Rill Flow)
  const rill = rillClient(t.url)
  await rill.addDescriptor('workspace: desk\ndagName: private\ntype: flow\ntasks:\n  - {category: pass, name: P}\n')
  const id = await rill.submit('desk:private', { secret: 'desktop-only' })
  await rill.finished(id)
  jobId = t.app.store.jobs.idOfUuid(uuidOfExecutionId(id))!
  alice = await addUser(t, 'alice')
  expect((await t.call('POST', '/api/v1/settings/linkis', { tokens: [], proxyUsers: { alice: ['*'] } })).status).toBe(200)
}, 60_000)
afterAll(() => t.close())

it('refuses proxyUser rillflow: a "*" grant must not reach the desktop client\'s Rill Flow executions', async () => {
  expect(t.app.store.jobs.get(jobId)!.submitter).toBe('rillflow')
  const linkis = linkisClient(t.url)
  await linkis.login('alice', alice.password)
  const proxy = await linkis.call('GET', '/user/proxy?proxyUser=rillflow')
  const read = await linkis.call('GET', `/jobhistory/${jobId}/get`)
  // fails: proxy status 0, then the desktop client's execution (its context) is answered to alice
  expect(read.body.status, JSON.stringify(read.body).slice(0, 300)).not.toBe(0)
  expect(proxy.body.status, JSON.stringify(proxy.body)).not.toBe(0)
})

it('refuses proxyUser r1llflow and one with U+202E (drawn as admin)', async () => {
  const linkis = linkisClient(t.url)
  await linkis.login('alice', alice.password)
  // fails: status 0 for both, executeUser set to the name as given
  expect((await linkis.call('GET', '/user/proxy?proxyUser=r1llflow')).body.status).not.toBe(0)
  expect((await linkis.call('GET', '/user/proxy?proxyUser=%E2%80%AEnimda')).body.status).not.toBe(0)
})

it('refuses proxyUser ADMIN and adm1n: names that read as the admin account (a "*" grant excludes admins)', async () => {
  const linkis = linkisClient(t.url)
  await linkis.login('alice', alice.password)
  // fails: status 0: users.caller('ADMIN') is no account, so not an admin, and the proxy is made
  expect((await linkis.call('GET', '/user/proxy?proxyUser=ADMIN')).body.status).not.toBe(0)
  expect((await linkis.call('GET', '/user/proxy?proxyUser=adm1n')).body.status).not.toBe(0)
})
