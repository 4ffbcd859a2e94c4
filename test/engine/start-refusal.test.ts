// EngineOptions.startRefusal: asked as every attempt starts (the app's rights check, services/
// run-rights.ts). A reason fails the task with it at once: no executor runs, no attempt is left, and
// a job that waited in the queue ends without running.
import { afterEach, describe, expect, it } from 'vitest'
import { TaskFailure, type Executor } from '../../electron/engine/executor'
import { makeEngine, submit } from '../support/engine'
import { tempStore } from '../support/temp-store'

let cleanup: (() => void) | undefined
afterEach(() => cleanup?.())

describe('startRefusal', () => {
  it('stops the retries of a running job and a queued job once it gives a reason', async () => {
    const t = tempStore()
    let refusal: string | null = null
    const runs: string[] = []
    // each run is refused from then on, as when an admin takes a right away during the first attempt
    const failing: Executor = {
      name: 'failing',
      resumable: false,
      async run(ctx) {
        runs.push(ctx.taskName)
        refusal = 'bob may no longer run this'
        throw new TaskFailure('exit 1')
      },
    }
    const engine = makeEngine(t.store, { concurrency: 1, executors: [failing], startRefusal: () => refusal })
    cleanup = () => {
      void engine.stop()
      t.cleanup()
    }
    const retried = submit(engine, [{ name: 'retried', executor: 'failing', maxAttempts: 4, backoffMs: 10 }])
    const queued = submit(engine, [{ name: 'queued', executor: 'failing' }])

    const [a, b] = await Promise.all([engine.waitFor(retried.id), engine.waitFor(queued.id)])
    expect(runs).toEqual(['retried'])
    expect(a.status).toBe('failed')
    expect(a.error).toContain('bob may no longer run this')
    expect(b.status).toBe('failed')
    expect(b.error).toContain('bob may no longer run this')
    const task = t.store.jobs.tasks(retried.id)[0]
    expect(task.attempt).toBe(2) // the refused attempt is counted, and none after it
    expect(task.error).toBe('bob may no longer run this')
  })
})
