// The Jobs table as n8n's executions list (#13.2): checkboxes with shift-click ranges, bulk cancel,
// rerun and delete behind a confirmation that says how many, sortable columns, page size, a date
// filter, exact-id search first, a "no match" state, keyboard (arrows, Enter, Esc, /), and a
// detail that says what ran, when, and how.
import { resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { SHOTS, api, browserSuite, signIn, type Served, poll } from './support'

const suite = browserSuite({ width: 1400, height: 860 })

let served: Served
let page: Page
let token: string
beforeAll(() => ({ served, page, token } = suite))

const script = (code: string) => ({ type: 'script', language: 'shell', code })
const rowIds = () => page.locator('table.jobs tbody tr[data-job-id]').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-job-id'))))
const row = (id: number) => page.locator(`tr[data-job-id="${id}"]`)
const statusOf = async (id: number): Promise<string> => (await api(served.url, token, 'GET', `/api/v1/jobs/${id}`)).status
const detail = () => page.getByRole('complementary', { name: 'job detail' })
const focusedRow = () => page.evaluate(() => document.activeElement?.getAttribute('data-job-id'))
const sleepers: number[] = []
const quick: number[] = []

describe('Jobs table: bulk actions', () => {
  it('checks a shift-click range and cancels the three jobs after a confirmation that says three', async () => {
    for (const code of ['echo alpha', 'echo bravo', 'echo charlie']) quick.push((await api(served.url, token, 'POST', '/api/v1/jobs', script(code))).id)
    for (let i = 0; i < 3; i++) sleepers.push((await api(served.url, token, 'POST', '/api/v1/jobs', script(`sleep 300 # sleeper ${i}`))).id)
    await signIn(page, served.url)
    await poll(rowIds).toEqual([...sleepers].reverse().concat([...quick].reverse()))
    for (const id of sleepers) await expect.poll(() => statusOf(id), { timeout: 10_000 }).toBe('running')

    await row(sleepers[2]).getByRole('checkbox').click()
    await row(sleepers[0]).getByRole('checkbox').click({ modifiers: ['Shift'] })
    expect(await page.getByTestId('checked-count').textContent()).toBe('3 checked')
    expect(await page.locator('tr.checked').count()).toBe(3)
    // the boxes say what the store says: all three checked, the shift-clicked one too (#13.2)
    expect(await page.locator('tbody input[type="checkbox"]:checked').count()).toBe(3)
    for (const id of sleepers) expect(await row(id).getByRole('checkbox').isChecked()).toBe(true)
    expect(await page.locator('tr.selected').count()).toBe(0) // a checkbox does not open the detail

    await page.getByRole('region', { name: 'bulk actions' }).getByRole('button', { name: 'Cancel…' }).click()
    const dialog = page.getByRole('dialog')
    expect(await dialog.getByRole('heading').textContent()).toBe('Cancel 3 jobs?')
    expect(await dialog.locator('.confirm-ids').textContent()).toBe(sleepers.map((id) => `#${id}`).reverse().join(', '))
    await page.screenshot({ path: resolve(SHOTS, 'jobs-bulk-confirm.png') })
    await dialog.getByRole('button', { name: 'Cancel 3 jobs' }).click()
    await poll(() => page.getByTestId('bulk-outcome').textContent()).toContain('3 jobs cancelled')
    for (const id of sleepers) await expect.poll(() => statusOf(id), { timeout: 10_000 }).toBe('cancelled')
    for (const id of quick) expect(await statusOf(id)).toBe('succeeded')
    await poll(() => page.locator(`tr[data-job-id="${sleepers[1]}"] [data-status]`).getAttribute('data-status')).toBe('cancelled')
    // what was done fades after a few seconds, as other notices do (trial of #13)
    await expect.poll(() => page.getByTestId('bulk-outcome').count(), { timeout: 15_000 }).toBe(0)
    expect(await page.getByRole('region', { name: 'bulk actions' }).count()).toBe(0)
  })

  it('leaves finished jobs out of a bulk cancel and says so; Back cancels nothing', async () => {
    await row(quick[0]).getByRole('checkbox').click()
    await page.getByRole('region', { name: 'bulk actions' }).getByRole('button', { name: 'Cancel…' }).click()
    expect(await page.getByRole('dialog').getByRole('heading').textContent()).toBe('Cancel 0 jobs?')
    expect(await page.getByRole('dialog').locator('.warn-text').textContent()).toContain('already finished')
    await page.keyboard.press('Escape') // closes the question only
    expect(await page.getByRole('dialog').count()).toBe(0)
    await page.getByRole('button', { name: 'Uncheck all' }).click()
  })

  it('reruns and deletes checked jobs', async () => {
    await row(quick[0]).getByRole('checkbox').click()
    await page.getByRole('region', { name: 'bulk actions' }).getByRole('button', { name: 'Rerun…' }).click()
    await page.getByRole('dialog').getByRole('button', { name: 'Rerun 1 job' }).click()
    await poll(() => page.getByTestId('bulk-outcome').textContent()).toContain('1 job rerun')
    const rerunId = sleepers[2] + 1
    await poll(rowIds).toContain(rerunId)
    await poll(() => statusOf(rerunId)).toBe('succeeded')

    await row(quick[1]).getByRole('checkbox').click()
    await row(quick[2]).getByRole('checkbox').click({ modifiers: ['Shift'] })
    expect(await page.locator('tbody input[type="checkbox"]:checked').count()).toBe(2)
    await page.getByRole('region', { name: 'bulk actions' }).getByRole('button', { name: 'Delete…' }).click()
    expect(await page.getByRole('dialog').getByRole('heading').textContent()).toBe('Delete 2 jobs?')
    await page.getByRole('dialog').getByRole('button', { name: 'Delete 2 jobs' }).click()
    await poll(() => page.getByTestId('bulk-outcome').textContent()).toContain('2 jobs deleted')
    await poll(rowIds).not.toContain(quick[1])
    expect(await rowIds()).not.toContain(quick[2])
    expect((await api(served.url, token, 'GET', `/api/v1/jobs/${quick[1]}`)).error.kind).toBe('not_found')
  })
})

describe('Jobs table: sorting, search, filters, keyboard', () => {
  it('pads no sortable header but the Jobs table\'s (its sort button pads itself)', async () => {
    const paddings = await page.evaluate(() => {
      const other = document.createElement('table')
      other.innerHTML = '<thead><tr><th aria-sort="none">other</th></tr></thead>'
      document.body.append(other)
      const pad = (th: Element | null) => (th ? getComputedStyle(th).paddingLeft : 'missing')
      const result = { jobs: pad(document.querySelector('table.jobs th[aria-sort]')), other: pad(other.querySelector('th')) }
      other.remove()
      return result
    })
    expect(paddings.jobs).toBe('0px')
    expect(paddings.other).not.toBe('0px')
  })

  it('sorts by a column header, both ways', async () => {
    await page.getByRole('button', { name: 'Name', exact: true }).click()
    await poll(async () => (await rowIds())[0]).toBe(sleepers[2]) // "sleep 300 # sleeper 2" is the last name
    expect(await page.locator('th[aria-sort="descending"]').textContent()).toContain('Name')
    await page.getByRole('button', { name: 'Name', exact: true }).click()
    await poll(async () => (await rowIds())[0]).toBe(quick[0]) // "echo alpha"
    await page.getByRole('button', { name: 'ID', exact: true }).click() // back to newest first
    await poll(async () => (await rowIds())[0]).toBe(sleepers[2] + 1)
  })

  it('"/" focuses the search; an id matches that job first; a search that hides everything says no match', async () => {
    await page.locator('body').click({ position: { x: 700, y: 840 } })
    await page.keyboard.press('/')
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('search jobs')
    await page.keyboard.type(String(quick[0]))
    await poll(async () => (await rowIds())[0]).toBe(quick[0])
    await page.keyboard.type('zzz-no-such-job')
    await poll(() => page.getByTestId('jobs-empty').textContent()).toContain('No job matches these filters.')
    await page.screenshot({ path: resolve(SHOTS, 'jobs-no-match.png') })
    await page.getByRole('button', { name: 'Clear filters' }).click()
    await poll(async () => (await rowIds()).length).toBe(5)
    expect(await page.getByLabel('search jobs').inputValue()).toBe('')
  })

  it('filters by submit time and changes the page size', async () => {
    await page.getByLabel('submitted', { exact: true }).selectOption('hour')
    await poll(async () => (await rowIds()).length).toBe(5)
    await page.getByLabel('submitted', { exact: true }).selectOption('custom')
    await page.getByLabel('submitted from').fill('2099-01-01')
    await poll(() => page.getByTestId('jobs-empty').textContent()).toContain('No job matches')
    // a range typed the wrong way round said only "No job matches these filters" (#9 new-user LOW)
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000 - new Date().getTimezoneOffset() * 60_000).toISOString().slice(0, 10)
    await page.getByLabel('submitted from').fill(day(6))
    await page.getByLabel('submitted to').fill(day(-3))
    const reversed = page.locator('.filters').getByRole('alert')
    await poll(() => reversed.textContent()).toBe(`The range is reversed: ${day(6)} is after ${day(-3)}. Swap`)
    await page.screenshot({ path: resolve(SHOTS, 'jobs-range-reversed.png') })
    await reversed.getByRole('button', { name: 'Swap' }).click()
    expect([await page.getByLabel('submitted from').inputValue(), await page.getByLabel('submitted to').inputValue()]).toEqual([day(-3), day(6)])
    await poll(async () => (await rowIds()).length).toBe(5)
    expect(await reversed.count()).toBe(0)
    await page.getByLabel('submitted', { exact: true }).selectOption('any')
    await poll(async () => (await rowIds()).length).toBe(5)
    await page.getByLabel('rows per page').selectOption('20')
    expect(await page.getByTestId('jobs-range').textContent()).toBe('1–5 of 5')
  })

  it('moves between rows with the arrow keys, opens one with Enter and closes it with Esc', async () => {
    const ids = await rowIds()
    await row(ids[0]).focus()
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('ArrowDown')
    expect(await focusedRow()).toBe(String(ids[2]))
    await page.keyboard.press('ArrowUp')
    expect(await focusedRow()).toBe(String(ids[1]))
    await page.keyboard.press('Enter')
    await poll(() => detail().getByRole('heading', { level: 2 }).textContent()).toContain(`#${ids[1]}`)
    await page.keyboard.press('Escape')
    await poll(() => detail().getByRole('heading', { level: 2 }).count()).toBe(0)
    expect(await focusedRow()).toBe(String(ids[1])) // focus goes back to the row
    await page.keyboard.press('Space')
    expect(await page.getByTestId('checked-count').textContent()).toBe('1 checked')
    await page.getByRole('button', { name: 'Uncheck all' }).click()
  })
})

describe('job detail', () => {
  it('shows what ran, when, how long it queued, the language, who submitted it and through which dialect, and "rerun of"', async () => {
    const rerunId = sleepers[2] + 1
    await row(rerunId).click()
    const d = detail()
    await poll(() => d.getByTestId('job-code').textContent()).toBe('echo alpha')
    expect(await d.getByTestId('job-language').textContent()).toContain('shell')
    expect(await d.getByTestId('job-submitter').textContent()).toBe('admin via JobDesk')
    for (const id of ['job-submitted', 'job-started', 'job-finished']) expect(await d.getByTestId(id).textContent()).toMatch(/\d{2}:\d{2}:\d{2}/)
    expect(await d.getByTestId('job-queued').textContent()).toMatch(/^\d+ ms$|^\d+(\.\d)? s$/)
    expect(await d.getByTestId('rerun-of').textContent()).toBe(`#${quick[0]}`)
    await page.screenshot({ path: resolve(SHOTS, 'jobs-detail-facts.png') })

  })
})
