// The newcomer lane gives a user holding no slot one task past a full pool, and one only
// (fair-queue.ts newcomerLane, #9). A Rill Flow execution's foreach groups are tasks of its job, and
// its sub-flows are executions submitted as its submitter (service.ts startSubflow): all count as the
// root job's user. Here the admin, holding no slot while two users' long jobs hold the pool, runs a
// foreach of 3 function tasks and a foreach of 3 flow_sync sub-flows, each calling a server that holds
// the request: one of those 6 calls runs, the rest wait for the pool, and the lane keeps room for
// another user's SQL job. (The admin, because a non-admin's function task may not reach loopback.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ServerResponse } from 'node:http'
import { startTestApp, waitForStatus, type TestApp } from '../support/app'
import { addFlow } from '../support/workflows'
import { addUser, type TestUser } from '../support/users'
import { answerServer } from './support/answer-server'
import { foreachDescriptor } from './support/foreach-descriptor'

/** A pool of 4 (a non-admin holds 3) and its lane of 2. */
const CONCURRENCY = 4

const held: ServerResponse[] = []
let open = false
const answer = (res: ServerResponse) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}')
const server = answerServer((req, res) => {
  req.resume()
  if (open) answer(res)
  else held.push(res)
})

let t: TestApp
let sleepers: TestUser[]
let carol: TestUser
const long: { user: TestUser; id: number }[] = []

beforeAll(async () => {
  t = await startTestApp({ concurrency: CONCURRENCY })
  sleepers = [await addUser(t, 'sleeper1', { rights: ['scripts'] }), await addUser(t, 'sleeper2', { rights: ['scripts'] })]
  carol = await addUser(t, 'carol')
}, 60_000)

afterAll(async () => {
  open = true
  held.splice(0).forEach(answer)
  for (const { user, id } of long) await user.call('POST', `/api/v1/jobs/${id}/cancel`)
  await t?.close()
}, 60_000)

describe('the newcomer lane: one slot per user, a foreach and its sub-flows counted as the root job’s user', () => {
  it('runs one of the admin’s six calls past the full pool, and still starts carol’s job', async () => {
    for (const user of [...sleepers, ...sleepers]) {
      for (let i = 0; i < 2; i++) {
        const made = await user.call('POST', '/api/v1/jobs', { type: 'script', language: 'shell', code: 'sleep 120' })
        expect(made.status, JSON.stringify(made.body)).toBe(201)
        long.push({ user, id: made.body.id })
      }
    }
    const runningLong = async () => (await Promise.all(long.map(async ({ id }) => (await t.call('GET', `/api/v1/jobs/${id}`)).body.status))).filter((s) => s === 'running').length
    await expect.poll(runningLong, { timeout: 30_000 }).toBe(CONCURRENCY)

    const call = `{category: function, name: f, pattern: task_sync, resourceName: "http://127.0.0.1:${server.port}/hold"}`
    await addFlow({ call: t.call }, 'lane', 'leaf', `workspace: lane\ndagName: leaf\ntype: flow\ntasks:\n  - ${call}\n`)
    await addFlow({ call: t.call }, 'lane', 'fan', foreachDescriptor('lane', 'fan', { tasks: `[${call}]` }))
    await addFlow({ call: t.call }, 'lane', 'subs', foreachDescriptor('lane', 'subs', { tasks: '[{category: function, name: sub, pattern: flow_sync, resourceName: "rillflow://lane:leaf"}]' }))
    const submit = async (name: string) => {
      const r = await t.call('POST', `/flow/submit.json?descriptor_id=lane:${name}`, { items: [1, 2, 3] })
      expect(r.status, JSON.stringify(r.body)).toBe(200)
    }
    // the sub-flows first: their flow_sync tasks hold no slot, so all three start their child, whose
    // calls are the admin's, and one of them takes the admin's lane slot
    await submit('subs')
    await expect.poll(() => t.app.store.db.prepare("SELECT count(*) FROM jobs WHERE parent_job_id IS NOT NULL AND submitter = 'admin'").pluck().get(), { timeout: 10_000 }).toBe(3)
    await expect.poll(() => held.length, { timeout: 10_000 }).toBe(1)
    // then the foreach of calls in one job: they wait for the pool as well
    await submit('fan')
    await new Promise((r) => setTimeout(r, 1000))
    expect(held.length, 'the admin’s calls running past the full pool').toBe(1)

    const made = await carol.call('POST', '/api/v1/jobs', { type: 'script', language: 'sql', code: 'select 1 as x;' })
    expect(made.status, JSON.stringify(made.body)).toBe(201)
    const ended = await waitForStatus(t, made.body.id, ['succeeded', 'failed', 'cancelled'], 10_000)
    expect(ended.status, JSON.stringify(ended)).toBe('succeeded')
    expect(ended.startedAt - ended.createdAt, 'carol’s job waited to start (ms)').toBeLessThan(1000)
    expect(held.length).toBe(1)
    expect(await runningLong()).toBe(CONCURRENCY)
  }, 90_000)
})
