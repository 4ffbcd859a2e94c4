// "Export visible rows" (trial of #13.5): a result set exported as its table shows it, sorted and
// filtered over the whole set, as CSV and .xlsx, with the CSV injection rule of every export
// (shared/csv-injection.ts); a small set is written in-process, a big one in the export worker.
import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, waitForStatus, type TestApp } from '../support/app'

let t: TestApp
let small: number
let big: number
beforeAll(async () => {
  t = await startTestApp()
  const submit = async (code: string) => {
    const { body } = await t.call('POST', '/api/v1/jobs', { type: 'script', language: 'sql', code })
    return (await waitForStatus(t, body.id, ['succeeded', 'failed'], 30_000)).id as number
  }
  small = await submit(`create table c (name text, pop integer);
insert into c values ('Oslo', 700), ('Bergen', 290), ('=HYPERLINK("x")', 5), ('Aarhus', 360), ('Zurich', null);
select name, pop from c;`)
  big = await submit(`with recursive n(i) as (select 1 union all select i + 1 from n where i < 3000)
select i, case when i % 3 = 0 then 'fizz' else 'plain' end as word from n;`)
})
afterAll(() => t.close())

const csvOf = async (id: number, query: string) => (await t.call('GET', `/api/v1/jobs/${id}/results/0/csv?${query}`)).body
const sheetOf = async (id: number, query: string) => {
  const body = (await t.call('GET', `/api/v1/jobs/${id}/results/0/xlsx?${query}`)).body
  const book = new ExcelJS.Workbook()
  await book.xlsx.load(Buffer.from(body.base64, 'base64') as never)
  const sheet = book.worksheets[0]
  return { body, rows: Array.from({ length: sheet.rowCount }, (_, r) => (sheet.getRow(r + 1).values as unknown[]).slice(1)) }
}

describe('export of the rows as shown', () => {
  it('CSV and xlsx hold the filtered rows in the sorted order; CSV neutralises a formula', async () => {
    const csv = await csvOf(small, 'sort=1&order=desc&filter=r')
    // "r" matches Bergen, Aarhus, Zurich and the HYPERLINK text; pop descending, NULL last
    expect(csv).toMatchObject({ csv: `name,pop\r\nAarhus,360\r\nBergen,290\r\n"'=HYPERLINK(""x"")",5\r\nZurich,\r\n`, truncated: false })
    const all = await csvOf(small, '')
    expect(all.csv.split('\r\n')[1]).toBe('Oslo,700') // without a view: every row in the query's order
    const { rows } = await sheetOf(small, 'sort=0&order=asc&filter=i')
    expect(rows).toEqual([['name', 'pop'], ['=HYPERLINK("x")', 5], ['Zurich']]) // an xlsx cell is text, never a formula
  })

  it('a big set is sorted and filtered in the export worker, and capped by limit', { timeout: 60_000 }, async () => {
    const csv = await csvOf(big, 'sort=0&order=desc&filter=fizz')
    const lines = csv.csv.trim().split('\r\n')
    expect(lines).toHaveLength(1 + 1000)
    expect(lines.slice(0, 3)).toEqual(['i,word', '3000,fizz', '2997,fizz'])
    expect(lines.at(-1)).toBe('3,fizz')
    const capped = await csvOf(big, 'sort=0&order=desc&filter=fizz&limit=10')
    expect(capped.truncated).toBe(true)
    expect(capped.csv.trim().split('\r\n')).toHaveLength(11)
    const { body, rows } = await sheetOf(big, 'sort=0&order=desc&filter=plain')
    expect(body.truncated).toBe(false)
    expect(rows).toHaveLength(1 + 2000)
    expect(rows.slice(1, 3)).toEqual([[2999, 'plain'], [2998, 'plain']])
  })

  it('names the view field it cannot use', async () => {
    for (const [query, field] of [['sort=9', 'sort'], ['order=up&sort=0', 'order'], [`filter=${'x'.repeat(1001)}`, 'filter']]) {
      const res = await t.call('GET', `/api/v1/jobs/${small}/results/0/csv?${query}`)
      expect(res.status, query).toBe(400)
      expect(JSON.stringify(res.body)).toContain(field)
    }
  })
})
