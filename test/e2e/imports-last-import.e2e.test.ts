// The Imports page after an import (#9, stop 37): its report says whether the encoding was the page's
// guess or chosen ("read as GBK (guessed)"), and the last import's form and report stay on the page
// when the person goes to another page and comes back, or reloads the window (a new user found the page
// empty again: a reload kept only the report, through the job in the URL).
import { resolve } from 'node:path'
import iconv from 'iconv-lite'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { SHOTS, browserSuite, mainNav, poll, type Served } from './support'

const suite = browserSuite({ width: 1400, height: 860 }, { signedIn: true })
let served: Served
let page: Page
beforeAll(() => ({ served, page } = suite))

const GBK = iconv.encode('编号,姓名,城市\n1,张三,北京\n2,李四,上海\n', 'gbk')
const mapping = () => page.getByRole('region', { name: 'mapping' })
const encoding = () => mapping().getByRole('combobox', { name: 'Encoding' })
const reportRow = (path: string) => page.getByTestId('import-report').locator(`tr[data-report-file="${path}"]`)

describe('the Imports page after an import', () => {
  it('says the encoding was guessed, and keeps the form and the report across pages and a reload', async () => {
    expect(served.url).toBeTruthy()
    await mainNav(page, 'Imports')
    await page.getByRole('heading', { name: 'Imports' }).waitFor()
    await page.getByTestId('file-input').setInputFiles([{ name: 'towns_gbk.csv', mimeType: 'text/csv', buffer: GBK }])
    await poll(() => encoding().inputValue()).toBe('gbk') // the preview's guess, kept
    await page.getByRole('button', { name: 'Start import' }).click()
    await poll(() => reportRow('towns_gbk.csv').locator('td').allTextContents()).toEqual(['towns_gbk.csv', 'vertex towns_gbk', '2', '2', '0', 'read as GBK (guessed)'])

    await mainNav(page, 'Jobs')
    await page.getByRole('heading', { name: 'Jobs' }).first().waitFor()
    await mainNav(page, 'Imports')
    await page.getByRole('heading', { name: 'Imports' }).waitFor()
    await poll(() => reportRow('towns_gbk.csv').locator('td').last().textContent()).toBe('read as GBK (guessed)')
    expect(await page.locator('tr[data-file="towns_gbk.csv"]').count()).toBe(1) // the form: its file and mapping
    expect(await encoding().inputValue()).toBe('gbk')
    await page.screenshot({ path: resolve(SHOTS, 'imports-last-import-back.png') })

    // a reload (F5, Electron's View → Reload) keeps them too, for this browser session
    await page.reload()
    await page.getByRole('heading', { name: 'Imports' }).waitFor()
    await poll(() => reportRow('towns_gbk.csv').locator('td').last().textContent()).toBe('read as GBK (guessed)')
    await poll(() => page.locator('tr[data-file="towns_gbk.csv"]').count()).toBe(1)
    await poll(() => encoding().inputValue()).toBe('gbk')
    await poll(() => mapping().getByTestId('preview').locator('tbody tr').count()).toBe(2) // its preview read again
    expect(await mapping().getByRole('spinbutton', { name: 'Header lines', exact: true }).inputValue()).toBe('1')
    await page.screenshot({ path: resolve(SHOTS, 'imports-last-import-reload.png') })

    // New import clears it, and a reload does not bring it back
    await page.getByRole('button', { name: 'New import' }).click()
    await page.reload()
    await page.getByRole('heading', { name: 'Imports' }).waitFor()
    await page.getByTestId('file-input').waitFor({ state: 'attached' })
    expect(await page.locator('tr[data-file="towns_gbk.csv"]').count()).toBe(0)
  })
})
