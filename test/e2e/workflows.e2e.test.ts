import { resolve } from 'node:path'
import type { Locator, Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { SHOTS, browserSuite, type Served, mainNav } from './support'
import { throttledFlow } from './flows'
import { typeDescriptor } from './workflow-page'

const WAIT_DEMO = `workspace: demo
dagName: waitDemo
type: flow
tasks:
  - category: pass
    name: start
    next: wait
    outputMappings:
      - source: $.context.n
        target: $.context.count
  - category: suspense
    name: wait
    next: done
    conditions:
      - "$.input.[?(@.go == true)]"
    inputMappings:
      - source: $.context.go
        target: $.input.go
    outputMappings:
      - source: $.output.go
        target: $.context.go
  - category: pass
    name: done
`

// A foreach whose every iteration waits for its own wakeup, so progress can be watched group by group.
const FAN_OUT = `workspace: demo
dagName: fanOut
type: flow
inputSchema: '[{"name":"items","type":"Array","required":true},{"name":"note","type":"String"}]'
tasks:
  - category: foreach
    name: each
    next: report
    iterationMapping:
      collection: $.input.items
      item: it
    inputMappings:
      - source: $.context.items
        target: $.input.items
    tasks:
      - category: suspense
        name: hold
        conditions:
          - "$.input.[?(@.go == true)]"
        inputMappings:
          - source: $.context.go
            target: $.input.go
        outputMappings:
          - source: $.output.go
            target: $.context.go
  - category: pass
    name: report
`

// Twelve items, three at a time, each waiting for its wakeup: progress counts items, not groups started.
const THROTTLED = throttledFlow('demo', 'throttled', 3)

const suite = browserSuite({ width: 1400, height: 860 })
let served: Served
let page: Page
let token: string
beforeAll(() => ({ served, page, token } = suite))

/** Replaces the editor's whole text as a paste would. */
const statusOf = (locator: Locator) => locator.getAttribute('data-status')
const node = (name: string) => page.getByTestId(`wf-node-${name}`)

async function executionIdOf(jobId: number): Promise<string> {
  const res = await fetch(`${served.url}/api/v1/executions/${jobId}`, { headers: { authorization: `Bearer ${token}` } })
  return ((await res.json()) as { executionId: string }).executionId
}

async function wakeup(executionId: string, task: string): Promise<void> {
  const q = new URLSearchParams({ execution_id: executionId, task_name: task })
  const res = await fetch(`${served.url}/flow/wakeup.json?${q}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ go: true }),
  })
  expect(res.status).toBe(200)
}

/** Node sizes are computed for dagre; a node whose content overflows its box would be clipped. */
async function clippedNodes(): Promise<string[]> {
  return page.locator('.wf-node').evaluateAll((els) =>
    els.filter((el) => el.scrollHeight > el.clientHeight + 1 || [...el.children].some((c) => c.scrollHeight > c.clientHeight + 1)).map((el) => el.getAttribute('data-testid') ?? '?'),
  )
}

async function shownJobId(): Promise<number> {
  const text = (await page.getByTestId('execution-job').textContent()) ?? ''
  return Number(/#(\d+)/.exec(text)?.[1])
}

describe('Workflows page in Chromium against `serve`', () => {
  it('draws a pasted descriptor, saves it, runs it and colours the tasks live', async () => {
    await page.goto(served.url)
    await page.getByLabel('Password').fill('73@TuGraph')
    await page.getByRole('button', { name: 'Sign in' }).click()
    // the starter descriptor has tasks: while its first check runs the graph is not yet known, never "nothing to draw"
    await page.evaluate(() => {
      const w = window as unknown as { sawEmptyGraph?: boolean }
      new MutationObserver(() => {
        if (document.querySelector('.wf-dag-empty')) w.sawEmptyGraph = true
      }).observe(document.body, { childList: true, subtree: true })
    })
    await mainNav(page, 'Workflows')
    await page.getByRole('heading', { name: 'Workflows' }).waitFor()
    const validation = page.getByTestId('validation-message')
    await expect.poll(() => validation.getAttribute('data-state')).toBe('ok')
    await expect.poll(() => page.locator('.react-flow__node').count()).toBeGreaterThan(0)
    expect(await page.evaluate(() => (window as unknown as { sawEmptyGraph?: boolean }).sawEmptyGraph ?? false)).toBe(false)

    await typeDescriptor(page, WAIT_DEMO)
    await expect.poll(() => validation.getAttribute('data-state')).toBe('ok')
    expect(await validation.textContent()).toContain('demo:waitDemo')
    await expect.poll(() => page.locator('.react-flow__node').count()).toBe(3)
    for (const name of ['start', 'wait', 'done']) expect(await node(name).isVisible()).toBe(true)
    await expect.poll(() => page.locator('.react-flow__edge').count()).toBe(2)
    expect(await node('wait').locator('.wf-category').textContent()).toBe('suspense')
    expect(await clippedNodes()).toEqual([])
    await page.screenshot({ path: resolve(SHOTS, 'workflow-editor.png') })

    await page.getByRole('button', { name: 'Save', exact: true }).click()
    await expect.poll(() => page.getByTestId('saved-id').textContent()).toMatch(/demo:waitDemo:md5_[0-9a-f]{32}/)
    const item = page.getByTestId('wf-item-demo:waitDemo')
    await item.waitFor()
    expect(await item.textContent()).toContain('1 version')

    const contextInput = page.getByLabel('Context (JSON object)')
    await contextInput.fill('[3]')
    await page.getByRole('button', { name: 'Submit' }).click()
    await expect.poll(() => page.getByTestId('context-error').textContent()).toContain('must be a JSON object')
    await contextInput.fill('{"n": 3}')
    await page.getByRole('button', { name: 'Submit' }).click()

    const status = page.getByTestId('execution-status')
    await expect.poll(() => statusOf(node('wait')), { timeout: 10_000 }).toBe('running')
    expect(await statusOf(node('start'))).toBe('succeeded')
    expect(await statusOf(node('done'))).toBe('pending')
    expect(await statusOf(status)).toBe('running')
    const jobId = await shownJobId()
    expect(jobId).toBeGreaterThan(0)

    await wakeup(await executionIdOf(jobId), 'wait')
    for (const name of ['start', 'wait', 'done']) await expect.poll(() => statusOf(node(name)), { timeout: 10_000 }).toBe('succeeded')
    await expect.poll(() => statusOf(status)).toBe('succeeded')
    await expect.poll(() => page.getByTestId('execution-bar').getByRole('progressbar').getAttribute('aria-valuenow')).toBe('100')
    const colour = await node('done').evaluate((el) => getComputedStyle(el).borderTopColor)
    expect(colour).toBe('rgb(31, 157, 85)') // --ok

    const context = await page.getByLabel('execution context').textContent()
    expect(JSON.parse(context ?? '{}')).toMatchObject({ n: 3, count: 3, go: true })
    expect(await page.getByLabel('recent runs').locator(`[data-job-id="${jobId}"] [data-status]`).getAttribute('data-status')).toBe('succeeded')
    await page.screenshot({ path: resolve(SHOTS, 'workflow-run.png') })

    await node('wait').click()
    const detail = page.getByLabel('task detail')
    await expect.poll(() => detail.getByTestId('task-status').getAttribute('data-status')).toBe('succeeded')
    expect(await detail.locator('.facts').textContent()).toContain('Attempt1')
    await page.screenshot({ path: resolve(SHOTS, 'workflow-task.png') })

    await page.getByTestId('execution-job').click()
    await page.getByRole('heading', { name: 'Jobs' }).waitFor()
    const jobDetail = page.getByLabel('job detail')
    const detailHeading = () => jobDetail.getByRole('heading').first().textContent()
    await expect.poll(detailHeading).toContain(`#${jobId}`)

    // Rerun from the Jobs page (#8.4): a new execution linked both ways, opened in Workflows as itself
    await jobDetail.getByRole('button', { name: 'Rerun' }).click()
    await expect.poll(() => jobDetail.getByTestId('rerun-of').textContent()).toBe(`#${jobId}`)
    const rerunId = Number(/#(\d+)/.exec((await detailHeading()) ?? '')?.[1])
    expect(rerunId).toBeGreaterThan(jobId)
    await page.screenshot({ path: resolve(SHOTS, 'job-rerun.png') })
    await jobDetail.getByRole('button', { name: `open job ${jobId}` }).click()
    await expect.poll(detailHeading).toContain(`#${jobId}`)
    await expect.poll(() => jobDetail.getByTestId('reruns').textContent()).toBe(`#${rerunId}`)
    await jobDetail.getByRole('button', { name: `open job ${rerunId}` }).click()
    await expect.poll(detailHeading).toContain(`#${rerunId}`)
    await jobDetail.getByRole('button', { name: 'Open in Workflows (graph)' }).click()
    await expect.poll(() => shownJobId(), { timeout: 10_000 }).toBe(rerunId)
    await expect.poll(() => statusOf(node('wait')), { timeout: 10_000 }).toBe('running')
    const rerunExecution = await executionIdOf(rerunId)
    expect(rerunExecution).not.toBe(await executionIdOf(jobId))
    await wakeup(rerunExecution, 'wait')
    await expect.poll(() => statusOf(page.getByTestId('execution-status')), { timeout: 10_000 }).toBe('succeeded')
  })

  it('shows a broken descriptor’s problem on its line', async () => {
    await mainNav(page, 'Workflows')
    await page.getByTestId('wf-item-demo:waitDemo').click()
    await expect.poll(() => page.getByTestId('validation-message').getAttribute('data-state')).toBe('ok')
    await typeDescriptor(page, WAIT_DEMO.replace('next: done', 'next: nowhere'))
    const validation = page.getByTestId('validation-message')
    await expect.poll(() => validation.getAttribute('data-state')).toBe('problem')
    expect(await validation.getAttribute('data-line')).toBe('13')
    expect(await validation.textContent()).toMatch(/Line 13, field next: .*nowhere/)
    await page.locator('.cm-lintRange-error').first().waitFor()
    expect(await page.locator('.cm-lint-marker-error').count()).toBe(1)
    expect(await page.getByRole('button', { name: 'Save', exact: true }).isDisabled()).toBe(true)
    await page.screenshot({ path: resolve(SHOTS, 'workflow-problem.png') })
  })

  it('runs a foreach from its inputSchema form and counts the items done', async () => {
    await page.getByRole('button', { name: 'New workflow' }).click()
    await page.getByRole('dialog', { name: 'unsaved changes' }).getByRole('button', { name: 'Discard' }).click() // the broken edit above: "New workflow" asks before it replaces it (#13.1)
    await typeDescriptor(page, FAN_OUT)
    await expect.poll(() => page.getByTestId('validation-message').getAttribute('data-state')).toBe('ok')
    expect(await node('each').getByLabel('each sub-graph').textContent()).toContain('hold')
    await page.getByRole('button', { name: 'Save', exact: true }).click()
    await page.getByTestId('saved-id').waitFor()

    await page.getByRole('button', { name: 'Submit' }).click()
    await expect.poll(() => page.getByRole('form', { name: 'run workflow' }).textContent()).toContain('items required')
    await page.getByLabel('items', { exact: true }).fill('["a", "b", "c"]')
    await page.getByRole('button', { name: 'Submit' }).click()
    const progress = page.getByTestId('wf-node-progress-each')
    await expect.poll(() => progress.textContent(), { timeout: 10_000 }).toContain('0/3 items')

    const executionId = await executionIdOf(await shownJobId())
    await wakeup(executionId, 'each_1-hold')
    await expect.poll(() => progress.textContent()).toContain('1/3 items')
    expect(await statusOf(node('each'))).toBe('running')
    expect(await clippedNodes()).toEqual([])

    await node('each').click()
    const detail = page.getByLabel('task detail')
    await expect.poll(() => detail.getByRole('table', { name: 'sub-tasks' }).locator('tbody tr').count()).toBe(3)
    expect(await statusOf(detail.locator('tr[data-task="each_1-hold"] [data-status]'))).toBe('succeeded')
    // {"items": [...]} shown whole (one line since ux18's compact JSON), not squeezed by the table
    const input = detail.getByLabel('task input')
    expect(await input.textContent()).toMatch(/^\{"items": \[.*\]\}$/)
    expect(await input.evaluate((el) => el.clientHeight >= el.scrollHeight && el.clientHeight > 20)).toBe(true)
    await page.screenshot({ path: resolve(SHOTS, 'workflow-foreach.png') })

    await wakeup(executionId, 'each_0-hold')
    await wakeup(executionId, 'each_2-hold')
    await expect.poll(() => statusOf(node('report')), { timeout: 10_000 }).toBe('succeeded')
    expect(await progress.textContent()).toContain('3/3 items')
    await expect.poll(() => statusOf(page.getByTestId('execution-status'))).toBe('succeeded')
  })

  it('counts items done of a foreach three at a time, and after a cancel the items that never ran', async () => {
    const added = await fetch(`${served.url}/flow/bg/manage/descriptor/add_descriptor.json`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: THROTTLED })
    expect(added.status).toBe(200)
    await mainNav(page, 'Jobs')
    await mainNav(page, 'Workflows')
    await page.getByTestId('wf-item-demo:throttled').click()
    await page.getByLabel('Context (JSON object)').fill(JSON.stringify({ items: Array.from({ length: 12 }, (_, i) => i) }))
    await page.getByRole('button', { name: 'Submit' }).click()
    const done = page.getByTestId('wf-node-done-each')
    const notes = page.getByTestId('wf-node-notes-each')
    await expect.poll(() => notes.textContent(), { timeout: 10_000 }).toBe('3 running · 9 waiting')
    expect(await done.textContent()).toBe('0/12 items')

    const executionId = await executionIdOf(await shownJobId())
    for (const i of [0, 1, 2]) await wakeup(executionId, `each_${i}-hold`)
    await expect.poll(() => done.textContent()).toBe('3/12 items')
    await expect.poll(() => notes.textContent()).toBe('3 running · 6 waiting')
    for (const i of [3, 4, 5]) await wakeup(executionId, `each_${i}-hold`)
    await expect.poll(() => done.textContent()).toBe('6/12 items')

    await page.getByTestId('execution-bar').getByRole('button', { name: 'Cancel' }).click()
    await expect.poll(() => statusOf(page.getByTestId('execution-status')), { timeout: 10_000 }).toBe('cancelled')
    await expect.poll(() => notes.textContent()).toBe('6 cancelled')
    expect(await done.textContent()).toBe('6/12 items')
    expect(await page.getByLabel('each items done').getAttribute('aria-valuenow')).toBe('50')
    expect(await clippedNodes()).toEqual([])
    await page.screenshot({ path: resolve(SHOTS, 'workflow-foreach-cancelled.png') })
  })

  it('says who "rillflow" is where a credential-less Rill Flow call stored or submitted something', async () => {
    // demo:throttled was stored by the test above without a credential: recorded under the loopback name
    await mainNav(page, 'Workflows')
    const owner = page.getByTestId('wf-item-demo:throttled').locator('.wf-item-owner')
    expect(await owner.textContent()).toBe('by rillflow (Rill Flow call, no credential)')
    expect(await owner.getByTestId('loopback-user').getAttribute('title')).toBe('a Rill Flow call from this computer without a credential, acting as the desktop user (admin)')
    const submitted = await fetch(`${served.url}/flow/submit.json?descriptor_id=demo:throttled`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ items: [] }) })
    const { execution_id: executionId } = (await submitted.json()) as { execution_id: string }
    const jobs = (await (await fetch(`${served.url}/api/v1/jobs?type=workflow`, { headers: { authorization: `Bearer ${token}` } })).json()) as { items: { id: number; labels: Record<string, string> }[] }
    const job = jobs.items.find((j) => j.labels.executionId === executionId)!
    await page.goto(`${served.url}/#/jobs/${job.id}`)
    await expect
      .poll(() => page.getByTestId('job-submitter').textContent())
      .toBe('rillflow (a Rill Flow call from this computer without a credential, acting as the desktop user (admin)) via Rill Flow')
    await page.screenshot({ path: resolve(SHOTS, 'job-detail-loopback-submitter.png') })
    await mainNav(page, 'Workflows') // where the next test starts
  })

  it('cancels a waiting execution from the graph view', async () => {
    await page.getByTestId('wf-item-demo:waitDemo').click()
    await page.getByLabel('Context (JSON object)').fill('{"n": 1}')
    await page.getByRole('button', { name: 'Submit' }).click()
    await expect.poll(() => statusOf(node('wait')), { timeout: 10_000 }).toBe('running')
    await page.getByTestId('execution-bar').getByRole('button', { name: 'Cancel' }).click()
    await expect.poll(() => statusOf(page.getByTestId('execution-status')), { timeout: 10_000 }).toBe('cancelled')
    await expect.poll(() => statusOf(node('wait'))).toBe('cancelled')
    expect(await statusOf(node('start'))).toBe('succeeded')
    expect(await node('wait').evaluate((el) => getComputedStyle(el).borderTopColor)).toBe('rgb(201, 138, 19)') // --warn
    expect(await page.getByTestId('execution-bar').getByRole('button', { name: 'Cancel' }).isDisabled()).toBe(true)
    await page.screenshot({ path: resolve(SHOTS, 'workflow-cancelled.png') })
    // Resume (a cancelled run's redo) picks the execution up again from the cancelled task
    await page.getByTestId('execution-bar').getByRole('button', { name: 'Resume' }).click()
    await expect.poll(() => statusOf(node('wait')), { timeout: 10_000 }).toBe('running')
    await expect.poll(() => statusOf(page.getByTestId('execution-status'))).toBe('running')
    expect(await statusOf(node('start'))).toBe('succeeded')
  })

  it('warns under the editor at a sub-flow whose workflow does not exist yet, and still saves', async () => {
    await mainNav(page, 'Workflows')
    await page.getByRole('button', { name: 'New workflow' }).click()
    const unsaved = page.getByRole('dialog', { name: 'unsaved changes' })
    if (await unsaved.isVisible()) await unsaved.getByRole('button', { name: 'Discard' }).click()
    await typeDescriptor(page, 'workspace: demo\ndagName: caller\ntype: flow\ntasks:\n  - {category: function, name: sub, resourceName: "rillflow://bobs:nonexist", pattern: flow_sync}\n')
    const warning = page.getByTestId('validation-warning')
    await expect.poll(() => warning.count()).toBe(1)
    expect(await warning.textContent()).toBe('Line 5: task sub: its sub-flow’s workflow bobs:nonexist does not exist (yet); a run of the task needs it')
    expect(await page.getByTestId('validation-message').getAttribute('data-state')).toBe('ok')
    await page.screenshot({ path: resolve(SHOTS, 'workflow-subflow-missing.png') })
    await page.getByRole('button', { name: 'Save', exact: true }).click()
    await page.getByTestId('saved-id').waitFor()
  })
})
