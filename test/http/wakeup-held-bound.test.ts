// What a wakeup.json does when its output mappings would fill the context past the user's bound of held
// work (attack-held-context-writes-heap's scenario at small sizes, a bound of 400 kB instead of 64 MiB).
// A wakeup that fits has the body mapped into its execution's context and `a` waiting on by its
// conditions (its input `go` comes from `$.context.go`, which the outputMappings never write: upstream's
// SuspenseTaskRunner.finish maps the output, maps the input from the context and re-evaluates;
// SuspenseTaskTraversalTest's first wakeup leaves A RUNNING the same way). One that does not fit is
// refused as Rill Flow refuses a wakeup whose context passes its storage's limit (SuspenseTaskRunner.finish
// -> saveContext -> ContextDAO.checkContextLength: StorageException 30507 "content length:N exceed the
// limit", answered 500 by WebExceptionHandler.handleDAGException, nothing saved): the execution is left as
// it was, still waiting. It used to be answered ok and its execution failed, which only get.json showed.
// Mapping `go` too moves `a` on to `w`.
import { afterAll, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../support/app'
import { addUser, type TestUser } from '../support/users'
import { untilExecutionsWait } from '../support/workflows'
import { uuidOfExecutionId } from '../../electron/workflows/rillflow/runtime/names'
import { contextOf } from '../../electron/workflows/rillflow/runtime/context'

/** Bytes mallory's unfinished jobs may hold: room for the mapped context of two wakeups of ITEMS maps, not four. */
const BOUND = 400_000
/** Maps in a wakeup body's `items`: each of its 8 context copies is counted by its shape (~290 counted bytes an item in all). */
const ITEMS = 500
const EXECUTIONS = 4

let t: TestApp | undefined
afterAll(() => t?.close())

/** Stores flow `mals:<name>` whose suspense `a` maps the output's `items` into 8 context keys (and `go` when `mapGo`), then waits on `w`; submits `n` executions with `{"go":false}`. */
async function submitted(mallory: TestUser, name: string, mapGo: boolean, n: number): Promise<string[]> {
  const targets = [...Array.from({ length: 8 }, (_, i) => `{source: $.output.items, target: $.context.c${i}}`), ...(mapGo ? ['{source: $.output.go, target: $.context.go}'] : [])].join(', ')
  const tasks =
    `  - {category: suspense, name: a, next: w, conditions: ["$.input.[?(@.go == true)]"], inputMappings: [{source: $.context.go, target: $.input.go}], outputMappings: [${targets}]}\n` +
    '  - {category: suspense, name: w, conditions: ["$.input.[?(@.go == true)]"], inputMappings: [{source: $.context.never, target: $.input.go}]}\n'
  const added = await mallory.call('POST', `/flow/bg/manage/descriptor/add_descriptor.json?business_id=mals&feature_name=${name}&alias=release`, `workspace: mals\ndagName: ${name}\ntype: flow\ntasks:\n${tasks}`, { 'content-type': 'text/plain' })
  expect(added.status, JSON.stringify(added.body)).toBe(200)
  const ids: string[] = []
  for (let i = 0; i < n; i++) {
    const r = await mallory.call('POST', `/flow/submit.json?descriptor_id=mals:${name}`, '{"go":false}', { 'content-type': 'application/json' })
    expect(r.status, JSON.stringify(r.body)).toBe(200)
    ids.push(r.body.execution_id)
  }
  await untilExecutionsWait(t!.app, ids, { running: 1, pending: 1 })
  return ids
}

/** The job id of execution `id`. */
const jobOf = (id: string): number => t!.app.store.jobs.getByUuid(uuidOfExecutionId(id))!.id

/** Each execution's job status and error, its tasks' statuses and `a`'s input, and its context's `c0` length (undefined when absent). */
function outcome(id: string) {
  const job = t!.app.store.jobs.getByUuid(uuidOfExecutionId(id))!
  const tasks = t!.app.store.jobs.tasks(job.id)
  const c0 = (t!.app.store.jobs.get(job.id)!.context as { c0?: unknown[] } | null)?.c0
  return { status: job.status, error: job.error, tasks: Object.fromEntries(tasks.map((x) => [x.name, x.status])), inputOfA: tasks.find((x) => x.name === 'a')!.input, c0: c0?.length }
}

it('a wakeup that fits has the body mapped and waits by its conditions; one past the bound is refused naming it, its execution left waiting as it was', { timeout: 60_000 }, async () => {
  t = await startTestApp({ maxHeldWorkPerUser: { bytes: BOUND } })
  const mallory = await addUser(t, 'mallory')
  const body = JSON.stringify({ go: true, items: Array.from({ length: ITEMS }, () => ({})) })

  const ids = await submitted(mallory, 'woken', false, EXECUTIONS)
  const answers = []
  for (const id of ids) answers.push(await mallory.call('POST', `/flow/wakeup.json?execution_id=${encodeURIComponent(id)}&task_name=a`, body, { 'content-type': 'application/json' }))
  // the first two fit (measured: 291,102 bytes held), each later one would pass the bound
  expect(answers.slice(0, 2)).toMatchObject([{ status: 200, body: { result: 'ok' } }, { status: 200, body: { result: 'ok' } }])
  for (const r of answers.slice(2)) {
    expect(r.status).toBe(500)
    expect(r.body).toEqual({
      error_code: 30507,
      error: expect.stringMatching(/^content length:\d+ exceed the limit: this would make user mallory's unfinished jobs hold .*, and a user's unfinished jobs hold at most 400,000 bytes of it; nothing was changed/),
    })
  }
  // the answer comes after the engine's commit (Engine.act): nothing left to wait for
  const outcomes = ids.map(outcome)
  expect(outcomes.map((o) => o.status)).toEqual(['running', 'running', 'running', 'running'])
  for (const o of outcomes.slice(0, 2)) expect(o).toMatchObject({ error: null, tasks: { a: 'running', w: 'pending' }, inputOfA: { go: false }, c0: ITEMS })
  for (const o of outcomes.slice(2)) expect(o).toMatchObject({ error: null, tasks: { a: 'running', w: 'pending' }, inputOfA: { go: false }, c0: undefined })
  expect(t.app.store.keptBytes.liveStateOf('mallory')).toBeLessThanOrEqual(BOUND)
  // what the engine holds is what is stored (a restart finds the same): no part of the refused mapping
  for (const id of ids.slice(2)) expect(t.app.engine.act(jobOf(id), (ctl) => (ctl.job.context as { c0?: unknown }).c0)).toBeUndefined()
  // with room made (the first two ended as their client would: complete_dag.json), the refused one sent again is taken
  for (const id of ids.slice(0, 2)) t.app.engine.complete(jobOf(id), false)
  await untilExecutionsWait(t.app, ids.slice(0, 2), {})
  const again = await mallory.call('POST', `/flow/wakeup.json?execution_id=${encodeURIComponent(ids[2])}&task_name=a`, body, { 'content-type': 'application/json' })
  expect(again).toMatchObject({ status: 200, body: { result: 'ok' } })
  expect(outcome(ids[2])).toMatchObject({ status: 'running', tasks: { a: 'running', w: 'pending' }, c0: ITEMS })

  // the same wakeup with `go` mapped into the context moves `a` on: `w` waits
  // room first: the waiting ones are ended
  for (const id of ids) if (outcome(id).status === 'running') t.app.engine.complete(jobOf(id), false)
  await untilExecutionsWait(t.app, ids, {}) // ended ones count as done
  const [moving] = await submitted(mallory, 'moving', true, 1)
  const r = await mallory.call('POST', `/flow/wakeup.json?execution_id=${encodeURIComponent(moving)}&task_name=a`, body, { 'content-type': 'application/json' })
  expect(r).toMatchObject({ status: 200, body: { result: 'ok' } })
  expect(outcome(moving)).toMatchObject({ status: 'running', tasks: { a: 'succeeded', w: 'running' }, inputOfA: { go: true }, c0: ITEMS })
})

// The same in a foreach: each group's suspense maps into the group's own sub-context (a row of its own).
it("a group's wakeup past the bound is refused, its sub-context left as it was in memory and in the store", { timeout: 60_000 }, async () => {
  await t?.close()
  t = await startTestApp({ maxHeldWorkPerUser: { bytes: BOUND } })
  const mallory = await addUser(t, 'mallory')
  const targets = Array.from({ length: 8 }, (_, i) => `{source: $.output.items, target: $.context.c${i}}`).join(', ')
  const tasks =
    '  - category: foreach\n    name: each\n    inputMappings: [{source: $.context.items, target: $.input.items}]\n' +
    '    iterationMapping: {collection: $.input.items, item: it}\n    tasks:\n' +
    `      - {category: suspense, name: hold, conditions: ["$.input.[?(@.go == true)]"], inputMappings: [{source: $.context.go, target: $.input.go}], outputMappings: [${targets}]}\n`
  const added = await mallory.call('POST', '/flow/bg/manage/descriptor/add_descriptor.json?business_id=mals&feature_name=groups&alias=release', `workspace: mals\ndagName: groups\ntype: flow\ntasks:\n${tasks}`, { 'content-type': 'text/plain' })
  expect(added.status, JSON.stringify(added.body)).toBe(200)
  const submit = await mallory.call('POST', '/flow/submit.json?descriptor_id=mals:groups', '{"items":[0,1,2,3]}', { 'content-type': 'application/json' })
  expect(submit.status, JSON.stringify(submit.body)).toBe(200)
  const id: string = submit.body.execution_id
  await untilExecutionsWait(t.app, [id], { running: 5 }) // the foreach and its 4 groups' suspense tasks
  const body = JSON.stringify({ go: true, items: Array.from({ length: ITEMS }, () => ({})) })
  const answers = []
  for (let g = 0; g < 4; g++) answers.push(await mallory.call('POST', `/flow/wakeup.json?execution_id=${encodeURIComponent(id)}&task_name=each_${g}-hold`, body, { 'content-type': 'application/json' }))
  expect(answers.map((r) => r.status)).toEqual([200, 200, 500, 500])
  for (const r of answers.slice(2)) expect(r.body).toMatchObject({ error_code: 30507, error: expect.stringMatching(/^content length:\d+ exceed the limit: .*at most 400,000 bytes of it; nothing was changed/) })
  const job = jobOf(id)
  const stored = (g: number) => (t!.app.store.groups.context(job, 'each', g) as { c0?: unknown[] } | null)?.c0?.length
  const held = (g: number) => t!.app.engine.act(job, (ctl) => (contextOf(ctl, `each_${g}`) as { c0?: unknown[] }).c0?.length)
  expect([0, 1, 2, 3].map(stored)).toEqual([ITEMS, ITEMS, undefined, undefined])
  expect([0, 1, 2, 3].map(held)).toEqual([ITEMS, ITEMS, undefined, undefined])
  expect(t.app.store.jobs.get(job)).toMatchObject({ status: 'running', error: null })
  expect(t.app.store.keptBytes.liveStateOf('mallory')).toBeLessThanOrEqual(BOUND)
})

/** Stores flow `<owner's workspace>:<name>` of a suspense `a` (its input `go` from `$.context.go`, `outputs` its outputMappings) then a pass `done`; submits one execution with `{"go":false}` and waits for `a`. */
async function waitingOn(user: TestUser, name: string, outputs: string[]): Promise<string> {
  const tasks =
    `  - {category: suspense, name: a, next: done, conditions: ["$.input.[?(@.go == true)]"], inputMappings: [{source: $.context.go, target: $.input.go}], outputMappings: [${outputs.join(', ')}]}\n` +
    '  - {category: pass, name: done}\n'
  const added = await user.call('POST', `/flow/bg/manage/descriptor/add_descriptor.json?business_id=lims&feature_name=${name}&alias=release`, `workspace: lims\ndagName: ${name}\ntype: flow\ntasks:\n${tasks}`, { 'content-type': 'text/plain' })
  expect(added.status, JSON.stringify(added.body)).toBe(200)
  const r = await user.call('POST', `/flow/submit.json?descriptor_id=lims:${name}`, '{"go":false}', { 'content-type': 'application/json' })
  expect(r.status, JSON.stringify(r.body)).toBe(200)
  await untilExecutionsWait(t!.app, [r.body.execution_id], { running: 1, pending: 1 })
  return r.body.execution_id
}

const wake = (user: TestUser, id: string, body: string) =>
  user.call('POST', `/flow/wakeup.json?execution_id=${encodeURIComponent(id)}&task_name=a`, body, { 'content-type': 'application/json' })

// Past the context's own limit (value-budget.ts PASS_LIMITS.maxGrownBytes, 2 MB), met while the output
// mappings run: refused as upstream's ContextDAO.checkContextLength refuses it, before the task changes,
// with none of the mappings that ran before the one that passed it kept. It used to be answered ok and
// the execution failed with the mapping's reason.
it('a wakeup whose mappings would take the context past 2 MB is refused 30507 naming the limit, nothing mapped, the execution still waiting', { timeout: 60_000 }, async () => {
  await t?.close()
  t = await startTestApp()
  const ann = await addUser(t, 'ann')
  const outputs = [...Array.from({ length: 8 }, (_, i) => `{source: $.output.items, target: $.context.c${i}}`), '{source: $.output.go, target: $.context.go}']
  const id = await waitingOn(ann, 'big', outputs)
  const before = t.app.store.jobs.get(jobOf(id))!.context
  const r = await wake(ann, id, JSON.stringify({ go: true, items: Array.from({ length: 400_000 }, () => 0) }))
  expect(r.status, JSON.stringify(r.body)).toBe(500)
  expect(r.body).toEqual({ error_code: 30507, error: expect.stringMatching(/^content length:\d+ exceed the limit: mapping \(source: \$\.output\.items, target: \$\.context\.c\d\) of task a: the context would exceed 2 MiB .*nothing was changed/) })
  expect(outcome(id)).toMatchObject({ status: 'running', error: null, tasks: { a: 'running', done: 'pending' }, inputOfA: { go: false }, c0: undefined })
  expect(t.app.store.jobs.get(jobOf(id))!.context).toEqual(before)
  expect(t.app.engine.act(jobOf(id), (ctl) => ctl.job.context)).toEqual(before)
  // a smaller wakeup is taken and moves `a` on
  const small = await wake(ann, id, JSON.stringify({ go: true, items: [1, 2, 3] }))
  expect(small).toMatchObject({ status: 200, body: { result: 'ok' } })
  await untilExecutionsWait(t.app, [id], {})
  expect(outcome(id)).toMatchObject({ status: 'succeeded', tasks: { a: 'succeeded', done: 'succeeded' }, c0: 3 })
})

// The body a wakeup keeps on its task (its output, as get.json shows it) is held work too: weighed with
// what the wakeup maps, before the conditions run. It used to be left out of the weighing, so a wakeup
// whose body took the user past the bound was answered ok and its execution failed when committed.
it('a wakeup whose body, kept as the task output, would pass the bound of held work is refused 30507, the execution still waiting', { timeout: 60_000 }, async () => {
  await t?.close()
  t = await startTestApp({ maxHeldWorkPerUser: { bytes: BOUND } })
  const bob = await addUser(t, 'bob')
  const id = await waitingOn(bob, 'kept', [])
  const held = t.app.store.keptBytes.liveStateOf('bob')
  expect(held).toBeLessThan(BOUND / 4)
  // 240 kB of `{}`: far more than the bound once held as 80,000 maps
  const r = await wake(bob, id, JSON.stringify({ go: false, items: Array.from({ length: 80_000 }, () => ({})) }))
  expect(r.status, JSON.stringify(r.body)).toBe(500)
  expect(r.body).toEqual({ error_code: 30507, error: expect.stringMatching(/^content length:\d+ exceed the limit: this would make user bob's unfinished jobs hold .*at most 400,000 bytes of it; nothing was changed/) })
  const job = jobOf(id)
  expect(t.app.store.jobs.get(job)).toMatchObject({ status: 'running', error: null })
  expect(t.app.store.jobs.task(job, 'a')).toMatchObject({ status: 'running', output: null })
  expect(t.app.engine.act(job, (ctl) => ctl.task('a')!.output ?? null)).toBeNull()
  expect(t.app.store.keptBytes.liveStateOf('bob')).toBe(held)
  const small = await wake(bob, id, JSON.stringify({ go: false, items: [{}] }))
  expect(small).toMatchObject({ status: 200, body: { result: 'ok' } })
  expect(t.app.store.jobs.task(job, 'a')).toMatchObject({ status: 'running', output: { go: false, items: [{}] } })
  expect(t.app.store.jobs.get(job)).toMatchObject({ status: 'running', error: null })
})

// A value over a copy's own limit (value-budget.ts VALUE_LIMITS: 1,000,000 elements) is skipped by a
// tolerant mapping after a task's call, as upstream logs and goes on; a wakeup is a client's request it
// can send again, so it is refused as the other limits of its context are, nothing mapped. It used to
// be answered ok with the value silently left out and the rest mapped (`a` moved on without `c0`).
it('a wakeup mapping a value of more than 1,000,000 elements is refused 30507 naming the mapping, nothing mapped', { timeout: 60_000 }, async () => {
  await t?.close()
  t = await startTestApp()
  const cy = await addUser(t, 'cy')
  const id = await waitingOn(cy, 'many', ['{source: $.output.items, target: $.context.c0}', '{source: $.output.go, target: $.context.go}'])
  const before = t.app.store.jobs.get(jobOf(id))!.context
  const r = await wake(cy, id, JSON.stringify({ go: true, items: Array.from({ length: 1_000_001 }, () => 0) }))
  expect(r.status, JSON.stringify(r.body)).toBe(500)
  expect(r.body).toEqual({ error_code: 30507, error: expect.stringMatching(/^content length:\d+ exceed the limit: mapping \(source: \$\.output\.items, target: \$\.context\.c0\) of task a: the value has more than 1000000 elements \(1000001 lists, maps and scalars inside it\); nothing was changed/) })
  expect(outcome(id)).toMatchObject({ status: 'running', error: null, tasks: { a: 'running', done: 'pending' }, inputOfA: { go: false }, c0: undefined })
  expect(t.app.store.jobs.get(jobOf(id))!.context).toEqual(before)
  expect(t.app.engine.act(jobOf(id), (ctl) => ctl.job.context)).toEqual(before)
})
