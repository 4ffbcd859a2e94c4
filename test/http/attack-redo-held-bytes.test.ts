// fresh finding (LOW): a redo that re-opens an ended Rill Flow execution is weighed by jobs and tasks
// (Engine.redo's admit) but not by what it holds: the execution's submitted context (counted twice,
// migration 043) and the redo's context patch. Past the user's bound of held work the redo answers
// {"result":"ok"}, then the execution, which was cancelled, ends failed with "JobDesk could not save
// this job's state, so it was stopped: its state would make user alice's unfinished jobs hold 70.1 MiB",
// which reads as JobDesk's fault. Live: 7 redos of cancelled executions of a 3.5 MB context each at
// 40 MiB held: all 7 answered ok, 5 turned from cancelled to failed. A submit of the same context is
// refused at once, 403 naming the bound; a redo should be too, and leave the execution as it was.
import { afterAll, beforeAll, expect, it } from 'vitest'
import { uuidOfExecutionId } from '../../electron/workflows/rillflow/runtime/names'
import { startTestApp, waitForStatus, type TestApp } from '../support/app'
import { addUser, type TestUser } from '../support/users'
import { addFlow, waitingFlow } from '../support/workflows'

const MiB = 1024 * 1024
const BOUND = 4 * MiB
const CONTEXT = `{"items":[${Array.from({ length: 200_000 }, (_, i) => (i % 2 ? '"ab"' : '"cd"')).join(',')}]}` // ~1 MB: counted ~3.1 MiB (twice its 200,000 nodes' weight, quotas.ts heldJsonWeight)
let t: TestApp
let mallory: TestUser
beforeAll(async () => {
  t = await startTestApp({ concurrency: 8, maxHeldWorkPerUser: { bytes: BOUND } })
  mallory = await addUser(t, 'mallory')
}, 60_000)
afterAll(() => t?.close())

it('refuses a redo that would re-open an execution past the bound of held work, naming it, and leaves the execution as it was', { timeout: 60_000 }, async () => {
  await addFlow(mallory, 'mals', 'wait', waitingFlow('mals', 'wait'))
  const submit = () => mallory.call('POST', '/flow/submit.json?descriptor_id=mals:wait', CONTEXT, { 'content-type': 'application/json' })
  const first = await submit()
  expect(first.status, JSON.stringify(first.body)).toBe(200)
  const id = t.app.store.jobs.getByUuid(uuidOfExecutionId(first.body.execution_id))!.id
  expect((await mallory.call('POST', `/api/v1/jobs/${id}/cancel`)).status).toBe(200)
  await waitForStatus(t, id, ['cancelled'])
  const second = await submit() // now holds ~3.1 MiB of the 4 MiB
  expect(second.status, JSON.stringify(second.body)).toBe(200)
  const refused = await submit()
  expect(refused.status).toBe(403) // a submit of the same context is refused at once

  const redo = await mallory.call('POST', `/flow/redo.json?execution_id=${first.body.execution_id}`, {})
  expect(redo.status, JSON.stringify(redo.body)).toBe(403)
  expect(JSON.stringify(redo.body)).toMatch(/a user's unfinished jobs hold at most 4 MiB/)
  await new Promise((ok) => setTimeout(ok, 500))
  expect(t.app.store.jobs.getWithoutState(id)!.status).toBe('cancelled')
  expect(t.app.store.keptBytes.liveStateOf('mallory')).toBeLessThanOrEqual(BOUND)
})
