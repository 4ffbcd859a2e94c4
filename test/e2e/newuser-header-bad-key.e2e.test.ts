// newuser trial (2026-12-04), HIGH: a CSV with a header line and one data line whose key is not a
// number ("three" among 1, 2, 4, 5: a typo a user makes) dropped on the Imports page is read with
// Header lines 0: its columns are named column_1..column_3, all STRING, and the header line
// "id,name,city" is offered as the first data line, so Start import would store it as a vertex.
// The same file without the bad line is read with Header lines 1 and columns id INT64, name, city.
// The bad line should fail at import ("Failed to parse column 1 [id] into type INT64"), not make the
// page miss the header. Fixed: a column's type is its values' majority type (suggest-type.ts
// columnType), and the header is found against it.
import { resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { SHOTS, browserSuite, poll, mainNav } from './support'

const suite = browserSuite({ width: 1400, height: 860 }, { signedIn: true })
let page: Page
beforeAll(() => ({ page } = suite))

const CSV = 'id,name,city\n1,Zhang San,Beijing\n2,Li Si,Shanghai\nthree,Bad Id,Nowhere\n5,Zhao,Guangzhou\n'

const mapping = () => page.getByRole('region', { name: 'mapping' })

describe('newuser trial: a CSV whose key column has one typo', () => {
  it('is still read with its header line, the typo left to fail as a bad line', async () => {
    await mainNav(page, 'Imports')
    await page.getByRole('heading', { name: 'Imports' }).waitFor()
    await page.getByTestId('file-input').setInputFiles([{ name: 'people_typo.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV) }])
    await poll(() => mapping().getByTestId('preview').locator('tbody tr').count()).toBeGreaterThan(0)
    await page.screenshot({ path: resolve(SHOTS, 'newuser-header-bad-key.png') })
    // was: '0', and the first preview row was ['1', 'id', 'name', 'city']
    expect(await mapping().getByRole('spinbutton', { name: 'Header lines', exact: true }).inputValue()).toBe('1')
    expect(await mapping().getByTestId('preview').locator('tbody tr').first().locator('td').allTextContents()).toEqual(['2', '1', 'Zhang San', 'Beijing'])
    await poll(() => mapping().getByText('column 1 (id) is suggested INT64, but line 4 ("three") is not', { exact: false }).count()).toBe(1)
  })
})
