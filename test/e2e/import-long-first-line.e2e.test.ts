// #9 new-user trial: a file whose first line (2 MiB) is longer than the preview reads, with its
// column names on line 2, showed no columns ("No data lines") and Check failed ("too long input
// line") though the import reads it. The page now maps its columns from line 2 and Check only warns,
// naming the long line the import reads.
import { resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { SHOTS, browserSuite, mainNav } from './support'

const suite = browserSuite({ width: 1400, height: 860 }, { signedIn: true })
let page: Page
beforeAll(() => ({ page } = suite))

describe('a file with a long first line and its header on line 2', () => {
  it('maps id and name from line 2, and Check has only a warning on line 1', async () => {
    await mainNav(page, 'Imports')
    await page.getByRole('heading', { name: 'Imports' }).waitFor()
    const big = Buffer.from(`${'y'.repeat(2 * 1024 * 1024)}\nid,name\n1,big\n2,bob\n`)
    await page.getByTestId('file-input').setInputFiles([{ name: 'big1.csv', mimeType: 'text/csv', buffer: big }])
    await expect.poll(() => page.getByLabel('Header lines').inputValue(), { timeout: 30_000 }).toBe('2')
    const main = () => page.locator('main').innerText()
    await expect.poll(main, { timeout: 10_000 }).toMatch(/line 1 is 2097152 bytes, longer than the preview reads/)
    expect(await main()).not.toMatch(/No data lines/)
    const button = page.getByRole('button', { name: 'Check', exact: true })
    await expect.poll(() => button.isEnabled(), { timeout: 30_000 }).toBe(true)
    await button.click()
    const problems = page.getByTestId('problems')
    await problems.waitFor()
    expect(await problems.innerText()).toMatch(/big1\.csv line 1 is 2097152 bytes, longer than the check reads .*the import reads it/)
    expect(await problems.locator('li.error').count()).toBe(0) // a warning only: nothing stops the import
    expect(await main()).not.toMatch(/too long input line|has no primary/)
    await page.screenshot({ path: resolve(SHOTS, 'import-long-first-line.png') })
  })
})
