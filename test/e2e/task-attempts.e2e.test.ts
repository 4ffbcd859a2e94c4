// #9 LOW "attempts after redo", in the page, each failing before its fix: after 3 redo.json calls on
// one task, the Workflows task panel's header said "Attempt 1" and its invoke history's "#" 1, 1 (redo),
// … while its log's picker said "attempt 4 of 4"; and the Jobs page showed that task's log with no
// attempt choice at all (its job log holds every attempt's lines, one after another). And the graph node
// showed the stored try counter as "try 2" with no attempt, and nothing at all for a redo's attempt.
import { resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { SHOTS, api, browserSuite, layoutProblems, poll, rillCall, taskEndpoint, type Served } from './support'

vi.setConfig({ testTimeout: 120_000 })

const suite = browserSuite({ width: 1280, height: 800 }, { signedIn: true })
let served: Served
let page: Page
let token: string
beforeAll(() => ({ served, page, token } = suite))

/** A task endpoint that fails its first call and answers every later one. */
const service = taskEndpoint((n) => (n === 1 ? { result_type: 'FAILED', error_msg: 'first call fails' } : { done: n }))

/** One that fails its first call only: a task retried once succeeds on its second try. */
const retried = taskEndpoint((n) => (n === 1 ? { result_type: 'FAILED', error_msg: 'first try fails' } : { done: n }))

/** A Rill Flow call of the admin. */
const rill = (method: string, path: string, body: string, type?: string) => rillCall(served.url, token, method, path, body, type)

const ATTEMPTS = ['attempt 1 of 4', 'attempt 2 of 4 (redo)', 'attempt 3 of 4 (redo)', 'attempt 4 of 4 (redo, latest)']
const logTexts = (p: Page, where: string) => p.locator(`${where} .log .log-text`).allTextContents()

let descriptorId: string
let jobId: number
/** Waits until the job's status is `want` (expect.poll is for tests only). */
async function untilStatus(want: string): Promise<void> {
  const end = Date.now() + 20_000
  for (;;) {
    const { status } = await api(served.url, token, 'GET', `/api/v1/jobs/${jobId}`)
    if (status === want) return
    if (Date.now() > end) throw new Error(`job ${jobId} is ${status}, not ${want}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}
beforeAll(async () => {
  const flow = `workspace: attempts\ndagName: redo3\ntype: flow\ntasks:\n  - {category: function, name: call, pattern: task_sync, resourceName: "${service.url}"}\n`
  descriptorId = (await rill('POST', '/flow/bg/manage/descriptor/add_descriptor.json', flow, 'text/plain')).descriptor_id
  const { execution_id: executionId } = await rill('POST', `/flow/submit.json?descriptor_id=${descriptorId}`, '{}')
  const jobs = (await api(served.url, token, 'GET', '/api/v1/jobs?type=workflow')) as { items: { id: number; labels: Record<string, string> }[] }
  jobId = jobs.items.find((j) => j.labels.executionId === executionId)!.id
  await untilStatus('failed')
  for (let i = 0; i < 3; i++) {
    await rill('POST', `/flow/redo.json?execution_id=${encodeURIComponent(executionId)}&task_names=call`, '{}')
    await untilStatus('succeeded')
  }
})

describe('a task redone 3 times', () => {
  it('is numbered alike in the Workflows task panel: header, invoke history and log picker', async () => {
    await page.goto(`${served.url}/#/workflows/${encodeURIComponent(descriptorId)}?execution=${jobId}`)
    await page.getByTestId('wf-node-call').click()
    const detail = page.getByLabel('task detail')
    const picker = detail.getByRole('combobox', { name: 'attempt to show' })
    await picker.waitFor()
    expect(await picker.locator('option').allTextContents()).toEqual(ATTEMPTS)
    const history = detail.getByRole('table', { name: 'invoke history' })
    expect({
      header: await detail.locator('dl.facts dt:text-is("Attempt") + dd').textContent(),
      history: await history.locator('tbody tr:not(.task-error) td:first-child').allTextContents(),
    }).toEqual({ header: '4', history: ['1', '2 (redo)', '3 (redo)', '4 (redo)'] })
    await poll(() => logTexts(page, '[aria-label="task detail"]')).toEqual(['── attempt 4 (a redo) ──'])
    await page.screenshot({ path: resolve(SHOTS, 'task-attempts-workflows.png') })
    expect(await layoutProblems(page)).toEqual([])
  })

  it('has its log on the Jobs page one attempt at a time, the latest by default, saying which', async () => {
    await page.goto(`${served.url}/#/jobs/${jobId}`)
    const detail = page.getByLabel('job detail')
    // the table's attempt as the opened task's and the picker's (it said "1/1": the try within the 4th)
    expect(await detail.locator('tr[data-task="call"] td:nth-child(3)').textContent()).toBe('4')
    await detail.locator('tr[data-task="call"] button.task-name').click()
    const opened = detail.locator('[data-task-open="call"]')
    const picker = opened.getByRole('combobox', { name: 'attempt to show' })
    await picker.waitFor()
    expect(await picker.locator('option').allTextContents()).toEqual(ATTEMPTS)
    expect(await picker.locator('option:checked').textContent()).toBe('attempt 4 of 4 (redo, latest)')
    expect(await opened.getByTestId('task-attempt').textContent()).toMatch(/ · attempt 4$/)
    await poll(() => logTexts(page, '[data-task-open="call"]')).toEqual(['── attempt 4 (a redo) ──'])
    await picker.selectOption({ label: 'attempt 1 of 4' })
    await poll(() => logTexts(page, '[data-task-open="call"]')).toEqual(['task call failed: first call fails'])
    await page.screenshot({ path: resolve(SHOTS, 'task-attempts-jobs.png') })
    expect(await layoutProblems(page)).toEqual([])
  })
})

/** What a graph node says of its attempt, beside its name ("attempt 4"), and its status line ("succeeded · 12 ms"). */
const nodeAttempt = async (name: string) => ({
  attempt: await page.getByTestId(`wf-node-${name}`).locator('.wf-node-attempt').textContent({ timeout: 1000 }).catch(() => null),
  status: await page.getByTestId(`wf-node-${name}`).locator('.wf-node-status').textContent(),
})

/** Whether `name`'s node shows its attempt whole (not cut by its box). */
const attemptWhole = (name: string) =>
  page.getByTestId(`wf-node-attempt-${name}`).evaluate((e) => e.scrollWidth <= e.clientWidth && e.getBoundingClientRect().right <= e.closest('.wf-node')!.getBoundingClientRect().right)

describe('the graph node of a task', () => {
  it('names its attempt as the task panel does: "attempt 4" after 3 redos, where it said nothing', async () => {
    await page.goto(`${served.url}/#/workflows/${encodeURIComponent(descriptorId)}?execution=${jobId}`)
    await poll(() => nodeAttempt('call')).toEqual({ attempt: 'attempt 4', status: expect.stringMatching(/^succeeded · \d/) })
    expect(await attemptWhole('call')).toBe(true)
  })

  it('names a retry with its attempt: "attempt 1, try 2", where it said "try 2"', async () => {
    const flow = `workspace: attempts\ndagName: retried\ntype: flow\ntasks:\n  - {category: function, name: call, pattern: task_sync, resourceName: "${retried.url}", retry: {maxRetryTimes: 1}}\n`
    const id = (await rill('POST', '/flow/bg/manage/descriptor/add_descriptor.json', flow, 'text/plain')).descriptor_id
    const { execution_id: executionId } = await rill('POST', `/flow/submit.json?descriptor_id=${id}`, '{}')
    const jobs = (await api(served.url, token, 'GET', '/api/v1/jobs?type=workflow')) as { items: { id: number; labels: Record<string, string> }[] }
    const retriedJob = jobs.items.find((j) => j.labels.executionId === executionId)!.id
    await page.goto(`${served.url}/#/workflows/${encodeURIComponent(id)}?execution=${retriedJob}`)
    // it said "succeeded · try 2 · 24 ms": the try as if it were the attempt
    await poll(() => nodeAttempt('call')).toEqual({ attempt: 'attempt 1, try 2', status: expect.stringMatching(/^succeeded · \d/) })
    expect(await attemptWhole('call')).toBe(true)
    expect(await page.getByTestId('wf-node-call').getAttribute('aria-label')).toBe('task call, succeeded, attempt 1, try 2')
    await page.getByTestId('wf-node-call').click()
    // the panel's header says it alike
    expect(await page.getByLabel('task detail').locator('dl.facts dt:text-is("Attempt") + dd').textContent()).toBe('1, try 2')
    await page.screenshot({ path: resolve(SHOTS, 'task-attempts-node.png') })
    expect(await layoutProblems(page)).toEqual([])
    // and the Jobs page: Rill Flow's retry is not the engine's (maxAttempts 1), where the table said "1"
    await page.goto(`${served.url}/#/jobs/${retriedJob}`)
    const detail = page.getByLabel('job detail')
    await poll(() => detail.locator('tr[data-task="call"] td:nth-child(3)').textContent()).toBe('1, try 2')
    await detail.locator('tr[data-task="call"] button.task-name').click()
    expect(await detail.locator('[data-task-open="call"]').getByTestId('task-attempt').textContent()).toMatch(/ · attempt 1, try 2$/)
  })
})

/** One that fails every call. */
const failing = taskEndpoint((n) => ({ result_type: 'FAILED', error_msg: `call ${n} fails` }))

// #9 last check: once the oldest of the 50 kept tries were dropped (3 attempts of 25 tries), the first kept row
// read "2" where it is attempt 2's first try, a redo's, and nothing said attempt 1's 25 tries were not listed,
// while the log's picker still offered "attempt 1 of 3".
describe('the invoke history past the tries kept', () => {
  it('says attempt 1’s tries are not kept, and marks the first kept row a redo', async () => {
    const flow = `workspace: attempts\ndagName: manytries\ntype: flow\ntasks:\n  - {category: function, name: call, pattern: task_sync, resourceName: "${failing.url}", retry: {maxRetryTimes: 24}}\n`
    const id = (await rill('POST', '/flow/bg/manage/descriptor/add_descriptor.json', flow, 'text/plain')).descriptor_id
    const { execution_id: executionId } = await rill('POST', `/flow/submit.json?descriptor_id=${id}`, '{}')
    const jobs = (await api(served.url, token, 'GET', '/api/v1/jobs?type=workflow')) as { items: { id: number; labels: Record<string, string> }[] }
    const manyJob = jobs.items.find((j) => j.labels.executionId === executionId)!.id
    const statusOf = async () => (await api(served.url, token, 'GET', `/api/v1/jobs/${manyJob}`)).status
    await poll(statusOf).toBe('failed')
    for (let i = 0; i < 2; i++) {
      const before = (await api(served.url, token, 'GET', `/api/v1/jobs/${manyJob}`)).tasks[0].attempts.length as number
      await rill('POST', `/flow/redo.json?execution_id=${encodeURIComponent(executionId)}&task_names=call`, '{}')
      // failed again once its next attempt's 25 tries are kept (the history counts 25, then 50, then stays 50)
      await poll(async () => {
        const job = await api(served.url, token, 'GET', `/api/v1/jobs/${manyJob}`)
        return job.status === 'failed' && job.tasks[0].attempt === i + 2 && job.tasks[0].try === 25
      }).toBe(true)
      expect(before).toBe(i === 0 ? 25 : 50)
    }
    await page.goto(`${served.url}/#/workflows/${encodeURIComponent(id)}?execution=${manyJob}`)
    await page.getByTestId('wf-node-call').click()
    const detail = page.getByLabel('task detail')
    const history = detail.getByRole('table', { name: 'invoke history' })
    await history.waitFor()
    expect(await detail.getByTestId('tries-not-kept').textContent()).toBe('Tries of attempt 1 not kept (the history keeps a task’s last 50 tries)')
    // right under its heading, as the table is under a heading, with no blank line above it (importsui3: a paragraph's margins left one, 29 px)
    const noteGap = await detail.getByTestId('tries-not-kept').evaluate((note) => note.getBoundingClientRect().top - note.previousElementSibling!.getBoundingClientRect().bottom)
    expect(noteGap).toBeLessThanOrEqual(16) // the heading's 6 px margin and the column's 10 px gap
    const firstCells = await history.locator('tbody tr:not(.task-error) td:first-child').allTextContents()
    expect([firstCells.length, firstCells[0], firstCells[1], firstCells[25]]).toEqual([50, '2 (redo)', '2, try 2', '3 (redo)'])
    expect(await detail.getByRole('combobox', { name: 'attempt to show' }).locator('option').first().textContent()).toBe('attempt 1 of 3')
    await page.screenshot({ path: resolve(SHOTS, 'task-attempts-not-kept.png') })
    expect(await layoutProblems(page)).toEqual([])
  })
})

describe('an opened task of a running job on the Jobs page', () => {
  it('follows the lines its task writes after it opened', async () => {
    const { id } = (await api(served.url, token, 'POST', '/api/v1/jobs', { type: 'script', language: 'shell', code: 'echo first line; sleep 2; echo second line; sleep 60' })) as { id: number }
    try {
      await page.goto(`${served.url}/#/jobs/${id}`)
      const detail = page.getByLabel('job detail')
      await poll(() => page.locator('[aria-label="job log"] .log-text').allTextContents()).toContain('first line')
      await detail.locator('tr[data-task="main"] button.task-name').click()
      await poll(() => logTexts(page, '[data-task-open="main"]')).toContain('first line')
      // written while it is open, with no change of the task's state: it came only in the job's log below
      await poll(() => logTexts(page, '[data-task-open="main"]')).toContain('second line')
    } finally {
      await api(served.url, token, 'POST', `/api/v1/jobs/${id}/cancel`)
    }
  })
})
