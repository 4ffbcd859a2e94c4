// #9 impjobs: an import that read its whole file and failed (every line failed) read 100% on the
// Imports page (its status's progress: bytes read of its files) but "ended" on the Jobs page, whose
// bar is the job's own progress, which the engine set to 0 when its one task failed. The executor now
// leaves the bytes read as the job's progress when the import ends, failed or not: one figure for
// every reader (the Jobs page's list and detail, /api/v1/jobs, the Imports page).
import { resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { SHOTS, api, browserSuite, poll, uploadFile, type Served } from './support'

const suite = browserSuite({ width: 1280, height: 800 }, { signedIn: true })
let served: Served
let page: Page
beforeAll(() => ({ served, page } = suite))

describe('a failed import on the Jobs page', () => {
  it('shows the bytes it read, as the Imports page does, in the list and the detail', async () => {
    await api(served.url, suite.token, 'POST', '/api/v1/graphs', { graph: 'readjobs' })
    await api(served.url, suite.token, 'POST', '/api/v1/graphs/readjobs/schema', { schema: [{ label: 'person', type: 'VERTEX', primary: 'id', properties: [{ name: 'id', type: 'INT64' }, { name: 'name', type: 'STRING' }] }] })
    await uploadFile(served.url, suite.token, 'readjobs_bad.csv', 'x,Ann\ny,Bo\nz,Cid\n')
    const start = await api(served.url, suite.token, 'POST', '/api/v1/imports', { graph: 'readjobs', files: [{ path: 'readjobs_bad.csv', format: 'CSV', label: 'person', columns: ['id', 'name'] }], continueOnError: true })
    expect(start.jobId, JSON.stringify(start)).toBeGreaterThan(0)
    await poll(async () => (await api(served.url, suite.token, 'GET', `/api/v1/jobs/${start.jobId}`)).status).toBe('failed')
    const status = await api(served.url, suite.token, 'GET', `/api/v1/imports/${start.taskId}`)
    expect(status).toMatchObject({ status: 'failed', progress: 1, report: { imported: 0, failed: 3 } })
    // the native job agrees with the import's status
    expect((await api(served.url, suite.token, 'GET', `/api/v1/jobs/${start.jobId}`)).progress).toBe(status.progress)

    await page.getByRole('navigation', { name: 'main' }).getByRole('button', { name: 'Jobs', exact: true }).click()
    const row = page.locator(`tr[data-job-id="${start.jobId}"]`)
    await row.waitFor()
    await poll(() => row.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('100')
    // an ended job's bar reads how it ended, the figure in its title (ProgressBar, #9 warnfold)
    expect(await row.getByRole('progressbar').textContent()).toBe('failed')
    expect(await row.getByRole('progressbar').getAttribute('title')).toBe('Failed, 100% of its work done')
    await row.click()
    const detail = page.getByRole('complementary', { name: 'job detail' })
    await poll(() => detail.getByRole('progressbar').first().getAttribute('aria-valuenow')).toBe('100')
    await page.screenshot({ path: resolve(SHOTS, 'import-jobs-progress.png') })
  })
})
