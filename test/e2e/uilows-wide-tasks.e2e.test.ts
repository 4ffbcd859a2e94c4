// #9 UI LOW: the Jobs page's task table of a wide foreach, 200 sub-tasks with long names, each of an
// input of 40 fields, at 1280×800 and 900×600.
import { join, resolve } from 'node:path'
import type { Locator, Page } from 'playwright-core'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { openStore } from '../../electron/store'
import { wideFinishedJob } from '../support/wide-jobs'
import { SHOTS, browserSuite, layoutProblems, poll, signIn, startServe, type Served } from './support'

vi.setConfig({ testTimeout: 120_000 })

const suite = browserSuite({ width: 1280, height: 800 })
let served: Served
let page: Page
let wide: number

const longName = (i: number) => `each_${i}-normalise_customer_billing_address_and_postcode_for_region_${i % 7}`
const input = (i: number) => Object.fromEntries(Array.from({ length: 40 }, (_, c) => [`column_${String(c + 1).padStart(2, '0')}_value`, c % 5 === 0 ? `row ${i} text of column ${c + 1} that runs long` : i * 100 + c]))

beforeAll(async () => {
  ;({ served, page } = suite)
  const { dataDir, port } = served
  await served.halt('SIGINT')
  const store = openStore(join(dataDir, 'jobdesk.db'))
  try {
    wide = wideFinishedJob(store, 'admin', 201, [3], { name: longName, input })
  } finally {
    store.close()
  }
  suite.served = served = await startServe({ dataDir, port })
  await signIn(page, served.url)
})

/**
 * What of the detail panel a reader would have to scroll sideways to: the panel wider than it shows,
 * each task row's last cell (its duration) past the panel's right edge, by the task's name.
 */
function sideways(detail: Locator): Promise<string[]> {
  return detail.evaluate((panel) => {
    const found: string[] = []
    if (panel.scrollWidth > panel.clientWidth + 1) found.push(`panel ${panel.scrollWidth} px wide in ${panel.clientWidth}`)
    const right = panel.getBoundingClientRect().right
    for (const row of panel.querySelectorAll('tr[data-task]')) {
      const last = row.lastElementChild!.getBoundingClientRect()
      if (last.right > right + 1) found.push(`${row.getAttribute('data-task')}: duration at ${Math.round(last.right)} px, panel ends at ${Math.round(right)}`)
    }
    return found.slice(0, 3)
  })
}

describe('a wide foreach’s task table on the Jobs page', () => {
  for (const size of [
    { width: 1280, height: 800 },
    { width: 900, height: 600 },
  ]) {
    it(`reads at ${size.width}×${size.height}`, async () => {
      await page.setViewportSize(size)
      await page.goto(`${served.url}/#/jobs/${wide}`)
      await page.reload() // no task opened by the size before
      const detail = page.getByRole('complementary', { name: 'job detail' })
      await poll(() => detail.locator('tr[data-task]').count()).toBe(201)
      await page.screenshot({ path: resolve(SHOTS, `uilows-wide-tasks-${size.width}.png`) })
      // the panel does not scroll sideways, and each row's status, try and duration are inside it
      expect(await sideways(detail)).toEqual([])
      const task = detail.locator(`tr[data-task="${longName(3)}"]`)
      await task.scrollIntoViewIfNeeded()
      await task.getByRole('button').click()
      const open = detail.locator(`tr[data-task-open="${longName(3)}"]`)
      await open.waitFor()
      await open.scrollIntoViewIfNeeded()
      await page.screenshot({ path: resolve(SHOTS, `uilows-wide-tasks-${size.width}-open.png`) })
      expect(await sideways(detail)).toEqual([])
      expect(await layoutProblems(page)).toEqual([])
    })
  }
})
