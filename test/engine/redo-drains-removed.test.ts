// A redo of a task whose sub-tasks are still running or queued (atk15: a Rill Flow foreach redone while
// it runs) drains them, as Rill Flow's DAGRunner.resetTask drops a reset task's children whatever their
// state: an executor a removed sub-task runs is stopped, a removed sub-task waiting in the ready queue
// never starts (a sub-task of the same name made since is another task), and the job ends once the
// new run has, with no unexpected error. Before, each stale queue entry was an "unexpected error"
// (the driver's taskChanged found no task of that name) and the job never ended.
//
//   p (held) ── makes p_0 … p_4 (executor `gate`, 2 slots)  ── p succeeds once all of them did
import { randomUUID } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { Engine } from '../../electron/engine/engine'
import { ExecutorRegistry, type Executor } from '../../electron/engine/executor'
import type { JobDriver } from '../../electron/engine/driver'
import { noopExecutor } from '../../electron/executors/noop'
import { tempStore } from '../support/temp-store'

const SUBS = 5

/** The driver of a parent `p` that runs SUBS sub-tasks `p_<i>` and ends when they all succeeded. */
const parentDriver: JobDriver = {
  activate(ctl) {
    for (const t of ctl.tasks()) if (t.status === 'pending' && !t.name.includes('_')) ctl.enqueue(t.name)
  },
  prepare(ctl, task) {
    if (task.name.includes('_')) return { action: 'run' }
    const subs = ctl.addTasks(Array.from({ length: SUBS }, (_, i) => ({ name: `p_${i}`, executor: 'gate' })))
    for (const s of subs) ctl.enqueue(s.name)
    return { action: 'hold' }
  },
  interpret: (_ctl, _task, outcome) => (outcome.ok ? { status: 'succeeded' } : { status: 'failed', error: outcome.error }),
  settled(ctl, task) {
    if (!task.name.includes('_')) return
    const subs = [...ctl.tasks()].filter((t) => t.name.startsWith('p_'))
    if (ctl.task('p')?.status === 'running' && subs.every((t) => t.status === 'succeeded')) ctl.finish('p', 'succeeded')
  },
  finalStatus: (ctl) => ([...ctl.tasks()].every((t) => t.status === 'succeeded') ? 'succeeded' : 'failed'),
  redo: (ctl) => ({ reset: ['p'], remove: [...ctl.tasks()].filter((t) => t.name.startsWith('p_')).map((t) => t.name) }),
  redoRoots: () => ['p'],
}

/** Sub-tasks that wait until released (resolve) or stopped (their signal), by task id. */
function gates() {
  const open = new Map<number, () => void>()
  const started: number[] = []
  const aborted: number[] = []
  const executor: Executor = {
    name: 'gate',
    resumable: true,
    run: (ctx) =>
      new Promise((resolve, reject) => {
        started.push(ctx.taskId)
        open.set(ctx.taskId, () => resolve({ output: {} }))
        ctx.signal.addEventListener('abort', () => {
          aborted.push(ctx.taskId)
          reject(new Error('stopped'))
        })
      }),
  }
  return { executor, open, started, aborted }
}

const until = async (what: string, ok: () => boolean) => {
  const end = Date.now() + 10_000
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 5))
  }
}

let cleanup = () => {}
afterEach(() => cleanup())

describe('redo of a task whose sub-tasks still run', () => {
  it('stops the running ones, never starts the queued ones, and the new run ends', async () => {
    const t = tempStore()
    const errors: unknown[] = []
    const g = gates()
    const engine = new Engine({
      store: t.store,
      executors: new ExecutorRegistry([noopExecutor, g.executor]),
      driverFor: () => parentDriver,
      concurrency: 2,
      stopGraceMs: 2000,
      onError: (e) => errors.push(e),
    })
    cleanup = () => {
      void engine.stop(0)
      t.cleanup()
    }
    const job = engine.submit({ uuid: randomUUID(), kind: 'dag', name: 'parent', submitter: 'admin' }, [{ name: 'p', executor: 'noop' }])
    await until('two sub-tasks running', () => g.started.length === 2)
    const before = t.store.jobs.tasks(job.id).filter((x) => x.name.startsWith('p_'))
    expect(before.map((x) => x.status).sort()).toEqual(['queued', 'queued', 'queued', 'running', 'running'])
    const oldIds = new Set(before.map((x) => x.id))

    engine.redo(job.id, ['p'])
    // the two that ran are stopped; then the new run's sub-tasks (same names, new ids) start and are let through
    await until('the old sub-tasks stopped', () => g.aborted.length === 2)
    for (;;) {
      for (const [id, release] of g.open) if (!oldIds.has(id)) release()
      if (!engine.isActive(job.id)) break
      await new Promise((r) => setTimeout(r, 5))
    }
    expect((await engine.waitFor(job.id)).status).toBe('succeeded')
    expect(g.aborted.every((id) => oldIds.has(id))).toBe(true)
    // none of the three that waited in the queue ever ran
    expect(g.started.filter((id) => oldIds.has(id))).toHaveLength(2)
    expect(g.started.filter((id) => !oldIds.has(id))).toHaveLength(SUBS)
    const after = t.store.jobs.tasks(job.id)
    expect(after.map((x) => `${x.name}:${x.status}`).sort()).toEqual(['p:succeeded', ...Array.from({ length: SUBS }, (_, i) => `p_${i}:succeeded`)])
    expect(after.some((x) => oldIds.has(x.id))).toBe(false)
    expect(errors).toEqual([])
    const log = t.store.logs.read(job.id, 0, 100).lines.map((l) => l.text)
    expect(log).toContain('redo: stopping 2 running tasks it removed')
  })
})

describe('tasks a driver adds', () => {
  it('are made once however often a batch names them: a name is never inserted twice', async () => {
    const t = tempStore()
    const errors: unknown[] = []
    const twice: JobDriver = {
      ...parentDriver,
      prepare(ctl, task) {
        if (task.name.includes('_')) return { action: 'finish', status: 'succeeded' }
        const made = ctl.addTasks([{ name: 'p_0', executor: 'noop' }, { name: 'p_1', executor: 'noop' }, { name: 'p_0', executor: 'noop' }])
        expect(made.map((m) => m.name)).toEqual(['p_0', 'p_1', 'p_0'])
        expect(made[0]).toBe(made[2])
        for (const name of ['p_0', 'p_1']) ctl.enqueue(name)
        return { action: 'hold' }
      },
    }
    const engine = new Engine({ store: t.store, executors: new ExecutorRegistry([noopExecutor]), driverFor: () => twice, onError: (e) => errors.push(e) })
    cleanup = () => {
      void engine.stop(0)
      t.cleanup()
    }
    const job = engine.submit({ uuid: randomUUID(), kind: 'dag', name: 'parent', submitter: 'admin' }, [{ name: 'p', executor: 'noop' }])
    expect((await engine.waitFor(job.id)).status).toBe('succeeded')
    expect(t.store.jobs.tasks(job.id).map((x) => x.name).sort()).toEqual(['p', 'p_0', 'p_1'])
    expect(errors).toEqual([])
  })
})
