// Every held wait has its deadline (#8.5): an async function whose executor never calls back, a
// flow_sync sub-flow whose child never ends, a suspense never woken. When timeline.timeoutInSeconds
// passes the task fails with "timeout", retries apply, a late callback is refused with Rill Flow's
// error (FunctionTaskRunner.finish: 30601 "repeated finish task"), and the deadline survives a restart.
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Engine } from '../../electron/engine/engine'
import { ExecutorRegistry } from '../../electron/engine/executor'
import { openStore, type Store } from '../../electron/store'
import { createRillFlow } from '../../electron/workflows/rillflow'
import { storeTestAdmin } from './support/open-rill'
import type { WorkflowService } from '../../electron/workflows/rillflow/service'
import type { TestApp } from '../support/app'
import { ManualClock, settle } from '../support/manual-clock'
import { tempDir } from '../support/temp-store'
import type { rillClient } from './support/rill-client'
import { rillSuite } from './support/rill-suite'
import type { SampleExecutor } from './support/sample-executor'

const suite = rillSuite()
let t: TestApp
let exec: SampleExecutor
let rill: ReturnType<typeof rillClient>
beforeAll(() => ({ t, exec, rill } = suite))

const asyncDag = (name: string, extra = '') => `
workspace: deadline
dagName: ${name}
type: flow
tasks:
  - {category: function, name: A, pattern: task_async, resourceName: ${'EXEC'}/accept.json, timeline: {timeoutInSeconds: "1"}${extra}}
`

describe('an async function whose executor never calls back (the issue’s reproduction)', () => {
  it('fails with a timeout after timeoutInSeconds, and a later callback is refused', async () => {
    const id = await rill.submit(await rill.addDescriptor(asyncDag('never').replace('EXEC', exec.url)), {})
    await expect.poll(() => exec.calls.filter((c) => c.query.execution_id === id).length).toBe(1)
    expect((await rill.get(id)).dag_status).toBe('RUNNING')
    const ret = await rill.finished(id, 6000)
    expect(ret.dag_status).toBe('FAILED')
    expect(ret.tasks.A.status).toBe('FAILED')
    expect(ret.tasks.A.invoke_msg.msg).toBe('timeout')
    expect(ret.dag_invoke_msg.msg).toMatch(/A: timeout/)

    const late = await rill.call('POST', `/flow/finish.json?execution_id=${encodeURIComponent(id)}&task_name=A`, { result_type: 'SUCCESS' })
    expect(late.status).toBe(500)
    expect(late.body).toEqual({ error_code: 30601, error: `validateDAGInfo dag executionId:${id} is finished` })
    const logs = await t.call('GET', `/api/v1/jobs/${t.app.workflows.execution(id).job.id}/logs`)
    expect(logs.body.lines.map((l: { text: string }) => l.text).join('\n')).toMatch(/no callback within 1 s \(timeline\.timeoutInSeconds\)/)
  })

  it('retries a timed-out attempt; the first attempt’s callback is then refused and the second’s accepted', async () => {
    const yaml = asyncDag('retried', ', retry: {maxRetryTimes: 1}').replace('EXEC', exec.url)
    const id = await rill.submit(await rill.addDescriptor(yaml), {})
    const dispatches = () => exec.calls.filter((c) => c.query.execution_id === id)
    await expect.poll(() => dispatches().length, { timeout: 5000 }).toBe(2)
    await expect.poll(async () => (await rill.get(id)).tasks.A.status).toBe('RUNNING')
    const callbackPath = (n: number) => {
      const url = String(dispatches()[n].headers['x-callback-url'])
      return url.slice(url.indexOf('/flow/'))
    }
    const first = await rill.call('POST', callbackPath(0), { result_type: 'SUCCESS' })
    expect(first.status).toBe(500)
    expect(first.body).toEqual({ error_code: 30601, error: 'repeated finish task A' })
    expect((await rill.get(id)).tasks.A.status).toBe('RUNNING')
    const second = await rill.call('POST', callbackPath(1), { result_type: 'SUCCESS' })
    expect(second.status).toBe(200)
    const ret = await rill.finished(id)
    expect(ret.dag_status).toBe('SUCCEED')
    expect(ret.tasks.A.invoke_msg.invoke_time_infos).toHaveLength(2)
  })
})

describe('deadlines on an injected clock, across a restart', () => {
  let file: string
  let clock: ManualClock
  let store: Store
  let engine: Engine
  let workflows: WorkflowService
  const boot = () => {
    store = openStore(file)
    storeTestAdmin(store)
    const parts = createRillFlow(store, () => 'http://127.0.0.1:1')
    engine = new Engine({ store, executors: new ExecutorRegistry(parts.executors), driverFor: parts.driverFor, clock })
    workflows = parts.service(engine)
  }
  /** Stops as a crash would (nothing more is recorded) and starts again `laterMs` later, on a fresh clock. */
  const restart = (laterMs = 0) => {
    engine.stop()
    store.close()
    const now = clock.now() + laterMs
    clock = new ManualClock()
    clock.advance(now - clock.now())
    boot()
    engine.recover()
    workflows.reconcile()
    clock.advance(0) // timers already due fire now, as the system clock's would
  }
  beforeAll(() => {
    file = join(tempDir(), 'jobdesk.db')
    clock = new ManualClock()
    boot()
  })
  afterAll(() => {
    engine.stop()
    store.close()
  })
  const add = (text: string) => workflows.addDescriptor({ workspace: undefined, dagName: undefined, text, caller: { username: 'test', isAdmin: true } }).descriptorId
  const task = (executionId: string, name: string) => workflows.execution(executionId).tasks.find((x) => x.name === name)!

  it('an async call’s deadline is kept through a restart and fires at the same time', async () => {
    const { executionId, job } = workflows.submit({ descriptorId: add(asyncDag('durable').replace('EXEC', exec.url).replace('"1"', '"30"')), context: {}, caller: { username: 'test', isAdmin: true } })
    await expect.poll(() => task(executionId, 'A').runtime?.held).toBe(true)
    expect(task(executionId, 'A').runtime?.holdDeadline).toBe(task(executionId, 'A').startedAt! + 30_000)
    restart(20_000)
    clock.advance(9_999)
    await settle()
    expect(task(executionId, 'A').status).toBe('running')
    clock.advance(1)
    expect((await engine.waitFor(job.id)).status).toBe('failed')
    expect(task(executionId, 'A').error).toBe('timeout')
  })

  it('an async call interrupted before its answer was recorded still times out after a restart', async () => {
    const { executionId, job } = workflows.submit({ descriptorId: add(asyncDag('interrupted').replace('EXEC', exec.url).replace('"1"', '"30"')), context: {}, caller: { username: 'test', isAdmin: true } })
    await expect.poll(() => task(executionId, 'A').runtime?.held).toBe(true)
    engine.stop()
    // what a crash during the HTTP call leaves: running, not yet held
    store.db.prepare("UPDATE tasks SET runtime = NULL WHERE job_id = ? AND name = 'A'").run(job.id)
    restart(31_000)
    expect((await engine.waitFor(job.id)).status).toBe('failed')
    expect(task(executionId, 'A').error).toBe('timeout')
  })

  it('a retried attempt is held anew with its own deadline, also across a restart during the retry wait', async () => {
    const yaml = asyncDag('retryDeadline', ', retry: {maxRetryTimes: 1, intervalInSeconds: 10}').replace('EXEC', exec.url).replace('"1"', '"30"')
    const { executionId, job } = workflows.submit({ descriptorId: add(yaml), context: {}, caller: { username: 'test', isAdmin: true } })
    await expect.poll(() => task(executionId, 'A').runtime?.held).toBe(true)
    clock.advance(30_000)
    await expect.poll(() => task(executionId, 'A').status).toBe('queued')
    expect(task(executionId, 'A').runtime?.held).toBeUndefined()
    expect(task(executionId, 'A').runtime?.holdDeadline).toBeUndefined()
    restart(10_000)
    await expect.poll(() => task(executionId, 'A').runtime?.held).toBe(true)
    const second = task(executionId, 'A')
    expect(second.attempt).toBe(2)
    expect(second.runtime?.holdDeadline).toBe(second.startedAt! + 30_000)
    clock.advance(30_000)
    expect((await engine.waitFor(job.id)).status).toBe('failed')
    expect(task(executionId, 'A').attempts.map((a) => a.error)).toEqual(['timeout', 'timeout'])
  })

  it('a flow_sync sub-flow that outlives its deadline fails its parent task and is cancelled', async () => {
    add(`workspace: deadline
dagName: slowChild
type: flow
tasks:
  - {category: suspense, name: wait, conditions: ["$.input.[?(@.go == true)]"], inputMappings: [{source: $.context.go, target: $.input.go}]}
`)
    const parent = add(`workspace: deadline
dagName: parent
type: flow
tasks:
  - {category: function, name: sub, pattern: flow_sync, resourceName: "rillflow://deadline:slowChild", timeline: {timeoutInSeconds: "5"}}
`)
    const { executionId, job } = workflows.submit({ descriptorId: parent, context: {}, caller: { username: 'test', isAdmin: true } })
    await expect.poll(() => store.jobs.childOf(job.id, 'sub')?.status).toBe('running')
    const child = store.jobs.childOf(job.id, 'sub')!
    clock.advance(5_000)
    expect((await engine.waitFor(job.id)).status).toBe('failed')
    expect(task(executionId, 'sub').error).toBe('timeout')
    await expect.poll(() => store.jobs.get(child.id)!.status).toBe('cancelled')
    expect(() => workflows.wakeup(child.labels.executionId, 'wait', { go: true })).toThrow(/is finished/)
  })

  it('a suspense never woken fails at its deadline even when the restart comes after it', async () => {
    const { executionId, job } = workflows.submit({
      descriptorId: add(`workspace: deadline
dagName: sleepy
type: flow
tasks:
  - {category: suspense, name: S, conditions: ["$.input.[?(@.go == true)]"], timeline: {timeoutInSeconds: "10"}}
`),
      context: {},
      caller: { username: 'test', isAdmin: true },
    })
    await expect.poll(() => task(executionId, 'S').runtime?.held).toBe(true)
    restart(60_000)
    expect((await engine.waitFor(job.id)).status).toBe('failed')
    expect(task(executionId, 'S').error).toBe('timeout')
  })
})
