// #13.3/#13.4 trial: at 900×600 (list folded, run panel open, as the page opens there) a wide DAG of
// fourteen tasks is zoomed to fit at the readable floor and shows three or four of its twelve
// branches, with no minimap: the canvas (~390×235 px) is under the size the minimap is kept for
// (400×260), so nothing tells the user that most of the graph is off to the sides.
import { resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { SHOTS, api, browserSuite, poll, signIn, type Served } from './support'
import { WIDE_FLOW as WIDE } from './flows'


const suite = browserSuite({ width: 900, height: 600 })
let served: Served
let page: Page
beforeAll(() => ({ served, page } = suite))

/** How many of the graph's nodes are drawn wholly inside the canvas. */
const nodesInView = () =>
  page.evaluate(() => {
    const box = document.querySelector('.react-flow')!.getBoundingClientRect()
    return [...document.querySelectorAll('.wf-node')].filter((n) => {
      const r = n.getBoundingClientRect()
      return r.left >= box.left && r.right <= box.right && r.top >= box.top && r.bottom <= box.bottom
    }).length
  })

describe('Workflows at 900×600: a wide DAG', () => {
  it('shown only in part after zoom to fit, has a minimap saying where the view is', async () => {
    const { descriptorId } = await api(served.url, suite.token, 'POST', '/api/v1/workflows', { text: WIDE })
    await signIn(page, served.url)
    await page.goto(`${served.url}/#/workflows/${encodeURIComponent(descriptorId)}`)
    await poll(() => page.locator('.wf-node').count()).toBe(14)
    await page.getByRole('button', { name: /fit/i }).click()
    await page.waitForTimeout(500) // the fit's animation
    expect(await nodesInView()).toBeLessThan(14) // too wide to fit readably
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme })
      await page.screenshot({ path: resolve(SHOTS, `trial5-workflow-minimap-900-${scheme}.png`) })
    }
    expect(await page.locator('.react-flow__minimap').isVisible()).toBe(true)
  })

  it('in a canvas too small even for the small minimap, says how many tasks are out of view', async () => {
    await page.setViewportSize({ width: 900, height: 440 })
    await poll(() => page.locator('.react-flow__minimap').count()).toBe(0)
    await page.getByRole('button', { name: /fit/i }).click()
    await page.waitForTimeout(500)
    const out = 14 - (await nodesInView())
    expect(out).toBeGreaterThan(0)
    await poll(() => page.getByTestId('dag-out-of-view').textContent()).toBe(`${out} of 14 tasks out of view — drag or zoom`)
    const hint = (await page.getByTestId('dag-out-of-view').boundingBox())!
    expect(hint.y + hint.height).toBeLessThanOrEqual(440) // in the window, not below it
    await page.screenshot({ path: resolve(SHOTS, 'trial5-workflow-out-of-view-900x440.png') })
    await page.setViewportSize({ width: 900, height: 600 })
  })
})
