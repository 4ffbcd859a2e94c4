// Redo from the Workflows page (POST /api/v1/executions/:id/redo): the execution is found without
// reading its tasks (a foreach may have made 100k, all dropped by the redo, #9 §2), the named task and
// everything after it run again, and the answer is the execution as it is then.
import { beforeAll, describe, expect, it } from 'vitest'
import { waitForStatus, type TestApp } from '../support/app'
import type { rillClient } from '../workflows/support/rill-client'
import { rillSuite } from '../workflows/support/rill-suite'
import type { SampleExecutor } from '../workflows/support/sample-executor'
import { foreachWorkflow } from '../support/workflows'

const suite = rillSuite()
let t: TestApp
let exec: SampleExecutor
let rill: ReturnType<typeof rillClient>
beforeAll(() => ({ t, exec, rill } = suite))

describe('redo of an execution from the Workflows page', () => {
  it('runs the foreach again whole and the task after it, answering the redone execution', async () => {
    await rill.addDescriptor(`workspace: redo
dagName: native
type: flow
tasks:
  - category: foreach
    name: each
    next: last
    inputMappings: [{source: $.context.items, target: $.input.items}]
    iterationMapping: {collection: $.input.items, item: it}
    tasks: [{category: pass, name: p}]
  - {category: function, name: last, pattern: task_sync, resourceName: ${exec.url}/answer.json}
`)
    exec.answer('last', { result_type: 'FAILED', error_msg: 'not this time' }, { ok: true })
    const id = await rill.submit('redo:native', { items: [1, 2, 3] })
    expect((await rill.finished(id)).dag_status).toBe('FAILED')
    const jobId = t.app.workflows.execution(id, 'none', 'none').job.id
    const before = t.app.store.jobs.tasks(jobId).filter((x) => x.name.startsWith('each_'))
    expect(before).toHaveLength(3)

    t.app.store.sweeper.stop() // the old rows stay in the file a while: no reader may show them meanwhile
    const redo = await t.call('POST', `/api/v1/executions/${jobId}/redo`, { tasks: ['each'] })
    expect(redo.status, JSON.stringify(redo.body)).toBe(200)
    expect(redo.body).toMatchObject({ jobId, executionId: id, status: 'running' })
    const oldIds = new Set(before.map((x) => x.id))
    // none of the old sub-tasks is in the answer (nor a new one yet), nor in the job's detail
    expect(redo.body.tasks.map((x: { name: string }) => x.name).sort()).toEqual(['each', 'last'])
    const detail = (await t.call('GET', `/api/v1/jobs/${jobId}`)).body.tasks as { id: number }[]
    expect(detail.filter((x) => oldIds.has(x.id))).toEqual([])
    t.app.store.sweeper.wake()
    const done = await waitForStatus(t, jobId, ['succeeded', 'failed'])
    expect(done.status).toBe('succeeded')
    const after = t.app.store.jobs.tasks(jobId)
    expect(after.map((x) => [x.name, x.status]).sort()).toEqual([['each', 'succeeded'], ['each_0-p', 'succeeded'], ['each_1-p', 'succeeded'], ['each_2-p', 'succeeded'], ['last', 'succeeded']])
    // made again, each above every id the old ones had
    expect(Math.min(...after.filter((x) => x.name.startsWith('each_')).map((x) => x.id))).toBeGreaterThan(Math.max(...before.map((x) => x.id)))
  })

  it("redoes a foreach whose calls still run: they are stopped, and only the new run's calls count", async () => {
    await rill.addDescriptor(foreachWorkflow('redo:running', `      - {category: function, name: c, pattern: task_sync, resourceName: "${exec.url}/answer.json"}\n`))
    // each group's first call waits (never answered); the redo's are answered at once
    const hang = new Promise<never>(() => {})
    for (const i of [0, 1, 2]) exec.answer(`each_${i}-c`, hang, { ok: i + 1 })
    const id = await rill.submit('redo:running', { items: [1, 2, 3] })
    const jobId = t.app.workflows.execution(id, 'none', 'none').job.id
    const calls = () => exec.calls.filter((c) => /^each_\d-c$/.test(c.query.name)).length
    const end = Date.now() + 10_000
    while (calls() < 3 && Date.now() < end) await new Promise((ok) => setTimeout(ok, 10))
    const before = t.app.store.jobs.tasks(jobId).filter((x) => x.name.startsWith('each_'))
    expect(before.map((x) => x.status), JSON.stringify(before.map((x) => x.error))).toEqual(['running', 'running', 'running'])

    const redo = await t.call('POST', `/api/v1/executions/${jobId}/redo`, { tasks: ['each'] })
    expect(redo.status, JSON.stringify(redo.body)).toBe(200)
    const done = await waitForStatus(t, jobId, ['succeeded', 'failed'])
    expect(done.status).toBe('succeeded')
    expect(calls()).toBe(6)
    const after = t.app.store.jobs.tasks(jobId).filter((x) => x.name.startsWith('each_'))
    expect(after.map((x) => `${x.name}:${x.status}`).sort()).toEqual(['each_0-c:succeeded', 'each_1-c:succeeded', 'each_2-c:succeeded'])
    expect(after.map((x) => x.output).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))).toEqual([{ ok: 1 }, { ok: 2 }, { ok: 3 }])
    const log = await t.call('GET', `/api/v1/jobs/${jobId}/logs/text`)
    expect(log.status).toBe(200)
    expect(JSON.stringify(log.body)).toContain('redo: stopping 3 running tasks it removed')
  })
})
