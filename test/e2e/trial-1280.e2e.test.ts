// #13.1-#13.6 trials at 1280×800, one serve and page for all of them: form errors in words (first:
// its Workflows test starts from the page as a new user sees it), the Jobs filters over a reload
// (before any other job is made: it counts the list's rows), and a fan-out drawn in YAML order.
import { resolve } from 'node:path'
import type { Locator, Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { onePassFlow, WIDE_FLOW } from './flows'
import { SHOTS, api, browserSuite, poll, saveScriptAs, signIn, type Served } from './support'
import { openWorkflow } from './workflow-page'

const suite = browserSuite({ width: 1280, height: 800 })
let served: Served
let page: Page
beforeAll(() => ({ served, page } = suite))

// #13.6 trial: "readable form errors instead of validator text". Settings' password and user forms
// say what is wrong in words; these forms still show the server's JSON Schema message as it is
// (`body field "alias" must match pattern "^[a-zA-Z0-9]+$"`), naming API fields and regexes.

/** What a validator says that a person would not: the request's wording, schema keywords, regexes, camelCase field names. */
const VALIDATOR_TEXT = /body field|must NOT|must match pattern|\^\[|timeoutSeconds|"to"|\bto must\b/

/** The error the form shows: in words, naming the field as the form labels it. */
async function expectReadable(error: Locator, field: RegExp, shot: string): Promise<void> {
  await poll(() => error.count()).toBeGreaterThan(0)
  await page.screenshot({ path: resolve(SHOTS, shot) })
  const text = (await error.first().textContent()) ?? ''
  expect(text).not.toMatch(VALIDATOR_TEXT)
  expect(text).toMatch(field)
}

describe('form errors in words', () => {
  it('Workflows: an alias with a space or "!" says which characters an alias may have', async () => {
    await signIn(page, served.url)
    await page.goto(`${served.url}/#/workflows`)
    await page.getByPlaceholder('alias (optional)').fill('bad alias!')
    await page.getByRole('button', { name: 'Save', exact: true }).click()
    await expectReadable(page.locator('.error-text, [role=alert]').filter({ hasText: /alias/i }), /alias/i, 'trial4-form-alias.png')
  })

  it('New shell job: a timeout that is not a positive number is said in words', async () => {
    for (const timeout of ['abc', '0']) {
      await page.goto(`${served.url}/#/jobs`)
      await page.getByRole('button', { name: 'New shell job' }).click()
      const dialog = page.getByRole('dialog', { name: 'new shell job' })
      await dialog.getByLabel('Timeout (seconds, optional)').fill(timeout)
      await dialog.getByRole('button', { name: 'Run' }).click()
      await expectReadable(dialog.locator('.error-text'), /timeout/i, `trial4-form-timeout-${timeout}.png`)
      await dialog.getByRole('button', { name: 'Close' }).click()
    }
  })

  it('Graphs: a graph name longer than allowed says how long it may be', async () => {
    await page.goto(`${served.url}/#/graph/graphs`)
    await page.getByLabel('new graph name').fill('g'.repeat(80))
    await page.getByRole('button', { name: 'Create graph' }).click()
    await expectReadable(page.getByRole('region', { name: 'graphs' }).locator('.error-text, [role=alert]'), /name/i, 'trial4-form-graph-name.png')
  })

  it('Saved scripts: renaming to an empty name says the name is needed', async () => {
    await page.goto(`${served.url}/#/scripts`)
    const side = page.getByRole('region', { name: 'saved scripts' })
    await saveScriptAs(page, 'reports/daily')
    const row = page.getByTestId('saved-reports/daily')
    await row.waitFor()
    await row.locator('.sc-tree-row').hover()
    await page.getByRole('button', { name: 'rename reports/daily', exact: true }).click()
    await page.getByLabel('new path of reports/daily').fill('')
    await page.getByLabel('new path of reports/daily').press('Enter')
    await expectReadable(side.getByRole('alert'), /name|path/i, 'trial4-form-rename-empty.png')
  })
})

// #13.1/#13.2 trial: on the Jobs page a user narrows the list (search "t5:wide", status, type) and
// reloads, or follows a workflow's "Show its runs on the Jobs page": the URL stays "#/jobs" and a
// reload shows the whole unfiltered list again, so the view cannot be kept or shared (n8n's
// executions list keeps its filters in the URL).
const FLOW = onePassFlow('trial', 'kept')

describe('Jobs: the filters over a reload', () => {
  it('a search, status and type filter are kept over a reload', async () => {
    const { page, served, token } = suite
    const { descriptorId } = await api(served.url, token, 'POST', '/api/v1/workflows', { text: FLOW })
    const { jobId } = await api(served.url, token, 'POST', '/api/v1/workflows/submit', { descriptorId })
    await poll(async () => (await api(served.url, token, 'GET', `/api/v1/jobs/${jobId}`)).status).toBe('succeeded')
    await api(served.url, token, 'POST', '/api/v1/jobs', { type: 'script', language: 'shell', code: 'echo other' }) // one the filters hide
    await signIn(page, served.url)
    const search = page.getByPlaceholder(/^Search id/)
    await search.fill('trial:kept')
    const status = page.locator('select').filter({ has: page.locator('option', { hasText: 'any status' }) })
    await status.selectOption('succeeded')
    const type = page.locator('select').filter({ has: page.locator('option', { hasText: 'any type' }) })
    await type.selectOption('workflow')
    await poll(() => page.locator('tbody tr').count()).toBe(1)
    await page.reload()
    await page.getByRole('heading', { name: 'Jobs' }).waitFor()
    await page.waitForTimeout(1000) // the list's first answer
    await page.screenshot({ path: resolve(SHOTS, 'trial5-jobs-filters-reload.png') })
    expect(await search.inputValue()).toBe('trial:kept')
    expect(await status.inputValue()).toBe('succeeded')
    expect(await type.inputValue()).toBe('workflow')
    expect(await page.locator('tbody tr').count()).toBe(1)
  })

  it('back and forward walk through filter changes, and a shared link opens the same list, sorted', async () => {
    const { page, served } = suite
    await page.goto(`${served.url}/#/jobs`)
    await page.getByRole('heading', { name: 'Jobs' }).waitFor()
    const status = page.getByRole('combobox', { name: 'status filter' })
    const type = page.getByRole('combobox', { name: 'type filter' })
    const search = page.getByRole('searchbox', { name: 'search jobs' })
    await search.fill('')
    await status.selectOption('')
    await type.selectOption('')
    await poll(() => page.locator('tbody tr').count()).toBe(2)
    // typing a search rewrites the entry it started on: one Back does not step through each key
    const entries = await page.evaluate(() => history.length)
    await search.pressSequentially('trial')
    await poll(() => page.evaluate(() => location.hash)).toBe('#/jobs?q=trial')
    expect(await page.evaluate(() => history.length)).toBe(entries)
    await search.fill('')
    await poll(() => page.evaluate(() => location.hash)).toBe('#/jobs')
    await type.selectOption('script')
    await poll(() => page.evaluate(() => location.hash)).toBe('#/jobs?type=script')
    await poll(() => page.locator('tbody tr').count()).toBe(1)
    await page.getByRole('button', { name: 'Name', exact: true }).click()
    await poll(() => page.evaluate(() => location.hash)).toBe('#/jobs?type=script&sort=name')
    await page.goBack()
    await poll(() => page.evaluate(() => location.hash)).toBe('#/jobs?type=script')
    await page.goBack()
    await poll(() => type.inputValue()).toBe('')
    await poll(() => page.locator('tbody tr').count()).toBe(2)
    await page.goForward()
    await poll(() => type.inputValue()).toBe('script')
    await poll(() => page.locator('tbody tr').count()).toBe(1)

    // a link sent to someone not signed in yet: after signing in, the list is the link's
    const shared = await suite.browser.newPage({ viewport: { width: 1280, height: 800 } })
    await shared.addInitScript(() => sessionStorage.setItem('jobdesk.passwordPrompt.skipped', 'admin'))
    await shared.goto(`${served.url}/#/jobs?q=trial%3Akept&sort=name&order=asc`)
    await shared.getByLabel('Password').fill('73@TuGraph')
    await shared.getByRole('button', { name: 'Sign in' }).click()
    await shared.getByRole('heading', { name: 'Jobs' }).waitFor()
    await poll(() => shared.locator('tbody tr').count()).toBe(1)
    expect(await shared.getByRole('searchbox', { name: 'search jobs' }).inputValue()).toBe('trial:kept')
    expect(await shared.locator('th[aria-sort="ascending"]').textContent()).toContain('Name')
    await shared.close()
  })
})

// #13.3 trial: a task whose `next` lists twelve tasks ("w01,…,w12") is drawn with its branches in
// the reverse of that order: top-down, w12 is leftmost and w01 rightmost; left-right, w12 is on top.
// The issue asks for branches in YAML order, as Airflow and Dagster draw a fan-out.
const WIDE = WIDE_FLOW.replace('dagName: wide', 'dagName: fanout')
const BRANCHES = Array.from({ length: 12 }, (_, i) => `w${String(i + 1).padStart(2, '0')}`)

/** The branches' names ordered by where they are drawn along `axis` (left to right, or top to bottom). */
const drawnOrder = (axis: 'x' | 'y') =>
  page.evaluate(
    ({ names, axis }) =>
      names
        .map((n) => ({ n, at: document.querySelector(`[data-testid="wf-node-${n}"]`)!.getBoundingClientRect()[axis] }))
        .sort((a, b) => a.at - b.at)
        .map((e) => e.n),
    { names: BRANCHES, axis },
  )

describe('Workflows: a fan-out is drawn in YAML order', () => {
  it('top-down left to right, and left-right top to bottom, as `next` lists them', async () => {
    await signIn(page, served.url)
    await openWorkflow(suite, WIDE)
    await poll(() => page.locator('.wf-node').count()).toBe(14)
    await page.screenshot({ path: resolve(SHOTS, 'trial5-fanout-top-down.png') })
    expect(await drawnOrder('x')).toEqual(BRANCHES)
    await page.getByRole('button', { name: '→ Left-right' }).click()
    await poll(() => drawnOrder('y')).toEqual(BRANCHES)
  })
})
