// #9 §5: the job detail's progress bar said 0% for a running foreach whose items were partly done
// ("30/40 items · 10 running"). It shows the run's figure, the same as the Jobs list's (run-progress), and
// names the items' share in its title and aria text; it reads 100% once the job succeeded.
import { resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { SHOTS, api, browserSuite, poll, signIn, type Served } from './support'

/**
 * A foreach over `items` (objects with `go`), all at once: an item with `go: true` passes its suspense
 * at once, the others wait for a wakeup (its `go` written where the input reads it); then a pass task, so the job's own figure (top-level tasks by
 * weight) is half the items' share.
 */
const HALF_HELD = `workspace: trial
dagName: halfHeld
type: flow
tasks:
  - category: foreach
    name: each
    iterationMapping: {collection: $.input.items, item: it}
    synchronization: {maxConcurrency: "100"}
    inputMappings: [{source: $.context.items, target: $.input.items}]
    next: after
    tasks:
      - {category: suspense, name: hold, conditions: ["$.input.[?(@.go == true)]"],
         inputMappings: [{source: $.context.it.go, target: $.input.go}], outputMappings: [{source: $.output.go, target: $.context.it.go}]}
  - {category: pass, name: after}
`

const suite = browserSuite({ width: 1400, height: 860 })
let served: Served
let page: Page
let token: string
beforeAll(() => ({ served, page, token } = suite))

describe('a running foreach in the job detail', () => {
  it("shows the run's figure, as the list does, with its items' share in the title, and 100% once done", async () => {
    const { descriptorId } = await api(served.url, token, 'POST', '/api/v1/workflows', { text: HALF_HELD })
    const items = Array.from({ length: 40 }, (_, i) => ({ go: i < 30 }))
    const { jobId } = await api(served.url, token, 'POST', '/api/v1/workflows/submit', { descriptorId, context: { items } })
    await signIn(page, served.url)
    await page.goto(`${served.url}/#/jobs/${jobId}`)
    const detail = page.getByRole('complementary', { name: 'job detail' })
    await poll(() => detail.getByTestId('job-items-each').textContent()).toBe('30/40 items · 10 running')
    const bar = detail.locator('.detail-meta').getByRole('progressbar')
    // the foreach (75% of its items) and the pass task after it, weighed alike: 37%
    await poll(() => bar.textContent()).toBe('37%')
    expect(await bar.getAttribute('aria-valuenow')).toBe('37')
    expect(await bar.getAttribute('aria-valuetext')).toBe('37% of the run; 30 of 40 items done (75%)')
    expect(await bar.getAttribute('title')).toBe('37% of the run; 30 of 40 items done (75%)')
    const rowBar = page.locator(`tr[data-job-id="${jobId}"]`).getByRole('progressbar')
    expect(await rowBar.getAttribute('aria-valuenow')).toBe('37')
    await page.screenshot({ path: resolve(SHOTS, 'job-items-progress-running.png') })
    const { executionId } = await api(served.url, token, 'GET', `/api/v1/executions/${jobId}`)
    for (let i = 30; i < 40; i++) {
      const q = new URLSearchParams({ execution_id: executionId, task_name: `each_${i}-hold` })
      const res = await fetch(`${served.url}/flow/wakeup.json?${q}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ go: true }) })
      expect(res.status).toBe(200)
    }
    await poll(() => detail.getByTestId('job-items-each').textContent()).toBe('40/40 items')
    await poll(() => bar.textContent()).toBe('100%')
    expect(await bar.getAttribute('aria-valuenow')).toBe('100')
    await page.screenshot({ path: resolve(SHOTS, 'job-items-progress-done.png') })
  })
})
