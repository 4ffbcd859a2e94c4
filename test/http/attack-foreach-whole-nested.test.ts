// Attack (atk, #9 §2, cb79e6ad "a foreach refused whole at its start"): roomFor weighs a foreach's
// items x its group's top tasks; a group whose task is itself a foreach counts as one task, and the
// inner foreach is weighed only when it starts (groups.ts says so). A foreach of 40 items, each an inner
// foreach of 40, is 1,641 tasks against a bound of 1,000: the outer passes its start check (40), the
// inner ones pass theirs one by one until the bound is reached, and the job is failed midway after
// many of its groups ran. Expected: a job refused at its start runs none of its groups.
import { afterAll, beforeAll, expect, it } from 'vitest'
import { uuidOfExecutionId } from '../../electron/workflows/rillflow/runtime/names'
import { startTestApp, waitForStatus, type TestApp } from '../support/app'
import { addUser, type TestUser } from '../support/users'
import { addFlow, foreachWorkflow } from '../support/workflows'

const BOUND = { jobs: 10, tasks: 1_000 }
const OUTER = 40
const INNER = 40
let t: TestApp
let bob: TestUser
beforeAll(async () => {
  t = await startTestApp({ concurrency: 8, maxHeldWorkPerUser: BOUND })
  bob = await addUser(t, 'bob')
  const inner =
    '      - category: foreach\n        name: inner\n        inputMappings: [{source: $.context.it, target: $.input.items}]\n' +
    '        iterationMapping: {collection: $.input.items, item: x}\n        tasks:\n          - {category: pass, name: p}\n'
  await addFlow(bob, 'bobs', 'nest', foreachWorkflow('bobs:nest', inner))
}, 60_000)
afterAll(() => t?.close())

const taskRows = (id: number) => t.app.store.db.prepare<[number], number>('SELECT count(*) FROM tasks WHERE job_id = ?').pluck().get(id)!
const passesRun = (id: number) => t.app.store.db.prepare<[number], number>("SELECT count(*) FROM tasks WHERE job_id = ? AND status = 'succeeded' AND name LIKE '%-p'").pluck().get(id)!

// it.fails: found on 8eff8e3d at load 17: failed "its fan-out would add 25 tasks to the 991 …" after
// 991 task rows were made and 10 inner tasks ran
it.fails('a foreach of foreaches whose whole fan-out cannot fit the bound runs none of its groups', { timeout: 120_000 }, async () => {
  const items = Array.from({ length: OUTER }, () => Array.from({ length: INNER }, (_, j) => j))
  const r = await bob.call('POST', '/flow/submit.json?descriptor_id=bobs:nest', { items })
  expect(r.status, JSON.stringify(r.body)).toBe(200)
  const id = t.app.store.jobs.getByUuid(uuidOfExecutionId(r.body.execution_id))!.id
  const ended = await waitForStatus(t, id, ['failed', 'succeeded'], 90_000)
  console.log(`foreach of ${OUTER} x ${INNER} (bound ${BOUND.tasks} tasks): ${ended.status}, ${taskRows(id)} task rows, ${passesRun(id)} inner tasks ran; ${String(ended.error).slice(0, 200)}`)
  expect(ended.status).toBe('failed')
  expect(passesRun(id), 'inner tasks that ran before the refusal').toBe(0)
})
