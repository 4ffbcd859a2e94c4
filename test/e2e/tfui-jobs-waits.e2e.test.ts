// #9 tfui L6: a Rill Flow job whose suspense task waits for its wakeup (wakeup.json) showed "working…"
// beside an indeterminate bar on the Jobs page, for minutes, while it did nothing but wait. Now its
// waitingReason says what it waits for ("waiting for its wakeup"): the bar reads "waiting…" (no sliding
// fill), that reason its title, and the detail's Waiting fact says it. 1280×800 and 900×600.
import { resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { foreachWorkflow } from '../support/workflows'
import { SHOTS, api, browserSuite, poll, type Served } from './support'

const HOLDS = `workspace: tfui
dagName: waitsForWakeup
type: flow
tasks:
  - {category: suspense, name: hold, conditions: ["$.input.[?(@.go == true)]"],
     inputMappings: [{source: $.context.go, target: $.input.go}]}
`

// #9 trial: a foreach of 3,000 suspense tasks; its detail said "task each: waiting for its answer"
// (the foreach, not the wakeup its items wait for) and "0/3000 items · 3000 running" beside the
// list's "0/3,000 items"
const EACH_WAITS = foreachWorkflow(
  'tfui:eachWaits',
  `      - {category: suspense, name: hold, conditions: ["$.input.[?(@.go == true)]"], inputMappings: [{source: $.context.it, target: $.input.it}]}
`,
)

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

describe('a foreach of 3,000 items that each wait for a wakeup (#9 trial)', () => {
  it('says its items wait for their wakeup, and counts them as the list does, digits grouped', async () => {
    const flow = await api(served.url, token, 'POST', '/api/v1/workflows', { text: EACH_WAITS })
    const items = Array.from({ length: 3000 }, (_, i) => i)
    const { jobId } = await api(served.url, token, 'POST', '/api/v1/workflows/submit', { descriptorId: flow.descriptorId, context: { items } })
    const reason = 'task each_0-hold: waiting for its wakeup; 2,999 more of its tasks wait too'
    await expect.poll(async () => (await api(served.url, token, 'GET', `/api/v1/jobs/${jobId}`)).waitingReason, { timeout: 60_000 }).toBe(reason)
    await page.goto(`${served.url}/#/jobs`)
    const row = page.locator(`tr[data-job-id="${jobId}"]`)
    await poll(() => row.locator('.progress-label').textContent()).toBe('0/3,000 items')
    await row.click()
    const detail = page.getByRole('complementary', { name: 'job detail' })
    await poll(() => detail.getByTestId('job-waiting').textContent()).toBe(reason)
    // the list's words: one formatter (itemsDone), the notes' figures grouped too
    await poll(() => detail.getByTestId('job-items-each').textContent()).toBe('0/3,000 items · 3,000 running')
    await page.screenshot({ path: resolve(SHOTS, 'tfui-jobs-foreach-waits-1280.png') })
    await page.setViewportSize({ width: 900, height: 600 })
    await page.screenshot({ path: resolve(SHOTS, 'tfui-jobs-foreach-waits-900.png') })
    await page.setViewportSize({ width: 1280, height: 800 })
    await api(served.url, token, 'POST', `/api/v1/jobs/${jobId}/cancel`)
  }, 120_000)
})
