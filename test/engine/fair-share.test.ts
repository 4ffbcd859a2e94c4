// One user cannot starve everyone else (#9): a non-admin holds at most a share of the running slots,
// waiting tasks are started round-robin between their submitters, and a submitter holding no slot
// starts one at once past a full pool, in the newcomer lane (fair19; its size and policy: newcomer-lane.test.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { nonAdminShare } from '../../electron/engine/fair-queue'
import { startTestApp, waitForStatus, type TestApp } from '../support/app'
import { endGatedEngines, gatedEngine } from '../support/gated-engine'
import { addUser, type TestUser } from '../support/users'

endGatedEngines()

const setup = (concurrency: number, shareOf?: (submitter: string) => number, lane?: number) => gatedEngine({ concurrency, shareOf, newcomerLane: lane })

describe('engine: fair admission between users', () => {
  it('lets a user alone use the whole pool when no share is set', async () => {
    const { g, submit } = setup(4)
    submit('bob', 6)
    await expect.poll(() => g.running).toBe(4)
  })

  it('keeps a user at their share, so another user starts at once', async () => {
    const { g, submit, settled } = setup(4, (u) => (u === 'admin' ? 4 : 3))
    submit('bob', 6)
    await expect.poll(() => g.running).toBe(3)
    await settled()
    expect(g.running).toBe(3) // a slot stays free although bob has more waiting
    submit('admin', 1)
    await expect.poll(() => g.started.at(-1)).toBe('admin')
    expect(g.running).toBe(4)
  })

  it('starts waiting tasks round-robin between submitters, not first come first served', async () => {
    const { g, submit } = setup(2)
    submit('bob', 2) // fills the pool
    await expect.poll(() => g.started.length).toBe(2)
    submit('bob', 4)
    submit('carol', 2)
    g.releaseAll() // two slots free: one each, not two more of bob's
    await expect.poll(() => g.started.length).toBe(4)
    expect(g.started.slice(2, 4).sort()).toEqual(['bob', 'carol'])
    g.releaseAll()
    await expect.poll(() => g.started.length).toBe(6)
    expect(g.started.slice(4, 6).sort()).toEqual(['bob', 'carol'])
    g.releaseAll()
    await expect.poll(() => g.started.length).toBe(8)
    expect(g.started.slice(6)).toEqual(['bob', 'bob'])
  })

  it('gives a non-admin three quarters of the pool, at least one slot', () => {
    expect([1, 2, 4, 8, 16, 64].map(nonAdminShare)).toEqual([1, 1, 3, 6, 12, 48])
  })

  it('starts a task of a user holding no slot past a full pool, in the newcomer lane, and only one', async () => {
    const { g, submit, settled } = setup(4, () => 3, 1)
    submit('bob', 6)
    await expect.poll(() => g.running).toBe(3)
    submit('dave', 6) // the pool is full: bob 3, dave 1, both with more waiting
    await expect.poll(() => g.running).toBe(4)
    await settled()
    expect(g.running).toBe(4) // bob's and dave's waiting tasks do not take the lane: they hold slots
    submit('carol', 2)
    await expect.poll(() => g.started.at(-1)).toBe('carol')
    await settled()
    expect(g.running).toBe(5) // her second waits for the pool: she holds one now
    submit('erin', 1)
    await settled()
    expect(g.running).toBe(5) // the lane is full
    expect(g.started.filter((u) => u === 'carol')).toHaveLength(1)
    expect(g.started).not.toContain('erin')
  })

  it('lets a user alone fill the whole pool, and no more, with a newcomer lane', async () => {
    const { g, submit, settled } = setup(4, undefined, 2)
    submit('bob', 10)
    await expect.poll(() => g.running).toBe(4)
    await settled()
    expect(g.running).toBe(4)
  })
})

describe('jobs: one user cannot starve everyone else', () => {
  let t: TestApp
  let bob: TestUser
  beforeAll(async () => {
    t = await startTestApp({ concurrency: 8 })
    bob = await addUser(t, 'bob')
  })
  afterAll(() => t?.close())

  it("starts the admin's job while a non-admin keeps the whole pool busy", async () => {
    const endless = 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c) SELECT count(*) FROM c;'
    const bobs: number[] = []
    for (let i = 0; i < 8; i++) {
      const made = await bob.call('POST', '/api/v1/jobs', { type: 'script', language: 'sql', code: endless })
      expect(made.status).toBe(201)
      bobs.push(made.body.id)
    }
    try {
      await new Promise((r) => setTimeout(r, 1500))
      const statuses = await Promise.all(bobs.map(async (id) => (await t.call('GET', `/api/v1/jobs/${id}`)).body.status))
      expect(statuses.filter((s) => s === 'running')).toHaveLength(nonAdminShare(8)) // the rest wait
      const mine = await t.call('POST', '/api/v1/jobs', { type: 'script', language: 'sql', code: 'select 1 as x;' })
      expect((await waitForStatus(t, mine.body.id, ['succeeded', 'failed'], 30_000)).status).toBe('succeeded')
    } finally {
      for (const id of bobs) await bob.call('POST', `/api/v1/jobs/${id}/cancel`)
    }
  }, 90_000)

  it('gives a script job without a timeout the default one', async () => {
    const made = await bob.call('POST', '/api/v1/jobs', { type: 'script', language: 'sql', code: 'select 1' })
    expect((await waitForStatus(t, made.body.id, ['succeeded', 'failed'], 30_000)).status).toBe('succeeded')
    expect(t.app.store.jobs.tasks(made.body.id)[0].timeoutMs).toBe(24 * 3600 * 1000)
  }, 60_000)
})
