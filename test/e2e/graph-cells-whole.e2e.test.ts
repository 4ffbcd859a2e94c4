// Long values in the Graph page's tables (#9 UI LOWs), each failing before its fix: a Query cell of a
// long plain string (3,003 characters) showed its start, cut at the column's edge, with no way to read
// the rest (only vertex, edge and path cells had an expand); a cell only too wide for its column was
// cut at the edge too (a tooltip at most); the Graph → Workflows component sample cut every long
// value at its column's edge and showed it on hover only.
import { resolve } from 'node:path'
import type { Locator, Page } from 'playwright-core'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { SHOTS, api, browserSuite, layoutProblems, poll, seedGraph, type Served } from './support'

vi.setConfig({ testTimeout: 120_000 })

const suite = browserSuite({ width: 1280, height: 800 }, { signedIn: true })
let served: Served
let page: Page
let token: string

/** 3,003 characters: words, its start and end marked. */
const LONG = `BEGIN ${'lorem ipsum '.repeat(249)}THE-END`.padEnd(3003, '.')
/** Wider than a Query column (420 px), short enough to be shown whole: words. */
const WIDE = `wide ${'sentence of several words '.repeat(4)}end`
/** One token, wider than a Query column. */
const TOKEN = `Token${'Z'.repeat(100)}`

beforeAll(async () => {
  ;({ served, page, token } = suite)
  await seedGraph(served.url, token, 'cells', [
    "CALL db.createVertexLabel('thing', 'id', 'id', 'int64', false, 'name', 'string', true)",
    `CREATE (:thing {id: 1, name: '${LONG}'}), (:thing {id: 2, name: '${WIDE}'}), (:thing {id: 3, name: '${TOKEN}'}), (:thing {id: 4, name: 'short'})`,
  ])
})

const QUERY = 'MATCH (n:thing) RETURN n.id AS id, n.name AS name ORDER BY n.id'

/** Whether a table cell shows all its content: nothing scrolled out of it sideways (its overflow is hidden). */
const clipped = (cell: Locator) => cell.evaluate((td) => td.scrollWidth > td.clientWidth + 1)

/** How many lines the cell's text takes, and the words of it drawn over two lines (split mid-word). */
const wrapping = (cell: Locator) =>
  cell.evaluate((td) => {
    const text = td.textContent ?? ''
    const node = document.createTreeWalker(td, NodeFilter.SHOW_TEXT).nextNode()!
    const lineHeight = parseFloat(getComputedStyle(node.parentElement!).lineHeight) || 16
    const range = document.createRange()
    range.selectNodeContents(node)
    const lines = Math.round(range.getBoundingClientRect().height / lineHeight)
    const split: string[] = []
    for (const m of text.matchAll(/\S+/g)) {
      range.setStart(node, m.index!)
      range.setEnd(node, m.index! + m[0].length)
      if (new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size > 1) split.push(m[0])
    }
    return { lines, split }
  })

/** A cut cell's expand: a keyboard-reachable button saying it is closed, whose text shows the value's start. */
async function expectClosedExpand(cell: Locator): Promise<Locator> {
  const button = cell.getByRole('button')
  expect(await button.count(), 'the cell has an expand').toBe(1)
  expect(await button.getAttribute('aria-expanded')).toBe('false')
  expect(await button.evaluate((b) => (b as HTMLButtonElement).tabIndex)).toBe(0)
  const shown = (await button.textContent())!
  expect(shown.startsWith('BEGIN lorem ipsum')).toBe(true)
  expect(shown.endsWith('…')).toBe(true)
  expect(shown.length).toBeLessThan(400)
  return button
}

/** Opens the expand by keyboard; its whole value is the whole string. */
async function openByKeyboard(cell: Locator, button: Locator): Promise<void> {
  await button.focus()
  await page.keyboard.press('Enter')
  expect(await button.getAttribute('aria-expanded')).toBe('true')
  expect(await cell.getByTestId('cell-whole').textContent()).toBe(LONG)
}

describe('the Query table', () => {
  it('gives a long plain-text cell the expand, and wraps a cell only too wide (breaking a long token only where needed)', async () => {
    await page.goto(`${served.url}/#/graph/query`)
    await page.getByRole('combobox', { name: 'graph to query' }).selectOption('cells')
    await page.getByTestId('cypher-editor').click()
    await page.keyboard.press('ControlOrMeta+A')
    await page.keyboard.insertText(QUERY)
    await page.keyboard.press('ControlOrMeta+Enter')
    const table = page.getByTestId('cypher-table')
    await table.waitFor()
    const names = table.locator('tbody tr td:nth-child(3)')
    await poll(() => names.count()).toBe(4)

    const button = await expectClosedExpand(names.nth(0))
    // the others are shown whole: no expand, nothing cut off at the column's edge
    for (const i of [1, 2, 3]) {
      expect(await names.nth(i).getByRole('button').count()).toBe(0)
      expect(await clipped(names.nth(i)), `row ${i + 1}`).toBe(false)
    }
    expect(await names.nth(1).textContent()).toBe(WIDE)
    expect(await names.nth(2).textContent()).toBe(TOKEN)
    // words wrap between words; the token longer than the column breaks, where it must
    const wide = await wrapping(names.nth(1))
    expect(wide.lines).toBeGreaterThan(1)
    expect(wide.split).toEqual([])
    expect((await wrapping(names.nth(2))).lines).toBeGreaterThan(1)
    await page.screenshot({ path: resolve(SHOTS, 'graph-cells-query-1280.png') })
    expect(await layoutProblems(page)).toEqual([])

    await openByKeyboard(names.nth(0), button)
    await page.screenshot({ path: resolve(SHOTS, 'graph-cells-query-open-1280.png') })
    expect(await layoutProblems(page)).toEqual([])
    await page.setViewportSize({ width: 900, height: 600 })
    await page.screenshot({ path: resolve(SHOTS, 'graph-cells-query-open-900.png') })
    expect(await layoutProblems(page)).toEqual([])
    await page.keyboard.press('Enter') // closes it again
    expect(await names.nth(0).getByTestId('cell-whole').count()).toBe(0)
    for (const i of [1, 2]) expect(await clipped(names.nth(i)), `row ${i + 1} at 900 px`).toBe(false)
    await page.screenshot({ path: resolve(SHOTS, 'graph-cells-query-900.png') })
    await page.setViewportSize({ width: 1280, height: 800 })
  })
})

describe('the Graph → Workflows component sample', () => {
  it('gives a long value the same expand, and wraps a value only too wide', async () => {
    const wf = await api(served.url, token, 'POST', '/api/v1/graph-workflows', {
      document: { name: 'long names', components: [{ id: 'query_1', kind: 'query', graph: 'cells', query: QUERY, outputs: ['id', 'name'] }], wires: [] },
    })
    expect(wf.id, JSON.stringify(wf)).toBeTypeOf('number')
    const job = await api(served.url, token, 'POST', `/api/v1/graph-workflows/${wf.id}/jobs`, {})
    await expect.poll(async () => (await api(served.url, token, 'GET', `/api/v1/jobs/${job.id}`)).status, { timeout: 30_000 }).toBe('succeeded')
    await page.goto(`${served.url}/#/graph/workflows/${wf.id}?job=${job.id}`)
    await page.getByTestId('gw-node-query_1').click()
    const sample = page.getByTestId('gw-sample')
    await sample.waitFor()
    const names = sample.locator('tbody tr td:nth-child(2)')
    await poll(() => names.count()).toBe(4)

    const button = await expectClosedExpand(names.nth(0))
    for (const i of [1, 2, 3]) expect(await clipped(names.nth(i)), `row ${i + 1}`).toBe(false)
    expect(await names.nth(3).getByRole('button').count()).toBe(0)
    expect((await wrapping(names.nth(3))).lines).toBe(1)
    await page.screenshot({ path: resolve(SHOTS, 'graph-cells-sample-1280.png') })
    expect(await layoutProblems(page)).toEqual([])
    await openByKeyboard(names.nth(0), button)
    await page.screenshot({ path: resolve(SHOTS, 'graph-cells-sample-open-1280.png') })
    expect(await layoutProblems(page)).toEqual([])
    await page.setViewportSize({ width: 900, height: 600 })
    await page.screenshot({ path: resolve(SHOTS, 'graph-cells-sample-open-900.png') })
    expect(await layoutProblems(page)).toEqual([])
    await page.setViewportSize({ width: 1280, height: 800 })
  })
})
