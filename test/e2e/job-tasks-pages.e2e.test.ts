// New-user trial M1 (#9): a job of 20,002 tasks (a Rill Flow foreach of 20,000 items) showed its first
// 500 and "The first 500 of 20002 tasks are shown.", with no next page and no filter by state: a failed
// item past row 500 could not be found in the UI. Its detail now pages through all of them and filters
// by state, through GET /api/v1/jobs/:id/tasks.
import { join, resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { openStore } from '../../electron/store'
import { wideFinishedJob } from '../support/wide-jobs'
import { SHOTS, browserSuite, layoutProblems, poll, signIn, startServe, type Served } from './support'

vi.setConfig({ testTimeout: 120_000 })

const suite = browserSuite({ width: 1600, height: 900 })
let served: Served
let page: Page
let wide: number
let small: number
// the failed items: one on the first page, the others past it (12,345 and 12,346 on page 25)
const FAILED = [7, 12_345, 12_346, 19_999]

beforeAll(async () => {
  ;({ served, page } = suite)
  // the job is written into the stopped serve's database: 20,000 items through the engine take minutes
  const { dataDir, port } = served
  await served.halt('SIGINT')
  const store = openStore(join(dataDir, 'jobdesk.db'))
  try {
    wide = wideFinishedJob(store, 'admin', 20_002, FAILED)
    small = wideFinishedJob(store, 'admin', 3, [2])
  } finally {
    store.close()
  }
  suite.served = served = await startServe({ dataDir, port })
  await signIn(page, served.url)
})

const rowNames = (p: Page) => p.locator('aside.detail tr[data-task]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-task')))

describe('a wide job in the Jobs page detail', () => {
  it('pages through all its tasks, filters them by state, and opens a failed one past row 500', async () => {
    await page.goto(`${served.url}/#/jobs/${wide}`)
    const detail = page.getByRole('complementary', { name: 'job detail' })
    const range = detail.locator('[data-tasks-shown]')
    await poll(() => detail.locator('[data-task-counts]').textContent()).toBe('20,002 tasks: 19,998 succeeded · 4 failed')
    // was: "The first 500 of 20002 tasks are shown.", and nothing more to see
    expect(await range.textContent()).toBe('1–500 of 20,002')
    expect((await rowNames(page)).length).toBe(500)

    const next = detail.getByRole('button', { name: 'next page of tasks' }).first()
    const previous = detail.getByRole('button', { name: 'previous page of tasks' }).first()
    expect(await previous.isDisabled()).toBe(true)
    await next.click()
    await poll(() => range.textContent()).toBe('501–1,000 of 20,002')
    let names = await rowNames(page)
    expect([names.length, names[0], names[499]]).toEqual([500, 'fe_500-w', 'fe_999-w'])
    // by keyboard too: the pager's buttons take Enter
    await next.focus()
    await page.keyboard.press('Enter')
    await poll(() => range.textContent()).toBe('1,001–1,500 of 20,002')
    await previous.focus()
    await page.keyboard.press('Enter')
    await poll(() => range.textContent()).toBe('501–1,000 of 20,002')
    await page.screenshot({ path: resolve(SHOTS, 'job-tasks-page-2.png') })

    // "4 failed" shows the failed ones, wherever they are among the 20,002
    const failed = detail.getByRole('button', { name: '4 failed' })
    await failed.click()
    await poll(() => range.textContent()).toBe('1–4 of 4 failed')
    expect(await failed.getAttribute('aria-pressed')).toBe('true')
    expect(await rowNames(page)).toEqual(['fe_7-w', 'fe_12345-w', 'fe_12346-w', 'fe_19999-w'])
    expect(await next.isDisabled()).toBe(true)
    expect(await detail.locator('[data-task-error="fe_19999-w"]').textContent()).toBe('item 19999 failed')

    // the last one, row 20,000 of the job, opens: its input and output under it
    const name = detail.locator('tr[data-task="fe_19999-w"] button.task-name')
    expect(await name.getAttribute('aria-expanded')).toBe('false')
    await name.click()
    expect(await name.getAttribute('aria-expanded')).toBe('true')
    const opened = detail.locator('[data-task-open="fe_19999-w"]')
    await poll(() => opened.getByLabel('input of fe_19999-w').textContent()).toContain('19999')
    expect(await opened.getByTestId('task-attempt').textContent()).toBe('noop · attempt 1')
    await page.screenshot({ path: resolve(SHOTS, 'job-tasks-failed-1600.png') })
    expect(await layoutProblems(page)).toEqual([])

    // at 1024 px and dark, the same controls fit
    await page.setViewportSize({ width: 1024, height: 768 })
    await page.emulateMedia({ colorScheme: 'dark' })
    await detail.locator('[data-task-counts]').scrollIntoViewIfNeeded()
    await page.screenshot({ path: resolve(SHOTS, 'job-tasks-failed-1024-dark.png') })
    expect(await layoutProblems(page)).toEqual([])
    await page.emulateMedia({ colorScheme: 'light' })
    await page.setViewportSize({ width: 1600, height: 900 })

    // pressed again, the filter goes back to every state, from the first task
    await failed.click()
    await poll(() => range.textContent()).toBe('1–500 of 20,002')
    names = await rowNames(page)
    expect([names[0], names[499]]).toEqual(['fe', 'fe_499-w'])
    expect(await failed.getAttribute('aria-pressed')).toBe('false')
  })

  it('a job with few tasks lists them all, as before, with no pager or filter', async () => {
    await page.goto(`${served.url}/#/jobs/${small}`)
    const detail = page.getByRole('complementary', { name: 'job detail' })
    await poll(() => rowNames(page)).toEqual(['fe', 'fe_1-w', 'fe_2-w'])
    expect(await detail.locator('[data-task-counts]').count()).toBe(0)
    expect(await detail.locator('.task-pager').count()).toBe(0)
    await page.screenshot({ path: resolve(SHOTS, 'job-tasks-few.png') })
  })
})
