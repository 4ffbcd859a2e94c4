// atk18 attack: one user's wide job being stopped (or fanning out) holds back every other user's work.
// The engine's tick (engine.ts tick) ends stopping jobs' tasks first (stopSome, until the tick's slice
// is spent), then runs deferred work only while the slice lasts, then starts ready tasks with
// dispatch(deferred === 0): once a stop or a fan-out has spent the slice, nobody's task starts in that
// tick. A stop of tens of thousands of tasks is hundreds of such ticks, a user granted nothing may
// make one whenever she likes (submit a wide foreach within her held-work bound, cancel it), and the
// other users' jobs wait for its end. The test expects another user's one-task SQL job, submitted
// while dave's 100,000-item foreach (the issue's own workload, within the held-work bound) fans out and then while it is cancelling, to end within a few
// seconds, not after the fan-out or the stop.
// Found (atk18, on 604206ec, load 6.9 on 2 cores): alice's SELECT 1 alone 783 ms; submitted when dave's
// job held 2,801 tasks it took 8,838 ms and ended only once his fan-out had added all 100,001 (the
// fan-out's starts went on to 29.1 s); submitted right after his cancel it took 4,038 ms of the
// stop's 4.5 s. At 40,000 items (load 6.3): 5,465 ms during the fan-out, 820 ms during a 0.9 s stop.
import { beforeAll, describe, expect, it } from 'vitest'
import { uuidOfExecutionId } from '../../electron/workflows/rillflow/runtime/names'
import type { TestApp } from '../support/app'
import { appSuiteWith } from '../support/app-suite'
import type { TestUser } from '../support/users'
import { foreachWorkflow, HOLD_TASK } from '../support/workflows'

const ITEMS = 100_000
/** How long alice's SELECT 1 may take while dave's job fans out or stops (alone it takes well under 1 s). */
const FAIR_MS = 3_000

const suite = appSuiteWith({ concurrency: 8 }, 'dave', 'alice')
let t: TestApp
let dave: TestUser
let alice: TestUser
beforeAll(() => ({ t, users: { dave, alice } } = suite))

const status = (id: number) => t.app.store.jobs.get(id)!.status
const counts = (id: number) => t.app.store.jobs.taskCountsByStatus(id) as Record<string, number>
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Submits alice's SELECT 1 and returns how long (ms) it took to end, and how it ended. */
async function aliceSelect(limitMs: number): Promise<{ ms: number; status: string }> {
  const began = performance.now()
  const r = await alice.call('POST', '/api/v1/jobs', { type: 'script', language: 'sql', code: 'SELECT 1' })
  expect(r.status, JSON.stringify(r.body)).toBe(201)
  const id = r.body.id as number
  while (!['succeeded', 'failed', 'cancelled'].includes(status(id)) && performance.now() - began < limitMs) await sleep(20)
  return { ms: performance.now() - began, status: status(id) }
}

describe("another user's job while one user's wide foreach fans out and is stopped", () => {
  it('starts and ends within a few seconds, not after the fan-out or the stop', { timeout: 300_000 }, async () => {
    const descriptor = foreachWorkflow('daves:fan', HOLD_TASK)
    const added = await dave.call('POST', '/flow/bg/manage/descriptor/add_descriptor.json?business_id=daves&feature_name=fan&alias=release', descriptor, { 'content-type': 'text/plain' })
    expect(added.status, JSON.stringify(added.body)).toBe(200)
    const alone = await aliceSelect(30_000)

    const fanBegan = performance.now()
    const r = await dave.call('POST', '/flow/submit.json?descriptor_id=daves:fan', { items: Array.from({ length: ITEMS }, (_, i) => i) })
    expect(r.status, JSON.stringify(r.body)).toBe(200)
    const id = t.app.store.jobs.getByUuid(uuidOfExecutionId(r.body.execution_id))!.id
    await sleep(300) // the fan-out under way
    const heldAtSubmit = t.app.store.jobs.taskCount(id)
    const duringFanOut = await aliceSelect(180_000)
    const heldAtEnd = t.app.store.jobs.taskCount(id) // how far dave's fan-out was when alice's job ended
    while ((counts(id).running ?? 0) < ITEMS && performance.now() - fanBegan < 180_000) await sleep(50)
    const fanOutMs = performance.now() - fanBegan

    const stopBegan = performance.now()
    const c = await dave.call('POST', `/api/v1/jobs/${id}/cancel`, {})
    expect(c.status, JSON.stringify(c.body)).toBeLessThan(300)
    const duringStop = await aliceSelect(180_000)
    while (status(id) === 'cancelling' && performance.now() - stopBegan < 180_000) await sleep(20)
    const stopMs = performance.now() - stopBegan

    console.log(
      `alice's SELECT 1: alone ${alone.ms.toFixed(0)} ms; during dave's fan-out of ${ITEMS} items (${(fanOutMs / 1000).toFixed(1)} s) ${duringFanOut.ms.toFixed(0)} ms (${duringFanOut.status}; dave's job held ${heldAtSubmit} tasks at her submit, ${heldAtEnd} at its end); ` +
        `during its stop (${(stopMs / 1000).toFixed(1)} s, ends ${status(id)}) ${duringStop.ms.toFixed(0)} ms (${duringStop.status})`,
    )
    expect(status(id)).toBe('cancelled')
    expect(duringFanOut.status).toBe('succeeded')
    expect(duringStop.status).toBe('succeeded')
    expect(duringFanOut.ms).toBeLessThan(FAIR_MS)
    expect(duringStop.ms).toBeLessThan(FAIR_MS)
  })
})
