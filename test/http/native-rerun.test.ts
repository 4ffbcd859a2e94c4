// Rerun (Jobs page "Rerun", POST /api/v1/jobs/:id/rerun; #8.4): a new job run by whoever asked,
// linked both ways to the job it reruns. A workflow execution becomes a new execution with its own
// execution id, on the same descriptor version and context.
import { beforeAll, describe, expect, it } from 'vitest'
import { hashPassword } from '../../electron/services/passwords'
import { waitForStatus, type TestApp } from '../support/app'
import type { rillClient } from '../workflows/support/rill-client'
import { rillSuite } from '../workflows/support/rill-suite'
import type { SampleExecutor } from '../workflows/support/sample-executor'

const suite = rillSuite()
let t: TestApp
let exec: SampleExecutor
let rill: ReturnType<typeof rillClient>
beforeAll(() => ({ t, exec, rill } = suite))

const LOOP = (executor: string, version: string) => `
workspace: rerun
dagName: loop
version: "${version}"
type: flow
tasks:
  - category: foreach
    name: each
    inputMappings: [{source: $.context.items, target: $.input.items}]
    iterationMapping: {collection: $.input.items, item: item}
    outputMappings: [{source: "$.output.sub_context.[*].sum", target: $.context.sums}]
    tasks:
      - {category: function, name: F, pattern: task_sync, resourceName: ${executor}/calculate.json,
         inputMappings: [{source: $.context.item, target: $.input.callback_result_list}], outputMappings: [{source: $.output.sum, target: $.context.sum}]}
`

describe('rerun of a workflow execution', () => {
  it('is a new execution with its own id, on the same descriptor version and context, linked both ways', async () => {
    const descriptorId = await rill.addDescriptor(LOOP(exec.url, '1'))
    const firstId = await rill.submit('rerun:loop', { items: [[1, 2], [3]] })
    const first = await rill.finished(firstId)
    expect(first.dag_status).toBe('SUCCEED')
    const oldJob = t.app.workflows.execution(firstId).job
    await rill.addDescriptor(LOOP(exec.url, '2')) // the alias moves on; the rerun keeps the version it reruns

    const rerun = await t.call('POST', `/api/v1/jobs/${oldJob.id}/rerun`)
    expect(rerun.status).toBe(201)
    const again = (await waitForStatus(t, rerun.body.id, ['succeeded', 'failed'])) as Record<string, any>
    expect(again.status).toBe('succeeded')
    expect(again.kind).toBe('workflow')
    expect(again.rerunOf).toBe(oldJob.id)
    expect(again.input).toEqual({ items: [[1, 2], [3]] })
    expect(again.labels.descriptorId).toBe(descriptorId)
    const newExecutionId = again.labels.executionId as string
    expect(newExecutionId).not.toBe(firstId)
    expect(newExecutionId).toMatch(/^rerun:loop_c_[0-9a-f-]{36}$/)
    expect(again.tasks.map((x: { name: string }) => x.name).sort()).toEqual(['each', 'each_0-F', 'each_1-F'])

    // the new execution's URL shows the new job; the old one still shows the old job
    const view = await rill.get(newExecutionId)
    expect(view.execution_id).toBe(newExecutionId)
    expect(view.dag_status).toBe('SUCCEED')
    expect(view.version).toBe('1')
    expect(view.context).toEqual({ items: [[1, 2], [3]], sums: [3, 3], flow_execution_id: newExecutionId })
    expect((await rill.get(firstId)).execution_id).toBe(firstId)
    // "Open in Workflows" on the rerun opens the rerun
    const execution = await t.call('GET', `/api/v1/executions/${again.id}`)
    expect(execution.body).toMatchObject({ jobId: again.id, executionId: newExecutionId })

    const original = await t.call('GET', `/api/v1/jobs/${oldJob.id}`)
    expect(original.body.reruns).toEqual([again.id])
    expect(original.body.rerunOf).toBeNull()
  })

  it('a failed rerun stays failed where it is opened, while the run it reran succeeded', async () => {
    await rill.addDescriptor(`workspace: rerun\ndagName: flaky\ntype: flow\ntasks:\n  - {category: function, name: A, pattern: task_sync, resourceName: ${exec.url}/answer.json}\n`)
    exec.answer('A', { ok: true }, { result_type: 'FAILED', error_msg: 'second time unlucky' })
    const id = await rill.submit('rerun:flaky', {})
    expect((await rill.finished(id)).dag_status).toBe('SUCCEED')
    const jobId = t.app.workflows.execution(id).job.id
    const rerun = await t.call('POST', `/api/v1/jobs/${jobId}/rerun`)
    const failed = await waitForStatus(t, rerun.body.id, ['succeeded', 'failed'])
    expect(failed.status).toBe('failed')
    const view = await t.call('GET', `/api/v1/executions/${failed.id}`)
    expect(view.body.status).toBe('failed')
    expect((await rill.get(failed.labels.executionId)).dag_status).toBe('FAILED')
  })

  it('a sub-flow’s rerun runs on its own: nothing waits for it', async () => {
    await rill.addDescriptor('workspace: rerun\ndagName: child\ntype: flow\ntasks:\n  - {category: pass, name: P}\n')
    await rill.addDescriptor('workspace: rerun\ndagName: parent\ntype: flow\ntasks:\n  - {category: function, name: S, pattern: flow_sync, resourceName: "rillflow://rerun:child"}\n')
    const parent = await rill.finished(await rill.submit('rerun:parent', { n: 1 }))
    const child = t.app.workflows.execution(parent.tasks.S.invoke_msg.referenced_dag_execution_id).job
    const rerun = await t.call('POST', `/api/v1/jobs/${child.id}/rerun`)
    const done = await waitForStatus(t, rerun.body.id, ['succeeded', 'failed'])
    expect(done.status).toBe('succeeded')
    expect(done.labels.parentTask).toBeUndefined()
    expect(done.input).toEqual({})
    expect(t.app.store.jobs.get(done.id)!.parentJobId).toBeNull()
  })
})

describe('the code a rerun runs (GET /api/v1/jobs/:id/code, read by the Rerun question)', () => {
  it('is the code with its variables substituted, as submitted, and what the rerun runs', async () => {
    // a value holding a line break: in the code that runs it is a second line of the string
    const code = "select '${a}' as greeting, '${user}' as who"
    const submitted = await t.call('POST', '/api/v1/jobs', { type: 'script', language: 'sql', code, variables: { a: "hi\ncleanup = off" } })
    expect((await waitForStatus(t, submitted.body.id, ['succeeded', 'failed'])).status).toBe('succeeded')
    const runs = await t.call('GET', `/api/v1/jobs/${submitted.body.id}/code`)
    expect(runs.status).toBe(200)
    expect(runs.body).toEqual([{ task: 'main', executor: 'sql', code: "select 'hi\ncleanup = off' as greeting, 'admin' as who" }])
    const rerun = await t.call('POST', `/api/v1/jobs/${submitted.body.id}/rerun`)
    const done = await waitForStatus(t, rerun.body.id, ['succeeded', 'failed'])
    expect(t.app.store.jobs.tasks(done.id)[0].spec.code, 'the rerun runs the code shown').toBe(runs.body[0].code)
    expect((await t.call('GET', `/api/v1/jobs/${done.id}/results/0`)).body.rows).toEqual([['hi\ncleanup = off', 'admin']])
  })

  it('is given only for script jobs: a workflow’s tasks are not read whole', async () => {
    const execution = await rill.finished(await rill.submit('rerun:child', {}))
    const job = t.app.workflows.execution(execution.execution_id).job
    const answer = await t.call('GET', `/api/v1/jobs/${job.id}/code`)
    expect(answer.status).toBe(400)
    expect(answer.body.error).toMatchObject({ kind: 'invalid', code: 'not_a_script', field: 'id' })
  })
})

describe('rerun runs as the user who asked for it', () => {
  it('a SQL job of another user reruns on the asker’s scratch database, submitted by the asker', async () => {
    t.app.store.users.create({ username: 'bob', passwordHash: await hashPassword('bob-secret-1'), isAdmin: false, mustChangePassword: false })
    const { token } = await t.app.auth.login('bob', 'bob-secret-1')
    const asBob = (method: string, path: string, body?: unknown) => t.call(method, path, body, { authorization: `Bearer ${token}` })
    const code = 'create table mine (x integer); insert into mine values (1); select count(*) as n from mine'
    const submitted = await asBob('POST', '/api/v1/jobs', { type: 'script', language: 'sql', code })
    expect((await waitForStatus(t, submitted.body.id, ['succeeded', 'failed'])).status).toBe('succeeded')

    // as admin: on bob's database `create table mine` would fail (it exists there)
    const rerun = await t.call('POST', `/api/v1/jobs/${submitted.body.id}/rerun`)
    const done = await waitForStatus(t, rerun.body.id, ['succeeded', 'failed'])
    expect(done.status).toBe('succeeded')
    expect(done.submitter).toBe('admin')
    expect(done.rerunOf).toBe(submitted.body.id)
    expect(t.app.store.jobs.tasks(done.id)[0].spec.user).toBe('admin')
    const rows = await t.call('GET', `/api/v1/jobs/${done.id}/results/0`)
    expect(rows.body.rows).toEqual([[1]])
    expect((await asBob('GET', `/api/v1/jobs/${submitted.body.id}`)).body.reruns).toEqual([done.id])
  })
})
