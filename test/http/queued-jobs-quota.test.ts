// A user may have at most MAX_QUEUED_JOBS_PER_USER jobs queued (stored, not yet started): past it a
// submit through any dialect is refused with a 403 in that dialect's envelope naming the limit,
// nothing stored (#9: atk11 queued 2,000 jobs of 1 MB of code in 11 s). Admins are exempt; a job
// that starts or is cancelled makes room again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MAX_QUEUED_JOBS_PER_USER } from '../../shared/quotas'
import { startTestApp, waitForStatus, type TestApp } from '../support/app'
import { expectSubmitRefused, SELECT_ONE } from '../support/submit-refusals'
import { waitingJobs } from '../support/waiting-jobs'
import { addUser, type TestUser } from '../support/users'

let t: TestApp
let eve: TestUser
beforeAll(async () => {
  t = await startTestApp({ concurrency: 2 }) // a user's share is then one running task; an admin's two
  eve = await addUser(t, 'eve')
}, 60_000)
afterAll(() => t?.close())

/** `n` jobs of `submitter` of one task each that wait ten minutes, through the engine as every dialect's submit is. */
const waiting = (submitter: string, n: number) => waitingJobs(t.app.engine, submitter, n)
const LIMIT_WORDS = new RegExp(`user eve has ${MAX_QUEUED_JOBS_PER_USER.toLocaleString('en-US')} jobs queued, and a user may have at most ${MAX_QUEUED_JOBS_PER_USER.toLocaleString('en-US')} waiting to start`)

describe('queued jobs per user', () => {
  let queued: number[] = []
  it('refuses a user’s submit past the limit, in the native, Linkis and Rill Flow envelopes, storing nothing', { timeout: 120_000 }, async () => {
    const [running] = waiting('eve', 1)
    await waitForStatus(t, running!.id, ['running'])
    queued = waiting('eve', MAX_QUEUED_JOBS_PER_USER).map((j) => j.id) // exactly the limit: allowed
    expect(t.app.store.jobs.get(queued[queued.length - 1]!)!.status).toBe('queued')
    await expectSubmitRefused(t, eve, { code: 'too_many_queued_jobs', words: LIMIT_WORDS })
  })

  it('takes the user’s submit again once a queued job is cancelled', { timeout: 60_000 }, async () => {
    expect((await eve.call('POST', `/api/v1/jobs/${queued[0]}/cancel`)).status).toBe(200)
    const again = await eve.call('POST', '/api/v1/jobs', SELECT_ONE)
    expect(again.status).toBe(201)
  })

  it('never refuses an admin', { timeout: 120_000 }, async () => {
    const mine = waiting('admin', 2 + MAX_QUEUED_JOBS_PER_USER + 5) // at most two run (eve holds a slot too); the rest wait
    expect(t.app.store.jobs.get(mine[mine.length - 1]!.id)!.status).toBe('queued')
    const native = await t.call('POST', '/api/v1/jobs', SELECT_ONE)
    expect(native.status).toBe(201)
  })
})
