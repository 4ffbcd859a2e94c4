// What a look at every page at 900×600, light and dark, found clipped or laid over something (#13.4,
// #13.6): each test here failed before its fix. layout-small.e2e.test.ts checks the controls of
// every page in general; these check the particular places.
import { resolve } from 'node:path'
import type { Locator } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { SHOTS, api, apiLogin, browserSuite, layoutProblems, poll, signIn, mainNav } from './support'

const suite = browserSuite({ width: 900, height: 600 })
const nav = (name: string) => mainNav(suite.page, name)
const box = async (l: Locator) => (await l.boundingBox())!
type Box = { x: number; y: number; width: number; height: number }
/** Whether two boxes do not overlap. */
const apart = (a: Box, b: Box) => a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y
/** Whether a box scrolls sideways: its content is wider than it. */
const scrollsSideways = (l: Locator) => l.evaluate((el) => el.scrollWidth > el.clientWidth + 1)

/** Runs `check` in the light and the dark theme, with a screenshot of each. */
async function inBothThemes(shot: string, check: () => Promise<void>): Promise<void> {
  for (const colorScheme of ['light', 'dark'] as const) {
    await suite.page.emulateMedia({ colorScheme })
    await suite.page.waitForTimeout(200)
    await check()
    await suite.page.screenshot({ path: resolve(SHOTS, `${shot}-${colorScheme}.png`) })
    expect(await layoutProblems(suite.page), `${shot}, ${colorScheme}`).toEqual([])
  }
  await suite.page.emulateMedia({ colorScheme: 'light' })
}

describe('pages at 900×600, light and dark', () => {
  it("Jobs: the filters take a row under the title, not a column beside it; an open job takes the page, wide enough to read its log; a task's error wraps inside the detail", async () => {
    const { page, served } = suite
    const token = await apiLogin(served.url)
    const failing = await api(served.url, token, 'POST', '/api/v1/jobs', { type: 'script', language: 'shell', code: 'echo a-long-error-line-with-no-spaces-at-all-in-it-whatsoever-to-wrap >&2; exit 3' })
    const fine = await api(served.url, token, 'POST', '/api/v1/jobs', { type: 'script', language: 'shell', code: 'echo fine' })
    await signIn(page, served.url)
    // a succeeded task's row (its badge the widest) fits the detail
    await page.locator(`tr[data-job-id="${fine.id}"] td.num`).click()
    await poll(() => page.getByLabel('job detail').locator('tr[data-task="main"] [data-status]').getAttribute('data-status')).toBe('succeeded')
    expect(await scrollsSideways(page.getByLabel('job detail'))).toBe(false)
    await page.getByRole('button', { name: '← All jobs' }).click()
    await page.locator(`tr[data-job-id="${failing.id}"] td.num`).click()
    const detail = page.getByLabel('job detail')
    await poll(() => detail.locator('tr[data-task-error="main"] td').textContent()).not.toBe('')
    // the open job takes the page (beside the list it was 287 px wide): its log reads at 600 px and more
    expect((await box(detail)).width).toBeGreaterThanOrEqual(700)
    expect((await box(detail.getByLabel('job log'))).width).toBeGreaterThanOrEqual(600)
    await inBothThemes('narrow-jobs-open', async () => {
      expect(await scrollsSideways(detail)).toBe(false)
      const error = await box(detail.locator('tr[data-task-error="main"] td'))
      expect(error.x + error.width).toBeLessThanOrEqual((await box(detail)).x + (await box(detail)).width)
    })
    await page.getByRole('button', { name: '← All jobs' }).click()
    await inBothThemes('narrow-jobs', async () => {
      // the four filters in at most two rows, below the title
      const filters = page.locator('.filters > input, .filters > select')
      const tops = new Set((await filters.evaluateAll((els) => els.map((el) => Math.round(el.getBoundingClientRect().top)))))
      expect(tops.size).toBeLessThanOrEqual(2)
      const title = await box(page.getByRole('heading', { name: 'Jobs' }))
      expect((await box(filters.first())).y).toBeGreaterThanOrEqual(title.y + title.height)
    })
  })

  it('Scripts: the empty run area keeps its sentence off the edges', async () => {
    const { page } = suite
    await nav('Scripts')
    await page.getByTestId('script-editor').waitFor()
    await inBothThemes('narrow-scripts', async () => {
      const area = await box(page.locator('.sc-run-empty'))
      const text = await box(page.locator('.sc-run-empty p'))
      expect(text.x).toBeGreaterThanOrEqual(area.x + 12)
      expect(text.x + text.width).toBeLessThanOrEqual(area.x + area.width - 12)
    })
  })

  it('Workflows: the note on a broken draft’s graph covers neither the zoom buttons nor the graph', async () => {
    const { page } = suite
    await nav('Workflows')
    await page.getByTestId('wf-node-first').waitFor() // the starter descriptor, drawn
    // the page's first showing with nothing open opens the list's drawer (ux-polish): the user closes it
    await page.getByRole('button', { name: 'hide the workflow list' }).click()
    await page.getByTestId('yaml-editor').click()
    await page.keyboard.press('ControlOrMeta+End')
    await page.keyboard.insertText('\n  - {category: pass, name: broken') // an unclosed mapping
    const note = page.locator('.wf-dag-note')
    await note.waitFor()
    await inBothThemes('narrow-workflows-broken', async () => {
      const [n, c] = [await box(note), await box(page.getByTestId('dag-canvas').locator('.react-flow__controls'))]
      expect(apart(n, c), `note ${JSON.stringify(n)} over the controls ${JSON.stringify(c)}`).toBe(true)
      // nor over the graph it speaks of: the fitted graph's margin holds it
      for (const node of await page.locator('.wf-node').all()) {
        expect(apart(n, await box(node)), `note over ${await node.textContent()}`).toBe(true)
      }
    })
  })

  it("Graph: the graphs list shows each graph's Import and Drop without scrolling sideways", async () => {
    const { page } = suite
    await nav('Graph')
    await suite.page.getByRole('dialog', { name: 'unsaved changes' }).getByRole('button', { name: 'Discard' }).click() // the broken draft above: leaving it asks first (#13.1)
    await page.getByRole('tab', { name: 'Graphs' }).click()
    const drop = page.getByRole('button', { name: 'drop graph default' })
    await drop.waitFor()
    await inBothThemes('narrow-graphs', async () => {
      expect(await scrollsSideways(page.locator('.gr-panel .table-wrap'))).toBe(false)
      const [d, wrap] = [await box(drop), await box(page.locator('.gr-panel .table-wrap'))]
      expect(d.x + d.width).toBeLessThanOrEqual(wrap.x + wrap.width)
    })
  })
})
