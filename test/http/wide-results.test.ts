// Wide rows against the byte caps (#9 §2): a result of 2,000 columns holds megabytes in a few rows, so
// a page stops at its byte cap and says so (native and Linkis), paging on loses no row, the list of
// result sets and the exports are streamed (chunked), and every answer states its caps.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MAX_PAGE_BYTES } from '../../electron/store/result-cells'
import { NATIVE_EXPORT_MAX_BYTES } from '../../electron/services/export/format'
import { startTestApp, waitForStatus, type TestApp } from '../support/app'
import { linkisClient } from '../linkis/support'

const COLUMNS = 2000
const ROWS = 40
// each cell 40 characters (printf pads with spaces): a stored row is ~86 KB, so the 40 rows are ~3.4 MB, more than one page
const rowText = (row: number) => Array.from({ length: COLUMNS }, (_, c) => `r${row}c${c}`.padEnd(40, ' '))

let t: TestApp
let jobId = 0
beforeAll(async () => {
  t = await startTestApp()
  const select = Array.from({ length: COLUMNS }, (_, c) => `printf('%-40s', 'r' || i || 'c${c}') AS c${c}`).join(', ')
  const code = `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${ROWS - 1}) SELECT ${select} FROM n`
  const { body } = await t.call('POST', '/api/v1/jobs', { type: 'script', language: 'sql', code })
  jobId = (await waitForStatus(t, body.id, ['succeeded', 'failed'])).id
  const set = t.app.store.results.get(jobId, 0)
  expect(set?.rowCount).toBe(ROWS)
}, 60_000)
afterAll(() => t.close())

describe('results of 2,000 columns', () => {
  it('a native page stops at its byte cap, says so, and paging on by the rows returned loses none', async () => {
    const seen: unknown[][] = []
    let offset = 0
    let pages = 0
    while (offset < ROWS) {
      const res = await fetch(`${t.url}/api/v1/jobs/${jobId}/results/0?offset=${offset}&limit=${ROWS}`, { headers: { authorization: `Bearer ${t.token}` } })
      const text = await res.text()
      expect(res.headers.get('content-length')).toBe(null) // written slice by slice, not built whole
      const page = JSON.parse(text) as { rows: unknown[][]; total: number; offset: number; pageByteCap: number; shortPage: boolean }
      expect(page).toMatchObject({ total: ROWS, offset, pageByteCap: MAX_PAGE_BYTES })
      expect(JSON.stringify(page.rows).length).toBeLessThanOrEqual(MAX_PAGE_BYTES)
      expect(page.rows.length).toBeGreaterThan(0)
      expect(page.shortPage).toBe(offset + page.rows.length < ROWS)
      seen.push(...page.rows)
      offset += page.rows.length
      pages++
    }
    expect(pages).toBeGreaterThan(1)
    expect(seen.map((r, i) => (r as string[]).join('|') === rowText(i).join('|'))).toEqual(Array(ROWS).fill(true))
  })

  it('a sorted page of the wide set is capped the same way and numbers its rows', async () => {
    const { body } = await t.call('GET', `/api/v1/jobs/${jobId}/results/0?limit=${ROWS}&sort=0&order=desc`)
    expect(body.shortPage).toBe(true)
    expect(body.rows.length).toBeLessThan(ROWS)
    // 'r9c0…' sorts after 'r39c0…' as text: descending starts at row 9, then 8, …
    expect(body.rowNumbers.slice(0, 3)).toEqual([10, 9, 8])
    expect(body.rows[0][1]).toBe(rowText(9)[1])
  })

  it('Linkis openFile stops its page at the byte cap with its notice; the next page goes on from there', async () => {
    const linkis = linkisClient(t.url)
    await linkis.login()
    const path = encodeURIComponent(`file:///jobdesk/admin/result/${jobId}/_0.dolphin`)
    const first = (await linkis.call('GET', `/filesystem/openFile?path=${path}&pageSize=${ROWS}`)).body.data
    const n = first.fileContent.length
    expect(n).toBeGreaterThan(0)
    expect(n).toBeLessThan(ROWS)
    expect(first).toMatchObject({ totalLine: ROWS, totalColumn: COLUMNS, type: '2' })
    expect(first.en_msg).toBe(`This page holds only its first ${n} rows: a page carries at most ${MAX_PAGE_BYTES / 1024 / 1024} MB of results. Ask with a smaller pageSize.`)
    expect(first.fileContent[n - 1]).toEqual(rowText(n - 1))
    const second = (await linkis.call('GET', `/filesystem/openFile?path=${path}&pageSize=${n}&page=2`)).body.data
    expect(second.fileContent[0]).toEqual(rowText(n))
  })

  it('the list of result sets is streamed with the same JSON as before', async () => {
    const res = await fetch(`${t.url}/api/v1/jobs/${jobId}/results`, { headers: { authorization: `Bearer ${t.token}` } })
    expect(res.headers.get('content-length')).toBe(null)
    expect(res.headers.get('content-type')).toMatch(/^application\/json/)
    const text = await res.text()
    const columns = Array.from({ length: COLUMNS }, (_, c) => ({ name: `c${c}`, type: '' }))
    expect(text).toBe(JSON.stringify([{ index: 0, kind: 'table', columns, rowCount: ROWS, task: 'main', state: 'complete' }]))
  })

  it('the native CSV and xlsx are streamed, state their row and byte caps and how many rows they hold', async () => {
    const res = await fetch(`${t.url}/api/v1/jobs/${jobId}/results/0/csv?limit=30`, { headers: { authorization: `Bearer ${t.token}` } })
    expect(res.headers.get('content-length')).toBe(null)
    const text = await res.text()
    // the caps come before the file, what it holds after it
    expect(text.indexOf('"byteCap"')).toBeLessThan(text.indexOf('"csv"'))
    expect(text.indexOf('"rows"')).toBeGreaterThan(text.indexOf('"csv"'))
    const csv = JSON.parse(text) as { fileName: string; rowCap: number; byteCap: number; csv: string; rows: number; truncated: boolean }
    expect({ ...csv, csv: undefined }).toEqual({ fileName: `job-${jobId}-result-1.csv`, rowCap: 30, byteCap: NATIVE_EXPORT_MAX_BYTES, csv: undefined, rows: 30, truncated: true })
    const lines = csv.csv.split('\r\n')
    expect(lines.length).toBe(32) // the header, 30 rows, and the empty text after the last line end
    expect(lines[30]).toBe(rowText(29).map((v) => `"${v}"`).join(',')) // space at an end is quoted (shared/csv.ts), so readers that trim keep it

    const xlsx = (await t.call('GET', `/api/v1/jobs/${jobId}/results/0/xlsx`)).body
    expect(xlsx).toMatchObject({ fileName: `job-${jobId}-result-1.xlsx`, rowCap: 100_000, byteCap: NATIVE_EXPORT_MAX_BYTES, rows: ROWS, truncated: false })
    expect(Buffer.from(xlsx.base64, 'base64').subarray(0, 2).toString()).toBe('PK') // a zip, whole: base64 of whole byte groups
  })

  it('a client that hangs up mid-export frees its export worker for the next one', async () => {
    // more than the exports that may run and wait at once: a leaked worker would hold every later one
    for (let i = 0; i < 12; i++) {
      const ctl = new AbortController()
      const res = await fetch(`${t.url}/api/v1/jobs/${jobId}/results/0/csv`, { headers: { authorization: `Bearer ${t.token}` }, signal: ctl.signal })
      expect(res.status).toBe(200)
      await res.body!.getReader().read()
      ctl.abort()
    }
    const { status, body } = await t.call('GET', `/api/v1/jobs/${jobId}/results/0/csv`)
    expect(status).toBe(200)
    expect(body).toMatchObject({ rows: ROWS, truncated: false })
  }, 60_000) // 13 exports of 2,000 columns: 4.6 s at load 2, past 20 s at load 14 (a leak hangs: any bound finds it)
})
