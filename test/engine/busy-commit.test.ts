// A database locked by another connection (SQLITE_BUSY) is transient: the engine keeps the tick's
// changes and commits them again once the lock is gone, rather than failing the jobs (#9). Only a lock
// held past the engine's bound fails the jobs waiting on it, and that failure is saved once it goes.
import Database from 'better-sqlite3'
import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { Engine, type EngineOptions } from '../../electron/engine/engine'
import { ExecutorRegistry, type Executor } from '../../electron/engine/executor'
import { noopExecutor } from '../../electron/executors/noop'
import { openStore } from '../../electron/store'
import { dagTasks } from '../support/engine'

let cleanup: (() => void) | undefined
afterEach(() => cleanup?.())

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Records where to find its work (as the process executor records its process group) after `delayMs`, then ends. */
const recording: Executor = {
  name: 'recording',
  resumable: false,
  async run(ctx) {
    await sleep((ctx.spec as { delayMs: number }).delayMs)
    ctx.setRuntime({ pid: 4242 })
    await sleep(100)
    return { output: 'done' }
  },
}

/** A store whose connection waits `busyTimeoutMs` for a lock (the app's waits 5 s), an engine on it, and a second connection on the same file. */
function setup(options: Partial<EngineOptions> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'jobdesk-test-'))
  const file = join(dir, 'jobdesk.db')
  const store = openStore(file, undefined, { busyTimeoutMs: 200 })
  const errors: { error: unknown; jobId: number | null }[] = []
  const warnings: { message: string; jobId: number | null }[] = []
  const engine = new Engine({
    store,
    executors: new ExecutorRegistry([noopExecutor, recording]),
    onError: (error, jobId) => errors.push({ error, jobId }),
    onWarn: (message, jobId) => warnings.push({ message, jobId }),
    ...options,
  })
  const other = new Database(file)
  cleanup = () => {
    void engine.stop()
    if (other.inTransaction) other.exec('ROLLBACK')
    other.close()
    store.close()
    rmSync(dir, { recursive: true, force: true })
  }
  /** Holds the database's write lock from the other connection for `ms`, as another program's long transaction would. */
  const holdWriteLock = async (ms: number) => {
    other.exec('BEGIN IMMEDIATE')
    await sleep(ms)
    other.exec('COMMIT')
  }
  return { store, engine, errors, warnings, holdWriteLock }
}

const submitJob = (engine: Engine, name: string, delayMs: number) =>
  engine.submit({ uuid: randomUUID(), kind: 'dag', name, submitter: 'admin' }, dagTasks({ b: ['a'] }, { delayMs }))

describe('a tick whose commit finds the database locked', () => {
  it('is committed again once the lock is gone: the job succeeds, nothing is lost, and the job is told', async () => {
    const { store, engine, errors, warnings, holdWriteLock } = setup()
    const job = submitJob(engine, 'locked out', 150)
    await sleep(50) // task a is running
    let locked = true
    let finishedWhileLocked = false
    const done = engine.waitFor(job.id)
    void done.then(() => (finishedWhileLocked = locked))
    await holdWriteLock(2000) // a's end and b's start find it locked: several tries, over the store's 200 ms wait
    locked = false
    const rec = await done
    expect(finishedWhileLocked).toBe(false) // nothing is acted on before it is saved
    expect(rec.status).toBe('succeeded')
    expect(store.jobs.get(job.id)!.status).toBe('succeeded')
    const tasks = Object.fromEntries(store.jobs.tasks(job.id).map((t) => [t.name, [t.status, t.attempt]]))
    expect(tasks).toEqual({ a: ['succeeded', 1], b: ['succeeded', 1] })
    expect(errors).toEqual([])
    expect(warnings.some((w) => w.jobId === job.id && /database is locked/.test(w.message))).toBe(true)
    const lines = store.logs.read(job.id, 0, 50).lines
    expect(lines.some((l) => l.level === 'WARN' && /database is locked/.test(l.text))).toBe(true)
    // and the engine carries on
    expect((await engine.waitFor(submitJob(engine, 'after', 0).id)).status).toBe('succeeded')
  }, 20_000)

  it('fails the job when the lock outlasts the bound, saved once the lock is gone; the engine carries on', async () => {
    const { store, engine, errors, holdWriteLock } = setup({ busyRetryMs: 600 })
    const job = submitJob(engine, 'locked out long', 150)
    await sleep(50)
    const done = engine.waitFor(job.id)
    await holdWriteLock(2000)
    const rec = await done
    expect(rec.status).toBe('failed')
    expect(rec.error).toMatch(/database stayed locked/)
    const stored = store.jobs.get(job.id)!
    expect(stored.status).toBe('failed')
    expect(stored.error).toMatch(/database stayed locked/)
    const tasks = Object.fromEntries(store.jobs.tasks(job.id).map((t) => [t.name, t.status]))
    expect(tasks).toEqual({ a: 'succeeded', b: 'cancelled' })
    expect(errors.map((e) => e.jobId)).toContain(job.id)
    expect((await engine.waitFor(submitJob(engine, 'after', 0).id)).status).toBe('succeeded')
  }, 20_000)

  it('a running task that records where its process is meanwhile runs on; the record is saved once the lock goes', async () => {
    const { store, engine, errors, holdWriteLock } = setup()
    const job = engine.submit({ uuid: randomUUID(), kind: 'dag', name: 'runtime while locked', submitter: 'admin' }, [
      { name: 'a', executor: 'recording', dependsOn: [], spec: { delayMs: 150 } },
    ])
    await sleep(50) // a is running, and records its runtime at 150 ms, inside the lock
    const lock = holdWriteLock(1000)
    await sleep(400)
    expect(store.jobs.tasks(job.id)[0].runtime).toBeNull() // not saved yet: the lock holds it back
    await lock
    const rec = await engine.waitFor(job.id)
    expect(rec.status).toBe('succeeded')
    expect(store.jobs.tasks(job.id)[0]).toMatchObject({ status: 'succeeded', attempt: 1, runtime: { pid: 4242 } })
    expect(errors).toEqual([])
  }, 20_000)
})
