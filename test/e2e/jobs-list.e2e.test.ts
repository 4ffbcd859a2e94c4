// The jobs list under live changes (#8.7): rows update in place, in id order, within the filter,
// with the server's totals; running durations count up.
import { resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { SHOTS, api, browserSuite, poll, signIn, type Served } from './support'

const suite = browserSuite({ width: 1400, height: 900 })
let served: Served
let page: Page
let token: string
beforeAll(() => ({ served, page, token } = suite))

const script = (code: string) => ({ type: 'script', language: 'shell', code })
const rowIds = (p: Page) => p.locator('table.jobs tbody tr[data-job-id]').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-job-id'))))
const range = (p: Page) => p.getByTestId('jobs-range').textContent()
const descending = (ids: number[]) => ids.every((id, i) => i === 0 || ids[i - 1] > id)

async function waitStatus(id: number, status: string): Promise<void> {
  await expect.poll(async () => (await api(served.url, token, 'GET', `/api/v1/jobs/${id}`)).status, { timeout: 15_000 }).toBe(status)
}

describe('Jobs list with more than a page of jobs', () => {
  it('keeps page 1 as listed when an old job is cancelled elsewhere, and takes new jobs from the server', async () => {
    const old = await api(served.url, token, 'POST', '/api/v1/jobs', script('sleep 300')) // job 1, running
    const other = await api(served.url, token, 'POST', '/api/v1/jobs', script('sleep 300')) // job 2, running
    for (let i = 3; i <= 60; i++) await api(served.url, token, 'POST', '/api/v1/jobs', script(`echo job ${i}`))
    await waitStatus(old.id, 'running')
    await waitStatus(other.id, 'running')

    await signIn(page, served.url)
    await poll(() => range(page)).toBe('1–50 of 60')
    expect(await rowIds(page)).toEqual(Array.from({ length: 50 }, (_, i) => 60 - i))

    await api(served.url, token, 'POST', `/api/v1/jobs/${old.id}/cancel`)
    await waitStatus(old.id, 'cancelled')
    await new Promise((r) => setTimeout(r, 1000)) // events have arrived and any refresh is done
    expect(await rowIds(page)).toEqual(Array.from({ length: 50 }, (_, i) => 60 - i)) // not at the top, not in the list
    expect(await range(page)).toBe('1–50 of 60')

    // A burst of submissions from elsewhere: page 1 follows with the server's order and total.
    await Promise.all(Array.from({ length: 12 }, (_, i) => api(served.url, token, 'POST', '/api/v1/jobs', script(`echo burst ${i}`))))
    await expect.poll(() => range(page), { timeout: 10_000 }).toBe('1–50 of 72')
    await poll(async () => (await rowIds(page))[0]).toBe(72)
    const ids = await rowIds(page)
    expect(ids).toHaveLength(50)
    expect(descending(ids)).toBe(true)

    // Page 2 keeps its rows; a change elsewhere says the list changed instead of moving them.
    await page.getByRole('button', { name: 'Older ›' }).click()
    await poll(() => range(page)).toBe('51–72 of 72')
    await poll(async () => (await rowIds(page))[0]).toBe(22) // the range shows the new offset before the rows come
    const page2 = await rowIds(page)
    await api(served.url, token, 'POST', '/api/v1/jobs', script('echo while on page 2'))
    await page.getByRole('button', { name: 'List changed · Refresh' }).waitFor({ timeout: 10_000 })
    expect(await rowIds(page)).toEqual(page2)
    await page.getByRole('button', { name: 'List changed · Refresh' }).click()
    await poll(() => range(page)).toBe('51–73 of 73')
    expect(descending(await rowIds(page))).toBe(true)
    await page.getByRole('button', { name: '‹ Newer' }).click()
  })

  it('a cancelled job leaves the "running" filter, and the total with it', async () => {
    await page.getByLabel('status filter').selectOption('running')
    await poll(() => rowIds(page)).toEqual([2])
    // a job that finished while the list was asked for is re-counted by the server a moment later
    await expect.poll(() => range(page), { timeout: 5000 }).toBe('1–1 of 1')
    await page.screenshot({ path: resolve(SHOTS, 'jobs-running-filter.png') })
    await api(served.url, token, 'POST', '/api/v1/jobs/2/cancel')
    await expect.poll(() => rowIds(page), { timeout: 10_000 }).toEqual([])
    await poll(() => range(page)).toBe('0–0 of 0')
    // and a job that starts running joins it
    const started = await api(served.url, token, 'POST', '/api/v1/jobs', script('sleep 30'))
    await expect.poll(() => rowIds(page), { timeout: 10_000 }).toEqual([started.id])
    await poll(() => range(page)).toBe('1–1 of 1')
  })

  it("counts a running job's duration up, in the list and in its detail", async () => {
    const row = page.locator('table.jobs tbody tr[data-job-id]').first()
    const cell = row.locator('td.duration')
    const first = await cell.textContent()
    await expect.poll(() => cell.textContent(), { timeout: 5000 }).not.toBe(first)
    await row.click()
    const detail = page.getByTestId('job-duration')
    const shown = await detail.textContent()
    await expect.poll(() => detail.textContent(), { timeout: 5000 }).not.toBe(shown)
    await page.screenshot({ path: resolve(SHOTS, 'jobs-running-duration.png') })
  })

  it('beside the open detail, gives up low-value columns so the last header is not cut off (#13.4)', async () => {
    const long = await api(served.url, token, 'POST', '/api/v1/jobs', script(`echo ${'a-rather-long-job-name-'.repeat(6)}`))
    await waitStatus(long.id, 'succeeded')
    await page.goto(`${served.url}/#/jobs/${long.id}`)
    await page.reload() // the first page, with the job's detail open
    await page.locator(`tr[data-job-id="${long.id}"]`).waitFor()
    await page.getByTestId('job-duration').waitFor()
    const headers = () => page.locator('table.jobs thead th').evaluateAll((ths) => ths.filter((th) => th.getBoundingClientRect().width > 0).map((th) => th.textContent!.replace(/[▲▼\s]+$/u, '').trim()))
    const fits = () =>
      page.locator('.table-wrap').evaluate((wrap) => {
        const w = wrap.getBoundingClientRect()
        const last = [...wrap.querySelectorAll('thead th')].filter((th) => th.getBoundingClientRect().width > 0).pop()!.getBoundingClientRect()
        return wrap.scrollWidth <= wrap.clientWidth + 1 && last.right <= w.right + 1
      })
    for (const width of [1200, 1300, 1400]) {
      await page.setViewportSize({ width, height: 900 })
      await poll(fits).toBe(true)
      // at 1400 px a narrower Name makes room for every column; at 1200 px Type and Submitted make
      // way first, so what one watches a job by (status, progress, duration) stays
      if (width === 1400) await poll(headers).toEqual(['', 'ID', 'Name', 'Type', 'Status', 'Progress', 'Submitted', 'Duration'])
      if (width === 1200) await poll(headers).toEqual(['', 'ID', 'Name', 'Status', 'Progress', 'Duration'])
      const shown = await headers()
      expect(shown.slice(0, 2), `at ${width} px`).toEqual(['', 'ID'])
      expect(shown, `at ${width} px`).toEqual(expect.arrayContaining(['Name', 'Status', 'Progress', 'Duration']))
      await page.screenshot({ path: resolve(SHOTS, `jobs-detail-${width}.png`) })
    }
    // wide enough: every column is back
    await page.setViewportSize({ width: 1920, height: 900 })
    await poll(headers).toEqual(['', 'ID', 'Name', 'Type', 'Status', 'Progress', 'Submitted', 'Duration'])
    expect(await fits()).toBe(true)
    // sorted by a column a narrow table would give up, that column stays, so the sort shows
    await page.locator('table.jobs thead').getByRole('button', { name: 'Submitted' }).click()
    await page.setViewportSize({ width: 1100, height: 900 })
    await poll(headers).toContain('Submitted')
    expect(await page.locator('table.jobs thead th[aria-sort="descending"]').textContent()).toContain('Submitted')
    await poll(fits).toBe(true) // and the rest still fit, giving up low-value columns where they must (the layout settles after a resize)
    await page.screenshot({ path: resolve(SHOTS, 'jobs-detail-sorted-submitted-1100.png') })
    await page.locator('table.jobs thead').getByRole('button', { name: 'ID' }).click()
    await page.setViewportSize({ width: 1400, height: 900 })
  })
})
