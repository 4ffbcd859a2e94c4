// Foreach progress counts items, not groups started (#8.6): 12 items with maxConcurrency 3 are
// 0/12, 3/12, 6/12 done; after a cancel the items that never ran are counted as cancelled, in the
// Workflows page's view (ExecutionView) and in get.json's sub_group_index_to_status.
import { beforeAll, describe, expect, it } from 'vitest'
import type { TestApp } from '../support/app'
import type { rillClient } from './support/rill-client'
import { rillSuite } from './support/rill-suite'
import { foreachWorkflow, HOLD_TASK, PICK_CHOICE } from '../support/workflows'

const suite = rillSuite()
let t: TestApp
let rill: ReturnType<typeof rillClient>
beforeAll(() => ({ t, rill } = suite))

const TWELVE = foreachWorkflow('progress:twelve', HOLD_TASK, 3)

describe('foreach progress by items', () => {
  it('counts done/total items while groups wait for a slot, and the cancelled ones after a cancel', async () => {
    const executionId = await rill.submit(await rill.addDescriptor(TWELVE), { items: Array.from({ length: 12 }, (_, i) => i) })
    const jobId = t.app.workflows.execution(executionId).job.id
    const items = async () => (await t.call('GET', `/api/v1/executions/${jobId}`)).body.tasks.find((x: { name: string }) => x.name === 'each').items
    const groups = async () => (await rill.get(executionId)).tasks.each.sub_group_index_to_status as Record<string, string>
    const wake = async (from: number, to: number) => {
      for (let i = from; i < to; i++) {
        const r = await rill.call('POST', `/flow/wakeup.json?execution_id=${encodeURIComponent(executionId)}&task_name=each_${i}-hold`, { go: true })
        expect(r.status).toBe(200)
      }
    }

    await expect.poll(items).toMatchObject({ total: 12, done: 0, running: 3, waiting: 9, cancelled: 0, started: [0, 1, 2] })
    expect(Object.values(await groups())).toEqual([...Array(3).fill('RUNNING'), ...Array(9).fill('READY')])
    await wake(0, 3)
    await expect.poll(items).toMatchObject({ total: 12, done: 3, succeeded: 3, running: 3, waiting: 6 })
    await wake(3, 6)
    await expect.poll(items).toMatchObject({ total: 12, done: 6, succeeded: 6, running: 3, waiting: 3 })
    expect((await rill.get(executionId)).process).toBe(50) // groups ended / groups, not tasks made so far
    expect((await t.call('GET', `/api/v1/executions/${jobId}`)).body.progress).toBe(0.5)
    // the Jobs list's bar says the same (it used to count the tasks made so far: 6 of 9 → 67%)
    expect((await t.call('GET', `/api/v1/jobs/${jobId}`)).body.progress).toBe(0.5)

    expect((await t.call('POST', `/api/v1/jobs/${jobId}/cancel`)).status).toBe(200)
    await expect.poll(async () => (await rill.get(executionId)).dag_status).toBe('FAILED')
    expect(await items()).toEqual({ total: 12, done: 6, succeeded: 6, failed: 0, running: 0, waiting: 0, cancelled: 6, skipped: 0, started: [0, 1, 2, 3, 4, 5, 6, 7, 8] })
    expect(Object.values(await groups())).toEqual([...Array(6).fill('SUCCEED'), ...Array(3).fill('FAILED'), ...Array(3).fill('NOT_STARTED')])
    expect((await t.call('GET', `/api/v1/executions/${jobId}`)).body.progress).toBe(0.5)
  })

  it('a choice counts the branch not taken as skipped', async () => {
    const yaml = `workspace: progress
dagName: picking
type: flow
tasks:
${PICK_CHOICE}`
    const executionId = await rill.submit(await rill.addDescriptor(yaml), { n: 9 })
    await rill.finished(executionId)
    const view = await t.call('GET', `/api/v1/executions/${t.app.workflows.execution(executionId).job.id}`)
    expect(view.body.tasks.find((x: { name: string }) => x.name === 'pick').items).toMatchObject({ total: 2, done: 1, succeeded: 1, skipped: 1 })
  })
})
