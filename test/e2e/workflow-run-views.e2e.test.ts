// Workflow run views (#13.3): durations on the DAG's nodes, "not run" downstream of a failure,
// a left-to-right layout, zoom to fit and a minimap for wide DAGs, Ctrl+S saves.
import { resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { SHOTS, browserSuite, expectZoomButtonsKeepView, layoutProblems, nodesUnderOverlays, signIn, type Served, poll } from './support'
import { openWorkflow, typeDescriptor } from './workflow-page'
import { FAILING_FLOW as FAILING } from './flows'

const WIDE = `workspace: demo
dagName: wide
type: flow
tasks:
  - {category: pass, name: start, next: "${Array.from({ length: 12 }, (_, i) => `step${i + 1}`).join(',')}"}
${Array.from({ length: 12 }, (_, i) => `  - {category: pass, name: step${i + 1}}`).join('\n')}
`
/** Two tasks side by side after a first: it fits whole at a readable zoom in a 900×600 window too. */
const FORK = `workspace: demo
dagName: fork
type: flow
tasks:
  - {category: pass, name: start, next: "step1,step2"}
  - {category: pass, name: step1}
  - {category: pass, name: step2}
`

const QUICK = `workspace: demo
dagName: quick
type: flow
tasks:
  - {category: pass, name: a, next: b}
  - {category: pass, name: b, next: c}
  - {category: pass, name: c, next: d}
  - {category: pass, name: d}
`

const suite = browserSuite({ width: 1400, height: 860 })

let served: Served
let page: Page
beforeAll(() => ({ served, page } = suite))

const node = (name: string) => page.getByTestId(`wf-node-${name}`)
const statusOf = (name: string) => node(name).getAttribute('data-status')

/** Names of drawn nodes lying (even partly) outside the graph's canvas. */
async function outsideCanvas(): Promise<string[]> {
  const canvas = (await page.getByTestId('dag-canvas').boundingBox())!
  const out: string[] = []
  for (const el of await page.locator('.wf-node').all()) {
    const b = (await el.boundingBox())!
    if (b.x < canvas.x || b.y < canvas.y || b.x + b.width > canvas.x + canvas.width || b.y + b.height > canvas.y + canvas.height) out.push((await el.getAttribute('data-testid')) ?? '?')
  }
  return out
}

/** The graph's view: React Flow's viewport transform (pan and zoom). */
const viewport = () => page.locator('.react-flow__viewport').evaluate((el) => getComputedStyle(el).transform)
const zoom = () => page.locator('.react-flow__viewport').evaluate((el) => new DOMMatrix(getComputedStyle(el).transform).a)

describe('workflow run views', () => {
  it('shows durations on nodes and "not run" for the tasks after a failure', async () => {
    await signIn(page, served.url)
    await openWorkflow(suite, FAILING, {})
    await expect.poll(() => statusOf('boom'), { timeout: 15_000 }).toBe('failed')
    expect(await statusOf('start')).toBe('succeeded')
    for (const name of ['after', 'last']) {
      expect(await statusOf(name)).toBe('not_run')
      expect(await node(name).locator('.wf-node-status').textContent()).toBe('not run')
    }
    // a pass task takes a few ms: in ms, not "0.0 s" (#13 trial)
    expect(await page.getByTestId('wf-node-duration-start').textContent()).toMatch(/^ · \d+ ms$/)
    expect(await page.getByTestId('wf-node-duration-boom').textContent()).toMatch(/^ · (\d+ ms|\d+(\.\d)? s)$/)
    expect(await page.getByTestId('wf-node-duration-after').count()).toBe(0)
    await page.screenshot({ path: resolve(SHOTS, 'workflow-not-run.png') })
  })

  it('keeps the run bar on one line, Cancel beside the status, with the run panel open at 900 to 1920 px (#13.4)', async () => {
    const bar = page.getByTestId('execution-bar')
    expect(await page.getByRole('button', { name: 'Redo failed' }).count()).toBe(1) // the longest bar: Redo failed and Cancel
    for (const width of [1920, 1400, 1200, 900]) {
      await page.setViewportSize({ width, height: 860 })
      // at 1200 px and less the list is a drawer over the editor: it starts closed (#13 trial)
      if (width <= 1200) await poll(() => page.getByRole('navigation', { name: 'workflows' }).count()).toBe(0)
      await page.waitForTimeout(200)
      // every part of the bar on the status's line
      const rows = await bar.evaluate((el) => {
        const top = (e: Element) => Math.round(e.getBoundingClientRect().top + e.getBoundingClientRect().height / 2)
        const status = top(el.querySelector('[data-testid="execution-status"]')!)
        return [...el.querySelectorAll('button, [data-testid="execution-status"]')].map((e) => Math.abs(top(e) - status) <= 3)
      })
      expect(rows, `at ${width} px`).not.toContain(false)
      expect(await page.getByRole('complementary', { name: 'run panel' }).isVisible(), `run panel at ${width} px`).toBe(true)
      expect(await layoutProblems(page), `at ${width} px`).toEqual([])
      await page.screenshot({ path: resolve(SHOTS, `workflow-run-bar-${width}.png`) })
    }
    await page.setViewportSize({ width: 1400, height: 860 })
    await page.getByRole('navigation', { name: 'workflows' }).waitFor() // the column, as it was
  })

  it('shows a wide DAG from its start at a readable zoom, with a minimap, top-down and left-to-right, and zooms back to that view', async () => {
    await openWorkflow(suite, WIDE)
    await poll(() => page.locator('.wf-node').count()).toBe(13)
    await page.getByRole('button', { name: '↓ Top-down' }).click()
    // twelve side by side do not fit at a readable zoom (0.5, the least a fit goes to): from the start, the minimap shows the rest
    await poll(zoom).toBeCloseTo(0.5, 2)
    await poll(outsideCanvas).not.toContain('wf-node-start')
    expect((await outsideCanvas()).length).toBeGreaterThan(0)
    expect(await page.locator('.react-flow__minimap').isVisible()).toBe(true)
    // nothing of the failing workflow's execution is offered with this one
    expect(await page.getByRole('group', { name: 'graph shows' }).getByRole('button', { name: 'Run' }).isDisabled()).toBe(true)
    await page.screenshot({ path: resolve(SHOTS, 'workflow-wide-top-down.png') })

    await page.getByRole('button', { name: '→ Left-right' }).click()
    await poll(async () => (await node('step1').boundingBox())!.x > (await node('start').boundingBox())!.x + 100).toBe(true)
    const columns = async () => new Set(await Promise.all(['step1', 'step7', 'step12'].map(async (n) => Math.round((await node(n).boundingBox())!.x)))).size
    await poll(columns).toBe(1) // one column
    await poll(outsideCanvas).not.toContain('wf-node-start')
    expect(await zoom()).toBeCloseTo(0.5, 2)
    await page.screenshot({ path: resolve(SHOTS, 'workflow-wide-left-right.png') })

    // drag the graph away, then "zoom to fit" brings back the view it had
    await page.waitForTimeout(300)
    const fitted = await viewport()
    const canvas = (await page.getByTestId('dag-canvas').boundingBox())!
    await page.mouse.move(canvas.x + 40, canvas.y + canvas.height - 40)
    await page.mouse.down()
    await page.mouse.move(canvas.x + canvas.width - 60, canvas.y + 30, { steps: 8 })
    await page.mouse.up()
    expect(await outsideCanvas()).toContain('wf-node-start')
    await page.getByRole('button', { name: 'zoom to fit' }).click()
    await poll(viewport).toBe(fitted)
    expect(await outsideCanvas()).not.toContain('wf-node-start')

    // the direction is kept over a reload
    await page.reload()
    await poll(() => page.getByRole('button', { name: '→ Left-right' }).getAttribute('aria-pressed')).toBe('true')
  })

  it('saves with Ctrl+S', async () => {
    await page.getByRole('button', { name: 'New workflow' }).click()
    await typeDescriptor(page, FAILING.replace('dagName: failing', 'dagName: savedByKey'))
    await page.keyboard.press('ControlOrMeta+S') // right away: before the typing pause's check
    await poll(() => page.getByTestId('saved-id').textContent()).toMatch(/demo:savedByKey:md5_[0-9a-f]{32}/)
    await page.getByTestId('wf-item-demo:savedByKey').waitFor()
    const first = /md5_([0-9a-f]{8})/.exec((await page.getByTestId('saved-id').textContent()) ?? '')![1]
    expect(await page.getByTestId('moved-aliases').textContent()).toContain(`release now points to ${first}`)

    // a second version moves the release alias, and saving says so
    await page.getByTestId('yaml-editor').click()
    await page.keyboard.press('ControlOrMeta+End')
    await page.keyboard.insertText('  - {category: pass, name: extra}\n')
    await page.keyboard.press('ControlOrMeta+S')
    const savedVersion = async () => /md5_([0-9a-f]{8})/.exec((await page.getByTestId('saved-id').locator('code').textContent()) ?? '')?.[1]
    await poll(savedVersion).not.toBe(first)
    const second = (await savedVersion())!
    expect(await page.getByTestId('moved-aliases').textContent()).toBe(` · release now points to ${second} (was ${first})`)
    await page.screenshot({ path: resolve(SHOTS, 'workflow-saved-alias.png') })
  })

  it('refits the DAG as the window narrows to 900 px, clear of the zoom buttons, until the user pans or zooms it, and again after "zoom to fit" (#13.4)', async () => {
    await page.setViewportSize({ width: 1400, height: 860 })
    await openWorkflow(suite, FORK)
    await poll(() => page.locator('.wf-node').count()).toBe(3)
    await page.getByRole('button', { name: '↓ Top-down' }).click()
    await poll(outsideCanvas).toEqual([])

    await page.setViewportSize({ width: 900, height: 600 })
    await poll(outsideCanvas).toEqual([])
    // no node under the zoom buttons or the minimap (not drawn on a canvas this small)
    const underControls = () => nodesUnderOverlays(page)
    await poll(underControls).toEqual([])
    await page.screenshot({ path: resolve(SHOTS, 'workflow-dag-900.png') })

    // once the user pans, the view is theirs: a resize keeps it
    const canvas = (await page.getByTestId('dag-canvas').boundingBox())!
    await page.mouse.move(canvas.x + 30, canvas.y + canvas.height - 30)
    await page.mouse.down()
    await page.mouse.move(canvas.x + 90, canvas.y + canvas.height - 60, { steps: 6 })
    await page.mouse.up()
    const at = async () => {
      const [b, c] = [(await node('start').boundingBox())!, (await page.getByTestId('dag-canvas').boundingBox())!]
      return { x: Math.round(b.x - c.x), y: Math.round(b.y - c.y), width: Math.round(b.width) }
    }
    const panned = await at()
    await page.setViewportSize({ width: 1000, height: 640 })
    await page.waitForTimeout(400)
    expect(await at()).toEqual(panned)

    // "zoom to fit" fits it and hands the view back: it refits as the window changes again
    await page.getByRole('button', { name: 'zoom to fit' }).click()
    await poll(outsideCanvas).toEqual([])
    await page.waitForTimeout(400)
    const fitted = await at()
    await page.setViewportSize({ width: 900, height: 600 })
    await poll(at).not.toEqual(fitted)
    await poll(outsideCanvas).toEqual([])
    // the + and − buttons are the user zooming, as the wheel is: a resize keeps their view
    await expectZoomButtonsKeepView(page, { fit: 'zoom to fit', at, home: { width: 900, height: 600 }, other: { width: 1000, height: 640 } })
    await page.screenshot({ path: resolve(SHOTS, 'workflow-dag-zoomed-kept.png') })
    await page.setViewportSize({ width: 1400, height: 860 })
  })

  it('times a run of quick tasks in ms: the Gantt axis ticks every few ms, durations read "4 ms", not "0.0 s" (#13 trial)', async () => {
    await openWorkflow(suite, QUICK, {})
    await poll(() => statusOf('d')).toBe('succeeded')
    for (const name of ['a', 'b', 'c', 'd']) expect(await page.getByTestId(`wf-node-duration-${name}`).textContent()).toMatch(/^ · \d+ ms$/)
    const view = page.getByRole('group', { name: 'view' })
    await view.getByRole('button', { name: 'Gantt' }).click()
    await page.getByTestId('run-gantt').waitFor()
    for (const name of ['a', 'b', 'c', 'd']) expect(await page.getByTestId(`gantt-duration-${name}`).textContent()).toMatch(/^\d+ ms$/)
    // the run spans a few ms: the axis counts them (its smallest step was 100 ms: one tick, "0 ms")
    const ticks = await page.locator('.wf-gantt-axis .wf-gantt-tick').allTextContents()
    expect(ticks.length, ticks.join(', ')).toBeGreaterThanOrEqual(2)
    for (const t of ticks) expect(t).toMatch(/^\d+ ms$/)
    expect(new Set(ticks).size).toBe(ticks.length)
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme })
      await page.screenshot({ path: resolve(SHOTS, `workflow-gantt-quick-${scheme}.png`) })
    }
    await page.emulateMedia({ colorScheme: 'light' })
    await view.getByRole('button', { name: 'Graph' }).click()
  })
})
