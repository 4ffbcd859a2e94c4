// Sorting and filtering a big result set as a whole (#13.5 leftover) is done in a worker thread: the
// server keeps answering a status probe in under 200 ms meanwhile. (The sort's results are checked in
// result-sort-filter.test.ts; this timing runs here, alone, so that it measures JobDesk.)
import { beforeAll, expect, it } from 'vitest'
import { INLINE_QUERY_CELLS } from '../../electron/services/result-query'
import { expectResponsive, probeWhile, servedProcessSuite } from '../support/served-process'

const ROWS = 12_000 // 2 columns: above INLINE_QUERY_CELLS cells, read in a worker thread
const app = servedProcessSuite({ timeoutMs: 120_000 })
let big: number
const call = async (method: string, path: string, body?: unknown) => {
  const r = await fetch(`${app.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${app.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  return { status: r.status, body: (await r.json()) as any }
}

beforeAll(async () => {
  expect(ROWS * 2).toBeGreaterThan(INLINE_QUERY_CELLS)
  const code = `with recursive c(n) as (select 1 union all select n + 1 from c where n < ${ROWS})
select n, case when n % 1000 = 0 then null else 'Item-' || (n * 7919 % ${ROWS}) end as name from c`
  big = (await call('POST', '/api/v1/jobs', { type: 'script', language: 'sql', code })).body.id
  for (let status = '', end = Date.now() + 60_000; status !== 'succeeded'; ) {
    if (status === 'failed' || Date.now() > end) throw new Error(`the SQL job ${status || 'did not start'}`)
    await new Promise((r) => setTimeout(r, 100))
    status = (await call('GET', `/api/v1/jobs/${big}`)).body.status
  }
}, 120_000)

it('keeps answering a status probe in under 200 ms while big sets are sorted and filtered', async () => {
  const page = async (query: string) => {
    const res = await call('GET', `/api/v1/jobs/${big}/results/0?${query}`)
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    return res.body as { total: number }
  }
  const { result, probe } = await probeWhile(app, () =>
    Promise.all([page('sort=1&order=desc&offset=6000'), page('filter=item&sort=1'), page('sort=0&order=desc&filter=7')]),
  )
  expect(result[0].total).toBe(ROWS)
  expect(probe.count).toBeGreaterThan(0)
  expectResponsive(probe)
})
