// What one user's jobs keep of result rows in all (results.bytesOfSubmitter), which the per-user quota
// (shared/quotas.ts MAX_RESULT_BYTES_PER_USER, atk13) reads on every submit and every batch a SQL job
// stores: other users' rows do not count, and a deleted job's or a rerun's dropped sets stop counting
// the moment they leave every reader, before the sweep removes their rows. The sum reads indexes
// only (migration 034), never a scan of every job or set.
import { describe, expect, it } from 'vitest'
import type { Store } from '../../electron/store'
import { BYTES_OF_SUBMITTER_SQL } from '../../electron/store/result.repository'
import { finish, storesPerTest } from '../support/finished-jobs'

const stores = storesPerTest()

/** A finished SQL job of `submitter` with one set per entry of `rows`, each of that many rows of `[n]`; its id. */
function jobWithSets(store: Store, uuid: string, submitter: string, ...rows: number[]): number {
  const id = store.jobs.create({ uuid, kind: 'script', name: uuid, submitter, input: { code: 'select 1' } }, [{ name: 'main', executor: 'sql', spec: {} }])
  const taskId = store.jobs.tasks(id)[0]!.id
  for (const n of rows) {
    const set = store.results.create({ jobId: id, taskId, kind: 'table', columns: [{ name: 'x', type: 'int' }] })
    store.results.append(set, 0, Array.from({ length: n }, (_, i) => [i % 10]))
    store.results.finish(set, 'complete')
  }
  return finish(store, id)
}

describe("a user's result bytes in all", () => {
  it("sums the user's own jobs' sets, as byte_size counts them, and no one else's", () => {
    const { store } = stores.open()
    jobWithSets(store, 'e1', 'eve', 100, 50) // rows "[0]" … "[9]": 3 characters each
    jobWithSets(store, 'e2', 'eve', 10)
    jobWithSets(store, 'b1', 'bob', 1000)
    expect(store.results.bytesOfSubmitter('eve')).toBe(3 * 160)
    expect(store.results.bytesOfSubmitter('bob')).toBe(3 * 1000)
    expect(store.results.bytesOfSubmitter('nobody')).toBe(0)
  })

  it("stops counting a deleted job's sets and a rerun's dropped ones at once, before their rows are swept", () => {
    // all in one turn of the event loop: no sweep step runs between, the rows stay, and must not count
    const { store } = stores.open()
    const gone = jobWithSets(store, 'e1', 'eve', 100)
    const rerun = jobWithSets(store, 'e2', 'eve', 200)
    jobWithSets(store, 'e3', 'eve', 10)
    expect(store.results.bytesOfSubmitter('eve')).toBe(3 * 310)

    expect(store.jobs.delete(gone)).toBe(true)
    expect(store.results.bytesOfSubmitter('eve')).toBe(3 * 210)
    store.results.clear(rerun)
    expect(store.results.bytesOfSubmitter('eve')).toBe(3 * 10)
    // their rows are still in the file: only the quota's count let go of them
    expect(store.db.prepare('SELECT count(*) FROM result_rows').pluck().get()).toBe(310)
  })

  it('reads indexes only: no scan of every job or result set', () => {
    const { store } = stores.open()
    const steps = (store.db.prepare(`EXPLAIN QUERY PLAN ${BYTES_OF_SUBMITTER_SQL}`).all('eve') as { detail: string }[]).map((p) => p.detail)
    expect(steps).toEqual([expect.stringMatching(/^SEARCH j USING COVERING INDEX jobs_by_submitter/), expect.stringMatching(/^SEARCH r USING COVERING INDEX result_set_bytes_by_job/)])
  })
})
