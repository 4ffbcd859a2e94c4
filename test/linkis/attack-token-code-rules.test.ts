// Attack (#9 atk, Linkis token rules of 33b5a7cb): a new Token-Code needs 16+ characters and an
// expiry to come. Two ways round the rule (first committed as it.fails; both now refused with 400 naming the field):
// - an admin token's code is `admin-` plus its secret (linkis-tokens.ts ADMIN_PREFIX): the prefix is
//   public (every admin code starts with it, Settings shows `admin-••••••`) yet counts toward the 16,
//   so the one code that may pick any executeUser as an admin keeps 10 secret characters.
// - an expiry past the largest time a JavaScript Date holds (8.64e15 ms) is taken as "to come" (the
//   schema allows up to 2^53-1): Settings then shows the token's Expires as "Invalid Date".
import { beforeAll, expect, it } from 'vitest'
import type { TestApp } from '../support/app'
import { appSuite } from '../support/app-suite'

let t: TestApp
const suite = appSuite()
beforeAll(() => ({ t } = suite))

const token = (code: string, expiresAt: number | null = null) => ({ code, users: ['admin'], hosts: ['*'], expiresAt })
const saveTokens = (tokens: object[]) => t.call('POST', '/api/v1/settings/linkis', { tokens, proxyUsers: {} })

it('MEDIUM: an admin Token-Code needs 16 secret characters after its public admin- prefix', async () => {
  const code = 'admin-0123456789' // 16 characters, 10 of them secret
  const res = await saveTokens([token(code)])
  // as it is: 200, and the code answers as admin (an admin token naming admin)
  expect(res.status, JSON.stringify(res.body)).toBe(400)
  expect(res.body.error).toMatchObject({ kind: 'invalid', field: 'tokens.0.code' })
})

it('LOW: an expiry past the largest Date (8.64e15 ms) is refused, naming expiresAt', async () => {
  await saveTokens([])
  const res = await saveTokens([token('A-LONG-ENOUGH-CODE-1', 9_000_000_000_000_000)])
  expect(new Date(9_000_000_000_000_000).toString()).toBe('Invalid Date') // what Settings would show
  // as it is: 200, stored as is
  expect(res.status, JSON.stringify(res.body)).toBe(400)
  expect(res.body.error).toMatchObject({ kind: 'invalid', field: 'tokens.0.expiresAt' })
})
