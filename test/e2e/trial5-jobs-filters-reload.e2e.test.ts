// #13.1/#13.2 trial: on the Jobs page a user narrows the list (search "t5:wide", status, type) and
// reloads, or follows a workflow's "Show its runs on the Jobs page": the URL stays "#/jobs" and a
// reload shows the whole unfiltered list again, so the view cannot be kept or shared (n8n's
// executions list keeps its filters in the URL).
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { SHOTS, api, browserSuite, poll, signIn } from './support'

const FLOW = `workspace: trial
dagName: kept
type: flow
tasks:
  - {category: pass, name: only}
`

const suite = browserSuite({ width: 1280, height: 800 })

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
