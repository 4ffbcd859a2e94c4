// Attack (hostile data → the admin's spreadsheet): CSV injection through a list separator. OWASP's
// CSV Injection guidance: "it is not sufficient to make sure that the untrusted user input does not
// start with these characters. You also need to take care of the field separator (e.g., ',' or ';')
// and quotes, as attackers could use this to start a new cell and then have the dangerous character
// in the middle of the user input, but at the beginning of a cell." JobDesk's exports check only a
// value's first character (shared/csv-injection.ts) and quote only for the configured separator (`,`).
// Excel opens a .csv with the system's list separator, `;` in most European locales (de, fr, it, es,
// nl, …): there the value `Oslo;=cmd|' /C calc'!A0`, written unquoted (it holds no `,` and no `"`),
// becomes the cell `=cmd|' /C calc'!A0`, the classic DDE formula that asks to start a program. (A
// value with a `"` in it is quoted, and a quoted field stays one cell: that case holds.)
// A user (mallory) puts that value in a result; the admin exports it from the Jobs page (native
// /results/0/csv) and from the Graph page's table (resultCsv). Expected: every field that holds a
// list separator (`;`, `,`, tab) is quoted, or no cell of the file starts with a formula character
// however it is split. Fails today for both writers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { resultCsv } from '../../renderer/src/features/graph/cypher-result'
import { startTestApp, waitForStatus, type TestApp } from '../support/app'
import { isLiveFormula, spreadsheetCells } from '../support/spreadsheet-cells'
import { addUser } from '../support/users'

/** A DDE payload holds no double quote, so nothing makes the writer quote it. */
const HOSTILE = "Oslo;=cmd|' /C calc'!A0"

/** The cells of `csv` that a spreadsheet reading it with `;` as its list separator runs as formulas. */
const formulaCells = (csv: string): string[] =>
  csv
    .split(/\r?\n/)
    .flatMap((line) => spreadsheetCells(line, ';'))
    .filter(isLiveFormula)

let t: TestApp
let jobId: number
beforeAll(async () => {
  t = await startTestApp()
  const mallory = await addUser(t, 'mallory')
  const sql = `SELECT 'Bergen' AS city, 290 AS pop UNION ALL SELECT '${HOSTILE.replace(/'/g, "''")}', 700`
  const { body } = await mallory.call('POST', '/api/v1/jobs', { type: 'script', language: 'sql', code: sql, name: 'cities' })
  jobId = (await waitForStatus(t, body.id, ['succeeded', 'failed'], 30_000)).id
})
afterAll(() => t.close())

describe('CSV exports read with a European list separator (;)', () => {
  it('the Jobs page export (native results/0/csv) starts no cell with a formula', async () => {
    const { status, body } = await t.call('GET', `/api/v1/jobs/${jobId}/results/0/csv`)
    expect(status).toBe(200)
    expect(body.csv).toContain('calc') // the row is there
    expect(formulaCells(body.csv), `the file as written:\n${body.csv}`).toEqual([])
  })

  it("the Graph page's table export (resultCsv) starts no cell with a formula", () => {
    const csv = resultCsv({ header: [{ name: 'city', type: 0 }], rows: [['Bergen'], [HOSTILE]] })
    expect(formulaCells(csv), `the file as written:\n${csv}`).toEqual([])
  })
})
