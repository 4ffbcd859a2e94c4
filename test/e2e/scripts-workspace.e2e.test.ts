// Scripts as in Scriptis (#13.5): saved scripts in a tree (save, open, rename, delete, folders),
// the scratch database's tables, Excel export beside CSV, sort and filter in result tables,
// results named as their tabs, and stderr warnings shown as warnings.
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import ExcelJS from 'exceljs'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { SHOTS, browserSuite, poll, signIn, type Served, downloaded, saveScriptAs, chooseLanguage, typeScript } from './support'

const suite = browserSuite({ width: 1400, height: 860 })
let served: Served
let page: Page
beforeAll(() => ({ served, page } = suite))

const editorText = () => page.getByTestId('script-editor').innerText()
const tree = () => page.getByRole('tree', { name: 'saved scripts' })
const runStatus = () => page.getByTestId('run-status').getAttribute('data-status')
const shownJob = async () => Number(/#(\d+)/.exec((await page.getByTestId('run-job').textContent()) ?? '')?.[1])

const SQL = `create table if not exists cities (name text not null, pop integer);
delete from cities;
insert into cities values ('Oslo', 700), ('Bergen', 290), ('Aarhus', 360), ('Zurich', null);
select name, pop from cities;
select count(*) as n from cities;`

describe('Scripts workspace', () => {
  it('runs SQL; sorts and filters the result table; names results as their tabs; exports Excel', async () => {
    await signIn(page, served.url)
    await page.goto(`${served.url}/#/scripts`)
    await chooseLanguage(page, 'SQL')
    await typeScript(page, SQL)
    await page.keyboard.press('ControlOrMeta+Enter')
    await poll(runStatus).toBe('succeeded')
    // the result tabs follow the run's end (its result sets are fetched then): under load a moment later
    await poll(() => page.getByRole('tab').allTextContents()).toEqual(['Result 1 · 4 rows', 'Result 2 · 1 row', 'Log'])
    const table = page.getByRole('table', { name: 'Result 1' })
    await table.waitFor({ timeout: 10_000 })
    const names = () => table.locator('tbody tr td:nth-child(2)').allTextContents()
    expect(await names()).toEqual(['Oslo', 'Bergen', 'Aarhus', 'Zurich'])
    await table.getByRole('button', { name: /^pop/ }).click()
    await poll(names).toEqual(['Bergen', 'Aarhus', 'Oslo', 'Zurich']) // NULL last
    expect(await table.locator('th[aria-sort="ascending"]').count()).toBe(1)
    await table.getByRole('button', { name: /^pop/ }).click()
    await poll(names).toEqual(['Oslo', 'Aarhus', 'Bergen', 'Zurich'])
    await page.getByLabel('filter all rows of Result 1').fill('r')
    await poll(names).toEqual(['Aarhus', 'Bergen', 'Zurich'])
    expect(await page.getByTestId('filter-count').textContent()).toBe('3 of all 4 rows match.')
    await page.screenshot({ path: resolve(SHOTS, 'scripts-sort-filter.png') })

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export Excel' }).click()])
    const jobId = Number(/#(\d+)/.exec((await page.getByTestId('run-job').textContent()) ?? '')?.[1])
    expect(download.suggestedFilename()).toBe(`job-${jobId}-result-1.xlsx`)
    // the file holds all rows as stored, and with a sort and filter on, the page says so (#13.5)
    expect(await page.getByTestId('export-note').textContent()).toBe(`Saved job-${jobId}-result-1.xlsx: all 4 rows, unsorted and unfiltered.`)
    const book = new ExcelJS.Workbook()
    await book.xlsx.load(readFileSync(await downloaded(download)) as never)
    const sheet = book.getWorksheet('Result 1')!
    expect((sheet.getRow(2).values as unknown[]).slice(1)).toEqual(['Oslo', 700]) // the stored order, all rows
    expect(sheet.rowCount).toBe(5)
  })

  it('sorts and filters all rows of a result, not only the page shown (#13.5)', async () => {
    // 2,500 rows: 25 pages of 100, and more than the server sorts on its main thread (a worker does)
    await typeScript(page, `with recursive c(n) as (select 1 union all select n + 1 from c where n < 2500)
select n, 'city-' || (n * 37 % 2500) as name from c;`)
    const before = await shownJob()
    await page.keyboard.press('ControlOrMeta+Enter')
    await poll(shownJob).not.toBe(before) // the previous run's status and table are still shown until this one's come
    await poll(runStatus).toBe('succeeded')
    const table = page.getByRole('table', { name: 'Result 1' })
    await table.waitFor({ timeout: 10_000 })
    const column = (k: number) => table.locator(`tbody tr td:nth-child(${k})`).allTextContents()
    expect((await column(2)).slice(0, 2)).toEqual(['1', '2'])
    expect(await page.getByTestId('result-range').textContent()).toBe('1–100 of 2,500')
    const sortN = table.getByRole('button', { name: 'n', exact: true })
    expect(await sortN.getAttribute('title')).toBe('Sort all 2,500 rows by n, ascending')
    await sortN.click()
    await sortN.click() // descending: the first page shows the largest of all rows, which the page shown held none of
    await poll(async () => (await column(2)).slice(0, 3)).toEqual(['2500', '2499', '2498'])
    expect((await column(1)).slice(0, 3)).toEqual(['2500', '2499', '2498']) // # is the row's place in the result
    await page.getByRole('button', { name: 'next page' }).click()
    await poll(async () => (await column(2))[0]).toBe('2400')

    await page.getByLabel('filter all rows of Result 1').fill('city-7')
    // city-7, city-70..79, city-700..799: 1 + 10 + 100 names, each once (37 is coprime to 2500)
    await poll(() => page.getByTestId('filter-count').textContent()).toBe('111 of all 2,500 rows match.')
    expect(await page.getByTestId('result-range').textContent()).toBe('1–100 of 111')
    const names = await column(3)
    expect(names.every((n) => n.startsWith('city-7'))).toBe(true)
    const ns = (await column(2)).map(Number)
    expect(ns).toEqual([...ns].sort((a, b) => b - a)) // still sorted, now among the matches
    await page.screenshot({ path: resolve(SHOTS, 'scripts-sort-filter-all-rows.png') })
    await page.getByLabel('filter all rows of Result 1').fill('no such city')
    await poll(() => page.getByTestId('filter-count').textContent()).toBe('No row of all 2,500 matches.')
    await page.getByLabel('filter all rows of Result 1').fill('')
    await poll(() => page.getByTestId('result-range').textContent()).toBe('1–100 of 2,500')
    await typeScript(page, SQL) // the editor as the first test left it: the next test saves it
  })

  it('lists the scratch database’s tables and columns', async () => {
    const cities = page.getByTestId('scratch-cities')
    await cities.waitFor({ timeout: 10_000 })
    await cities.locator('summary').click()
    expect(await cities.locator('.sc-columns li').allInnerTexts()).toEqual(['name text · not null', 'pop integer'])
  })

  it('saves scripts in a tree, opens one, renames a folder and deletes it with its scripts', { timeout: 120_000 }, async () => {
    await saveScriptAs(page, 'reports/cities')
    expect(await page.getByRole('button', { name: 'Save', exact: true }).isVisible()).toBe(true) // the open script saves over itself now
    await typeScript(page, 'select 42 as answer;')
    await saveScriptAs(page, 'reports/answer')
    await page.getByRole('button', { name: 'New folder' }).click()
    await page.getByLabel('new folder name').fill('empty folder')
    await page.keyboard.press('Enter')
    await tree().getByRole('treeitem', { name: 'empty folder' }).waitFor({ timeout: 10_000 })

    // opening a saved script puts its code in the editor
    await tree().getByRole('treeitem', { name: 'reports/cities' }).getByRole('button', { name: /cities/ }).first().click()
    await poll(editorText).toContain('insert into cities')
    await page.screenshot({ path: resolve(SHOTS, 'scripts-saved-tree.png') })

    // rename the folder: its scripts move with it, and the tree survives a reload (kept on the server)
    const folder = tree().getByRole('treeitem', { name: 'reports', exact: true })
    await folder.locator('.sc-tree-row').first().hover()
    await folder.getByRole('button', { name: 'rename reports', exact: true }).click()
    await page.getByLabel('new path of reports').fill('archive/2026')
    await page.keyboard.press('Enter')
    await tree().getByRole('treeitem', { name: 'archive/2026/answer' }).waitFor({ timeout: 10_000 })
    await page.reload()
    await tree().getByRole('treeitem', { name: 'archive/2026/cities' }).waitFor({ timeout: 10_000 })
    expect(await tree().getByRole('treeitem', { name: 'reports', exact: true }).count()).toBe(0)

    const archive = tree().getByRole('treeitem', { name: 'archive', exact: true })
    await archive.locator('.sc-tree-row').first().hover()
    await archive.getByRole('button', { name: 'delete archive', exact: true }).click()
    const confirm = page.getByRole('dialog', { name: 'Delete the folder archive?' })
    expect(await confirm.textContent()).toContain('It holds 2 scripts')
    await confirm.getByRole('button', { name: 'Delete' }).click()
    await poll(() => tree().getByRole('treeitem').count()).toBe(1)
    expect(await tree().getByRole('treeitem').getAttribute('aria-label')).toBe('empty folder')
  })

  it('shows stderr lines at the level they state: warnings as warnings, plain stderr not as errors', async () => {
    await chooseLanguage(page, 'Shell')
    await typeScript(page, 'echo "WARNING: disk almost full" >&2\necho "2026-11-30 19:37:59,331 WARNING from logging" >&2\necho "real trouble" >&2\necho "error: it broke" >&2\necho done')
    const before = await shownJob()
    await page.keyboard.press('ControlOrMeta+Enter')
    await poll(shownJob).not.toBe(before)
    await poll(runStatus).toBe('succeeded')
    await page.getByRole('tab', { name: 'Log' }).click()
    const line = (text: string) => page.locator('.log-line', { hasText: text })
    await line('disk almost full').waitFor({ timeout: 10_000 })
    expect(await line('disk almost full').locator(".log-level").textContent()).toBe("WARN")
    expect(await line('WARNING from logging').locator('.log-level').textContent()).toBe('WARN')
    expect(await line('real trouble').locator('.log-level').textContent()).toBe('INFO')
    expect(await line('it broke').locator('.log-level').textContent()).toBe('ERROR')
    await page.screenshot({ path: resolve(SHOTS, 'scripts-stderr-warning.png') })
  })

  it('says when the scratch database is too wide to list whole (#9 §2)', async () => {
    // 2,000 columns and 20 views of them: 42,000 columns, past the list's 20,000 (SCRATCH_LIST_LIMITS)
    const columns = Array.from({ length: 2000 }, (_, i) => `c${i} integer`).join(', ')
    const views = Array.from({ length: 20 }, (_, i) => `create view v${String(i).padStart(2, '0')} as select * from w;`).join('\n')
    await chooseLanguage(page, 'SQL')
    await typeScript(page, `create table w (${columns});\n${views}`)
    const before = await shownJob()
    await page.keyboard.press('ControlOrMeta+Enter')
    await poll(shownJob).not.toBe(before)
    await poll(runStatus).toBe('succeeded')
    const note = page.getByTestId('scratch-truncated')
    await note.waitFor({ timeout: 10_000 })
    expect(await note.textContent()).toContain('Not everything is listed: at most 500 tables, 20,000 columns in all (1,000 of one table)')
    expect(await page.getByTestId('scratch-cities').locator('summary').textContent()).toBe('cities 2 col.') // listed whole, before the wide ones
    expect(await page.getByTestId('scratch-v00').locator('summary').textContent()).toBe('v00 view · 1000+ col.')
    expect(await page.getByTestId('scratch-w').locator('summary').textContent()).toBe('w col. not listed')
    await page.getByTestId('scratch-w').locator('summary').click()
    expect(await page.getByTestId('scratch-w').locator('.sc-columns li').allInnerTexts()).toEqual(['columns not listed'])
  })
})
