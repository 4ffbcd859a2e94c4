// New-user trial (#9): the progress bar read 50% on a failed Rill Flow job of 40,002 tasks of which
// 39,960 succeeded and 41 failed. The figure was Rill Flow's weighted completion of the top-level
// tasks (a foreach, ended, counts whole; the task after it never ran: 1 of 2). An ended job that did
// not succeed now shows how many of its tasks ran to an end (succeeded, failed or skipped) of all.
import { resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { SHOTS, api, browserSuite, poll, signIn, type Served } from './support'

/** 400 items that pass, then a call that fails, then a task that never runs: 403 tasks, 402 ended. */
const MOSTLY_DONE = `workspace: trial
dagName: mostlyDone
type: flow
tasks:
  - category: foreach
    name: each
    next: callFails
    iterationMapping: {collection: $.input.items, item: it}
    inputMappings: [{source: $.context.items, target: $.input.items}]
    tasks:
      - {category: pass, name: step}
  - {category: function, name: callFails, pattern: task_sync, resourceName: "http://127.0.0.1:1/nothing-listens-here", next: after}
  - {category: pass, name: after}
`

const suite = browserSuite({ width: 1400, height: 860 })
let served: Served
let page: Page
let token: string
beforeAll(() => ({ served, page, token } = suite))

const percent = async (bar: ReturnType<Page['locator']>) => Number(await bar.getAttribute('aria-valuenow'))

describe('a failed job’s progress', () => {
  it('counts the tasks that ended, not the top-level tasks by weight', async () => {
    const { descriptorId } = await api(served.url, token, 'POST', '/api/v1/workflows', { text: MOSTLY_DONE })
    const items = Array.from({ length: 400 }, (_, i) => i)
    const { jobId } = await api(served.url, token, 'POST', '/api/v1/workflows/submit', { descriptorId, context: { items } })
    await poll(async () => (await api(served.url, token, 'GET', `/api/v1/jobs/${jobId}`)).status).toBe('failed')
    const job = await api(served.url, token, 'GET', `/api/v1/jobs/${jobId}`)
    expect(job.taskCount).toBe(403)
    expect(job.taskCounts).toMatchObject({ succeeded: 401, failed: 1 })
    await signIn(page, served.url)
    await page.goto(`${served.url}/#/jobs/${jobId}`)
    const detail = page.getByRole('complementary', { name: 'job detail' })
    await poll(() => detail.getByRole('progressbar').count()).toBe(1)
    // 402 of 403 ended: 99%, floored so that a failed job never reads 100% (was 66%: 2 of 3 top-level tasks)
    expect(await percent(detail.getByRole('progressbar'))).toBe(99)
    expect(await percent(page.locator(`tr[data-job-id="${jobId}"]`).getByRole('progressbar'))).toBe(99)
    await page.screenshot({ path: resolve(SHOTS, 'jobs-failed-progress.png') })
  })
})
