// The Graph page's explorer (#12.4) in Chromium against `serve`, at 900×600: pick a graph, see its
// schema, run a MATCH with Ctrl+Enter, the table, the picture (click a node for its properties,
// expand it and its new neighbours appear), CSV export, a label click, an engine error with its
// position, completion of labels, the history after a reload, and stopping a long query.
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { SHOTS, api, apiLogin, browserSuite, layoutProblems, poll, signIn, type Served, downloaded, mainNav } from './support'
import { ENDLESS_CYPHER } from '../support/endless-cypher'

// query workers start from the built bundle, but a loaded machine is slow
vi.setConfig({ testTimeout: 120_000 })

const suite = browserSuite({ width: 900, height: 600 })
let served: Served
let page: Page
beforeAll(() => ({ served, page } = suite))

const SEED = [
  "CALL db.createVertexLabel('person', 'id', 'id', 'int64', false, 'name', 'string', false, 'age', 'int32', true)",
  "CALL db.createVertexLabel('city', 'name', 'name', 'string', false)",
  "CALL db.createEdgeLabel('knows', '[]', 'since', 'int32', true)",
  "CALL db.createEdgeLabel('lives_in', '[]')",
  "CREATE (a:person {id: 1, name: 'Ann', age: 31}), (b:person {id: 2, name: 'Bob'}), (c:person {id: 3, name: 'Cid'}), (d:person {id: 4, name: 'Dan'}), (l:city {name: 'Lyon'}), (a)-[:knows {since: 2020}]->(b), (b)-[:knows]->(c), (c)-[:knows]->(d), (a)-[:lives_in]->(l)",
]
/** Runs until stopped, holding no rows. */
const ENDLESS = ENDLESS_CYPHER

/** A screenshot, and every control of the page fully visible and clickable (900×600). */
async function shot(name: string) {
  await page.screenshot({ path: resolve(SHOTS, name), animations: 'disabled' })
  expect(await layoutProblems(page)).toEqual([])
}
const editor = () => page.getByTestId('cypher-editor')
async function typeQuery(text: string) {
  await editor().click()
  await page.keyboard.press('ControlOrMeta+A')
  await page.keyboard.insertText(text)
}
const table = () => page.getByTestId('cypher-table')
const picture = () => page.getByTestId('graph-picture')
const drawnNodes = () => picture().locator('g.gx-node').evaluateAll((gs) => gs.map((g) => g.querySelector('.gx-node-caption')!.textContent).sort())

describe('Graph page explorer', () => {
  it('shows the chosen graph’s schema and runs a MATCH into a table with Ctrl+Enter', async () => {
    const token = await apiLogin(served.url)
    await api(served.url, token, 'POST', '/api/v1/graphs', { graph: 'social' })
    for (const script of SEED) await api(served.url, token, 'POST', '/api/v1/graphs/social/cypher', { script })
    await signIn(page, served.url)
    await mainNav(page, 'Graph')
    const picker = page.getByLabel('graph to query')
    await poll(() => picker.locator('option').allTextContents()).toEqual(['default', 'social'])
    await picker.selectOption('social')
    const schema = page.getByLabel('schema of social')
    await schema.getByText('5 nodes · 4 relationships').waitFor()
    expect(await schema.locator('li[data-label="person"] .gx-count').textContent()).toBe('4')
    expect(await schema.locator('li[data-label="knows"] .gx-count').textContent()).toBe('3')
    await schema.getByRole('button', { name: 'properties of person' }).click()
    expect(await schema.locator('li[data-label="person"] .gx-label-props').textContent()).toContain('id int64 · primary')

    await typeQuery("MATCH (n:person) WHERE n.name = 'Ann' RETURN n, n.age AS age")
    await page.keyboard.press('ControlOrMeta+Enter')
    await table().waitFor()
    expect(await table().locator('thead th').evaluateAll((ths) => ths.map((th) => th.firstChild?.textContent))).toEqual(['#', 'n', 'age'])
    expect(await table().locator('thead th .sc-coltype').textContent()).toBe('node')
    expect(await table().locator('tbody tr').first().locator('td').allTextContents()).toEqual(['1', '(:person {id: 1, age: 31, name: "Ann"})', '31']) // its primary key first (#9 LOW: the JSON was cut off)
    expect(await page.getByTestId('result-summary').textContent()).toMatch(/^1 row in \d+ ms$/)
    await shot('graph-explorer-table.png')
  })

  it('draws the result, shows a clicked node’s properties, and expands its neighbours into the picture', async () => {
    await page.getByRole('group', { name: 'result view' }).getByRole('button', { name: 'Graph' }).click()
    await picture().waitFor()
    expect(await drawnNodes()).toEqual(['Ann'])
    expect(await picture().locator('g.gx-node .gx-node-label').textContent()).toBe('person')

    await picture().locator('g.gx-node[data-label="person"]').click()
    const details = page.getByTestId('item-details')
    await details.waitFor()
    expect(await details.locator('.gx-props tr').allTextContents()).toEqual(['age31', 'id1', 'nameAnn'])

    await details.getByRole('button', { name: 'Expand neighbours' }).click()
    await poll(drawnNodes).toEqual(['Ann', 'Bob', 'Lyon'])
    expect(await picture().locator('g.gx-edge').count()).toBe(2)
    expect(await picture().locator('.gx-edge-label').allTextContents()).toEqual(expect.arrayContaining(['knows', 'lives_in']))
    // different labels, different colours
    const fill = (label: string) => picture().locator(`g.gx-node[data-label="${label}"] circle`).first().getAttribute('fill')
    expect(await fill('person')).not.toBe(await fill('city'))

    // a double-click expands too: Bob's neighbour Cid appears, Ann is not drawn twice
    const bob = picture().locator('g.gx-node', { hasText: 'Bob' })
    await bob.dblclick()
    await poll(drawnNodes).toEqual(['Ann', 'Bob', 'Cid', 'Lyon'])
    expect(await picture().locator('g.gx-edge').count()).toBe(3)
    // and E on a focused node: Cid's neighbour Dan
    await picture().locator('g.gx-node', { hasText: 'Cid' }).press('e')
    await poll(drawnNodes).toEqual(['Ann', 'Bob', 'Cid', 'Dan', 'Lyon'])
    await bob.click()
    await poll(() => details.locator('.gx-details-caption').textContent()).toBe('Bob')
    await shot('graph-explorer-picture.png')
    await page.emulateMedia({ colorScheme: 'dark' })
    await shot('graph-explorer-picture-dark.png')
    await page.emulateMedia({ colorScheme: 'light' })
  })

  it('exports the table as CSV', async () => {
    await page.getByRole('group', { name: 'result view' }).getByRole('button', { name: 'Table' }).click()
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()])
    expect(download.suggestedFilename()).toBe('social-query.csv')
    expect(readFileSync(await downloaded(download), 'utf8')).toBe('\uFEFFn,age\r\n"{""identity"":0,""label"":""person"",""properties"":{""age"":31,""id"":1,""name"":""Ann""}}",31\r\n')
  })

  it('runs a label’s first rows on a click, completes labels, and shows an engine error at its line and column', async () => {
    await page.getByRole('button', { name: 'show vertex label city' }).click()
    await poll(() => table().locator('tbody tr').first().locator('td').nth(1).textContent()).toBe('(:city {name: "Lyon"})')
    expect(await editor().textContent()).toBe('MATCH (n:city) RETURN n LIMIT 25')

    await typeQuery('MATCH (n:pe')
    const options = page.locator('.cm-tooltip-autocomplete li')
    await poll(() => options.allTextContents()).toEqual([expect.stringContaining('person')])
    await page.keyboard.press('Escape')
    // Ctrl+Enter with the popup open runs the query and closes the popup (it hung over the result)
    await typeQuery('MATCH (n:city) RETURN n.name')
    await poll(() => options.count()).toBeGreaterThan(0)
    await page.keyboard.press('ControlOrMeta+Enter')
    await poll(() => page.getByTestId('result-summary').textContent()).toMatch(/^1 row in/)
    await page.waitForTimeout(300)
    expect(await page.locator('.cm-tooltip-autocomplete').count()).toBe(0)

    await typeQuery('MATCH (n)\nRETURN n LIMT 5')
    await page.getByRole('button', { name: /^Run/ }).click()
    const error = page.getByTestId('query-error')
    await error.waitFor()
    expect(await error.locator('strong').textContent()).toBe('Error at line 2, column 10')
    expect(await error.textContent()).toContain("Invalid syntax: mismatched input 'LIMT'")
    expect(await error.locator('pre').textContent()).toBe('RETURN n LIMT 5\n         ^')
    expect(await table().count()).toBe(0) // the error takes the old result's place
    await shot('graph-explorer-error.png')
  })

  it('keeps the history over a reload', async () => {
    await page.reload()
    await editor().waitFor()
    expect(await editor().textContent()).toBe('MATCH (n)RETURN n LIMT 5') // the draft (lines are elements)
    expect(await page.getByLabel('graph to query').inputValue()).toBe('social')
    await page.getByRole('tab', { name: 'History' }).click()
    const items = page.getByLabel('query history').locator('li')
    expect(await items.locator('code').allTextContents()).toEqual(['MATCH (n)', 'MATCH (n:city) RETURN n.name', 'MATCH (n:city) RETURN n LIMIT 25', "MATCH (n:person) WHERE n.name = 'Ann' RETURN n, n.age AS age"])
    expect(await items.first().locator('.muted').textContent()).toMatch(/^social · .* · failed$/)
    await items.nth(3).getByRole('button').click()
    expect(await editor().textContent()).toBe("MATCH (n:person) WHERE n.name = 'Ann' RETURN n, n.age AS age")
    await shot('graph-explorer-history.png')
  })

  it('shows that a long query runs, and stops it', async () => {
    await typeQuery(ENDLESS)
    await page.keyboard.press('ControlOrMeta+Enter')
    const running = page.getByRole('status', { name: 'query running' })
    await running.waitFor()
    await poll(async () => Number((await page.getByTestId('query-elapsed').textContent())!.match(/([\d.]+) s/)![1])).toBeGreaterThan(1)
    await page.emulateMedia({ colorScheme: 'dark' })
    await shot('graph-explorer-running-dark.png')
    await page.emulateMedia({ colorScheme: 'light' })
    await running.getByRole('button', { name: 'Stop' }).click()
    const error = page.getByTestId('query-error')
    await poll(() => error.locator('strong').textContent()).toBe('Stopped')
    expect(await running.count()).toBe(0)
    // the server is free for the next query
    await typeQuery('RETURN 40 + 2 AS answer')
    await page.keyboard.press('ControlOrMeta+Enter')
    await poll(() => table().locator('tbody td').nth(1).textContent()).toBe('42')
  })

  it('keeps the tab in the URL: reload, back and forward and a link open the tab they name (#13.1)', async () => {
    const tab = (name: string) => page.getByRole('tab', { name, exact: true })
    const selected = () => page.getByRole('tablist', { name: 'graph page' }).locator('[aria-selected="true"]').textContent()
    expect(new URL(page.url()).hash).toBe('#/graph/query')
    await tab('Graphs').click()
    await poll(() => new URL(page.url()).hash).toBe('#/graph/graphs')
    await page.reload()
    await poll(selected).toBe('Graphs')
    await tab('Workflows').click()
    await poll(() => new URL(page.url()).hash).toBe('#/graph/workflows')
    await page.goBack()
    await poll(selected).toBe('Graphs')
    await page.goBack()
    await poll(selected).toBe('Query')
    await editor().waitFor()
    await page.goForward()
    await poll(selected).toBe('Graphs')
    // a link names its tab, whichever was used last
    await page.goto(`${served.url}/#/graph/query`)
    await poll(selected).toBe('Query')
    await page.goto(`${served.url}/#/graph/workflows`)
    await poll(selected).toBe('Workflows')
    await page.getByRole('button', { name: 'New workflow' }).waitFor()
    await shot('graph-tab-in-url.png')
  })
})
