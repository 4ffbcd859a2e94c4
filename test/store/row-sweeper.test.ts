// Rows removed in short steps (#9 §2, store/row-sweeper.ts): deleting a job of millions of result rows,
// or a retry replacing a task's large set, deleted every row in one statement and held the main thread
// for seconds. Now the job or set leaves every reader at once and its rows go afterwards, at most
// SWEEP_STEP_ROWS per step, and a restart in the middle takes the sweep up where it stopped.
import { describe, expect, it } from 'vitest'
import type { Store } from '../../electron/store'
import type { Db } from '../../electron/store/connection'
import { SWEEP_STEP_BYTES, SWEEP_STEP_LARGE_ROWS, SWEEP_STEP_ROWS } from '../../electron/store/row-sweeper'
import { finish, storesPerTest } from '../support/finished-jobs'
import { sweepAll } from '../support/row-sweeps'

const ROWS = 25_000 // a set of this many rows takes 13 full steps

const stores = storesPerTest()
const opened = (): ReturnType<typeof stores.open> => {
  const t = stores.open()
  t.store.sweeper.stop() // the test takes the steps itself, one by one
  return t
}

/** Stores a result set of `rows` rows for task `taskId` of job `jobId`, written with SQL for speed. */
function setOf(store: Store, jobId: number, taskId: number | null, rows: number): number {
  const set = store.results.create({ jobId, taskId, kind: 'table', columns: [{ name: 'x', type: 'int' }] })
  store.db
    .prepare(`INSERT INTO result_rows (result_set_id, row_no, data) WITH RECURSIVE c(x) AS (SELECT 0 UNION ALL SELECT x + 1 FROM c WHERE x + 1 < ?) SELECT ?, x, '[' || x || ']' FROM c`)
    .run(rows, set.id)
  store.db.prepare('UPDATE result_sets SET row_count = ? WHERE id = ?').run(rows, set.id)
  store.results.finish(set, 'complete')
  return set.id
}

/** A finished script job of two tasks with `logLines` log lines and two result sets of ROWS rows. */
function largeJob(store: Store, uuid: string, logLines = 3000): number {
  const id = store.jobs.create({ uuid, kind: 'script', name: 'big', submitter: 'eve', input: { code: 'select 1' } }, [
    { name: 'a', executor: 'sql', spec: {} },
    { name: 'b', executor: 'sql', spec: {}, dependsOn: ['a'] },
  ])
  const tasks = store.jobs.tasks(id)
  setOf(store, id, tasks[0].id, ROWS)
  setOf(store, id, tasks[1].id, ROWS)
  store.transaction(() => store.logs.append(Array.from({ length: logLines }, (_, seq) => ({ jobId: id, seq, taskId: null, time: seq, level: 'INFO' as const, text: `line ${seq}` }))))
  return finish(store, id)
}

const count = (db: Db, sql: string, ...args: unknown[]): number => (db.prepare(sql).pluck().get(...args) as number)
const rowsOfJob = (db: Db, id: number) => ({
  resultRows: count(db, 'SELECT count(*) FROM result_rows WHERE result_set_id IN (SELECT id FROM result_sets WHERE job_id = ?)', id),
  resultSets: count(db, 'SELECT count(*) FROM result_sets WHERE job_id = ?', id),
  logLines: count(db, 'SELECT count(*) FROM log_lines WHERE job_id = ?', id),
  tasks: count(db, 'SELECT count(*) FROM tasks WHERE job_id = ?', id),
  values: count(db, 'SELECT count(*) FROM job_values WHERE job_id = ?', id),
})
const NONE = { resultRows: 0, resultSets: 0, logLines: 0, tasks: 0, values: 0 }


describe('rows removed in short steps', () => {
  it('deletes a job at once for readers and removes its rows afterwards, a bounded step at a time', () => {
    const { store } = opened()
    const kept = largeJob(store, 'kept', 10)
    const id = largeJob(store, 'gone')
    const keptBefore = rowsOfJob(store.db, kept)

    expect(store.jobs.delete(id)).toBe(true)
    // gone for readers now; no row of it was removed in the delete itself
    expect(store.jobs.get(id)).toBeUndefined()
    expect(store.jobs.list({}).items.map((j) => j.id)).toEqual([kept])
    expect(store.results.list(id)).toEqual([])
    expect(store.results.count(id)).toBe(0)
    expect(rowsOfJob(store.db, id).resultRows).toBe(2 * ROWS)
    expect(store.sweeper.pending()).toBe(true)

    const steps = sweepAll(store.db)
    expect(Math.max(...steps)).toBeLessThanOrEqual(SWEEP_STEP_ROWS)
    expect(steps.length).toBeGreaterThan((2 * ROWS) / SWEEP_STEP_ROWS)
    expect(rowsOfJob(store.db, id)).toEqual(NONE)
    expect(count(store.db, 'SELECT count(*) FROM deleted_jobs')).toBe(0)
    expect(count(store.db, 'SELECT count(*) FROM dropped_result_sets')).toBe(0)
    expect(store.sweeper.pending()).toBe(false)
    // the other job keeps everything, and nothing is left pointing at a missing row
    expect(rowsOfJob(store.db, kept)).toEqual(keptBefore)
    expect(store.db.pragma('foreign_key_check')).toEqual([])
    expect(store.db.pragma('foreign_keys', { simple: true })).toBe(1)
    expect(store.jobs.delete(id)).toBe(false)
  })

  it('takes the sweep up after a restart in the middle of it', () => {
    const t = opened()
    const id = largeJob(t.store, 'gone')
    t.store.jobs.delete(id)
    for (let i = 0; i < 5; i++) t.store.sweeper.step()
    const midway = rowsOfJob(t.store.db, id)
    expect(midway.resultRows).toBe(2 * ROWS - 5 * SWEEP_STEP_ROWS)
    t.store.close()

    const again = t.reopen()
    again.sweeper.stop()
    expect(again.jobs.get(id)).toBeUndefined()
    expect(again.sweeper.pending()).toBe(true)
    sweepAll(again.db)
    expect(rowsOfJob(again.db, id)).toEqual(NONE)
    expect(again.db.pragma('foreign_key_check')).toEqual([])
  })

  it('sweeps on its own once woken, a step per turn of the event loop', async () => {
    const { store } = opened()
    const id = largeJob(store, 'gone', 10)
    store.jobs.delete(id) // wakes the sweep again
    let turns = 0
    while (store.sweeper.pending()) {
      await new Promise((ok) => setImmediate(ok))
      turns++
    }
    expect(turns).toBeGreaterThan((2 * ROWS) / SWEEP_STEP_ROWS)
    expect(rowsOfJob(store.db, id)).toEqual(NONE)
  })

  it("drops a retried task's large set without removing its rows in the call, and the new set takes no old row", () => {
    const { store } = opened()
    const id = store.jobs.create({ uuid: 'w', kind: 'dag', name: 'flow', submitter: 'eve' }, [
      { name: 'c1', executor: 'component', spec: {} },
      { name: 'c2', executor: 'component', spec: {} },
    ])
    const [c1, c2] = store.jobs.tasks(id)
    const old = setOf(store, id, c1.id, ROWS)
    setOf(store, id, c2.id, 3)

    store.results.clearTask(id, c1.id)
    // c1's set is no longer listed, its index is free again, its rows are all still there
    expect(store.results.list(id).map((s) => [s.taskId, s.index])).toEqual([[c2.id, 1]])
    expect(store.results.get(id, 0)).toBeUndefined()
    expect(count(store.db, 'SELECT count(*) FROM result_rows WHERE result_set_id = ?', old)).toBe(ROWS)
    // the retry's new set: the next index, an id of its own
    const again = setOf(store, id, c1.id, 2)
    expect(again).not.toBe(old)
    expect(store.results.rows(store.results.get(id, 2)!, 0, 10)).toEqual([[0], [1]])

    const steps = sweepAll(store.db)
    expect(Math.max(...steps)).toBeLessThanOrEqual(SWEEP_STEP_ROWS)
    expect(steps.reduce((a, b) => a + b, 0)).toBe(ROWS + 1) // the rows, then the set's own row
    expect(count(store.db, 'SELECT count(*) FROM result_sets WHERE id = ?', old)).toBe(0)
    expect(store.results.list(id).map((s) => s.rowCount)).toEqual([3, 2])
  })

  it('removes long result rows fewer per step, about SWEEP_STEP_BYTES of them', () => {
    const { store } = opened()
    const id = finish(store, store.jobs.create({ uuid: 'long', kind: 'script', name: 'long', submitter: 'eve' }, []))
    const set = store.results.create({ jobId: id, taskId: null, kind: 'table', columns: [{ name: 's', type: 'text' }] })
    const row = Array.from({ length: 4 }, () => 'z'.repeat(60_000)) // cells of up to 64 kB, rows of up to 256 kB are stored (result-cells.ts)
    for (let from = 0; from < 100; from += 10) store.results.append(set, from, Array.from({ length: 10 }, () => row))
    store.results.clear(id)
    const steps = sweepAll(store.db)
    expect(Math.max(...steps)).toBe(Math.floor(SWEEP_STEP_BYTES / JSON.stringify(row).length)) // 17 of 240 kB, where 2,000 short ones go
    expect(steps.reduce((a, b) => a + b, 0)).toBe(100 + 1)
  })

  it("removes a deleted job's long log lines fewer per step", () => {
    const { store } = opened()
    const id = finish(store, store.jobs.create({ uuid: 'loud', kind: 'script', name: 'loud', submitter: 'eve' }, []))
    const text = 'w'.repeat(64 * 1024) // the longest line a task's output gives (line-splitter.ts)
    store.transaction(() => store.logs.append(Array.from({ length: 200 }, (_, seq) => ({ jobId: id, seq, taskId: null, time: seq, level: 'INFO' as const, text }))))
    store.jobs.delete(id)
    const steps = sweepAll(store.db)
    expect(Math.max(...steps)).toBe(SWEEP_STEP_BYTES / text.length) // 64 lines of 64 kB, where 2,000 short ones go
    expect(rowsOfJob(store.db, id)).toEqual(NONE)
  })

  it("removes a deleted job's large rows (tasks, values) a few per step, and few bytes of them", () => {
    const { store } = opened()
    const tasks = Array.from({ length: 3 * SWEEP_STEP_LARGE_ROWS }, (_, i) => ({ name: `t${i}`, executor: 'shell', spec: {} }))
    const id = finish(store, store.jobs.create({ uuid: 'wide', kind: 'script', name: 'wide', submitter: 'eve', input: { s: 'x'.repeat(100_000) } }, tasks))
    store.jobs.delete(id)
    const steps = sweepAll(store.db)
    expect(steps.filter((n) => n === SWEEP_STEP_LARGE_ROWS).length).toBeGreaterThanOrEqual(3)
    expect(Math.max(...steps)).toBeLessThanOrEqual(SWEEP_STEP_LARGE_ROWS)
    expect(rowsOfJob(store.db, id)).toEqual(NONE)

    // tasks of 3 MB inputs: one a step (freeing a row walks its pages, ~1.5 ms a MB)
    const big = Array.from({ length: 3 }, (_, i) => ({ name: `b${i}`, executor: 'shell', spec: {}, input: { s: 'y'.repeat(3 * 1024 * 1024) } }))
    const heavy = finish(store, store.jobs.create({ uuid: 'heavy', kind: 'script', name: 'heavy', submitter: 'eve' }, big))
    store.jobs.delete(heavy)
    expect(2 * 3 * 1024 * 1024).toBeGreaterThan(SWEEP_STEP_BYTES) // the premise: two of them are over a step's bytes
    expect(sweepAll(store.db)).toEqual([1, 1, 1, 1]) // each task, then the job's note
    expect(rowsOfJob(store.db, heavy)).toEqual(NONE)
  })
})
