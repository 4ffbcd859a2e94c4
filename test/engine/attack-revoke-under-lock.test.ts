// Attack on "revoke" (#9 §3) meeting "lockwait" (#9 §2): Engine.stopRefused stops a refused attempt
// only from the commit's after-actions (afterCommit). While another program holds jobdesk.db's write
// lock that commit is held back (holdForRetry, up to 60 s), so the run of a user just disabled goes
// on meanwhile; and if it ends by itself before the lock goes, its task is failed as "stopped" though
// its work ran to its end (a succeeded run marked failed, its output kept).
import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import type { Executor } from '../../electron/engine/executor'
import { lockedEngine } from '../support/locked-engine'

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe('an attempt refused (its user disabled) while another program holds the write lock', () => {
  it('is stopped at once, not when the lock goes', async () => {
    let started = false
    let abortedAfterMs: number | undefined
    const stoppedAt: { t?: number } = {}
    /** Runs until aborted (as a shell process would), noting how long after the stop was asked it was aborted. */
    const longRun: Executor = {
      name: 'long',
      resumable: false,
      run: (ctx) =>
        new Promise((resolve) => {
          started = true
          ctx.signal.addEventListener('abort', () => {
            abortedAfterMs = performance.now() - stoppedAt.t!
            resolve({ output: null })
          })
        }),
    }
    const { engine, other } = lockedEngine({ busyTimeoutMs: 50, executors: [longRun] })
    const job = engine.submit({ uuid: randomUUID(), kind: 'dag', name: 'bob runs', submitter: 'bob' }, [{ name: 'a', executor: 'long', dependsOn: [], spec: {} }])
    while (!started) await sleep(10)
    other.exec('BEGIN IMMEDIATE') // a sqlite3 shell left in a transaction
    try {
      stoppedAt.t = performance.now()
      expect(engine.stopRefused(() => 'user bob was disabled, so this run of theirs was stopped')).toBe(1)
      await sleep(1500)
      // fails: undefined (still running 1.5 s after its user was disabled; it is aborted only once the lock goes)
      expect(abortedAfterMs).toBeLessThan(500)
    } finally {
      other.exec('COMMIT')
    }
    const rec = await engine.waitFor(job.id)
    expect(rec.status).toBe('failed')
  }, 20_000)

  it('that ends by itself before it could be stopped keeps its own end, not "was stopped"', async () => {
    let openGate: () => void = () => {}
    const gate = new Promise<void>((r) => (openGate = r))
    let started = false
    const finishing: Executor = { name: 'finishing', resumable: false, run: async () => ((started = true), await gate, { output: 'all rows written' }) }
    const { store, engine, other } = lockedEngine({ busyTimeoutMs: 50, executors: [finishing], beforeClose: openGate })
    const job = engine.submit({ uuid: randomUUID(), kind: 'dag', name: 'bob runs', submitter: 'bob' }, [{ name: 'a', executor: 'finishing', dependsOn: [], spec: {} }])
    while (!started) await sleep(10)
    other.exec('BEGIN IMMEDIATE')
    try {
      expect(engine.stopRefused(() => 'user bob was disabled, so this run of theirs was stopped')).toBe(1)
      openGate() // its work ends by itself, complete, before the abort is sent (the next turn of the event loop)
      await sleep(300)
    } finally {
      other.exec('COMMIT')
    }
    await engine.waitFor(job.id)
    // fails: status failed, error "user bob was disabled, so this run of theirs was stopped", output 'all rows written'
    expect(store.jobs.tasks(job.id)[0]).toMatchObject({ status: 'succeeded', output: 'all rows written' })
  }, 20_000)
})

describe('an attempt refused after its result arrived, before the engine applied it (no lock)', () => {
  it('is not stopped and keeps its own end', async () => {
    let openGate: () => void = () => {}
    const gate = new Promise<void>((r) => (openGate = r))
    let started = false
    let aborted = false
    const finishing: Executor = {
      name: 'finishing',
      resumable: false,
      run: async (ctx) => {
        started = true
        ctx.signal.addEventListener('abort', () => (aborted = true))
        await gate
        return { output: 'all rows written' }
      },
    }
    const { store, engine } = lockedEngine({ busyTimeoutMs: 50, executors: [finishing], beforeClose: openGate }) // the other connection stays idle: no lock here
    const job = engine.submit({ uuid: randomUUID(), kind: 'dag', name: 'bob runs', submitter: 'bob' }, [{ name: 'a', executor: 'finishing', dependsOn: [], spec: {} }])
    while (!started) await sleep(10)
    openGate()
    // its result reaches the engine within a few microtasks; the engine applies it in its next tick (a setImmediate)
    for (let i = 0; i < 20; i++) await Promise.resolve()
    expect(engine.liveTasks(job.id, ['a'])?.[0]?.status).toBe('running') // not applied yet
    expect(engine.stopRefused(() => 'user bob was disabled, so this run of theirs was stopped')).toBe(0)
    const rec = await engine.waitFor(job.id)
    expect(aborted).toBe(false)
    expect(rec.status).toBe('succeeded')
    expect(store.jobs.tasks(job.id)[0]).toMatchObject({ status: 'succeeded', output: 'all rows written' })
  }, 20_000)
})
