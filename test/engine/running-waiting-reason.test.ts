// A running job whose task waits says why (#9, sqlwait): a SQL task waiting for the SQL memory budget
// (executors/sql-memory.ts) kept its job "running" at 0% with nothing saying why; only its log did.
// The executor tells the engine it waits (TaskContext.waiting) with a function the engine asks when
// the job's waitingReason is read: told afresh each time, never stored. Real store in a temp folder.
// FAILS without TaskContext.waiting: engine.waitingReason of a running job is always null.
import { randomUUID } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import type { Executor, TaskContext } from '../../electron/engine/executor'
import { makeEngine, submit } from '../support/engine'
import { tempStore } from '../support/temp-store'

let cleanup: (() => void) | undefined
afterEach(() => cleanup?.())

/** An executor whose tasks wait (saying so) until `start(name)` or a stop, then run until `end(name)`. */
function waitingExecutor() {
  const gates = new Map<string, { start: () => void; end: () => void }>()
  let held = 3
  const ex: Executor = {
    name: 'waits',
    resumable: false,
    async run(ctx: TaskContext) {
      await new Promise<void>((start, stop) => {
        gates.set(ctx.taskName, { start, end: () => {} })
        ctx.signal.addEventListener('abort', () => stop(new Error('stopped while waiting')))
        ctx.waiting?.(() => `waiting for memory: ${held} SQL jobs hold it`)
      })
      ctx.waiting?.(null)
      await new Promise<void>((end) => (gates.get(ctx.taskName)!.end = end))
      return { output: null }
    },
  }
  return {
    ex,
    setHeld: (n: number) => (held = n),
    started: (name: string) => gates.has(name),
    start: (name: string) => gates.get(name)!.start(),
    end: (name: string) => gates.get(name)!.end(),
  }
}

function setup(concurrency = 4) {
  const t = tempStore()
  const w = waitingExecutor()
  const engine = makeEngine(t.store, { concurrency, executors: [w.ex] })
  cleanup = () => {
    void engine.stop()
    t.cleanup()
  }
  return { engine, w }
}

describe('engine: why a running job waits', () => {
  it('says what its task waits for, told afresh when asked; null once it works, and once it ended', async () => {
    const { engine, w } = setup()
    const job = submit(engine, [{ name: 'main', executor: 'waits' }])
    await expect.poll(() => w.started('main')).toBe(true)
    expect(engine.job(job.id)?.status).toBe('running')
    expect(engine.waitingReason(job.id, 'admin')).toBe('waiting for memory: 3 SQL jobs hold it')
    w.setHeld(2) // computed when asked: the budget's state now, not when the wait began
    expect(engine.waitingReason(job.id, 'admin')).toBe('waiting for memory: 2 SQL jobs hold it')
    w.start('main')
    await expect.poll(() => engine.waitingReason(job.id, 'admin')).toBeNull()
    w.end('main')
    await engine.waitFor(job.id)
    expect(engine.waitingReason(job.id, 'admin')).toBeNull()
  })

  it('a job of several tasks names the waiting one and how many more wait; a list page asks for all at once', async () => {
    const { engine, w } = setup()
    const many = submit(engine, [
      { name: 'q1', executor: 'waits' },
      { name: 'q2', executor: 'waits' },
    ])
    const working = submit(engine, [{ name: 'busy', executor: 'noop', spec: { delayMs: 60_000 } }])
    await expect.poll(() => w.started('q1') && w.started('q2')).toBe(true)
    const reasons = engine.waitingReasons([many.id, working.id], 'admin')
    expect(reasons.get(many.id)).toBe('task q1: waiting for memory: 3 SQL jobs hold it; 1 more of its tasks waits too')
    expect(reasons.has(working.id)).toBe(false) // running its noop, waiting for nothing
    w.start('q1')
    await expect.poll(() => engine.waitingReason(many.id, 'admin')).toBe('task q2: waiting for memory: 3 SQL jobs hold it')
    w.start('q2')
    await expect.poll(() => engine.waitingReason(many.id, 'admin')).toBeNull()
    w.end('q1')
    w.end('q2')
  })

  it('a cancel ends the wait: the cancelling job says nothing', async () => {
    const { engine, w } = setup()
    const job = submit(engine, [{ name: 'main', executor: 'waits' }])
    await expect.poll(() => w.started('main')).toBe(true)
    engine.cancel(job.id)
    expect(engine.waitingReason(job.id, 'admin')).toBeNull()
    expect((await engine.waitFor(job.id)).status).toBe('cancelled')
  })

  // #9 (atk, attack-sql-memory-one-user): SQL tasks waiting for the memory budget held their slots, so
  // with one user's endless SQL jobs holding the budget, other users' waiting SQL jobs filled the pool
  // and the newcomer lane and a fifth user's `echo hi` stayed queued. FAILS without the slot given back
  // in Engine.setWaiting: bob's task stays queued behind ann's waiting one.
  it('a task waiting before its work gives its slot to other work meanwhile, and takes it again when its wait ends', async () => {
    const { engine, w } = setup(1)
    const as = (submitter: string, task: { name: string; executor: string; spec?: Record<string, unknown> }) =>
      engine.submit({ uuid: randomUUID(), kind: 'script', name: task.name, submitter }, [task])
    const ann = as('ann', { name: 'main', executor: 'waits' })
    await expect.poll(() => w.started('main')).toBe(true)
    const bob = as('bob', { name: 'quick', executor: 'noop' })
    await expect.poll(() => engine.job(bob.id)?.status, { timeout: 5_000 }).toBe('succeeded')
    // its wait ends: it holds the pool's one slot again, and carol's task waits for it
    w.start('main')
    await expect.poll(() => engine.waitingReason(ann.id, 'ann')).toBeNull()
    const carol = as('carol', { name: 'long', executor: 'noop', spec: { delayMs: 60_000 } })
    await new Promise((r) => setTimeout(r, 300))
    expect(engine.job(carol.id)?.status).toBe('queued')
    expect(engine.waitingReason(carol.id, 'carol')).toBe('waiting for a place: all 1 are taken (yours hold 0, your share is 1)')
    w.end('main')
    await expect.poll(() => engine.job(carol.id)?.status).toBe('running')
    engine.cancel(carol.id)
  })

  it('a cancel of a waiting task gives back no slot it no longer holds: the pool stays one', async () => {
    const { engine, w } = setup(1)
    const as = (submitter: string, task: { name: string; executor: string; spec?: Record<string, unknown> }) =>
      engine.submit({ uuid: randomUUID(), kind: 'script', name: task.name, submitter }, [task])
    const ann = as('ann', { name: 'main', executor: 'waits' })
    await expect.poll(() => w.started('main')).toBe(true)
    engine.cancel(ann.id)
    expect((await engine.waitFor(ann.id)).status).toBe('cancelled')
    const bob = as('bob', { name: 'long', executor: 'noop', spec: { delayMs: 60_000 } })
    const carol = as('carol', { name: 'long', executor: 'noop', spec: { delayMs: 60_000 } })
    await expect.poll(() => engine.job(bob.id)?.status).toBe('running')
    await new Promise((r) => setTimeout(r, 300))
    expect(engine.job(carol.id)?.status).toBe('queued')
    engine.cancel(bob.id)
    engine.cancel(carol.id)
  })

  // without a bound, a flood of one user's SQL jobs all left the ready queue to wait for memory
  // (their queued-jobs quota counts only queued ones): all 5 of ann's started here
  it("gives back at most its submitter's share of slots: more of theirs that wait keep theirs", async () => {
    const { engine, w } = setup(2) // ann's share: the whole pool of 2
    const jobs = [1, 2, 3, 4, 5].map((i) => engine.submit({ uuid: randomUUID(), kind: 'script', name: `w${i}`, submitter: 'ann' }, [{ name: `w${i}`, executor: 'waits' }]))
    await expect.poll(() => [1, 2, 3, 4].every((i) => w.started(`w${i}`))).toBe(true)
    await new Promise((r) => setTimeout(r, 300))
    expect(w.started('w5')).toBe(false)
    expect(engine.job(jobs[4].id)?.status).toBe('queued')
    for (const j of jobs) engine.cancel(j.id)
    for (const j of jobs) expect((await engine.waitFor(j.id)).status).toBe('cancelled')
    // all given back: another user's two tasks run at once, a third waits
    const bob = [1, 2, 3].map((i) => engine.submit({ uuid: randomUUID(), kind: 'script', name: `b${i}`, submitter: 'bob' }, [{ name: `b${i}`, executor: 'noop', spec: { delayMs: 60_000 } }]))
    await expect.poll(() => bob.slice(0, 2).map((j) => engine.job(j.id)?.status)).toEqual(['running', 'running'])
    await new Promise((r) => setTimeout(r, 300))
    expect(engine.job(bob[2].id)?.status).toBe('queued')
    for (const j of bob) engine.cancel(j.id)
  })
})
