// Layout at 900×600 (#13.4): every page fits, with the sidebar collapsed or not, and no button,
// field or link is clipped, pushed off screen or laid over another.
import { resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { SHOTS, api, browserSuite, layoutProblems, signIn, type Served, poll, mainNav } from './support'

const suite = browserSuite({ width: 900, height: 600 })

let served: Served
let page: Page
let token: string
beforeAll(() => ({ served, page, token } = suite))

const FLOW = `workspace: demo
dagName: small
type: flow
tasks:
  - {category: pass, name: first, next: second}
  - {category: function, name: second, pattern: task_sync, resourceName: "http://127.0.0.1:1/x"}
`

const nav = (name: string) => mainNav(page, name)

async function check(shot: string): Promise<void> {
  await page.waitForTimeout(300) // layout settles (fit view, lazy pages)
  await page.screenshot({ path: resolve(SHOTS, shot) })
  expect(await layoutProblems(page)).toEqual([])
}

describe('900×600', () => {
  it('Jobs, with jobs checked, then a job open (it takes the page at this width)', async () => {
    for (const code of ['echo one', 'echo two', 'sleep 30']) await api(served.url, token, 'POST', '/api/v1/jobs', { type: 'script', language: 'shell', code })
    await signIn(page, served.url)
    await page.locator('tr[data-job-id="1"]').getByRole('checkbox').click()
    await check('small-jobs-checked.png')
    await page.locator('tr[data-job-id="2"] td.num').click()
    await page.getByRole('complementary', { name: 'job detail' }).waitFor()
    await check('small-jobs.png')
  })

  it('Scripts', async () => {
    await nav('Scripts')
    await page.getByTestId('script-editor').waitFor()
    await check('small-scripts.png')
  })

  it('Workflows, designing and showing a run', async () => {
    const { descriptorId } = await api(served.url, token, 'POST', '/api/v1/workflows', { text: FLOW })
    const { jobId } = await api(served.url, token, 'POST', '/api/v1/workflows/submit', { descriptorId })
    await nav('Workflows')
    // narrow: the list is a drawer, open by itself the first time the page is shown with nothing open
    await page.getByTestId('wf-item-demo:small').waitFor()
    await page.screenshot({ path: resolve(SHOTS, 'small-workflows-list.png') }) // a drawer over the editor
    await page.getByTestId('wf-item-demo:small').click() // and it makes way for the picked workflow
    await poll(() => page.getByTestId('wf-item-demo:small').count()).toBe(0)
    await check('small-workflows-design.png')
    await page.goto(`${served.url}/#/workflows/${encodeURIComponent(descriptorId)}?execution=${jobId}`)
    await expect.poll(() => page.getByTestId('wf-node-second').getAttribute('data-status'), { timeout: 15_000 }).toBe('failed')
    await check('small-workflows-run.png')
  })

  it('Imports, Graph and Settings', async () => {
    await nav('Imports')
    await check('small-imports.png')
    await nav('Graph')
    await check('small-graph.png')
    await page.getByRole('tab', { name: 'Graphs' }).click()
    await check('small-graph-list.png')
    await page.getByRole('tab', { name: 'Query' }).click()
    await nav('Settings')
    await check('small-settings.png')
  })

  it('collapses the sidebar to icons, and keeps that over a reload', async () => {
    await nav('Jobs')
    await page.getByRole('button', { name: 'collapse the sidebar' }).click()
    const width = async () => (await page.getByRole('navigation', { name: 'main' }).boundingBox())!.width
    await poll(width).toBeLessThan(70)
    await check('small-jobs-collapsed.png')
    await page.reload()
    await page.getByRole('button', { name: 'expand the sidebar' }).waitFor()
    expect(await width()).toBeLessThan(70)
    await nav('Workflows') // the collapsed buttons keep their names
    await page.getByTestId('yaml-editor').waitFor()
    await check('small-workflows-collapsed.png')
    await page.getByRole('button', { name: 'expand the sidebar' }).click()
    await poll(width).toBeGreaterThan(120)
  })
})
