// What a user's unfinished jobs (queued, running or waiting) hold in the engine's memory is bounded,
// in jobs and in tasks (shared/quotas.ts MAX_HELD_WORK_PER_USER; atk15: 300 waiting executions of 500
// suspense tasks held 180 MiB). Past it a submit through any dialect is refused with a 403 in that
// dialect's envelope naming the counts and the bound, nothing stored; so is a sub-flow start, and a
// redo that would re-open an ended job; a running foreach whose fan-out would pass it adds nothing and
// fails with the reason (atk17). A job that ends frees its room at once, admins and other users are unaffected, and the count is right
// again after a restart (recovery makes the waiting jobs live again). The app here has a small bound.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { uuidOfExecutionId } from '../../electron/workflows/rillflow/runtime/names'
import { startTestApp, waitForStatus, type TestApp } from '../support/app'
import { waitingJobs } from '../support/waiting-jobs'
import { expectSubmitRefused, SELECT_ONE } from '../support/submit-refusals'
import { tempDir } from '../support/temp-store'
import { addUser, callAs, signIn, type TestUser } from '../support/users'

const BOUND = { jobs: 3, tasks: 8 }
const dir = tempDir()
let t: TestApp
let eve: TestUser
let bob: TestUser
let carol: TestUser
// a non-admin's share is then 6 slots (fair-queue.ts): eve's waiting jobs leave her room to run SQL
const start = () => startTestApp({ concurrency: 8, dataDir: dir, maxHeldWorkPerUser: BOUND })
beforeAll(async () => {
  t = await start()
  eve = await addUser(t, 'eve')
  bob = await addUser(t, 'bob')
  carol = await addUser(t, 'carol')
}, 60_000)
afterAll(() => t?.close())

/** `n` jobs of `submitter` of one task each that wait ten minutes, through the engine as every dialect's submit is. */
const waiting = (submitter: string, n: number) => waitingJobs(t.app.engine, submitter, n)
const ADD = '/flow/bg/manage/descriptor/add_descriptor.json'
/** A descriptor of `n` suspense tasks that wait for a wakeup that never comes. */
const suspenses = (ws: string, name: string, n: number) =>
  `workspace: ${ws}\ndagName: ${name}\ntype: flow\ntasks:\n${Array.from({ length: n }, (_, i) => `  - {category: suspense, name: w${i}, conditions: ["$.input.[?(@.go == true)]"], inputMappings: [{source: $.context.go, target: $.input.go}]}`).join('\n')}\n`
const addDescriptor = async (user: Pick<TestUser, 'call'>, ws: string, name: string, text: string) => {
  const r = await user.call('POST', `${ADD}?business_id=${ws}&feature_name=${name}&alias=release`, text, { 'content-type': 'text/plain' })
  expect(r.status, JSON.stringify(r.body)).toBe(200)
}
const jobOf = (executionId: string) => t.app.store.jobs.getByUuid(uuidOfExecutionId(executionId))!
/** Waits until every task of the execution's job waits (a suspense task runs without an executor). */
const untilWaiting = async (jobId: number, tasks: number) => {
  const end = Date.now() + 30_000
  while (t.app.store.db.prepare<[number], number>("SELECT count(*) FROM tasks WHERE job_id = ? AND status = 'running'").pluck().get(jobId)! < tasks) {
    if (Date.now() > end) throw new Error(`job ${jobId}'s tasks did not all wait`)
    await new Promise((ok) => setTimeout(ok, 50))
  }
}

describe('unfinished jobs a user holds in memory', () => {
  let eves: number[] = []
  it('refuses a user at the bound of jobs in the native, Linkis and Rill Flow envelopes, storing nothing', { timeout: 60_000 }, async () => {
    eves = waiting('eve', BOUND.jobs).map((j) => j.id) // exactly the bound: taken
    const words = /user eve has 3 unfinished jobs \(queued, running or waiting\) holding 3 tasks, and this would add a job of 1 task; a user's unfinished jobs hold at most 8 tasks in 3 jobs: cancel some, or wait for some to finish/
    await expectSubmitRefused(t, eve, { code: 'too_much_unfinished_work', words })
  })

  it('leaves other users and admins alone', { timeout: 60_000 }, async () => {
    expect((await bob.call('POST', '/api/v1/jobs', SELECT_ONE)).status).toBe(201)
    const admins = waiting('admin', BOUND.jobs + 5)
    expect((await t.call('POST', '/api/v1/jobs', SELECT_ONE)).status).toBe(201)
    for (const j of admins) t.app.engine.cancel(j.id) // they filled the pool
  })

  it('gives the room back at once when a job is cancelled or finishes', { timeout: 60_000 }, async () => {
    expect((await eve.call('POST', `/api/v1/jobs/${eves[0]}/cancel`)).status).toBe(200)
    const taken = await eve.call('POST', '/api/v1/jobs', SELECT_ONE) // 2 waiting and this one: the bound
    expect(taken.status).toBe(201)
    await waitForStatus(t, taken.body.id, ['succeeded'])
    expect((await eve.call('POST', '/api/v1/jobs', SELECT_ONE)).status).toBe(201) // its end freed its room
  })

  let held = ''
  it('counts tasks: a Rill Flow submit or a sub-flow start past the bound of tasks is refused', { timeout: 60_000 }, async () => {
    await addDescriptor(carol, 'carols', 'five', suspenses('carols', 'five', 5))
    const first = await carol.call('POST', '/flow/submit.json?descriptor_id=carols:five', {})
    expect(first.status, JSON.stringify(first.body)).toBe(200)
    held = first.body.execution_id
    await untilWaiting(jobOf(held).id, 5)

    // a caller of one task is taken (6 tasks held), and its sub-flow of five (11) is not: the task fails naming why
    await addDescriptor(carol, 'carols', 'caller', 'workspace: carols\ndagName: caller\ntype: flow\ntasks:\n  - {category: function, name: call, resourceName: "rillflow://carols:five", pattern: flow_sync}\n')
    const caller = await carol.call('POST', '/flow/submit.json?descriptor_id=carols:caller', {})
    expect(caller.status, JSON.stringify(caller.body)).toBe(200)
    const callerJob = jobOf(caller.body.execution_id)
    await waitForStatus(t, callerJob.id, ['failed'])
    expect(t.app.store.jobs.task(callerJob.id, 'call')!.error).toMatch(/user carol has 2 unfinished jobs .* holding 6 tasks, and this would add a job of 5 tasks; .* at most 8 tasks/)

    const second = await carol.call('POST', '/flow/submit.json?descriptor_id=carols:five', {})
    expect(second.status).toBe(403)
    expect(second.body.error).toMatch(/user carol has 1 unfinished job \(queued, running or waiting\) holding 5 tasks, and this would add a job of 5 tasks/)
  })

  it('fails a running job whose foreach fans out past the bound of tasks, adding nothing more, and frees its room; a fan-out within it is taken, an admin\'s is not cut', { timeout: 60_000 }, async () => {
    const dave = await addUser(t, 'dave')
    const fanOf = (ws: string) =>
      `workspace: ${ws}\ndagName: fan\ntype: flow\ntasks:\n  - category: foreach\n    name: fe\n    inputMappings: [{target: $.input.items, source: $.context.items}]\n    iterationMapping: {collection: $.input.items, item: it}\n    tasks:\n` +
      '      - {category: suspense, name: w, conditions: ["$.input.[?(@.go == true)]"], inputMappings: [{source: $.context.go, target: $.input.go}]}\n'
    await addDescriptor(dave, 'daves', 'fan', fanOf('daves'))
    const items = (n: number) => ({ items: Array.from({ length: n }, (_, i) => i) })
    const errors = vi.spyOn(console, 'error')
    try {
      // the foreach and its ten groups' tasks would hold 11, past the bound of 8: none is added, the job fails saying why
      const fan = await dave.call('POST', '/flow/submit.json?descriptor_id=daves:fan', items(10))
      expect(fan.status, JSON.stringify(fan.body)).toBe(200)
      const job = jobOf(fan.body.execution_id)
      const ended = await waitForStatus(t, job.id, ['failed', 'succeeded', 'cancelled'])
      expect(ended.status).toBe('failed')
      expect(t.app.store.jobs.get(job.id)!.error).toMatch(
        /its fan-out would add 10 tasks to the 1 that user dave's 1 unfinished job holds; a user's unfinished jobs hold at most 8 tasks in 3 jobs, so this job was stopped/,
      )
      expect(t.app.store.db.prepare<[number], number>('SELECT count(*) FROM tasks WHERE job_id = ?').pluck().get(job.id)).toBe(1)
      expect(errors.mock.calls.filter((c) => String(c[0]).includes('unexpected error'))).toEqual([]) // a quota, not a fault
    } finally {
      errors.mockRestore()
    }

    // its room is free again: a fan-out within the bound (1 + 7 tasks) is taken whole, and counted
    const within = await dave.call('POST', '/flow/submit.json?descriptor_id=daves:fan', items(7))
    expect(within.status, JSON.stringify(within.body)).toBe(200)
    await untilWaiting(jobOf(within.body.execution_id).id, 8)
    const next = await dave.call('POST', '/api/v1/jobs', SELECT_ONE)
    expect(next.status).toBe(403)
    expect(next.body.error.message).toMatch(/user dave has 1 unfinished job .* holding 8 tasks/)
    expect((await dave.call('POST', `/api/v1/jobs/${jobOf(within.body.execution_id).id}/cancel`)).status).toBe(200)

    // an admin's fan-out past the bound is not cut
    await addDescriptor(t, 'admins', 'fan', fanOf('admins'))
    const admins = await t.call('POST', '/flow/submit.json?descriptor_id=admins:fan', items(10))
    expect(admins.status, JSON.stringify(admins.body)).toBe(200)
    await untilWaiting(jobOf(admins.body.execution_id).id, 11)
    expect((await t.call('POST', `/api/v1/jobs/${jobOf(admins.body.execution_id).id}/cancel`)).status).toBe(200)
  })

  it('keeps the count across a restart: the waiting execution holds its room until cancelled; a redo re-opening one is weighed', { timeout: 90_000 }, async () => {
    await t.app.close() // as at a quit: the data folder stays, and the next start takes the waiting jobs up
    t = await start()
    const again = callAs(t, await signIn(t, 'carol', carol.password))
    const refused = await again('POST', '/flow/submit.json?descriptor_id=carols:five', {})
    expect(refused.status).toBe(403)
    expect(refused.body.error).toMatch(/user carol has 1 unfinished job .* holding 5 tasks/)

    expect((await again('POST', `/api/v1/jobs/${jobOf(held).id}/cancel`)).status).toBe(200)
    const taken = await again('POST', '/flow/submit.json?descriptor_id=carols:five', {})
    expect(taken.status, JSON.stringify(taken.body)).toBe(200)

    // a redo that re-opens the cancelled one would hold its five tasks again beside these five: refused, left as it was
    const redo = await again('POST', `/flow/redo.json?execution_id=${encodeURIComponent(held)}`, {})
    expect(redo.status).toBe(403)
    expect(redo.body.error).toMatch(/user carol has 1 unfinished job .* holding 5 tasks, and this would add a job of 5 tasks/)
    expect(jobOf(held).status).toBe('cancelled')
  })
})
