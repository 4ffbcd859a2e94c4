// Attack on "lockwait" (#9 §2): tasks a driver adds while another program holds the write lock wait
// in memory under stand-in (negative) ids (engine/unsaved-tasks.ts). Its stand-in → record map
// (stoodFor) is filled by add() and never emptied: not by insert() once the tasks have real ids, not
// by forget(), not when the job ends. Each foreach that starts groups under a lock pins every record
// it added (input, output, runtime) for the life of the app: the map grows with every lock.
import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import type { Executor } from '../../electron/engine/executor'
import { dagDriver } from '../../electron/engine/dag-driver'
import type { JobDriver } from '../../electron/engine/driver'
import { lockedEngine } from '../support/locked-engine'

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe('tasks added while the database is locked, once stored and their job ended', () => {
  it('leave nothing behind in the engine (no stand-in id still mapped to its record)', async () => {
    let openGate: () => void = () => {}
    const gate = new Promise<void>((r) => (openGate = r))
    const gated: Executor = { name: 'gated', resumable: false, run: async () => (await gate, { output: 'done' }) }
    /** a, once it succeeds, adds 50 noop tasks, as a foreach starts its groups. */
    const growing: JobDriver = {
      ...dagDriver,
      settled(ctl, task) {
        if (task.name !== 'a' || task.status !== 'succeeded') return
        for (const t of ctl.addTasks(Array.from({ length: 50 }, (_, i) => ({ name: `b${i}`, executor: 'noop', dependsOn: [], spec: { payload: 'x'.repeat(1000) } })))) ctl.enqueue(t.name)
      },
    }
    const { store, engine, other } = lockedEngine({ busyTimeoutMs: 200, executors: [gated], engine: { driverFor: () => growing }, beforeClose: openGate })
    const job = engine.submit({ uuid: randomUUID(), kind: 'dag', name: 'growing', submitter: 'admin' }, [{ name: 'a', executor: 'gated', dependsOn: [], spec: {} }])
    while (store.jobs.tasks(job.id)[0].status !== 'running') await sleep(10)
    const done = engine.waitFor(job.id)
    other.exec('BEGIN IMMEDIATE')
    openGate() // a ends inside the lock: its 50 tasks get stand-in ids
    await sleep(800)
    other.exec('COMMIT')
    expect((await done).status).toBe('succeeded')
    expect(store.jobs.tasks(job.id).every((t) => t.id > 0)).toBe(true)
    const unsaved = (engine as unknown as { unsaved: { size: number; stoodFor: Map<number, unknown> } }).unsaved
    expect(unsaved.size).toBe(0)
    expect(unsaved.stoodFor.size).toBe(0) // fails: 50, each holding its task's whole record
  }, 20_000)
})
