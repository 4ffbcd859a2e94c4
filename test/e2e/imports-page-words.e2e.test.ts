// #9 last check, Imports page: a folder mapping saved in a config and loaded again read "not uploaded"
// (MEDIUM: files mapped one by one survived); Check spoke of "continue on error" beside a checkbox that
// reads "Skip lines that cannot be imported"; a folder of 1,001 files was refused in the API's words
// (`files[0]`, "mappings stand for"). Now the folder is found among the uploads again, the page says
// the option as its checkbox reads, and the file bound in its own words (the API keeps its message).
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { SHOTS, api, browserSuite, downloaded, mainNav, poll, uploadFile, type Served } from './support'

const suite = browserSuite({ width: 1280, height: 800 }, { signedIn: true })
let served: Served
let page: Page
beforeAll(() => ({ served, page } = suite))

const uploaded = (path: string, text: string) => uploadFile(served.url, suite.token, path, text)

/** The Imports page with no import being built, its uploads listed afresh. */
async function freshImports(): Promise<void> {
  await mainNav(page, 'Imports')
  await page.reload() // the page lists the uploads as it opens
  await page.getByRole('heading', { name: 'Imports' }).waitFor()
  const fresh = page.getByRole('button', { name: 'New import' })
  if (await fresh.isEnabled()) await fresh.click()
}

async function addFolder(path: string): Promise<void> {
  await page.getByText(/^Folders you uploaded to/).click()
  await page.locator(`tr[data-upload-folder="${path}"]`).getByRole('button', { name: 'Add folder to import' }).click()
}

describe('the Imports page', () => {
  it('keeps a folder mapping through Save config and Load config', async () => {
    await uploaded('team/b.csv', 'id,name\n3,Cid\n')
    await uploaded('team/a.csv', 'id,name\n1,Ann\n2,Bo\n')
    await freshImports()
    await addFolder('team')
    const row = page.locator('tr[data-file="team"]')
    const mapping = page.getByRole('region', { name: 'mapping' })
    await poll(() => mapping.getByTestId('preview').locator('tbody tr').count()).toBe(2)
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Save config' }).click()])
    const saved = readFileSync(await downloaded(download), 'utf8')
    expect(JSON.parse(saved).files).toEqual([expect.objectContaining({ path: 'team', label: 'team', columns: ['id', 'name'], header: 1 })])

    await page.getByRole('button', { name: 'New import' }).click()
    await poll(() => row.count()).toBe(0)
    await page.getByTestId('config-input').setInputFiles([{ name: 'import.json', mimeType: 'application/json', buffer: Buffer.from(saved) }])
    await poll(() => row.locator('td.im-upload').textContent()).toBe('uploaded')
    expect(await row.getByTestId('folder-files').textContent()).toBe(' 2 files')
    expect(await page.getByRole('status').first().textContent()).toMatch(/^Loaded an import config: 1 file, 1 new label\./)
    expect(await page.getByText(/Missing: /).count()).toBe(0)
    await poll(() => mapping.getByTestId('preview-facts').textContent()).toBe('a.csv, the first of 2: 19 B · 2 data lines')
    await page.getByRole('button', { name: 'Check', exact: true }).click()
    await poll(() => page.getByTestId('check-ok').textContent()).toMatch(/the first 3 lines parse/)
    await page.screenshot({ path: resolve(SHOTS, 'imports-folder-config-loaded.png') })
  })

  // importsui3: the page checked a loaded config's paths against the files listed, so an uploaded folder
  // emptied of its files read "not uploaded yet: drop it here", where the import refuses it as "a folder
  // with no files in it". The list now carries the folders; the row and the message say what the import does.
  it('says of a loaded config’s uploaded folder with no files what the import says, not "not uploaded yet"', async () => {
    await uploaded('hollow/x.csv', 'id\n1\n')
    expect((await api(served.url, suite.token, 'POST', '/api/v1/files/delete', { path: 'hollow/x.csv' })).path).toBe('hollow/x.csv')
    await freshImports()
    const config = { schema: [{ label: 'hollow', type: 'VERTEX', primary: 'id', properties: [{ name: 'id', type: 'INT64' }] }], files: [{ path: 'hollow', format: 'CSV', label: 'hollow', columns: ['id'], header: 1 }] }
    await page.getByTestId('config-input').setInputFiles([{ name: 'import.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(config)) }])
    const row = page.locator('tr[data-file="hollow"]')
    await row.waitFor()
    await page.locator('.im-message').waitFor()
    await page.screenshot({ path: resolve(SHOTS, 'imports-empty-folder-config.png') })
    const words = 'a folder with no files in it (files in its sub-folders are not read)'
    expect(await row.locator('td.im-upload').textContent()).toBe(`${words}: upload files into it`)
    expect(await row.locator('td.im-file-name').textContent()).toBe('hollow/')
    expect(await page.locator('.im-message').textContent()).toBe(`Loaded an import config: 1 file, 1 new label. "hollow/" is ${words}: upload files into it or remove its mapping.`)
    expect(await page.getByRole('button', { name: 'Check', exact: true }).isDisabled()).toBe(true)
    // the import says the same of it
    const refused = await api(served.url, suite.token, 'POST', '/api/v1/imports/check', { graph: 'default', files: [{ path: 'hollow', format: 'CSV', label: 'hollow', columns: ['id'], header: 1 }] })
    expect(JSON.stringify(refused)).toContain(`is ${words}`)
  })

  it('says "Skip lines that cannot be imported" where Check names the option', async () => {
    await api(served.url, suite.token, 'POST', '/api/v1/graphs/default/schema', { schema: [{ label: 'ages', type: 'VERTEX', primary: 'id', properties: [{ name: 'id', type: 'INT64' }, { name: 'age', type: 'INT32' }] }] })
    await uploaded('ages.csv', 'id,age\n1,30\n2,x9\n3,40\n')
    await freshImports()
    await page.getByText(/^Files you uploaded before/).click()
    await page.locator('tr[data-upload="ages.csv"]').getByRole('button', { name: 'Add to import' }).click()
    await poll(() => page.locator('tr[data-file="ages.csv"] td.im-file-label').textContent()).toBe('vertex ages')
    await page.getByLabel(/^Skip lines that cannot be imported/).uncheck()
    await page.getByRole('button', { name: 'Check', exact: true }).click()
    const problems = page.getByTestId('problems')
    await poll(() => problems.locator('li.error').count()).toBeGreaterThan(0)
    const text = (await problems.textContent()) ?? ''
    expect(text).toContain('1 of the first 3 lines of ages.csv will not import, and without "Skip lines that cannot be imported" the first one stops the import; line 3:')
    expect(text).not.toMatch(/continue on error|continueOnError/i)
    await page.screenshot({ path: resolve(SHOTS, 'imports-skip-lines-words.png') })
    await page.getByLabel(/^Skip lines that cannot be imported/).check()
  })

  it('says in its own words that a folder of 1,001 files is more than one import takes; the API keeps its message', async () => {
    const folder = join(served.dataDir, 'upload_files', 'admin', 'many')
    mkdirSync(folder, { recursive: true })
    for (let i = 0; i <= 1000; i++) writeFileSync(join(folder, `m${String(i).padStart(4, '0')}.csv`), `id,name\n${i},a\n`)
    await freshImports()
    await addFolder('many')
    const row = page.locator('tr[data-file="many"]')
    await poll(() => row.getByTestId('folder-files').textContent()).toBe(' 1,001 files')
    await page.getByRole('button', { name: 'Check', exact: true }).click()
    const said = page.locator('p.im-message[role="alert"]')
    await poll(() => said.textContent()).toBe('The folder "many/" holds 1,001 files, and one import takes at most 1,000 files. Move some of its files into another folder and import each folder on its own.')
    await poll(async () => (await said.boundingBox())?.y).toBeGreaterThanOrEqual(0) // brought into view from step 3
    expect(await page.getByRole('region', { name: 'mapping' }).getByTestId('preview-facts').textContent()).toMatch(/^m0000\.csv, the first of 1,001: /)
    await page.screenshot({ path: resolve(SHOTS, 'imports-too-many-files.png') })

    const check = await api(served.url, suite.token, 'POST', '/api/v1/imports/check', { graph: 'default', files: [{ path: 'many', format: 'CSV', label: 'team', columns: ['id', 'name'], header: 1 }], continueOnError: true })
    expect(check.problems).toContainEqual(expect.objectContaining({ code: 'invalid_mapping', field: 'files[0].path', message: expect.stringMatching(/^files\[0\]\.path "many": with it the import's paths stand for more than 1000 files \(a folder counts each file in it\)/) }))
  })
})
