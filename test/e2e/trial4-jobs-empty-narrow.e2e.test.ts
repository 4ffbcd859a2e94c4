// #13.4 trial: at 900×600 a new user's first sight of Jobs (no jobs yet) is a sentence cut off at
// the table's edge ("…or through the"): the rest is only reachable by scrolling the table sideways.
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { SHOTS, browserSuite, signIn } from './support'

const suite = browserSuite({ width: 900, height: 600 })

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
