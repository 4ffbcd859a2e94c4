// A result set cut short by a kill is marked partial everywhere it is read (#9 §5): the native API,
// Linkis's openFile / getDirFileTrees / resultsetToExcel, and (test/e2e) the Scripts page.
import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { shownState } from '../../electron/store/result.repository'
import { startTestApp, waitForStatus, type TestApp } from '../support/app'
import { linkisClient } from './support'

let t: TestApp
let linkis: ReturnType<typeof linkisClient>
beforeAll(async () => {
  t = await startTestApp()
  linkis = linkisClient(t.url)
  await linkis.login()
})
afterAll(() => t.close())

const SLOW_ROWS = 'with recursive n(i) as (select 1 union all select i + 1 from n where i < 50000000) select i, hex(randomblob(64)) as pad from n'

describe('partial result sets', () => {
  it('a SQL job killed mid-write leaves a result set marked partial in every view', async () => {
    const sub = await linkis.submit(`select 1 as done;\n${SLOW_ROWS}`, 'sql')
    const { execID, taskID } = sub.body.data
    await expect.poll(() => t.app.store.results.get(taskID, 1)?.rowCount ?? 0, { timeout: 15_000 }).toBeGreaterThan(2000)
    expect((await linkis.call('GET', `/entrance/${execID}/kill`)).body.status).toBe(0)
    expect(await linkis.waitDone(execID)).toBe('Cancelled')

    const sets = (await t.call('GET', `/api/v1/jobs/${taskID}/results`)).body
    expect(sets.map((s: { state: string }) => s.state)).toEqual(['complete', 'partial'])
    const rows = sets[1].rowCount
    expect((await t.call('GET', `/api/v1/jobs/${taskID}/results/1?limit=1`)).body.state).toBe('partial')

    const dir = `file:///jobdesk/admin/result/${taskID}`
    const tree = (await linkis.call('GET', `/filesystem/getDirFileTrees?path=${encodeURIComponent(dir)}`)).body.data.dirFileTrees
    expect(tree.children.map((c: { properties: { partial: string } }) => c.properties.partial)).toEqual(['false', 'true'])
    const file = (await linkis.call('GET', `/filesystem/openFile?path=${encodeURIComponent(`${dir}/_1.dolphin`)}&pageSize=1`)).body.data
    expect(file).toMatchObject({ partial: true, totalLine: rows, en_msg: `This result set is partial: the job was stopped or failed while writing it, so rows after the first ${rows} are missing.` })
    expect((await linkis.call('GET', `/filesystem/openFile?path=${encodeURIComponent(`${dir}/_0.dolphin`)}`)).body.data).toMatchObject({ partial: false })
    expect((await linkis.call('GET', `/filesystem/openFile?path=${encodeURIComponent(`${dir}/_0.dolphin`)}`)).body.data.en_msg).toBeUndefined()

    const xlsx = await fetch(`${t.url}/api/rest_j/v1/filesystem/resultsetToExcel?outputFileType=xlsx&limit=10&path=${encodeURIComponent(`${dir}/_1.dolphin`)}`, { headers: { cookie: linkis.cookie } })
    expect(xlsx.headers.get('x-jobdesk-result-state')).toBe('partial')
    const book = new ExcelJS.Workbook()
    await book.xlsx.load((await xlsx.arrayBuffer()) as ArrayBuffer)
    expect(book.worksheets.map((w) => w.name)).toEqual(['result', 'JobDesk notes'])
    expect(String(book.getWorksheet('JobDesk notes')!.getRow(1).getCell(1).value)).toMatch(/^This result set is partial/)
  }, 30_000)

  it('a script stopped while printing has a partial text result; one that ran to the end does not', async () => {
    const { body } = await t.call('POST', '/api/v1/jobs', { type: 'script', language: 'shell', code: 'i=0; while true; do echo line $i; i=$((i+1)); done' })
    await expect.poll(() => t.app.store.results.get(body.id, 0)?.rowCount ?? 0, { timeout: 10_000 }).toBeGreaterThan(1000)
    await t.call('POST', `/api/v1/jobs/${body.id}/cancel`)
    await waitForStatus(t, body.id, ['cancelled'])
    expect((await t.call('GET', `/api/v1/jobs/${body.id}/results`)).body[0].state).toBe('partial')
    const done = await t.call('POST', '/api/v1/jobs', { type: 'script', language: 'shell', code: 'echo one; exit 3' })
    await waitForStatus(t, done.body.id, ['failed'])
    expect((await t.call('GET', `/api/v1/jobs/${done.body.id}/results`)).body[0].state).toBe('complete') // failed, but its output is whole
  })

  it('a set left "writing" by a crash reads as partial once its job has finished', () => {
    const set = { id: 1, jobId: 1, taskId: 1, index: 0, kind: 'table' as const, columns: [], rowCount: 10, state: 'writing' as const }
    expect(shownState(set, false)).toBe('writing')
    expect(shownState(set, true)).toBe('partial')
  })
})
