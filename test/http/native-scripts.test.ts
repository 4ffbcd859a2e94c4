import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, waitForStatus, type TestApp } from '../support/app'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp()
})
afterAll(() => t.close())

const run = async (language: string, code: string, extra: object = {}) => {
  const { body, status } = await t.call('POST', '/api/v1/jobs', { type: 'script', language, code, ...extra })
  expect(status, JSON.stringify(body)).toBe(201)
  return waitForStatus(t, body.id, ['succeeded', 'failed', 'timed_out', 'cancelled'])
}

describe('script languages', () => {
  it('sql: each SELECT becomes a paged result set in the user’s scratch database, not JobDesk’s store', async () => {
    const job = await run('sql', `create table t (x integer, s text);
insert into t values (1, 'a'), (2, 'b;c'), (3, null);
select x, s from t order by x;
select count(*) as n from t`)
    expect(job.status).toBe('succeeded')
    const sets = (await t.call('GET', `/api/v1/jobs/${job.id}/results`)).body
    expect(sets).toEqual([
      { index: 0, kind: 'table', columns: [{ name: 'x', type: 'INTEGER' }, { name: 's', type: 'TEXT' }], rowCount: 3, task: 'main', state: 'complete' },
      { index: 1, kind: 'table', columns: [{ name: 'n', type: '' }], rowCount: 1, task: 'main', state: 'complete' },
    ])
    const page = (await t.call('GET', `/api/v1/jobs/${job.id}/results/0?offset=1&limit=5`)).body
    expect(page).toMatchObject({ total: 3, offset: 1, rows: [[2, 'b;c'], [3, null]] })
    const csv = (await t.call('GET', `/api/v1/jobs/${job.id}/results/0/csv`)).body
    expect(csv).toMatchObject({ fileName: `job-${job.id}-result-1.csv`, csv: 'x,s\r\n1,a\r\n2,"b;c"\r\n3,\r\n', truncated: false })
    // the same as an .xlsx workbook (#13.5): a sheet named as the result's tab, numbers as numbers
    const xlsx = (await t.call('GET', `/api/v1/jobs/${job.id}/results/0/xlsx`)).body
    expect(xlsx).toMatchObject({ fileName: `job-${job.id}-result-1.xlsx`, truncated: false })
    const book = new ExcelJS.Workbook()
    await book.xlsx.load(Buffer.from(xlsx.base64, 'base64') as never)
    const sheet = book.getWorksheet('Result 1')!
    expect([1, 2, 3, 4].map((r) => (sheet.getRow(r).values as unknown[]).slice(1))).toEqual([['x', 's'], [1, 'a'], [2, 'b;c'], [3]])
    expect((await t.call('GET', `/api/v1/jobs/${job.id}/results/7/xlsx`)).status).toBe(404)
    expect(t.app.store.db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 't'").get()).toEqual({ n: 0 })
    // the scratch database keeps the user's tables between jobs
    const again = await run('sql', 'select sum(x) as total from t')
    expect((await t.call('GET', `/api/v1/jobs/${again.id}/results/0`)).body.rows).toEqual([[6]])
  })

  it('sql: a bad statement fails the job naming the statement and its line', async () => {
    const job = await run('sql', 'select 1;\n\nselect * from no_such_table;')
    expect(job.status).toBe('failed')
    expect(job.error).toBe('task main: statement 2 of 2 (line 3): no such table: no_such_table')
  })

  it('python: stdout is logged and kept as a text result; stderr that states no level logs as INFO', async () => {
    const job = await run('python', 'import sys\nprint("hello")\nprint(6 * 7)\nprint("oops", file=sys.stderr)')
    expect(job.status).toBe('succeeded')
    const sets = (await t.call('GET', `/api/v1/jobs/${job.id}/results`)).body
    expect(sets).toMatchObject([{ index: 0, kind: 'text', rowCount: 2 }])
    expect((await t.call('GET', `/api/v1/jobs/${job.id}/results/0`)).body.rows).toEqual([['hello'], ['42']])
    const log = (await t.call('GET', `/api/v1/jobs/${job.id}/logs`)).body.lines
    expect(log.map((l: { level: string; text: string }) => `${l.level} ${l.text}`)).toEqual(['INFO hello', 'INFO 42', 'INFO oops'])
  })

  it('substitutes ${variables} and the built-in run_date', async () => {
    const job = await run('shell', 'echo "${greeting}, ${who}! ${run_date}"', { variables: { greeting: 'Hello', who: 'JobDesk' } })
    const line = (await t.call('GET', `/api/v1/jobs/${job.id}/results/0`)).body.rows[0][0]
    expect(line).toMatch(/^Hello, JobDesk! \d{8}$/)
    const d = new Date()
    d.setDate(d.getDate() - 1)
    expect(line.slice(-8)).toBe(`${d.getFullYear()}${String(d.getMonth() + 1).padStart(2, '0')}${String(d.getDate()).padStart(2, '0')}`)
  })

  it('substitutes the Linkis date family with day, quarter and year steps; refuses an unknown name in SQL and Python', async () => {
    const job = await run('sql', "--@set region=north\nselect '${run_date-1}' as d, '${run_quarter_begin}' as q, '${run_year_end_std}' as y, '${region}' as r", {
      variables: { run_date: '20240515' },
    })
    expect(job.status, job.error).toBe('succeeded')
    expect((await t.call('GET', `/api/v1/jobs/${job.id}/results/0`)).body.rows).toEqual([['20240514', '20240401', '2024-12-31', 'north']])
    const log = (await t.call('GET', `/api/v1/jobs/${job.id}/logs`)).body.lines.map((l: { text: string }) => l.text)
    expect(log).toContain('Variable expression [${run_date-1}] = 20240514')

    const sql = await t.call('POST', '/api/v1/jobs', { type: 'script', language: 'sql', code: 'select 1;\nselect ${nope}' })
    expect(sql.status).toBe(400)
    expect(sql.body.error).toMatchObject({ code: 'unknown_variable', field: 'code', line: 2, message: expect.stringContaining('${nope} (line 2)') })
    const py = await t.call('POST', '/api/v1/jobs', { type: 'script', language: 'python', code: 'print("${whom}")' })
    expect(py.body.error).toMatchObject({ code: 'unknown_variable', message: expect.stringContaining('"#@set name=value"') })
  })

  it('shell: Linkis variables are substituted before the shell sees them, its own ${VAR} forms are left to it', async () => {
    const job = await run('shell', 'x=kept; echo "${run_date-1} ${run_half_year_end_std} ${x} ${unset_var-dflt} ${HOME:+home}"', { variables: { run_date: '20240515' } })
    expect((await t.call('GET', `/api/v1/jobs/${job.id}/results/0`)).body.rows[0][0]).toBe('20240514 2024-06-30 kept dflt home')
  })

  it('cypher runs each statement on the chosen graph; rows become result sets, a bad statement fails the job naming it', async () => {
    const submit = async (code: string, extra: object = {}) => {
      const { body, status } = await t.call('POST', '/api/v1/jobs', { type: 'script', language: 'cypher', code, ...extra })
      expect(status, JSON.stringify(body)).toBe(201)
      return waitForStatus(t, body.id, ['succeeded', 'failed', 'timed_out', 'cancelled'], 120_000) // the first query loads the parser
    }
    const job = await submit(`CALL db.createVertexLabel('p', 'id', 'id', 'int64', false, 'name', 'string', true);
CREATE (:p {id: 1, name: 'a; b'}), (:p {id: 2});
MATCH (n:p) RETURN n.id AS id, n.name AS name ORDER BY id;
MATCH (n:p {id: 1}) RETURN n`)
    expect(job.status, job.error).toBe('succeeded')
    const sets = (await t.call('GET', `/api/v1/jobs/${job.id}/results`)).body
    expect(sets.map((r: { columns: unknown }) => r.columns)).toEqual([
      [
        { name: 'id', type: 'any' },
        { name: 'name', type: 'any' },
      ],
      [{ name: 'n', type: 'node' }],
    ])
    expect((await t.call('GET', `/api/v1/jobs/${job.id}/results/0`)).body.rows).toEqual([
      [1, 'a; b'],
      [2, null],
    ])
    expect((await t.call('GET', `/api/v1/jobs/${job.id}/results/1`)).body.rows).toEqual([[{ identity: 0, label: 'p', properties: { id: 1, name: 'a; b' } }]])
    const log = (await t.call('GET', `/api/v1/jobs/${job.id}/logs`)).body.lines.map((l: { text: string }) => l.text)
    expect(log).toContainEqual(expect.stringMatching(/^statement 2: created 2 vertices, created 0 edges\. in /))

    const bad = await submit('MATCH (n:p) RETURN n;\nMATCH (n:nope) RETURN n')
    expect(bad.status).toBe('failed')
    expect(bad.error).toMatch(/statement 2 in graph default: Vertex label \[nope\] does not exist\./)
    const other = await submit('RETURN 1', { graph: 'elsewhere' })
    expect(other.error).toMatch(/Graph \[elsewhere\] does not exist\./)
  }, 240_000)

  it('an unknown result set is a 404', async () => {
    const job = await run('shell', 'true')
    expect((await t.call('GET', `/api/v1/jobs/${job.id}/results/3`)).status).toBe(404)
  })
})
