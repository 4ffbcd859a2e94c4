// The Workflows page's layout as a new user meets it (#13.3, #13.4; found by the #13 trial):
// - at 1280×800 with the list and the run panel open, a wide DAG shows its minimap (the graph's
//   canvas is 472 px wide there, and the minimap was hidden below 480 px), clear of the graph;
// - in a window of 1200 px or less the list is a drawer over the editor: it starts closed when
//   the window narrows or the page opens narrow (it opened as the wide window's column had been,
//   over the editor).
import { resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { SHOTS, api, browserSuite, layoutProblems, nodesUnderOverlays, poll, signIn, type Served } from './support'

/** The trial's wide workflow: twelve tasks side by side between start and join. */
const WIDE = `workspace: trial
dagName: wide
type: flow
tasks:
  - {category: pass, name: start, next: "w01,w02,w03,w04,w05,w06,w07,w08,w09,w10,w11,w12"}
${Array.from({ length: 12 }, (_, i) => `  - {category: pass, name: w${String(i + 1).padStart(2, '0')}, next: join}`).join('\n')}
  - {category: pass, name: join}
`

// the default window of the desktop app and of the trial
const suite = browserSuite({ width: 1280, height: 800 })
let served: Served
let page: Page
let token: string
let descriptorId: string
let jobId: number
beforeAll(() => ({ served, page, token } = suite))

const list = () => page.getByRole('navigation', { name: 'workflows' })
const minimap = () => page.locator('.react-flow__minimap')

const underOverlays = () => nodesUnderOverlays(page)

describe('the Workflows page’s layout', () => {
  it('at 1280×800 with the list and the run panel open, a wide DAG shows its minimap, clear of the graph', async () => {
    ;({ descriptorId } = await api(served.url, token, 'POST', '/api/v1/workflows', { text: WIDE }))
    ;({ jobId } = await api(served.url, token, 'POST', '/api/v1/workflows/submit', { descriptorId }))
    await signIn(page, served.url)
    await page.goto(`${served.url}/#/workflows/${encodeURIComponent(descriptorId)}`)
    await poll(() => page.locator('.wf-node').count()).toBe(14)
    expect(await list().isVisible()).toBe(true)
    expect(await page.getByRole('complementary', { name: 'run panel' }).isVisible()).toBe(true)
    await poll(() => minimap().isVisible()).toBe(true)
    await poll(underOverlays).toEqual([])
    expect(await layoutProblems(page)).toEqual([])
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme })
      await page.screenshot({ path: resolve(SHOTS, `workflow-layout-1280-${scheme}.png`) })
    }
    await page.emulateMedia({ colorScheme: 'light' })
    // the run's view too, left to right
    await page.goto(`${served.url}/#/workflows/${encodeURIComponent(descriptorId)}?execution=${jobId}`)
    await poll(() => page.getByTestId('wf-node-join').getAttribute('data-status')).toBe('succeeded')
    await page.getByRole('button', { name: '→ Left-right' }).click()
    await poll(() => minimap().isVisible()).toBe(true)
    await poll(underOverlays).toEqual([])
    await page.screenshot({ path: resolve(SHOTS, 'workflow-layout-1280-run.png') })
    await page.getByRole('button', { name: '↓ Top-down' }).click()
  })

  it('narrowed to 900×600, the list’s drawer is closed, not over the editor; also after a reload and in a new window', async () => {
    await page.setViewportSize({ width: 900, height: 600 })
    await poll(() => list().count()).toBe(0)
    expect(await page.getByRole('button', { name: 'show the workflow list' }).isVisible()).toBe(true)
    expect(await layoutProblems(page)).toEqual([])
    await page.reload()
    await page.getByTestId('wf-node-start').waitFor()
    expect(await list().count()).toBe(0)
    // opened on demand, it lies over the editor; picking a workflow closes it
    await page.getByRole('button', { name: 'show the workflow list' }).click()
    await list().waitFor()
    await page.getByTestId('wf-item-trial:wide').click()
    await poll(() => list().count()).toBe(0)
    // opened, and the window widened and narrowed again: the wide window's column, then closed
    await page.getByRole('button', { name: 'show the workflow list' }).click()
    await page.setViewportSize({ width: 1280, height: 800 })
    await poll(() => list().evaluate((el) => getComputedStyle(el).position)).toBe('static') // a column again, not the drawer
    await page.setViewportSize({ width: 900, height: 600 })
    await poll(() => list().count()).toBe(0)
    // a new window opened narrow, with the column open in the kept layout
    const fresh = await suite.browser.newPage({ viewport: { width: 900, height: 600 } })
    await fresh.addInitScript(() => sessionStorage.setItem('jobdesk.passwordPrompt.skipped', 'admin'))
    await signIn(fresh, served.url)
    await fresh.goto(`${served.url}/#/workflows/${encodeURIComponent(descriptorId)}?execution=${jobId}`)
    await fresh.getByTestId('wf-node-start').waitFor()
    expect(await fresh.getByRole('navigation', { name: 'workflows' }).count()).toBe(0)
    expect(await layoutProblems(fresh)).toEqual([])
    for (const scheme of ['light', 'dark'] as const) {
      await fresh.emulateMedia({ colorScheme: scheme })
      await fresh.screenshot({ path: resolve(SHOTS, `workflow-layout-900-${scheme}.png`) })
    }
    await fresh.close()
  })
})
