// A redo of an execution that is being cancelled (job `cancelling`: its running calls are stopping).
// To Rill Flow that execution is still RUNNING, and Rill Flow's redo is taken whatever its DAG's
// state (DAGRunner.resetTask checks none): so JobDesk takes it too, in both the Rill Flow dialect
// (redo.json) and the Workflows page (native redo), and runs it once the cancel has ended, never beside
// the calls still stopping. Before, it answered 409 task_running ("cancel or wait for it") for the
// task being stopped, or failed with a bare "illegal job transition cancelling → running" (a 500)
// after resetting the other tasks it named, leaving them pending in a cancelled job.
// The first call of `a` hangs; its executor takes until `release()` to stop once aborted, as a
// process or a graph query does (their stop reaches the work only between batches).
import { beforeAll, describe, expect, it } from 'vitest'
import type { Executor, ExecutorRegistry } from '../../electron/engine/executor'
import { waitForStatus, type TestApp } from '../support/app'
import type { rillClient } from './support/rill-client'
import { rillSuite } from './support/rill-suite'
import type { SampleExecutor } from './support/sample-executor'

const suite = rillSuite()
let t: TestApp
let exec: SampleExecutor
let rill: ReturnType<typeof rillClient>
/** Lets an aborted call of the function executor end (each test sets its own). */
let release: () => void = () => undefined
beforeAll(() => {
  ;({ t, exec, rill } = suite)
  // the function executor, as the app made it, ends an aborted call only once released
  const registry = (t.app.engine as unknown as { executors: ExecutorRegistry }).executors
  const fn = registry.get('rillflow.function')!
  const slowToStop: Executor = {
    ...fn,
    async run(ctx) {
      const released = new Promise<void>((ok) => (release = ok))
      try {
        return await fn.run(ctx)
      } finally {
        if (ctx.signal.aborted) await released
      }
    },
  }
  registry.register(slowToStop)
})

/** Submits `rc:<dag>` (a → b, both answered by the sample executor; a's first call hangs), waits for a's call, cancels it over the native API: the job is `cancelling`. */
async function cancellingExecution(dag: string): Promise<{ id: string; jobId: number; calls: (name: string) => number }> {
  await rill.addDescriptor(`workspace: rc
dagName: ${dag}
type: flow
tasks:
  - {category: function, name: a, pattern: task_sync, resourceName: "${exec.url}/answer.json", next: b}
  - {category: function, name: b, pattern: task_sync, resourceName: "${exec.url}/answer.json"}
`)
  exec.answer('a', new Promise<never>(() => {}), { a: 2 })
  exec.answer('b', { b: 1 }, { b: 2 })
  const id = await rill.submit(`rc:${dag}`, {})
  const jobId = t.app.workflows.execution(id, 'none', 'none').job.id
  const calls = (name: string) => exec.calls.filter((c) => c.query.execution_id === id && c.query.name === name).length
  const end = Date.now() + 10_000
  while (calls('a') < 1 && Date.now() < end) await new Promise((ok) => setTimeout(ok, 10))
  const cancel = await t.call('POST', `/api/v1/jobs/${jobId}/cancel`)
  expect(cancel.status, JSON.stringify(cancel.body)).toBe(200)
  expect((await t.call('GET', `/api/v1/jobs/${jobId}`)).body.status).toBe('cancelling')
  return { id, jobId, calls }
}

/** After the redo was taken: still cancelling, nothing called again until the stopping call has ended; then a and b run once more and the job succeeds. */
async function runsOnceCancelEnds(jobId: number, calls: (name: string) => number, redone: string[]): Promise<void> {
  await new Promise((ok) => setTimeout(ok, 200))
  expect((await t.call('GET', `/api/v1/jobs/${jobId}`)).body.status).toBe('cancelling')
  expect([calls('a'), calls('b')]).toEqual([1, 0])
  release()
  const done = await waitForStatus(t, jobId, ['succeeded', 'failed'], 10_000)
  expect(done.status, JSON.stringify(done)).toBe('succeeded')
  expect([calls('a'), calls('b')]).toEqual([2, 1])
  const tasks = t.app.store.jobs.tasks(jobId)
  expect(tasks.map((x) => [x.name, x.status, x.output])).toEqual([
    ['a', 'succeeded', { a: 2 }],
    ['b', 'succeeded', { b: 1 }],
  ])
  const log = JSON.stringify((await t.call('GET', `/api/v1/jobs/${jobId}/logs/text`)).body)
  expect(log).toContain('waits for the cancel to end')
  expect(log).toContain(`redo: ${redone.join(', ')}`)
}

describe('redo of an execution being cancelled', () => {
  it('Rill Flow redo.json of every unfinished task: {"result":"ok"}, run once the cancel has ended', async () => {
    const { id, jobId, calls } = await cancellingExecution('all')
    const res = await fetch(`${t.url}/flow/redo.json?execution_id=${encodeURIComponent(id)}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ result: 'ok' })
    expect((await rill.get(id)).dag_status).toBe('RUNNING')
    await runsOnceCancelEnds(jobId, calls, ['b', 'a'])
  })

  it('Rill Flow redo.json naming the task after the stopping one: taken (not a 500), applied once the cancel has ended', async () => {
    const { id, jobId, calls } = await cancellingExecution('named')
    const res = await fetch(`${t.url}/flow/redo.json?execution_id=${encodeURIComponent(id)}&task_names=b`, { method: 'POST' })
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ result: 'ok' })
    release()
    const done = await waitForStatus(t, jobId, ['succeeded', 'failed', 'cancelled'], 10_000)
    // as a redo of b in the cancelled job would: b waits on a, which stays cancelled; the job ends, nothing ran again
    expect(done.status).toBe('failed')
    expect(t.app.store.jobs.tasks(jobId).map((x) => [x.name, x.status])).toEqual([['a', 'cancelled'], ['b', 'pending']])
    expect([calls('a'), calls('b')]).toEqual([1, 0])
    expect(JSON.stringify((await t.call('GET', `/api/v1/jobs/${jobId}/logs/text`)).body)).toMatch(/redo of b waits for the cancel to end.*redo: b\\n/)
  })

  it('keeps at most 16 redos waiting for one cancel (stored, redo-cancelling-restart.test.ts): the 17th is a 409 saying so', async () => {
    const { id, jobId } = await cancellingExecution('bounded')
    const redo = () => fetch(`${t.url}/flow/redo.json?execution_id=${encodeURIComponent(id)}`, { method: 'POST' })
    for (let i = 0; i < 16; i++) expect((await redo()).status).toBe(200)
    expect(t.app.store.pendingRedos.count(jobId)).toBe(16)
    const refused = await redo()
    expect(refused.status).toBe(409)
    expect(JSON.stringify(await refused.json())).toMatch(/is being cancelled and already has 16 redos waiting for the cancel to end/)
    release()
    await waitForStatus(t, jobId, ['succeeded', 'failed'], 20_000)
    expect(t.app.store.pendingRedos.count(jobId)).toBe(0)
  })

  it('the Workflows page’s redo: 200 with the execution still cancelling, run once the cancel has ended', async () => {
    const { jobId, calls } = await cancellingExecution('native')
    const redo = await t.call('POST', `/api/v1/executions/${jobId}/redo`, { tasks: ['a'] })
    expect(redo.status, JSON.stringify(redo.body)).toBe(200)
    expect(redo.body).toMatchObject({ jobId, status: 'cancelling' })
    await runsOnceCancelEnds(jobId, calls, ['a', 'b'])
  })
})
