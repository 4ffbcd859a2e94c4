import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { SHOTS, browserSuite, type Served, downloaded, chooseLanguage, typeScript, mainNav } from './support'

const suite = browserSuite({ width: 1400, height: 860 })
let served: Served
let page: Page
beforeAll(() => ({ served, page } = suite))

const runStatus = () => page.getByTestId('run-status').getAttribute('data-status')
const shownJobId = async () => Number(/#(\d+)/.exec((await page.getByTestId('run-job').textContent()) ?? '')?.[1])

/** Waits for the shown run (a new job, not `previous`) to reach `status`. */
async function expectRun(status: string, previous: number | null, timeout = 10_000): Promise<number> {
  await expect.poll(async () => (await page.getByTestId('run-job').count()) && (await shownJobId()) !== previous, { timeout }).toBe(true)
  await expect.poll(runStatus, { timeout }).toBe(status)
  return shownJobId()
}

describe('Scripts page in Chromium against `serve`', () => {
  let lastJob: number | null = null

  it('runs SQL with Ctrl/Cmd+Enter and shows the result set as a table; exports it as CSV', async () => {
    await page.goto(served.url)
    await page.getByLabel('Password').fill('73@TuGraph')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await mainNav(page, 'Scripts')
    await page.getByRole('heading', { name: 'Scripts', exact: true }).waitFor()

    await chooseLanguage(page, 'SQL')
    await typeScript(page, "select 1 as x, 'two' as y, null as z")
    await page.keyboard.press('ControlOrMeta+Enter')
    lastJob = await expectRun('succeeded', null)

    const table = page.getByTestId('result-table')
    await table.waitFor()
    expect(await table.locator('thead th').allTextContents()).toEqual(['#', 'x', 'y', 'z'])
    expect(await table.locator('tbody tr').first().locator('td').allTextContents()).toEqual(['1', '1', 'two', 'NULL'])
    expect(await table.locator('tbody td .sc-null').count()).toBe(1) // NULL is marked, not the text 'NULL'
    expect(await page.getByTestId('result-count').textContent()).toContain('1 row')
    expect(await page.getByTestId('run-job').textContent()).toBe(`Job #${lastJob} ↗`)
    expect(await page.locator('.progress[role=progressbar]').first().getAttribute('aria-valuenow')).toBe('100')
    await page.screenshot({ path: resolve(SHOTS, 'scripts-sql.png'), animations: 'disabled' })

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()])
    expect(download.suggestedFilename()).toBe(`job-${lastJob}-result-1.csv`)
    expect(readFileSync(await downloaded(download), 'utf8')).toBe('\uFEFFx,y,z\r\n1,two,\r\n')
    expect(await page.getByTestId('export-note').textContent()).toBe(`Saved job-${lastJob}-result-1.csv.`)
  })

  it('substitutes a variable from the variables editor', async () => {
    await typeScript(page, "select '${who}' as greeting")
    expect(await page.getByTestId('unset-variables').textContent()).toContain('${who}')
    await page.getByTestId('unset-variables').getByRole('button', { name: /who/ }).click() // adds a row named who
    await page.getByRole('button', { name: '+ Add variable' }).click()
    await page.getByLabel('variable 2 name').fill('unused')
    await page.getByLabel('variable 1 value').fill('JobDesk')
    expect(await page.getByTestId('unset-variables').count()).toBe(0)
    await page.locator('.sc-builtins summary').click()
    await page.screenshot({ path: resolve(SHOTS, 'scripts-variables.png'), animations: 'disabled' })
    await page.getByRole('button', { name: 'remove variable unused' }).click()
    await page.getByRole('button', { name: 'Run script' }).click()
    lastJob = await expectRun('succeeded', lastJob)
    await expect.poll(() => page.getByTestId('result-table').locator('tbody td').nth(1).textContent()).toBe('JobDesk')
    expect(await page.getByTestId('export-note').count()).toBe(0) // the note was about the previous run's file
    await page.getByRole('button', { name: 'remove variable who' }).click()
  })

  it('pages through a large result set 100 rows at a time', async () => {
    await typeScript(page, 'with recursive n(i) as (select 1 union all select i + 1 from n where i < 250)\nselect i, i * i as sq from n')
    await page.getByRole('button', { name: 'Run script' }).click()
    lastJob = await expectRun('succeeded', lastJob)
    const range = page.getByTestId('result-range')
    await expect.poll(() => range.textContent()).toBe('1–100 of 250')
    expect(await page.getByTestId('result-table').locator('tbody tr').count()).toBe(100)
    await page.getByRole('button', { name: 'next page' }).click()
    await expect.poll(() => range.textContent()).toBe('101–200 of 250')
    expect(await page.getByTestId('result-table').locator('tbody tr td').nth(1).textContent()).toBe('101')
    await page.getByRole('button', { name: 'last page' }).click()
    await expect.poll(() => range.textContent()).toBe('201–250 of 250')
    expect(await page.getByRole('button', { name: 'next page' }).isDisabled()).toBe(true)
    expect(await page.getByTestId('result-table').locator('tbody tr').last().locator('td').allTextContents()).toEqual(['250', '250', '62500'])
    await page.screenshot({ path: resolve(SHOTS, 'scripts-paged.png'), animations: 'disabled' })
  })

  it('runs only the selected text when there is a selection', async () => {
    await typeScript(page, 'select 1 as a;\nselect 2 as b;')
    await page.keyboard.press('End')
    await page.keyboard.press('Shift+Home') // selects line 2
    await page.getByRole('button', { name: 'Run selection' }).click()
    lastJob = await expectRun('succeeded', lastJob)
    await expect.poll(() => page.getByTestId('result-table').locator('thead th').allTextContents()).toEqual(['#', 'b'])
    expect(await page.getByRole('tab').count()).toBe(2) // one result set and the log
  })

  it('shows a failed statement’s error prominently, naming the statement and its line', async () => {
    await typeScript(page, 'select 1 as ok;\n\nselect * from no_such_table;')
    await page.getByRole('button', { name: 'Run script' }).click()
    lastJob = await expectRun('failed', lastJob)
    const error = page.getByTestId('run-error')
    await expect.poll(() => error.textContent()).toContain('statement 2 of 2 (line 3): no such table: no_such_table')
    await expect.poll(() => page.getByLabel('job log').textContent()).toContain('statement 1 of 2 (line 1): 1 row')
    expect(await page.getByRole('tab', { name: 'Log' }).getAttribute('aria-selected')).toBe('true')
    await page.screenshot({ path: resolve(SHOTS, 'scripts-error.png'), animations: 'disabled' })
    await error.getByRole('button', { name: 'Go to line 3' }).click()
    expect(await page.locator('.cm-activeLine').textContent()).toBe('select * from no_such_table;')
  })

  it('kills a running shell script; its output is marked partial in the result header', async () => {
    await chooseLanguage(page, 'Shell')
    await typeScript(page, 'for i in $(seq 1 300); do echo line $i; done; sleep 30')
    await page.getByRole('button', { name: 'Run script' }).click()
    lastJob = await expectRun('running', lastJob)
    await expect.poll(() => page.getByLabel('job log').textContent()).toContain('line 300')
    await page.getByRole('button', { name: /Kill/ }).click()
    await expect.poll(runStatus, { timeout: 5000 }).toBe('cancelled')
    expect(await page.getByTestId('run-error').textContent()).toBe('Cancelled: cancelled by user')
    expect(await page.getByRole('button', { name: /Kill/ }).isDisabled()).toBe(true)
    await page.screenshot({ path: resolve(SHOTS, 'scripts-killed.png'), animations: 'disabled' })
    await page.getByTestId('tab-result-0').click()
    const badge = page.getByTestId('result-state')
    await badge.waitFor()
    expect(await badge.textContent()).toBe('partial')
    expect(await badge.getAttribute('title')).toBe('The job was stopped or failed while this result was being written: lines after the first 300 are missing.')
    await page.screenshot({ path: resolve(SHOTS, 'scripts-partial.png'), animations: 'disabled' })
  })

  it('shows a run as running when the job’s reply, read while it was queued, comes after the “running” event', async () => {
    // the event stream and the reply travel apart: under load the reply read while the job was still
    // queued came second, and the status stood at Queued for the whole run (no later event came)
    const DETAIL = /\/api\/v1\/jobs\/\d+(\?.*)?$/
    const stale = async (route: import('playwright-core').Route) => {
      const answer = await route.fetch()
      const detail = await answer.json()
      await new Promise((ok) => setTimeout(ok, 1500)) // the "running" event is in by now
      await route.fulfill({ response: answer, json: { ...detail, status: 'queued', startedAt: null } })
    }
    await page.route(DETAIL, stale, { times: 1 })
    await chooseLanguage(page, 'Shell')
    await typeScript(page, 'echo started; sleep 30')
    await page.getByRole('button', { name: 'Run script' }).click()
    lastJob = await expectRun('running', lastJob)
    await new Promise((ok) => setTimeout(ok, 2000)) // past the stale reply
    expect(await runStatus()).toBe('running')
    await page.getByRole('button', { name: /Kill/ }).click()
    await expect.poll(runStatus, { timeout: 5000 }).toBe('cancelled')
  })

  it('runs Python and shows its output as a text result', async () => {
    await chooseLanguage(page, 'Python')
    await typeScript(page, 'print(21*2)')
    await page.getByRole('button', { name: 'Run script' }).click()
    lastJob = await expectRun('succeeded', lastJob)
    const text = page.getByTestId('result-text')
    await text.waitFor()
    expect(await page.getByRole('tab', { name: /Result 1/ }).textContent()).toBe('Result 1 · 1 line')
    expect(await text.locator('.sc-line-text').allTextContents()).toEqual(['42'])
    await page.screenshot({ path: resolve(SHOTS, 'scripts-python.png'), animations: 'disabled' })
  })

  it('keeps this session’s runs and reopens the results of an earlier one', async () => {
    const items = page.getByLabel('run history').locator('li')
    expect(await items.count()).toBe(8)
    // Statuses follow the runs to their end, even when a reply arrives after the last event.
    expect(await items.locator('[data-status]').evaluateAll((els) => els.map((e) => e.getAttribute('data-status')))).toEqual([
      'succeeded',
      'cancelled',
      'cancelled',
      'failed',
      'succeeded',
      'succeeded',
      'succeeded',
      'succeeded',
    ])
    expect(await items.first().textContent()).toContain('print(21*2)')
    const first = items.last()
    expect(await first.locator('[data-status]').getAttribute('data-status')).toBe('succeeded')
    await first.getByRole('button', { name: /show run/ }).click()
    await expect.poll(() => page.getByTestId('result-table').locator('thead th').allTextContents()).toEqual(['#', 'x', 'y', 'z'])

    // Edit puts that SQL back into the editor, in SQL.
    await first.getByRole('button', { name: /edit the script/ }).click()
    expect(await page.getByTestId('script-editor').getAttribute('data-language')).toBe('sql')
    expect(await page.getByTestId('script-editor').textContent()).toBe("select 1 as x, 'two' as y, null as z")

    // The job link opens that job on the Jobs page.
    const shown = await shownJobId()
    await page.getByTestId('run-job').click()
    await page.getByRole('heading', { name: 'Jobs' }).waitFor()
    await expect.poll(() => page.getByLabel('job detail').getByRole('heading', { level: 2 }).textContent()).toContain(`#${shown}`)
  })
})
