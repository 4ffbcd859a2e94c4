// newuser trial (H2): a foreach over more items than a user's bound of held tasks was accepted and
// started its groups in batches: 130,000 items against 120,000 tasks built 119,977 tasks and ran 1,219
// items (real calls, for function tasks) over 32 s before it failed "its fan-out would add 25 tasks…".
// A foreach's whole fan-out (its items × its group's tasks) is known at its start: weighed then, one that
// cannot fit runs none of its groups, and the reason names its whole size.
import { afterAll, beforeAll, expect, it } from 'vitest'
import { uuidOfExecutionId } from '../../electron/workflows/rillflow/runtime/names'
import { startTestApp, waitForStatus, type TestApp } from '../support/app'
import { addUser, type TestUser } from '../support/users'
import { addFlow, foreachWorkflow } from '../support/workflows'

const BOUND = { jobs: 10, tasks: 1_000 }
let t: TestApp
let bob: TestUser
beforeAll(async () => {
  t = await startTestApp({ concurrency: 8, maxHeldWorkPerUser: BOUND })
  bob = await addUser(t, 'bob')
  await addFlow(bob, 'bobs', 'wide', foreachWorkflow('bobs:wide', '      - {category: pass, name: a, next: b}\n      - {category: pass, name: b}\n'))
}, 60_000)
afterAll(() => t?.close())

const submit = async (items: number) => {
  const r = await bob.call('POST', '/flow/submit.json?descriptor_id=bobs:wide', { items: Array.from({ length: items }, (_, i) => i) })
  expect(r.status, JSON.stringify(r.body)).toBe(200)
  return t.app.store.jobs.getByUuid(uuidOfExecutionId(r.body.execution_id))!.id
}
const taskRows = (id: number) => t.app.store.db.prepare<[number], number>('SELECT count(*) FROM tasks WHERE job_id = ?').pluck().get(id)

it('refuses at its start a foreach whose groups cannot all fit the bound of held tasks: none of them runs', { timeout: 60_000 }, async () => {
  const id = await submit(750) // 1,500 tasks in its groups, past 1,000
  const ended = await waitForStatus(t, id, ['failed', 'succeeded'])
  expect(ended.status).toBe('failed')
  expect(ended.error).toMatch(/its fan-out would add 1,500 tasks to the 1 that user bob's 1 unfinished job holds; a user's unfinished jobs hold at most 1,000 tasks/)
  expect(taskRows(id)).toBe(1) // the foreach alone: no group was made, none ran
})

it('takes a foreach whose groups fit, whole', { timeout: 60_000 }, async () => {
  const id = await submit(499) // 998 tasks and the foreach: 999
  expect((await waitForStatus(t, id, ['failed', 'succeeded'])).status).toBe('succeeded')
  expect(taskRows(id)).toBe(999)
})
