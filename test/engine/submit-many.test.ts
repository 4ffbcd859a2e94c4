// A batch submitted at once (Engine.submitMany): all stored and run, or — when one DAG is bad — none stored.
import { randomUUID } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { makeEngine } from '../support/engine'
import { tempStore } from '../support/temp-store'

let cleanup: (() => void) | undefined
afterEach(() => cleanup?.())

function setup() {
  const t = tempStore()
  const engine = makeEngine(t.store, { concurrency: 8 })
  cleanup = () => {
    engine.stop()
    t.cleanup()
  }
  return { ...t, engine }
}

const job = (name: string) => ({ uuid: randomUUID(), kind: 'dag' as const, name, submitter: 'admin' })

describe('Engine.submitMany', () => {
  it('stores a batch in order and runs every job of it to the end', async () => {
    const { engine, store } = setup()
    const recs = engine.submitMany(Array.from({ length: 300 }, (_, i) => ({ job: job(`j${i}`), tasks: [{ name: 't', executor: 'noop' }] })))
    expect(recs.map((r) => r.name)).toEqual(Array.from({ length: 300 }, (_, i) => `j${i}`))
    const done = await Promise.all(recs.map((r) => engine.waitFor(r.id)))
    expect(done.every((d) => d.status === 'succeeded')).toBe(true)
    expect(store.jobs.get(recs[299].id)?.status).toBe('succeeded')
  })

  it('stores nothing when one DAG of the batch is bad, and says which task', () => {
    const { engine, store } = setup()
    const before = store.jobs.list({ limit: 10 }).total
    expect(() =>
      engine.submitMany([
        { job: job('good'), tasks: [{ name: 'a', executor: 'noop' }] },
        { job: job('bad'), tasks: [{ name: 'b', executor: 'no-such-executor' }] },
      ]),
    ).toThrow(/task "b": no executor named "no-such-executor"/)
    expect(store.jobs.list({ limit: 10 }).total).toBe(before)
  })

  it('stores nothing when the store refuses one job of the batch (a uuid used twice), and runs nothing', async () => {
    const { engine, store } = setup()
    const before = store.jobs.list({ limit: 10 }).total
    const uuid = randomUUID()
    expect(() =>
      engine.submitMany([
        { job: { ...job('first'), uuid }, tasks: [{ name: 'a', executor: 'noop' }] },
        { job: { ...job('second'), uuid }, tasks: [{ name: 'a', executor: 'noop' }] },
      ]),
    ).toThrow(/UNIQUE/)
    expect(store.jobs.list({ limit: 10 }).total).toBe(before)
    expect(store.jobs.getByUuid(uuid)).toBeUndefined()
  })
})
