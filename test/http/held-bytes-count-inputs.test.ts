// What a user's unfinished jobs hold counts their submitted contexts (migration 043). Found (heap19):
// 90 waiting Rill Flow executions of a 1 MB context each were all accepted with 0.0 MiB counted
// against the 64 MiB bound and held +702 MiB of heap: the context is stored as the job's input, which
// jobs.state_bytes left out. Here the bound is 4 MiB and each execution waits with a 1 MB context:
// the count follows the contexts (twice: an execution holds its context as its input and as the
// context its tasks write into), and past the bound her executions are refused at submit (weighed
// before they are stored), or failed naming it, so she never holds more than the bound and one execution.
import { afterAll, beforeAll, expect, it } from 'vitest'
import { uuidOfExecutionId } from '../../electron/workflows/rillflow/runtime/names'
import { startTestApp, waitForStatus, type TestApp } from '../support/app'
import { addUser, type TestUser } from '../support/users'
import { addFlow, waitingFlow } from '../support/workflows'

const MiB = 1024 * 1024
const BOUND = 4 * MiB
const CONTEXT = `{"items":[${Array.from({ length: 250_000 }, (_, i) => (i % 2 ? '-0' : 'null')).join(',')}]}` // ~1 MB of tiny values
let t: TestApp
let mallory: TestUser
beforeAll(async () => {
  t = await startTestApp({ concurrency: 8, maxHeldWorkPerUser: { bytes: BOUND } })
  mallory = await addUser(t, 'mallory')
}, 60_000)
afterAll(() => t?.close())

it("counts each unfinished execution's submitted context, and holds her to the bound", { timeout: 120_000 }, async () => {
  await addFlow(mallory, 'mals', 'wait', waitingFlow('mals', 'wait'))
  const accepted: number[] = []
  const refusals: string[] = []
  for (let i = 0; i < 10; i++) {
    const r = await mallory.call('POST', '/flow/submit.json?descriptor_id=mals:wait', CONTEXT, { 'content-type': 'application/json' })
    if (r.status === 200) accepted.push(t.app.store.jobs.getByUuid(uuidOfExecutionId(r.body.execution_id))!.id)
    else refusals.push(JSON.stringify(r.body))
    await new Promise((ok) => setTimeout(ok, 100)) // the engine starts it and its task waits
  }
  const held = t.app.store.keptBytes.liveStateOf('mallory')
  const live = accepted.filter((id) => ['queued', 'running'].includes(t.app.store.jobs.getWithoutState(id)!.status))
  expect(live.length).toBeGreaterThanOrEqual(1) // within the bound: taken, and waiting
  expect(held).toBeGreaterThanOrEqual(2 * live.length * CONTEXT.length) // each waiting one's context counted, held twice
  expect(held).toBeLessThanOrEqual(BOUND)
  // the rest: refused at submit, or failed naming the bound as they were saved
  const failed = accepted.filter((id) => !live.includes(id)).map((id) => t.app.store.jobs.getWithoutState(id)!)
  for (const job of failed) expect(job.error).toMatch(/submitted contexts and code.*a user's unfinished jobs hold at most 4 MiB/)
  for (const body of refusals) expect(body).toMatch(/holding [\d.]+ MiB \(submitted contexts and code.*, and this would add [\d.]+ MiB; a user's unfinished jobs hold at most 4 MiB/)
  expect(refusals.length).toBeGreaterThanOrEqual(7) // weighed at submit, before anything is stored
  expect(live.length + failed.length + refusals.length).toBe(10)
  expect(failed.length + refusals.length).toBeGreaterThanOrEqual(7)

  for (const id of live) expect((await mallory.call('POST', `/api/v1/jobs/${id}/cancel`)).status).toBe(200)
  for (const id of live) await waitForStatus(t, id, ['cancelled'])
  expect(t.app.store.keptBytes.liveStateOf('mallory')).toBe(0)
})
