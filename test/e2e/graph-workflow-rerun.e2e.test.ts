// The Jobs page's "Rerun from failed" for graph workflow jobs (#15.5): a failed job runs again in
// place from its failed component, keeping the job id; the action shows only for graph workflow
// jobs that did not succeed.
import { resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { SHOTS, api, apiLogin, browserSuite, poll, signIn, type Served } from './support'
import { upload } from '../support/upload-files'

const suite = browserSuite({ width: 1400, height: 860 })

let served: Served
let page: Page
beforeAll(() => ({ served, page } = suite))

const detail = () => page.getByRole('complementary', { name: 'job detail' })

describe('Jobs page: graph workflow reruns', () => {
  it('reruns a failed graph workflow job from its failed component, in place', async () => {
    const token = await apiLogin(served.url)
    upload(served.dataDir, 'edges.csv', '1,2\nbroken\n')
    const wf = await api(served.url, token, 'POST', '/api/v1/graph-workflows', {
      document: { name: 'components', components: [{ id: 'WCC_1', kind: 'algorithm', algorithm: 'WCC', input: { kind: 'file', path: 'edges.csv' } }], wires: [] },
    })
    const job = await api(served.url, token, 'POST', `/api/v1/graph-workflows/${wf.id}/jobs`, {})
    await expect.poll(async () => (await api(served.url, token, 'GET', `/api/v1/jobs/${job.id}`)).status, { timeout: 30_000 }).toBe('failed')

    await signIn(page, served.url)
    await page.locator(`tr[data-job-id="${job.id}"]`).click()
    await poll(() => detail().getByTestId('job-headline').textContent()).toContain('edges.csv line 2')
    const again = detail().getByRole('button', { name: 'Rerun from failed' })
    expect(await again.count()).toBe(1)
    await page.screenshot({ path: resolve(SHOTS, 'graph-workflow-rerun-failed.png') })
    upload(served.dataDir, 'edges.csv', '1,2\n2,3\n')
    await again.click()
    await expect.poll(async () => (await api(served.url, token, 'GET', `/api/v1/jobs/${job.id}`)).status, { timeout: 30_000 }).toBe('succeeded')
    await poll(() => detail().locator('[data-status]').first().getAttribute('data-status')).toBe('succeeded')
    // succeeded: nothing failed to rerun, so the action is gone; the whole-job Rerun stays
    expect(await detail().getByRole('button', { name: 'Rerun from failed' }).count()).toBe(0)
    expect(await detail().getByRole('button', { name: 'Rerun', exact: true }).count()).toBe(1)
    expect(await page.locator('table.jobs tbody tr[data-job-id]').count()).toBe(1) // the same job, no new one
    await page.screenshot({ path: resolve(SHOTS, 'graph-workflow-rerun-done.png') })
  })
})
