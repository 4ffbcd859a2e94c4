// What a new user's trial found (newuser3): each test shows one finding, failing before its fix.
import { resolve } from 'node:path'
import type { Page, Route } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { SHOTS, api, browserSuite, poll, signIn, type Served } from './support'

/** A stored workflow whose middle task waits for a wakeup, so the test decides when its run ends. */
const WAITING = `workspace: nu3
dagName: waiting
type: flow
tasks:
  - {category: pass, name: first, next: wait}
  - category: suspense
    name: wait
    next: last
    conditions:
      - "$.input.[?(@.go == true)]"
    inputMappings:
      - {source: $.context.go, target: $.input.go}
    outputMappings:
      - {source: $.output.go, target: $.context.go}
  - {category: pass, name: last}
`

const suite = browserSuite({ width: 1400, height: 900 })
let served: Served
let page: Page
let token: string
beforeAll(() => ({ served, page, token } = suite))

async function wakeup(jobId: number, task: string): Promise<void> {
  const { executionId } = await api(served.url, token, 'GET', `/api/v1/executions/${jobId}`)
  const q = new URLSearchParams({ execution_id: executionId, task_name: task })
  const res = await fetch(`${served.url}/flow/wakeup.json?${q}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ go: true }) })
  expect(res.status).toBe(200)
}

describe('newuser3 trial', () => {
  it('Workflows: Recent runs shows a run’s end even when the list’s reply comes after the end’s event', async () => {
    await api(served.url, token, 'POST', '/api/v1/workflows', { text: WAITING })
    await signIn(page, served.url)
    await page.getByRole('navigation', { name: 'main' }).getByRole('button', { name: 'Workflows' }).click()
    await page.getByTestId('wf-item-nu3:waiting').click()
    await poll(() => page.locator('.wf-editor-title h2').textContent()).toBe('nu3:waiting')

    // The recent-runs list asked for after Submit is read at once (the run is still waiting) but its
    // reply is held until the run has ended and its events have come: a slow reply, as on a busy machine.
    let release!: () => void
    const released = new Promise<void>((ok) => (release = ok))
    let listed!: () => void
    const read = new Promise<void>((ok) => (listed = ok))
    const hold = async (route: Route) => {
      const reply = await route.fetch()
      listed()
      await released
      await route.fulfill({ response: reply })
    }
    await page.route(/\/api\/v1\/jobs\?.*type=workflow/, hold)
    await page.getByRole('button', { name: 'Submit' }).click()
    await read
    const jobId = Number(await page.getByRole('region', { name: 'shown execution' }).locator('h3').first().evaluate((h) => h.textContent!.replace(/\D/g, '')))
    await wakeup(jobId, 'wait')
    await poll(async () => (await api(served.url, token, 'GET', `/api/v1/jobs/${jobId}`)).status).toBe('succeeded')
    await poll(() => page.getByTestId('execution-status').getAttribute('data-status')).toBe('succeeded')
    await page.waitForTimeout(500) // the end's job.changed event has been applied
    const answered = page.waitForResponse(/\/api\/v1\/jobs\?.*type=workflow/)
    release()
    await answered
    await page.unroute(/\/api\/v1\/jobs\?.*type=workflow/, hold)
    const row = page.getByRole('region', { name: 'recent runs' }).locator(`[data-job-id="${jobId}"]`)
    await row.waitFor()
    await page.waitForTimeout(300) // the held reply has been applied
    await page.screenshot({ path: resolve(SHOTS, 'newuser3-recent-runs.png') })
    // was "running" for good: the reply, read before the end, overwrote the row the end's event had set
    expect(await row.locator('[data-status]').getAttribute('data-status')).toBe('succeeded')
  })
})
