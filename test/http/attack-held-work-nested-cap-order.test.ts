// Attack (#9), served: the way around weighing nested foreaches at the outer's start
// (runtime/nested-fanout.ts reads the first NESTED_EVALUATIONS = 500 items' inner collections only;
// unit reproduction: test/workflows/attack-nested-fanout-cap-order.test.ts). Bob's outer foreach over
// 500 items with empty inner lists, then 20 items of 100, is accepted at its start (weighed 520 tasks
// against a bound of 2,000) though its groups add 520 + 20 x 100 x 2 = 4,520; its inner foreaches
// start and their groups run until one passes the bound and the job fails midway.
// FAILS on the current code: the job's tasks run past its start (hundreds of rows made, groups run)
// before it fails; expected: refused at its start, the outer foreach its only task row, as
// held-work-foreach-nested.test.ts shows for the first 500 items.
import { afterAll, beforeAll, expect, it } from 'vitest'
import { uuidOfExecutionId } from '../../electron/workflows/rillflow/runtime/names'
import { startTestApp, waitForStatus, type TestApp } from '../support/app'
import { addUser, type TestUser } from '../support/users'
import { addFlow } from '../support/workflows'

const BOUND = { jobs: 10, tasks: 2_000 }
let t: TestApp
let bob: TestUser

const flow =
  'workspace: bobs\ndagName: order\ntype: flow\ntasks:\n  - category: foreach\n    name: fe\n' +
  '    inputMappings: [{target: $.input.items, source: $.context.items}]\n' +
  '    iterationMapping: {collection: $.input.items, item: it}\n    tasks:\n' +
  '      - category: foreach\n        name: in\n        inputMappings: [{target: $.input.list, source: $.context.it.kids}]\n' +
  '        iterationMapping: {collection: $.input.list, item: x}\n        tasks:\n          - {category: pass, name: a, next: b}\n          - {category: pass, name: b}\n'

beforeAll(async () => {
  t = await startTestApp({ concurrency: 8, maxHeldWorkPerUser: BOUND })
  bob = await addUser(t, 'bob')
  await addFlow(bob, 'bobs', 'order', flow)
}, 60_000)
afterAll(() => t?.close())

const range = (n: number) => Array.from({ length: n }, (_, i) => i)
const taskRows = (id: number) => t.app.store.db.prepare<[number], number>('SELECT count(*) FROM tasks WHERE job_id = ?').pluck().get(id)
const succeededRows = (id: number) => t.app.store.db.prepare<[number], number>("SELECT count(*) FROM tasks WHERE job_id = ? AND status = 'succeeded'").pluck().get(id)

it('an outer foreach with its big inner lists after the first 500 items is refused at its start', { timeout: 90_000 }, async () => {
  const items = [...range(500).map(() => ({ kids: [] })), ...range(20).map(() => ({ kids: range(100) }))]
  const r = await bob.call('POST', '/flow/submit.json?descriptor_id=bobs:order', { items })
  expect(r.status, JSON.stringify(r.body).slice(0, 500)).toBe(200)
  const id = t.app.store.jobs.getByUuid(uuidOfExecutionId(r.body.execution_id))!.id
  const job = await waitForStatus(t, id, ['failed', 'succeeded'], 60_000)
  console.log(`status ${job.status}; ${taskRows(id)} task rows, ${succeededRows(id)} succeeded; error: ${String(job.error).slice(0, 300)}`)
  expect(job.status).toBe('failed')
  expect(taskRows(id)).toBe(1)
})
