// #9 LOW "attempts after redo": after 3 redo.json calls on one task, the task panel's header said
// "Attempt 1", the invoke history's "#" 1, 1 (redo), … and the log's redo lines "attempt 1 after a redo",
// while the log's attempt picker said "attempt 4 of 4". Over real HTTP, a Rill Flow flow whose function
// task calls a local service (failing its first call): every place numbers the attempts 1..4 alike
// (shared/task-attempts.ts; the page's header and history are checked in test/e2e/task-attempts.e2e.test.ts).
// The native API serves those numbers (`attempt`, with the try within it as `try`), not the stored try counter.
import { beforeAll, expect, it } from 'vitest'
import type { LogLine, TaskAttempt, TaskView } from '../../shared/model'
import type { GridTask } from '../../shared/workflow-manage'
import { taskAttempts } from '../../shared/task-attempts'
import type { TestApp } from '../support/app'
import type { rillClient } from './support/rill-client'
import { rillSuite } from './support/rill-suite'
import type { SampleExecutor } from './support/sample-executor'

const suite = rillSuite()
let t: TestApp
let exec: SampleExecutor
let rill: ReturnType<typeof rillClient>
beforeAll(() => ({ t, exec, rill } = suite))

it('numbers the attempts of a task redone 3 times 1..4 in its view, its history and its log', { timeout: 60_000 }, async () => {
  await rill.addDescriptor(`workspace: attempts\ndagName: redo3\ntype: flow\ntasks:\n  - {category: function, name: call, pattern: task_sync, resourceName: ${exec.url}/answer.json}\n`)
  exec.answer('call', { result_type: 'FAILED', error_msg: 'first call fails' }, { n: 2 }, { n: 3 }, { n: 4 })
  const executionId = await rill.submit('attempts:redo3')
  expect((await rill.finished(executionId)).dag_status).toBe('FAILED')
  for (let i = 0; i < 3; i++) {
    const redo = await rill.call('POST', `/flow/redo.json?execution_id=${encodeURIComponent(executionId)}&task_names=call`, {})
    expect(redo.body).toEqual({ result: 'ok' })
    expect((await rill.finished(executionId)).dag_status).toBe('SUCCEED')
  }
  const jobId = t.app.workflows.execution(executionId, 'none', 'none').job.id
  const view = (await t.call('GET', `/api/v1/executions/${jobId}`)).body
  const task = view.tasks.find((x: { name: string }) => x.name === 'call')
  const log = (await t.call('GET', `/api/v1/jobs/${jobId}/logs?size=1000&task=call`)).body.lines as LogLine[]
  expect({
    header: task.attempt,
    history: task.attempts.map((a: TaskAttempt) => a.attempt),
    picker: taskAttempts(log, 'call').map((r) => r.number),
    redoLines: log.filter((l) => l.text.includes('a redo')).map((l) => l.text),
  }).toEqual({
    header: 4,
    history: [1, 2, 3, 4],
    picker: [1, 2, 3, 4],
    redoLines: [2, 3, 4].map((n) => `── attempt ${n} (a redo) ──`),
  })
})

// A retry inside a redo's attempt is that attempt's next try: it wrote a redo line of its own too
// ("attempt 2 after a redo"), so the picker showed it as an attempt of its own, which the history did not.
it('keeps a retry of a redo’s attempt in that attempt: history, header and picker alike', { timeout: 60_000 }, async () => {
  await rill.addDescriptor(
    `workspace: attempts\ndagName: retried\ntype: flow\ntasks:\n  - {category: function, name: call, pattern: task_sync, resourceName: ${exec.url}/answer.json, retry: {maxRetryTimes: 1}}\n`,
  )
  const fail = (n: number) => ({ result_type: 'FAILED', error_msg: `call ${n} fails` })
  exec.answer('call', fail(1), fail(2), fail(3), { n: 4 })
  const executionId = await rill.submit('attempts:retried')
  expect((await rill.finished(executionId)).dag_status).toBe('FAILED')
  const redo = await rill.call('POST', `/flow/redo.json?execution_id=${encodeURIComponent(executionId)}&task_names=call`, {})
  expect(redo.body).toEqual({ result: 'ok' })
  expect((await rill.finished(executionId)).dag_status).toBe('SUCCEED')
  const jobId = t.app.workflows.execution(executionId, 'none', 'none').job.id
  const task = (await t.call('GET', `/api/v1/executions/${jobId}`)).body.tasks.find((x: { name: string }) => x.name === 'call')
  const log = (await t.call('GET', `/api/v1/jobs/${jobId}/logs?size=1000&task=call`)).body.lines as LogLine[]
  expect({
    tries: task.attempts.map((a: TaskAttempt) => a.try),
    header: [task.attempt, task.try],
    history: task.attempts.map((a: TaskAttempt) => a.attempt),
    picker: taskAttempts(log, 'call').map((r) => r.number),
    redoLines: log.filter((l) => l.text.includes('a redo')).map((l) => l.text),
    // a retry's line names the try within its attempt and that attempt: it said "attempt 1 failed" in the
    // redo's 2nd attempt too, and "try 1 failed" with no attempt in the first
    retryLines: log.filter((l) => l.text.includes('retrying')).map((l) => l.text),
  }).toEqual({
    tries: [1, 2, 1, 2],
    header: [2, 2],
    history: [1, 1, 2, 2],
    picker: [1, 2],
    // it said "attempt 2 after a redo (try 3 of this task)", where every other place says "try 1 of attempt 2"
    redoLines: ['── attempt 2 (a redo) ──'],
    retryLines: ['try 1 of attempt 1 failed: call 1 fails; retrying in 0 ms', 'try 1 of attempt 2 failed: call 3 fails; retrying in 0 ms'],
  })
})

// The engine keeps a task's last 50 tries: numbers derived from the tries counted from the oldest kept, so
// 3 attempts of 25 tries each read as attempts 1 and 2 (header 2) once attempt 1's tries were dropped.
it('keeps the attempt numbers of tries past the last 50 kept', { timeout: 60_000 }, async () => {
  await rill.addDescriptor(
    `workspace: attempts\ndagName: manytries\ntype: flow\ntasks:\n  - {category: function, name: call, pattern: task_sync, resourceName: ${exec.url}/answer.json, retry: {maxRetryTimes: 24}}\n`,
  )
  exec.answer('call', ...Array.from({ length: 75 }, (_, i) => ({ result_type: 'FAILED', error_msg: `call ${i + 1} fails` })))
  const executionId = await rill.submit('attempts:manytries')
  expect((await rill.finished(executionId)).dag_status).toBe('FAILED')
  for (let i = 0; i < 2; i++) {
    expect((await rill.call('POST', `/flow/redo.json?execution_id=${encodeURIComponent(executionId)}&task_names=call`, {})).body).toEqual({ result: 'ok' })
    expect((await rill.finished(executionId)).dag_status).toBe('FAILED')
  }
  const jobId = t.app.workflows.execution(executionId, 'none', 'none').job.id
  const task = (await t.call('GET', `/api/v1/executions/${jobId}`)).body.tasks.find((x: { name: string }) => x.name === 'call')
  const history = task.attempts.map((a: TaskAttempt) => a.attempt)
  expect({ header: [task.attempt, task.try], kept: history.length, first: history[0], last: history.at(-1), tries: task.attempts[0].try }).toEqual({
    header: [3, 25],
    kept: 50,
    first: 2,
    last: 3,
    tries: 1,
  })
  expect(task.attempts[0]).not.toHaveProperty('number') // the stored number is served as `attempt`, not beside it
  // the run grid numbers it alike from the tries kept (its `attempt` was the highest raw try: 25)
  const grid = (await t.call('GET', '/api/v1/workflows/grid?workspace=attempts&name=manytries')).body
  expect(grid.runs[0].tasks.find((x: GridTask) => x.name === 'call')).toMatchObject({ attempt: 3, try: 25 })
})

// #9 attempts wording: the native API's job detail and its tasks page gave attempts[].attempt (and the
// task's `attempt`) as the stored try counter, which a redo resets ("1, 2, 1, 2" for 2 attempts of 2 tries):
// a client read the redo's attempt as the first. They give the attempt's number as the pages do, and the
// try within it as `try`, alike in GET /api/v1/jobs/:id, /api/v1/jobs/:id/tasks and /api/v1/executions/:id.
it('serves the attempt number and the try within it in the native job detail, its tasks page and the execution', { timeout: 60_000 }, async () => {
  await rill.addDescriptor(
    `workspace: attempts\ndagName: served\ntype: flow\ntasks:\n  - {category: function, name: call, pattern: task_sync, resourceName: ${exec.url}/answer.json, retry: {maxRetryTimes: 1}}\n`,
  )
  const fail = (n: number) => ({ result_type: 'FAILED', error_msg: `call ${n} fails` })
  exec.answer('call', fail(1), fail(2), fail(3), { n: 4 })
  const executionId = await rill.submit('attempts:served')
  expect((await rill.finished(executionId)).dag_status).toBe('FAILED')
  expect((await rill.call('POST', `/flow/redo.json?execution_id=${encodeURIComponent(executionId)}&task_names=call`, {})).body).toEqual({ result: 'ok' })
  expect((await rill.finished(executionId)).dag_status).toBe('SUCCEED')
  const jobId = t.app.workflows.execution(executionId, 'none', 'none').job.id
  const shown = (task: TaskView | undefined) => task && { attempt: task.attempt, try: task.try, attempts: task.attempts.map((a) => [a.attempt, a.try, a.status]) }
  const named = (tasks: TaskView[]) => shown(tasks.find((x) => x.name === 'call'))
  const detail = await t.call('GET', `/api/v1/jobs/${jobId}`)
  const page = await t.call('GET', `/api/v1/jobs/${jobId}/tasks`)
  const execution = await t.call('GET', `/api/v1/executions/${jobId}`)
  const want = {
    attempt: 2,
    try: 2,
    attempts: [
      [1, 1, 'failed'],
      [1, 2, 'failed'],
      [2, 1, 'failed'],
      [2, 2, 'succeeded'],
    ],
  }
  expect({ detail: named(detail.body.tasks), page: named(page.body.items), execution: named(execution.body.tasks) }).toEqual({ detail: want, page: want, execution: want })
  // and the API docs say so where a client reads the route
  const spec = await (await fetch(`${t.url}/openapi.json`)).json()
  expect(spec.paths['/api/v1/jobs/{id}'].get.description).toMatch(/`attempt` is its attempt’s number .* `try` the try within that attempt/)
  // the run grid's cell too: its `attempt` was the stored try counter (2, read as the attempt), with no `try`
  const grid = await t.call('GET', '/api/v1/workflows/grid?workspace=attempts&name=served')
  expect(grid.status, JSON.stringify(grid.body)).toBe(200)
  expect(grid.body.runs[0].tasks.find((x: GridTask) => x.name === 'call')).toMatchObject({ attempt: 2, try: 2 })
  expect(spec.paths['/api/v1/workflows/grid'].get.description).toMatch(/`attempt` is its attempt’s number .* `try` the try within that attempt/)
})

// A retry of a task inside a foreach: the grid's nested row gives the highest attempt of its items, with that
// item's try, as each item's own view does (its `attempt` was the highest raw try: 2, read as a second attempt).
it('gives a foreach row the attempt number and try of its items, a retry being a try of attempt 1', { timeout: 60_000 }, async () => {
  await rill.addDescriptor(
    `workspace: attempts\ndagName: eachretry\ntype: flow\ntasks:\n` +
      `  - {category: foreach, name: each, inputMappings: [{source: $.context.items, target: $.input.items}], iterationMapping: {collection: $.input.items, item: it}, ` +
      `tasks: [{category: function, name: call, pattern: task_sync, resourceName: ${exec.url}/answer.json, retry: {maxRetryTimes: 1}}]}\n`,
  )
  exec.answer('each_0-call', { result_type: 'FAILED', error_msg: 'fails' }, { n: 3 }) // answers by the item's task name
  exec.answer('each_1-call', { n: 2 })
  const executionId = await rill.submit('attempts:eachretry', { items: [1, 2] })
  expect((await rill.finished(executionId)).dag_status).toBe('SUCCEED')
  const jobId = t.app.workflows.execution(executionId, 'none', 'none').job.id
  const items = ((await t.call('GET', `/api/v1/executions/${jobId}`)).body.tasks as TaskView[]).filter((x) => x.name.endsWith('-call'))
  expect(items.map((x) => [x.name, x.attempt, x.try]).sort()).toEqual([['each_0-call', 1, 2], ['each_1-call', 1, 1]])
  const grid = (await t.call('GET', '/api/v1/workflows/grid?workspace=attempts&name=eachretry')).body
  expect(grid.runs[0].tasks.find((x: GridTask) => x.name === 'each/call')).toMatchObject({ attempt: 1, try: 2, instances: 2 })
})
