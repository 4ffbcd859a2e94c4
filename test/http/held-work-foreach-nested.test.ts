// issue #9 (open, LOW): a nested foreach was weighed whole at the outer foreach's start as ONE task per
// group, its own groups weighed only as each inner foreach started. 40 x 40 x 2 against a bound of 1,000
// held tasks started inner foreaches until one failed "its fan-out would add 80 tasks" (the old batch
// behaviour): their groups' tasks (real calls, for function tasks) ran, work the user did not want done
// half. An inner collection known from the outer's input (its context, or the outer's item) is weighed
// at the outer's start now, counted without being built; one that comes from a task's output cannot be
// known then, and is weighed as its foreach starts, as before.
import { afterAll, beforeAll, expect, it } from 'vitest'
import { uuidOfExecutionId } from '../../electron/workflows/rillflow/runtime/names'
import { startTestApp, waitForStatus, type TestApp } from '../support/app'
import { addUser, type TestUser } from '../support/users'
import { addFlow } from '../support/workflows'

const BOUND = { jobs: 10, tasks: 1_000 }
let t: TestApp
let bob: TestUser

/** An outer foreach `fe` over `$.context.items` (item `it`) whose groups run `group` (task entries at its task indent). */
const outer = (dagName: string, group: string) =>
  `workspace: bobs\ndagName: ${dagName}\ntype: flow\ntasks:\n  - category: foreach\n    name: fe\n` +
  '    inputMappings: [{target: $.input.items, source: $.context.items}, {target: $.input.inner, source: $.context.inner}]\n' +
  `    iterationMapping: {collection: $.input.items, item: it}\n    tasks:\n${group}`
/** An inner foreach `in` over what `source` reads from its group's sub-context, of two pass tasks. */
const inner = (source: string, extra = '') =>
  `      - category: foreach\n        name: in\n${extra}        inputMappings: [{target: $.input.list, source: ${source}}]\n` +
  '        iterationMapping: {collection: $.input.list, item: x}\n        tasks:\n          - {category: pass, name: a, next: b}\n          - {category: pass, name: b}\n'

beforeAll(async () => {
  t = await startTestApp({ concurrency: 8, maxHeldWorkPerUser: BOUND })
  bob = await addUser(t, 'bob')
  await addFlow(bob, 'bobs', 'ctx', outer('ctx', inner('$.context.inner')))
  await addFlow(bob, 'bobs', 'item', outer('item', inner('$.context.it.kids')))
  // the inner collection is a pass task's output, written into the group's context: not known at the start
  const made = '      - {category: pass, name: mk, next: in, inputMappings: [{target: $.input.l, source: $.context.inner}], outputMappings: [{target: $.context.made, source: $.output.l}]}\n'
  await addFlow(bob, 'bobs', 'made', outer('made', made + inner('$.context.made')))
}, 60_000)
afterAll(() => t?.close())

const submit = async (flow: string, context: unknown) => {
  const r = await bob.call('POST', `/flow/submit.json?descriptor_id=bobs:${flow}`, context)
  expect(r.status, JSON.stringify(r.body).slice(0, 500)).toBe(200)
  return t.app.store.jobs.getByUuid(uuidOfExecutionId(r.body.execution_id))!.id
}
const range = (n: number) => Array.from({ length: n }, (_, i) => i)
const taskRows = (id: number) => t.app.store.db.prepare<[number], number>('SELECT count(*) FROM tasks WHERE job_id = ?').pluck().get(id)
const ended = async (id: number) => waitForStatus(t, id, ['failed', 'succeeded'], 60_000)

it('refuses at its start an outer foreach whose inner ones, known from its context, cannot all fit: no group runs', { timeout: 60_000 }, async () => {
  const id = await submit('ctx', { items: range(40), inner: range(40) }) // 40 inner foreaches + 40 x 40 x 2 = 3,240 tasks
  const job = await ended(id)
  expect(job.status).toBe('failed')
  expect(job.error).toMatch(/its fan-out would add 3,240 tasks: 40 items x 1 task \+ 40 items x 40 items x 2 tasks, to the 1 that user bob's 1 unfinished job holds; a user's unfinished jobs hold at most 1,000 tasks/)
  expect(taskRows(id)).toBe(1) // the outer foreach alone: no group was made, none ran
})

it('refuses at its start inner collections read from each item, counted item by item', { timeout: 60_000 }, async () => {
  const id = await submit('item', { items: range(40).map(() => ({ kids: range(40) })) })
  const job = await ended(id)
  expect(job.status).toBe('failed')
  expect(job.error).toMatch(/its fan-out would add at least 1,\d{3} tasks: 40 items x 1 task \+ [\d,]+ tasks in the groups of foreach in, whose collections vary by item, to the 1 that/)
  expect(taskRows(id)).toBe(1)
})

it('takes nested foreaches that fit, whole', { timeout: 60_000 }, async () => {
  const id = await submit('ctx', { items: range(10), inner: range(10) }) // 10 + 10 x 10 x 2 = 210 tasks and the outer foreach
  expect((await ended(id)).status).toBe('succeeded')
  expect(taskRows(id)).toBe(211)
  const byItem = await submit('item', { items: [{ kids: range(5) }, { kids: [] }, { kids: range(20) }] }) // 3 + 25 x 2
  expect((await ended(byItem)).status).toBe('succeeded')
  expect(taskRows(byItem)).toBe(1 + 3 + 50)
})

it('weighs an inner collection made by a task of the group as its foreach starts, as before', { timeout: 60_000 }, async () => {
  const id = await submit('made', { items: range(40), inner: range(40) })
  const job = await ended(id)
  expect(job.status).toBe('failed')
  expect(job.error).toMatch(/its fan-out would add \d+ tasks to the/) // a batch of groups, or an inner foreach, as each starts
  expect(taskRows(id)).toBeGreaterThan(1)
})

it('refuses a foreach over 100,000 items nested in one at once, by counting, not building', { timeout: 60_000 }, async () => {
  const started = Date.now()
  // (its sub-contexts' size bound keeps a 100,000 x 100,000 nest from getting here: refused before)
  const id = await submit('ctx', { items: range(10), inner: range(100_000) })
  const job = await ended(id)
  expect(job.status).toBe('failed')
  expect(job.error).toMatch(/would add 2,000,010 tasks: 10 items x 1 task \+ 10 items x 100,000 items x 2 tasks,/)
  expect(taskRows(id)).toBe(1)
  expect(Date.now() - started).toBeLessThan(20_000)
})
