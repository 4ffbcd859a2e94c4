// #9 impjobs: a mapping's path may name a folder of the user's uploads (every file directly in it, in
// name order, at most 1,000), but the Imports page mapped files one by one: a folder was mapped over
// the API only. The page now lists the folders of the uploads with their file counts; one added is one
// mapping (its preview is its first file's), shows its file count, and Check and the import read every
// file in it as the API does. 1280×800 and 900×600.
import { resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { SHOTS, browserSuite, mainNav, poll, uploadFile, type Served } from './support'

const suite = browserSuite({ width: 1280, height: 800 }, { signedIn: true })
let served: Served
let page: Page
beforeAll(() => ({ served, page } = suite))

const uploaded = (path: string, text: string) => uploadFile(served.url, suite.token, path, text)

const reportRow = (path: string) => page.getByTestId('import-report').locator(`tr[data-report-file="${path}"]`)

describe('a folder on the Imports page', () => {
  it('is added as one mapping of every file in it, with its file count, and checked and imported as the API does', async () => {
    await uploaded('crew/b.csv', 'id,name\n3,Cid\n')
    await uploaded('crew/a.csv', 'id,name\n1,Ann\n2,Bo\n')
    await uploaded('crew/old/z.csv', 'id,name\n9,Zed\n') // in a sub-folder: not the folder's
    await mainNav(page, 'Imports')
    await page.getByRole('heading', { name: 'Imports' }).waitFor()
    await page.getByText(/^Folders you uploaded to \(2\)/).click()
    const folder = page.locator('tr[data-upload-folder="crew"]')
    expect(await folder.locator('td').allTextContents()).toEqual(['crew/', '2', expect.any(String), 'Add folder to import'])
    await folder.getByRole('button', { name: 'Add folder to import' }).click()

    const row = page.locator('tr[data-file="crew"]')
    await poll(() => row.getByTestId('folder-files').textContent()).toBe(' 2 files')
    const mapping = page.getByRole('region', { name: 'mapping' })
    await poll(() => mapping.getByTestId('preview').locator('tbody tr').count()).toBe(2) // a.csv, first by name
    expect(await mapping.getByTestId('preview-facts').textContent()).toBe('a.csv, the first of 2: 19 B · 2 data lines')
    await page.getByRole('button', { name: 'Check', exact: true }).click()
    await poll(() => page.getByTestId('check-ok').textContent()).toMatch(/the first 3 lines parse/)
    await page.screenshot({ path: resolve(SHOTS, 'imports-folder-1280.png') })
    await page.setViewportSize({ width: 900, height: 600 })
    await page.screenshot({ path: resolve(SHOTS, 'imports-folder-900.png') })
    await page.setViewportSize({ width: 1280, height: 800 })

    await page.getByRole('button', { name: 'Start import' }).click()
    await poll(() => reportRow('crew/a.csv').locator('td').nth(3).textContent()).toBe('2')
    expect(await reportRow('crew/b.csv').locator('td').nth(3).textContent()).toBe('1')
    expect(await reportRow('crew/old/z.csv').count()).toBe(0)
    await page.screenshot({ path: resolve(SHOTS, 'imports-folder-report.png') })
  })
})
