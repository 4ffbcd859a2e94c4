// A queued job says why it waits, in the native job detail (#9, new user): bob, with one job
// running in the newcomer lane and more queued while admin's jobs hold the pool, got
// `GET /api/v1/jobs/:id` with nothing saying why. Now `waitingReason` says it (Engine.waitingReason),
// to him as "yours", to an admin by his name; null once the job runs or ends.
// FAILS without the field: waitingReason is undefined.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, waitForStatus, type TestApp } from '../support/app'
import { addUser, type TestUser } from '../support/users'

/** A small pool, so few processes: 4 slots, a non-admin's share 3, a newcomer lane of 2. */
const CONCURRENCY = 4
/** Long enough to outlast the test; every one is cancelled after it. */
const LONG = 'sleep 120'

let t: TestApp
let bob: TestUser
const long: { call: TestApp['call']; id: number }[] = []

beforeAll(async () => {
  t = await startTestApp({ concurrency: CONCURRENCY })
  bob = await addUser(t, 'bob', { rights: ['scripts'] })
}, 120_000)

afterAll(async () => {
  for (const { call, id } of long) await call('POST', `/api/v1/jobs/${id}/cancel`)
  await t?.close()
}, 60_000)

async function submitLong(call: TestApp['call']): Promise<number> {
  const made = await call('POST', '/api/v1/jobs', { type: 'script', language: 'shell', code: LONG })
  expect(made.status, JSON.stringify(made.body)).toBe(201)
  long.push({ call, id: made.body.id })
  return made.body.id
}

describe('GET /api/v1/jobs/:id: waitingReason', () => {
  it('says why a queued job waits, and is null once it runs', async () => {
    for (let i = 0; i < CONCURRENCY; i++) await waitForStatus(t, await submitLong(t.call), ['running'], 10_000)
    const first = await submitLong(bob.call)
    await waitForStatus(t, first, ['running'], 10_000) // in the newcomer lane
    const second = await submitLong(bob.call)
    const third = await submitLong(bob.call)

    const running = await bob.call('GET', `/api/v1/jobs/${first}`)
    expect(running.status).toBe(200)
    expect(running.body.waitingReason).toBeNull()

    const queued = await bob.call('GET', `/api/v1/jobs/${second}`)
    expect(queued.body.status).toBe('queued')
    expect(queued.body.waitingReason).toBe('waiting for a place: all 4 are taken (yours hold 1, your share is 3); the newcomer lane takes only users running nothing')
    const behind = await bob.call('GET', `/api/v1/jobs/${third}`)
    expect(behind.body.waitingReason).toBe(
      'waiting for a place: all 4 are taken (yours hold 1, your share is 3); the newcomer lane takes only users running nothing; 1 earlier job of yours goes first',
    )
    // the admin reads it by bob's name
    expect((await t.call('GET', `/api/v1/jobs/${second}`)).body.waitingReason).toBe(
      'waiting for a place: all 4 are taken (bob’s hold 1, bob’s share is 3); the newcomer lane takes only users running nothing',
    )
    // the list carries it on its queued jobs (the Jobs page's badge title), none on the others
    const list = await bob.call('GET', '/api/v1/jobs?limit=10')
    const byId = new Map<number, { waitingReason?: string | null }>(list.body.items.map((j: { id: number }) => [j.id, j]))
    expect(byId.get(third)?.waitingReason).toBe(behind.body.waitingReason)
    expect(byId.get(second)?.waitingReason).toBe(queued.body.waitingReason)
    expect(byId.get(first)).not.toHaveProperty('waitingReason')
    // ended: null, and the cached finished detail carries it too
    await bob.call('POST', `/api/v1/jobs/${third}/cancel`)
    await waitForStatus(t, third, ['cancelled'], 10_000)
    expect((await bob.call('GET', `/api/v1/jobs/${third}`)).body.waitingReason).toBeNull()
  }, 60_000)
})
