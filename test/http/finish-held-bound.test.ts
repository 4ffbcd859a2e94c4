// What a finish.json (an async function task's completion callback) does when its body, mapped into the
// context by the task's output mappings or kept as its output, would pass a bound: as wakeup-held-bound
// does for wakeup.json. Upstream's FunctionTaskRunner.finish maps the output and saves the context
// (saveContext -> ContextDAO.checkContextLength) before it saves the task's end, so a context past its
// storage's limit is refused with StorageException 30507 "content length:N exceed the limit", answered
// 500 by WebExceptionHandler.handleDAGException, the task still waiting for its callback. Ours answered
// {"result":"ok"} and then failed the execution when its commit met the bound (or failed the task with
// the mapping's reason): only get.json showed it. Now the callback is refused naming the bound, nothing
// mapped or kept, `f` still waiting, and the same callback with less in it is taken.
import { afterAll, beforeAll, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../support/app'
import { addUser, type TestUser } from '../support/users'
import { untilExecutionsWait } from '../support/workflows'
import { startSampleExecutor, type SampleExecutor } from '../workflows/support/sample-executor'
import { uuidOfExecutionId } from '../../electron/workflows/rillflow/runtime/names'

/** Bytes a user's unfinished jobs may hold (wakeup-held-bound's 400 kB instead of 64 MiB). */
const BOUND = 400_000
/** Maps in a callback body's `items`: each of its 8 context copies is counted by its shape. */
const ITEMS = 500

let t: TestApp | undefined
let exec: SampleExecutor
beforeAll(async () => {
  exec = await startSampleExecutor()
})
afterAll(async () => {
  await t?.close()
  await exec.close()
})

/** Someone who calls the Rill Flow API: a user made by addUser, or the admin (`t.call`). */
type Caller = Pick<TestUser, 'call'>
const admin = (): Caller => ({ call: t!.call })

/**
 * A user named `name` whose executions' function tasks wait for their callback: made an admin first, as
 * a user's tasks may not call this computer (executors/outgoing-http.ts) where the sample executor
 * listens, and made a user (whose bounds apply) by `demote` once their tasks are dispatched.
 */
async function waitingUser(name: string): Promise<TestUser & { demote(): Promise<void> }> {
  const user = await addUser(t!, name, { role: 'admin' })
  const demote = async () => expect((await t!.call('POST', `/api/v1/users/${name}`, { role: 'user' })).status).toBe(200)
  return { ...user, demote }
}

/**
 * Stores flow `lims:<name>` (as `owner`) of a task_scheduler function `f` (its dispatch accepted, then it
 * waits for finish.json) whose output mappings are `outputs`, then `done`: a pass, or (`thenWait`) a suspense
 * that waits on (the execution stays unfinished, holding what `f` mapped); submits `n` executions and
 * resolves once each `f` is held for its callback.
 */
async function waitingOn(owner: Caller, name: string, outputs: string[], n = 1, thenWait = false): Promise<string[]> {
  const done = thenWait ? '{category: suspense, name: done, conditions: ["$.input.[?(@.go == true)]"], inputMappings: [{source: $.context.never, target: $.input.go}]}' : '{category: pass, name: done}'
  const tasks =
    `  - {category: function, name: f, resourceName: ${exec.url}/accept.json, pattern: task_scheduler, next: done, outputMappings: [${outputs.join(', ')}]}\n` +
    `  - ${done}\n`
  const added = await owner.call('POST', `/flow/bg/manage/descriptor/add_descriptor.json?business_id=lims&feature_name=${name}&alias=release`, `workspace: lims\ndagName: ${name}\ntype: flow\ntasks:\n${tasks}`, { 'content-type': 'text/plain' })
  expect(added.status, JSON.stringify(added.body)).toBe(200)
  const ids: string[] = []
  for (let i = 0; i < n; i++) {
    const r = await owner.call('POST', `/flow/submit.json?descriptor_id=lims:${name}`, '{}', { 'content-type': 'application/json' })
    expect(r.status, JSON.stringify(r.body)).toBe(200)
    ids.push(r.body.execution_id)
  }
  await untilExecutionsWait(t!.app, ids, { running: 1, pending: 1 })
  // held once its dispatch's answer is taken (a callback before that is recorded to apply later)
  for (const id of ids) await expect.poll(() => !!t!.app.store.jobs.task(jobOf(id), 'f')?.runtime?.held, { timeout: 10_000 }).toBe(true)
  return ids
}

/** The job id of execution `id`. */
const jobOf = (id: string): number => t!.app.store.jobs.getByUuid(uuidOfExecutionId(id))!.id

const finish = (caller: Caller, id: string, body: string) =>
  caller.call('POST', `/flow/finish.json?execution_id=${encodeURIComponent(id)}&task_name=f`, body, { 'content-type': 'application/json' })

/** The execution as stored: its job's status and error, its tasks' statuses, `f`'s output and its context's `c0` length (undefined when absent). */
function outcome(id: string) {
  const job = t!.app.store.jobs.get(jobOf(id))!
  const tasks = t!.app.store.jobs.tasks(job.id)
  const c0 = (job.context as { c0?: unknown[] } | null)?.c0
  return { status: job.status, error: job.error, tasks: Object.fromEntries(tasks.map((x) => [x.name, x.status])), outputOfF: tasks.find((x) => x.name === 'f')!.output, c0: c0?.length }
}

/** What the engine holds of the execution: its context and `f`'s status and output (what a commit would save). */
const live = (id: string) => t!.app.engine.act(jobOf(id), (ctl) => ({ context: ctl.job.context, f: ctl.task('f')!.status, output: ctl.task('f')!.output ?? null }))

const EIGHT = Array.from({ length: 8 }, (_, i) => `{source: $.output.items, target: $.context.c${i}}`)

it('a finish.json whose mapped context would pass the bound of held work is refused 30507 naming it, the task still waiting; by its owner and by the admin', { timeout: 60_000 }, async () => {
  t = await startTestApp({ maxHeldWorkPerUser: { bytes: BOUND } })
  const mallory = await waitingUser('mallory')
  const body = JSON.stringify({ items: Array.from({ length: ITEMS }, () => ({})) })
  const ids = await waitingOn(mallory, 'mapped', EIGHT, 4, true)
  await mallory.demote()
  // the first two fit; each later one would pass the bound, whoever sends it (the bound is the submitter's)
  const answers = [await finish(mallory, ids[0], body), await finish(mallory, ids[1], body), await finish(mallory, ids[2], body), await finish(admin(), ids[3], body)]
  expect(answers.slice(0, 2)).toMatchObject([{ status: 200, body: { result: 'ok' } }, { status: 200, body: { result: 'ok' } }])
  for (const r of answers.slice(2)) {
    expect(r.status, JSON.stringify(r.body)).toBe(500)
    expect(r.body).toEqual({
      error_code: 30507,
      error: expect.stringMatching(/^content length:\d+ exceed the limit: this would make user mallory's unfinished jobs hold .*, and a user's unfinished jobs hold at most 400,000 bytes of it; nothing was changed/),
    })
  }
  // the first two went on to `done`, which waits; the refused ones wait for their callback as before it came
  await untilExecutionsWait(t.app, ids.slice(0, 2), { succeeded: 1, running: 1 })
  for (const id of ids.slice(0, 2)) expect(outcome(id)).toMatchObject({ status: 'running', tasks: { f: 'succeeded', done: 'running' }, c0: ITEMS })
  for (const id of ids.slice(2)) {
    expect(outcome(id)).toMatchObject({ status: 'running', error: null, tasks: { f: 'running', done: 'pending' }, outputOfF: null, c0: undefined })
    expect(live(id)).toMatchObject({ f: 'running', output: null })
    expect((live(id).context as { c0?: unknown }).c0).toBeUndefined()
  }
  expect(t.app.store.keptBytes.liveStateOf('mallory')).toBeLessThanOrEqual(BOUND)
  // with room made (the first two ended as their client would: complete_dag.json), the same callback sent
  // again is taken: `f` was still waiting for it
  for (const id of ids.slice(0, 2)) t.app.engine.complete(jobOf(id), false)
  await untilExecutionsWait(t.app, ids.slice(0, 2), {})
  const again = await finish(mallory, ids[2], body)
  expect(again).toMatchObject({ status: 200, body: { result: 'ok' } })
  await untilExecutionsWait(t.app, [ids[2]], { succeeded: 1, running: 1 })
  expect(outcome(ids[2])).toMatchObject({ status: 'running', tasks: { f: 'succeeded', done: 'running' }, c0: ITEMS })
})

it('a finish.json whose body, kept as the task output, would pass the bound of held work is refused 30507, the task still waiting', { timeout: 60_000 }, async () => {
  await t?.close()
  t = await startTestApp({ maxHeldWorkPerUser: { bytes: BOUND } })
  const bob = await waitingUser('bob')
  const [id] = await waitingOn(bob, 'kept', [])
  await bob.demote()
  const held = t.app.store.keptBytes.liveStateOf('bob')
  expect(held).toBeLessThan(BOUND / 4)
  // 240 kB of `{}`: far more than the bound once held as 80,000 maps
  const r = await finish(bob, id, JSON.stringify({ items: Array.from({ length: 80_000 }, () => ({})) }))
  expect(r.status, JSON.stringify(r.body)).toBe(500)
  expect(r.body).toEqual({ error_code: 30507, error: expect.stringMatching(/^content length:\d+ exceed the limit: this would make user bob's unfinished jobs hold .*at most 400,000 bytes of it; nothing was changed/) })
  expect(outcome(id)).toMatchObject({ status: 'running', error: null, tasks: { f: 'running', done: 'pending' }, outputOfF: null })
  expect(live(id)).toMatchObject({ f: 'running', output: null })
  expect(t.app.store.keptBytes.liveStateOf('bob')).toBe(held)
  const small = await finish(bob, id, JSON.stringify({ items: [{}] }))
  expect(small).toMatchObject({ status: 200, body: { result: 'ok' } })
  await untilExecutionsWait(t.app, [id], {})
  expect(outcome(id)).toMatchObject({ status: 'succeeded', tasks: { f: 'succeeded', done: 'succeeded' }, outputOfF: { items: [{}] } })
})

// Past the context's own limit (value-budget.ts PASS_LIMITS.maxGrownBytes, 2 MB), met while the output
// mappings run, and a value over a copy's limit (VALUE_LIMITS, 1,000,000 elements): bounds of every
// context, the admin's too. Refused before the task changes, none of the earlier mappings kept.
for (const [who, callerOf] of [['a user', () => waitingUser('ann')], ['the admin', async () => ({ ...admin(), demote: async () => {} })]] as const) {
  it(`a finish.json whose mappings would take the context past 2 MB is refused 30507 naming the limit, nothing mapped, the task still waiting (${who})`, { timeout: 60_000 }, async () => {
    await t?.close()
    t = await startTestApp()
    const caller = await callerOf()
    const [id] = await waitingOn(caller, 'big', [...EIGHT, '{source: $.output.note, target: $.context.note}'])
    await caller.demote()
    const before = t.app.store.jobs.get(jobOf(id))!.context
    const r = await finish(caller, id, JSON.stringify({ note: 'n', items: Array.from({ length: 400_000 }, () => 0) }))
    expect(r.status, JSON.stringify(r.body)).toBe(500)
    expect(r.body).toEqual({ error_code: 30507, error: expect.stringMatching(/^content length:\d+ exceed the limit: mapping \(source: \$\.output\.items, target: \$\.context\.c\d\) of task f: the context would exceed 2 MiB .*nothing was changed/) })
    expect(outcome(id)).toMatchObject({ status: 'running', error: null, tasks: { f: 'running', done: 'pending' }, outputOfF: null, c0: undefined })
    expect(t.app.store.jobs.get(jobOf(id))!.context).toEqual(before)
    expect(live(id)).toEqual({ context: before, f: 'running', output: null })
    const small = await finish(caller, id, JSON.stringify({ note: 'n', items: [1, 2, 3] }))
    expect(small).toMatchObject({ status: 200, body: { result: 'ok' } })
    await untilExecutionsWait(t.app, [id], {})
    expect(outcome(id)).toMatchObject({ status: 'succeeded', tasks: { f: 'succeeded', done: 'succeeded' }, c0: 3 })
  })

  it(`a finish.json mapping a value of more than 1,000,000 elements is refused 30507 naming the mapping, nothing mapped (${who})`, { timeout: 60_000 }, async () => {
    await t?.close()
    t = await startTestApp()
    const caller = await callerOf()
    const [id] = await waitingOn(caller, 'many', ['{source: $.output.items, target: $.context.c0}', '{source: $.output.note, target: $.context.note}'])
    await caller.demote()
    const before = t.app.store.jobs.get(jobOf(id))!.context
    const r = await finish(caller, id, JSON.stringify({ note: 'n', items: Array.from({ length: 1_000_001 }, () => 0) }))
    expect(r.status, JSON.stringify(r.body)).toBe(500)
    expect(r.body).toEqual({ error_code: 30507, error: expect.stringMatching(/^content length:\d+ exceed the limit: mapping \(source: \$\.output\.items, target: \$\.context\.c0\) of task f: the value has more than 1000000 elements \(\d+ lists, maps and scalars inside it\); nothing was changed/) })
    expect(outcome(id)).toMatchObject({ status: 'running', error: null, tasks: { f: 'running', done: 'pending' }, outputOfF: null, c0: undefined })
    expect(t.app.store.jobs.get(jobOf(id))!.context).toEqual(before)
    expect(live(id)).toEqual({ context: before, f: 'running', output: null })
  })
}

// trigger.json of a function task is the same callback (Engine.resolveSaved): refused alike.
it('a trigger.json of a function whose mappings would take the context past 2 MB is refused 30507 likewise, the task still waiting', { timeout: 60_000 }, async () => {
  await t?.close()
  t = await startTestApp()
  const [id] = await waitingOn(admin(), 'triggered', EIGHT)
  const before = t.app.store.jobs.get(jobOf(id))!.context
  const trigger = (body: string) => t!.call('POST', `/flow/trigger.json?execution_id=${encodeURIComponent(id)}&task_name=f&status=SUCCESS`, body, { 'content-type': 'application/json' })
  const r = await trigger(JSON.stringify({ items: Array.from({ length: 400_000 }, () => 0) }))
  expect(r.status, JSON.stringify(r.body)).toBe(500)
  expect(r.body).toEqual({ error_code: 30507, error: expect.stringMatching(/^content length:\d+ exceed the limit: mapping \(source: \$\.output\.items, target: \$\.context\.c\d\) of task f: the context would exceed 2 MiB .*nothing was changed/) })
  expect(outcome(id)).toMatchObject({ status: 'running', error: null, tasks: { f: 'running', done: 'pending' }, outputOfF: null, c0: undefined })
  expect(live(id)).toEqual({ context: before, f: 'running', output: null })
  expect(await trigger(JSON.stringify({ items: [1] }))).toMatchObject({ status: 200, body: { result: 'ok' } })
  await untilExecutionsWait(t.app, [id], {})
  expect(outcome(id)).toMatchObject({ status: 'succeeded', c0: 1 })
})
