// Attack (#9 §3, acting as another user): an admin lets alice act as carol through Linkis's proxy
// (Settings → Linkis, proxyUsers {alice: ["carol"]}), then takes the grant back. The rule is asked
// "when the proxy is made and on every call that uses it" (act-as.test.ts: the next call after the
// grant is gone ends the proxy) — but not when a job submitted through the proxy starts. A SQL job
// alice submitted as carol that is still waiting for a slot when the grant goes runs afterwards as
// carol, on carol's scratch database, and alice (its submitter) reads what it selected.
// Measured over real HTTP (this file's app, concurrency 1, load average 10-12): with the one slot held
// by an admin's shell sleep (4 s, then 8 s), alice's queued `select v from secret` ran after the grant
// was removed and succeeded; its result set held carol's row 'carol-secret', which alice read with
// her own token.
// Expected: a job that runs as another user starts only if its submitter may still act as them
// (otherwise it fails naming the refusal); nothing of carol's reaches alice once the grant is gone.
// This test FAILS until the act-as rule is asked again when such a job starts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ENDED_STATUSES, startTestApp, waitForStatus, type TestApp } from '../support/app'
import { shellGate } from '../support/shell-gate'
import { addUser, type TestUser } from '../support/users'
import { linkisClient } from './support'

let t: TestApp
let alice: TestUser
let carol: TestUser
let dave: TestUser

beforeAll(async () => {
  // one slot, and the one place past it kept for a user running nothing (app.ts newcomerLane): alice's
  // job waits behind the admin's and dave's
  t = await startTestApp({ concurrency: 1 })
  alice = await addUser(t, 'alice')
  carol = await addUser(t, 'carol')
  dave = await addUser(t, 'dave', { rights: ['scripts'] })
}, 60_000)
afterAll(() => t.close())

describe('attack: a job submitted through a proxy that is taken back before it starts', () => {
  it('does not run as carol, and alice reads nothing of carol’s', async () => {
    // carol keeps a table in her own scratch database
    const made = await carol.call('POST', '/api/v1/jobs', { type: 'script', language: 'sql', code: "create table secret (v text); insert into secret values ('carol-secret')" })
    expect((await waitForStatus(t, made.body.id, ENDED_STATUSES, 60_000)).status).toBe('succeeded')

    expect((await t.call('POST', '/api/v1/settings/linkis', { tokens: [], proxyUsers: { alice: ['carol'] } })).status).toBe(200)
    const linkis = linkisClient(t.url)
    await linkis.login('alice', alice.password)
    expect((await linkis.call('GET', '/user/proxy?proxyUser=carol')).body.status).toBe(0)

    // the slot is held until the grant is gone (a file the job waits for), not for 8 s: the test then
    // waited out the rest of the 8 s, and on a machine slower to submit, the job could leave the queue first
    const go = shellGate(t.dir, 'hold-go')
    const hold = await t.call('POST', '/api/v1/jobs', { type: 'script', language: 'shell', code: go.wait })
    await waitForStatus(t, hold.body.id, ['running'], 30_000)
    const lane = await dave.call('POST', '/api/v1/jobs', { type: 'script', language: 'shell', code: go.wait })
    await waitForStatus(t, lane.body.id, ['running'], 30_000)
    const asCarol = await linkis.submit('select v from secret', 'sql')
    expect(asCarol.body.status, JSON.stringify(asCarol.body)).toBe(0)
    const id = asCarol.body.data.taskID as number
    expect(t.app.store.jobs.get(id)!.labels.executeUser).toBe('carol')
    expect((await alice.call('GET', `/api/v1/jobs/${id}`)).body.status).toBe('queued')

    // the grant is taken back while the job waits
    expect((await t.call('POST', '/api/v1/settings/linkis', { tokens: [], proxyUsers: {} })).status).toBe(200)
    go.open()

    const ended = await waitForStatus(t, id, ENDED_STATUSES, 60_000)
    const sets = await alice.call('GET', `/api/v1/jobs/${id}/results`)
    const page = sets.body.length ? await alice.call('GET', `/api/v1/jobs/${id}/results/0`) : { body: {} }
    expect.soft(JSON.stringify(page.body), 'carol’s row reached alice after the grant was gone').not.toContain('carol-secret')
    expect.soft(ended.status, 'the job ran as carol after the grant was gone').not.toBe('succeeded')
  }, 120_000)
})
