// A new user saved a Linkis token with Code `x` and Days valid `-5` in Settings: it was stored as
// "never expires", and `jobhistory/list` with Token-Code x answered OK. A one-character secret is
// guessed at once, and a past expiry is no expiry the user meant (issue #9, new-user MEDIUM).
// Expected: a new code has at least 16 characters, an expiry is a time still to come (or null: never),
// else a 400 naming the token and the field; codes stored before the rule keep working, and a token
// kept as it is (by id) is never refused for what it already was.
import { beforeAll, expect, it } from 'vitest'
import { SETTING_KEYS } from '../../electron/store/setting-keys'
import type { TestApp } from '../support/app'
import { appSuite } from '../support/app-suite'

let t: TestApp
const suite = appSuite()
beforeAll(() => ({ t } = suite))

const DAY = 86_400_000
const token = (code: string, expiresAt: number | null = null) => ({ code, users: ['*'], hosts: ['*'], expiresAt })
const saveTokens = (tokens: object[]) => t.call('POST', '/api/v1/settings/linkis', { tokens, proxyUsers: {} })
const stored = async () => (await t.call('GET', '/api/v1/settings/linkis')).body.tokens as { id: string; expiresAt: number | null }[]
const history = (code: string) =>
  t.app.server.inject({ method: 'GET', url: '/api/rest_j/v1/jobhistory/list', headers: { 'Token-Code': code, 'Token-User': 'admin' } })

it('refuses a new code shorter than 16 characters, naming the token and the code field', async () => {
  for (const code of ['x', 'FIFTEEN-CHARS-1']) {
    const res = await saveTokens([token('A-LONG-ENOUGH-CODE'), token(code)])
    // fails before: 200, and Token-Code x then answered jobhistory/list
    expect(res.status, JSON.stringify(res.body)).toBe(400)
    expect(res.body.error).toMatchObject({ kind: 'invalid', field: 'tokens.1.code' })
    expect(res.body.error.message).toMatch(/^token ••••••(\S{3})?: Token-Code must be at least 16 characters/)
  }
  expect(await stored()).toEqual([]) // nothing saved
  expect((await history('x')).statusCode).toBe(401)
  expect((await saveTokens([token('SIXTEEN-CHARS-12')])).status).toBe(200)
  expect((await history('SIXTEEN-CHARS-12')).json().status).toBe(0)
})

it('refuses an expiry that has passed (a negative Days valid), naming the field; null is never', async () => {
  await saveTokens([])
  for (const expiresAt of [Date.now() - 5 * DAY, 0]) {
    const res = await saveTokens([token('PAST-EXPIRY-CODE-1', expiresAt)])
    // fails before: 200 (0 showed as "never" in Settings, and auth took it as expired)
    expect(res.status, JSON.stringify(res.body)).toBe(400)
    expect(res.body.error).toMatchObject({ kind: 'invalid', field: 'tokens.0.expiresAt' })
    expect(res.body.error.message).toContain('expiresAt must be a time to come')
  }
  expect(await stored()).toEqual([])
  const week = Date.now() + 7 * DAY
  expect((await saveTokens([token('WEEK-LONG-CODE-01', week), token('NEVER-EXPIRES-001')])).status).toBe(200)
  expect((await stored()).map((x) => x.expiresAt)).toEqual([week, null])
})

it('keeps a short code stored before the rule working, and saves the list with it (and an expired token) kept', async () => {
  // as an earlier release stored them: the code itself, one short, one expired since
  t.app.store.settings.set(SETTING_KEYS.linkisTokens, [
    { name: 'x', users: ['*'], hosts: ['*'], expiresAt: null },
    { name: 'EXPIRED-LONG-CODE', users: ['*'], hosts: ['*'], expiresAt: Date.now() - DAY },
  ])
  expect((await history('x')).json().status).toBe(0)
  const kept = (await stored()).map((x) => ({ id: x.id, users: ['*'], hosts: ['*'], expiresAt: x.expiresAt }))
  const res = await saveTokens([...kept, token('ANOTHER-LONG-CODE-1')]) // what Settings sends to add a token
  expect(res.status, JSON.stringify(res.body)).toBe(200)
  expect((await history('x')).json().status).toBe(0)
  expect((await history('EXPIRED-LONG-CODE')).json().message).toContain('Token is expired')
})
