// What one user's jobs keep of result rows in all (store.keptBytes.ofSubmitter, store/kept-bytes.ts), which the per-user quota
// (shared/quotas.ts MAX_KEPT_BYTES_PER_USER, atk13; since atk14 their code and logs too) reads on every submit and every batch a SQL job
// stores: a running total triggers keep (migration 034), so a read is one row however many jobs the
// user has. It must always equal the sum it stands for: other users' rows do not count, a deleted
// job's or a rerun's dropped sets stop counting the moment they leave every reader (before the sweep
// removes their rows), rows another connection writes count, and an upgraded store starts from what
// it already held.
import Database from 'better-sqlite3'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { openStore, type Store } from '../../electron/store'
import type { Db } from '../../electron/store/connection'
import { MIGRATIONS } from '../../electron/store/migrations'
import { createResultRepository } from '../../electron/store/result.repository'
import { finish, storesPerTest } from '../support/finished-jobs'
import { oldDatabase } from '../support/old-database'
import { tempDir } from '../support/temp-store'

const stores = storesPerTest()

/**
 * A finished SQL job of `submitter` with one set per entry of `rows`, each of that many rows `[0]` … `[9]`
 * (3 characters each), and no input or log, so that what it keeps is its rows alone (its code and log
 * count too: test/store/kept-bytes-code-and-logs.test.ts); its id.
 */
function jobWithSets(store: Store, uuid: string, submitter: string, ...rows: number[]): number {
  const id = store.jobs.create({ uuid, kind: 'script', name: uuid, submitter }, [{ name: 'main', executor: 'sql', spec: {} }])
  const taskId = store.jobs.tasks(id)[0]!.id
  for (const n of rows) {
    const set = store.results.create({ jobId: id, taskId, kind: 'table', columns: [{ name: 'x', type: 'int' }] })
    store.results.append(set, 0, Array.from({ length: n }, (_, i) => [i % 10]))
    store.results.finish(set, 'complete')
  }
  return finish(store, id)
}

/** The sum the running total stands for: byte_size of the sets readers see, of `submitter`'s stored jobs, and those jobs' counted inputs, logs and state. */
const summed = (db: Db | Database.Database, submitter: string): number =>
  (db.prepare('SELECT coalesce(sum(r.byte_size), 0) FROM jobs j JOIN result_sets r ON r.job_id = j.id WHERE j.submitter = ? AND r.idx >= 0').pluck().get(submitter) as number) +
  (db.prepare('SELECT coalesce(sum(input_bytes + log_bytes + state_bytes), 0) FROM jobs WHERE submitter = ?').pluck().get(submitter) as number)

/** What `submitter`'s jobs keep of result rows: the running total but their tasks' few bytes of state (`{}` inputs and outputs, migration 037). */
const rowsKept = (store: Store, submitter: string): number =>
  store.keptBytes.ofSubmitter(submitter) - (store.db.prepare('SELECT coalesce(sum(state_bytes), 0) FROM jobs WHERE submitter = ?').pluck().get(submitter) as number)

describe("a user's result bytes in all", () => {
  it("counts the user's own jobs' sets, as byte_size counts them, and no one else's", () => {
    const { store } = stores.open()
    jobWithSets(store, 'e1', 'eve', 100, 50)
    jobWithSets(store, 'e2', 'eve', 10)
    jobWithSets(store, 'b1', 'bob', 1000)
    expect(rowsKept(store, 'eve')).toBe(3 * 160)
    expect(rowsKept(store, 'bob')).toBe(3 * 1000)
    expect(rowsKept(store, 'nobody')).toBe(0)
  })

  it("stops counting a deleted job's sets and a rerun's dropped ones at once, before their rows are swept", () => {
    // all in one turn of the event loop: no sweep step runs between, so the rows stay, and must not count
    const { store } = stores.open()
    const gone = jobWithSets(store, 'e1', 'eve', 100)
    const rerun = jobWithSets(store, 'e2', 'eve', 200)
    const twoTasks = jobWithSets(store, 'e3', 'eve', 10)
    expect(rowsKept(store, 'eve')).toBe(3 * 310)

    expect(store.jobs.delete(gone)).toBe(true)
    expect(rowsKept(store, 'eve')).toBe(3 * 210)
    store.results.clear(rerun)
    expect(rowsKept(store, 'eve')).toBe(3 * 10)
    store.results.clearTask(twoTasks, store.jobs.tasks(twoTasks)[0]!.id)
    expect(rowsKept(store, 'eve')).toBe(0)
    expect(store.db.prepare('SELECT count(*) FROM result_rows').pluck().get()).toBe(310) // the rows are still in the file
    // and the sweep removing them changes nothing
    while (store.sweeper.step() > 0);
    expect(store.db.prepare('SELECT count(*) FROM result_rows').pluck().get()).toBe(0)
    expect(rowsKept(store, 'eve')).toBe(0)
  })

  it('stays equal to the sum through a job deleted by the cascade, rows another connection writes, and a rerun’s new sets', () => {
    const { store, file } = stores.open()
    const a = jobWithSets(store, 'e1', 'eve', 7, 5)
    const b = jobWithSets(store, 'e2', 'eve', 11)
    jobWithSets(store, 'b1', 'bob', 13)
    // a job row deleted with foreign keys on (no code does: jobs.delete drops its sets first): its sets go by the cascade
    store.db.prepare('DELETE FROM jobs WHERE id = ?').run(a)
    expect(store.keptBytes.ofSubmitter('eve')).toBe(summed(store.db, 'eve'))
    expect(rowsKept(store, 'eve')).toBe(3 * 11)

    // a SQL job's own process writes through a connection of its own
    const other = new Database(file)
    try {
      const results = createResultRepository(other)
      const set = results.create({ jobId: b, taskId: null, kind: 'table', columns: [] })
      results.append(set, 0, [[1], [2], [3]])
      results.append(set, 3, [[4]])
    } finally {
      other.close()
    }
    expect(store.keptBytes.ofSubmitter('eve')).toBe(summed(store.db, 'eve'))
    expect(rowsKept(store, 'eve')).toBe(3 * 15)

    store.results.clear(b)
    const set = store.results.create({ jobId: b, taskId: null, kind: 'table', columns: [] })
    store.results.append(set, 0, [[1]])
    expect(rowsKept(store, 'eve')).toBe(3)
    expect(store.keptBytes.ofSubmitter('bob')).toBe(summed(store.db, 'bob'))
  })

  it("starts, in a store upgraded to it, from the sets the store already held", () => {
    const file = join(tempDir(), 'jobdesk.db')
    const version = MIGRATIONS.findIndex((m) => typeof m === 'string' && m.includes('user_result_bytes'))
    oldDatabase(file, version, (db) => {
      const job = (uuid: string, submitter: string) =>
        Number(db.prepare("INSERT INTO jobs (uuid, kind, name, status, submitter, created_at, updated_at) VALUES (?, 'script', 'n', 'succeeded', ?, 0, 0)").run(uuid, submitter).lastInsertRowid)
      const set = (jobId: number, idx: number, bytes: number | null) =>
        db.prepare("INSERT INTO result_sets (job_id, task_id, idx, kind, columns, row_count, state, byte_size) VALUES (?, NULL, ?, 'table', '[]', 1, 'complete', ?)").run(jobId, idx, bytes)
      const e = job('e', 'eve')
      set(e, 0, 1000)
      set(e, 1, null) // written before byte_size was counted (migration 016): nothing known to count
      set(e, -99, 5000) // dropped, not yet swept
      set(job('b', 'bob'), 0, 70)
    })
    const store = openStore(file)
    try {
      expect(store.keptBytes.ofSubmitter('eve')).toBe(1000)
      expect(store.keptBytes.ofSubmitter('bob')).toBe(70)
    } finally {
      store.close()
    }
  })
})
