// #9 tfui L6: a Rill Flow execution whose only work waits outside the engine (a suspense for its
// wakeup, an async function for its callback) had no waitingReason, so the Jobs page showed "working…"
// beside a sliding bar. Now GET /api/v1/jobs/:id says what it waits for, in the words of the wait's
// timeout note (runtime/driver.ts waitsFor), naming the task in an execution of several.
import { beforeAll, describe, expect, it } from 'vitest'
import type { TestApp } from '../support/app'
import { foreachWorkflow } from '../support/workflows'
import type { rillClient } from './support/rill-client'
import { rillSuite } from './support/rill-suite'
import type { SampleExecutor } from './support/sample-executor'

/** A foreach's group: one suspense task per item, waiting for a wakeup with `go: true`. */
const EACH_HOLDS = `      - {category: suspense, name: hold, conditions: ["$.input.[?(@.go == true)]"], inputMappings: [{source: $.context.it, target: $.input.it}]}
`

const suite = rillSuite()
let t: TestApp
let exec: SampleExecutor
let rill: ReturnType<typeof rillClient>
beforeAll(() => ({ t, exec, rill } = suite))

const reasonOf = async (executionId: string): Promise<string | null> => (await t.call('GET', `/api/v1/jobs/${t.app.workflows.execution(executionId).job.id}`)).body.waitingReason

describe('a running execution that only waits', () => {
  it('says "waiting for its callback" for an async function that was dispatched', async () => {
    const yaml = `
workspace: held
dagName: callback
type: flow
tasks:
  - {category: function, name: A, pattern: task_async, resourceName: ${exec.url}/accept.json, timeline: {timeoutInSeconds: "600"}}
`
    const id = await rill.submit(await rill.addDescriptor(yaml), {})
    await expect.poll(() => exec.calls.filter((c) => c.query.execution_id === id).length).toBe(1)
    await expect.poll(() => reasonOf(id)).toBe('waiting for its callback')
    await t.call('POST', `/api/v1/jobs/${t.app.workflows.execution(id).job.id}/cancel`)
  })

  it('says "task <name>: waiting for its wakeup" for a suspense after a task that ran, and nothing once it is cancelled', async () => {
    const yaml = `
workspace: held
dagName: wakeup
type: flow
tasks:
  - {category: pass, name: first, next: hold}
  - {category: suspense, name: hold, conditions: ["$.input.[?(@.go == true)]"], inputMappings: [{source: $.context.go, target: $.input.go}]}
`
    const id = await rill.submit(await rill.addDescriptor(yaml), {})
    await expect.poll(() => reasonOf(id)).toBe('task hold: waiting for its wakeup')
    await t.call('POST', `/api/v1/jobs/${t.app.workflows.execution(id).job.id}/cancel`)
    await expect.poll(() => reasonOf(id)).toBeNull()
  })
})

describe('a foreach whose items each wait', () => {
  it('says its sub-tasks wait for their wakeup, not "waiting for its answer" (#9: the foreach was named as waiting for an answer)', async () => {
    const yaml = foreachWorkflow('held:eachwakeup', EACH_HOLDS)
    const id = await rill.submit(await rill.addDescriptor(yaml), { items: [1, 2, 3] })
    // named by one item's task, the foreach not counted among those that wait
    await expect.poll(() => reasonOf(id)).toBe('task each_0-hold: waiting for its wakeup; 2 more of its tasks wait too')
    await t.call('POST', `/api/v1/jobs/${t.app.workflows.execution(id).job.id}/cancel`)
  })
})

describe('a foreach of foreaches whose items each wait', () => {
  it('names an inner item\'s wakeup past the 101 parents held before it, none of them counted', async () => {
    const yaml = `
workspace: held
dagName: nestedwakeup
type: flow
tasks:
  - category: foreach
    name: outer
    inputMappings: [{source: $.context.items, target: $.input.items}]
    iterationMapping: {collection: $.input.items, item: it}
    tasks:
      - category: foreach
        name: inner
        inputMappings: [{source: $.context.it, target: $.input.one}]
        iterationMapping: {collection: $.input.one, item: x}
        tasks:
          - {category: suspense, name: hold, conditions: ["$.input.[?(@.go == true)]"]}
`
    const id = await rill.submit(await rill.addDescriptor(yaml), { items: Array.from({ length: 100 }, () => [1]) })
    await expect.poll(() => reasonOf(id), { timeout: 30_000 }).toMatch(/^task outer_\d+-inner_0-hold: waiting for its wakeup; 99 more of its tasks wait too$/)
    await t.call('POST', `/api/v1/jobs/${t.app.workflows.execution(id).job.id}/cancel`)
  }, 60_000)
})
