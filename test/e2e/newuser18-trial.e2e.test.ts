// What the newuser18 trial found in the browser: a job of thousands of tasks listed its first 500
// and said only "The first 500 of 3001 tasks are shown", never how many of all had failed or still ran;
// Submit of a workflow deleted meanwhile answered with Rill Flow's "Descriptor:…:md5_… value empty."
import { resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { SHOTS, api, browserSuite, poll, rillCall, type Served } from './support'

vi.setConfig({ testTimeout: 120_000 })

const suite = browserSuite({ width: 1280, height: 800 }, { signedIn: true })
let served: Served
let page: Page
let token: string
beforeAll(() => ({ served, page, token } = suite))

const rill = (method: string, path: string, body: string, type: string) => rillCall(served.url, token, method, path, body, type)

// a foreach over 600 items, then a suspense that waits for a wakeup: 602 tasks, only 500 listed
const FLOW = `workspace: newuser18
dagName: many
type: flow
tasks:
  - category: foreach
    name: each
    next: hold
    inputMappings: [{source: $.context.items, target: $.input.items}]
    iterationMapping: {collection: $.input.items, item: it}
    tasks: [{category: pass, name: p}]
  - category: suspense
    name: hold
    conditions: ['$.input.[?(@.go == true)]']
    inputMappings: [{source: $.context.go, target: $.input.go}]
`

describe('newuser18 trial', () => {
  it('Jobs: the detail of a job with more tasks than it lists says how many of all are in each state, and keeps it up to date', async () => {
    await rill('POST', '/flow/bg/manage/descriptor/add_descriptor.json?business_id=newuser18&feature_name=many&alias=release', FLOW, 'text/plain')
    const items = Array.from({ length: 600 }, (_, i) => i)
    const { execution_id: executionId } = await rill('POST', '/flow/submit.json?descriptor_id=newuser18:many', JSON.stringify({ items }), 'application/json')
    const jobs = (await api(served.url, token, 'GET', '/api/v1/jobs?type=workflow')) as { items: { id: number; labels: Record<string, string> }[] }
    const jobId = jobs.items.find((j) => j.labels.executionId === executionId)!.id
    await poll(async () => (await api(served.url, token, 'GET', `/api/v1/jobs/${jobId}`)).taskCounts).toEqual({ succeeded: 601, running: 1 })

    await page.goto(`${served.url}/#/jobs/${jobId}`)
    const detail = page.getByRole('complementary', { name: 'job detail' })
    const counts = detail.locator('[data-task-counts]')
    // was: no counts at all, only "The first 500 of 602 tasks are shown." under 500 rows
    await poll(() => counts.textContent()).toBe('602 tasks: 1 running · 601 succeeded')
    expect(await detail.locator('[data-tasks-shown]').textContent()).toBe('1–500 of 602') // was "The first 500 of 602 tasks are shown.", with no way to the others
    await page.screenshot({ path: resolve(SHOTS, 'newuser18-task-counts.png') })
    // the next page has the rest of the foreach's items
    const range = detail.locator('[data-tasks-shown]')
    await detail.getByRole('button', { name: 'next page of tasks' }).first().click()
    await poll(() => range.textContent()).toBe('501–602 of 602')
    const names = await detail.locator('tr[data-task]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-task')))
    expect([names.length, names[0], names[101]]).toEqual([102, 'each_498-p', 'each_599-p'])
    // "1 running" shows the task that waits
    await detail.getByRole('button', { name: '1 running' }).click()
    await poll(() => range.textContent()).toBe('1–1 of 1 running')
    expect(await detail.locator('tr[data-task="hold"] [data-status]').getAttribute('data-status')).toBe('running')

    // the waiting task is cancelled: the counts and the list shown follow without a reload
    await api(served.url, token, 'POST', `/api/v1/jobs/${jobId}/cancel`)
    await poll(() => counts.textContent()).toBe('602 tasks: 601 succeeded · 1 cancelled')
    await poll(() => range.textContent()).toBe('0 of 0 running')
    expect(await detail.locator('table.tasks').textContent()).toContain('No task is running.')
  })

  it('Workflows: Submit of a workflow deleted meanwhile says so and how to run it, not "descriptor:… value empty"', async () => {
    const added = await rill('POST', '/flow/bg/manage/descriptor/add_descriptor.json?business_id=newuser18&feature_name=gone&alias=release', 'workspace: newuser18\ndagName: gone\ntype: flow\ntasks:\n  - {category: pass, name: only}\n', 'text/plain')
    await page.goto(`${served.url}/#/workflows/${encodeURIComponent(added.descriptor_id)}`)
    const submit = page.getByRole('button', { name: 'Submit' })
    await submit.waitFor()
    expect((await api(served.url, token, 'DELETE', '/api/v1/workflows?workspace=newuser18&name=gone')).deleted).toBe(true)
    await submit.click()
    const error = page.getByTestId('wf-submit-error')
    await poll(() => error.textContent()).toBe('This workflow was deleted, so there is nothing to run: Save stores the text above again, then Submit runs it.') // was: "Descriptor:newuser18:gone:md5_… value empty."
    await page.screenshot({ path: resolve(SHOTS, 'newuser18-submit-deleted.png') })
    // as it says: Save stores it again, and Submit runs it
    await page.getByRole('button', { name: 'Save', exact: true }).click()
    await poll(async () => (await api(served.url, token, 'GET', '/api/v1/workflows?limit=100')).some((w: { name: string }) => w.name === 'gone')).toBe(true)
    await submit.click()
    await poll(() => page.getByTestId('execution-status').getAttribute('data-status')).toBe('succeeded')
    expect(await error.count()).toBe(0)
  })
})
