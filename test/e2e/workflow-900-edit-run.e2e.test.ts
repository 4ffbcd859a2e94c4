// The Workflows page's graph at 900×600, the smallest window the app supports (#9 UI LOWs), each
// failing before its fix:
// - a task selected in the design graph: the edit strip's name field and its buttons (two rows at this
//   width) lay over the selected node itself, so the node being renamed could not be seen or clicked;
// - a run shown: its bar's progress was hidden by a container query below 460 px, which the graph
//   column is at this width with the run panel open, leaving the run without its progress.
import { resolve } from 'node:path'
import type { Locator, Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { waitingFlow } from './flows'
import { SHOTS, browserSuite, layoutProblems, poll, signIn, type Served } from './support'
import { openWorkflow } from './workflow-page'

const FLOW = `workspace: small
dagName: chain
type: flow
tasks:
  - {category: pass, name: first, next: second}
  - {category: pass, name: second, next: third}
  - {category: pass, name: third}
`

const suite = browserSuite({ width: 900, height: 600 })
let served: Served
let page: Page
beforeAll(() => ({ served, page } = suite))

/** Whether the boxes of `a` and `b` share more than a pixel's edge. */
async function overlap(a: Locator, b: Locator): Promise<boolean> {
  const [r, o] = [(await a.boundingBox())!, (await b.boundingBox())!]
  return Math.min(r.x + r.width, o.x + o.width) - Math.max(r.x, o.x) > 1 && Math.min(r.y + r.height, o.y + o.height) - Math.max(r.y, o.y) > 1
}

describe('the Workflows graph at 900×600', () => {
  it('shows a running run’s bar whole beside the run panel: status, progress, its job and Cancel', async () => {
    await signIn(page, served.url)
    await openWorkflow(suite, waitingFlow('small', 'waits'), {})
    const bar = page.getByTestId('execution-bar')
    await poll(() => bar.getByTestId('execution-status').getAttribute('data-status')).toBe('running')
    await page.screenshot({ path: resolve(SHOTS, 'workflow-900-run-bar.png') })
    const progress = bar.getByRole('progressbar')
    expect(await progress.isVisible(), 'the progress bar shows').toBe(true)
    expect((await progress.boundingBox())!.width).toBeGreaterThanOrEqual(48)
    // all of it inside the graph column
    const column = (await page.locator('.wf-dag').boundingBox())!
    for (const part of [progress, bar.getByTestId('execution-job'), bar.getByRole('button', { name: 'Cancel' })]) {
      const b = (await part.boundingBox())!
      expect(b.x + b.width).toBeLessThanOrEqual(column.x + column.width + 1)
    }
    expect(await layoutProblems(page)).toEqual([])
    await bar.getByRole('button', { name: 'Cancel' }).click()
    await poll(() => bar.getByTestId('execution-status').getAttribute('data-status')).toBe('cancelled')
  })

  it('keeps the selected task clear of the edit strip: its name field and buttons lie beside or above it, not on it', async () => {
    await openWorkflow(suite, FLOW)
    for (const name of ['first', 'second', 'third']) {
      const node = page.getByTestId(`wf-node-${name}`)
      await node.click()
      const field = page.getByTestId('dag-task-name')
      await poll(() => field.inputValue()).toBe(name)
      await page.waitForTimeout(400) // the fit's animation
      await page.screenshot({ path: resolve(SHOTS, `workflow-900-rename-${name}.png`) })
      const strip = page.getByTestId('dag-edit').locator('.wf-dag-edit-row')
      expect(await overlap(strip, node), `the edit strip over "${name}"`).toBe(false)
      // and every node of the graph can be seen and clicked
      for (const other of ['first', 'second', 'third']) expect(await overlap(strip, page.getByTestId(`wf-node-${other}`)), `over "${other}"`).toBe(false)
      expect(await layoutProblems(page)).toEqual([])
    }
    // renaming it works from there: the node is there under its new name
    await page.getByTestId('dag-task-name').fill('renamed')
    await page.keyboard.press('Enter')
    await page.getByTestId('wf-node-renamed').waitFor()
  })
})
