// #9 tfui L6: a Rill Flow job whose suspense task waits for its wakeup (wakeup.json) showed "working…"
// beside an indeterminate bar on the Jobs page, for minutes, while it did nothing but wait. Now its
// waitingReason says what it waits for ("waiting for its wakeup"): the bar reads "waiting…" (no sliding
// fill), that reason its title, and the detail's Waiting fact says it. 1280×800 and 900×600.
import { resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { SHOTS, api, browserSuite, poll, type Served } from './support'

const HOLDS = `workspace: tfui
dagName: waitsForWakeup
type: flow
tasks:
  - {category: suspense, name: hold, conditions: ["$.input.[?(@.go == true)]"],
     inputMappings: [{source: $.context.go, target: $.input.go}]}
`

const suite = browserSuite({ width: 1280, height: 800 }, { signedIn: true })
let served: Served
let page: Page
let token: string
beforeAll(() => ({ served, page, token } = suite))

describe('a job waiting for its wakeup (tfui trial)', () => {
  it('says it waits for its wakeup, not "working…", with no sliding bar', async () => {
    const flow = await api(served.url, token, 'POST', '/api/v1/workflows', { text: HOLDS })
    const { jobId } = await api(served.url, token, 'POST', '/api/v1/workflows/submit', { descriptorId: flow.descriptorId })
    await poll(async () => (await api(served.url, token, 'GET', `/api/v1/jobs/${jobId}`)).waitingReason).toBe('waiting for its wakeup')
    await page.goto(`${served.url}/#/jobs`)
    const row = page.locator(`tr[data-job-id="${jobId}"]`)
    await poll(() => row.locator('.progress-label').textContent()).toBe('waiting…')
    expect(await row.locator('.progress').getAttribute('title')).toBe('waiting for its wakeup')
    expect(await row.locator('.progress-indeterminate').count()).toBe(0)
    await row.click()
    const detail = page.getByRole('complementary', { name: 'job detail' })
    await poll(() => detail.getByTestId('job-waiting').textContent()).toBe('waiting for its wakeup')
    expect(await detail.locator('.detail-meta .progress-label').textContent()).toBe('waiting…')
    await page.screenshot({ path: resolve(SHOTS, 'tfui-jobs-wakeup-1280.png') })
    await page.setViewportSize({ width: 900, height: 600 })
    await page.screenshot({ path: resolve(SHOTS, 'tfui-jobs-wakeup-900.png') })
    await page.setViewportSize({ width: 1280, height: 800 })
    await api(served.url, token, 'POST', `/api/v1/jobs/${jobId}/cancel`)
  })
})
