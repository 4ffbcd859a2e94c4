// Leftovers of a new user's trial, each test failing before its fix: a running workflow run's
// duration in Recent runs stood still until the run ended (the Jobs page's counted up).
import { resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { SHOTS, api, browserSuite, poll, signIn, type Served } from './support'

/** A workflow whose one task waits for a wakeup that never comes: its run runs until cancelled. */
const WAITS = `workspace: left
dagName: waits
type: flow
tasks:
  - category: suspense
    name: wait
    conditions:
      - "$.input.[?(@.go == true)]"
`

const suite = browserSuite({ width: 1400, height: 860 })
let served: Served
let page: Page
let token: string
beforeAll(async () => {
  ;({ served, page, token } = suite)
  await signIn(page, served.url)
})

describe('new user leftovers', () => {
  it('Workflows: a running run’s duration in Recent runs counts up, and stops when the run ends', async () => {
    await api(served.url, token, 'POST', '/api/v1/workflows', { text: WAITS })
    await page.getByRole('navigation', { name: 'main' }).getByRole('button', { name: 'Workflows' }).click()
    await page.getByTestId('wf-item-left:waits').click()
    await poll(() => page.locator('.wf-editor-title h2').textContent()).toBe('left:waits')
    await page.getByRole('button', { name: 'Submit' }).click()
    const shown = page.getByRole('region', { name: 'shown execution' }).locator('h3').first()
    await poll(() => shown.textContent()).toMatch(/#\d+/)
    const jobId = Number((await shown.textContent())!.replace(/\D/g, ''))
    const row = page.getByRole('region', { name: 'recent runs' }).locator(`[data-job-id="${jobId}"]`)
    const duration = row.locator('.wf-run-duration')
    await poll(() => row.locator('[data-status]').getAttribute('data-status')).toBe('running')
    await poll(() => duration.textContent()).not.toBe('—')
    const first = await duration.textContent()
    // nothing about the run changes while it waits: only a clock moves its duration on
    await poll(() => duration.textContent()).not.toBe(first)
    await page.screenshot({ path: resolve(SHOTS, 'leftovers-recent-run-ticks.png') })

    await api(served.url, token, 'POST', `/api/v1/jobs/${jobId}/cancel`)
    await poll(() => row.locator('[data-status]').getAttribute('data-status')).toBe('cancelled')
    const ended = await duration.textContent()
    await page.waitForTimeout(2500)
    expect(await duration.textContent()).toBe(ended)
  })

})
