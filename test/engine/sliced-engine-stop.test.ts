// A job the engine ends on its own account (quarantine: a fault in its driver, its state past a quota,
// its fan-out past the held-work bound; or its queue timeout) ends its tasks a tick's slice at a time,
// each slice committed, as a cancel does (sliced-cancel.test.ts), never all in one turn: failing a
// 100k-task foreach in one pass held the main thread 603 ms in process and the served probe 284 s
// (the reverted a3e4bb25). The job is `cancelling` meanwhile, stored with the state it ends in, so a
// restart in the middle still ends it failed with its reason, or timed_out with its message.
import { afterEach, describe, expect, it } from 'vitest'
import type { Engine } from '../../electron/engine/engine'
import { dagDriver } from '../../electron/engine/dag-driver'
import type { JobDriver } from '../../electron/engine/driver'
import type { NewTask } from '../../electron/store/job.repository'
import { TICK_MAX_CHANGES } from '../../electron/engine/budget'
import { watchCommits } from '../support/commit-watch'
import { makeEngine, submit } from '../support/engine'
import { ManualClock, settle } from '../support/manual-clock'
import { tempStore } from '../support/temp-store'

let cleanup: (() => void) | undefined
afterEach(() => cleanup?.())

const WIDE = 3000

/** The DAG driver, with a fault: the end of a task named `boom` throws, which the engine must survive by failing the job. */
const faulty: JobDriver = {
  ...dagDriver,
  settled(ctl, task) {
    if (task.name === 'boom') throw new Error('a driver fault')
    dagDriver.settled(ctl, task)
  },
}

/** A task that runs until stopped, one that ends at once (boom), and WIDE tasks waiting for the first (pending). */
const faultyJob = (): NewTask[] => [
  { name: 'gate', executor: 'noop', spec: { delayMs: 600_000 } },
  { name: 'boom', executor: 'noop' },
  ...Array.from({ length: WIDE }, (_, i) => ({ name: `w${i}`, executor: 'noop', dependsOn: ['gate'] })),
]

/** A job of one task that waits for a slot and WIDE pending after it, that may wait 1 s in the queue. */
const patientJob = (engine: Engine) =>
  engine.submit({ uuid: `q-${Math.random()}`, kind: 'dag', name: 'patient', submitter: 'admin', labels: { queueTimeoutMs: '1000' } }, [
    { name: 'first', executor: 'noop' },
    ...Array.from({ length: WIDE }, (_, i) => ({ name: `w${i}`, executor: 'noop', dependsOn: ['first'] })),
  ])

function setup(o: { clock?: ManualClock; concurrency?: number } = {}) {
  const t = tempStore(o.clock ? () => o.clock!.now() : undefined)
  const opts = { driverFor: () => faulty, clock: o.clock, concurrency: o.concurrency }
  const engines: Engine[] = [makeEngine(t.store, opts)]
  const errors: unknown[] = []
  const { error } = console
  console.error = (...a: unknown[]) => void errors.push(a) // the fault is reported: expected here
  cleanup = () => {
    console.error = error
    for (const e of engines) void e.stop(0)
    t.cleanup()
  }
  const restart = () => {
    const again = makeEngine(t.store, opts)
    engines.push(again)
    again.recover()
    return again
  }
  return { t, engine: engines[0], restart, errors }
}

/** Waits, a turn of the event loop at a time, until the job is stored `cancelling`. */
async function untilCancelling(t: ReturnType<typeof tempStore>, id: number): Promise<void> {
  for (let i = 0; i < 10_000 && t.store.jobs.get(id)!.status !== 'cancelling'; i++) await new Promise((r) => setImmediate(r))
  expect(t.store.jobs.get(id)!.status).toBe('cancelling')
}

describe('a job the engine fails (quarantine) with many tasks', () => {
  it('ends them in slices, each committed, the job cancelling meanwhile, and ends failed with the reason', async () => {
    const { t, engine, errors } = setup()
    const stored: string[] = []
    const job = submit(engine, faultyJob())
    const commits = watchCommits(
      t.store,
      (task) => (task.jobId === job.id && task.status === 'cancelled' ? task.name : undefined),
      () => stored.push(t.store.jobs.get(job.id)!.status),
    )
    const done = await engine.waitFor(job.id)
    expect(done.status).toBe('failed')
    expect(done.error).toBe('settling task boom failed unexpectedly: a driver fault')
    expect(errors.length).toBe(1) // the fault, reported once
    expect(t.store.jobs.taskCountsByStatus(job.id)).toEqual({ succeeded: 1, cancelled: WIDE + 1 })
    // no commit saved more than a slice's worth; the job was stored cancelling between them
    expect(commits.length).toBeGreaterThanOrEqual(WIDE / TICK_MAX_CHANGES)
    expect(Math.max(...commits.map((c) => c.length))).toBeLessThanOrEqual(TICK_MAX_CHANGES)
    expect(new Set(commits.flat()).size).toBe(WIDE + 1)
    expect(stored.slice(0, -1).every((s) => s === 'cancelling')).toBe(true)
    expect(stored.at(-1)).toBe('failed')
  })

  it('still ends failed with its reason, every task ended, when JobDesk restarts in the middle of it', async () => {
    const { t, engine, restart } = setup()
    const job = submit(engine, faultyJob())
    await untilCancelling(t, job.id)
    await engine.stop(0) // as a shutdown mid-stop: the rest of the tasks are not walked
    expect(t.store.jobs.taskCountsByStatus(job.id).pending).toBeGreaterThan(0)
    const done = await restart().waitFor(job.id)
    expect(done).toMatchObject({ status: 'failed', error: 'settling task boom failed unexpectedly: a driver fault' })
    expect(t.store.jobs.taskCountsByStatus(job.id)).toEqual({ succeeded: 1, cancelled: WIDE + 1 })
  })
})

describe('a job of many tasks that waits in the queue past its queueTimeoutMs', () => {
  it('ends its tasks in slices, each committed, and ends timed_out with its message', async () => {
    const clock = new ManualClock()
    const { t, engine } = setup({ clock, concurrency: 1 })
    const hog = submit(engine, [{ name: 'hog', executor: 'noop', spec: { delayMs: 600_000 } }])
    await settle()
    const job = patientJob(engine)
    await settle()
    expect(t.store.jobs.get(job.id)!.status).toBe('queued')
    const commits = watchCommits(t.store, (task) => (task.jobId === job.id && task.status === 'cancelled' ? task.name : undefined))
    clock.advance(1000)
    // the timeout ends a slice and answers: the job is stored cancelling, most of its tasks still pending
    expect(t.store.jobs.get(job.id)!.status).toBe('cancelling')
    expect(commits.length).toBe(1)
    const done = await engine.waitFor(job.id)
    expect(done).toMatchObject({ status: 'timed_out', error: 'waited more than 1000 ms in the queue without starting' })
    expect(t.store.jobs.taskCountsByStatus(job.id)).toEqual({ cancelled: WIDE + 1 })
    expect(commits.length).toBeGreaterThanOrEqual(WIDE / TICK_MAX_CHANGES)
    expect(Math.max(...commits.map((c) => c.length))).toBeLessThanOrEqual(TICK_MAX_CHANGES)
    engine.cancel(hog.id)
  })

  it('still ends timed_out with its message when JobDesk restarts in the middle of it', async () => {
    const clock = new ManualClock()
    const { t, engine, restart } = setup({ clock, concurrency: 1 })
    submit(engine, [{ name: 'hog', executor: 'noop', spec: { delayMs: 600_000 } }])
    await settle()
    const job = patientJob(engine)
    await settle()
    clock.advance(1000)
    expect(t.store.jobs.get(job.id)!.status).toBe('cancelling')
    await engine.stop(0)
    expect(t.store.jobs.taskCountsByStatus(job.id).pending).toBeGreaterThan(0)
    const done = await restart().waitFor(job.id)
    expect(done).toMatchObject({ status: 'timed_out', error: 'waited more than 1000 ms in the queue without starting' })
    expect(t.store.jobs.taskCountsByStatus(job.id)).toEqual({ cancelled: WIDE + 1 })
  })

  it('a small one still ends timed_out in the timeout itself', async () => {
    const clock = new ManualClock()
    const { t, engine } = setup({ clock, concurrency: 1 })
    submit(engine, [{ name: 'hog', executor: 'noop', spec: { delayMs: 600_000 } }])
    await settle()
    const job = engine.submit({ uuid: 'q-small', kind: 'dag', name: 'patient', submitter: 'admin', labels: { queueTimeoutMs: '1000' } }, [{ name: 'main', executor: 'noop' }])
    await settle()
    clock.advance(1000)
    expect(t.store.jobs.get(job.id)).toMatchObject({ status: 'timed_out', error: 'waited more than 1000 ms in the queue without starting' })
  })
})
