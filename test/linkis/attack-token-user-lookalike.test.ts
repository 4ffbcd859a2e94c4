// Attack (atk24): the look-alike rule keeps a new account from reading as an existing one (users.service:
// `ADMIN`, `adrnin`, `a1ice` are refused), but a Linkis token that lets any user (`users: ['*']`) takes
// any Token-User with no account as a name of its own (linkis/auth.ts tokenIdentity → nameOnly), and a
// job it submits is listed with that name as its submitter. So whoever holds such a token code submits
// jobs that the Jobs page lists as `ADMIN`'s or `adrnin`'s, beside the admin's own: the spoof the rule
// was made to stop (`ad` + U+00AD SOFT HYPHEN + `min` is refused today: the hidden-character rule holds). Expected: a Token-User that reads as an existing user (nameSkeleton) but is not
// that user is refused, as a new account of that name would be.
// As fixed: a Token-User is first found as sign-in finds a name (trimmed, lower case), so `ADMIN`
// and `Admin` are the admin itself (which this token already lets anyone be), not a name of their
// own; only a look-alike that is no account (`adrnin`, Cyrillic `аdmin`) is refused.
import { afterAll, beforeAll, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../support/app'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp()
  const tokens = [{ code: 'OPS-ANY-USER-123', users: ['*'], hosts: ['*'], expiresAt: null }]
  expect((await t.call('POST', '/api/v1/settings/linkis', { tokens, proxyUsers: {} })).status).toBe(200)
}, 60_000)
afterAll(() => t.close())

const submitAs = (tokenUser: string) =>
  t.app.server.inject({
    method: 'POST',
    url: '/api/rest_j/v1/entrance/submit',
    headers: { 'Token-Code': 'OPS-ANY-USER-123', 'Token-User': tokenUser, 'content-type': 'application/json' },
    payload: { executionContent: { code: 'RETURN 1', runType: 'cypher' }, labels: { engineType: 'cypher-1', userCreator: `${tokenUser}-IDE` } },
  })

const submitters = async () => ((await t.call('GET', '/api/v1/jobs?limit=500')).body as { items?: { submitter: string }[] }).items?.map((j) => j.submitter) ?? []

it.each(['adrnin', 'аdmin'])('refuses Token-User %s, which reads as the admin, and lists no job submitted by it', async (name) => {
  const res = await submitAs(name)
  // a token authentication failure: Linkis's status -1, HTTP 401 (reference/jobapis.md A.2)
  expect(res.statusCode, res.body).toBe(401)
  expect(res.json()).toMatchObject({ status: -1, message: expect.stringContaining('reads as the user admin') })
  expect(await submitters()).not.toContain(name)
})

// Found as sign-in finds an account (trimmed, lower case): `ADMIN` is the admin, as Token-User admin
// already is with this token (with the user role: not an admin- token), so its jobs are listed as
// admin's, never under a name of their own.
it.each(['ADMIN', 'Admin'])('takes Token-User %s as the admin it names, and lists its job as admin’s', async (name) => {
  const res = await submitAs(name)
  expect(res.json().status, res.body).toBe(0)
  const job = t.app.store.jobs.get(res.json().data.taskID)!
  expect([job.submitter, job.labels.executeUser]).toEqual(['admin', 'admin'])
  expect(await submitters()).not.toContain(name)
})
