// One job's bad state or an unexpected error stops that job (failed, with the reason), never the
// engine or the jobs beside it; recovery that cannot take a job up fails it instead of looping (#9.1).
import { randomUUID } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import type { ActiveJob } from '../../electron/engine/active-job'
import { dagDriver } from '../../electron/engine/dag-driver'
import { dropUnstorable } from '../../electron/engine/isolation'
import { TaskGroups } from '../../electron/engine/task-groups'
import { Engine } from '../../electron/engine/engine'
import { ExecutorRegistry, type Executor } from '../../electron/engine/executor'
import { noopExecutor } from '../../electron/executors/noop'
import type { Store } from '../../electron/store'
import { STATE_JSON_LIMIT } from '../../electron/store/state-json'
import { dagTasks } from '../support/engine'
import { tempStore } from '../support/temp-store'

let cleanup: (() => void) | undefined
afterEach(() => cleanup?.())

/** Answers with whatever `make` builds: a value that cannot be stored, here. */
const answering = (name: string, make: () => unknown): Executor => ({ name, resumable: false, run: async () => ({ output: make() }) })
const circular = () => {
  const o: Record<string, unknown> = { a: 1 }
  o.self = o
  return o
}

function setup(options: Partial<ConstructorParameters<typeof Engine>[0]> = {}, store?: Store) {
  const t = store ? { store, cleanup: () => {} } : tempStore()
  const errors: { error: unknown; jobId: number | null }[] = []
  const engine = new Engine({
    store: t.store,
    executors: new ExecutorRegistry([noopExecutor, answering('circular', circular), answering('huge', () => ({ s: 'x'.repeat(STATE_JSON_LIMIT) }))]),
    concurrency: 4,
    onError: (error, jobId) => errors.push({ error, jobId }),
    ...options,
  })
  cleanup = () => {
    engine.stop()
    t.cleanup()
  }
  return { ...t, engine, errors }
}

const job = (engine: Engine, executor: string, name = executor) =>
  engine.submit({ uuid: randomUUID(), kind: 'dag', name, submitter: 'admin' }, dagTasks({ b: ['a'] }).map((t) => ({ ...t, executor: t.name === 'a' ? executor : 'noop' })))

describe('a job whose state cannot be saved', () => {
  it.each([
    ['a circular output', 'circular', /could not save this job's state.*output of task a cannot be stored as JSON: .*circular/i],
    ['an output over the size limit', 'huge', /could not save this job's state.*output of task a would exceed 16 MiB \(16,777,216 bytes\): it is [\d,]+ bytes of JSON/],
  ])('%s fails that job with the reason; the jobs beside it and after it run', async (_what, executor, reason) => {
    const { engine, store, errors } = setup()
    const bad = job(engine, executor)
    const good = job(engine, 'noop', 'beside')
    const [badDone, goodDone] = await Promise.all([engine.waitFor(bad.id), engine.waitFor(good.id)])
    expect(goodDone.status).toBe('succeeded')
    expect(badDone.status).toBe('failed')
    expect(badDone.error).toMatch(reason)
    const stored = store.jobs.get(bad.id)!
    expect(stored.status).toBe('failed')
    expect(stored.error).toMatch(reason)
    // a ran and ended (its output, which cannot be stored, is dropped); b never starts
    const tasks = Object.fromEntries(store.jobs.tasks(bad.id).map((t) => [t.name, t]))
    expect(tasks.a).toMatchObject({ status: 'succeeded', output: null })
    expect(tasks.b).toMatchObject({ status: 'cancelled' })
    expect(store.logs.read(bad.id, 0, 50).lines.some((l) => l.level === 'ERROR' && reason.test(l.text))).toBe(true)
    expect(errors.map((e) => e.jobId)).toContain(bad.id)
    expect((await engine.waitFor(job(engine, 'noop', 'after').id)).status).toBe('succeeded')
  })
})

describe('an unexpected error in a job driver', () => {
  it('fails that job and the engine carries on', async () => {
    const throwing = {
      ...dagDriver,
      prepare: (ctl: Parameters<typeof dagDriver.prepare>[0], task: Parameters<typeof dagDriver.prepare>[1]) => {
        if (ctl.job.name === 'throws') throw new TypeError("Cannot read properties of undefined (reading 'parsed')")
        return dagDriver.prepare(ctl, task)
      },
    }
    const { engine, errors } = setup({ driverFor: () => throwing })
    const bad = job(engine, 'noop', 'throws')
    const good = job(engine, 'noop', 'fine')
    expect((await engine.waitFor(good.id)).status).toBe('succeeded')
    const done = await engine.waitFor(bad.id)
    expect(done).toMatchObject({ status: 'failed' })
    expect(done.error).toMatch(/starting task a failed unexpectedly: Cannot read properties of undefined/)
    expect(errors.some((e) => e.jobId === bad.id && e.error instanceof TypeError)).toBe(true)
  })

  it('a job whose end cannot be saved (its result) is recorded failed, not left running', async () => {
    const { engine, store } = setup({ driverFor: () => ({ ...dagDriver, result: () => circular() }) })
    const done = job(engine, 'noop', 'ends badly')
    await engine.waitFor(done.id)
    await expect.poll(() => store.jobs.get(done.id)!.status).toBe('failed')
    expect(store.jobs.get(done.id)!.error).toMatch(/could not save this job's state: the result of job \d+ cannot be stored as JSON/)
    expect(store.jobs.unfinishedIds()).toEqual([])
    expect((await engine.waitFor(job(engine, 'noop', 'after').id)).status).toBe('succeeded')
  })

  it('a throwing event listener does not break the commit that emitted', async () => {
    const { engine, errors } = setup()
    engine.on('task.changed', () => {
      throw new Error('listener bug')
    })
    const done = await engine.waitFor(job(engine, 'noop').id)
    expect(done.status).toBe('succeeded')
    expect(errors.length).toBeGreaterThan(0)
  })
})

describe('recovery', () => {
  it('fails a job it cannot take up, with the reason, and takes up the others; the next start is clean', () => {
    const t = tempStore()
    cleanup = t.cleanup
    const ids = ['broken', 'fine'].map((name) =>
      t.store.jobs.create({ uuid: randomUUID(), kind: 'dag', name, submitter: 'admin' }, [{ name: 'a', executor: 'noop' }]),
    )
    t.store.db.prepare("UPDATE jobs SET status = 'running' WHERE id IN (?, ?)").run(...ids)
    t.store.db.prepare("UPDATE tasks SET status = 'running' WHERE job_id = ?").run(ids[0])
    t.store.db.prepare("INSERT OR REPLACE INTO task_specs (task_id, spec) SELECT id, '{broken' FROM tasks WHERE job_id = ?").run(ids[0])
    const errors: unknown[] = []
    const first = new Engine({ store: t.store, executors: new ExecutorRegistry([noopExecutor]), onError: (e) => errors.push(e) })
    expect(() => first.recover()).not.toThrow()
    first.stop()
    const broken = t.store.jobs.get(ids[0])!
    expect(broken.status).toBe('failed')
    expect(broken.error).toMatch(/could not resume this job after a restart: .*JSON/)
    expect(t.store.db.prepare('SELECT status, error FROM tasks WHERE job_id = ?').get(ids[0])).toMatchObject({ status: 'failed' })
    expect(t.store.logs.read(ids[0], 0, 10).lines.map((l) => l.text)).toEqual([broken.error])
    expect(errors).toHaveLength(1)
    expect(t.store.jobs.unfinishedIds()).toEqual([ids[1]])
    const second = new Engine({ store: t.store, executors: new ExecutorRegistry([noopExecutor]), onError: (e) => errors.push(e) })
    expect(second.recover().jobs).toBe(1)
    second.stop()
    expect(errors).toHaveLength(1)
  })
})

describe('dropUnstorable', () => {
  it('checks every group of a task with gaps in its group numbers (a choice, groups after deletes), not only 0..count-1', () => {
    const t = tempStore()
    cleanup = t.cleanup
    // groups 0 and 7 exist (2 rows): a loop over 0..size-1 never reached group 7
    const groups = new TaskGroups(1, 'each', [
      { index: 0, status: 'succeeded', context: { ok: 1 } },
      { index: 7, status: 'failed', context: circular() },
    ], () => undefined)
    const job = { rec: { id: 1, context: null, result: null }, tasks: new Map(), groups: new Map([['each', groups]]) } as unknown as ActiveJob
    const dropped = dropUnstorable(t.store, job)
    expect(dropped).toEqual([expect.stringMatching(/sub-context of group 7 of task each cannot be stored as JSON/)])
    expect(groups.row(7)?.context).toBeNull()
    expect(groups.row(0)?.context).toEqual({ ok: 1 })
  })
})
