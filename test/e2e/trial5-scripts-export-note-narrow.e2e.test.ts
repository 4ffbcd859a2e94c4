// #13.4/#13.5 trial: at 900×600 on the Scripts page, after a filtered "visible rows" CSV export, the
// export's note is clamped to two lines of a ~146 px box: it reads "Saved job-1-result-1-visible.csv.
// The 111…" and the rest (which rows, which filter) is only in a hover title. The Jobs page shows
// the same note whole (up to four lines).
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { SHOTS, browserSuite, poll, signIn } from './support'

const suite = browserSuite({ width: 900, height: 600 })

describe('Scripts results at 900×600: the export note', () => {
  it('after exporting the visible rows of a filtered result, says all of what was saved, readable without hovering', async () => {
    const { page, served } = suite
    await signIn(page, served.url)
    await page.goto(`${served.url}/#/scripts`)
    await page.getByRole('group', { name: 'language' }).getByRole('button', { name: 'SQL', exact: true }).click()
    await page.getByTestId('script-editor').click()
    await page.keyboard.press('ControlOrMeta+A')
    await page.keyboard.insertText("with recursive c(x) as (select 1 union all select x + 1 from c where x < 250) select x as id, 'row ' || x as label from c")
    await page.keyboard.press('ControlOrMeta+Enter')
    await page.getByTestId('result-table').locator('tbody tr').first().waitFor()
    await page.getByLabel('filter all rows of Result 1').fill('row 1')
    await poll(() => page.getByText('1–100 of 111').count()).toBe(1)
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export visible rows as CSV' }).click()])
    expect(download.suggestedFilename()).toMatch(/-visible\.csv$/)
    const note = page.getByTestId('export-note')
    await note.waitFor()
    await page.screenshot({ path: resolve(SHOTS, 'trial5-scripts-export-note-900.png') })
    expect(await note.textContent()).toContain('filtered by “row 1”')
    // all of its text shows: nothing clamped or cut off inside its box
    const cut = await note.evaluate((el) => ({ height: el.scrollHeight - el.clientHeight, width: el.scrollWidth - el.clientWidth }))
    expect(cut).toEqual({ height: 0, width: 0 })
    // several result rows stay in view with it (trial4-scripts-results-narrow), and it can be put away
    await page.getByRole('button', { name: 'Dismiss the export note' }).click()
    await poll(() => note.count()).toBe(0)
  })
})
