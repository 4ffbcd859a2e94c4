// Settings saved a Linkis proxy grant (proxyUsers: login user → users they may act as) naming a user
// no one can act as: a look-alike of an account (`adm1n`, Cyrillic `аdmin`), a name JobDesk reserves
// (`rillflow`), one with hidden characters. Act-as refuses such a name at run time (run-rights.ts
// actAsRefusalNow, users.service borrowedNameProblem) but the save took it and nothing said so.
// Expected: refused when saved, by the same rule, with an error naming the grant's field
// (proxyUsers.<login user>) and the name; an existing account's exact name is granted whatever it
// reads as; a grant stored before this check is kept (not a reason to refuse every later save).
import { beforeAll, expect, it } from 'vitest'
import { SETTING_KEYS } from '../../electron/store/setting-keys'
import type { TestApp } from '../support/app'
import { appSuite } from '../support/app-suite'

let t: TestApp
const suite = appSuite('alice', 'bob')
beforeAll(() => ({ t } = suite))

const save = (proxyUsers: Record<string, string[]>) => t.call('POST', '/api/v1/settings/linkis', { tokens: [], proxyUsers })
const stored = async () => (await t.call('GET', '/api/v1/settings/linkis')).body.proxyUsers

it.each([
  ['adm1n', 'reads as the user admin and is not that user'],
  ['аdmin', 'reads as the user admin and is not that user'], // Cyrillic а
  ['rillflow', 'is reserved by JobDesk'],
  ['b\u202Eob', ''],
])('refuses to save a grant of %s, naming the grant and the name', async (name, why) => {
  const res = await save({ bob: ['alice'], alice: ['etl', name] })
  // fails: 200, the grant saved with a name act-as then refuses
  expect(res.status, JSON.stringify(res.body)).toBe(400)
  expect(res.body.error).toMatchObject({ code: 'bad_proxy_user', field: 'proxyUsers.alice' })
  expect(res.body.error.message).toContain('proxyUsers.alice: ')
  expect(res.body.error.message).toContain(why)
  expect(res.body.error.message).toContain('no one can act as it')
  expect(await stored()).toEqual({}) // nothing saved
})

it('refuses a grant to a login user that is a look-alike, naming that grant', async () => {
  const res = await save({ 'a1ice': ['bob'] })
  expect(res.status).toBe(400)
  expect(res.body.error).toMatchObject({ code: 'bad_proxy_user', field: 'proxyUsers.a1ice' })
  expect(res.body.error.message).toMatch(/a1ice reads as the user alice/)
})

it('saves grants of accounts, of names with no account (a Linkis Token-User), and "*"', async () => {
  const res = await save({ alice: ['bob', 'etl', 'ext@svc'], bob: ['*'], etl: ['alice'] })
  expect(res.status, JSON.stringify(res.body)).toBe(200)
  expect(await stored()).toEqual({ alice: ['bob', 'etl', 'ext@svc'], bob: ['*'], etl: ['alice'] })
})

it('keeps a grant stored before the check, so other changes still save; a new one is checked', async () => {
  t.app.store.settings.set(SETTING_KEYS.linkisProxyUsers, { alice: ['rillflow'] }) // as an earlier release saved it
  expect((await save({ alice: ['rillflow', 'bob'] })).status).toBe(200)
  expect((await save({ alice: ['rillflow', 'bob'], bob: ['r1llflow'] })).body.error).toMatchObject({ field: 'proxyUsers.bob' })
  expect((await save({ alice: ['bob'] })).status).toBe(200) // and it can be removed
  expect(await stored()).toEqual({ alice: ['bob'] })
})
