// A queued job says why it waits on the Jobs page (#9, new user): bob, one job running in the
// newcomer lane and more queued while admin's 16 shell jobs held the pool, saw "queued", "0%",
// "Started —" and nothing saying why. Now the detail has a "Waiting" fact (JobDetail.waitingReason)
// and the queued badge, in the detail and the list, carries it as its title.
// FAILS before: no job-waiting fact, no badge title.
import { resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SHOTS, api, browserSuite, poll, submitLogin, type Served } from './support'
import { createUser } from '../support/users'

const suite = browserSuite({ width: 1400, height: 860 })
let served: Served
let token: string
beforeAll(() => ({ served, token } = suite))

/** serve's default pool (README: --concurrency), which admin's jobs fill. */
const POOL = 16
const LONG = { type: 'script', language: 'shell', code: 'sleep 300' }
const long: { token: string; id: number }[] = []

afterAll(async () => {
  for (const j of long) await api(served.url, j.token, 'POST', `/api/v1/jobs/${j.id}/cancel`).catch(() => undefined)
})

async function submitLong(as: string): Promise<number> {
  const made = await api(served.url, as, 'POST', '/api/v1/jobs', LONG)
  expect(made.id, JSON.stringify(made)).toBeTypeOf('number')
  long.push({ token: as, id: made.id })
  return made.id
}
const statusOf = async (id: number): Promise<string> => (await api(served.url, token, 'GET', `/api/v1/jobs/${id}`)).status

describe('Jobs page: why a queued job waits', () => {
  it('shows the reason in the detail and as the queued badge’s title in the list', async () => {
    for (let i = 0; i < POOL; i++) await submitLong(token)
    await poll(async () => (await api(served.url, token, 'GET', '/api/v1/jobs?status=running&limit=50')).total).toBe(POOL)
    const bob = await createUser({ url: served.url, token }, 'bob', { rights: ['scripts'] })
    const first = await submitLong(bob.token)
    await poll(() => statusOf(first)).toBe('running') // in the newcomer lane
    const queued: number[] = []
    for (let i = 0; i < 12; i++) queued.push(await submitLong(bob.token))
    const asked = queued[4]
    expect(await statusOf(asked)).toBe('queued')

    const p: Page = await suite.browser.newPage({ viewport: { width: 1400, height: 860 } })
    try {
      await p.goto(served.url)
      await submitLogin(p, 'bob', bob.password)
      await p.getByRole('heading', { name: 'Jobs' }).waitFor()
      const reason = 'waiting for a place: all 16 are taken (yours hold 1, your share is 12); the newcomer lane takes only users running nothing; 4 earlier jobs of yours go first'
      const badge = p.locator(`tr[data-job-id="${asked}"] .badge-queued`)
      await poll(() => badge.getAttribute('title')).toBe(reason)
      await p.locator(`tr[data-job-id="${asked}"]`).click()
      const detail = p.getByRole('complementary', { name: 'job detail' })
      await poll(() => detail.getByTestId('job-waiting').textContent()).toBe(reason)
      expect(await detail.locator('.detail-meta .badge-queued').getAttribute('title')).toBe(reason)
      await p.screenshot({ path: resolve(SHOTS, 'job-waiting-reason.png') })
      // a running job has none
      await p.locator(`tr[data-job-id="${first}"]`).click()
      await poll(() => detail.getByTestId('job-started').textContent()).toMatch(/\d{2}:\d{2}:\d{2}/)
      expect(await detail.getByTestId('job-waiting').count()).toBe(0)
      expect(await p.locator(`tr[data-job-id="${first}"] .badge-running`).getAttribute('title')).toBeNull()
    } finally {
      await p.close()
    }
  }, 90_000)
})
