import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { SHOTS, api, browserSuite, downloaded, poll, type Served } from './support'

const suite = browserSuite({ width: 1280, height: 800 }, { signedIn: true })
let served: Served
let page: Page
let token: string
beforeAll(() => ({ served, page, token } = suite))

describe('a script job’s result sets on the Jobs page (#9, new user)', () => {
  it('a SQL script run over the API shows its rows and a CSV download on its job detail', async () => {
    const job = await api(served.url, token, 'POST', '/api/v1/jobs', { type: 'script', language: 'sql', code: "SELECT 1 AS n, 'one' AS word UNION ALL SELECT 2, 'two'", name: 'two rows' })
    await poll(async () => (await api(served.url, token, 'GET', `/api/v1/jobs/${job.id}`)).status).toBe('succeeded')
    await page.goto(`${served.url}/#/jobs/${job.id}`)
    // was: code, tasks and the log only; the rows were on the Scripts page alone
    const results = page.getByLabel('job detail').getByTestId('job-results')
    await poll(() => results.locator('tbody tr').count()).toBe(2)
    // named by place as on the Scripts page (every set of a script job is its one task's, `main`)
    expect(await results.getByRole('tab').allTextContents()).toEqual(['Result 1 · 2 rows'])
    expect(await results.locator('thead th').allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('n'), expect.stringContaining('word')]))
    expect(await results.locator('tbody tr').first().textContent()).toContain('one')
    await expect(results.getByRole('button', { name: 'Export Excel' }).isVisible()).resolves.toBe(true)
    const [download] = await Promise.all([page.waitForEvent('download'), results.getByRole('button', { name: 'Export CSV' }).click()])
    expect(download.suggestedFilename()).toBe(`job-${job.id}-result-1.csv`)
    expect(readFileSync(await downloaded(download), 'utf8')).toBe('\uFEFFn,word\r\n1,one\r\n2,two\r\n')
    await page.screenshot({ path: resolve(SHOTS, 'job-script-results.png') })
  })
})
