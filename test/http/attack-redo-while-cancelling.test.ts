// atk18 attack: Rill Flow redo.json on an execution that is `cancelling` (its sliced stop, engine.ts
// beginStop/stopSome, still ending its tasks). engine.redo takes an active job as it is: it resets
// cancelRequested but leaves the job in the engine's `stopping` map (with its live iterator over the
// job's tasks), its forcedStatus/failReason, and, for a job failed past the held-work bound, its mark
// in `overHeld`. The test expects a redo during a stop either to be refused (a 4xx in Rill Flow's
// envelope, the job ending as the stop said) or to really run the execution again: the redone
// foreach holds its waiting tasks and the job stays running.
// Found (atk18, on 604206ec): redo.json answers 500 internal server error (TransitionError: illegal job
// transition cancelling -> running, thrown by engine.redo's setJobStatus) AFTER the redo has already
// stored its changes (the foreach's sub-tasks dropped, its groups cleared) and reset the foreach in
// memory: 8 s later the job has ended (cancelled, or failed with the held-work reason) holding a
// `pending` task ({"pending":1}), its 15,000 / 19,976 sub-tasks gone. Same engine.redo path from the
// native workflows.redo and graph workflows' redo.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { uuidOfExecutionId } from '../../electron/workflows/rillflow/runtime/names'
import { startTestApp, type TestApp } from '../support/app'
import { tempDir } from '../support/temp-store'
import { addUser, type TestUser } from '../support/users'
import { addFlow, foreachWorkflow, HOLD_TASK } from '../support/workflows'

const BOUND = { jobs: 10, tasks: 20_000 }
const dir = tempDir()
let t: TestApp
let dave: TestUser
beforeAll(async () => {
  t = await startTestApp({ concurrency: 8, dataDir: dir, maxHeldWorkPerUser: BOUND })
  dave = await addUser(t, 'dave')
  const descriptor = foreachWorkflow('daves:fan', HOLD_TASK)
  const r = await dave.call('POST', '/flow/bg/manage/descriptor/add_descriptor.json?business_id=daves&feature_name=fan&alias=release', descriptor, { 'content-type': 'text/plain' })
  expect(r.status, JSON.stringify(r.body)).toBe(200)
}, 60_000)
afterAll(() => t?.close())

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const submitFan = async (items: number) => {
  const r = await dave.call('POST', '/flow/submit.json?descriptor_id=daves:fan', { items: Array.from({ length: items }, (_, i) => i) })
  expect(r.status, JSON.stringify(r.body)).toBe(200)
  return { executionId: r.body.execution_id as string, id: t.app.store.jobs.getByUuid(uuidOfExecutionId(r.body.execution_id))!.id }
}
const counts = (id: number) => t.app.store.jobs.taskCountsByStatus(id) as Record<string, number>
const status = (id: number) => t.app.store.jobs.get(id)!.status
/** Waits (yielding to the engine's ticks) until `ok`, or fails after `ms`. */
const until = async (ok: () => boolean, ms: number, what: string) => {
  const end = Date.now() + ms
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setImmediate(r))
  }
}

/**
 * What became of a redo sent while the job was cancelling: once the stop has ended and, for a redo
 * taken, its foreach holds `want` waiting tasks again, or 8 s after the job looked settled (at a load
 * of 12 on two cores a fixed 8 s was too short for 15,000 groups to be made again).
 */
async function outcome(id: number, redo: { status: number; body: any }, want: number) {
  const settled = () => (redo.status >= 400 ? status(id) !== 'cancelling' && status(id) !== 'running' : status(id) === 'running' && (counts(id).running ?? 0) >= want)
  await until(settled, 90_000, 'the job to settle after the redo').catch(() => undefined) // asserted below
  await sleep(redo.status >= 400 ? 1_000 : 2_000) // and stays so: nothing of the redo comes late
  const now = { status: status(id), counts: counts(id), error: t.app.store.jobs.get(id)!.error }
  console.log(`redo while cancelling: answered ${redo.status} ${JSON.stringify(redo.body).slice(0, 160)}; then the job is ${now.status} (${JSON.stringify(now.counts)}) error ${String(now.error).slice(0, 120)}`)
  if (redo.status >= 400) {
    expect(redo.status).toBeLessThan(500)
    // refused: nothing of the redo happened, the stop ended every task
    expect(Object.keys(now.counts).filter((s) => s !== 'cancelled' && s !== 'failed')).toEqual([])
    return
  }
  // taken: the execution runs again, its foreach holding its waiting tasks
  expect(now.status).toBe('running')
  expect(now.counts.running ?? 0).toBeGreaterThanOrEqual(want)
  // ended, so that the next case's fan-out fits in dave's held-work bound
  await dave.call('POST', `/api/v1/jobs/${id}/cancel`, {})
  await until(() => status(id) === 'cancelled', 60_000, 'the cancel of the redone execution')
}

describe('redo.json of an execution while its stop is sliced (cancelling)', () => {
  it('after a cancel: refused, or the execution really runs again', { timeout: 120_000 }, async () => {
    const ITEMS = 15_000
    const { executionId, id } = await submitFan(ITEMS)
    await until(() => (counts(id).running ?? 0) >= ITEMS, 90_000, 'the fan-out')
    const c = await dave.call('POST', `/api/v1/jobs/${id}/cancel`, {})
    expect(c.status, JSON.stringify(c.body)).toBeLessThan(300)
    expect(status(id)).toBe('cancelling')
    const redo = await dave.call('POST', `/flow/redo.json?execution_id=${encodeURIComponent(executionId)}`, {})
    await outcome(id, redo, ITEMS)
  })

  it('native workflows.redo after a cancel (the same engine.redo): refused, or the execution really runs again', { timeout: 120_000 }, async () => {
    const ITEMS = 15_000
    const { id } = await submitFan(ITEMS)
    await until(() => (counts(id).running ?? 0) >= ITEMS, 90_000, 'the fan-out')
    const c = await dave.call('POST', `/api/v1/jobs/${id}/cancel`, {})
    expect(c.status, JSON.stringify(c.body)).toBeLessThan(300)
    expect(status(id)).toBe('cancelling')
    const redo = await dave.call('POST', `/api/v1/executions/${id}/redo`, {})
    await outcome(id, redo, ITEMS)
  })

  it('after a failure past the held-work bound, with a context that fits: refused, or it runs again', { timeout: 120_000 }, async () => {
    // a foreach too large for the bound is refused at its start (groups.ts), and once accepted its groups'
    // tasks are reserved, a nested foreach's at its own start: the bound is passed midway by the branches
    // of a choice in each of its 15,000 groups (one task a group at its start), with ~20,000 tasks to end
    const chosen =
      'workspace: daves\ndagName: nest\ntype: flow\ntasks:\n  - category: foreach\n    name: fe\n    inputMappings: [{target: $.input.items, source: $.context.items}]\n    iterationMapping: {collection: $.input.items, item: it}\n    tasks:\n' +
      '      - category: choice\n        name: c\n        inputMappings: [{source: $.context.it, target: $.input.n}]\n        choices:\n' +
      '          - condition: "$.input.[?(@.n >= 0)]"\n            tasks: [{category: suspense, name: w, conditions: ["$.input.[?(@.go == true)]"], inputMappings: [{source: $.context.go, target: $.input.go}]}]\n'
    await addFlow(dave, 'daves', 'nest', chosen)
    const r = await dave.call('POST', '/flow/submit.json?descriptor_id=daves:nest', { items: Array.from({ length: 15_000 }, (_, i) => i) })
    expect(r.status, JSON.stringify(r.body)).toBe(200)
    const executionId = r.body.execution_id as string
    const id = t.app.store.jobs.getByUuid(uuidOfExecutionId(executionId))!.id
    await until(() => status(id) === 'cancelling', 90_000, 'the failure past the bound')
    const redo = await dave.call('POST', `/flow/redo.json?execution_id=${encodeURIComponent(executionId)}`, { items: [1, 2, 3] })
    await outcome(id, redo, 3)
  })
})
