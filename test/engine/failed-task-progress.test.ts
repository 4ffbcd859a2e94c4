// #9 impjobs: a task that fails (or is cancelled) having done part of its work can say how much
// (TaskFailure.progress: an import's bytes read), and its job's progress counts that share of it; the
// engine counted a failed task as none of it (a failed import that read its whole file: 0 on the Jobs
// page, 100% on the Imports page). A failure that says nothing still counts 0, as before.
import { afterEach, expect, it } from 'vitest'
import { TaskFailure, type Executor } from '../../electron/engine/executor'
import { makeEngine, submit } from '../support/engine'
import { tempStore } from '../support/temp-store'

/** Fails at once with `spec.part` as its progress, or (with `spec.wait`) when it is stopped. */
const partly: Executor = {
  name: 'partly',
  resumable: false,
  async run(ctx) {
    const part = ctx.spec.part as number | undefined
    if (ctx.spec.wait) await new Promise((resolve) => ctx.signal.addEventListener('abort', resolve, { once: true }))
    throw new TaskFailure('stopped part of the way', false, undefined, part)
  },
}

let cleanup: (() => void) | undefined
afterEach(() => cleanup?.())

function engineOnTemp() {
  const t = tempStore()
  const engine = makeEngine(t.store, { executors: [partly] })
  cleanup = () => {
    engine.stop()
    t.cleanup()
  }
  return { engine, store: t.store }
}

it('counts the part a failed task says it did in its job’s progress, as stored', async () => {
  const { engine, store } = engineOnTemp()
  const one = submit(engine, [{ name: 'i', executor: 'partly', spec: { part: 0.4 } }])
  const two = submit(engine, [
    { name: 'a', executor: 'noop' },
    { name: 'b', executor: 'partly', spec: { part: 0.5 } },
  ])
  const silent = submit(engine, [{ name: 'i', executor: 'partly' }])
  const wrong = submit(engine, [{ name: 'i', executor: 'partly', spec: { part: 7 } }])
  for (const j of [one, two, silent, wrong]) await engine.waitFor(j.id)
  expect(store.jobs.get(one.id)).toMatchObject({ status: 'failed', progress: 0.4 })
  expect(store.jobs.get(two.id)).toMatchObject({ status: 'failed', progress: 0.75 }) // a done, half of b
  expect(store.jobs.get(silent.id)).toMatchObject({ status: 'failed', progress: 0 })
  expect(store.jobs.get(wrong.id)).toMatchObject({ status: 'failed', progress: 0 }) // outside 0..1: ignored
})

it('keeps the part a cancelled task says it did', async () => {
  const { engine, store } = engineOnTemp()
  const job = submit(engine, [{ name: 'i', executor: 'partly', spec: { part: 0.3, wait: true } }])
  await expect.poll(() => store.jobs.get(job.id)?.status, { timeout: 10_000 }).toBe('running')
  engine.cancel(job.id)
  await engine.waitFor(job.id)
  expect(store.jobs.get(job.id)).toMatchObject({ status: 'cancelled', progress: 0.3 })
})
