// A redo.json taken while its execution is cancelling is kept across a restart (#9 LOW). Rill Flow takes
// a redo whatever the DAG's state, so JobDesk answers {"result":"ok"} for it (redo-cancelling.test.ts)
// and runs it once the cancel has ended; that promise was held in memory only: when JobDesk stopped
// before the cancel settled, the next start ended the execution cancelled and the redo was gone, though
// the client had been told it was taken. Now it is stored before the answer and run after recovery.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Executor, ExecutorRegistry } from '../../electron/engine/executor'
import { startTestApp, waitForStatus, type TestApp } from '../support/app'
import { tempDir } from '../support/temp-store'
import { rillClient } from './support/rill-client'
import { startSampleExecutor, type SampleExecutor } from './support/sample-executor'

let exec: SampleExecutor
const dir = tempDir()
let later: TestApp | undefined
beforeAll(async () => {
  exec = await startSampleExecutor()
})
afterAll(async () => {
  await later?.close() // removes the data folder
  await exec?.close()
})

/** Makes the app's function executor end an aborted call only when JobDesk stops (the grace lapses): its cancel stays unsettled. */
function slowToStop(t: TestApp): void {
  const registry = (t.app.engine as unknown as { executors: ExecutorRegistry }).executors
  const fn = registry.get('rillflow.function')!
  const never = new Promise<void>(() => undefined)
  registry.register({
    ...fn,
    async run(ctx) {
      try {
        return await fn.run(ctx)
      } finally {
        if (ctx.signal.aborted) await never
      }
    },
  } satisfies Executor)
}

describe('redo.json while the execution is cancelling, then a restart', () => {
  it('is stored before {"result":"ok"} and runs after the next start', async () => {
    const first = await startTestApp({ dataDir: dir })
    slowToStop(first)
    const rill = rillClient(first.url)
    await rill.addDescriptor(`workspace: rc
dagName: kept
type: flow
tasks:
  - {category: function, name: a, pattern: task_sync, resourceName: "${exec.url}/answer.json", next: b}
  - {category: function, name: b, pattern: task_sync, resourceName: "${exec.url}/answer.json"}
`)
    exec.answer('a', new Promise<never>(() => {}), { a: 2 })
    exec.answer('b', { b: 1 })
    const id = await rill.submit('rc:kept', {})
    const jobId = first.app.workflows.execution(id, 'none', 'none').job.id
    const calls = (name: string) => exec.calls.filter((c) => c.query.execution_id === id && c.query.name === name).length
    const end = Date.now() + 10_000
    while (calls('a') < 1 && Date.now() < end) await new Promise((ok) => setTimeout(ok, 10))
    expect((await first.call('POST', `/api/v1/jobs/${jobId}/cancel`)).status).toBe(200)
    expect((await first.call('GET', `/api/v1/jobs/${jobId}`)).body.status).toBe('cancelling')
    const res = await fetch(`${first.url}/flow/redo.json?execution_id=${encodeURIComponent(id)}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"again":true}' })
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ result: 'ok' })
    // JobDesk stops before the cancel has settled (the stopping call outlives the grace)
    await first.app.close()

    later = await startTestApp({ dataDir: dir })
    const done = await waitForStatus(later, jobId, ['succeeded', 'failed', 'cancelled'], 15_000).catch(() => later!.app.store.jobs.get(jobId))
    expect(done?.status, JSON.stringify(done)).toBe('succeeded')
    expect([calls('a'), calls('b')]).toEqual([2, 1])
    expect(later.app.store.jobs.tasks(jobId).map((x) => [x.name, x.status])).toEqual([
      ['a', 'succeeded'],
      ['b', 'succeeded'],
    ])
    expect(later.app.store.jobs.get(jobId)?.context).toMatchObject({ again: true })
    expect(later.app.store.pendingRedos.count(jobId)).toBe(0) // run once, not again at the next start
    const log = JSON.stringify((await later.call('GET', `/api/v1/jobs/${jobId}/logs/text`)).body)
    expect(log).toContain('waits for the cancel to end')
    expect(log).toMatch(/redo: b, a|redo: a, b/)
  }, 60_000)
})
