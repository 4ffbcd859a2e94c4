// The Workflows page in a 900×600 window (found by the #13 fresh-user trial):
// - the run panel's recent runs of earlier days wrapped their date and duration onto two lines:
//   each run is one line, its day short as the Jobs table writes it, the full time in its title;
// - the save notice ("Saved as …") took the editor's height, leaving ~4 lines: it lies over the
//   editor's foot now, and the editor keeps at least 12 lines with the run panel closed.
import { resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { SHOTS, api, browserSuite, layoutProblems, poll, signIn, type Served } from './support'

const FLOW = `workspace: small
dagName: daily
type: flow
tasks:
  - {category: pass, name: first, next: second}
  - {category: pass, name: second}
`
const DAY = 24 * 3600 * 1000

const suite = browserSuite({ width: 900, height: 600 })
let served: Served
let page: Page
let token: string
beforeAll(() => ({ served, page, token } = suite))

/** How many whole lines of text the YAML editor shows. */
const editorLines = () =>
  page.evaluate(() => {
    const scroller = document.querySelector<HTMLElement>('.wf-editor .cm-scroller')!
    const line = document.querySelector<HTMLElement>('.wf-editor .cm-line')!.getBoundingClientRect().height
    return Math.floor(scroller.clientHeight / line)
  })

describe('the Workflows page at 900×600', () => {
  it('lists recent runs of earlier days one to a line, the day short and the full time in the title', async () => {
    const { descriptorId } = await api(served.url, token, 'POST', '/api/v1/workflows', { text: FLOW })
    const jobs: number[] = []
    for (let i = 0; i < 3; i++) jobs.push((await api(served.url, token, 'POST', '/api/v1/workflows/submit', { descriptorId })).jobId)
    for (const id of jobs) await poll(async () => (await api(served.url, token, 'GET', `/api/v1/jobs/${id}`)).status).toBe('succeeded')
    // the page's clock two days on: the runs were the day before yesterday
    await page.clock.setFixedTime(new Date(Date.now() + 2 * DAY))
    await signIn(page, served.url)
    await page.goto(`${served.url}/#/workflows/${encodeURIComponent(descriptorId)}`)
    const items = page.locator('.wf-run-item')
    await poll(() => items.count()).toBe(3)
    for (const item of await items.all()) {
      const facts = await item.evaluate((el) => {
        const parts = [...el.children] as HTMLElement[]
        return {
          height: el.getBoundingClientRect().height,
          // each part on one line, not cut off, and all of them side by side
          wrapped: parts.filter((p) => p.getClientRects().length > 1 || p.getBoundingClientRect().height > 24).map((p) => p.textContent),
          clipped: parts.filter((p) => p.scrollWidth > p.clientWidth + 1).map((p) => p.textContent),
          tops: new Set(parts.map((p) => Math.round(p.getBoundingClientRect().top + p.getBoundingClientRect().height / 2))).size,
          inside: parts.every((p) => p.getBoundingClientRect().right <= el.getBoundingClientRect().right + 1),
        }
      })
      expect(facts).toEqual({ height: facts.height, wrapped: [], clipped: [], tops: 1, inside: true })
      expect(facts.height).toBeLessThan(32)
      const when = item.locator('.wf-run-when')
      // the day as the Jobs table writes an earlier day's ("Nov 29"), and the time to the second in the title
      expect(await when.textContent()).toMatch(/^[A-Z][a-z]{2} \d{1,2}\b/)
      expect(await when.getAttribute('title')).toMatch(/\d{4}, \d{2}:\d{2}:\d{2}$/)
    }
    expect(await layoutProblems(page)).toEqual([])
    await page.locator('.wf-runs').screenshot({ path: resolve(SHOTS, 'workflow-small-runs.png') })
    await page.screenshot({ path: resolve(SHOTS, 'workflow-small-runs-page.png') })
  })

  it('keeps the editor’s height when a save notice shows: at least 12 lines with the run panel closed', async () => {
    await page.getByRole('button', { name: 'hide the run panel' }).click()
    await page.getByTestId('yaml-editor').waitFor()
    await page.screenshot({ path: resolve(SHOTS, 'workflow-small-editor.png') })
    const before = await editorLines()
    expect(before).toBeGreaterThanOrEqual(12)
    await page.getByTestId('yaml-editor').click()
    await page.keyboard.press('ControlOrMeta+End')
    await page.keyboard.insertText('# a second version\n')
    await poll(() => page.getByTestId('validation-message').getAttribute('data-state')).toBe('ok')
    await page.getByRole('button', { name: 'Save' }).click()
    const notice = page.getByTestId('saved-id')
    await notice.waitFor()
    expect(await editorLines()).toBe(before)
    // the notice is whole on screen and hides no control
    expect(await notice.evaluate((el) => el.scrollWidth <= el.clientWidth + 1)).toBe(true)
    expect(await layoutProblems(page)).toEqual([])
    await page.screenshot({ path: resolve(SHOTS, 'workflow-small-saved.png') })
  })
})
