// Sort and filter a result set as a whole (#13.5 leftover): the server sorts or searches every row of
// the set and pages over the outcome; big sets are read in a worker thread (that the server keeps
// answering meanwhile is measured alone, in result-sort.probe.test.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { INLINE_QUERY_CELLS } from '../../electron/services/result-query'
import { dispatch } from '../../electron/services/operations'
import { startTestApp, waitForStatus, type TestApp } from '../support/app'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp()
})
afterAll(() => t.close())

const ROWS = 12_000 // 2 columns: above INLINE_QUERY_CELLS cells, read in a worker thread
const nameOf = (n: number): string | null => (n % 1000 === 0 ? null : `Item-${(n * 7919) % ROWS}`)

async function sqlJob(code: string): Promise<number> {
  const { body } = await t.call('POST', '/api/v1/jobs', { type: 'script', language: 'sql', code })
  const job = await waitForStatus(t, body.id, ['succeeded', 'failed'], 30_000)
  expect(job.status, job.error).toBe('succeeded')
  return body.id
}

const page = async (id: number, query: string) => {
  const res = await t.call('GET', `/api/v1/jobs/${id}/results/0?${query}`)
  expect(res.status, JSON.stringify(res.body)).toBe(200)
  return res.body as { rows: unknown[][]; rowNumbers?: number[]; total: number; offset: number }
}

describe('result pages sorted and filtered over the whole set', () => {
  let big: number
  beforeAll(async () => {
    expect(ROWS * 2).toBeGreaterThan(INLINE_QUERY_CELLS)
    big = await sqlJob(`with recursive c(n) as (select 1 union all select n + 1 from c where n < ${ROWS})
select n, case when n % 1000 = 0 then null else 'Item-' || (n * 7919 % ${ROWS}) end as name from c`)
  })

  it('sorts every row by a column, NULLs last either way, and pages over the sorted rows', async () => {
    const all = Array.from({ length: ROWS }, (_, i) => i + 1)
    const named = all.filter((n) => nameOf(n) !== null)
    const byName = [...named].sort((a, b) => (nameOf(a)!.toLowerCase() < nameOf(b)!.toLowerCase() ? -1 : nameOf(a)! > nameOf(b)! ? 1 : a - b))
    const asc = await page(big, 'sort=1&order=asc&limit=5')
    expect(asc.total).toBe(ROWS)
    expect(asc.rows).toEqual(byName.slice(0, 5).map((n) => [n, nameOf(n)]))
    expect(asc.rowNumbers).toEqual(byName.slice(0, 5)) // the row's number in the stored set: n was produced n-th
    const second = await page(big, 'sort=1&order=asc&offset=5&limit=5')
    expect(second.rows.map((r) => r[0])).toEqual(byName.slice(5, 10))
    const desc = await page(big, 'sort=1&order=desc&limit=3')
    expect(desc.rows.map((r) => r[1])).toEqual(byName.slice(-3).reverse().map(nameOf))
    const tail = await page(big, `sort=1&order=desc&offset=${ROWS - 12}&limit=12`)
    expect(tail.rows.map((r) => r[1])).toEqual([null, null, null, null, null, null, null, null, null, null, null, null])
    // numbers by value, not as text: 12000 after 9999
    const byN = await page(big, 'sort=0&order=desc&limit=2')
    expect(byN.rows.map((r) => r[0])).toEqual([12_000, 11_999])
  })

  it('filters every row (any cell, any case), counts the matches and sorts them', async () => {
    const matching = Array.from({ length: ROWS }, (_, i) => i + 1).filter((n) => String(n).includes('777') || (nameOf(n) ?? 'null').toLowerCase().includes('777'))
    const found = await page(big, 'filter=777&limit=5000')
    expect(found.total).toBe(matching.length)
    expect(found.rowNumbers).toEqual(matching)
    const sorted = await page(big, 'filter=ITEM-777&sort=0&order=desc&limit=2')
    const items = matching.filter((n) => nameOf(n)?.startsWith('Item-777'))
    expect(sorted.total).toBe(items.length)
    expect(sorted.rows.map((r) => r[0])).toEqual(items.slice(-2).reverse())
    expect((await page(big, 'filter=null&limit=100')).total).toBe(12) // a NULL cell reads as "null"
    expect((await page(big, 'filter=no-such-text')).rows).toEqual([])
  })

  it('sorts a small set on the main thread the same way, and pages as before without sort or filter', async () => {
    const small = await sqlJob("select 2 as x, 'b' as s union all select 10, null union all select 1, 'C' union all select 3, 'a'")
    expect((await page(small, 'sort=1')).rows).toEqual([[3, 'a'], [2, 'b'], [1, 'C'], [10, null]])
    expect((await page(small, 'sort=0&order=desc')).rows.map((r) => r[0])).toEqual([10, 3, 2, 1])
    const plain = await page(small, 'offset=1&limit=2')
    expect(plain).toMatchObject({ rows: [[10, null], [1, 'C']], total: 4, offset: 1 })
    expect(plain.rowNumbers).toBeUndefined()
  })

  it('refuses a column that is not there, a bad order and a filter too long, naming the field', async () => {
    const bad = async (query: string, field: string) => {
      const res = await t.call('GET', `/api/v1/jobs/${big}/results/0?${query}`)
      expect(res.status, query).toBe(400)
      expect(res.body.error, query).toMatchObject({ kind: 'invalid', field })
    }
    await bad('sort=2', 'sort')
    await bad('sort=-1', 'sort')
    await bad('sort=1&order=up', 'order')
    await bad(`filter=${'x'.repeat(1001)}`, 'filter')
    // over IPC no schema stands in front: the service checks too
    const admin = t.app.store.users.findByUsername('admin')!
    for (const [params, field] of [[{ sort: 'name' }, 'sort'], [{ sort: 1.5 }, 'sort'], [{ order: 'DESC', sort: 0 }, 'order'], [{ filter: 42 }, 'filter']] as const) {
      const e = await dispatch(t.app.handlers, 'jobs.resultPage', { id: big, index: 0, ...(params as object) }, admin).catch((x: unknown) => x)
      expect(e, JSON.stringify(params)).toMatchObject({ kind: 'invalid', field })
    }
  })
})
