// Windows-unsafe upload names, as the Imports page meets them: a file dropped from a Linux or macOS
// machine may be named `q?.csv` or `Report.csv` beside an uploaded `report.csv`. The server refuses
// both (shared/upload-names.ts, upload-paths.ts); the file's row says why in the server's words, and
// the other files of the drop still upload.
import { resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { SHOTS, api, browserSuite, mainNav, poll, uploadFile, type Served } from './support'

const suite = browserSuite({ width: 1280, height: 800 }, { signedIn: true })
let served: Served
let page: Page
beforeAll(() => ({ served, page } = suite))

/** Drops `files` ([name, text]) on the Files step's drop zone, as a file manager does. */
async function drop(files: [name: string, text: string][]): Promise<void> {
  const dt = await page.evaluateHandle((list) => {
    const t = new DataTransfer()
    for (const [name, text] of list) t.items.add(new File([text], name, { type: 'text/csv' }))
    return t
  }, files)
  await page.getByRole('button', { name: 'drop files here or choose files' }).dispatchEvent('drop', { dataTransfer: dt })
}

describe('Imports page: a dropped file whose name Windows cannot hold as itself', () => {
  it('says in its row why it was not uploaded, and uploads the others', async () => {
    await uploadFile(served.url, suite.token, 'report.csv', 'id,name\n1,a\n')
    await mainNav(page, 'Imports')
    await page.reload()
    await page.getByRole('heading', { name: 'Imports' }).waitFor()
    await drop([
      ['q?.csv', 'id,name\n1,a\n'],
      ['Report.csv', 'id,name\n2,b\n'],
      ['fine name.v2.csv', 'id,name\n3,c\n'],
    ])
    const cell = (name: string) => page.locator(`tr[data-file="${name}"] td.im-upload`)
    await poll(() => cell('fine name.v2.csv').textContent()).toBe('uploaded')
    await poll(() => cell('q?.csv').textContent()).toBe(
      'upload failed: path "q?.csv" contains "?", a character Windows does not allow in a file or folder name (< > : " | ? *): choose another name',
    )
    await poll(() => cell('Report.csv').textContent()).toBe(
      'upload failed: path "Report.csv" would be a new file beside the file "report.csv": Windows and macOS ignore case, so there the two would be one; choose another name',
    )
    await page.screenshot({ path: resolve(SHOTS, 'imports-upload-portable-names.png') })
    const paths = ((await api(served.url, suite.token, 'GET', '/api/v1/files')) as { path: string }[]).map((u) => u.path)
    expect(paths).toEqual(expect.arrayContaining(['report.csv', 'fine name.v2.csv']))
    expect(paths).not.toContain('q?.csv')
    expect(paths).not.toContain('Report.csv')
  })
})
