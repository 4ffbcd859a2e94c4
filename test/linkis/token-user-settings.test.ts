// Settings took a Linkis token whose users list names a Token-User that auth (linkis/auth.ts
// tokenIdentity) then refuses on every call: a look-alike of an account (`adm1n`, Cyrillic `аdmin`) or
// a name JobDesk reserves (`rillflow`): no client can ever sign in through it as that user, and nothing
// said so. Expected: refused when saved, with an error naming the token (its masked code) and the user,
// by the rule auth applies (users.service tokenUserProblem).
// And a listed name matched the Token-User as typed while the identity is then found as sign-in finds a
// name (`Bob` is bob): a token listing `bob` refused Token-User `Bob`, which '*' and sign-in take as
// bob. Linkis lower-cases user names (reference/jobapis.md A.2, login), so a listed name and a
// Token-User match when they name the same account; a name without an account matches as typed.
import { beforeAll, expect, it } from 'vitest'
import type { TestApp } from '../support/app'
import { appSuite } from '../support/app-suite'

let t: TestApp
const suite = appSuite('bob')
beforeAll(() => ({ t } = suite))

const token = (code: string, users: string[]) => ({ code, users, hosts: ['*'], expiresAt: null })
const saveTokens = (tokens: object[]) => t.call('POST', '/api/v1/settings/linkis', { tokens, proxyUsers: {} })

it.each([
  ['adm1n', 'reads as the user admin'],
  ['аdmin', 'reads as the user admin'], // Cyrillic а
  ['rillflow', 'reserved'],
])('refuses to save a token listing Token-User %s, naming the token and the user', async (name, why) => {
  const res = await saveTokens([token('FIRST-TOKEN-1234', ['bob']), token('OPS-CODE-0123456', ['hadoop', name])])
  // fails: 200, the token saved with a user no call can be made as
  expect(res.status, JSON.stringify(res.body)).toBe(400)
  expect(res.body.error).toMatchObject({ field: 'tokens.1.users' })
  // the token as Settings shows its row (its masked code), the entry's place in the field (#9 LOW)
  expect(res.body.error.message).toContain(`token ••••••456: Token-User ${name} `)
  expect(res.body.error.message).toContain(why)
  expect((await t.call('GET', '/api/v1/settings/linkis')).body.tokens).toEqual([]) // nothing saved
})

const userInfo = (code: string, tokenUser: string) =>
  t.app.server.inject({ method: 'GET', url: '/api/rest_j/v1/user/userInfo', headers: { 'Token-Code': code, 'Token-User': tokenUser } })

it('matches a listed account and the Token-User as sign-in finds both, a name without an account as typed', async () => {
  expect((await saveTokens([token('LISTS-BOB-LOWER1', ['bob']), token('LISTS-BOB-UPPER1', ['Bob']), token('LISTS-HADOOP-123', ['hadoop'])])).status).toBe(200)
  for (const [code, tokenUser] of [
    ['LISTS-BOB-LOWER1', 'bob'],
    ['LISTS-BOB-LOWER1', 'Bob'], // fails: 401 Illegal TokenUser for Token, though Bob is bob
    ['LISTS-BOB-UPPER1', 'bob'], // fails: 401 as well
    ['LISTS-BOB-UPPER1', 'Bob'],
  ]) {
    const res = await userInfo(code, tokenUser)
    expect(res.statusCode, `${code} as ${tokenUser}: ${res.body}`).toBe(200)
    expect(res.json().data.userName).toBe('bob')
  }
  expect((await userInfo('LISTS-HADOOP-123', 'hadoop')).json().data.userName).toBe('hadoop')
  const other = await userInfo('LISTS-HADOOP-123', 'Hadoop') // no account: another name
  expect(other.statusCode).toBe(401)
  expect(other.json().message).toContain('Illegal TokenUser for Token')
})

it('keeps a user a token listed before the check, so other changes (a proxy grant) still save; a new one is checked', async () => {
  expect((await saveTokens([token('OLD-TOKEN-123456', ['hadoop'])])).status).toBe(200)
  // as an earlier release saved it
  const [old] = t.app.store.settings.get<{ users: string[] }[]>('linkis.tokens', [])
  t.app.store.settings.set('linkis.tokens', [{ ...old, users: ['hadoop', 'rillflow'] }])
  const { id } = (await t.call('GET', '/api/v1/settings/linkis')).body.tokens[0]
  const kept = { id, users: ['hadoop', 'rillflow'], hosts: ['*'], expiresAt: null }
  const grant = await t.call('POST', '/api/v1/settings/linkis', { tokens: [kept], proxyUsers: { bob: ['hadoop'] } })
  expect(grant.status, JSON.stringify(grant.body)).toBe(200)
  const added = await saveTokens([{ ...kept, users: ['hadoop', 'rillflow', 'r1llflow'] }])
  expect(added.body.error).toMatchObject({ field: 'tokens.0.users' })
})
