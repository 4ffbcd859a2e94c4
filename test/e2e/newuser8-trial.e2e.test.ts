// What a new user's trial found at 1280×800 (newuser8): each test shows one finding, failing before its fix.
import { resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { PAIR_SEED, SHOTS, api, browserSuite, poll, seedGraph, type Served } from './support'

// query workers start from the built bundle, but a loaded machine is slow
vi.setConfig({ testTimeout: 120_000 })

const suite = browserSuite({ width: 1280, height: 800 }, { signedIn: true })
let served: Served
let page: Page
let token: string
beforeAll(() => ({ served, page, token } = suite))

/** The width of what `selector` draws on `page`, in CSS pixels (0 when hidden). */
const width = (selector: string) => page.locator(selector).evaluate((el) => el.getBoundingClientRect().width)

describe('newuser8 trial', () => {
  it('Jobs at 1280 px: with no job open the list takes the page’s width, the detail column comes with an opened job', async () => {
    for (const code of ['echo one', 'echo two']) await api(served.url, token, 'POST', '/api/v1/jobs', { type: 'script', language: 'shell', code })
    await page.goto(`${served.url}/#/jobs`)
    await page.locator('tr[data-job-id="2"]').waitFor()
    const page0 = await width('.jobs-page')
    // was: an empty 440 px "Select a job…" column beside a table of 620 px in a page of 1100
    await poll(() => width('.table-wrap')).toBeGreaterThan(page0 - 60)
    expect(await page.locator('.jobs-page > .detail').isVisible()).toBe(false)
    await page.screenshot({ path: resolve(SHOTS, 'newuser8-jobs-1280.png') })
    // a job opened: its detail beside the list, wide enough to read its log
    await page.locator('tr[data-job-id="1"] td.num').click()
    const detail = page.getByRole('complementary', { name: 'job detail' })
    await detail.waitFor()
    expect((await detail.boundingBox())!.width).toBeGreaterThanOrEqual(400)
    expect(await width('.table-wrap')).toBeLessThan(page0 - 400)
    await page.screenshot({ path: resolve(SHOTS, 'newuser8-jobs-1280-open.png') })
    // closed again: the list has the width back
    await detail.getByRole('button', { name: 'close detail' }).click()
    await poll(() => width('.table-wrap')).toBeGreaterThan(page0 - 60)
  })

  it('Jobs: a cancelled task has no error line that only says “cancelled” under its cancelled badge', async () => {
    const { id } = await api(served.url, token, 'POST', '/api/v1/jobs', { type: 'script', language: 'shell', code: 'sleep 60' })
    await poll(async () => (await api(served.url, token, 'GET', `/api/v1/jobs/${id}`)).status).toBe('running')
    await api(served.url, token, 'POST', `/api/v1/jobs/${id}/cancel`)
    await poll(async () => (await api(served.url, token, 'GET', `/api/v1/jobs/${id}`)).status).toBe('cancelled')
    await page.goto(`${served.url}/#/jobs/${id}`)
    const detail = page.getByRole('complementary', { name: 'job detail' })
    await detail.locator('tr[data-task="main"]').getByText('cancelled').waitFor()
    expect(await detail.getByTestId('job-headline').textContent()).toMatch(/^Cancelled: cancelled by/) // the job's headline says it, with who
    expect(await detail.locator('[data-task-error="main"]').count()).toBe(0) // was: a red "cancelled" row under it
    await page.screenshot({ path: resolve(SHOTS, 'newuser8-cancelled-task.png') })
  })

  it('Graph: expanding a node whose neighbours are all shown, but not its relationships to them, says the relationships were added', async () => {
    await seedGraph(served.url, token, 'pair', PAIR_SEED)
    await page.goto(`${served.url}/#/graph/query`)
    await page.getByLabel('graph to query').selectOption('pair')
    await page.getByTestId('cypher-editor').click()
    await page.keyboard.press('ControlOrMeta+A')
    await page.keyboard.insertText('MATCH (n:person) RETURN n')
    await page.keyboard.press('ControlOrMeta+Enter')
    await page.getByRole('group', { name: 'result view' }).getByRole('button', { name: 'Graph' }).click()
    const picture = page.getByTestId('graph-picture')
    await poll(() => picture.locator('g.gx-node').count()).toBe(2)
    expect(await picture.locator('g.gx-edge').count()).toBe(0)
    const expand = async (name: string) => {
      await picture.locator('g.gx-node', { hasText: name }).click()
      await poll(() => page.getByTestId('item-details').locator('.gx-details-caption').textContent()).toBe(name)
      await page.getByTestId('item-details').getByRole('button', { name: 'Expand neighbours' }).click()
    }
    await expand('Ann')
    await poll(() => picture.locator('g.gx-edge').count()).toBe(2)
    // was: "No new neighbours: every neighbour of that node is already shown." beside two new relationships
    await poll(() => page.locator('.gx-note').textContent()).toBe('No new neighbours; 2 relationships between nodes already shown added.')
    await page.screenshot({ path: resolve(SHOTS, 'newuser8-graph-expand-note.png') })
    // expanded again, nothing is new
    await expand('Cyd')
    await poll(() => page.locator('.gx-note').textContent()).toBe('No new neighbours: every neighbour of that node is already shown.')
  })
})
