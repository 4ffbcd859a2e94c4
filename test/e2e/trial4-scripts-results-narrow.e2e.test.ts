// #13.4 trial: the Scripts page at 900×600, as it opens (side panel shown, default split). After a
// run the result bar's controls wrap onto several lines and take the result pane: one row of 250
// shows; with a sort, a filter and an export's note, none does (the table's box is 2 px high).
import { resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { SHOTS, browserSuite, signIn, writeScript } from './support'

const suite = browserSuite({ width: 900, height: 600 })

/** Rows of the result table a user sees whole: inside the result's scrolling box and the window. */
const visibleRows = (page: Page) =>
  page.evaluate(() => {
    const box = document.querySelector('.sc-result-body')!.getBoundingClientRect()
    return [...document.querySelectorAll('.sc-table tbody tr')].filter((tr) => {
      const r = tr.getBoundingClientRect()
      return r.top >= box.top - 1 && r.bottom <= Math.min(box.bottom, innerHeight) + 1
    }).length
  })

describe('Scripts results at 900×600', () => {
  it('shows several rows of a result, also when it is sorted, filtered and exported', async () => {
    const { page, served } = suite
    await signIn(page, served.url)
    await page.goto(`${served.url}/#/scripts`)
    await writeScript(page, 'SQL', "with recursive c(x) as (select 1 union all select x + 1 from c where x < 250) select x as id, 'row ' || x as label from c")
    await page.keyboard.press('ControlOrMeta+Enter')
    const table = page.getByTestId('result-table')
    await table.locator('tbody tr').nth(99).waitFor({ state: 'attached' })
    await page.screenshot({ path: resolve(SHOTS, 'trial4-scripts-results-900.png') })
    expect(await visibleRows(page)).toBeGreaterThanOrEqual(3)

    await table.locator('thead th').nth(1).locator('button').click()
    await page.getByLabel('filter all rows of Result 1').fill('row 1')
    await expect.poll(() => page.getByText('111 of all 250 rows match').count(), { timeout: 10_000 }).toBe(1)
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export visible rows as CSV' }).click()])
    expect(download.suggestedFilename()).toMatch(/-visible\.csv$/)
    await page.getByTestId('export-note').waitFor()
    await page.screenshot({ path: resolve(SHOTS, 'trial4-scripts-results-900-filtered.png') })
    expect(await visibleRows(page)).toBeGreaterThanOrEqual(3)
  })
})
