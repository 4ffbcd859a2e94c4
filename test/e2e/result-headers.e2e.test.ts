// Result table headers (#13.5): a right-aligned numeric header never runs into the next one ("x" and
// "empty" once read "xempty"); a long name is cut with an ellipsis and has its full name as a tooltip.
// In light and dark mode, on the Scripts page (the table the job detail's results share) and the Graph page's table.
import { resolve } from 'node:path'
import type { Locator, Page } from 'playwright-core'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { SHOTS, browserSuite, signIn, type Served, writeScript, mainNav } from './support'

vi.setConfig({ testTimeout: 120_000 }) // the Graph page's query worker starts slowly on a loaded machine

const suite = browserSuite({ width: 1400, height: 860 })
let served: Served
let page: Page
beforeAll(() => ({ served, page } = suite))

const LONG = 'a_very_long_column_name_that_would_make_the_header_far_wider_than_its_values_ever_are'

/** The header cells' text boxes (the laid-out text, not the cell), left to right. */
async function headerBoxes(table: Locator): Promise<{ name: string; left: number; right: number; cellLeft: number; cellRight: number; clipped: boolean; title: string }[]> {
  return table.locator('thead th:not(.sc-rownum)').evaluateAll((ths) =>
    ths.map((th) => {
      const label = th.querySelector('.sc-colname') as HTMLElement
      const range = document.createRange()
      range.selectNodeContents(label)
      const text = range.getBoundingClientRect()
      const cell = th.getBoundingClientRect()
      const shown = label.getBoundingClientRect()
      return {
        name: label.textContent ?? '',
        left: Math.max(text.left, shown.left),
        right: Math.min(text.right, shown.right),
        cellLeft: cell.left,
        cellRight: cell.right,
        clipped: label.scrollWidth > label.clientWidth,
        title: label.getAttribute('title') ?? '',
      }
    }),
  )
}

/** Every header's visible text ends at least `gap` px before the next one's begins, and stays in its own cell. */
async function expectSeparated(table: Locator): Promise<void> {
  const boxes = await headerBoxes(table)
  expect(boxes.length).toBeGreaterThan(2)
  for (const [i, b] of boxes.entries()) {
    expect(b.left, `${b.name} starts in its cell`).toBeGreaterThanOrEqual(b.cellLeft)
    expect(b.right, `${b.name} ends in its cell`).toBeLessThanOrEqual(b.cellRight)
    const next = boxes[i + 1]
    if (next) expect(next.left - b.right, `space between "${b.name}" and "${next.name}"`).toBeGreaterThanOrEqual(12)
  }
  const long = boxes.find((b) => b.title === LONG)
  expect(long, 'the long header has its full name as a tooltip').toBeDefined()
  expect(long!.clipped, 'the long header is cut (ellipsis)').toBe(true)
}

describe('result table headers', () => {
  it('Scripts page: numeric headers keep their distance from the next, long ones are cut with a tooltip, light and dark', async () => {
    await signIn(page, served.url)
    await mainNav(page, 'Scripts')
    await writeScript(page, 'SQL', `select 1 as x, null as empty, 12345 as n, 'v' as ${LONG}, 'w' as y`)
    await page.keyboard.press('ControlOrMeta+Enter')
    const table = page.getByTestId('result-table')
    await table.waitFor()
    const ths = table.locator('thead th:not(.sc-rownum)')
    expect(await ths.locator('.sc-colname').allTextContents()).toEqual(['x', 'empty', 'n', LONG, 'y'])
    expect(await ths.first().getAttribute('class')).toContain('sc-number')
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme })
      await expectSeparated(table)
      await table.screenshot({ path: resolve(SHOTS, `result-headers-${scheme}.png`), animations: 'disabled' })
    }
    await page.emulateMedia({ colorScheme: 'light' })
  })

  it('Graph page table: the same, for a Cypher result', async () => {
    await mainNav(page, 'Graph')
    await page.getByTestId('cypher-editor').click()
    await page.keyboard.press('ControlOrMeta+A')
    await page.keyboard.insertText(`RETURN 1 AS x, null AS empty, 12345 AS n, 'v' AS ${LONG}, 'w' AS y`)
    await page.keyboard.press('ControlOrMeta+Enter')
    const table = page.getByTestId('cypher-table')
    await table.waitFor({ timeout: 60_000 }) // the first query starts a worker
    expect(await table.locator('thead th:not(.sc-rownum) .sc-colname').allTextContents()).toEqual(['x', 'empty', 'n', LONG, 'y'])
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme })
      await expectSeparated(table)
      await table.screenshot({ path: resolve(SHOTS, `result-headers-graph-${scheme}.png`), animations: 'disabled' })
    }
    await page.emulateMedia({ colorScheme: 'light' })
  })
})
