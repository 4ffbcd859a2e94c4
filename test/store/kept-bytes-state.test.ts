// What one user's jobs keep counts each job's state (store/kept-bytes.ts, migration 037, atk15): its
// tasks' stored inputs, outputs, runtimes and specs (in the row or in task_specs: migration 039, atk17), its context and result, its groups' sub-contexts and the
// parts they share, in UTF-8 bytes, as they are written, by any writer. The running total must always
// equal the sum it stands for (read here with a query of its own over those rows); a deleted job's
// state stops counting at once, before the sweep removes its rows (and the sweep takes nothing off
// twice); a redo's removal of tasks frees their room; an upgraded store starts from the state it held.
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { openStore, type Store } from '../../electron/store'
import type { Db } from '../../electron/store/connection'
import { MIGRATIONS } from '../../electron/store/migrations'
import jobStateBytes from '../../electron/store/migrations/037-job-state-bytes'
import taskSpecBytes from '../../electron/store/migrations/039-task-spec-bytes'
import { storesPerTest } from '../support/finished-jobs'
import { oldDatabase } from '../support/old-database'
import { tempDir } from '../support/temp-store'

const stores = storesPerTest()

/** A job's state bytes as its rows hold them now, summed afresh. */
const stateSummed = (db: Db | Database.Database, jobId: number): number =>
  db
    .prepare(
      `SELECT
         (SELECT coalesce(sum(coalesce(octet_length(input), 0) + coalesce(octet_length(output), 0) + coalesce(octet_length(runtime), 0) + octet_length(spec)), 0) FROM tasks WHERE job_id = @id)
       + (SELECT coalesce(sum(octet_length(s.spec)), 0) FROM task_specs s JOIN tasks t ON t.id = s.task_id WHERE t.job_id = @id)
       + (SELECT coalesce(sum(coalesce(octet_length(context), 0) + coalesce(octet_length(context_parts), 0)), 0) FROM task_groups WHERE job_id = @id)
       + (SELECT coalesce(sum(octet_length(value)), 0) FROM job_values WHERE job_id = @id AND name <> 'input')
       + (SELECT coalesce(sum(octet_length(text)), 0) FROM task_spec_parts WHERE job_id = @id)`,
    )
    .pluck()
    .get({ id: jobId }) as number

/** What `submitter`'s jobs keep but their state: their inputs and logs (no result rows here). */
const butState = (store: Store, submitter: string): number =>
  store.db.prepare('SELECT coalesce(sum(input_bytes + log_bytes), 0) FROM jobs WHERE submitter = ?').pluck().get(submitter) as number

/** A job of `submitter` with tasks a, b, c, no values yet; its id. */
const threeTasks = (store: Store, uuid: string, submitter: string): number =>
  store.jobs.create({ uuid, kind: 'dag', name: uuid, submitter }, ['a', 'b', 'c'].map((name) => ({ name, executor: 'noop', spec: {} })))

describe("a user's kept bytes count their jobs' state", () => {
  it('counts task values, the context and result, and group sub-contexts as they are written, in UTF-8 bytes, and only the submitter’s', () => {
    const { store } = stores.open()
    const id = threeTasks(store, 'e1', 'eve')
    const other = threeTasks(store, 'b1', 'bob')
    const [a, b] = store.jobs.tasks(id)
    a!.input = { s: 'é'.repeat(1000) } // 2 bytes a character: bytes are counted
    a!.output = { s: 'x'.repeat(5000) }
    store.jobs.saveTask(a!)
    b!.output = [1, 2, 3]
    store.jobs.saveTask(b!)
    const job = store.jobs.get(id)!
    job.context = { k: 'c'.repeat(3000) }
    job.result = { r: 'r'.repeat(700) }
    store.jobs.saveJob(job)
    store.groups.save(id, 'c', [
      { index: 0, status: 'succeeded', context: { item: 'g'.repeat(400) } },
      { index: 1, status: 'running', context: { item: 'h'.repeat(600) } },
    ])
    const state = store.keptBytes.stateOfJob(id)
    expect(state).toBe(stateSummed(store.db, id))
    expect(state).toBeGreaterThan(2000 + 5000 + 3000 + 700 + 400 + 600)
    expect(store.keptBytes.ofSubmitter('eve')).toBe(butState(store, 'eve') + state)
    expect(store.keptBytes.ofSubmitter('bob')).toBe(butState(store, 'bob') + stateSummed(store.db, other))

    // a value that shrinks gives its room back; one unchanged in size changes nothing
    a!.output = { s: 'y' }
    a!.status = 'succeeded'
    store.jobs.saveTask(a!)
    expect(store.keptBytes.stateOfJob(id)).toBe(stateSummed(store.db, id))
    expect(store.keptBytes.stateOfJob(id)).toBeLessThan(state - 4900)
    expect(store.keptBytes.ofSubmitter('eve')).toBe(butState(store, 'eve') + stateSummed(store.db, id))
  })

  it("stops counting a deleted job's state at once, before its rows are swept, and the sweep takes nothing off twice", () => {
    const { store } = stores.open()
    const gone = threeTasks(store, 'e1', 'eve')
    const kept = threeTasks(store, 'e2', 'eve')
    for (const id of [gone, kept]) {
      for (const t of store.jobs.tasks(id)) {
        t.output = { s: 'o'.repeat(10_000) }
        store.jobs.saveTask(t)
      }
      store.groups.save(id, 'c', [{ index: 0, status: 'succeeded', context: { item: 'g'.repeat(4000) } }])
    }
    const keptState = store.keptBytes.stateOfJob(kept)
    expect(keptState).toBeGreaterThan(30_000)
    expect(store.jobs.delete(gone)).toBe(true)
    expect(store.keptBytes.ofSubmitter('eve')).toBe(butState(store, 'eve') + keptState)
    expect(store.db.prepare('SELECT count(*) FROM tasks WHERE job_id = ?').pluck().get(gone)).toBe(3) // still in the file
    while (store.sweeper.step() > 0);
    expect(store.db.prepare('SELECT count(*) FROM tasks WHERE job_id = ?').pluck().get(gone)).toBe(0)
    expect(store.keptBytes.ofSubmitter('eve')).toBe(butState(store, 'eve') + keptState)
    expect(store.keptBytes.stateOfJob(kept)).toBe(stateSummed(store.db, kept))
  })

  it("frees the room of tasks a redo removes: at once when deleted, when swept when dropped", () => {
    const { store } = stores.open()
    const id = store.jobs.create({ uuid: 'e1', kind: 'dag', name: 'e1', submitter: 'eve' }, [{ name: 'fe', executor: 'noop', spec: {} }])
    const subs = store.jobs.addTasks(id, ['fe_0_x', 'fe_1_x', 'other_0_y'].map((name) => ({ name, executor: 'noop', spec: {} })))
    for (const t of subs) {
      t.output = { s: 'o'.repeat(10_000) }
      store.jobs.saveTask(t)
    }
    const full = store.keptBytes.stateOfJob(id)
    store.transaction(() => store.jobs.deleteTasks(id, ['other_0_y']))
    expect(store.keptBytes.stateOfJob(id)).toBe(stateSummed(store.db, id))
    expect(store.keptBytes.stateOfJob(id)).toBeLessThan(full - 10_000)
    store.transaction(() => store.jobs.dropSubTasks(id, ['fe']))
    while (store.sweeper.step() > 0);
    expect(store.keptBytes.stateOfJob(id)).toBe(stateSummed(store.db, id))
    expect(store.keptBytes.stateOfJob(id)).toBeLessThan(100)
    expect(store.keptBytes.ofSubmitter('eve')).toBe(butState(store, 'eve') + stateSummed(store.db, id))
  })

  it("counts tasks' specs, in their row and in task_specs, and frees them with their tasks, at once or by the sweep", () => {
    const { store } = stores.open()
    const id = store.jobs.create({ uuid: 'e1', kind: 'dag', name: 'e1', submitter: 'eve' }, [
      { name: 'small', executor: 'noop', spec: { d: 'é'.repeat(900) } }, // 1,800 bytes: in the row
      { name: 'large', executor: 'noop', spec: { d: 'y'.repeat(6000) } }, // past 2,048 characters: in task_specs
    ])
    expect(store.db.prepare('SELECT count(*) FROM task_specs s JOIN tasks t ON t.id = s.task_id WHERE t.job_id = ?').pluck().get(id)).toBe(1)
    const state = store.keptBytes.stateOfJob(id)
    expect(state).toBe(stateSummed(store.db, id))
    expect(state).toBeGreaterThan(1800 + 6000)
    expect(store.keptBytes.ofSubmitter('eve')).toBe(butState(store, 'eve') + state)
    // a status save of a task leaves its spec counted once
    const [small] = store.jobs.tasks(id)
    small!.status = 'succeeded'
    store.jobs.saveTask(small!)
    expect(store.keptBytes.stateOfJob(id)).toBe(stateSummed(store.db, id))
    expect(store.keptBytes.stateOfJob(id)).toBeLessThan(state + 100)

    store.transaction(() => store.jobs.deleteTasks(id, ['large'])) // its task_specs row goes with it, taken off once
    expect(store.keptBytes.stateOfJob(id)).toBe(stateSummed(store.db, id))
    expect(store.keptBytes.stateOfJob(id)).toBeLessThan(state - 6000)
    const subs = store.jobs.addTasks(id, ['fe_0_x', 'fe_1_x'].map((name) => ({ name, executor: 'noop', spec: { d: 'z'.repeat(5000) } })))
    expect(subs).toHaveLength(2)
    expect(store.keptBytes.stateOfJob(id)).toBe(stateSummed(store.db, id))
    expect(store.keptBytes.stateOfJob(id)).toBeGreaterThan(10_000)
    store.transaction(() => store.jobs.dropSubTasks(id, ['fe']))
    while (store.sweeper.step() > 0);
    expect(store.keptBytes.stateOfJob(id)).toBe(stateSummed(store.db, id))
    expect(store.keptBytes.stateOfJob(id)).toBeLessThan(2000)
    expect(store.jobs.delete(id)).toBe(true)
    while (store.sweeper.step() > 0);
    expect(store.keptBytes.ofSubmitter('eve')).toBe(butState(store, 'eve'))
  })

  it("counts, in a store upgraded to migration 039, the specs its tasks already stored", () => {
    const file = join(tempDir(), 'jobdesk.db')
    const ids = oldDatabase(file, MIGRATIONS.indexOf(taskSpecBytes), (db) => {
      const e = Number(db.prepare("INSERT INTO jobs (uuid, kind, name, status, submitter, created_at, updated_at) VALUES ('e', 'dag', 'n', 'succeeded', 'eve', 0, 0)").run().lastInsertRowid)
      db.prepare("INSERT INTO tasks (job_id, name, executor, status, spec, output) VALUES (?, 'a', 'noop', 'succeeded', ?, ?)").run(e, JSON.stringify({ d: 'é'.repeat(900) }), '{"o":1}')
      const big = db.prepare("INSERT INTO tasks (job_id, name, executor, status, spec) VALUES (?, 'b', 'noop', 'succeeded', '{}')").run(e).lastInsertRowid
      db.prepare('INSERT INTO task_specs (task_id, spec) VALUES (?, ?)').run(big, JSON.stringify({ d: 'y'.repeat(6000) }))
      return { e }
    })
    const store = openStore(file)
    try {
      const state = stateSummed(store.db, ids.e)
      expect(state).toBeGreaterThan(1800 + 6000)
      expect(store.keptBytes.stateOfJob(ids.e)).toBe(state)
      expect(store.keptBytes.ofSubmitter('eve')).toBe(butState(store, 'eve') + state)
    } finally {
      store.close()
    }
  })

  it('starts, in a store upgraded to it, from the state the store already held', () => {
    const file = join(tempDir(), 'jobdesk.db')
    const version = MIGRATIONS.indexOf(jobStateBytes) // before migration 037
    const ids = oldDatabase(file, version, (db) => {
      const job = (uuid: string, submitter: string) =>
        Number(db.prepare("INSERT INTO jobs (uuid, kind, name, status, submitter, created_at, updated_at) VALUES (?, 'dag', 'n', 'succeeded', ?, 0, 0)").run(uuid, submitter).lastInsertRowid)
      const e = job('e', 'eve')
      db.prepare("INSERT INTO job_values (job_id, name, value) VALUES (?, 'input', ?)").run(e, '{"s":"ü"}') // the input: counted by migration 036's input_bytes
      db.prepare('UPDATE jobs SET input_bytes = ? WHERE id = ?').run(Buffer.byteLength('{"s":"ü"}'), e)
      db.prepare("INSERT INTO job_values (job_id, name, value) VALUES (?, 'context', ?)").run(e, JSON.stringify({ c: 'c'.repeat(1000) }))
      db.prepare("INSERT INTO tasks (job_id, name, executor, status, input, output) VALUES (?, 'a', 'noop', 'succeeded', ?, ?)").run(e, JSON.stringify({ i: 'é'.repeat(500) }), JSON.stringify({ o: 'o'.repeat(2000) }))
      db.prepare("INSERT INTO task_groups (job_id, parent, idx, status, context) VALUES (?, 'g', 0, 'succeeded', ?)").run(e, JSON.stringify({ item: 'g'.repeat(300) }))
      const b = job('b', 'bob')
      return { e, b }
    })
    const store = openStore(file)
    try {
      const state = stateSummed(store.db, ids.e)
      expect(state).toBeGreaterThan(1000 + 1000 + 2000 + 300)
      expect(store.keptBytes.stateOfJob(ids.e)).toBe(state)
      expect(store.keptBytes.ofSubmitter('eve')).toBe(Buffer.byteLength('{"s":"ü"}') + state)
      expect(store.keptBytes.ofSubmitter('bob')).toBe(0)
      // and the triggers keep it from then on
      const [a] = store.jobs.tasks(ids.e)
      a!.output = null
      store.jobs.saveTask(a!)
      expect(store.keptBytes.ofSubmitter('eve')).toBe(Buffer.byteLength('{"s":"ü"}') + stateSummed(store.db, ids.e))
    } finally {
      store.close()
    }
  })
})
