// #13.4/#13.5 trials of pages at 900×600, one serve and page for all of them (each test signs in
// anew): Jobs before any job is run, then Settings → Users, the Scripts results, and last the
// collapsed sidebar (which stays collapsed and dark).
import { resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { SHOTS, api, browserSuite, poll, signIn, writeScript } from './support'

const suite = browserSuite({ width: 900, height: 600 })

// #13.4 trial: at 900×600 a new user's first sight of Jobs (no jobs yet) is a sentence cut off at
// the table's edge ("…or through the"): the rest is only reachable by scrolling the table sideways.
describe('Jobs with no jobs yet at 900×600', () => {
  it('shows the whole empty-state sentence inside the visible table', async () => {
    const { page, served } = suite
    await signIn(page, served.url)
    const empty = page.locator('td.empty')
    await expect.poll(() => empty.textContent(), { timeout: 10_000 }).toContain('No jobs yet')
    await page.screenshot({ path: resolve(SHOTS, 'trial4-jobs-empty-900.png') })
    // the text's own extent (a Range, not the cell) against the table's scrolling box as it shows
    const { text, box } = await page.evaluate(() => {
      const td = document.querySelector('td.empty')!
      const range = document.createRange()
      range.selectNodeContents(td)
      const t = range.getBoundingClientRect()
      const b = td.closest('.table-wrap')!.getBoundingClientRect()
      return { text: { left: t.left, right: t.right }, box: { left: b.left, right: b.right } }
    })
    expect(text.left).toBeGreaterThanOrEqual(box.left - 1)
    expect(text.right).toBeLessThanOrEqual(box.right + 1)
  })
})

// #13.4 trial: Settings → Users at 900×600. With a few users the table is wider than its card's
// content: it runs over the card's right padding to its border, the "Reset password" links 3 px
// from the edge, while the left side keeps the card's 16 px.
describe('Settings → Users at 900×600', () => {
  it('keeps the users table inside its card, as wide as the card leaves it', async () => {
    const { page, served, token } = suite
    for (const username of ['alice', 'bob.longer-name_with_many_chars_1234567890', 'carol']) {
      await api(served.url, token, 'POST', '/api/v1/users', { username, password: 'password123', role: 'user' })
    }
    await signIn(page, served.url)
    await page.goto(`${served.url}/#/settings`)
    const card = page.getByRole('region', { name: 'users', exact: true })
    await card.getByRole('row').filter({ hasText: 'carol' }).waitFor()
    await card.scrollIntoViewIfNeeded()
    await page.screenshot({ path: resolve(SHOTS, 'trial4-users-900.png') })
    const { table, content } = await card.evaluate((section) => {
      const s = section.getBoundingClientRect()
      const pad = parseFloat(getComputedStyle(section).paddingRight) + parseFloat(getComputedStyle(section).borderRightWidth)
      return { table: section.querySelector('table')!.getBoundingClientRect().right, content: s.right - pad }
    })
    expect(table).toBeLessThanOrEqual(content + 1)
  })
})

/** Rows of the result table a user sees whole: inside the result's scrolling box and the window. */
const visibleRows = (page: Page) =>
  page.evaluate(() => {
    const box = document.querySelector('.sc-result-body')!.getBoundingClientRect()
    return [...document.querySelectorAll('.sc-table tbody tr')].filter((tr) => {
      const r = tr.getBoundingClientRect()
      return r.top >= box.top - 1 && r.bottom <= Math.min(box.bottom, innerHeight) + 1
    }).length
  })

// #13.4 trial: the Scripts page at 900×600, as it opens (side panel shown, default split). After a
// run the result bar's controls wrap onto several lines and take the result pane: one row of 250
// shows; with a sort, a filter and an export's note, none does (the table's box is 2 px high).
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

// #13.4/#13.5 trial: at 900×600 on the Scripts page, after a filtered "visible rows" CSV export, the
// export's note is clamped to two lines of a ~146 px box: it reads "Saved job-1-result-1-visible.csv.
// The 111…" and the rest (which rows, which filter) is only in a hover title. The Jobs page shows
// the same note whole (up to four lines).
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

// #13.4 trial: the sidebar collapsed to icons (52 px) at 900×600: its foot keeps the wide layout's
// row, so the theme toggle (x 42–55) and Sign out (x 45–52) are cut off at its edge, and "expand
// the sidebar" (x 35–62) hangs half over the page, in light and dark alike.
describe('the collapsed sidebar at 900×600', () => {
  it('shows each of its controls whole, inside its width', async () => {
    const { page, served } = suite
    await signIn(page, served.url)
    await page.getByRole('button', { name: 'collapse the sidebar' }).click()
    const bar = page.getByRole('navigation', { name: 'main' })
    await poll(async () => (await bar.boundingBox())!.width).toBeLessThan(70)
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme })
      await page.screenshot({ path: resolve(SHOTS, `trial5-sidebar-collapsed-${scheme}.png`) })
    }
    const outside = await page.evaluate(() => {
      const side = document.querySelector('.sidebar')!.getBoundingClientRect()
      return [...document.querySelectorAll<HTMLElement>('.sidebar a, .sidebar button')]
        .filter((el) => {
          const r = el.getBoundingClientRect()
          return r.width > 0 && (r.left < side.left - 1 || r.right > side.right + 1)
        })
        .map((el) => el.getAttribute('aria-label') ?? el.textContent?.trim())
    })
    expect(outside).toEqual([])
  })
})
