import { afterEach, describe, expect, it } from 'vitest'
import { TaskFailure, type Executor } from '../../electron/engine/executor'
import { ManualClock, settle } from '../support/manual-clock'
import { dagTasks, makeEngine, submit } from '../support/engine'
import { tempStore } from '../support/temp-store'

let cleanup: (() => void) | undefined
afterEach(() => cleanup?.())

function setup(opts: Parameters<typeof makeEngine>[1] = {}) {
  const clock = opts.clock
  const t = tempStore(clock ? () => clock.now() : undefined) // stored times on the same clock as the engine's
  const engine = makeEngine(t.store, opts)
  cleanup = () => {
    engine.stop() // nothing may tick against a closed store
    t.cleanup()
  }
  return { ...t, engine }
}

/** Records start order and the most tasks seen running at once. */
function recorder(delayMs = 5): Executor & { order: string[]; maxRunning: number } {
  let running = 0
  const rec = {
    name: 'rec',
    resumable: true,
    order: [] as string[],
    maxRunning: 0,
    async run(ctx: { taskName: string }) {
      rec.order.push(ctx.taskName)
      running++
      rec.maxRunning = Math.max(rec.maxRunning, running)
      await new Promise((r) => setTimeout(r, delayMs))
      running--
      return { output: { ran: ctx.taskName } }
    },
  }
  return rec
}

describe('engine', () => {
  it('runs a DAG in dependency order and stores every final state', async () => {
    const rec = recorder()
    const { engine, store } = setup({ executors: [rec] })
    //  a ──► b ──► d
    //   └──► c ───┘
    const tasks = dagTasks({ b: ['a'], c: ['a'], d: ['b', 'c'] }).map((t) => ({ ...t, executor: 'rec' }))
    const job = submit(engine, tasks)
    const done = await engine.waitFor(job.id)
    expect(done.status).toBe('succeeded')
    expect(rec.order[0]).toBe('a')
    expect(rec.order[3]).toBe('d')
    const stored = store.jobs.get(job.id)!
    expect(stored).toMatchObject({ status: 'succeeded', progress: 1, result: { ran: 'd' } })
    const states = store.jobs.tasks(job.id).map((t) => [t.name, t.status, t.attempt])
    expect(states.sort()).toEqual([
      ['a', 'succeeded', 1],
      ['b', 'succeeded', 1],
      ['c', 'succeeded', 1],
      ['d', 'succeeded', 1],
    ])
  })

  it('never runs more tasks at once than its concurrency limit', async () => {
    const rec = recorder(10)
    const { engine } = setup({ executors: [rec], concurrency: 3 })
    const tasks = Array.from({ length: 12 }, (_, i) => ({ name: `t${i}`, executor: 'rec' }))
    const job = submit(engine, tasks)
    expect((await engine.waitFor(job.id)).status).toBe('succeeded')
    expect(rec.maxRunning).toBe(3)
  })

  it('fails a job whose task fails, leaving its dependents unrun but finishing independent branches', async () => {
    const { engine, store } = setup()
    const job = submit(engine, [
      { name: 'bad', executor: 'noop', spec: { fail: 'boom' } },
      { name: 'after', executor: 'noop', dependsOn: ['bad'] },
      { name: 'other', executor: 'noop' },
    ])
    const done = await engine.waitFor(job.id)
    expect(done.status).toBe('failed')
    expect(done.error).toBe('task bad: boom')
    const byName = Object.fromEntries(store.jobs.tasks(job.id).map((t) => [t.name, t.status]))
    expect(byName).toEqual({ bad: 'failed', after: 'pending', other: 'succeeded' })
    expect(store.logs.read(job.id, 0, 10).lines.map((l) => l.text)).toContain('task bad failed: boom')
  })

  it('retries with exponential backoff on the injected clock, then succeeds', async () => {
    const clock = new ManualClock()
    const { engine, store } = setup({ clock })
    const job = submit(engine, [{ name: 'flaky', executor: 'noop', spec: { fail: 'glitch', failTimes: 2 }, maxAttempts: 3, backoffMs: 1000 }])
    await settle()
    let task = store.jobs.tasks(job.id)[0]
    expect(task).toMatchObject({ status: 'queued', attempt: 1, runAfter: clock.now() + 1000 })
    clock.advance(999)
    await settle()
    expect(store.jobs.tasks(job.id)[0].attempt).toBe(1) // not before its time
    clock.advance(1)
    await settle()
    task = store.jobs.tasks(job.id)[0]
    expect(task).toMatchObject({ status: 'queued', attempt: 2, runAfter: clock.now() + 2000 }) // doubled
    clock.advance(2000)
    const done = await engine.waitFor(job.id)
    expect(done.status).toBe('succeeded')
    expect(store.jobs.tasks(job.id)[0].attempt).toBe(3)
    expect(store.jobs.tasks(job.id)[0].attempts.map((a) => [a.attempt, a.status, a.error])).toEqual([
      [1, 'failed', 'glitch'],
      [2, 'failed', 'glitch'],
      [3, 'succeeded', null],
    ])
    const log = store.logs.read(job.id, 0, 10).lines.map((l) => l.text)
    // every retry line names its attempt, the first too (it said "try 1 failed", #9 attempts wording)
    expect(log).toEqual([
      'try 1 of attempt 1 failed: glitch; retrying in 1000 ms',
      'try 2 of attempt 1 failed: glitch; retrying in 2000 ms',
    ])
  })

  it('gives up after the last attempt, and never retries a non-retryable failure', async () => {
    const userError: Executor = {
      name: 'bad-input',
      resumable: true,
      run: async () => {
        throw new TaskFailure('spec is wrong', false)
      },
    }
    const clock = new ManualClock()
    const { engine, store } = setup({ clock, executors: [userError] })
    const job = submit(engine, [{ name: 't', executor: 'bad-input', maxAttempts: 5 }])
    expect((await engine.waitFor(job.id)).status).toBe('failed')
    expect(store.jobs.tasks(job.id)[0].attempt).toBe(1)
    // its try named as a retry's line names it, and why no other followed (#9 last check: "task t failed: …")
    expect(store.logs.read(job.id, 0, 10).lines.map((l) => l.text)).toEqual(['try 1 of attempt 1 failed: spec is wrong; not retried'])
    const once = submit(engine, [{ name: 'once', executor: 'bad-input' }]) // a task that may not retry keeps its words
    await engine.waitFor(once.id)
    expect(store.logs.read(once.id, 0, 10).lines.map((l) => l.text)).toEqual(['task once failed: spec is wrong'])
  })

  it('times a task out on the injected clock and marks the job timed_out', async () => {
    const clock = new ManualClock()
    const { engine, store } = setup({ clock })
    const job = submit(engine, [{ name: 'slow', executor: 'noop', spec: { delayMs: 60_000 }, timeoutMs: 5000 }])
    await settle()
    expect(store.jobs.tasks(job.id)[0].status).toBe('running')
    clock.advance(5000)
    const done = await engine.waitFor(job.id)
    expect(done.status).toBe('timed_out')
    expect(store.jobs.tasks(job.id)[0]).toMatchObject({ status: 'timed_out', error: 'timed out after 5000 ms' })
  })

  it('cancels a running job: queued work is dropped and running work is aborted', async () => {
    const { engine, store } = setup({ concurrency: 1 })
    const job = submit(engine, [
      { name: 'long', executor: 'noop', spec: { delayMs: 60_000 } },
      { name: 'next', executor: 'noop', dependsOn: ['long'] },
      { name: 'waiting', executor: 'noop' },
    ])
    await settle()
    const summary = engine.cancel(job.id)
    expect(summary.status).toBe('cancelling')
    expect(store.jobs.get(job.id)!.status).toBe('cancelling') // committed before acted on
    const done = await engine.waitFor(job.id)
    expect(done.status).toBe('cancelled')
    const byName = Object.fromEntries(store.jobs.tasks(job.id).map((t) => [t.name, t.status]))
    expect(byName).toEqual({ long: 'cancelled', next: 'cancelled', waiting: 'cancelled' })
    expect(() => engine.cancel(job.id)).toThrow(`job ${job.id} has already ended (cancelled)`)
    expect(() => engine.cancel(999)).toThrow('job 999 does not exist')
  })

  it('times out a job that waits in the queue longer than its queueTimeoutMs', async () => {
    const clock = new ManualClock()
    const { engine, store } = setup({ clock, concurrency: 1 })
    const busy = submit(engine, [{ name: 'hog', executor: 'noop', spec: { delayMs: 60_000 } }])
    const waiting = engine.submit({ uuid: 'q-1', kind: 'script', name: 'patient', submitter: 'admin', labels: { queueTimeoutMs: '1000' } }, [
      { name: 'main', executor: 'noop' },
    ])
    await settle()
    expect(store.jobs.get(waiting.id)!.status).toBe('queued')
    clock.advance(1000)
    const done = await engine.waitFor(waiting.id)
    expect(done).toMatchObject({ status: 'timed_out', error: 'waited more than 1000 ms in the queue without starting' })
    expect(store.jobs.tasks(waiting.id)[0].status).toBe('cancelled')
    engine.cancel(busy.id)
  })

  it('emits job, task and log events after they are committed', async () => {
    const { engine, store } = setup()
    const seen: string[] = []
    engine.on('job.changed', ({ job }) => {
      expect(store.jobs.get(job.id)!.status).toBe(job.status)
      seen.push(`job:${job.status}`)
    })
    engine.on('task.changed', ({ task }) => seen.push(`task:${task.status}`))
    const job = submit(engine, [{ name: 'x', executor: 'noop', spec: { fail: 'no' } }])
    await engine.waitFor(job.id)
    await settle()
    expect(seen).toEqual(['job:queued', 'task:queued', 'task:running', 'job:running', 'task:failed', 'job:failed'])
  })

  it('rejects a bad DAG before storing anything', () => {
    const { engine, store } = setup()
    expect(() => submit(engine, dagTasks({ a: ['b'], b: ['a'] }))).toThrow(/^cycle found: (a -> b -> a|b -> a -> b)$/)
    expect(() => submit(engine, [{ name: 'a', executor: 'warp-drive' }])).toThrow('no executor named "warp-drive"')
    expect(store.jobs.list({}).total).toBe(0)
  })
})
