// Who reads an algorithm job (GET /api/v1/algorithms/jobs/:id): its owner and admins, and nobody
// else, to whom it answers exactly as an id that names no job (#9 §3). The graph subsystem may not
// import services, so it applies the same owner-or-admin rule from shared/access-rule.ts: a session
// acting as the owner (a Linkis proxy user, `actsAs`) reaches the job wherever mayReach says it does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mayReach, type Reacher } from '../../../shared/access-rule'
import { startTestApp, waitForStatus, type TestApp } from '../../support/app'
import { addUser, type TestUser } from '../../support/users'
import { upload } from '../support'

let t: TestApp
let bob: TestUser
let eve: TestUser
let jobId: number

beforeAll(async () => {
  t = await startTestApp()
  bob = await addUser(t, 'bob')
  eve = await addUser(t, 'eve')
  upload(t.dir, 'e.csv', '1,2\n2,3\n', 'bob')
  const started = await bob.call('POST', '/api/v1/algorithms/jobs', { algorithm: 'WCC', source: { kind: 'file', path: 'e.csv' } })
  expect(started.status, JSON.stringify(started.body)).toBe(201)
  jobId = started.body.id
  await waitForStatus(t, jobId, ['succeeded'])
}, 60_000)
afterAll(() => t.close())

describe('an algorithm job: owner or admin', () => {
  it('shows its rows to its owner and to an admin, and to anyone else answers as no job at all', async () => {
    expect((await bob.call('GET', `/api/v1/algorithms/jobs/${jobId}`)).body.result.rows).toEqual([[1, 1], [2, 1], [3, 1]])
    expect((await t.call('GET', `/api/v1/algorithms/jobs/${jobId}`)).status).toBe(200)
    const theirs = await eve.call('GET', `/api/v1/algorithms/jobs/${jobId}`)
    const none = await eve.call('GET', `/api/v1/algorithms/jobs/${jobId + 1000}`)
    expect(theirs.status).toBe(404)
    // the same answer, but for the id it names: nothing tells eve that job exists
    expect(JSON.stringify(theirs.body).replaceAll(String(jobId), 'ID')).toBe(JSON.stringify(none.body).replaceAll(String(jobId + 1000), 'ID'))
  })

  it('reaches the job for exactly the callers the shared rule lets in, a session acting as its owner included', () => {
    const job = t.app.store.jobs.get(jobId)!
    const callers: Reacher[] = [
      { username: 'admin', isAdmin: true },
      { username: 'bob', isAdmin: false },
      { username: 'eve', isAdmin: false },
      { username: 'eve', isAdmin: false, actsAs: ['bob'] }, // a Linkis session of eve's with proxy user bob
      { username: 'eve', isAdmin: false, actsAs: ['carol'] },
    ]
    const reads = (actor: Reacher): boolean => {
      try {
        return t.app.algorithms.view(jobId, actor).job.id === jobId
      } catch {
        return false
      }
    }
    expect(callers.map(reads)).toEqual(callers.map((c) => mayReach(c, job)))
    expect(callers.map(reads)).toEqual([true, true, false, true, false])
  })
})
