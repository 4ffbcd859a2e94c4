// The Imports page's Encoding choice (#9): a file chosen by hand in another encoding is read again,
// and its header line is found again in that reading. A UTF-16LE file without a byte-order mark is
// guessed as UTF-16LE by its first preview (every other byte NUL, encguess); chosen as UTF-8 by hand
// every line looks like text, so no header is found (column_1…); choosing UTF-16LE again must then
// find `id,name,age` as the header, not keep "0 header lines" from the UTF-8 reading (which made the
// header a data line that fails to import).
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { browserSuite, signIn, type Served, mainNav } from './support'

const suite = browserSuite({ width: 1400, height: 860 })
let served: Served
let page: Page
beforeAll(() => ({ served, page } = suite))

const TEXT = 'id,name,age\n1,Ann,31\n2,Bob,40\n3,Cid,25\n'
/** UTF-16LE without a byte-order mark: nothing in the file says how it is encoded. */
const utf16 = (text: string) => Buffer.from(text, 'utf16le')
const nav = (name: string) => mainNav(page, name)
const mapping = () => page.getByRole('region', { name: 'mapping' })
const fileRow = (path: string) => page.locator(`tr[data-file="${path}"]`)
const headerCells = () => mapping().getByTestId('preview').locator('thead tr').first().locator('th').allTextContents()
const headerLines = () => mapping().getByRole('spinbutton', { name: 'Header lines', exact: true }).inputValue()

describe('Imports page: the Encoding chosen by hand', () => {
  it('reads the preview again and finds the header again', async () => {
    await signIn(page, served.url)
    await nav('Imports')
    await page.getByRole('heading', { name: 'Imports' }).waitFor()
    await page.getByTestId('file-input').setInputFiles([{ name: 'people16.csv', mimeType: 'text/csv', buffer: utf16(TEXT) }])
    await expect.poll(() => fileRow('people16.csv').textContent(), { timeout: 10_000 }).toContain('vertex')
    await fileRow('people16.csv').getByRole('button', { name: 'people16.csv', exact: true }).click()
    // guessed: read as UTF-16LE, the header found, and the page says it guessed
    await expect.poll(() => mapping().getByRole('combobox', { name: 'encoding' }).inputValue(), { timeout: 10_000 }).toBe('utf-16le')
    await expect.poll(headerLines, { timeout: 10_000 }).toBe('1')
    expect(await mapping().getByTestId('encoding-guessed').getAttribute('title')).toMatch(/^not UTF-8; read as UTF-16LE/)
    // UTF-8 chosen by hand: read as UTF-8, no header found, nothing guessed over the choice
    await mapping().getByRole('combobox', { name: 'encoding' }).selectOption('utf-8')
    await expect.poll(headerLines, { timeout: 10_000 }).toBe('0')
    expect(await mapping().getByTestId('encoding-guessed').count()).toBe(0)

    await mapping().getByRole('combobox', { name: 'encoding' }).selectOption('utf-16le')
    await expect.poll(headerCells, { timeout: 10_000 }).toEqual(['line', 'idINT64', 'nameSTRING', 'ageINT64'])
    expect(await headerLines()).toBe('1')
    expect(await mapping().getByTestId('preview').locator('tbody tr').first().locator('td').allTextContents()).toEqual(['2', '1', 'Ann', '31'])
    // the columns are mapped afresh from the header found: the primary key is `id`
    expect(await mapping().getByRole('combobox', { name: 'Primary key', exact: true }).inputValue()).toBe('id')

    // a header set by hand stays what it was set to when the file is read again in the same encoding
    await mapping().getByRole('spinbutton', { name: 'Header lines', exact: true }).fill('2')
    await expect.poll(() => mapping().getByTestId('preview').locator('tbody tr').first().locator('td').first().textContent(), { timeout: 10_000 }).toBe('3')
    expect(await headerLines()).toBe('2')
  })
})
