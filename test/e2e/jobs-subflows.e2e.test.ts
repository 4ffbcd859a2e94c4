// Sub-flows on the Jobs page (#9, new-user LOW): a Rill Flow execution of twelve flow_sync tasks made
// twelve more rows on the Jobs page, burying the user's own jobs, and nothing said whose sub-flow each
// was. The list shows top-level jobs, a parent's row counts its sub-flows and lists them; a sub-flow's
// detail links its parent; "Sub-flows as rows" lists every job flat.
import { resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { SHOTS, api, browserSuite, poll, signIn, type Served } from './support'

const suite = browserSuite({ width: 1400, height: 900 })
let served: Served
let page: Page
let token: string
beforeAll(() => ({ served, page, token } = suite))

const SUBFLOWS = 12
const ONE = 'workspace: sf\ndagName: one\ntype: flow\ntasks:\n  - {category: pass, name: only}\n'
/** `sf:par`: SUBFLOWS flow_sync tasks in a chain, each starting `sf:one` as a sub-flow. */
const PARENT = `workspace: sf\ndagName: par\ntype: flow\ntasks:\n${Array.from({ length: SUBFLOWS }, (_, i) => `  - {category: function, name: s${i}, resourceName: "rillflow://sf:one", pattern: flow_sync${i < SUBFLOWS - 1 ? `, next: s${i + 1}` : ''}}`).join('\n')}\n`

const rowIds = (p: Page) => p.locator('table.jobs tbody tr[data-job-id]').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-job-id'))))
const range = (p: Page) => p.getByTestId('jobs-range').textContent()
const children = async (parent: number): Promise<number[]> =>
  ((await api(served.url, token, 'GET', `/api/v1/jobs?parent=${parent}&limit=100`)).items as { id: number }[]).map((j) => j.id)

/** Runs `sf:par` to its end; resolves with its job id. */
async function runParent(descriptorId: string): Promise<number> {
  const { jobId } = await api(served.url, token, 'POST', '/api/v1/workflows/submit', { descriptorId })
  await expect.poll(async () => (await api(served.url, token, 'GET', `/api/v1/jobs/${jobId}`)).status, { timeout: 30_000 }).toBe('succeeded')
  return jobId
}

describe('Jobs page: sub-flows', () => {
  let parent: number
  let plain: number
  let descriptorId: string
  it('lists top-level jobs only, the parent row counting its sub-flows', async () => {
    await api(served.url, token, 'POST', '/api/v1/workflows', { text: ONE })
    ;({ descriptorId } = await api(served.url, token, 'POST', '/api/v1/workflows', { text: PARENT }))
    parent = await runParent(descriptorId)
    expect(await children(parent)).toHaveLength(SUBFLOWS)
    plain = (await api(served.url, token, 'POST', '/api/v1/jobs', { type: 'script', language: 'shell', code: 'echo mine' })).id

    await signIn(page, served.url)
    await poll(() => rowIds(page)).toEqual([plain, parent])
    await poll(() => range(page)).toBe('1–2 of 2')
    const count = page.getByTestId(`subflows-${parent}`)
    await expect.poll(() => count.textContent()).toBe(`${SUBFLOWS} sub-flows`)
    expect(await count.isVisible()).toBe(true)
    await page.screenshot({ path: resolve(SHOTS, 'jobs-subflows-top-level.png') })
  })

  it('the count lists that job’s sub-flows, each marked as such, and leads back to all jobs', async () => {
    await page.getByTestId(`subflows-${parent}`).click()
    const kids = await children(parent)
    await poll(() => rowIds(page)).toEqual(kids)
    await poll(() => range(page)).toBe(`1–${SUBFLOWS} of ${SUBFLOWS}`)
    expect(await page.getByTestId('subflow-view').textContent()).toContain(`Sub-flows of job #${parent}`)
    expect(page.url()).toContain(`parent=${parent}`)
    // the count did not open the parent's detail: the row's click was not taken
    expect(await page.locator('aside.detail.empty').count()).toBe(1)
    await page.screenshot({ path: resolve(SHOTS, 'jobs-subflows-children.png') })

    // a sub-flow's detail names its parent and opens it
    await page.locator(`tr[data-job-id="${kids[0]}"]`).click()
    const parentFact = page.getByTestId('job-parent')
    await poll(() => parentFact.textContent()).toBe(`#${parent} sf:par`)
    await page.screenshot({ path: resolve(SHOTS, 'jobs-subflow-detail.png') })
    await parentFact.getByRole('button', { name: `open job ${parent}` }).click()
    await poll(() => page.getByTestId('job-subflows').textContent()).toBe(`${SUBFLOWS} sub-flows: list them`)
    expect(await page.getByTestId('job-parent').count()).toBe(0)

    await page.getByTestId('subflow-view').getByRole('button', { name: '← All jobs' }).click()
    await poll(() => rowIds(page)).toEqual([plain, parent])
    expect(page.url()).not.toContain('parent=')
  })

  it('a search for a sub-flow’s id finds it among the top-level jobs, and the list stays put', async () => {
    const kid = (await children(parent))[3]
    await page.getByLabel('search jobs').fill(`#${kid}`)
    await poll(() => rowIds(page)).toEqual([kid])
    // the row is kept as the server listed it: not dropped as a sub-flow and listed again, over and over
    let lists = 0
    const count = (r: { url(): string }) => void (/\/api\/v1\/jobs\?/.test(r.url()) && lists++)
    page.on('request', count)
    await new Promise((r) => setTimeout(r, 1500))
    page.off('request', count)
    expect(lists).toBe(0)
    expect(await rowIds(page)).toEqual([kid])
    await page.getByLabel('search jobs').fill('')
    await poll(() => rowIds(page)).toEqual([plain, parent])
  })

  it('"Sub-flows as rows" lists every job flat, kept over a reload', async () => {
    await page.getByLabel('sub-flows as rows').check()
    const kids = await children(parent)
    await poll(() => rowIds(page)).toEqual([plain, ...kids, parent])
    expect(await page.locator(`tr[data-job-id="${kids[0]}"] .subflow-mark`).getAttribute('title')).toBe(`sub-flow of job #${parent}`)
    expect(page.url()).toContain('parent=all')
    await page.reload()
    await poll(() => rowIds(page)).toEqual([plain, ...kids, parent])
    expect(await page.getByLabel('sub-flows as rows').isChecked()).toBe(true)
    await page.getByLabel('sub-flows as rows').uncheck()
    await poll(() => rowIds(page)).toEqual([plain, parent])
  })

  it('a new run shows as one row whose count follows its sub-flows as they start', async () => {
    const next = await runParent(descriptorId)
    await poll(() => rowIds(page)).toEqual([next, plain, parent])
    await expect.poll(() => page.getByTestId(`subflows-${next}`).textContent(), { timeout: 10_000 }).toBe(`${SUBFLOWS} sub-flows`)
    await poll(() => range(page)).toBe('1–3 of 3')
  })
})
