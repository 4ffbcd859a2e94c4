// A crash (kill -9) in the middle of a running DAG: after a restart it finishes with nothing lost
// and nothing run twice. Retry intervals and timeouts run on an injected clock.
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Engine } from '../../electron/engine/engine'
import { ExecutorRegistry } from '../../electron/engine/executor'
import { openStore, type Store } from '../../electron/store'
import { createRillFlow } from '../../electron/workflows/rillflow'
import type { WorkflowService } from '../../electron/workflows/rillflow/service'
import { ManualClock, settle } from '../support/manual-clock'
import { startServedProcess } from '../support/served-process'
import { tempDir } from '../support/temp-store'
import { rillClient } from './support/rill-client'
import { startWorker } from './support/serve-worker'
import { openRill, storeTestAdmin } from './support/open-rill'
import { startSampleExecutor, type SampleExecutor } from './support/sample-executor'

let exec: SampleExecutor
beforeAll(async () => {
  exec = await startSampleExecutor()
})
afterAll(() => exec.close())

const CRASH_DAG = (executor: string) => `
workspace: durable
dagName: crashTest
type: flow
tasks:
- {category: pass, name: A, next: B, outputMappings: [{target: $.context.items, source: '[1, 2, 3]'}]}
- category: foreach
  name: B
  next: C
  inputMappings: [{target: $.input.items, source: $.context.items}]
  iterationMapping: {collection: $.input.items, item: item}
  outputMappings: [{target: $.context.results, source: "$.output.sub_context.[*].result"}]
  tasks:
    - {category: function, name: F, resourceName: ${executor}/accept.json, pattern: task_scheduler,
       inputMappings: [{target: $.input.item, source: $.context.item}], outputMappings: [{target: $.context.result, source: $.output.result}]}
- {category: function, name: C, resourceName: ${executor}/calculate.json, pattern: task_sync,
   inputMappings: [{target: $.input.callback_result_list, source: $.context.results}], outputMappings: [{target: $.context.sum, source: $.output.sum}]}
`


describe('crash in the middle of a running DAG', () => {
  it('finishes after kill -9 and a restart, with every task run exactly once', async () => {
    const dir = tempDir()
    let { child, url } = await startWorker(dir)
    try {
      let rill = rillClient(url)
      await rill.addDescriptor(CRASH_DAG(exec.url))
      const id = await rill.submit('durable:crashTest', {})
      const dispatches = () => exec.calls.filter((c) => c.query.execution_id === id)
      await expect.poll(() => dispatches().length, { timeout: 5000 }).toBe(3)
      const finish = (task: string, result: number) =>
        rill.call('POST', `/flow/finish.json?execution_id=${encodeURIComponent(id)}&task_name=${task}`, { result, result_type: 'SUCCESS' })
      expect((await finish('B_0-F', 10)).status).toBe(200)

      child.kill('SIGKILL')
      await new Promise((r) => child.once('exit', r))
      ;({ child, url } = await startWorker(dir))
      rill = rillClient(url)

      const running = await rill.get(id)
      expect(running.dag_status).toBe('RUNNING')
      expect(running.tasks.B.sub_group_index_to_status).toEqual({ 0: 'SUCCEED', 1: 'RUNNING', 2: 'RUNNING' })
      expect((await finish('B_1-F', 20)).status).toBe(200)
      expect((await finish('B_2-F', 30)).status).toBe(200)
      const ret = await rill.finished(id)
      expect(ret.dag_status).toBe('SUCCEED')
      expect([...ret.context.results].sort()).toEqual([10, 20, 30])
      expect(ret.context.sum).toBe(60)
      const byTask = dispatches().map((c) => c.query.name).sort()
      expect(byTask).toEqual(['B_0-F', 'B_1-F', 'B_2-F', 'C']) // nothing dispatched twice
    } finally {
      child.kill('SIGKILL')
      rmSync(dir, { recursive: true, force: true })
    }
  }, 30_000)
})

describe('a crash between a foreach storing its groups and committing its own start', () => {
  it('reuses the stored group tasks when the foreach runs again', async () => {
    const file = join(tempDir(), 'jobdesk.db')
    const open = () => openRill(file)
    const a = open()
    const { descriptorId } = a.workflows.addDescriptor({
      workspace: undefined,
      dagName: undefined,
      caller: { username: 'test', isAdmin: true },
      text: `workspace: crash
dagName: groups
type: flow
tasks:
  - category: foreach
    name: loop
    inputMappings: [{source: $.context.items, target: $.input.items}]
    iterationMapping: {collection: $.input.items, item: item}
    tasks:
      - {category: suspense, name: wait, conditions: ["$.input.[?(@.go == true)]"], inputMappings: [{source: $.context.go, target: $.input.go}]}
`,
    })
    const { executionId, job } = a.workflows.submit({ descriptorId, context: { items: [1, 2] }, caller: { username: 'test', isAdmin: true } })
    await expect.poll(() => a.store.jobs.tasks(job.id).filter((t) => t.status === 'running').length).toBe(3)
    a.engine.stop()
    // what the database holds if the process died after the groups' insert, before the tick's commit
    a.store.db.prepare("UPDATE tasks SET status = 'queued', runtime = NULL, attempt = 0 WHERE job_id = ? AND name = 'loop'").run(job.id)
    a.store.db.prepare("UPDATE tasks SET status = 'pending', runtime = NULL, attempt = 0 WHERE job_id = ? AND name LIKE 'loop\_%' ESCAPE '\\'").run(job.id)
    a.store.db.prepare('DELETE FROM task_groups WHERE job_id = ?').run(job.id) // committed with the parent's state
    a.store.close()

    const b = open()
    b.engine.recover()
    await expect.poll(() => b.store.jobs.tasks(job.id).filter((t) => t.status === 'running').length).toBe(3)
    expect(b.store.jobs.tasks(job.id).map((t) => t.name).sort()).toEqual(['loop', 'loop_0-wait', 'loop_1-wait'])
    for (const name of ['loop_0-wait', 'loop_1-wait']) {
      b.engine.act(job.id, (ctl) => {
        const t = ctl.task(name)!
        const group = Number(name.split('-')[0].split('_')[1])
        ctl.groups('loop').context(group)!.go = true
        ctl.groups('loop').touch(group)
        return t
      })
      b.workflows.wakeup(executionId, name, {})
    }
    expect((await b.engine.waitFor(job.id)).status).toBe('succeeded')
    b.engine.stop()
    b.store.close()
  })
})

describe('a crash around starting a sub-flow', () => {
  const PARENT = `workspace: crash
dagName: parent
type: flow
tasks:
  - {category: function, name: sub, pattern: flow_sync, resourceName: "rillflow://crash:child", outputMappings: [{source: $.output.done, target: $.context.childDone}]}
`
  const CHILD = `workspace: crash
dagName: child
type: flow
tasks:
  - {category: suspense, name: wait, conditions: ["$.input.[?(@.go == true)]"], inputMappings: [{source: $.context.go, target: $.input.go}],
     outputMappings: [{source: $.output.go, target: $.context.go}, {source: $.output.go, target: $.context.done}]}
`
  const boot = openRill
  const start = async () => {
    const file = join(tempDir(), 'jobdesk.db')
    const a = boot(file)
    for (const text of [CHILD, PARENT]) a.workflows.addDescriptor({ workspace: undefined, dagName: undefined, text, caller: { username: 'test', isAdmin: true } })
    const { job } = a.workflows.submit({ descriptorId: 'crash:parent', context: {}, caller: { username: 'test', isAdmin: true } })
    await expect.poll(() => a.store.jobs.childOf(job.id, 'sub')?.status).toBe('running')
    a.engine.stop()
    // the parent's task as a crash just after starting the child would leave it: running, not yet held or linked
    a.store.db.prepare("UPDATE tasks SET runtime = NULL WHERE job_id = ? AND name = 'sub'").run(job.id)
    return { file, a, job }
  }

  it('links the parent to the child it had started, and finishes when the child does', async () => {
    const { file, a, job } = await start()
    const child = a.store.jobs.childOf(job.id, 'sub')!
    a.store.close()
    const b = boot(file)
    b.engine.recover()
    b.workflows.reconcile()
    expect(b.store.jobs.tasks(job.id)[0].runtime?.referencedExecutionId).toBe(child.labels.executionId)
    b.workflows.wakeup(child.labels.executionId, 'wait', { go: true })
    const done = await b.engine.waitFor(job.id)
    expect(done.status).toBe('succeeded')
    expect(done.context).toMatchObject({ childDone: true })
    b.engine.stop()
    b.store.close()
  })

  it('fails the parent task honestly when the child never got stored', async () => {
    const { file, a, job } = await start()
    const child = a.store.jobs.childOf(job.id, 'sub')!
    a.store.db.prepare('DELETE FROM jobs WHERE id = ?').run(child.id)
    a.store.close()
    const b = boot(file)
    b.engine.recover()
    b.workflows.reconcile()
    const done = await b.engine.waitFor(job.id)
    expect(done.status).toBe('failed')
    expect(b.store.jobs.tasks(job.id)[0].error).toBe('interrupted: JobDesk stopped before this sub-flow started')
    b.engine.stop()
    b.store.close()
  })
})

describe('retry and timeout on an injected clock', () => {
  let store: Store
  let engine: Engine
  let workflows: WorkflowService
  let clock: ManualClock
  beforeAll(() => {
    clock = new ManualClock()
    store = openStore(join(tempDir(), 'jobdesk.db'))
    storeTestAdmin(store)
    const rill = createRillFlow(store, () => 'http://127.0.0.1:1')
    engine = new Engine({ store, executors: new ExecutorRegistry(rill.executors), driverFor: rill.driverFor, clock })
    workflows = rill.service(engine)
  })
  afterAll(() => {
    engine.stop()
    store.close()
  })

  const run = (name: string, task: string) => {
    const { descriptorId } = workflows.addDescriptor({
      workspace: undefined,
      dagName: undefined,
      text: `workspace: clock\ndagName: ${name}\ntype: flow\ntasks:\n  - ${task}\n`,
      caller: { username: 'test', isAdmin: true },
    })
    return workflows.submit({ descriptorId, context: {}, caller: { username: 'test', isAdmin: true } })
  }
  const taskA = (executionId: string) => workflows.execution(executionId).tasks[0]

  it('waits intervalInSeconds × multiplier^attempt between attempts', async () => {
    exec.answer('A', new Error('down'), new Error('down'), { ok: true })
    const { executionId } = run('retryClock', `{category: function, name: A, resourceName: ${exec.url}/answer.json, pattern: task_sync, retry: {intervalInSeconds: 5, maxRetryTimes: 2, multiplier: 2}}`)
    const calls = () => exec.calls.filter((c) => c.query.execution_id === executionId).length
    const waiting = (attempt: number) => taskA(executionId).status === 'queued' && taskA(executionId).attempt === attempt
    await expect.poll(() => waiting(1)).toBe(true)
    expect(calls()).toBe(1)
    expect(taskA(executionId).runAfter).toBe(clock.now() + 10_000) // 5 s × 2^1
    clock.advance(9_999)
    await settle()
    expect(calls()).toBe(1)
    clock.advance(1)
    await expect.poll(() => waiting(2)).toBe(true)
    expect(calls()).toBe(2)
    expect(taskA(executionId).runAfter).toBe(clock.now() + 20_000) // 5 s × 2^2
    clock.advance(20_000)
    await expect.poll(() => taskA(executionId).status).toBe('succeeded')
    expect(calls()).toBe(3)
  })

  it('fails a task after timeline.timeoutInSeconds, or skips it when tolerant with skipOnTimeout', async () => {
    const { executionId } = run('timeoutClock', `{category: function, name: A, resourceName: ${exec.url}/hang.json, pattern: task_sync, timeline: {timeoutInSeconds: "2"}}`)
    await expect.poll(() => taskA(executionId).status).toBe('running')
    clock.advance(2000)
    await expect.poll(() => taskA(executionId).status).toBe('failed')
    expect(taskA(executionId).error).toBe('timeout')
    const tolerant = run('timeoutSkip', `{category: function, name: A, resourceName: ${exec.url}/hang.json, pattern: task_sync, tolerance: true, timeline: {timeoutInSeconds: "2", skipOnTimeout: "true"}}`)
    await expect.poll(() => taskA(tolerant.executionId).status).toBe('running')
    clock.advance(2000)
    await expect.poll(() => taskA(tolerant.executionId).status).toBe('skipped')
    expect((await engine.waitFor(tolerant.job.id)).status).toBe('succeeded')
  })

  it('times out a suspense that is never woken, and delays a task by suspenseIntervalSeconds', async () => {
    const waiting = run('suspenseClock', '{category: suspense, name: A, conditions: ["$.input.[?(@.go == true)]"], timeline: {timeoutInSeconds: "30"}}')
    await expect.poll(() => taskA(waiting.executionId).status).toBe('running')
    clock.advance(29_999)
    await settle()
    expect(taskA(waiting.executionId).status).toBe('running')
    clock.advance(1)
    await expect.poll(() => taskA(waiting.executionId).status).toBe('failed')
    expect(taskA(waiting.executionId).error).toBe('timeout')

    const delayed = run('delayClock', '{category: pass, name: A, timeline: {suspenseIntervalSeconds: "60"}}')
    await expect.poll(() => taskA(delayed.executionId).runAfter).toBe(clock.now() + 60_000)
    expect(taskA(delayed.executionId).status).toBe('queued')
    clock.advance(60_000)
    await expect.poll(() => taskA(delayed.executionId).status).toBe('succeeded')
    expect(taskA(delayed.executionId).attempt).toBe(1)
  })
})

describe('kill -9 while foreach groups and sub-flows run (#9 §5)', () => {
  const foreach = (name: string, body: string) => `
- category: foreach
  name: ${name}
  inputMappings: [{target: $.input.items, source: $.context.items}, {target: $.input.max, source: $.context.max}]
  iterationMapping: {collection: $.input.items, item: item}
  synchronization: {maxConcurrency: $.input.max}
  tasks:
    - ${body}`
  const sync = (name: string) => `{category: function, name: ${name}, resourceName: ${exec.url}/answer.json, pattern: task_sync}`
  const dag = (name: string, tasks: string) => `workspace: crash9\ndagName: ${name}Flow\ntype: flow\ntasks:${tasks}\n`

  it('settles every interrupted group after a restart: the foreach (and a sub-flow’s parent) fails with the reason, waiting groups still run', async () => {
    const dir = tempDir()
    const hang = new Promise(() => {})
    // `all`: three groups at once, each interrupted; `one`: one group at a time, the first interrupted
    for (const n of [0, 1, 2]) exec.answer(`all_${n}-F`, hang)
    exec.answer('one_0-F', hang)
    exec.answer('one_1-F', { r: 1 })
    exec.answer('one_2-F', { r: 2 })
    exec.answer('inner_0-F', hang)
    exec.answer('inner_1-F', hang)
    exec.answer('G', hang, hang)
    const seen = exec.calls.length // calls of earlier tests are not this one's
    let app = await startServedProcess(dir)
    try {
      let rill = rillClient(app.url)
      await rill.addDescriptor(dag('all', foreach('all', sync('F'))))
      await rill.addDescriptor(dag('one', foreach('one', sync('F'))))
      await rill.addDescriptor(dag('child', foreach('inner', sync('F'))))
      await rill.addDescriptor(dag('leaf', `\n- ${sync('G')}`))
      await rill.addDescriptor(dag('parent', `\n- {category: function, name: sub, pattern: flow_sync, resourceName: "rillflow://crash9:childFlow", inputMappings: [{target: $.input.items, source: $.context.items}]}`))
      await rill.addDescriptor(dag('outer', foreach('outer', '{category: function, name: S, pattern: flow_sync, resourceName: "rillflow://crash9:leafFlow"}')))
      const ids = {
        all: await rill.submit('crash9:allFlow', { items: [1, 2, 3], max: 3 }),
        one: await rill.submit('crash9:oneFlow', { items: [1, 2, 3], max: 1 }),
        parent: await rill.submit('crash9:parentFlow', { items: [1, 2] }),
        outer: await rill.submit('crash9:outerFlow', { items: [1, 2], max: 2 }),
      }
      const inFlight = () => exec.calls.slice(seen).filter((c) => c.path === '/answer.json').map((c) => c.query.name)
      await expect.poll(() => inFlight().sort(), { timeout: 10_000 }).toEqual(['G', 'G', 'all_0-F', 'all_1-F', 'all_2-F', 'inner_0-F', 'inner_1-F', 'one_0-F'])

      await app.kill('SIGKILL')
      app = await startServedProcess(dir)
      rill = rillClient(app.url)

      const all = await rill.finished(ids.all, 10_000)
      expect(all.dag_status).toBe('FAILED')
      expect(all.tasks.all.status).toBe('FAILED')
      expect(all.tasks.all.sub_group_index_to_status).toEqual({ 0: 'FAILED', 1: 'FAILED', 2: 'FAILED' })
      expect(all.dag_invoke_msg.msg).toMatch(/interrupted: JobDesk stopped while this task was running/)

      const one = await rill.finished(ids.one, 10_000)
      expect(one.dag_status).toBe('FAILED')
      expect(one.tasks.one.sub_group_index_to_status).toEqual({ 0: 'FAILED', 1: 'SUCCEED', 2: 'SUCCEED' }) // the waiting groups ran
      expect(inFlight().filter((n) => n.startsWith('one_')).sort()).toEqual(['one_0-F', 'one_1-F', 'one_2-F'])

      const parent = await rill.finished(ids.parent, 10_000)
      expect(parent.dag_status).toBe('FAILED')
      expect(parent.tasks.sub.status).toBe('FAILED')
      const child = await rill.get(parent.tasks.sub.invoke_msg.referenced_dag_execution_id)
      expect(child.dag_status).toBe('FAILED')
      expect(child.tasks.inner.sub_group_index_to_status).toEqual({ 0: 'FAILED', 1: 'FAILED' })

      const outer = await rill.finished(ids.outer, 10_000)
      expect(outer.dag_status).toBe('FAILED')
      expect(outer.tasks.outer.sub_group_index_to_status).toEqual({ 0: 'FAILED', 1: 'FAILED' })
      // nothing is left running anywhere, and nothing interrupted ran twice
      const running = await fetch(`${app.url}/api/v1/jobs?status=running`, { headers: { authorization: `Bearer ${app.token}` } })
      expect(((await running.json()) as { total: number }).total).toBe(0)
      expect(inFlight().filter((n) => n === 'G' || n.startsWith('all_') || n.startsWith('inner_'))).toHaveLength(7)
    } finally {
      await app.kill('SIGKILL')
      rmSync(dir, { recursive: true, force: true })
    }
  }, 60_000)
})

describe('a crash between the two ticks that end a wide foreach (#9)', () => {
  it('maps its output and ends it after the restart', async () => {
    const file = join(tempDir(), 'jobdesk.db')
    const open = () => openRill(file)
    const a = open()
    const caller = { username: 'test', isAdmin: true }
    const { descriptorId } = a.workflows.addDescriptor({
      workspace: undefined,
      dagName: undefined,
      caller,
      text: `workspace: crash
dagName: wide
type: flow
tasks:
  - category: foreach
    name: loop
    inputMappings: [{source: $.context.items, target: $.input.items}]
    iterationMapping: {collection: $.input.items, item: item}
    outputMappings: [{target: $.context.results, source: "$.output.sub_context.[*].doubled"}]
    tasks:
      - {category: pass, name: p, inputMappings: [{target: $.input.x, source: $.context.item}], outputMappings: [{target: $.context.doubled, source: $.output.x}]}
`,
    })
    const items = Array.from({ length: 150 }, (_, i) => i) // wider than a batch: it ends over two ticks
    const { job } = a.workflows.submit({ descriptorId, context: { items }, caller })
    expect((await a.engine.waitFor(job.id)).status).toBe('succeeded')
    expect(a.store.jobs.get(job.id)!.context!.results).toEqual(items)
    a.engine.stop()
    // what the database holds if the process died after every group ended, before the foreach's output was mapped
    a.store.db.prepare("UPDATE tasks SET status = 'running', finished_at = NULL, output = NULL, runtime = json_set(runtime, '$.held', json('true')) WHERE job_id = ? AND name = 'loop'").run(job.id)
    a.store.db.prepare("UPDATE jobs SET status = 'running', finished_at = NULL WHERE id = ?").run(job.id)
    a.store.db.prepare("UPDATE job_values SET value = json_remove(value, '$.results') WHERE job_id = ? AND name = 'context'").run(job.id)
    a.store.close()

    const b = open()
    b.engine.recover()
    const end = await Promise.race([b.engine.waitFor(job.id), new Promise<null>((r) => setTimeout(() => r(null), 10_000))])
    expect(end?.status).toBe('succeeded')
    expect(b.store.jobs.get(job.id)!.context!.results).toEqual(items)
    b.engine.stop()
    b.store.close()
  })
})
