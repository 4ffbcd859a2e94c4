// The rights asked when a task attempt starts (services/run-rights.ts), over a real SQLite store:
// the submitter's account, the scripts right for shell and Python, and the act-as grant a job that
// runs as another user was submitted under, each read as it is now.
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Executor } from '../../electron/engine/executor'
import { noopExecutor } from '../../electron/executors/noop'
import { createStartCheck, watchRunRights } from '../../electron/services/run-rights'
import { SETTING_KEYS } from '../../electron/store/setting-keys'
import type { Store } from '../../electron/store'
import { makeEngine } from '../support/engine'
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

// watchRunRights: what a change of a user or of the proxy grants does to runs already under way,
// over the real engine (the HTTP side: test/executors/rights-withdrawn-while-running.test.ts).
describe('runs under way when a user they act as changes', () => {
  /** Runs like noop (spec.delayMs, stopped by its signal) under the name the scripts right covers. */
  const shell: Executor = { ...noopExecutor, name: 'shell' }

  it('stops a run as carol once carol is disabled, and one as dave once dave is made an admin, each saying so', async () => {
    const w = tempStore()
    const engine = makeEngine(w.store, { executors: [shell] })
    const unwatch = watchRunRights(w.store, engine)
    try {
      const user = (username: string, rights: 'scripts'[] = []) => w.store.users.create({ username, passwordHash: 'x', isAdmin: false, mustChangePassword: false, rights })
      user('alice', ['scripts'])
      const carol = user('carol')
      const dave = user('dave')
      const erin = user('erin')
      w.store.settings.set(SETTING_KEYS.linkisProxyUsers, { alice: ['*'] })
      const runAs = (as: string) =>
        engine.submit({ uuid: randomUUID(), kind: 'script', name: `as ${as}`, submitter: 'alice', labels: { executeUser: as } }, [{ name: 'main', executor: 'shell', maxAttempts: 3, spec: { delayMs: 60_000, noAdmin: true } }])
      const [asCarol, asDave, asErin] = ['carol', 'dave', 'erin'].map(runAs)
      await expect.poll(() => [asCarol, asDave, asErin].map((j) => engine.job(j.id)?.status)).toEqual(['running', 'running', 'running'])

      w.store.users.update(carol.id, { isAdmin: false, disabled: true, rights: [] })
      w.store.users.update(dave.id, { isAdmin: true, disabled: false, rights: [] })
      w.store.users.setPassword(erin.id, 'y', true) // a change that takes nothing away stops nothing
      const [c, d] = await Promise.all([engine.waitFor(asCarol.id), engine.waitFor(asDave.id)])
      expect(c.status).toBe('failed')
      expect(c.error).toMatch(/user carol, whom this job runs as, was disabled, so this run was stopped/)
      expect(d.status).toBe('failed')
      expect(d.error).toMatch(/dave was made an admin, and only admins may act as admins, so this run as dave was stopped/)
      expect(engine.job(asErin.id)?.status).toBe('running')
    } finally {
      unwatch()
      await engine.stop()
      w.cleanup()
    }
  })
})

describe('runs under way when their own user changes', () => {
  const shell: Executor = { ...noopExecutor, name: 'shell' }

  it('an admin made after the watch began, demoted, is told the role went; a noAdmin run of an admin is told the right went', async () => {
    const w = tempStore()
    const engine = makeEngine(w.store, { executors: [shell] })
    const unwatch = watchRunRights(w.store, engine)
    try {
      // made once the watch runs: what it knew of roles came from before
      const gus = w.store.users.create({ username: 'gus', passwordHash: 'x', isAdmin: true, mustChangePassword: false, rights: ['scripts'] })
      await Promise.resolve() // users.onChange tells in a microtask
      const run = (noAdmin: boolean) =>
        engine.submit({ uuid: randomUUID(), kind: 'script', name: 'sleep', submitter: 'gus' }, [{ name: 'main', executor: 'shell', spec: { delayMs: 60_000, ...(noAdmin ? { noAdmin } : {}) } }])
      const [asAdmin, asUser] = [run(false), run(true)]
      await expect.poll(() => [asAdmin, asUser].map((j) => engine.job(j.id)?.status)).toEqual(['running', 'running'])
      w.store.users.update(gus.id, { isAdmin: false, disabled: false, rights: [] })
      const [a, u] = await Promise.all([engine.waitFor(asAdmin.id), engine.waitFor(asUser.id)])
      expect(a.error).toMatch(/gus is no longer an admin and does not hold the scripts right, so this shell run was stopped/)
      expect(u.error).toMatch(/the scripts right was withdrawn from gus, so this shell run was stopped/) // its credential never granted the role
    } finally {
      unwatch()
      await engine.stop()
      w.cleanup()
    }
  })
})
