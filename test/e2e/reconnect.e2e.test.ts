// The server goes away and comes back on the same data and port (#8.12, #8.11): the page says it
// is reconnecting instead of "Failed to fetch", then reloads what it shows; the script the stop
// killed shows as interrupted, not running.
import { resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { SHOTS, api, apiLogin, browserSuite, signIn, startServe, type Served } from './support'

const suite = browserSuite({ width: 1400, height: 860 })
let served: Served
let page: Page
beforeAll(() => ({ served, page } = suite))

describe('when serve stops and starts again', () => {
  it('shows a reconnecting banner, then reloads the page with the interrupted job failed', async () => {
    let token = await apiLogin(served.url)
    const job = await api(served.url, token, 'POST', '/api/v1/jobs', { type: 'script', language: 'shell', code: 'echo started; sleep 300' })
    await signIn(page, served.url)
    const row = page.locator(`tr[data-job-id="${job.id}"]`)
    await expect.poll(() => row.locator('[data-status]').getAttribute('data-status'), { timeout: 10_000 }).toBe('running')
    await row.click()
    await expect.poll(() => page.getByLabel('job log', { exact: true }).textContent()).toContain('started')

    const { dataDir, port } = served
    expect(await served.halt('SIGINT')).toBe(0)
    const banner = page.getByTestId('reconnecting')
    await banner.waitFor({ timeout: 10_000 })
    expect(await banner.textContent()).toMatch(/^Reconnecting to JobDesk…/)
    // A click that needs the server says so plainly.
    await page.getByLabel('status filter').selectOption('failed')
    await expect.poll(() => page.locator('.jobs-main .error-text').textContent()).toBe('JobDesk is not reachable; reconnecting…')
    expect(await page.content()).not.toContain('Failed to fetch')
    await page.screenshot({ path: resolve(SHOTS, 'reconnecting.png') })

    suite.served = served = await startServe({ dataDir, port })
    await banner.waitFor({ state: 'detached', timeout: 15_000 })
    // The page lists again (the filter it shows: failed) and the job's detail is reloaded.
    await expect.poll(() => row.locator('[data-status]').getAttribute('data-status'), { timeout: 10_000 }).toBe('failed')
    await expect.poll(() => page.getByTestId('job-headline').textContent()).toMatch(/interrupted: JobDesk stopped while this task was running/)
    expect(await page.locator('.jobs-main .error-text').count()).toBe(0)

    // Events flow again: a job submitted now turns up by itself.
    await page.getByLabel('status filter').selectOption('')
    token = await apiLogin(served.url)
    const fresh = await api(served.url, token, 'POST', '/api/v1/jobs', { type: 'script', language: 'shell', code: 'echo back' })
    await expect.poll(() => page.locator(`tr[data-job-id="${fresh.id}"] [data-status]`).getAttribute('data-status'), { timeout: 10_000 }).toBe('succeeded')
    await page.screenshot({ path: resolve(SHOTS, 'reconnected.png') })
  })
})
