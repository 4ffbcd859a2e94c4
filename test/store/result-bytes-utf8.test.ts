// A result set's byte_size, which the job's budget (MAX_RESULT_BYTES_PER_JOB) and its user's kept-bytes
// quota read, counts UTF-8 bytes of row JSON, as the state and logs beside it in that quota do
// (migration 037: octet_length): counted in characters, rows of CJK text kept 3 times what the quota
// said (#9).
import { describe, expect, it } from 'vitest'
import { storesPerTest } from '../support/finished-jobs'

const stores = storesPerTest()

describe('result rows are counted in UTF-8 bytes', () => {
  it("counts a set's bytes so, and cuts the rows at the quota by them", () => {
    const { store } = stores.open()
    const id = store.jobs.create({ uuid: 'cjk', kind: 'script', name: 'cjk', submitter: 'eve' }, [{ name: 'main', executor: 'sql', spec: {} }])
    const taskId = store.jobs.tasks(id)[0]!.id
    const row = ['中文'.repeat(50)] // 104 characters of JSON, 304 bytes
    const rowBytes = Buffer.byteLength(JSON.stringify(row))
    expect(rowBytes).toBe(304)

    const set = store.results.create({ jobId: id, taskId, kind: 'table', columns: [{ name: 's', type: 'text' }] })
    expect(store.results.append(set, 0, [row, row])).toBe(2)
    expect(store.results.bytes(id)).toBe(2 * rowBytes)
    expect(set.bytes).toBe(2 * rowBytes)

    // a quota leaving room for 10 more rows by their bytes (30 by their characters)
    const kept = store.keptBytes.ofSubmitter('eve')
    store.results.holdToQuotas(() => ({ submitter: 'eve', maxBytes: kept + 10 * rowBytes }))
    expect(store.results.append(set, 2, Array.from({ length: 20 }, () => row))).toBe(10)
    expect(set.cut).toMatchObject({ by: 'user', maxBytes: kept + 10 * rowBytes })
    expect(store.keptBytes.ofSubmitter('eve')).toBe(kept + 10 * rowBytes)
  })
})
