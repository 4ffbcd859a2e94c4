// New-user trial #10 (MEDIUM): Scripts → "Runs this session" kept a run that was running when the
// page was left as "running" for good once that job was cancelled and deleted elsewhere (Jobs page,
// API): resync() (renderer/src/stores/scripts.ts) asked jobs.get for each unfinished entry and
// dropped the 404, and opening it showed "Job N does not exist." above a run panel stuck at
// "Loading…". Now a job_not_found marks the entry deleted, and opening it says the job was deleted.
import { resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { SHOTS, api, browserSuite, poll, signIn, writeScript, type Served } from './support'

const suite = browserSuite({ width: 1400, height: 860 })
let served: Served
let page: Page
let token: string
beforeAll(() => ({ served, page, token } = suite))

const entry = (id: number) => page.getByRole('region', { name: 'run history' }).locator(`li[data-job-id="${id}"]`)

describe('new user #10: a session run deleted while the Scripts page was away', () => {
  it('is listed as deleted after the page comes back, and opening it says so', { timeout: 120_000 }, async () => {
    await signIn(page, served.url)
    await page.goto(`${served.url}/#/scripts`)
    await writeScript(page, 'Shell', 'sleep 300')
    await page.keyboard.press('ControlOrMeta+Enter')
    await poll(async () => Number(/#(\d+)/.exec((await page.getByTestId('run-job').textContent()) ?? '')?.[1])).toBeGreaterThan(0)
    const id = Number(/#(\d+)/.exec((await page.getByTestId('run-job').textContent()) ?? '')![1])
    await poll(() => entry(id).textContent()).toContain('running')

    // the user leaves the app; the run is cancelled and cleaned up elsewhere
    await page.goto('about:blank')
    await api(served.url, token, 'POST', `/api/v1/jobs/${id}/cancel`)
    await poll(async () => (await api(served.url, token, 'GET', `/api/v1/jobs/${id}`)).status).toBe('cancelled')
    expect((await api(served.url, token, 'DELETE', `/api/v1/jobs/${id}`)).deleted).toBe(true)

    await page.goto(`${served.url}/#/scripts`)
    await entry(id).waitFor()
    await page.screenshot({ path: resolve(SHOTS, 'newuser10-scripts-deleted-run.png') })
    // was: "#N Shell running" for good, though job N no longer exists
    await poll(() => entry(id).textContent()).not.toContain('running')
    expect(await entry(id).locator('[data-status="deleted"]').count()).toBe(1)
    await entry(id).getByRole('button', { name: `show run ${id}: sleep 300` }).click()
    await poll(async () => (await page.getByTestId('run-deleted').textContent().catch(() => '')) ?? '').toContain(`Job #${id} was deleted`)
    const panel = (await page.getByRole('region', { name: 'run', exact: true }).textContent()) ?? ''
    expect(panel).not.toContain('Loading…')
    expect(panel).not.toContain('does not exist')
    await page.screenshot({ path: resolve(SHOTS, 'newuser10-scripts-deleted-run-opened.png') })
  })
})
