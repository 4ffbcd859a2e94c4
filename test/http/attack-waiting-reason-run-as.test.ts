// Attack (#9, waitingReason): a queued job is listed to the user it runs as (labels.executeUser: a
// Linkis proxy's or executeUser submit) as well as to its submitter, and its waitingReason is told from
// the submitter's standing. So bob, whom alice's job runs as, reads alice's held slots and how many of
// her other jobs wait before it ("alice’s share of 3 places is used by alice’s own jobs; 2 earlier
// jobs of alice’s go first"): counts of jobs bob cannot list. LOW.
// FAILED before Engine.waitingReasons told a reader who is neither the submitter nor an admin only the
// pool's state (WaitingState.poolOnly: "waiting for a place: all 4 are taken"), not the submitter's counts.
// Also checked here (passes): a plain user may not disable another user, nor list users.
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../support/app'
import { addUser, type TestUser } from '../support/users'

let t: TestApp
let alice: TestUser
let bob: TestUser
beforeAll(async () => {
  t = await startTestApp({ concurrency: 4 })
  alice = await addUser(t, 'alice')
  bob = await addUser(t, 'bob')
}, 60_000)
afterAll(() => t?.close(), 60_000)

const wait = (submitter: string, labels: Record<string, string> = {}) =>
  t.app.engine.submit({ uuid: randomUUID(), kind: 'script', name: 'wait', submitter, labels }, [{ name: 'main', executor: 'noop', spec: { delayMs: 600_000 } }])

describe('attack: waitingReason told to the user a job runs as', () => {
  it("bob does not read alice's counts in the reason of her job that runs as him", async () => {
    for (let i = 0; i < 5; i++) wait('alice') // 3 run (her share), 2 wait
    const asBob = wait('alice', { executeUser: 'bob' })
    await new Promise((r) => setTimeout(r, 300))
    const list = await bob.call('GET', '/api/v1/jobs?limit=50')
    const listed = list.body.items.find((j: { id: number }) => j.id === asBob.id)
    console.log(`bob's list: ${list.body.items.length} job(s); the one run as him: ${JSON.stringify(listed?.waitingReason)}`)
    expect(listed?.status).toBe('queued')
    const detail = await bob.call('GET', `/api/v1/jobs/${asBob.id}`)
    expect(detail.status).toBe(200)
    expect(detail.body.waitingReason).not.toMatch(/alice/)
    expect(listed?.waitingReason).not.toMatch(/alice/)
    // alice, the submitter, reads her counts; an admin reads them by her name
    expect((await alice.call('GET', `/api/v1/jobs/${asBob.id}`)).body.waitingReason).toMatch(/your share of 3 places is used by your own jobs/)
    expect((await t.call('GET', `/api/v1/jobs/${asBob.id}`)).body.waitingReason).toMatch(/alice’s share of 3 places/)
  })

  it('a plain user may not disable another user, nor read the users list', async () => {
    const disable = await bob.call('POST', '/api/v1/users/alice', { disabled: true })
    expect(disable.status).toBe(403)
    expect((await bob.call('GET', '/api/v1/users')).status).toBe(403)
    expect((await alice.call('GET', '/api/v1/me')).status).toBe(200)
  })
})
