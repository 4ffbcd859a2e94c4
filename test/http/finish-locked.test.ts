// finish.json and a non-suspense trigger.json (an async function task's callback) sent while another
// program holds jobdesk.db's write lock (a sqlite3 shell left in BEGIN IMMEDIATE) (#9 §2, §5), as
// wakeup-locked.test.ts for wakeup.json: the engine kept the finished task in memory, answered
// {"result":"ok"} and saved it later, so a kill before the lock went lost a callback answered 200.
// Upstream answers ok once the task's end is stored (FlowController.finish -> OlympiceneFacade.finish ->
// Olympicene.finish -> DAGOperations.finishTaskSync -> FunctionTaskRunner.finish, under the task's lock).
// A callback is answered ok only once its change is in jobdesk.db, else 503 with Retry-After in Rill
// Flow's envelope, the execution left as it was, for the client to send it again. So too a callback
// that beats its dispatch's own answer (recorded durably, applied once the task is held).
import { afterAll, beforeAll, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../support/app'
import { heldLock } from '../support/held-lock'
import { rillClient } from '../workflows/support/rill-client'
import { startSampleExecutor, type SampleExecutor } from '../workflows/support/sample-executor'
import { untilExecutionsWait } from '../support/workflows'
import { uuidOfExecutionId } from '../../electron/workflows/rillflow/runtime/names'

let t: TestApp
let exec: SampleExecutor
let rill: ReturnType<typeof rillClient>
let flow: string
const other = heldLock(() => t.dir)
beforeAll(async () => {
  exec = await startSampleExecutor()
  t = await startTestApp()
  rill = rillClient(t.url)
  // f waits for its callback (task_scheduler); answer.json answers as the test queues (a dispatch held open)
  flow = await rill.addDescriptor(`workspace: locked
dagName: called
type: flow
tasks:
  - {category: function, name: f, resourceName: ${exec.url}/answer.json, pattern: task_scheduler, next: g,
     outputMappings: [{source: $.output.note, target: $.context.note}]}
  - {category: suspense, name: g, conditions: ["$.input.[?(@.go == true)]"], inputMappings: [{source: $.context.go, target: $.input.go}]}
`)
}, 60_000)
afterAll(async () => {
  await t.close()
  await exec.close()
})

/** What jobdesk.db holds of the execution, read on the other connection (what a restart after a kill would find): its context's `note`, `f`'s status and whether a callback waits for f's dispatch. */
function stored(executionId: string): { note: unknown; f: string; early: boolean } {
  const f = other.storedTask(executionId, 'f')
  return { note: other.storedContext(executionId)?.note, f: f.status, early: !!f.runtime && 'pendingCallback' in f.runtime }
}

/** Whether jobdesk.db has `f` held for its callback (its dispatch answered). */
function heldStored(executionId: string): boolean {
  return !!other.storedTask(executionId, 'f').runtime?.held
}

/** What the engine holds of `f` (what it would save later): its status and whether a callback waits for its dispatch. */
function live(executionId: string): { f: string; early: boolean } {
  const job = t.app.store.jobs.getByUuid(uuidOfExecutionId(executionId))!.id
  const [f] = t.app.engine.liveTasks(job, ['f'])!
  return { f: f.status, early: !!f.runtime && 'pendingCallback' in f.runtime }
}

const q = (id: string) => `execution_id=${encodeURIComponent(id)}&task_name=f`
const finish = (id: string, body: unknown) => fetch(`${t.url}/flow/finish.json?${q(id)}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
const trigger = (id: string, body: unknown) => fetch(`${t.url}/flow/trigger.json?${q(id)}&status=SUCCESS`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })

/** An execution whose `f` is dispatched and answered (held for its callback) — or, `answered` false, whose dispatch is held open until the returned `answer` is called. */
async function started(answered = true): Promise<{ id: string; answer: () => void }> {
  let answer = () => {}
  exec.answer('f', answered ? { result_type: 'SUCCESS' } : new Promise((ok) => (answer = () => ok({ result_type: 'SUCCESS' }))))
  const id = await rill.submit(flow, {})
  // held for its callback once the dispatch's answer is taken: stored with runtime.held
  if (answered) await expect.poll(() => heldStored(id), { timeout: 10_000 }).toBe(true)
  else await expect.poll(() => exec.calls.some((c) => c.query.execution_id === id), { timeout: 10_000 }).toBe(true)
  return { id, answer }
}

for (const [name, send] of [['finish.json', finish], ['trigger.json', trigger]] as const) {
  it(`a ${name} meeting the lock is answered 503 with Retry-After and changes nothing; once the lock goes, its 200 comes after its change is stored`, { timeout: 60_000 }, async () => {
    const { id } = await started()
    other.take()
    const refused = await send(id, { note: 'first' })
    expect(refused.status, await refused.clone().text()).toBe(503)
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(await refused.json()).toMatchObject({ error_code: expect.any(Number), error: expect.stringMatching(/database is locked/) })
    other.letGo()
    // nothing of it: not stored, and not kept in memory to be stored later
    expect(stored(id)).toEqual({ note: undefined, f: 'running', early: false })
    await new Promise((r) => setTimeout(r, 300)) // the engine's own retry of what it kept would have come by now
    expect(stored(id)).toEqual({ note: undefined, f: 'running', early: false })
    expect(live(id).f).toBe('running')

    // the lock taken, then let go while the request is tried again: answered ok once stored, and it is stored when answered
    other.take()
    const sent = send(id, { note: 'second' })
    other.letGoAfter(400)
    const answered = await sent
    expect(answered.status).toBe(200)
    expect(await answered.json()).toEqual({ result: 'ok' })
    expect(stored(id)).toEqual({ note: 'second', f: 'succeeded', early: false })
  })
}

it('a callback that beats its dispatch\'s answer: refused 503 under the lock with nothing recorded; then recorded before its 200 and applied once the dispatch answers', { timeout: 60_000 }, async () => {
  const { id, answer } = await started(false)
  expect(live(id)).toEqual({ f: 'running', early: false })
  other.take()
  const refused = await finish(id, { note: 'early' })
  expect(refused.status).toBe(503)
  other.letGo()
  expect(stored(id)).toMatchObject({ f: 'running', early: false })
  expect(live(id)).toEqual({ f: 'running', early: false }) // not kept to be applied when the dispatch answers

  const taken = await finish(id, { note: 'early' })
  expect(taken.status).toBe(200)
  expect(stored(id)).toMatchObject({ f: 'running', early: true })
  answer()
  await untilExecutionsWait(t.app, [id], { succeeded: 1, running: 1 })
  expect(stored(id)).toEqual({ note: 'early', f: 'succeeded', early: false })
})
