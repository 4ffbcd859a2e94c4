// The Workflows page's layout as a new user meets it (#13.3, #13.4; found by the #13 trial):
// - at 1280×800 with the list and the run panel open, a wide DAG shows its minimap (the graph's
//   canvas is 472 px wide there, and the minimap was hidden below 480 px), clear of the graph;
// - zoom to fit never goes below a readable zoom (0.5: the wide graph's nodes were ~25 px wide):
//   a graph too big for it is shown from its start, the minimap saying where the view is;
// - in a window of 1200 px or less the list is a drawer over the editor: it starts closed when
//   the window narrows or the page opens narrow (it opened as the wide window's column had been,
//   over the editor).
import { resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { SHOTS, api, browserSuite, layoutProblems, nodesUnderOverlays, poll, signIn, type Served } from './support'
import { WIDE_FLOW as WIDE } from './flows'

/** Fifteen tasks one after another. */
const CHAIN = `workspace: trial
dagName: chain
type: flow
tasks:
${Array.from({ length: 15 }, (_, i) => `  - {category: pass, name: c${String(i + 1).padStart(2, '0')}${i < 14 ? `, next: c${String(i + 2).padStart(2, '0')}` : ''}}`).join('\n')}
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
const canvas = () => page.getByTestId('dag-canvas').locator('.react-flow')
/** The graph's zoom (React Flow's viewport transform). */
const zoom = () => page.locator('.react-flow__viewport').evaluate((el) => new DOMMatrix(getComputedStyle(el).transform).a)
/** Whether a node lies wholly inside the graph's canvas. */
const wholeInView = async (name: string) => {
  const [n, c] = [(await page.getByTestId(`wf-node-${name}`).boundingBox())!, (await canvas().boundingBox())!]
  return n.x >= c.x && n.y >= c.y && n.x + n.width <= c.x + c.width && n.y + n.height <= c.y + c.height
}
/** The part of the minimap's drawing the view shows, as a share of its width and height. */
const minimapShows = () =>
  page.evaluate(() => {
    const mask = document.querySelector('.react-flow__minimap-mask')!.getAttribute('d')!
    const svg = document.querySelector<SVGSVGElement>('.react-flow__minimap svg')!.viewBox.baseVal
    // the mask's path: the whole drawing, then the view's rectangle (M x,y h w v h …)
    const view = /M(-?[\d.]+),(-?[\d.]+)h(-?[\d.]+)v(-?[\d.]+)/.exec(mask.split('M').slice(2).map((p) => 'M' + p).join('')) ?? []
    return { width: Math.abs(Number(view[3])) / svg.width, height: Math.abs(Number(view[4])) / svg.height }
  })

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
    // far too wide to fit readably (it fitted at ~0.12, nodes ~25 px wide): at 0.5, from its start
    expect(await zoom()).toBeCloseTo(0.5, 2)
    expect((await page.getByTestId('wf-node-w01').boundingBox())!.width).toBeGreaterThanOrEqual(109)
    expect(await wholeInView('start')).toBe(true)
    expect(await wholeInView('join')).toBe(true)
    expect((await minimapShows()).width).toBeLessThan(0.5) // the view is a part of the whole, as the minimap shows
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
    expect(await zoom()).toBeCloseTo(0.5, 2)
    expect(await wholeInView('start')).toBe(true)
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

  it('at 1280×800, zoom to fit shows a 15-task chain from its start at a readable zoom, the minimap saying where', async () => {
    await page.setViewportSize({ width: 1280, height: 800 })
    const chain = await api(served.url, token, 'POST', '/api/v1/workflows', { text: CHAIN })
    await page.goto(`${served.url}/#/workflows/${encodeURIComponent(chain.descriptorId)}`)
    await poll(() => page.locator('.wf-node').count()).toBe(15)
    await poll(() => minimap().isVisible()).toBe(true)
    // panned away, then fitted: back at its start
    await canvas().hover()
    await page.mouse.wheel(0, 600)
    await page.waitForTimeout(300)
    await page.getByRole('button', { name: 'zoom to fit' }).click()
    await poll(zoom).toBeCloseTo(0.5, 2)
    await poll(() => wholeInView('c01')).toBe(true)
    expect((await page.getByTestId('wf-node-c01').boundingBox())!.width).toBeGreaterThanOrEqual(109)
    const [first, c] = [(await page.getByTestId('wf-node-c01').boundingBox())!, (await canvas().boundingBox())!]
    // at the top, not somewhere in the middle of the chain: just below the edit strip (two rows in this 472 px canvas: 78 px)
    expect(first.y - c.y).toBeLessThan(100)
    expect(await wholeInView('c15')).toBe(false)
    expect((await minimapShows()).height).toBeLessThan(0.6)
    expect(await underOverlays()).not.toContain('wf-node-c01 under .react-flow__controls')
    await page.screenshot({ path: resolve(SHOTS, 'workflow-layout-1280-chain.png') })
    // left to right, it starts at the left
    await page.getByRole('button', { name: '→ Left-right' }).click()
    await poll(() => wholeInView('c01')).toBe(true)
    expect(await zoom()).toBeCloseTo(0.5, 2)
    const [lr, c2] = [(await page.getByTestId('wf-node-c01').boundingBox())!, (await canvas().boundingBox())!]
    expect(lr.x - c2.x).toBeLessThan(60)
    expect(await wholeInView('c15')).toBe(false)
    await page.screenshot({ path: resolve(SHOTS, 'workflow-layout-1280-chain-lr.png') })
    await page.getByRole('button', { name: '↓ Top-down' }).click()
    // a graph that fits readably is fitted whole, as before
    const small = await api(served.url, token, 'POST', '/api/v1/workflows', { text: CHAIN.replace('dagName: chain', 'dagName: short').replace(/\n {2}- \{category: pass, name: c0[4-9].*|\n {2}- \{category: pass, name: c1.*/g, '').replace('c03, next: c04', 'c03') })
    await page.goto(`${served.url}/#/workflows/${encodeURIComponent(small.descriptorId)}`)
    await poll(() => page.locator('.wf-node').count()).toBe(3)
    await poll(() => wholeInView('c03')).toBe(true)
    expect(await wholeInView('c01')).toBe(true)
    expect(await zoom()).toBeGreaterThanOrEqual(0.5)
  })
})
