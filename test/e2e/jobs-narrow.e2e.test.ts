// The Jobs table in a narrow window (#13.4): a click on a row opens it without moving the table
// sideways, and beside the open detail the table keeps what one watches a job by (its status,
// progress and duration) longest, giving up Type and Submitted first (fit-columns.ts).
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { SHOTS, api, apiLogin, browserSuite, poll, signIn } from './support'

const suite = browserSuite({ width: 900, height: 600 })
const script = (code: string) => ({ type: 'script', language: 'shell', code })
const wrap = () => suite.page.locator('.table-wrap')
const scrollLeft = () => wrap().evaluate((el) => el.scrollLeft)
/** The header texts of the columns shown, without the sort mark. */
const headers = () =>
  suite.page.locator('table.jobs thead th').evaluateAll((ths) => ths.filter((th) => th.getBoundingClientRect().width > 0).map((th) => th.textContent!.replace(/[▲▼\s]+$/u, '').trim()))

describe('Jobs table at 900×600', () => {
  it('gives the table the whole width until a job is opened, then keeps status and duration beside the detail', async () => {
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
    // a job open: Type, Submitted and Progress make way (the detail says them), nothing scrolls
    await page.locator('tr[data-job-id="2"] td.num').click()
    await page.getByTestId('job-duration').waitFor()
    await poll(headers).toEqual(['', 'ID', 'Name', 'Status', 'Duration'])
    expect(await wrap().evaluate((el) => el.scrollWidth <= el.clientWidth + 1)).toBe(true)
    await page.screenshot({ path: resolve(SHOTS, 'jobs-narrow-open.png') })
  })

  it('opens a clicked row without scrolling the table sideways', async () => {
    const { page } = suite
    expect(await scrollLeft()).toBe(0)
    // each row, clicked on each of its cells (Playwright scrolls a cell it cannot fully see into view first)
    for (const id of [5, 2, 4, 1]) {
      for (const cell of ['td.num', 'td.name', 'td.duration', 'td:nth-child(5)']) {
        await page.locator(`tr[data-job-id="${id}"] ${cell}`).click()
        await poll(() => page.locator(`tr[data-job-id="${id}"]`).getAttribute('aria-selected')).toBe('true')
        expect(await scrollLeft(), `row ${id}, ${cell}`).toBe(0)
      }
    }
    // a table made to scroll (a narrower window) stays where the user scrolled it when a row is clicked
    await page.setViewportSize({ width: 820, height: 600 })
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
    await page.setViewportSize({ width: 900, height: 600 })
  })
})
