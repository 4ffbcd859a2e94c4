// A tick's byte budget (engine/budget.ts, #9 §2): many large task outputs settling at once are
// stored over several ticks instead of one long commit, and none is lost on the way: every output is
// saved whole, a successor starts only once all its predecessors' outputs are stored, and a crash
// between those ticks leaves nothing that recovery does not settle.
import { afterEach, describe, expect, it } from 'vitest'
import { TickBudget } from '../../electron/engine/budget'
import { Engine } from '../../electron/engine/engine'
import { ExecutorRegistry, type Executor } from '../../electron/engine/executor'
import type { Store } from '../../electron/store'
import { submit } from '../support/engine'
import { watchCommits } from '../support/commit-watch'
import { tempStore } from '../support/temp-store'

const FAN = 8
/** Each output's string: larger than RAW_VALUE_BYTES (64 kB), so its text is prepared ahead of its save. */
const BIG = 100_000
/** Two outputs fit past the first: a tick stores at most two. */
const MAX_BYTES = 150_000

let cleanup: (() => void) | undefined
afterEach(() => cleanup?.())

/** Returns `{ name, s }` with a BIG-character string of the task's own letter. */
const big: Executor = {
  name: 'big',
  resumable: true,
  run: async (ctx) => ({ output: { name: ctx.taskName, s: ctx.taskName.slice(-1).repeat(BIG) } }),
}

/** Reads its predecessors' outputs from the store as it starts: what a successor can see of them. */
function joiner(store: Store): Executor & { seen: Record<string, number> | null } {
  const join = {
    name: 'join',
    resumable: true,
    seen: null as Record<string, number> | null,
    run: async (ctx: { jobId: number }) => {
      const outputs = store.jobs.tasks(ctx.jobId).filter((t) => t.executor === 'big')
      join.seen = Object.fromEntries(outputs.map((t) => [t.name, (t.output as { s?: string } | null)?.s?.length ?? -1]))
      return { output: { joined: outputs.length } }
    },
  }
  return join
}

const tasks = () => [
  ...Array.from({ length: FAN }, (_, i) => ({ name: `p${i + 1}`, executor: 'big' })),
  { name: 'join', executor: 'join', dependsOn: Array.from({ length: FAN }, (_, i) => `p${i + 1}`) },
]

const engineOn = (store: Store, join: Executor) =>
  new Engine({ store, executors: new ExecutorRegistry([big, join]), concurrency: FAN, stopGraceMs: 2000, tickSliceMs: 60_000, tickMaxBytes: MAX_BYTES })

/** Per commit, the names of the tasks it saved with a large output. */
const watchLargeSaves = (store: Store, after?: (saved: string[]) => void) =>
  watchCommits(store, (t) => ((t.output as { s?: string } | null)?.s ? t.name : undefined), after)

describe('a tick of many large task outputs', () => {
  it('stores them over several ticks, each whole, and starts their successor once all are stored', async () => {
    const t = tempStore()
    const join = joiner(t.store)
    const engine = engineOn(t.store, join)
    cleanup = () => {
      void engine.stop()
      t.cleanup()
    }
    const commits = watchLargeSaves(t.store)
    const job = submit(engine, tasks())
    expect((await engine.waitFor(job.id)).status).toBe('succeeded')

    // all eight settled at once; no commit stored more than the budget allows (two past... the first and one more)
    expect(commits.flat().sort()).toEqual(Array.from({ length: FAN }, (_, i) => `p${i + 1}`).sort())
    expect(Math.max(...commits.map((c) => c.length))).toBeLessThanOrEqual(2)
    expect(commits.length).toBeGreaterThanOrEqual(FAN / 2)
    // the successor saw every predecessor's output, whole
    expect(join.seen).toEqual(Object.fromEntries(Array.from({ length: FAN }, (_, i) => [`p${i + 1}`, BIG])))
    const stored = t.store.jobs.tasks(job.id)
    for (const task of stored.filter((s) => s.executor === 'big')) expect(task.output).toEqual({ name: task.name, s: task.name.slice(-1).repeat(BIG) })
    expect(stored.find((s) => s.name === 'join')).toMatchObject({ status: 'succeeded', output: { joined: FAN } })
  })

  it('leaves nothing unsettled when the process stops between those ticks: recovery runs the rest', async () => {
    const t = tempStore()
    const first = engineOn(t.store, joiner(t.store))
    cleanup = () => {
      void first.stop()
      t.cleanup()
    }
    // stops (as a kill -9 would, nothing recorded as cancelled) right after the first large outputs are stored
    let stopped: Promise<void> | undefined
    const commits = watchLargeSaves(t.store, () => (stopped ??= first.stop()))
    const job = submit(first, tasks())
    await expect.poll(() => stopped !== undefined).toBe(true)
    await stopped
    await new Promise((r) => setTimeout(r, 50)) // any tick still scheduled finds the engine stopped
    expect(commits).toHaveLength(1)
    const midway = t.store.jobs.tasks(job.id)
    const done = midway.filter((s) => s.status === 'succeeded').map((s) => s.name)
    expect(done.length).toBeGreaterThan(0)
    expect(done.length).toBeLessThan(FAN)
    expect(t.store.jobs.get(job.id)!.status).toBe('running')

    // the next start on the same data settles everything
    const store = t.reopen()
    const join = joiner(store)
    const second = engineOn(store, join)
    cleanup = () => {
      void second.stop()
      t.cleanup()
    }
    second.recover()
    expect((await second.waitFor(job.id)).status).toBe('succeeded')
    expect(join.seen).toEqual(Object.fromEntries(Array.from({ length: FAN }, (_, i) => [`p${i + 1}`, BIG])))
    for (const task of store.jobs.tasks(job.id).filter((s) => s.executor === 'big')) {
      expect(task).toMatchObject({ status: 'succeeded', output: { name: task.name, s: task.name.slice(-1).repeat(BIG) } })
    }
  })
})

describe('TickBudget', () => {
  it('is spent once the bytes charged reach its byte budget, and fresh at the next start', () => {
    const budget = new TickBudget(60_000, 100, () => 0, 1000)
    budget.start()
    budget.charge(999)
    expect(budget.spent(0)).toBe(false)
    budget.charge(1)
    expect(budget.spent(0)).toBe(true)
    budget.start()
    expect(budget.spent(0)).toBe(false)
  })
})
