// One run, one progress figure (#13 trial): the Workflows page's run bar said 76% where the Jobs
// page said 70% for the same failed run. The Workflows page counted Rill Flow's way at read time
// (a failed task as completed); the engine, whose figure the Jobs page shows, updated its own only
// when a task succeeded, so it stopped at the last success. Now the engine's figure is the one
// (Engine.updateProgress), updated as any task ends, and the Workflows page shows it too.
// New-user trial (#9): the bar read 50% on a failed Rill Flow job of 40,002 tasks of which 39,960
// succeeded and 41 failed: Rill Flow's weighted completion of the top-level tasks (a foreach, ended,
// counts whole; the task after it never ran: 1 of 2). An ended job that did not succeed now shows how
// many of its tasks ran to an end (succeeded, failed or skipped) of all.
import { resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { SHOTS, api, browserSuite, poll, signIn, type Served } from './support'
import { openWorkflow } from './workflow-page'

/** The trial's wide workflow: start, eleven passes and a call that fails, then join and a switch. */
const WIDE = `workspace: trial
dagName: wide
type: flow
tasks:
  - {category: pass, name: start, next: "w01,w02,w03,w04,w05,w06,w07,w08,w09,w10,w11,callFails"}
${Array.from({ length: 11 }, (_, i) => `  - {category: pass, name: w${String(i + 1).padStart(2, '0')}, next: join}`).join('\n')}
  - {category: function, name: callFails, pattern: task_sync, resourceName: "http://127.0.0.1:1/nothing-listens-here", next: join}
  - {category: pass, name: join, next: route}
  - category: switch
    name: route
    switches:
      - {condition: "$.context[?(@.mode == 'fast')]", next: fastPath}
      - {condition: default, next: slowPath}
  - {category: pass, name: fastPath}
  - {category: pass, name: slowPath}
`

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

describe('a run’s progress', () => {
  it('is the same figure on the Workflows page, the Jobs list and the job’s detail', async () => {
    await signIn(page, served.url)
    const { jobId } = await openWorkflow(suite, WIDE, {})
    await poll(() => page.getByTestId('execution-status').getAttribute('data-status')).toBe('failed')
    // 13 of its 17 top-level tasks ended (start, w01–w11 and callFails, which failed): 76%
    const onWorkflows = await percent(page.getByTestId('execution-bar').getByRole('progressbar'))
    expect(onWorkflows).toBe(76)
    await page.screenshot({ path: resolve(SHOTS, 'run-progress-workflows.png') })

    await page.getByTestId('execution-job').click()
    await page.getByRole('heading', { name: 'Jobs' }).waitFor()
    const row = page.locator(`tr[data-job-id="${jobId}"]`)
    expect(await percent(row.getByRole('progressbar'))).toBe(onWorkflows)
    const detail = page.getByRole('complementary', { name: 'job detail' })
    await poll(() => detail.getByRole('progressbar').count()).toBe(1)
    expect(await percent(detail.getByRole('progressbar'))).toBe(onWorkflows)
    await page.screenshot({ path: resolve(SHOTS, 'run-progress-jobs.png') })

    // and the API's two views of it agree
    const job = await api(served.url, token, 'GET', `/api/v1/jobs/${jobId}`)
    const execution = await api(served.url, token, 'GET', `/api/v1/executions/${jobId}`)
    expect(Math.round(job.progress * 100)).toBe(onWorkflows)
    expect(execution.progress).toBe(job.progress)
  })
})

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
    // and reads how it ended, not a "99%" that reads as nearly done (warnfold); the figure is in its title
    expect(await detail.getByRole('progressbar').textContent()).toBe('failed')
    expect(await detail.getByRole('progressbar').getAttribute('title')).toBe('Failed, 99% of its work done')
    await page.screenshot({ path: resolve(SHOTS, 'jobs-failed-progress.png') })
  })
})
