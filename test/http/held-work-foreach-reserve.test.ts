// A foreach accepted at its start reserves its room (#9, attacker's atk:attack-foreach-whole-race): roomFor
// weighed a foreach's whole fan-out against what its user held at that moment but reserved nothing, so a
// throttled foreach (synchronization.maxConcurrency), adding its groups' tasks a few at a time, let a
// second one of the same user pass the same check; together they passed the bound, and the one that
// reached it was failed midway ("its fan-out would add ...") after hundreds of its groups ran.
// Expected: each foreach either runs whole or runs none of its groups (the second is refused at its start).
import { afterAll, beforeAll, expect, it } from 'vitest'
import type { ActiveJobs } from '../../electron/engine/active-jobs'
import { uuidOfExecutionId } from '../../electron/workflows/rillflow/runtime/names'
import { startTestApp, waitForStatus, type TestApp } from '../support/app'
import { addUser, callAs, signIn, type TestUser } from '../support/users'
import { tempDir } from '../support/temp-store'
import { until } from '../support/until'
import { addFlow, foreachWorkflow, HOLD_TASK } from '../support/workflows'

const BOUND = { jobs: 10, tasks: 1_000 }
/** Items of each foreach: one fits the bound (600 + its own task), two do not (1,202). */
const ITEMS = 600
const dir = tempDir()
const start = () => startTestApp({ concurrency: 8, dataDir: dir, maxHeldWorkPerUser: BOUND })
let t: TestApp
let bob: TestUser
beforeAll(async () => {
  t = await start()
  bob = await addUser(t, 'bob')
  await addFlow(bob, 'bobs', 'slow', foreachWorkflow('bobs:slow', '      - {category: pass, name: a}\n', 1))
  await addFlow(bob, 'bobs', 'held', foreachWorkflow('bobs:held', HOLD_TASK, 1))
}, 60_000)
afterAll(() => t?.close())

const submit = async () => {
  const r = await bob.call('POST', '/flow/submit.json?descriptor_id=bobs:slow', { items: Array.from({ length: ITEMS }, (_, i) => i) })
  expect(r.status, JSON.stringify(r.body)).toBe(200)
  return t.app.store.jobs.getByUuid(uuidOfExecutionId(r.body.execution_id))!.id
}
const taskRows = (id: number) => t.app.store.db.prepare<[number], number>('SELECT count(*) FROM tasks WHERE job_id = ?').pluck().get(id)!

// found by the attacker on 8eff8e3d at load 15 (it.fails there): both accepted and planned; one succeeded (601 task rows), the
// other was failed "its fan-out would add 1 task to the 1,000 …" with 500 task rows: 499 of its groups ran
it('two throttled foreaches whose fan-outs together pass the bound: each runs whole or none of its groups', { timeout: 120_000 }, async () => {
  const [a, b] = await Promise.all([submit(), submit()])
  const ends = [await waitForStatus(t, a, ['failed', 'succeeded'], 90_000), await waitForStatus(t, b, ['failed', 'succeeded'], 90_000)]
  const rows = [taskRows(a), taskRows(b)]
  console.log(`two foreaches of ${ITEMS} (bound ${BOUND.tasks} tasks): ${ends.map((e, i) => `${e.status} with ${rows[i]} task rows${e.error ? ` (${String(e.error).slice(0, 160)})` : ''}`).join('; ')}`)
  for (let i = 0; i < 2; i++) {
    if (ends[i].status === 'failed') {
      expect(rows[i], `a failed foreach ran ${rows[i] - 1} of its groups`).toBe(1)
      // refused at its start, weighed with the other's reservation: the bound is named
      expect(String(ends[i].error)).toMatch(/would add 600 tasks to the .* hold at most 1,000 tasks in 10 jobs/)
    } else expect(rows[i]).toBe(ITEMS + 1)
  }
})

/** What bob's live jobs hold now, reservations included (the count every submit and fan-out is weighed against). */
const held = () => (t.app.engine as unknown as { active: ActiveJobs }).active.heldBy('bob')

it('a reservation is drawn down as groups start, made again at a restart, released at cancel, and made anew by a redo', { timeout: 120_000 }, async () => {
  // 10 groups of one waiting task, one at a time: the foreach and group 0's task, 9 groups' tasks reserved
  const r = await bob.call('POST', '/flow/submit.json?descriptor_id=bobs:held', { items: Array.from({ length: 10 }, (_, i) => i) })
  expect(r.status, JSON.stringify(r.body)).toBe(200)
  const id = uuidOfExecutionId(r.body.execution_id)
  const job = () => t.app.store.jobs.getByUuid(id)!
  await until(() => taskRows(job().id), (n) => n === 2, 'group 0 started')
  expect(held()).toEqual({ jobs: 1, tasks: 11 })
  // group 0 woken: group 1's task is drawn from the reservation, the count stays
  const woken = await bob.call('POST', `/flow/wakeup.json?execution_id=${encodeURIComponent(r.body.execution_id)}&task_name=each_0-hold`, { go: true })
  expect(woken.status, JSON.stringify(woken.body)).toBe(200)
  await until(() => taskRows(job().id), (n) => n === 3, 'group 1 started')
  expect(held()).toEqual({ jobs: 1, tasks: 11 })

  await t.app.close() // as at a quit: the next start makes the running foreach's reservation again
  t = await start()
  await until(held, (h) => h.tasks === 11, 'the reservation made again')
  expect(held()).toEqual({ jobs: 1, tasks: 11 })

  const again = callAs(t, await signIn(t, 'bob', bob.password))
  expect((await again('POST', `/api/v1/jobs/${job().id}/cancel`)).status).toBe(200)
  await waitForStatus(t, job().id, ['cancelled'], 30_000)
  expect(held()).toEqual({ jobs: 0, tasks: 0 })

  // a redo re-opens it: the foreach is planned again and reserves its groups again, not twice
  const redo = await again('POST', `/flow/redo.json?execution_id=${encodeURIComponent(r.body.execution_id)}`, {})
  expect(redo.status, JSON.stringify(redo.body)).toBe(200)
  await until(() => [taskRows(job().id), held().tasks], ([n, h]) => n === 2 && h === 11, 'the redo planned again')
  expect(held()).toEqual({ jobs: 1, tasks: 11 })
  expect((await again('POST', `/api/v1/jobs/${job().id}/cancel`)).status).toBe(200)
  await waitForStatus(t, job().id, ['cancelled'], 30_000)
  expect(held()).toEqual({ jobs: 0, tasks: 0 })
})
