// #13.5 trial: a result table sorts when its column's header is clicked, as spreadsheets and the
// tables of n8n or Airflow do. Here only the header's label is a button (13 px of a 72 px "id"
// header); a click on the rest of the header cell does nothing.
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { SHOTS, browserSuite, poll, signIn, writeScript } from './support'

const suite = browserSuite({ width: 1280, height: 800 })

describe('result table headers', () => {
  it('sorts by a column when its header cell is clicked beside the label', async () => {
    const { page, served } = suite
    await signIn(page, served.url)
    await page.goto(`${served.url}/#/scripts`)
    await writeScript(page, 'SQL', "select 3 as id, 'a much longer text value here' as txt union all select 1, 'b' union all select 2, 'c'")
    await page.keyboard.press('ControlOrMeta+Enter')
    const table = page.getByTestId('result-table')
    await table.locator('tbody tr').nth(2).waitFor()
    const ids = () => table.locator('tbody tr td:nth-child(2)').allTextContents()
    expect(await ids()).toEqual(['3', '1', '2'])
    const header = table.locator('thead th').nth(1)
    const cell = (await header.boundingBox())!
    const label = (await header.locator('.sc-colname').boundingBox())!
    // the left part of the header cell, clear of the (right-aligned) label of a number column
    const x = Math.min(5, (label.x - cell.x) / 2)
    expect(label.x - cell.x).toBeGreaterThan(2 * x)
    await header.click({ position: { x, y: cell.height / 2 } })
    await poll(() => header.getAttribute('aria-sort')).toBe('ascending')
    await poll(ids).toEqual(['1', '2', '3']) // the server's sorted page comes after the header's mark
    await page.screenshot({ path: resolve(SHOTS, 'trial4-sort-header.png') })
  })
})
