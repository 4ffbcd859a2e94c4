// Rights taken away while a run goes on (#9 §3, "everyone reaches only their own"). Each attempt's
// start asks services/run-rights.ts (attack-revoked-scripts-right.test.ts), but an attempt already
// running went on: a shell job running for an hour kept running as the desktop user after its user
// was disabled, lost the `scripts` right, or lost the Linkis proxy grant it runs under.
// Expected: once the change is saved, every running attempt the same check now refuses is stopped
// as a cancel stops it (its whole process tree), and its task fails naming what changed, with no
// retry. What the change does not touch (SQL when only the scripts right goes; an admin demoted who
// holds the scripts right) runs on.
// Each shell job ends as `sleep <n>` (and an escapee of the same n) with an n unique to this run, so leftovers are
// found by their command line, independently of how JobDesk finds them (support/processes.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ENDED_STATUSES, startTestApp, waitForStatus, type TestApp } from '../support/app'
import { gesToken } from '../ges/support'
import { linkisClient } from '../linkis/support'
import { sleepers, uniqueSleep } from '../support/processes'
import { addUser, type TestUser } from '../support/users'

/** Never ends: one sqlite3_step that counts forever (sql-cancel.test.ts). */
const ENDLESS_SQL = 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c) SELECT count(*) FROM c;'
/** How soon a refused run must have ended after the change is answered (ms): "within a few seconds". */
const STOP_WITHIN_MS = 5_000

let t: TestApp
let next = uniqueSleep()
beforeAll(async () => {
  t = await startTestApp({ concurrency: 8 })
}, 60_000)
afterAll(() => t.close())

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/**
 * Starts a shell job of `user` with retries left that runs `sleep <n>` and one more `sleep <n>` in a
 * session of its own (an escapee: setsid leaves the process group, process-escape.test.ts), and
 * waits until both run.
 */
async function runningSleep(user: Pick<TestUser, 'call'>): Promise<{ id: number; n: number }> {
  const n = next++
  const made = await user.call('POST', '/api/v1/jobs', { type: 'script', language: 'shell', code: `setsid sleep ${n} >/dev/null 2>&1 &\necho started; sleep ${n}`, retries: 2 })
  expect(made.status, JSON.stringify(made.body)).toBe(201)
  await expect.poll(() => sleepers(n).length, { timeout: 30_000 }).toBe(2)
  return { id: made.body.id, n }
}

/** Asserts job `id` ended within STOP_WITHIN_MS of `since`, failed with `reason` on its one attempt, and left no `sleep <n>`. */
async function stoppedFor(run: { id: number; n: number }, since: number, reason: RegExp): Promise<void> {
  const ended = await waitForStatus(t, run.id, ENDED_STATUSES, 30_000)
  expect(Date.now() - since, 'ms from the change to the job’s end').toBeLessThan(STOP_WITHIN_MS)
  await sleep(300) // a process killed last needs a moment to be reaped
  expect(sleepers(run.n), 'processes left').toEqual([])
  expect(ended.status).toBe('failed')
  expect(ended.error).toMatch(reason)
  const [task] = (await t.call('GET', `/api/v1/jobs/${run.id}`)).body.tasks
  expect(task).toMatchObject({ status: 'failed', attempt: 1 })
  expect(task.error).toMatch(reason)
  expect(task.attempts.map((a: { status: string }) => a.status), 'attempts: not retried').toEqual(['failed'])
}

/** The admin changes `name` (POST /api/v1/users/:name); resolves with when the change was answered. */
async function change(name: string, body: object): Promise<number> {
  const res = await t.call('POST', `/api/v1/users/${name}`, body)
  expect(res.status, JSON.stringify(res.body)).toBe(200)
  return Date.now()
}

describe('a running attempt whose user loses what it runs under', () => {
  it('stops once its user is disabled: failed, naming it, in the native API, Linkis and GES alike', async () => {
    const bob = await addUser(t, 'bob', { rights: ['scripts'] })
    const run = await runningSleep(bob)
    const at = await change('bob', { disabled: true })
    await stoppedFor(run, at, /user bob was disabled/)
    // Linkis shows the same end: Failed, with the reason
    const linkis = linkisClient(t.url)
    await linkis.login()
    const task = (await linkis.call('GET', `/jobhistory/${run.id}/get`)).body.data.task
    expect(task.status).toBe('Failed')
    expect(task.errDesc).toMatch(/user bob was disabled/)
    // and so does GES (its job status, by the job's uuid)
    const uuid = (await t.call('GET', `/api/v1/jobs/${run.id}`)).body.uuid
    const ges = await fetch(`${t.url}/v2/p1/graphs/default/jobs/${uuid}/status`, { headers: { 'x-auth-token': await gesToken(t.url) } })
    expect(await ges.json()).toMatchObject({ status: 'failed', fail_reason: expect.stringMatching(/user bob was disabled/) })
  }, 90_000)

  it('stops shell once the scripts right is withdrawn; SQL of the same user runs on', async () => {
    const dora = await addUser(t, 'dora', { rights: ['scripts'] })
    const sql = await dora.call('POST', '/api/v1/jobs', { type: 'script', language: 'sql', code: ENDLESS_SQL })
    expect(sql.status, JSON.stringify(sql.body)).toBe(201)
    const run = await runningSleep(dora)
    await waitForStatus(t, sql.body.id, ['running'], 30_000)
    const at = await change('dora', { rights: [] })
    await stoppedFor(run, at, /the scripts right was withdrawn from dora/)
    await sleep(1_000)
    expect((await t.call('GET', `/api/v1/jobs/${sql.body.id}`)).body.status, 'the SQL job after the scripts right went').toBe('running')
    await t.call('POST', `/api/v1/jobs/${sql.body.id}/cancel`)
    await waitForStatus(t, sql.body.id, ENDED_STATUSES, 30_000)
  }, 90_000)

  it('stops shell of an admin demoted to user without the scripts right; one who holds it runs on', async () => {
    const ann = await addUser(t, 'ann', { role: 'admin' })
    const ben = await addUser(t, 'ben', { role: 'admin', rights: ['scripts'] })
    const anns = await runningSleep(ann)
    const bens = await runningSleep(ben)
    await change('ben', { role: 'user' })
    const at = await change('ann', { role: 'user' })
    await stoppedFor(anns, at, /ann is no longer an admin/)
    expect((await t.call('GET', `/api/v1/jobs/${bens.id}`)).body.status, 'the job of a demoted admin who holds the scripts right').toBe('running')
    expect(sleepers(bens.n).length).toBe(2)
    await t.call('POST', `/api/v1/jobs/${bens.id}/cancel`)
    await waitForStatus(t, bens.id, ENDED_STATUSES, 30_000)
  }, 90_000)

  it('stops a shell run as another user once the Linkis proxy grant it runs under is withdrawn', async () => {
    const alice = await addUser(t, 'alice', { rights: ['scripts'] })
    await addUser(t, 'carol')
    expect((await t.call('POST', '/api/v1/settings/linkis', { tokens: [], proxyUsers: { alice: ['carol'] } })).status).toBe(200)
    const linkis = linkisClient(t.url)
    await linkis.login('alice', alice.password)
    expect((await linkis.call('GET', '/user/proxy?proxyUser=carol')).body.status).toBe(0)
    const n = next++
    const sub = await linkis.submit(`sleep ${n}`, 'sh')
    expect(sub.body.status, JSON.stringify(sub.body)).toBe(0)
    const id = sub.body.data.taskID as number
    expect(t.app.store.jobs.get(id)!.labels.executeUser).toBe('carol')
    await expect.poll(() => sleepers(n).length, { timeout: 30_000 }).toBeGreaterThan(0)

    expect((await t.call('POST', '/api/v1/settings/linkis', { tokens: [], proxyUsers: {} })).status).toBe(200)
    const at = Date.now()
    await stoppedFor({ id, n }, at, /grant letting alice act as carol was withdrawn/)
    const task = (await t.call('GET', `/api/v1/jobs/${id}`)).body
    expect(task.status).toBe('failed')
    // alice's Linkis client sees it Failed, with the reason
    const status = await linkis.waitDone(sub.body.data.execID, 10_000)
    expect(status).toBe('Failed')
  }, 90_000)
})
