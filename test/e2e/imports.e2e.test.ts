// The Imports page in Chromium against `serve` (#11.5): two small files (a vertex and an edge
// file) go through the page — upload, preview, mapping, check, start — and the report shows the
// counts and the failed lines; the mapping saves as a TuGraph config that imports again in one
// drop; the Graphs panel and the Jobs page show the result.
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { SHOTS, browserSuite, signIn, type Served, downloaded, mainNav } from './support'

const suite = browserSuite({ width: 1400, height: 860 })
let served: Served
let page: Page
beforeAll(() => ({ served, page } = suite))

const PERSONS = 'id,name,age\n1,Ann,31\n2,Bob,\n3,Cid,x9\n'
const KNOWS = 'src,dst,since\n1,2,2020\n2,3,2021\n1,9,2022\n'
const csv = (name: string, text: string) => ({ name, mimeType: 'text/csv', buffer: Buffer.from(text) })
const nav = (name: string) => mainNav(page, name)
/** The Graph page's Graphs tab (its Query tab opens first). */
const graphsTab = async () => {
  await nav('Graph')
  await page.getByRole('tab', { name: 'Graphs' }).click()
}
/** The whole page: main scrolls inside the window, so for the shot the window grows to its content. */
async function shot(name: string): Promise<void> {
  const grow = (on: boolean) =>
    page.evaluate((on) => {
      for (const el of [document.querySelector<HTMLElement>('.shell')!, document.querySelector<HTMLElement>('main')!]) {
        el.style.height = on ? 'auto' : ''
        el.style.overflow = on ? 'visible' : ''
      }
    }, on)
  await grow(true)
  await page.screenshot({ path: resolve(SHOTS, name), fullPage: true, animations: 'disabled' })
  await grow(false)
}
const mapping = () => page.getByRole('region', { name: 'mapping' })
const fileRow = (path: string) => page.locator(`tr[data-file="${path}"]`)
const reportRow = (path: string) => page.locator(`tr[data-report-file="${path}"]`)

describe('Imports page in Chromium against `serve`', () => {
  it('uploads a vertex and an edge file, previews them with the header and types found, and maps them', async () => {
    await signIn(page, served.url)
    await nav('Imports')
    await page.getByRole('heading', { name: 'Imports' }).waitFor()
    // each control is named by the label it shows (ux18 #2: the graph's was "graph", not "Into graph")
    expect(await page.getByRole('combobox', { name: 'Into graph', exact: true }).count()).toBe(1)
    expect(await page.getByRole('combobox', { name: 'Delimiter', exact: true }).count()).toBe(1)
    await page.getByTestId('file-input').setInputFiles([csv('persons.csv', PERSONS), csv('knows.csv', KNOWS)])
    await expect.poll(() => fileRow('knows.csv').textContent(), { timeout: 10_000 }).toContain('uploaded')
    // Each row reads its file's head after the upload ("reading…"), then says what the file looks like.
    await expect.poll(() => fileRow('persons.csv').textContent(), { timeout: 10_000 }).toContain('vertex persons')
    await expect.poll(() => fileRow('knows.csv').textContent(), { timeout: 10_000 }).toContain('edge knows')

    // persons.csv: header found, a new vertex label named after the file, typed columns
    await fileRow('persons.csv').getByRole('button', { name: 'persons.csv', exact: true }).click()
    const preview = mapping().getByTestId('preview')
    await expect.poll(() => preview.locator('thead tr').first().locator('th').allTextContents()).toEqual(['line', 'idINT64', 'nameSTRING', 'ageSTRING'])
    expect(await preview.locator('tbody tr').first().locator('td').allTextContents()).toEqual(['2', '1', 'Ann', '31'])
    expect(await mapping().getByRole('spinbutton', { name: 'Header lines', exact: true }).inputValue()).toBe('1')
    expect(await mapping().getByRole('combobox', { name: 'Vertex label', exact: true }).count()).toBe(1)
    const newLabel = mapping().getByRole('textbox', { name: 'New label name', exact: true })
    expect(await newLabel.inputValue()).toBe('persons') // a new label, named after the file
    await newLabel.fill('person')
    expect(await mapping().getByRole('combobox', { name: 'Primary key', exact: true }).inputValue()).toBe('id')
    await mapping().getByLabel('column 3 type').selectOption('INT32') // "x9" will not parse: the check says so
    await shot('imports-mapping-vertex.png')

    // knows.csv: an edge file (src/dst columns), its endpoints follow the renamed vertex label
    await fileRow('knows.csv').getByRole('button', { name: 'knows.csv', exact: true }).click()
    await expect.poll(() => mapping().getByLabel('column 1 maps to').inputValue()).toBe('SRC_ID')
    expect(await mapping().getByLabel('column 2 maps to').inputValue()).toBe('DST_ID')
    expect(await mapping().getByRole('combobox', { name: 'From', exact: true }).inputValue()).toBe('person')
    expect(await mapping().getByRole('combobox', { name: 'To', exact: true }).inputValue()).toBe('person')
    expect(await mapping().getByRole('combobox', { name: 'Edge label', exact: true }).count()).toBe(1)
    expect(await mapping().getByRole('group', { name: 'kind' }).getByRole('button', { name: 'Edges' }).getAttribute('aria-pressed')).toBe('true')
    await mapping().getByLabel('column 3 type').selectOption('INT32')
    await shot('imports-mapping-edge.png')
  })

  it('shows the problems before starting, then imports and reports the counts and the failed lines', async () => {
    await page.getByRole('button', { name: 'Check', exact: true }).click()
    const problems = page.getByTestId('problems')
    await problems.waitFor()
    expect(await problems.textContent()).toMatch(/persons\.csv.*1 of the first 3 lines of persons\.csv will not import .*line 4: Failed to parse column 3 \[age\] into type INT32/)

    await page.getByRole('button', { name: 'Start import' }).click()
    await expect.poll(() => page.getByTestId('import-progress').locator('[data-status]').getAttribute('data-status'), { timeout: 15_000 }).toBe('succeeded')
    const report = page.getByTestId('import-report')
    await report.waitFor()
    // no Rolled back or Skipped column: 0 in every file (newuser5 #3)
    // polled: a file's row may show before its counts (a clean-clone CI at load 16 read knows.csv's as 0, 0, 0)
    await expect.poll(() => reportRow('persons.csv').locator('td').allTextContents()).toEqual(['persons.csv', 'vertex person', '3', '2', '1', 'read as UTF-8 (no encoding given)'])
    await expect.poll(() => reportRow('knows.csv').locator('td').allTextContents()).toEqual(['knows.csv', 'edge knows', '3', '1', '2', 'read as UTF-8 (no encoding given)'])
    const failed = page.getByTestId('failed-lines').locator('tbody tr')
    expect(await failed.allTextContents()).toEqual([
      expect.stringMatching(/^persons\.csv4Failed to parse column 3 \[age\] into type INT32: .*x9.*3,Cid,x9$/),
      'knows.csv3Missing dst uid 32,3,2021',
      'knows.csv4Missing dst uid 91,9,2022',
    ])
    expect(await page.getByTestId('import-figures').textContent()).toMatch(/^3 imported · 3 failed · [\d,]+ rows\/s · /)
    expect(await page.getByTestId('graph-counts').textContent()).toBe('2 vertices · 1 edge · 2 labels')
    await shot('imports-report.png')
  })

  it('saves the mapping as a TuGraph import config that imports again with its files in one drop', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Save config' }).click()])
    expect(download.suggestedFilename()).toBe('import-default.json')
    const config = JSON.parse(readFileSync(await downloaded(download), 'utf8'))
    expect(config.schema.map((l: { label: string; type: string }) => `${l.type} ${l.label}`)).toEqual(['VERTEX person', 'EDGE knows'])
    expect(config.files).toEqual([
      { path: 'persons.csv', format: 'CSV', label: 'person', columns: ['id', 'name', 'age'], header: 1 },
      { path: 'knows.csv', format: 'CSV', label: 'knows', columns: ['SRC_ID', 'DST_ID', 'since'], header: 1, SRC_ID: 'person', DST_ID: 'person' },
    ])

    // into a new graph: the config's labels are created there, its files (named by folder) found among those dropped
    await graphsTab()
    await page.getByLabel('new graph name').fill('friends')
    await page.getByRole('button', { name: 'Create graph' }).click()
    await page.locator('tr[data-graph="friends"]').waitFor()
    await page.locator('tr[data-graph="friends"]').getByRole('button', { name: 'Import files' }).click()
    await page.getByRole('button', { name: 'New import' }).click()
    expect(await page.getByRole('combobox', { name: 'Into graph', exact: true }).inputValue()).toBe('friends')
    const moved = { ...config, files: config.files.map((f: { path: string }) => ({ ...f, path: `data/${f.path}` })) }
    await page.getByTestId('file-input').setInputFiles([
      { name: 'import.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(moved)) },
      csv('persons.csv', PERSONS.replace('x9', '40')),
      csv('knows.csv', KNOWS),
    ])
    await expect.poll(() => page.locator('.im-message').textContent()).toBe('Loaded an import config: 2 files, 2 new labels.')
    await expect.poll(() => fileRow('knows.csv').textContent(), { timeout: 10_000 }).toContain('uploaded')
    await page.getByRole('button', { name: 'Start import' }).click()
    await expect.poll(() => page.getByTestId('import-progress').locator('[data-status]').getAttribute('data-status'), { timeout: 15_000 }).toBe('succeeded')
    expect(await reportRow('knows.csv').locator('td').allTextContents()).toEqual(['knows.csv', 'edge knows', '3', '2', '1', 'read as UTF-8 (no encoding given)'])
    expect(await page.getByTestId('graph-counts').textContent()).toBe('3 vertices · 2 edges · 2 labels')

    // a config alone says which files it misses; dropped later, they take its mapping
    await page.getByRole('button', { name: 'New import' }).click()
    await page.getByTestId('config-input').setInputFiles([{ name: 'import.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify({ ...moved, files: moved.files.map((f: object) => ({ ...f, path: `elsewhere/${(f as { path: string }).path.split('/').pop()}x` })) })) }])
    await expect.poll(() => page.locator('.im-message').textContent()).toBe('Loaded an import config: 2 files, 0 new labels. Missing: "elsewhere/persons.csvx", "elsewhere/knows.csvx" — drop or upload them.')
    expect(await fileRow('elsewhere/persons.csvx').textContent()).toContain('not uploaded yet')
    expect(await page.getByRole('button', { name: 'Start import' }).isDisabled()).toBe(true)
    await page.getByTestId('file-input').setInputFiles([csv('persons.csvx', PERSONS)])
    await expect.poll(() => fileRow('persons.csvx').textContent(), { timeout: 10_000 }).toContain('uploaded')
    expect(await fileRow('persons.csvx').textContent()).toContain('vertex person')
    expect(await fileRow('elsewhere/persons.csvx').count()).toBe(0)
  })

  it('lists the graphs with their labels and counts, and drops one', async () => {
    await graphsTab()
    const friends = page.locator('tr[data-graph="friends"]')
    await friends.waitFor()
    expect(await friends.getByTestId('vertex-count').textContent()).toBe('3')
    expect(await friends.getByTestId('edge-count').textContent()).toBe('2')
    expect(await friends.locator('.gr-chip').allTextContents()).toEqual(['person 3', 'knows 2'])
    await friends.getByRole('button', { name: 'schema' }).click()
    // the list names labels; the row reads the graph's definitions when opened (graphs.get, atk16)
    await expect.poll(() => page.locator('.gr-schema-row').textContent()).toContain('id INT64primary')
    await shot('graphs-panel.png')
    await page.getByRole('button', { name: 'drop graph friends' }).click()
    await page.getByRole('button', { name: 'Drop', exact: true }).click()
    await expect.poll(() => page.locator('tr[data-graph="friends"]').count()).toBe(0)
    expect(await page.getByRole('status').textContent()).toBe('Graph friends dropped.')
  })

  it('shows the import on the Jobs page with its progress bar and rows/s, and opens its report', async () => {
    await nav('Jobs')
    const row = page.locator('table.jobs tbody tr').filter({ hasText: 'import into default' })
    await row.waitFor()
    expect(await row.locator('[role=progressbar]').getAttribute('aria-valuenow')).toBe('100')
    await row.click()
    await expect.poll(() => page.getByTestId('import-facts').textContent()).toMatch(/^[\d,]+ rows\/s · 3 imported · 3 failed · into default$/)
    await page.screenshot({ path: resolve(SHOTS, 'imports-jobs-page.png'), animations: 'disabled' })
    await page.getByRole('button', { name: 'Open in Imports (report)' }).click()
    await page.getByTestId('failed-lines').waitFor()
    expect(await page.getByTestId('failed-lines').locator('tbody tr').count()).toBe(3)
  })

  it('lays out at 900×600', async () => {
    await page.setViewportSize({ width: 900, height: 600 })
    await page.getByRole('button', { name: 'New import' }).click()
    // dropped this time, not picked
    const files = await page.evaluateHandle(
      ([persons, knows]) => {
        const dt = new DataTransfer()
        dt.items.add(new File([persons], 'persons.csv', { type: 'text/csv' }))
        dt.items.add(new File([knows], 'knows.csv', { type: 'text/csv' }))
        return dt
      },
      [PERSONS, KNOWS],
    )
    await page.getByRole('button', { name: 'drop files here or choose files' }).dispatchEvent('drop', { dataTransfer: files })
    await expect.poll(() => fileRow('knows.csv').textContent(), { timeout: 10_000 }).toContain('uploaded')
    await fileRow('knows.csv').getByRole('button', { name: 'knows.csv', exact: true }).click()
    await mapping().getByTestId('preview').waitFor()
    expect(await fileRow('persons.csv').textContent()).toContain('vertex person') // the graph's label person, found from persons.csv
    // nothing wider than the window but the preview's own scroller
    const overflow = await page.evaluate(() => document.querySelector('main')!.scrollWidth - document.querySelector('main')!.clientWidth)
    expect(overflow).toBe(0)
    await page.screenshot({ path: resolve(SHOTS, 'imports-900.png'), animations: 'disabled' })
    await shot('imports-900-full.png')
    await graphsTab()
    await page.locator('tr[data-graph="default"]').waitFor()
    await page.screenshot({ path: resolve(SHOTS, 'graphs-900.png'), animations: 'disabled' })
    await page.setViewportSize({ width: 1400, height: 860 })
  })
})
