// A cancel of a job of many tasks ends them a tick's slice at a time, each slice committed, never all
// in one turn of the event loop: a cancel of 50,000 waiting tasks held the main thread 677-1,005 ms
// (atk17, test/workflows/attack-cancel-wide-foreach.probe.test.ts). The job is `cancelling` meanwhile,
// stored, so a restart in the middle still ends it cancelled.
import { afterEach, describe, expect, it } from 'vitest'
import type { Engine } from '../../electron/engine/engine'
import { TICK_MAX_CHANGES } from '../../electron/engine/budget'
import { watchCommits } from '../support/commit-watch'
import { gatedWideJob, makeEngine, submit } from '../support/engine'
import { settle } from '../support/manual-clock'
import { tempStore } from '../support/temp-store'

let cleanup: (() => void) | undefined
afterEach(() => cleanup?.())

const WIDE = 3000

const wideJob = () => gatedWideJob(WIDE)

function setup() {
  const t = tempStore()
  const engines: Engine[] = [makeEngine(t.store)]
  cleanup = () => {
    for (const e of engines) void e.stop(0)
    t.cleanup()
  }
  return { t, engine: engines[0], engines }
}

describe('a cancel of a job of many tasks', () => {
  it('answers at once, ends the tasks in several commits, and ends the job cancelled with all of them', async () => {
    const { t, engine } = setup()
    const job = submit(engine, wideJob())
    await settle()
    expect(t.store.jobs.task(job.id, 'gate')!.status).toBe('running')
    const commits = watchCommits(t.store, (task) => (task.jobId === job.id && task.status === 'cancelled' ? task.name : undefined))
    const answer = engine.cancel(job.id)
    // the answer comes after the first slice only: the job is cancelling, stored so, and most tasks wait
    expect(answer.status).toBe('cancelling')
    expect(t.store.jobs.get(job.id)!.status).toBe('cancelling')
    expect(commits.length).toBe(1)
    expect(commits[0].length).toBeLessThanOrEqual(TICK_MAX_CHANGES)
    expect(t.store.jobs.taskCountsByStatus(job.id).pending).toBeGreaterThan(WIDE - TICK_MAX_CHANGES - 1)
    const done = await engine.waitFor(job.id)
    expect(done.status).toBe('cancelled')
    expect(t.store.jobs.taskCountsByStatus(job.id)).toEqual({ cancelled: WIDE + 1 })
    // no commit saved more than a slice's worth, and every task was saved cancelled once
    expect(commits.length).toBeGreaterThanOrEqual(WIDE / TICK_MAX_CHANGES)
    expect(Math.max(...commits.map((c) => c.length))).toBeLessThanOrEqual(TICK_MAX_CHANGES)
    expect(new Set(commits.flat()).size).toBe(WIDE + 1)
  })

  it('a small job still ends cancelled in the cancel itself', async () => {
    const { t, engine } = setup()
    const job = submit(engine, [
      { name: 'a', executor: 'noop', spec: { delayMs: 600_000 } },
      { name: 'b', executor: 'noop', dependsOn: ['a'] },
    ])
    await settle()
    expect(engine.cancel(job.id).status).toBe('cancelling') // its running task is being stopped
    expect((await engine.waitFor(job.id)).status).toBe('cancelled')
    const queued = submit(engine, [{ name: 'only', executor: 'noop', dependsOn: [] }, { name: 'next', executor: 'noop', dependsOn: ['only'] }])
    expect(engine.cancel(queued.id).status).toBe('cancelled') // nothing running, two tasks: one slice
    expect(t.store.jobs.taskCountsByStatus(queued.id)).toEqual({ cancelled: 2 })
  })

  it('still ends cancelled, every task cancelled, when JobDesk restarts in the middle of it', async () => {
    const { t, engine, engines } = setup()
    const job = submit(engine, wideJob())
    await settle()
    engine.cancel(job.id)
    await engine.stop(0) // as a shutdown mid-cancel: the rest of the tasks are not walked
    const counts = t.store.jobs.taskCountsByStatus(job.id)
    expect(t.store.jobs.get(job.id)!.status).toBe('cancelling')
    expect(counts.pending).toBeGreaterThan(0)
    const again = makeEngine(t.store)
    engines.push(again)
    again.recover()
    const done = await again.waitFor(job.id)
    expect(done.status).toBe('cancelled')
    expect(t.store.jobs.taskCountsByStatus(job.id)).toEqual({ cancelled: WIDE + 1 })
    expect(done.error).toBe('cancelled by user')
  })

  it('keeps the reason it was given (a sub-flow stopped with its parent) as its error, also through a restart in the middle', async () => {
    const { t, engine, engines } = setup()
    const job = submit(engine, wideJob())
    await settle()
    engine.cancel(job.id, 'stopped with its parent (job #1, task sub)')
    engine.cancel(job.id, 'a second stop') // the first reason stays
    await engine.stop(0)
    expect(t.store.jobs.get(job.id)!.status).toBe('cancelling')
    const again = makeEngine(t.store)
    engines.push(again)
    again.recover()
    const done = await again.waitFor(job.id)
    expect(done.status).toBe('cancelled')
    expect(done.error).toBe('stopped with its parent (job #1, task sub)')
  })
})
