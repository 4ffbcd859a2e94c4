// A job keeps at most MAX_RESULT_BYTES_PER_JOB (256 MiB) of result rows across all its result sets
// (#9, attack-sql-disk-fill): the set that reaches it is cut at the first row that does not fit and
// ends `truncated`, later sets keep only rows that fit what is left, the job still succeeds, and its
// log says the budget and how much was kept.
import { afterAll, beforeAll, expect, it } from 'vitest'
import { formatSize } from '../../shared/number-format'
import { MAX_RESULT_BYTES_PER_JOB } from '../../electron/store/result.repository'
import { startTestApp, waitForStatus, type TestApp } from '../support/app'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp()
}, 60_000)
afterAll(() => t?.close())

/** 600 rows of 4 cells of 65,000 characters: ≈ 149 MiB stored, so two of them pass the budget. */
const HALF = `WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 600), p(s) AS (SELECT printf('%.*c', 65000, 'x'))
  SELECT s AS a, s AS b, s AS c, s AS d FROM c, p;`

it('cuts the set that reaches the job budget, keeps only what fits of later sets, and logs the budget and what was kept', { timeout: 180_000 }, async () => {
  const { body } = await t.call('POST', '/api/v1/jobs', { type: 'script', language: 'sql', code: `${HALF}\n${HALF}\n${HALF}\nSELECT 1 AS one;` })
  const job = await waitForStatus(t, body.id, ['succeeded', 'failed'], 150_000)
  expect(job.status).toBe('succeeded')
  const sets = (await t.call('GET', `/api/v1/jobs/${body.id}/results`)).body as { rowCount: number; state: string }[]
  expect(sets.map((s) => s.state)).toEqual(['complete', 'truncated', 'truncated', 'complete'])
  expect(sets[0]!.rowCount).toBe(600)
  expect(sets[1]!.rowCount).toBeGreaterThan(0)
  expect(sets[1]!.rowCount).toBeLessThan(600)
  expect(sets[2]!.rowCount).toBe(0)
  expect(sets[3]!.rowCount).toBe(1) // a small row still fits what is left
  const stored = t.app.store.results.bytes(body.id)
  expect(stored).toBeLessThanOrEqual(MAX_RESULT_BYTES_PER_JOB)
  expect(stored).toBeGreaterThan(MAX_RESULT_BYTES_PER_JOB - 300_000) // cut at the row that did not fit, not far before
  const lines = ((await t.call('GET', `/api/v1/jobs/${body.id}/logs?size=100`)).body.lines as { level: string; text: string }[]).map((l) => `${l.level} ${l.text}`)
  expect(lines).toContain(`WARN statement 2 of 4 (line 3): result cut at ${sets[1]!.rowCount} rows: a job keeps at most 256 MiB of result rows, and it keeps ${formatSize(stored)}`)
  expect(lines).toContain(`WARN statement 3 of 4 (line 5): result cut at 0 rows: a job keeps at most 256 MiB of result rows, and it keeps ${formatSize(stored)}`)
})
