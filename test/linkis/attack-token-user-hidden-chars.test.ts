// Attack (atk26) on Linkis Token-User identities (linkis/auth.ts tokenIdentity). Every name JobDesk
// makes refuses control and invisible characters (#9, shared/hidden-chars.ts nameCharProblem), and a
// Token-User with no account becomes a submitter name of its own (nameOnly). Token-User may come as a
// cookie, which @fastify/cookie percent-decodes, so any character arrives: U+202E RIGHT-TO-LEFT
// OVERRIDE before `nimda` is drawn `admin` wherever the name is shown without SafeText's marks (a Linkis
// client, an exported job list, a log line). Its skeleton (`nimda`) reads as no account, so the
// look-alike refusal lets it through. Expected: refused (401) naming the character, as a new
// account's name with it would be.
import { afterAll, beforeAll, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../support/app'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp()
  const tokens = [{ code: 'OPS-ANY-USER-123', users: ['*'], hosts: ['*'], expiresAt: null }]
  expect((await t.call('POST', '/api/v1/settings/linkis', { tokens, proxyUsers: {} })).status).toBe(200)
}, 60_000)
afterAll(() => t.close())

it('refuses a Token-User cookie holding U+202E (drawn as admin)', async () => {
  const res = await t.app.server.inject({
    method: 'POST',
    url: '/api/rest_j/v1/entrance/submit',
    headers: { cookie: 'Token-Code=OPS-ANY-USER-123; Token-User=%E2%80%AEnimda', 'content-type': 'application/json' },
    payload: { executionContent: { code: 'RETURN 1', runType: 'cypher' }, labels: { engineType: 'cypher-1', userCreator: 'x-IDE' } },
  })
  // fails: 200 status 0, a job whose submitter is '\u202Enimda'
  expect(res.statusCode, res.body.slice(0, 300)).toBe(401)
})
