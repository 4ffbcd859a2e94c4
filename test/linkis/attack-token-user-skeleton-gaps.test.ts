// Attack (atk27) on 2b4f794 (Token-User look-alikes refused; nameSkeleton folds i, l, 1, I). A
// Token-User has no USERNAME pattern: any character a header or a percent-decoded cookie carries is
// taken, and only nameSkeleton decides whether it reads as an account. It misses letters drawn as l
// or i in the sans-serif the Jobs page uses: `|` (U+007C), Latin letter dental click ǀ (U+01C0),
// small capital ɪ (U+026A); and scripts beyond Cyrillic and Greek: Armenian օ (U+0585) is drawn as o.
// A token letting any user (`users: ['*']`) takes each as a name of its own (nameOnly) whose jobs
// list under a submitter that reads as alice or bob. Expected: refused (401, "reads as the user"),
// as `a1ice` and `aIice` are. The fix goes in shared/lookalike-names.ts (map these, or refuse any
// Token-User outside the account-name pattern once case-folded, in linkis/auth.ts tokenIdentity).
import { afterAll, beforeAll, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../support/app'
import { submitAsTokenUser } from './support'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp()
  const tokens = [{ code: 'OPS-ANY-USER-123', users: ['*'], hosts: ['*'], expiresAt: null }]
  expect((await t.call('POST', '/api/v1/settings/linkis', { tokens, proxyUsers: {} })).status).toBe(200)
  for (const u of ['alice', 'bob']) expect((await t.call('POST', '/api/v1/users', { username: u, password: `${u}-password-1` })).status).toBe(201)
}, 60_000)
afterAll(() => t.close())

const submitAs = (tokenUser: string) => submitAsTokenUser(t.app.server, tokenUser)

for (const [name, reads] of [
  ['a|ice', 'alice'],
  ['a\u01C0ice', 'alice'],
  ['al\u026Ace', 'alice'],
  ['b\u0585b', 'bob'],
] as const) {
  it(`refuses Token-User ${JSON.stringify(name)}, which reads as ${reads}`, async () => {
    const res = await submitAs(name)
    // fails: 200 status 0, a job submitted by the look-alike name
    expect(res.statusCode, res.body.slice(0, 200)).toBe(401)
  })
}
