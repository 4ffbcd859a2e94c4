// Attack (atk26) on Linkis Token-User identities (linkis/auth.ts tokenIdentity): `rillflow`, `system`
// and `root` are reserved (users.service RESERVED: no account may take them) because JobDesk puts
// `rillflow` on the jobs of Rill Flow's credential-less loopback client, which acts with admin rights
// (ownership.ts DESKTOP_CALLER; app.ts shareOf gives it the admin's whole pool). tokenIdentity refuses
// look-alikes of accounts only, so a token letting any user (`users: ['*']`) takes Token-User
// `rillflow` as a name of its own (nameOnly) and that caller owns every credential-less Rill Flow
// execution: it reads them (below) and its own jobs run under the desktop client's name. Expected: a
// reserved name (or one that reads as it) is refused as a Token-User, 401 as a look-alike is.
import { afterAll, beforeAll, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../support/app'
import { uuidOfExecutionId } from '../../electron/workflows/rillflow/runtime/names'
import { rillClient } from '../workflows/support/rill-client'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp()
  const tokens = [{ code: 'OPS-ANY-USER-123', users: ['*'], hosts: ['*'], expiresAt: null }]
  expect((await t.call('POST', '/api/v1/settings/linkis', { tokens, proxyUsers: {} })).status).toBe(200)
}, 60_000)
afterAll(() => t.close())

const asTokenUser = (tokenUser: string, method: 'GET' | 'POST', url: string, payload?: object) =>
  t.app.server.inject({ method, url, headers: { 'Token-Code': 'OPS-ANY-USER-123', 'Token-User': tokenUser, ...(payload ? { 'content-type': 'application/json' } : {}) }, ...(payload ? { payload } : {}) })

it('refuses Token-User rillflow, and it cannot read a credential-less Rill Flow execution', async () => {
  const rill = rillClient(t.url)
  await rill.addDescriptor('workspace: desk\ndagName: private\ntype: flow\ntasks:\n  - {category: pass, name: P}\n')
  const id = await rill.submit('desk:private', { secret: 'desktop-only' })
  await rill.finished(id)
  const jobId = t.app.store.jobs.idOfUuid(uuidOfExecutionId(id))!
  expect(t.app.store.jobs.get(jobId)!.submitter).toBe('rillflow')
  const read = await asTokenUser('rillflow', 'GET', `/api/rest_j/v1/jobhistory/${jobId}/get`)
  // fails: 200 status 0, the desktop client's execution (its context) answered to the token's caller
  expect(read.statusCode, read.body.slice(0, 300)).toBe(401)
  const submit = await asTokenUser('rillflow', 'POST', '/api/rest_j/v1/entrance/submit', {
    executionContent: { code: 'RETURN 1', runType: 'cypher' },
    labels: { engineType: 'cypher-1', userCreator: 'rillflow-IDE' },
  })
  expect(submit.statusCode, submit.body.slice(0, 300)).toBe(401)
})
