// A crash after a flow_sync task was retried, before its parent recorded the retry's child: the
// restart (service.ts reconcileJob) finds the child of the task's current attempt, never the one its
// first attempt started. It used to take the newest child of the task whatever attempt started it: with
// the retry's child not yet stored, that was the first attempt's, and the retry followed it.
import { rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { Engine } from '../../electron/engine/engine'
import { ExecutorRegistry } from '../../electron/engine/executor'
import { openStore } from '../../electron/store'
import { createRillFlow } from '../../electron/workflows/rillflow'
import { storeTestAdmin } from './support/open-rill'
import { tempDir } from '../support/temp-store'

const PARENT = `workspace: retrycrash
dagName: parent
type: flow
tasks:
  - {category: function, name: sub, pattern: flow_sync, resourceName: "rillflow://retrycrash:child", retry: {maxRetryTimes: 1, intervalInSeconds: 0},
     outputMappings: [{source: $.output.done, target: $.context.childDone}]}
`
const CHILD = `workspace: retrycrash
dagName: child
type: flow
tasks:
  - {category: suspense, name: wait, conditions: ["$.input.[?(@.go == true)]"], inputMappings: [{source: $.context.go, target: $.input.go}],
     outputMappings: [{source: $.output.go, target: $.context.go}, {source: $.output.go, target: $.context.done}]}
`
const caller = { username: 'test', isAdmin: true }

const boot = (file: string) => {
  const store = openStore(file)
  storeTestAdmin(store)
  const rill = createRillFlow(store, () => 'http://127.0.0.1:1')
  const engine = new Engine({ store, executors: new ExecutorRegistry(rill.executors), driverFor: rill.driverFor })
  return { store, engine, workflows: rill.service(engine) }
}
type App = ReturnType<typeof boot>
const open: App[] = []
afterEach(() => {
  for (const a of open.splice(0)) {
    a.engine.stop()
    if (a.store.db.open) a.store.close()
  }
})

/**
 * Runs the parent until its task's first child is cancelled (the task fails, is retried) and the
 * second attempt's child waits; then stops, as a crash just after the retry's child was stored would
 * leave it: the parent's task running in attempt 2, not yet linked to that child.
 */
async function retriedThenCrashed() {
  const file = join(tempDir(), 'jobdesk.db')
  const a = boot(file)
  open.push(a)
  for (const text of [CHILD, PARENT]) a.workflows.addDescriptor({ workspace: undefined, dagName: undefined, text, caller })
  const { job } = a.workflows.submit({ descriptorId: 'retrycrash:parent', context: {}, caller })
  await expect.poll(() => a.store.jobs.childOf(job.id, 'sub')?.status).toBe('running')
  const first = a.store.jobs.childOf(job.id, 'sub')!
  a.engine.cancel(first.id)
  await expect.poll(() => a.store.jobs.childOf(job.id, 'sub')?.id).not.toBe(first.id)
  const second = a.store.jobs.childOf(job.id, 'sub')!
  await expect.poll(() => a.store.jobs.get(second.id)?.status).toBe('running')
  a.engine.stop()
  expect(a.store.jobs.task(job.id, 'sub')).toMatchObject({ status: 'running', attempt: 2 })
  expect(a.store.jobs.get(first.id)!.status).toBe('cancelled')
  a.store.db.prepare("UPDATE tasks SET runtime = NULL WHERE job_id = ? AND name = 'sub'").run(job.id)
  return { file, a, job, first, second }
}

/** Restarts on `file` as the app does: recovery, then the sub-flows' reconcile. */
function restart(file: string): App {
  const b = boot(file)
  open.push(b)
  b.engine.recover()
  b.workflows.reconcile()
  return b
}

describe('a crash after a sub-flow task was retried', () => {
  it("links the task to its second attempt's child and finishes with it", async () => {
    const { file, a, job, second } = await retriedThenCrashed()
    a.store.close()
    const b = restart(file)
    expect(b.store.jobs.task(job.id, 'sub')!.runtime?.referencedExecutionId).toBe(second.labels.executionId)
    b.workflows.wakeup(second.labels.executionId, 'wait', { go: true })
    const done = await b.engine.waitFor(job.id)
    expect(done.status).toBe('succeeded')
    expect(done.context).toMatchObject({ childDone: true })
    rmSync(dirname(file), { recursive: true, force: true })
  })

  for (const labelled of [true, false]) {
    it(`fails the retry as interrupted when its child never got stored, not following the first attempt's child (${labelled ? 'children labelled with their attempt' : 'children stored before that label'})`, async () => {
      const { file, a, job, first, second } = await retriedThenCrashed()
      a.store.db.prepare('DELETE FROM jobs WHERE id = ?').run(second.id) // the crash came before the retry's child was stored
      if (!labelled) a.store.db.prepare("UPDATE jobs SET labels = json_remove(labels, '$.parentAttempt') WHERE id = ?").run(first.id)
      a.store.close()
      const b = restart(file)
      const done = await b.engine.waitFor(job.id)
      const task = b.store.jobs.task(job.id, 'sub')!
      expect(task.runtime?.referencedExecutionId).not.toBe(first.labels.executionId)
      expect({ job: done.status, task: task.status, attempt: task.attempt, error: task.error }).toEqual({
        job: 'failed',
        task: 'failed',
        attempt: 2,
        error: 'interrupted: JobDesk stopped before this sub-flow started',
      })
      rmSync(dirname(file), { recursive: true, force: true })
    })
  }
})
