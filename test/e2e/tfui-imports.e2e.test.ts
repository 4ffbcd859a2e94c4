// #9 tfui, a new user's trial of the Imports page. Load config… with a broken JSON file uploaded it as
// data (mapped onto a new label `badconfig`, its parse error a failed data line) instead of saying the
// config cannot be read (M1); a loaded config's impossible paths (`../../etc/passwd`,
// `C:\Windows\win.ini`) read "not uploaded yet: drop it here" as a missing file does (L1); Check blamed
// a folder mapping onto a new label for another mapping's refused label: the schema stopped at the
// first bad new label, so every later new label read "not found in schema" (L2).
import { resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { SHOTS, api, browserSuite, mainNav, poll, uploadFile, type Served } from './support'

const suite = browserSuite({ width: 1280, height: 800 }, { signedIn: true })
let served: Served
let page: Page
beforeAll(() => ({ served, page } = suite))

const uploaded = (path: string, text: string) => uploadFile(served.url, suite.token, path, text)
const json = (name: string, text: string) => ({ name, mimeType: 'application/json', buffer: Buffer.from(text) })

/** The Imports page with no import being built, its uploads listed afresh. */
async function freshImports(): Promise<void> {
  await mainNav(page, 'Imports')
  await page.reload()
  await page.getByRole('heading', { name: 'Imports' }).waitFor()
  const fresh = page.getByRole('button', { name: 'New import' })
  if (await fresh.isEnabled()) await fresh.click()
}

/** Drops `files` ([name, text]) on the Files step's drop zone, as a file manager does. */
async function drop(files: [name: string, text: string][]): Promise<void> {
  const dt = await page.evaluateHandle((list) => {
    const t = new DataTransfer()
    for (const [name, text] of list) t.items.add(new File([text], name, { type: name.endsWith('.json') ? 'application/json' : 'text/csv' }))
    return t
  }, files)
  await page.getByRole('button', { name: 'drop files here or choose files' }).dispatchEvent('drop', { dataTransfer: dt })
}

const uploadedPaths = async () => ((await api(served.url, suite.token, 'GET', '/api/v1/files')) as { path: string }[]).map((u) => u.path)

async function shots(name: string): Promise<void> {
  await page.screenshot({ path: resolve(SHOTS, `${name}-1280.png`) })
  await page.setViewportSize({ width: 900, height: 600 })
  await page.screenshot({ path: resolve(SHOTS, `${name}-900.png`) })
  await page.setViewportSize({ width: 1280, height: 800 })
}

describe('the Imports page (tfui trial)', () => {
  it('says a config that is not JSON cannot be read, with its line and column, and uploads nothing', async () => {
    await freshImports()
    await page.getByTestId('config-input').setInputFiles([json('badconfig.json', '{"schema": [ {"label": "person", "type": "VERTEX"')])
    const alert = page.getByRole('alert').filter({ hasText: 'import config' })
    await poll(() => alert.textContent()).toMatch(/^The import config cannot be read: "badconfig\.json" is not valid JSON: .*line 1, column \d+\)\.$/)
    expect(await page.locator('tr[data-file]').count()).toBe(0)
    expect(await page.getByRole('button', { name: 'Start import' }).isDisabled()).toBe(true)
    const uploads = (await api(served.url, suite.token, 'GET', '/api/v1/files')) as { path: string }[]
    expect(uploads.map((u) => u.path)).not.toContain('badconfig.json')
    await shots('tfui-imports-bad-config')
  })

  // #9: the drop zone uploaded a broken config as data, silently (Load config… refused it): the same
  // rule and sentence now, the file taken only when the user says it is data; the rest of the drop is
  // taken at once (uifix: each file is judged on its own, the others were lost with it)
  it('refuses a dropped config that is not JSON as Load config does, and uploads it only when told it is data', async () => {
    await freshImports()
    await drop([['dropbad.json', '{"schema": [ {"label": "person", "type": "VERTEX"'], ['dropped.csv', 'id,name\n1,a\n']])
    const alert = page.getByRole('alert').filter({ hasText: 'import config' })
    await poll(() => alert.textContent()).toMatch(/^The import config cannot be read: "dropbad\.json" is not valid JSON: .*\(line 1, column \d+\)\. It is data: upload "dropbad\.json"$/)
    await poll(() => page.locator('tr[data-file="dropped.csv"] td.im-upload').textContent()).toBe('uploaded')
    expect(await page.locator('tr[data-file="dropbad.json"]').count()).toBe(0)
    expect(await uploadedPaths()).not.toContain('dropbad.json')
    await shots('tfui-imports-dropped-bad-config')
    await alert.getByRole('button', { name: 'It is data: upload "dropbad.json"' }).click()
    await poll(() => page.locator('tr[data-file="dropbad.json"] td.im-upload').textContent()).toBe('uploaded')
    await poll(() => page.locator('tr[data-file="dropped.csv"] td.im-upload').textContent()).toBe('uploaded')
    expect(await page.getByRole('alert').filter({ hasText: 'import config' }).count()).toBe(0)
    expect(await uploadedPaths()).toEqual(expect.arrayContaining(['dropbad.json', 'dropped.csv']))
  })

  it('refuses a JSON object that is no import config in one sentence, dropped or loaded; a dropped config loads as Load config loads it', async () => {
    await freshImports()
    const words = 'The import config cannot be read: "noconfig.json" is not an import config: "files" is missing or not an array.'
    await drop([['noconfig.json', '{"schema": []}']])
    const alert = page.getByRole('alert').filter({ hasText: 'import config' })
    await poll(() => alert.textContent()).toBe(`${words} It is data: upload "noconfig.json"`)
    await page.getByTestId('config-input').setInputFiles([json('noconfig.json', '{"schema": []}')])
    await poll(() => alert.textContent()).toBe(words) // picked as a config: no offer to take it as data
    expect(await page.locator('tr[data-file]').count()).toBe(0)
    expect(await uploadedPaths()).not.toContain('noconfig.json')
    const config = { schema: [{ label: 'dropcfg', type: 'VERTEX', primary: 'id', properties: [{ name: 'id', type: 'INT64' }] }], files: [{ path: 'dropcfg.csv', format: 'CSV', label: 'dropcfg', columns: ['id'], header: 1 }] }
    await drop([['dropcfg.json', JSON.stringify(config)], ['dropcfg.csv', 'id\n1\n']])
    await poll(() => page.locator('tr[data-file="dropcfg.csv"] td.im-upload').textContent()).toBe('uploaded')
    expect(await page.getByRole('status').first().textContent()).toBe('Loaded an import config: 1 file, 1 new label.')
    expect(await page.locator('tr[data-file="dropcfg.csv"] td.im-file-label').textContent()).toMatch(/^vertex dropcfg/) // mapped as the config says
    expect(await page.locator('tr[data-file="dropcfg.json"]').count()).toBe(0)
  })

  // uifix (a new user's attack): with a config loaded, a drop of `weird"\name` + U+202E `.json` (no
  // config) with two data files printed the name raw in the banner's first sentence, so its U+202E
  // reversed the rest ("…yarra na ton ro gnissim si "selif"…"), the sentence ran into the offer with no
  // full stop, and the two data files were not taken (the whole drop was held back for the one).
  it('names a refused file quoted and escaped, ends its sentence, and takes the rest of the drop', async () => {
    await freshImports()
    const config = { schema: [{ label: 'earlier', type: 'VERTEX', primary: 'id', properties: [{ name: 'id', type: 'INT64' }] }], files: [{ path: 'earlier.csv', format: 'CSV', label: 'earlier', columns: ['id'], header: 1 }] }
    await page.getByTestId('config-input').setInputFiles([json('earlier.json', JSON.stringify(config))])
    await page.locator('tr[data-file="earlier.csv"]').waitFor()
    const weird = 'weird"\\name\u202e.json'
    await drop([
      [weird, '{"id":3}'],
      ['data.json', '{"id":1}\n{"id":2}\n'],
      ['array.json', '[{"id":1},{"id":2}]'],
    ])
    const alert = page.getByRole('alert').filter({ hasText: 'import config' })
    const quoted = '"weird\\"\\name\\u202e.json"'
    await poll(() => alert.textContent()).toBe(`The import config cannot be read: ${quoted} is not an import config: "files" is missing or not an array. It is data: upload ${quoted}`)
    expect(await alert.textContent()).not.toContain('\u202e') // the character itself: nothing in the banner is reordered
    // each file judged on its own: the two data files are uploaded and listed beside the config's file
    for (const f of ['data.json', 'array.json']) await poll(() => page.locator(`tr[data-file="${f}"] td.im-upload`).textContent()).toBe('uploaded')
    expect(await page.locator('tr[data-file="earlier.csv"]').count()).toBe(1)
    expect(await page.locator('tr[data-file]').count()).toBe(3)
    const uploads = await uploadedPaths()
    expect(uploads).toEqual(expect.arrayContaining(['data.json', 'array.json']))
    expect(uploads).not.toContain(weird)
    await shots('tfui-imports-weird-name-drop')
  })

  it('says why a loaded config path can never be an upload, and asks to drop only a file that can', async () => {
    await freshImports()
    const files = ['../../etc/passwd', 'C:\\Windows\\win.ini', 'notuploaded.csv', 'file:///etc/shadow\u202e\u200b.csv'].map((path) => ({ path, format: 'CSV', label: 'things', columns: ['id'], header: 1 }))
    const config = { schema: [{ label: 'things', type: 'VERTEX', primary: 'id', properties: [{ name: 'id', type: 'INT64' }] }], files }
    await page.getByTestId('config-input').setInputFiles([json('paths.json', JSON.stringify(config))])
    const row = (path: string) => page.locator(`tr[data-file="${path.replace(/\\/g, '\\\\')}"]`)
    await poll(() => row('notuploaded.csv').textContent()).toContain('not uploaded yet: drop it here')
    const passwd = (await row('../../etc/passwd').textContent()) ?? ''
    expect(passwd).toContain('path "../../etc/passwd" leaves your upload folder ("..")')
    expect(passwd).not.toContain('drop it here')
    const win = (await row('C:\\Windows\\win.ini').textContent()) ?? ''
    expect(win).toContain('path "C:\\Windows\\win.ini" is an absolute path; give a path relative to your upload folder') // as typed, not JSON-quoted
    expect(win).not.toContain('drop it here')
    // uifix: a URL was said with its slashes collapsed ("file:/etc/shadow\u202e.csv"), not as the config wrote it
    const url = 'path "file:///etc/shadow\\u202e⟨U+200B⟩.csv" is a URL (file:); give a path relative to your upload folder'
    // the row draws the zero-width character as a chip holding it (SafeText): its text is the character
    expect(await page.locator('tr[data-file]').filter({ hasText: 'is a URL' }).locator('td.im-upload').textContent()).toBe(url.replace('⟨U+200B⟩', '\u200b'))
    const banner = (await page.getByRole('alert').filter({ hasText: 'Loaded an import config' }).textContent()) ?? ''
    expect(banner).toContain('Missing: "notuploaded.csv" — drop or upload them.')
    expect(banner).not.toMatch(/Missing:[^—]*passwd/)
    expect(banner).toContain('path "../../etc/passwd" leaves your upload folder ("..")')
    expect(banner).toContain(url)
    const mapping = page.getByRole('region', { name: 'mapping' })
    await row('../../etc/passwd').getByRole('button', { name: '../../etc/passwd', exact: true }).click()
    expect(await mapping.textContent()).toContain('Nothing to preview: path "../../etc/passwd" leaves your upload folder ("..")')
    expect(await mapping.textContent()).not.toContain('drop it')
    await shots('tfui-imports-impossible-paths')
  })

  it("puts a refused new label's problem on its own mapping, not on another new label's", async () => {
    await uploaded('parts/p0.csv', 'id,name\n1,a\n')
    await uploaded('parts/p1.csv', 'id,name\n2,b\n')
    await uploaded('bad.csv', 'id\n1\n')
    await freshImports()
    // a new label with no primary key, listed before the folder's new label
    const config = { schema: [{ label: 'bad', type: 'VERTEX', properties: [{ name: 'id', type: 'INT64' }] }], files: [{ path: 'bad.csv', format: 'CSV', label: 'bad', columns: ['id'], header: 1 }] }
    await page.getByTestId('config-input').setInputFiles([json('bad-import.json', JSON.stringify(config))])
    await poll(() => page.locator('tr[data-file="bad.csv"] td.im-upload').textContent()).toBe('uploaded')
    await page.getByText(/^Folders you uploaded to/).click()
    await page.locator('tr[data-upload-folder="parts"]').getByRole('button', { name: 'Add folder to import' }).click()
    await poll(() => page.locator('tr[data-file="parts"] td.im-upload').textContent()).toBe('uploaded')
    await page.getByRole('button', { name: 'Check', exact: true }).click()
    const problems = page.getByTestId('problems')
    await poll(() => problems.locator('li.error').count()).toBeGreaterThan(0)
    const text = (await problems.textContent()) ?? ''
    expect(text).not.toContain('[parts] not found')
    expect(text).toContain('Missing "primary" or "properties" definition')
    expect(await page.locator('tr[data-file="parts"]').textContent()).not.toMatch(/problem/)
    expect(await page.locator('tr[data-file="bad.csv"]').textContent()).toMatch(/1 problem\b/)
    await shots('tfui-imports-check-blame')
  })
})
