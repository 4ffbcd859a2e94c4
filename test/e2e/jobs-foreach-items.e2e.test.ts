// New-user trial (#9): a Rill Flow foreach of 20,000 items, 20 at a time, showed on the Jobs page only
// the 22 tasks made so far and a progress "working…" with no number, while the Workflows page's run
// view said "0/20000 items · 20 running · 19980 waiting" (now grouped: "0/20,000 …", one formatter, itemsDone). The job's detail now shows the items as
// that view counts them (those not made yet included), and its progress as a number; its row in the
// list says "0/20,000 items" instead of "working…" (sqlwait).
import { resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { SHOTS, api, browserSuite, poll, signIn, type Served } from './support'
import { throttledFlow } from './flows'

const THROTTLED = throttledFlow('trial', 'wideThrottled', 20)

const suite = browserSuite({ width: 1400, height: 860 })
let served: Served
let page: Page
let token: string
beforeAll(() => ({ served, page, token } = suite))

describe('a Rill Flow foreach on the Jobs page', () => {
  it('shows its items, those not made yet included, and a progress figure', async () => {
    const { descriptorId } = await api(served.url, token, 'POST', '/api/v1/workflows', { text: THROTTLED })
    const items = Array.from({ length: 20_000 }, (_, i) => i)
    const { jobId } = await api(served.url, token, 'POST', '/api/v1/workflows/submit', { descriptorId, context: { items } })
    await poll(async () => (await api(served.url, token, 'GET', `/api/v1/jobs/${jobId}`)).taskCount).toBe(21)
    await signIn(page, served.url)
    await page.goto(`${served.url}/#/jobs/${jobId}`)
    const detail = page.getByRole('complementary', { name: 'job detail' })
    await poll(() => detail.getByTestId('job-items-each').textContent()).toBe('0/20,000 items · 20 running · 19,980 waiting')
    const bar = detail.getByRole('progressbar')
    expect(await bar.getAttribute('aria-valuenow')).toBe('0')
    // the detail's bar reads as its row's in the list: how many items, not "0%" or "working…"
    // (JobSummary.foreachItems, sqlwait)
    expect(await bar.textContent()).toBe('0/20,000 items')
    const rowBar = page.locator(`tr[data-job-id="${jobId}"]`).getByRole('progressbar')
    await poll(() => rowBar.textContent()).toBe('0/20,000 items')
    expect(await rowBar.getAttribute('aria-valuenow')).toBe('0')
    expect(await rowBar.getAttribute('aria-valuetext')).toBe('0 of 20,000 items done (0%)')
    await page.screenshot({ path: resolve(SHOTS, 'jobs-foreach-items.png') })
    await api(served.url, token, 'POST', `/api/v1/jobs/${jobId}/cancel`)
    await poll(() => detail.getByTestId('job-items-each').textContent()).toBe('0/20,000 items · 20,000 cancelled')
  })
})
