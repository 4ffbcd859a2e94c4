// Attack (atk26) on the look-alike refusal of Linkis Token-Users (linkis/auth.ts tokenIdentity →
// lookalikeAccount → shared/lookalike-names.ts nameSkeleton). The skeleton folds case before it
// maps look-alikes, and maps `1` and the Greek capital Ι to `l`, but not the Latin capital I: `aIice`
// folds to `aiice`, not `alice`. In the sans-serif fonts the Jobs page uses, `aIice` is drawn as
// `alice` (the classic I/l confusable; UTS #39 maps both to one skeleton). A token letting any user
// (`users: ['*']`) therefore takes Token-User `aIice` as a name of its own (nameOnly: the name kept
// as typed) and its jobs are listed under a submitter that reads as alice. Expected: refused as
// `adrnin` and `a1ice` are (401, "reads as the user alice").
import { afterAll, beforeAll, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../support/app'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp()
  const tokens = [{ code: 'OPS-ANY-USER-123', users: ['*'], hosts: ['*'], expiresAt: null }]
  expect((await t.call('POST', '/api/v1/settings/linkis', { tokens, proxyUsers: {} })).status).toBe(200)
  expect((await t.call('POST', '/api/v1/users', { username: 'alice', password: 'alice-password-1' })).status).toBe(201)
}, 60_000)
afterAll(() => t.close())

const submitAs = (tokenUser: string) =>
  t.app.server.inject({
    method: 'POST',
    url: '/api/rest_j/v1/entrance/submit',
    headers: { 'Token-Code': 'OPS-ANY-USER-123', 'Token-User': tokenUser, 'content-type': 'application/json' },
    payload: { executionContent: { code: 'RETURN 1', runType: 'cypher' }, labels: { engineType: 'cypher-1', userCreator: `${tokenUser}-IDE` } },
  })

it('refuses a1ice, which reads as alice (the rule holds for the digit)', async () => {
  const res = await submitAs('a1ice')
  expect(res.statusCode, res.body).toBe(401)
})

it('refuses aIice (a Latin capital I for the l), which reads as alice', async () => {
  const res = await submitAs('aIice')
  // fails: 200 status 0, a job submitted by `aIice`
  expect(res.statusCode, res.body).toBe(401)
  expect(res.json()).toMatchObject({ status: -1, message: expect.stringContaining('reads as the user alice') })
})

it('refuses a new account aIice too, or stores it as a name that does not read as alice', async () => {
  const r = await t.call('POST', '/api/v1/users', { username: 'aIice', password: 'other-password-1' })
  const stored = r.status === 201 ? (r.body as { username: string }).username : null
  expect(stored === null || stored === 'aiice', JSON.stringify(r.body)).toBe(true)
})
