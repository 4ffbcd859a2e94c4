// Workflow run views, part two (#13.3): choice and switch branches in YAML order with their
// conditions, the grid of recent runs × tasks, a run's Gantt timeline, aliases (point, delete)
// and the diff of two versions.
import { resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { SHOTS, api, browserSuite, poll, signIn, type Served } from './support'
import { NESTED_WORKFLOW } from '../support/workflows'

// YAML order differs from the runtime's (sorted by condition text: "<=" sorts before ">")
const BRANCHY = `workspace: demo
dagName: branchy
type: flow
tasks:
  - {category: pass, name: start, next: "pick,route"}
  - category: choice
    name: pick
    inputMappings:
      - {source: $.context.n, target: $.input.n}
    choices:
      - condition: "$.input.[?(@.n > 5)]"
        tasks:
          - {category: pass, name: big}
      - condition: "$.input.[?(@.n <= 5)]"
        tasks:
          - {category: pass, name: small}
  - category: switch
    name: route
    inputMappings:
      - {source: $.context.n, target: $.input.n}
    switches:
      - {condition: "$.input.[?(@.n > 5)]", next: high, break: true}
      - {condition: default, next: low}
  - {category: pass, name: high}
  - {category: pass, name: low}
`
const V1 = `workspace: demo
dagName: managed
type: flow
tasks:
  - {category: pass, name: first, next: second}
  - {category: pass, name: second}
`
const V2 = `${V1.replace('name: second}', 'name: second, next: boom}')}  - {category: function, name: boom, pattern: task_sync, resourceName: "http://127.0.0.1:1/nothing-listens-here"}
`

const suite = browserSuite({ width: 1400, height: 860 })
let served: Served
let page: Page
let token: string
beforeAll(() => ({ served, page, token } = suite))

const waitJob = (id: number, statuses: string[]) => poll(async () => (await api(served.url, token, 'GET', `/api/v1/jobs/${id}`)).status).toSatisfy((s: string) => statuses.includes(s))
const view = (name: string) => page.getByRole('group', { name: 'view' }).getByRole('button', { name })

describe('workflow branches, grid, Gantt, versions', () => {
  it('draws choice branches in YAML order with their conditions, and switch conditions on the edges', async () => {
    const { descriptorId } = await api(served.url, token, 'POST', '/api/v1/workflows', { text: BRANCHY })
    const { jobId } = await api(served.url, token, 'POST', '/api/v1/workflows/submit', { descriptorId, context: { n: 9 } })
    await waitJob(jobId, ['succeeded'])
    await signIn(page, served.url)
    await page.goto(`${served.url}/#/workflows/${encodeURIComponent(descriptorId)}`)
    const first = page.getByTestId('wf-branch-pick-1')
    await first.waitFor()
    expect(await first.textContent()).toContain('$.input.[?(@.n > 5)]')
    expect(await first.textContent()).toContain('big')
    expect(await page.getByTestId('wf-branch-pick-2').textContent()).toContain('<= 5')
    const edgeLabels = await page.locator('.react-flow__edge-text').allTextContents()
    expect(edgeLabels).toEqual(expect.arrayContaining(['#1 $.input.[?(@.n > 5)]', '#2 default']))
    await page.screenshot({ path: resolve(SHOTS, 'workflow-branches-design.png') })

    // the run took the first branch as written (the runtime's group 1)
    await page.goto(`${served.url}/#/workflows/${encodeURIComponent(descriptorId)}?execution=${jobId}`)
    await poll(() => page.getByTestId('wf-node-pick').getAttribute('data-status')).toBe('succeeded')
    expect(await page.getByTestId('wf-node-pick').locator('.wf-node-progress').textContent()).toBe('took #1')
    expect(await page.getByTestId('wf-node-high').getAttribute('data-status')).toBe('succeeded')
    await page.screenshot({ path: resolve(SHOTS, 'workflow-branches-run.png') })
  })

  it('shows recent runs × tasks in a grid; a cell opens that run’s task', async () => {
    const d1 = (await api(served.url, token, 'POST', '/api/v1/workflows', { text: V1 })).descriptorId
    const d2 = (await api(served.url, token, 'POST', '/api/v1/workflows', { text: V2 })).descriptorId
    const a = (await api(served.url, token, 'POST', '/api/v1/workflows/submit', { descriptorId: d1 })).jobId
    const b = (await api(served.url, token, 'POST', '/api/v1/workflows/submit', { descriptorId: d2 })).jobId
    await waitJob(a, ['succeeded'])
    await waitJob(b, ['failed'])
    await page.goto(`${served.url}/#/workflows/${encodeURIComponent(d2)}`)
    await view('Grid').click()
    await page.getByTestId('run-grid').waitFor()
    expect(await page.getByTestId(`grid-cell-${a}-first`).getAttribute('data-status')).toBe('succeeded')
    expect(await page.getByTestId(`grid-cell-${b}-boom`).getAttribute('data-status')).toBe('failed')
    expect(await page.getByTestId(`grid-cell-${a}-boom`).isDisabled()).toBe(true) // version 1 had no boom
    // oldest run on the left
    const ax = (await page.getByTestId(`grid-run-${a}`).boundingBox())!.x
    expect((await page.getByTestId(`grid-run-${b}`).boundingBox())!.x).toBeGreaterThan(ax)
    expect(await page.getByRole('table', { name: 'recent runs by task' }).locator('tbody th').allTextContents()).toEqual(['first', 'second', 'boom'])
    await page.screenshot({ path: resolve(SHOTS, 'workflow-grid.png') })
    // running and queued read apart, in light and dark mode: another hue, and stripes for queued
    const legendCell = async (status: string) =>
      page.locator(`.wf-grid-legend .wf-cell.status-${status}`).evaluate((el) => {
        const style = getComputedStyle(el)
        return { rgb: (style.borderTopColor.match(/\d+/g) ?? []).slice(0, 3).map(Number), image: style.backgroundImage, text: el.parentElement!.textContent!.trim() }
      })
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme })
      const [running, queued] = [await legendCell('running'), await legendCell('queued')]
      expect([running.text, queued.text]).toEqual(['running', 'queued'])
      expect(Math.hypot(...running.rgb.map((c, i) => c - queued.rgb[i]))).toBeGreaterThan(80)
      expect(queued.image).toContain('repeating-linear-gradient')
      expect(running.image).toBe('none')
      await page.getByTestId('run-grid').screenshot({ path: resolve(SHOTS, `workflow-grid-legend-${scheme}.png`) })
    }
    await page.emulateMedia({ colorScheme: 'light' })

    await page.getByTestId(`grid-cell-${b}-boom`).click()
    await page.getByRole('complementary', { name: 'task detail' }).and(page.locator('[data-task="boom"]')).waitFor()
    expect(await view('Graph').getAttribute('aria-pressed')).toBe('true')
    expect(await page.getByTestId('wf-node-boom').getAttribute('data-status')).toBe('failed')
    expect(page.url()).toContain(`execution=${b}`)
  })

  it('draws the shown run’s tasks on a timeline', async () => {
    await view('Gantt').click()
    await page.getByTestId('run-gantt').waitFor()
    for (const name of ['first', 'second', 'boom']) {
      expect(await page.getByTestId(`gantt-duration-${name}`).textContent()).toMatch(/^\d+ ms$|^\d+(\.\d)? s$/)
      expect(await page.getByTestId(`gantt-bar-${name}`).isVisible()).toBe(true)
    }
    expect(await page.getByTestId('gantt-bar-boom').getAttribute('data-status')).toBe('failed')
    // bars start in task order: second starts after first has started
    const left = async (n: string) => (await page.getByTestId(`gantt-bar-${n}`).boundingBox())!.x
    expect(await left('boom')).toBeGreaterThanOrEqual(await left('first'))
    await page.screenshot({ path: resolve(SHOTS, 'workflow-gantt.png') })
    await view('Graph').click()
  })

  it('points an alias at a version, deletes it, and diffs two versions', async () => {
    await page.getByRole('button', { name: '2 versions · aliases…' }).click()
    const dialog = page.getByRole('dialog', { name: 'versions and aliases' })
    await dialog.waitFor()
    const detail = await api(served.url, token, 'GET', `/api/v1/workflows/descriptor?descriptorId=demo:managed`)
    const [newest, oldest] = [...detail.versions].sort((x: { createdAt: number }, y: { createdAt: number }) => y.createdAt - x.createdAt).map((v: { version: string }) => v.version.slice(0, 8))
    await dialog.getByLabel('alias name').fill('stable')
    await dialog.getByLabel('alias target version').selectOption({ index: 1 })
    await dialog.getByRole('button', { name: 'Point' }).click()
    await dialog.getByTestId(`version-${oldest}`).getByText('stable').waitFor()
    expect((await api(served.url, token, 'GET', '/api/v1/workflows')).find((w: { name: string }) => w.name === 'managed').aliases.stable.slice(0, 8)).toBe(oldest)
    expect(await dialog.getByTestId(`version-${newest}`).textContent()).toContain('release')

    expect(await dialog.getByTestId('diff-summary').textContent()).toBe('2 lines added, 1 removed')
    const added = await dialog.locator('.wf-diff-line.add .wf-diff-text').allTextContents()
    expect(added).toEqual(['+   - {category: pass, name: second, next: boom}', expect.stringContaining('name: boom, pattern: task_sync')])
    expect(await dialog.locator('.wf-diff-line.del .wf-diff-text').allTextContents()).toEqual(['-   - {category: pass, name: second}'])
    await page.screenshot({ path: resolve(SHOTS, 'workflow-versions.png') })

    // × asks first, naming the alias and its version (#13 trial 1): Cancel keeps it, Delete alias removes it
    await dialog.getByRole('button', { name: 'delete alias stable' }).click()
    const ask = page.getByRole('dialog', { name: 'delete alias stable' })
    expect(await ask.getByTestId('alias-delete-question').textContent()).toContain(`The alias stable points to version ${oldest}`)
    await ask.getByRole('button', { name: 'Cancel' }).click()
    await ask.waitFor({ state: 'detached' })
    expect((await api(served.url, token, 'GET', '/api/v1/workflows')).find((w: { name: string }) => w.name === 'managed').aliases.stable.slice(0, 8)).toBe(oldest)
    await dialog.getByRole('button', { name: 'delete alias stable' }).click()
    await ask.getByRole('button', { name: 'Delete alias' }).click()
    await poll(() => dialog.getByText('stable', { exact: true }).count()).toBe(0)
    expect((await api(served.url, token, 'GET', '/api/v1/workflows')).find((w: { name: string }) => w.name === 'managed').aliases.stable).toBeUndefined()
    await dialog.getByRole('button', { name: 'Close' }).click()
  })

  it('unfolds a foreach and a choice into rows of their tasks in the grid, and into grouped bars in the Gantt', async () => {
    const { descriptorId } = await api(served.url, token, 'POST', '/api/v1/workflows', { text: NESTED_WORKFLOW })
    const done = await api(served.url, token, 'POST', '/api/v1/workflows/submit', { descriptorId, context: { items: [1, 2, 3], n: 9 } })
    const held = await api(served.url, token, 'POST', '/api/v1/workflows/submit', { descriptorId, context: { items: [1, 2, 3, 4], n: 1 } })
    const holding = (jobId: number) => async () =>
      (await api(served.url, token, 'GET', `/api/v1/executions/${jobId}`)).tasks.filter((t: { name: string; status: string }) => /^each_\d-hold$/.test(t.name) && t.status === 'running').length
    await poll(holding(done.jobId)).toBe(3)
    await poll(holding(held.jobId)).toBe(4)
    for (let i = 0; i < 3; i++) await api(served.url, token, 'POST', `/flow/wakeup.json?execution_id=${encodeURIComponent(done.executionId)}&task_name=each_${i}-hold`, { go: true })
    await waitJob(done.jobId, ['succeeded'])

    await page.goto(`${served.url}/#/workflows/${encodeURIComponent(descriptorId)}`)
    await view('Grid').click()
    const grid = page.getByRole('table', { name: 'recent runs by task' })
    await grid.waitFor()
    const rowNames = () => grid.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-testid')!.replace('grid-row-', '')))
    expect(await rowNames()).toEqual(['each', 'pick']) // folded at first
    await grid.getByRole('button', { name: 'unfold the tasks inside each' }).click()
    await grid.getByRole('button', { name: 'unfold the tasks inside pick' }).click()
    expect(await rowNames()).toEqual(['each', 'each/prep', 'each/hold', 'pick', 'pick/big'])
    const cell = (jobId: number, row: string) => page.getByTestId(`grid-cell-${jobId}-${row}`)
    expect(await cell(done.jobId, 'each/hold').getAttribute('data-status')).toBe('succeeded')
    expect(await cell(done.jobId, 'each/hold').getAttribute('aria-label')).toMatch(/^each\/hold in run #\d+: succeeded, 3 runs, /)
    expect(await cell(held.jobId, 'each/hold').getAttribute('data-status')).toBe('running')
    expect(await cell(held.jobId, 'each/hold').getAttribute('aria-label')).toContain('running, 4 runs')
    expect(await cell(held.jobId, 'each/prep').getAttribute('data-status')).toBe('succeeded')
    expect(await cell(done.jobId, 'pick/big').getAttribute('data-status')).toBe('succeeded')
    expect(await cell(held.jobId, 'pick/big').getAttribute('data-status')).toBe('pending') // that run has not got there yet
    expect(await grid.locator('tbody th').evaluateAll((ths) => ths.map((th) => getComputedStyle(th).paddingLeft))).toEqual(['0px', '16px', '16px', '0px', '16px'])
    await page.screenshot({ path: resolve(SHOTS, 'workflow-grid-nested.png') })

    // a nested cell opens one of its runs: the one still running
    await cell(held.jobId, 'each/hold').click()
    await page.getByRole('complementary', { name: 'task detail' }).and(page.locator('[data-task^="each_"][data-task$="-hold"]')).waitFor()
    expect(page.url()).toContain(`execution=${held.jobId}`)

    await page.goto(`${served.url}/#/workflows/${encodeURIComponent(descriptorId)}?execution=${done.jobId}`)
    await poll(() => page.getByTestId('wf-node-each').getAttribute('data-status')).toBe('succeeded')
    await view('Gantt').click()
    await page.getByTestId('run-gantt').waitFor()
    expect(await page.getByTestId('gantt-row-each_0-prep').count()).toBe(0)
    await page.getByRole('button', { name: 'unfold the 6 tasks inside each' }).click()
    await page.getByRole('button', { name: 'unfold the 1 tasks inside pick' }).click()
    const rows = await page.locator('[data-testid^="gantt-row-"]').evaluateAll((els) => els.map((el) => el.getAttribute('data-testid')!.replace('gantt-row-', '')))
    expect(rows.filter((r) => r.startsWith('each_')).sort()).toEqual(['each_0-hold', 'each_0-prep', 'each_1-hold', 'each_1-prep', 'each_2-hold', 'each_2-prep'])
    expect(rows.indexOf('each_0-prep')).toBeGreaterThan(rows.indexOf('each')) // grouped under their task
    expect(rows.indexOf('pick_1-big')).toBe(rows.indexOf('pick') + 1)
    expect(await page.getByTestId('gantt-row-each_2-hold').getByRole('button', { name: '[2] hold' }).isVisible()).toBe(true)
    for (const name of ['each_0-prep', 'each_0-hold', 'pick_1-big']) {
      expect(await page.getByTestId(`gantt-bar-${name}`).getAttribute('data-status')).toBe('succeeded')
    }
    const box = async (n: string) => (await page.getByTestId(`gantt-bar-${n}`).boundingBox())!
    expect((await box('each_0-hold')).x).toBeGreaterThanOrEqual((await box('each_0-prep')).x) // an item's tasks in order
    const group = await box('each')
    const inner = await box('each_2-hold')
    expect(inner.x).toBeGreaterThanOrEqual(group.x - 1) // inside the group's span
    expect(inner.x + inner.width).toBeLessThanOrEqual(group.x + group.width + 4)
    await page.screenshot({ path: resolve(SHOTS, 'workflow-gantt-nested.png') })
    await api(served.url, token, 'POST', `/api/v1/jobs/${held.jobId}/cancel`)
    await view('Graph').click()
  })
})
