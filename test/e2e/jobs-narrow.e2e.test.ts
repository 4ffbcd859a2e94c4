// The Jobs table in a narrow window (#13.4): at 900 px the open job takes the page instead of the
// list (beside it the detail was 287 px, too narrow to read a log); a click on a row opens it
// without moving the table sideways, and beside the open detail (from 1001 px) the table keeps what
// one watches a job by (its status and duration) longest, giving up Type and Submitted first
// (fit-columns.ts).
import { resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { SHOTS, api, apiLogin, browserSuite, poll, signIn } from './support'

const suite = browserSuite({ width: 900, height: 600 })
const script = (code: string) => ({ type: 'script', language: 'shell', code })
const location = (p: Page) => new URL(p.url()).hash
const wrap = () => suite.page.locator('.table-wrap')
const scrollLeft = () => wrap().evaluate((el) => el.scrollLeft)
/** The header texts of the columns shown, without the sort mark. */
const headers = () =>
  suite.page.locator('table.jobs thead th').evaluateAll((ths) => ths.filter((th) => th.getBoundingClientRect().width > 0).map((th) => th.textContent!.replace(/[▲▼\s]+$/u, '').trim()))

describe('Jobs table at 900×600', () => {
  it('gives the table the whole width until a job is opened; the open job then takes the page, and "← All jobs" goes back to its row', async () => {
    const { served, page } = suite
    const token = await apiLogin(served.url)
    const long = `echo ${'a-rather-long-job-name-'.repeat(8)}`
    for (let i = 0; i < 4; i++) await api(served.url, token, 'POST', '/api/v1/jobs', script(i === 1 ? long : `echo ${i}`))
    await api(served.url, token, 'POST', '/api/v1/jobs', script('sleep 60'))
    await signIn(page, served.url)
    await page.locator('tr[data-job-id="5"]').waitFor()
    // nothing open: no empty detail column takes the width, every column shows
    expect(await page.getByText('Select a job to see its tasks and log.').isVisible()).toBe(false)
    await poll(headers).toEqual(['', 'ID', 'Name', 'Type', 'Status', 'Progress', 'Submitted', 'Duration'])
    await page.screenshot({ path: resolve(SHOTS, 'jobs-narrow-closed.png') })
    // a job open: its detail takes the page, wide enough to read its log; the list waits behind "← All jobs"
    await page.locator('tr[data-job-id="2"] td.num').click()
    await page.getByTestId('job-duration').waitFor()
    const detail = page.getByRole('complementary', { name: 'job detail' })
    expect((await detail.boundingBox())!.width).toBeGreaterThanOrEqual(700)
    expect((await detail.getByLabel('job log').boundingBox())!.width).toBeGreaterThanOrEqual(600)
    expect(await page.locator('table.jobs').isVisible()).toBe(false)
    await page.screenshot({ path: resolve(SHOTS, 'jobs-narrow-open.png') })
    await page.getByRole('button', { name: '← All jobs' }).click()
    await poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-job-id'))).toBe('2')
    expect(await detail.count()).toBe(0)
    expect(location(page)).toMatch(/#\/jobs$/)
    // Esc goes back as well
    await page.keyboard.press('Enter')
    await detail.waitFor()
    await page.keyboard.press('Escape')
    await poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-job-id'))).toBe('2')
  })

  it('beside the detail (from 1001 px) opens a clicked row without scrolling the table sideways', async () => {
    const { page } = suite
    await page.setViewportSize({ width: 1050, height: 600 })
    await page.locator('tr[data-job-id="2"] td.num').click()
    await page.getByTestId('job-duration').waitFor()
    await poll(headers).toEqual(['', 'ID', 'Name', 'Status', 'Duration'])
    expect(await wrap().evaluate((el) => el.scrollWidth <= el.clientWidth + 1)).toBe(true)
    await page.screenshot({ path: resolve(SHOTS, 'jobs-narrow-beside.png') })
    expect(await scrollLeft()).toBe(0)
    // each row, clicked on each of its cells (Playwright scrolls a cell it cannot fully see into view first)
    for (const id of [5, 2, 4, 1]) {
      for (const cell of ['td.num', 'td.name', 'td.duration', 'td:nth-child(5)']) {
        await page.locator(`tr[data-job-id="${id}"] ${cell}`).click()
        await poll(() => page.locator(`tr[data-job-id="${id}"]`).getAttribute('aria-selected')).toBe('true')
        expect(await scrollLeft(), `row ${id}, ${cell}`).toBe(0)
      }
    }
    // a table made to scroll (names that will not narrow) stays where the user scrolled it when a row is clicked
    const wide = await page.addStyleTag({ content: '.table-wrap td.name { min-width: 420px; }' })
    await poll(() => wrap().evaluate((el) => el.scrollWidth - el.clientWidth)).toBeGreaterThan(10)
    for (const id of [5, 3, 1]) {
      const right = await wrap().evaluate((el) => {
        el.scrollLeft = el.scrollWidth
        return el.scrollLeft
      })
      expect(right).toBeGreaterThan(10)
      const box = await wrap().boundingBox()
      const row = await page.locator(`tr[data-job-id="${id}"]`).boundingBox()
      await page.mouse.click(box!.x + box!.width - 30, row!.y + row!.height / 2) // on its duration, at the right
      await poll(() => page.locator(`tr[data-job-id="${id}"]`).getAttribute('aria-selected')).toBe('true')
      await page.waitForTimeout(100)
      expect(await scrollLeft(), `row ${id}`).toBe(right)
      // and the arrow keys move on without scrolling it back
      await page.keyboard.press('ArrowUp')
      expect(await scrollLeft(), `row ${id}, ArrowUp`).toBe(right)
    }
    await page.screenshot({ path: resolve(SHOTS, 'jobs-narrow-click.png') })
    await wide.evaluate((el) => (el as Element).remove())
    await page.setViewportSize({ width: 900, height: 600 })
  })
})
