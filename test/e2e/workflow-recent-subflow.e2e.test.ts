// Workflows → Recent runs of a workflow that another workflow starts as a sub-flow (newuser10 LOW):
// the sub-flow's run was listed like the user's own submits, nothing saying another workflow's run
// started it. It is marked "sub-flow of #N"; a run submitted directly is not.
import { resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { SHOTS, api, browserSuite, poll, signIn, type Served } from './support'

const suite = browserSuite({ width: 1400, height: 860 })
let served: Served
let page: Page
let token: string
beforeAll(() => ({ served, page, token } = suite))

const CHILD = 'workspace: rs\ndagName: child\ntype: flow\ntasks:\n  - {category: pass, name: only}\n'
const PARENT = 'workspace: rs\ndagName: parent\ntype: flow\ntasks:\n  - {category: function, name: call, resourceName: "rillflow://rs:child", pattern: flow_sync}\n'

const finished = (jobId: number) => expect.poll(async () => (await api(served.url, token, 'GET', `/api/v1/jobs/${jobId}`)).status, { timeout: 30_000 }).toBe('succeeded')

describe('Workflows: Recent runs mark a sub-flow', () => {
  it('says "sub-flow of #N" on a run another workflow started, nothing on a direct one', { timeout: 120_000 }, async () => {
    const child = await api(served.url, token, 'POST', '/api/v1/workflows', { text: CHILD })
    const parentWf = await api(served.url, token, 'POST', '/api/v1/workflows', { text: PARENT })
    const direct = (await api(served.url, token, 'POST', '/api/v1/workflows/submit', { descriptorId: child.descriptorId })).jobId
    await finished(direct)
    const parent = (await api(served.url, token, 'POST', '/api/v1/workflows/submit', { descriptorId: parentWf.descriptorId })).jobId
    await finished(parent)
    const [sub] = ((await api(served.url, token, 'GET', `/api/v1/jobs?parent=${parent}&limit=10`)).items as { id: number }[]).map((j) => j.id)
    expect(sub).toBeGreaterThan(0)

    await signIn(page, served.url)
    await page.goto(`${served.url}/#/workflows/${encodeURIComponent(child.descriptorId)}`)
    const runs = page.getByRole('region', { name: 'recent runs' })
    await poll(() => runs.locator(`[data-job-id="${sub}"]`).count()).toBe(1)
    await poll(() => runs.locator(`[data-job-id="${sub}"]`).textContent()).toContain(`sub-flow of #${parent}`)
    expect(await runs.locator(`[data-job-id="${direct}"]`).textContent()).not.toContain('sub-flow')
    await runs.scrollIntoViewIfNeeded()
    await page.screenshot({ path: resolve(SHOTS, 'workflow-recent-subflow.png') })
  })
})
