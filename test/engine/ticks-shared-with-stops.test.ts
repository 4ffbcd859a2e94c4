// While one job's stop ends its tasks a slice per tick (beginStop/stopSome), or a fan-out's deferred
// work fills ticks, every other tick starts ready tasks first: another user's job starts and ends
// during the stop, not after it. atk18 (test/http/attack-stop-starves-others.test.ts): a tick whose
// stop or deferred work spent its slice started nobody's task, and alice's SELECT 1 waited 3.2-4.0 s
// for dave's stop of 100,000 tasks (7.4-8.8 s for his fan-out).
import { randomUUID } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import type { Engine } from '../../electron/engine/engine'
import type { NewTask } from '../../electron/store/job.repository'
import { TICK_MAX_CHANGES } from '../../electron/engine/budget'
import { gatedWideJob, makeEngine } from '../support/engine'
import { settle } from '../support/manual-clock'
import { tempStore } from '../support/temp-store'

let cleanup: (() => void) | undefined
afterEach(() => cleanup?.())

const WIDE = 40 * TICK_MAX_CHANGES // a stop of 40 ticks at least

const submitAs = (engine: Engine, submitter: string, tasks: NewTask[]) => engine.submit({ uuid: randomUUID(), kind: 'dag', name: `${submitter}'s job`, submitter }, tasks)

describe("another user's job while one job is being stopped in slices", () => {
  it('starts and ends before the stop has ended', async () => {
    const t = tempStore()
    const engine = makeEngine(t.store)
    cleanup = () => {
      void engine.stop(0)
      t.cleanup()
    }
    const dave = submitAs(engine, 'dave', gatedWideJob(WIDE))
    await settle()
    expect(engine.cancel(dave.id).status).toBe('cancelling')
    const alice = submitAs(engine, 'alice', [{ name: 'only', executor: 'noop' }])
    const ended = await engine.waitFor(alice.id)
    const daveThen = t.store.jobs.taskCountsByStatus(dave.id) as Record<string, number>
    expect(ended.status).toBe('succeeded')
    // dave's stop is still under way: most of his tasks wait to be ended
    expect(t.store.jobs.get(dave.id)!.status).toBe('cancelling')
    expect(daveThen.pending ?? 0).toBeGreaterThan(WIDE / 2)
    expect((await engine.waitFor(dave.id)).status).toBe('cancelled')
    expect(t.store.jobs.taskCountsByStatus(dave.id)).toEqual({ cancelled: WIDE + 1 })
  })
})
