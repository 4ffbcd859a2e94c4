// The rights asked when a task attempt starts (services/run-rights.ts), over a real SQLite store:
// the submitter's account, the scripts right for shell and Python, and the act-as grant a job that
// runs as another user was submitted under, each read as it is now.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createStartCheck } from '../../electron/services/run-rights'
import { SETTING_KEYS } from '../../electron/store/setting-keys'
import type { Store } from '../../electron/store'
import { tempStore } from '../support/temp-store'

let t: ReturnType<typeof tempStore>
let store: Store
let check: ReturnType<typeof createStartCheck>

const add = (username: string, o: { isAdmin?: boolean; rights?: 'scripts'[] } = {}) =>
  store.users.create({ username, passwordHash: 'x', isAdmin: o.isAdmin ?? false, mustChangePassword: false, rights: o.rights ?? [] })
const job = (submitter: string, executeUser?: string) => ({ submitter, labels: executeUser ? { executeUser } : ({} as Record<string, string>) })
const task = (executor: string, spec: Record<string, unknown> = {}) => ({ executor, spec })

beforeAll(() => {
  t = tempStore()
  store = t.store
  check = createStartCheck(store)
})
afterAll(() => t.cleanup())

describe('start check: the submitter as they are now', () => {
  it('a user with the scripts right may start shell; without it only SQL', () => {
    const bob = add('bob', { rights: ['scripts'] })
    expect(check(job('bob'), task('shell'))).toBeNull()
    store.users.update(bob.id, { isAdmin: false, disabled: false, rights: [] })
    expect(check(job('bob'), task('python'))).toMatch(/bob may no longer run python.*"scripts" right/)
    expect(check(job('bob'), task('sql'))).toBeNull()
  })

  it('a disabled account starts nothing, SQL included', () => {
    const dan = add('dan')
    store.users.update(dan.id, { isAdmin: false, disabled: true, rights: [] })
    expect(check(job('dan'), task('sql'))).toMatch(/dan's account has been disabled/)
  })

  it('an admin demoted loses shell; a credential that did not grant admin (noAdmin) never had it', () => {
    const ann = add('ann', { isAdmin: true })
    expect(check(job('ann'), task('shell'))).toBeNull()
    expect(check(job('ann'), task('shell', { noAdmin: true }))).toMatch(/ann may no longer run shell/)
    store.users.update(ann.id, { isAdmin: false, disabled: false, rights: [] })
    expect(check(job('ann'), task('shell'))).toMatch(/ann may no longer run shell/)
  })

  it('a name without an account (a Linkis Token-User) runs SQL, not shell', () => {
    expect(check(job('nobody'), task('sql'))).toBeNull()
    expect(check(job('nobody'), task('shell'))).toMatch(/nobody may no longer run shell/)
  })
})

describe('start check: a job that runs as another user', () => {
  it('starts while the grant stands, not after it is taken back, nor once the user it runs as is disabled', () => {
    add('alice')
    const carol = add('carol')
    store.settings.set(SETTING_KEYS.linkisProxyUsers, { alice: ['carol'] })
    expect(check(job('alice', 'carol'), task('sql'))).toBeNull()
    store.users.update(carol.id, { isAdmin: false, disabled: true, rights: [] })
    expect(check(job('alice', 'carol'), task('sql'))).toMatch(/carol's account has been disabled/)
    store.users.update(carol.id, { isAdmin: false, disabled: false, rights: [] })
    store.settings.set(SETTING_KEYS.linkisProxyUsers, {})
    expect(check(job('alice', 'carol'), task('sql'))).toMatch(/alice may no longer act as carol: no admin has let alice act as carol/)
  })

  it('an admin may run as anyone; demoted, only as far as a grant reaches', () => {
    const boss = add('boss', { isAdmin: true })
    add('erin')
    expect(check(job('boss', 'erin'), task('sql'))).toBeNull()
    store.users.update(boss.id, { isAdmin: false, disabled: false, rights: [] })
    expect(check(job('boss', 'erin'), task('sql'))).toMatch(/boss may no longer act as erin/)
    store.settings.set(SETTING_KEYS.linkisProxyUsers, { boss: ['*'] })
    expect(check(job('boss', 'erin'), task('sql'))).toBeNull()
  })
})
