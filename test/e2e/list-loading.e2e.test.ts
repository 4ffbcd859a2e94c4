// The Jobs list said "No jobs yet" while its first page was still on its way (a user with jobs saw
// "none" for a moment, on a slow server for seconds), and so did the Workflows list, the saved
// scripts and the graph workflows. Each says it is loading until its first answer, says why and
// offers Retry when that answer failed, and says it is empty only when the answer had nothing.
import { resolve } from 'node:path'
import type { Page, Route } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { SHOTS, browserSuite, poll, signIn, type Served } from './support'

const suite = browserSuite({ width: 1400, height: 860 })
let served: Served
let page: Page
beforeAll(() => ({ served, page } = suite))

/**
 * Holds the page's GET requests of `path` (not its sub-paths) until `release`, which lets them
 * through, or `fail`, which answers them 500 as a server in trouble would; later ones then go
 * through untouched.
 */
async function hold(p: Page, path: string): Promise<{ held: () => number; release(): void; fail(): void }> {
  const waiting: Route[] = []
  let open = false
  const matches = (url: URL) => url.pathname === path
  await p.route(matches, (route) => (open || route.request().method() !== 'GET' ? route.continue() : void waiting.push(route)))
  const done = (answer: (r: Route) => Promise<void>) => {
    open = true
    for (const r of waiting.splice(0)) void answer(r)
    void p.unroute(matches)
  }
  return {
    held: () => waiting.length,
    release: () => done((r) => r.continue()),
    fail: () => done((r) => r.fulfill({ status: 500, contentType: 'application/json', body: JSON.stringify({ error: { code: 'internal', message: 'the store is busy' } }) })),
  }
}

const nav = (name: string) => page.getByRole('navigation', { name: 'main' }).getByRole('button', { name })

describe('lists before their first answer', () => {
  it('Jobs: "Loading…" while the first page is on its way, "No jobs yet" only once it answered empty', async () => {
    const list = await hold(page, '/api/v1/jobs')
    await signIn(page, served.url)
    await poll(list.held).toBeGreaterThan(0)
    const table = page.locator('table.jobs')
    await poll(() => table.getByRole('status').textContent()).toBe('Loading the jobs…')
    expect(await table.textContent()).not.toContain('No jobs yet')
    // nor does the pager count "0–0 of 0" before it knows
    expect(await page.getByTestId('jobs-range').textContent()).toBe('')
    await page.screenshot({ path: resolve(SHOTS, 'list-loading-jobs.png') })
    list.release()
    await poll(() => page.getByTestId('jobs-empty').textContent()).toContain('No jobs yet')
    expect(await table.textContent()).not.toContain('Loading')
    expect(await page.getByTestId('jobs-range').textContent()).toBe('0–0 of 0')
  })

  it('Jobs: a failed first page says so and offers Retry, which lists them', async () => {
    const list = await hold(page, '/api/v1/jobs')
    await page.reload()
    await poll(list.held).toBeGreaterThan(0)
    list.fail()
    const table = page.locator('table.jobs')
    await poll(() => table.getByRole('alert').textContent()).toContain('The jobs could not be loaded. The store is busy.')
    expect(await table.textContent()).not.toContain('No jobs yet')
    await page.screenshot({ path: resolve(SHOTS, 'list-failed-jobs.png') })
    const again = await hold(page, '/api/v1/jobs')
    await table.getByRole('button', { name: 'Retry' }).click()
    await poll(() => table.getByRole('status').textContent()).toBe('Loading the jobs…') // asked again: loading, not the old failure
    again.release()
    await poll(() => page.getByTestId('jobs-empty').textContent()).toContain('No jobs yet')
  })

  it('Workflows: loading, then a failure with Retry, then "No workflows yet"', async () => {
    const list = await hold(page, '/api/v1/workflows')
    await nav('Workflows').click()
    const side = page.getByRole('navigation', { name: 'workflows' })
    await poll(() => side.getByRole('status').textContent()).toBe('Loading the workflows…')
    expect(await side.textContent()).not.toContain('No workflows yet')
    list.fail()
    await poll(() => side.getByRole('alert').textContent()).toContain('The workflows could not be loaded')
    await page.screenshot({ path: resolve(SHOTS, 'list-failed-workflows.png') })
    await side.getByRole('button', { name: 'Retry' }).click()
    await poll(() => side.textContent()).toContain('No workflows yet')
  })

  it('Saved scripts: loading until the first answer, then "None yet"', async () => {
    const list = await hold(page, '/api/v1/saved-scripts')
    await nav('Scripts').click()
    const saved = page.locator('section[aria-label="saved scripts"]')
    await poll(() => saved.getByRole('status').first().textContent()).toBe('Loading the saved scripts…')
    expect(await saved.textContent()).not.toContain('None yet')
    await page.screenshot({ path: resolve(SHOTS, 'list-loading-saved-scripts.png') })
    list.release()
    await poll(() => saved.textContent()).toContain('None yet')
  })

  it('Scratch tables: a failed reading says why and offers Retry, which lists them', async () => {
    const tables = await hold(page, '/api/v1/scratch/tables')
    await page.reload() // the tables this page read before are gone: read anew
    const scratch = page.getByRole('region', { name: 'scratch database' })
    await poll(() => scratch.getByRole('status').textContent()).toBe('Loading the scratch tables…')
    tables.fail()
    // was "Loading…" for good
    await poll(() => scratch.getByRole('alert').textContent()).toContain('The scratch tables could not be loaded')
    expect(await scratch.getByRole('alert').textContent()).toMatch(/the store is busy/i)
    await page.screenshot({ path: resolve(SHOTS, 'list-failed-scratch-tables.png') })
    await scratch.getByRole('button', { name: 'Retry' }).click()
    await poll(() => scratch.textContent()).toContain('No tables yet')
  })

  it('Graph workflows: loading until the first answer, then "No graph workflows yet"', async () => {
    const list = await hold(page, '/api/v1/graph-workflows')
    await nav('Graph').click()
    await page.getByRole('tab', { name: 'Workflows' }).click()
    const section = page.getByRole('region', { name: 'graph workflows' })
    await poll(() => section.getByRole('status').first().textContent()).toBe('Loading the graph workflows…')
    expect(await section.textContent()).not.toContain('No graph workflows yet')
    list.release()
    await poll(() => section.textContent()).toContain('No graph workflows yet')
  })

  it('Graphs: loading until the first answer, then the graphs', async () => {
    const list = await hold(page, '/api/v1/graphs')
    await page.getByRole('tab', { name: 'Graphs' }).click()
    const panel = page.getByRole('region', { name: 'graphs' })
    await poll(() => panel.locator('td.empty').textContent()).toBe('Loading the graphs…')
    list.release()
    // its answer: a row per graph, or "No graphs." when there is none
    await poll(async () => (await panel.locator('tr[data-graph]').count()) > 0 || (await panel.locator('td.empty').allTextContents()).some((t) => t.startsWith('No graphs.'))).toBe(true)
  })

  it('Settings → Users: loading, then a failure with Retry, then the users', async () => {
    const list = await hold(page, '/api/v1/users')
    await nav('Settings').click()
    await poll(() => page.getByText('Loading the users…').count()).toBe(1)
    await page.screenshot({ path: resolve(SHOTS, 'list-loading-users.png') })
    list.fail()
    await poll(() => page.getByRole('alert').filter({ hasText: 'The users could not be loaded' }).count()).toBe(1)
    await page.getByRole('button', { name: 'Retry' }).click()
    await poll(() => page.getByRole('region', { name: 'users', exact: true }).locator('tr[data-user="admin"]').count()).toBe(1)
  })

  it('Graph workflows: the upload folder is said to be empty only once it was read', async () => {
    const files = await hold(page, '/api/v1/files')
    await page.reload() // the Workflows tab read the folder before: read anew
    await nav('Graph').click()
    await page.getByRole('tab', { name: 'Workflows' }).click()
    await page.getByRole('button', { name: 'New workflow' }).click()
    await page.getByRole('button', { name: 'add WCC' }).click()
    const settings = page.getByRole('complementary', { name: 'component settings' })
    await settings.getByLabel('algorithm input').selectOption('file')
    await poll(files.held).toBeGreaterThan(0)
    const hint = settings.locator('.gw-field', { has: page.getByLabel('input file') }).locator('.gw-field-hint')
    await poll(() => hint.textContent()).toContain('Lines of src,dst')
    expect(await settings.textContent()).not.toContain('upload folder is empty')
    await page.screenshot({ path: resolve(SHOTS, 'list-loading-upload-folder.png') })
    files.release()
    await poll(() => settings.textContent()).toContain('Your upload folder is empty')
  })
})
