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

// Engine.stopRefused: the same question asked of attempts already running, when rights change (the
// app asks it from services/run-rights.ts watchRunRights). A refused attempt is stopped as cancel
// stops it, its task fails with the reason and is not retried; what the check lets run runs on.
describe('stopRefused', () => {
  it('stops only the refused attempt, fails its task with the reason, no retry; the other task runs on', async () => {
    const t = tempStore()
    const engine = makeEngine(t.store, { concurrency: 2 })
    cleanup = () => {
      void engine.stop()
      t.cleanup()
    }
    const job = submit(engine, [
      { name: 'shell', executor: 'noop', maxAttempts: 3, backoffMs: 10, spec: { delayMs: 60_000 } },
      { name: 'sql', executor: 'noop', spec: { delayMs: 1_500 } },
    ])
    await expect.poll(() => engine.liveTasks(job.id, ['shell', 'sql'])?.map((x) => x.status)).toEqual(['running', 'running'])
    await new Promise((r) => setTimeout(r, 50)) // both executors under way (started after the commit)

    const asked: string[] = []
    const stopped = engine.stopRefused((_job, task) => {
      asked.push(task.name)
      return task.name === 'shell' ? 'the scripts right was withdrawn from bob' : null
    })
    expect(stopped).toBe(1)
    expect(asked.sort()).toEqual(['shell', 'sql'])
    // asked again (another change): the attempt being stopped is not asked twice, sql is asked and runs on
    expect(engine.stopRefused((_job, task) => (task.name === 'shell' ? 'asked twice' : null))).toBe(0)

    const ended = await engine.waitFor(job.id)
    const [shell, sql] = ['shell', 'sql'].map((name) => t.store.jobs.tasks(job.id).find((x) => x.name === name)!)
    expect(shell).toMatchObject({ status: 'failed', attempt: 1, error: 'the scripts right was withdrawn from bob' })
    expect(shell.attempts.map((a) => a.status)).toEqual(['failed'])
    expect(sql).toMatchObject({ status: 'succeeded', attempt: 1 })
    expect(ended.status).toBe('failed')
    expect(ended.error).toContain('the scripts right was withdrawn from bob')
  })
})
