// #13.3/#13.4 trials of the Workflows page at 900×600 (as it opens there: list folded, run panel
// open), one serve and page for all of them: each test makes the workflows it looks at and signs in
// anew. The one that turns the page dark and shrinks it runs last.
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { onePassFlow, WIDE_FLOW as WIDE, runFailingFlow } from './flows'
import { SHOTS, api, browserSuite, poll, signIn } from './support'
import { openWorkflow } from './workflow-page'

const suite = browserSuite({ width: 900, height: 600 })

/** Runs FAILING_FLOW (runFailingFlow), signs in anew and opens its failed run on the Workflows page, `boom` shown failed; answers the page. */
async function openFailedRun(): Promise<typeof suite.page> {
  const { page, served, token } = suite
  const { descriptorId, jobId } = await runFailingFlow(served, token)
  await signIn(page, served.url)
  await page.goto(`${served.url}/#/workflows/${encodeURIComponent(descriptorId)}?execution=${jobId}`)
  await poll(() => page.getByTestId('wf-node-boom').getAttribute('data-status')).toBe('failed')
  return page
}

// A failed task's detail (click "boom" in a failed run's graph) had its Invoke history table wider
// than the run panel: the Error column ("dispatchTask http fails: fetch failed") was cut at the
// window's edge and the whole panel scrolled sideways to read it.
describe('Workflows at 900×600: a failed task’s detail', () => {
  it('fits the run panel’s width: its invoke history and error read without scrolling sideways', async () => {
    const page = await openFailedRun()
    await page.getByTestId('wf-node-boom').click()
    const detail = page.locator('.wf-side.detail')
    await poll(() => detail.getByText('Invoke history', { exact: false }).count()).toBeGreaterThan(0)
    await page.screenshot({ path: resolve(SHOTS, 'trial5-task-detail-900.png') })
    const overflow = await detail.evaluate((el) => el.scrollWidth - el.clientWidth)
    expect(overflow).toBeLessThanOrEqual(1)
    const right = await detail.locator('table').first().evaluate((el) => el.getBoundingClientRect().right)
    expect(right).toBeLessThanOrEqual(900)
  })
})

// A failed run's Gantt timeline has a ~75 px wide bar area, and its time axis wrote "0 ms", "20 ms",
// "40 ms", "60 ms" and "80 ms" on top of one another: an unreadable smudge above the bars.
describe('Workflows at 900×600: a run’s Gantt timeline', () => {
  it('writes its time axis readably: no tick label over another', async () => {
    const page = await openFailedRun()
    await page.getByRole('button', { name: 'Gantt', exact: true }).click()
    const ticks = page.locator('.wf-gantt-tick')
    await poll(() => ticks.count()).toBeGreaterThan(1)
    await page.screenshot({ path: resolve(SHOTS, 'trial5-gantt-900.png') })
    const boxes = await ticks.evaluateAll((els) => els.map((el) => ({ text: el.textContent, ...el.getBoundingClientRect().toJSON() })))
    const overlapping = boxes.slice(1).filter((b, i) => b.left < boxes[i].right - 1).map((b, i) => `${boxes[i].text} / ${b.text}`)
    expect(overlapping).toEqual([])
  })
})

const DRAWER_FLOW = onePassFlow('trial', 'drawer')

// The workflow list is a drawer over the editor. Choosing a workflow in it closed it, but "New
// workflow" left it open over the new workflow's editor, which the user then had to close by hand.
describe('Workflows at 900×600: the list drawer', () => {
  it('closes when the user chooses a workflow, and when they choose "New workflow"', async () => {
    const { page, served, token } = suite
    const { descriptorId } = await api(served.url, token, 'POST', '/api/v1/workflows', { text: DRAWER_FLOW })
    await signIn(page, served.url)
    await page.goto(`${served.url}/#/workflows`)
    await page.getByTestId('yaml-editor').waitFor()
    const list = page.getByRole('navigation', { name: 'workflows' })
    await page.getByRole('button', { name: 'show the workflow list' }).click()
    await list.getByTestId('wf-item-trial:drawer').click()
    await poll(() => page.url()).toContain(encodeURIComponent(descriptorId).split('%3Amd5')[0])
    await poll(() => list.count()).toBe(0)

    await page.getByRole('button', { name: 'show the workflow list' }).click()
    await list.getByRole('button', { name: 'New workflow' }).click()
    await poll(() => page.getByTestId('yaml-editor').innerText()).not.toContain('dagName: drawer')
    await page.waitForTimeout(500) // as long as choosing a workflow takes to close it
    await page.screenshot({ path: resolve(SHOTS, 'trial5-workflow-drawer-new.png') })
    expect(await list.count()).toBe(0)
  })
})

/** How many of the graph's nodes are drawn wholly inside the canvas of the suite's page. */
const nodesInView = () =>
  suite.page.evaluate(() => {
    const box = document.querySelector('.react-flow')!.getBoundingClientRect()
    return [...document.querySelectorAll('.wf-node')].filter((n) => {
      const r = n.getBoundingClientRect()
      return r.left >= box.left && r.right <= box.right && r.top >= box.top && r.bottom <= box.bottom
    }).length
  })

// A wide DAG of fourteen tasks is zoomed to fit at the readable floor and shows three or four of
// its twelve branches, and there was no minimap: the canvas (~390×235 px) is under the size the
// minimap was kept for (400×260), so nothing told the user that most of the graph is off to the sides.
describe('Workflows at 900×600: a wide DAG', () => {
  it('shown only in part after zoom to fit, has a minimap saying where the view is', async () => {
    const { page, served } = suite
    await signIn(page, served.url)
    await openWorkflow(suite, WIDE)
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
    const { page } = suite
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
