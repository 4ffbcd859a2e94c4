// What a user's unfinished jobs hold in memory is bounded in bytes of their stored state too
// (shared/quotas.ts MAX_HELD_WORK_PER_USER.bytes; atk18: 10,001 waiting tasks each mapping a list of
// 2,000 small objects held 1.25 GiB of heap within the bounds of jobs and tasks). A running job whose
// writes take its user's unfinished jobs past it is failed naming the bound, and its room comes back
// as it ends; a submit is refused in every dialect's envelope while they hold it. Jobs stored past it
// before (here: a restart with a lower bound) are recovered as they are. Admins are exempt.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { uuidOfExecutionId } from '../../electron/workflows/rillflow/runtime/names'
import { startTestApp, waitForStatus, type TestApp } from '../support/app'
import { expectSubmitRefused, SELECT_ONE } from '../support/submit-refusals'
import { tempDir } from '../support/temp-store'
import { addUser, callAs, signIn, type TestUser } from '../support/users'

const MiB = 1024 * 1024
const BLOB = 'x'.repeat(20_000)
const dir = tempDir()
let t: TestApp
let eve: TestUser
const start = (bytes: number) => startTestApp({ concurrency: 8, dataDir: dir, maxHeldWorkPerUser: { bytes } })
beforeAll(async () => {
  t = await start(1 * MiB)
  eve = await addUser(t, 'eve')
}, 60_000)
afterAll(() => t?.close())

/** A foreach whose groups' suspense task each maps the execution's `blob` into its input, and waits. */
const fan = (ws: string) =>
  `workspace: ${ws}\ndagName: fan\ntype: flow\ntasks:\n  - category: foreach\n    name: fe\n    inputMappings: [{target: $.input.items, source: $.context.items}, {target: $.input.blob, source: $.context.blob}]\n    iterationMapping: {collection: $.input.items, item: it}\n    tasks:\n` +
  '      - {category: suspense, name: w, conditions: ["$.input.[?(@.go == true)]"], inputMappings: [{source: $.context.go, target: $.input.go}, {source: $.context.blob, target: $.input.blob}]}\n'
const submitFan = async (user: Pick<TestUser, 'call'>, ws: string, items: number) => {
  const added = await user.call('POST', `/flow/bg/manage/descriptor/add_descriptor.json?business_id=${ws}&feature_name=fan&alias=release`, fan(ws), { 'content-type': 'text/plain' })
  expect(added.status, JSON.stringify(added.body)).toBe(200)
  const r = await user.call('POST', `/flow/submit.json?descriptor_id=${ws}:fan`, { items: Array.from({ length: items }, (_, i) => i), blob: BLOB })
  expect(r.status, JSON.stringify(r.body)).toBe(200)
  return t.app.store.jobs.getByUuid(uuidOfExecutionId(r.body.execution_id))!.id
}
const waitingTasks = (jobId: number) => t.app.store.db.prepare<[number], number>("SELECT count(*) FROM tasks WHERE job_id = ? AND status = 'running'").pluck().get(jobId)!
const untilWaiting = async (jobId: number, tasks: number) => {
  const end = Date.now() + 30_000
  while (waitingTasks(jobId) < tasks) {
    if (Date.now() > end) throw new Error(`job ${jobId}'s tasks did not all wait`)
    await new Promise((ok) => setTimeout(ok, 50))
  }
}
const live = (user: string) => t.app.store.keptBytes.liveStateOf(user)
const inputBytes = (jobId: number) => t.app.store.db.prepare<[number], number>('SELECT input_bytes FROM jobs WHERE id = ?').pluck().get(jobId)!

describe('the bytes of state a user\'s unfinished jobs hold', () => {
  let waiting = 0
  it('fails a running job whose writes pass the bound, naming it, and frees its room; one within it is taken; an admin\'s is not cut', { timeout: 90_000 }, async () => {
    const errors = vi.spyOn(console, 'error')
    try {
      const over = await submitFan(eve, 'eves', 100) // 100 inputs of 20,000 characters: ~2 MB
      const ended = await waitForStatus(t, over, ['failed', 'succeeded', 'cancelled'])
      expect(ended.status).toBe('failed')
      expect(t.app.store.jobs.getWithoutState(over)!.error).toMatch(
        /^JobDesk could not save this job's state, so it was stopped: its state would make user eve's unfinished jobs hold [\d.]+ MiB \(submitted contexts and code, tasks' inputs and outputs, contexts and sub-contexts\), and a user's unfinished jobs hold at most 1 MiB of it, so this job was stopped/,
      )
      expect(errors.mock.calls.filter((c) => String(c[0]).includes('unexpected error'))).toEqual([]) // a quota, not a fault
    } finally {
      errors.mockRestore()
    }
    expect(live('eve')).toBe(0) // its end freed its room

    waiting = await submitFan(eve, 'eves', 10) // ~200 KB: within
    await untilWaiting(waiting, 11)
    expect(live('eve')).toBeGreaterThan(10 * BLOB.length)
    // its state and its submitted context, held twice (migration 043), and what its state's small maps weigh
    // past their characters (runtimes, a context's and sub-contexts' keys: migrations 046, 048), a few hundred bytes
    const weight = t.app.store.db.prepare<[number], number>('SELECT state_weight FROM jobs WHERE id = ?').pluck().get(waiting)!
    expect(weight).toBeLessThan(2_000)
    expect(live('eve')).toBe(t.app.store.keptBytes.stateOfJob(waiting) + weight + 2 * inputBytes(waiting))

    const admins = await submitFan(t, 'admins', 100)
    await untilWaiting(admins, 101)
    expect((await t.call('POST', `/api/v1/jobs/${admins}/cancel`)).status).toBe(200)
  })

  it('recovers a job stored past the bound as it is, and refuses her submits in every envelope until it ends', { timeout: 120_000 }, async () => {
    const held = live('eve')
    const bound = Math.floor(held / 2)
    await t.app.close() // as at a quit; the next start has a bound half what she holds
    t = await start(bound)
    await untilWaiting(waiting, 11)
    expect(t.app.store.jobs.getWithoutState(waiting)!.status).toBe('running')
    expect(live('eve')).toBe(held)

    const again = await signIn(t, 'eve', eve.password)
    const eveNow: TestUser = { ...eve, token: again, call: callAs(t, again) }
    const words = new RegExp(`^user eve has 1 unfinished job \\(queued, running or waiting\\) holding [\\d,.]+ (bytes|MiB) \\(submitted contexts and code, tasks' inputs and outputs, contexts and sub-contexts\\); a user's unfinished jobs hold at most [\\d,.]+ (bytes|MiB) of it: cancel some, or wait for some to finish$`)
    await expectSubmitRefused(t, eveNow, { code: 'too_much_unfinished_work', words })
    expect((await t.call('POST', '/api/v1/jobs', SELECT_ONE)).status).toBe(201) // admins are exempt

    expect((await eveNow.call('POST', `/api/v1/jobs/${waiting}/cancel`)).status).toBe(200)
    await waitForStatus(t, waiting, ['cancelled'])
    expect(live('eve')).toBe(0)
    expect((await eveNow.call('POST', '/api/v1/jobs', SELECT_ONE)).status).toBe(201)
  })
})
