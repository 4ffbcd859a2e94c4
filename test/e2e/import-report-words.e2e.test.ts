// #9, importwords: the Imports page's report of an import a line stopped, in the user's units. A
// new-user trial read "Rolled back 85,598" (the failing package's lines, read as the import undone),
// a reason counting the header line ("was imported 85599 lines" beside "85,598 imported") and sizes
// in MiB written "MB". Now the column says "Not imported (rolled back)", the note and the reason name
// the package's lines and count data lines, and sizes are written in the one formatter's units.
import { resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { formatSize } from '../../shared/number-format'
import { SHOTS, api, browserSuite, mainNav, poll, uploadFile, type Served } from './support'

const suite = browserSuite({ width: 1400, height: 900 }, { signedIn: true })
let served: Served
let page: Page
beforeAll(() => ({ served, page } = suite))

describe('the Imports page’s report of an import a line stopped', () => {
  it('counts data lines, names the rolled-back package and writes sizes in binary units', async () => {
    await api(served.url, suite.token, 'POST', '/api/v1/graphs/default/schema', { schema: [{ label: 'wordsage', type: 'VERTEX', primary: 'id', properties: [{ name: 'id', type: 'INT64' }, { name: 'age', type: 'INT32' }] }] })
    // the bad line past what Check reads (its first MiB or so), so the page starts the import and the import meets it
    const good = Array.from({ length: 150_000 }, (_, i) => `${i + 1},30\n`).join('')
    const text = `id,age\n${good}150001,x9\n150002,40\n`
    await uploadFile(served.url, suite.token, 'wordsage.csv', text)
    await mainNav(page, 'Imports')
    await page.reload()
    await page.getByRole('heading', { name: 'Imports' }).waitFor()
    await page.getByText(/^Files you uploaded before/).click()
    const upload = page.locator('tr[data-upload="wordsage.csv"]')
    expect(await upload.locator('td').allTextContents()).toContain(formatSize(Buffer.byteLength(text))) // MiB, written so
    expect(formatSize(Buffer.byteLength(text))).toMatch(/^1\.\d MiB$/)
    await upload.getByRole('button', { name: 'Add to import' }).click()
    await poll(() => page.locator('tr[data-file="wordsage.csv"] td.im-file-label').textContent()).toBe('vertex wordsage')
    await page.getByLabel(/^Skip lines that cannot be imported/).uncheck()
    await page.getByRole('button', { name: 'Start import' }).click()
    await expect.poll(() => page.getByTestId('import-progress').locator('[data-status]').getAttribute('data-status'), { timeout: 15_000 }).toBe('failed')
    const report = page.getByTestId('import-report')
    await report.waitFor()
    const rolled = 'the package of its lines 2–150,003 was rolled back: its line 150,002 failed and its other 150,001 data lines were not imported'
    expect(await report.locator('table').first().locator('thead th').allTextContents()).toEqual(['File', 'Label', 'Lines', 'Imported', 'Failed', 'Not imported (rolled back)', 'Notes'])
    await poll(() => report.locator('tr[data-report-file="wordsage.csv"] td').allTextContents()).toEqual(['wordsage.csv', 'vertex wordsage', '150,002', '0', '1', '150,001', `read as UTF-8 (no encoding given); ${rolled}`])
    await report.scrollIntoViewIfNeeded()
    await page.screenshot({ path: resolve(SHOTS, 'import-report-words.png'), fullPage: true })
    // the failed line's number grouped as every other count on the page (and the reason) is: "150,002", not "150002" (importsui3)
    expect(await report.getByTestId('failed-lines').locator('tbody tr').first().locator('td').allTextContents()).toEqual(['wordsage.csv', '150,002', 'Failed to parse column 2 [age] into type INT32: the error item is "x9"', '150001,x9'])
    // the reason once, under the progress bar with the job's state, not again under the failed lines (importsui3)
    expect(await page.locator('pre.sc-job-error').count()).toBe(1)
    expect(await page.getByTestId('import-progress').locator('pre.sc-job-error').textContent()).toMatch(
      new RegExp(`wordsage\\.csv line 150,002: Failed to parse column 2 \\[age\\] into type INT32: the error item is "x9"\n>Error line:\n\t150001,x9\nwordsage\\.csv: 0 data lines imported; ${rolled}\\.\n?$`),
    )
    expect(await page.getByTestId('import-figures').textContent()).toMatch(new RegExp(`^0 imported · 1 failed · [\\d,]+ rows/s · ${formatSize(Buffer.byteLength(text))} of ${formatSize(Buffer.byteLength(text))} · `))
  })
})
