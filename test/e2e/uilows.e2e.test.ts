// UI LOW findings of #9, each failing before its fix: a task a redo ran several times showed all its
// attempts in one log, with no way to see one of them alone; a cut vertex/edge value in the Query
// page's table showed its whole value on hover only (keyboard and touch users could not read it).
import { resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { SHOTS, api, browserSuite, layoutProblems, poll, seedGraph, taskEndpoint, type Served } from './support'

vi.setConfig({ testTimeout: 120_000 })

const suite = browserSuite({ width: 1280, height: 800 }, { signedIn: true })
let served: Served
let page: Page
let token: string
beforeAll(() => ({ served, page, token } = suite))

/** A task endpoint that fails its first two calls (each with its own error) and answers the third. */
const flaky = taskEndpoint((n) => (n <= 2 ? { result_type: 'FAILED', error_msg: `call ${n} flaked` } : { done: n }))

const logTexts = (p: Page) => p.getByLabel('task detail').locator('.log .log-text').allTextContents()

describe('the task panel of a task a redo ran several times', () => {
  it('picks one attempt’s log, the latest by default', async () => {
    const flow = `workspace: uilows
dagName: tries
type: flow
tasks:
  - {category: function, name: call, pattern: task_sync, resourceName: "${flaky.url}"}
`
    const { descriptorId } = await api(served.url, token, 'POST', '/api/v1/workflows', { text: flow })
    const { jobId } = await api(served.url, token, 'POST', '/api/v1/workflows/submit', { descriptorId, context: {} })
    const statusOf = async () => (await api(served.url, token, 'GET', `/api/v1/jobs/${jobId}`)).status
    await poll(statusOf).toBe('failed')
    for (const expected of ['failed', 'succeeded']) {
      await api(served.url, token, 'POST', `/api/v1/executions/${jobId}/redo`, { tasks: ['call'] })
      await poll(statusOf).toBe(expected)
    }
    await page.goto(`${served.url}/#/workflows/${encodeURIComponent(descriptorId)}?execution=${jobId}`)
    await page.getByTestId('wf-node-call').click()
    const detail = page.getByLabel('task detail')
    const picker = detail.getByRole('combobox', { name: 'attempt to show' })
    await picker.waitFor()
    expect(await picker.locator('option').allTextContents()).toEqual(['attempt 1 of 3', 'attempt 2 of 3 (redo)', 'attempt 3 of 3 (redo, latest)'])
    // the latest by default: its log alone (it succeeded, writing only its separator)
    await poll(() => logTexts(page)).toEqual(['── attempt 3 (a redo) ──'])
    await picker.selectOption({ label: 'attempt 1 of 3' })
    expect(await logTexts(page)).toEqual(['task call failed: call 1 flaked'])
    await picker.focus() // by keyboard too
    await page.keyboard.press('ArrowDown')
    await poll(() => logTexts(page)).toEqual(['── attempt 2 (a redo) ──', 'task call failed: call 2 flaked'])
    await page.screenshot({ path: resolve(SHOTS, 'uilows-task-attempts.png') })
    expect(await layoutProblems(page)).toEqual([])
  })
})

describe('a cut vertex value in the Query page’s table', () => {
  it('opens by click or Enter to its whole value, which can be selected', async () => {
    const long = 'a description far longer than a table cell shows of it, ending in THE-END'
    await seedGraph(served.url, token, 'uilows', [
      "CALL db.createVertexLabel('doc', 'id', 'id', 'int64', false, 'body', 'string', true, 'tag', 'string', true, 'note', 'string', true, 'more', 'string', true)",
      `CREATE (:doc {id: 1, body: '${long}', tag: 't', note: 'n', more: 'm'}), (:doc {id: 2, body: 'short'})`,
    ])
    await page.goto(`${served.url}/#/graph/query`)
    await page.getByRole('combobox', { name: 'graph to query' }).selectOption('uilows')
    await page.getByTestId('cypher-editor').click()
    await page.keyboard.press('ControlOrMeta+A')
    await page.keyboard.insertText('MATCH (n:doc) RETURN n, n.id AS id ORDER BY n.id')
    await page.keyboard.press('ControlOrMeta+Enter')
    const table = page.getByTestId('cypher-table')
    await table.waitFor()
    const cells = table.locator('tbody tr td:nth-child(2)')
    const cut = cells.nth(0).getByRole('button')
    // a cut one is a button saying it is closed; a whole value is plain text
    expect(await cut.getAttribute('aria-expanded')).toBe('false')
    expect(await cut.textContent()).toContain('…')
    expect(await table.locator('tbody tr td:nth-child(3)').getByRole('button').count()).toBe(0)
    await cut.click()
    expect(await cut.getAttribute('aria-expanded')).toBe('true')
    const whole = cells.nth(0).getByTestId('cell-whole')
    expect(await whole.textContent()).toContain(long)
    // selectable by a mouse drag over it (a button's text would not be), for a copy
    const box = (await whole.boundingBox())!
    await page.mouse.move(box.x + 3, box.y + 3)
    await page.mouse.down()
    await page.mouse.move(box.x + box.width - 3, box.y + box.height - 3, { steps: 5 })
    await page.mouse.up()
    const selected = await page.evaluate(() => String(getSelection()))
    expect(selected).toContain(long)
    expect(selected).toContain('"id": 1')
    await page.screenshot({ path: resolve(SHOTS, 'uilows-query-cell-open.png') })
    expect(await layoutProblems(page)).toEqual([])
    // Enter closes it again, and opens it
    await cut.focus()
    await page.keyboard.press('Enter')
    expect(await cut.getAttribute('aria-expanded')).toBe('false')
    expect(await whole.count()).toBe(0)
    await page.keyboard.press('Enter')
    expect(await whole.textContent()).toContain(long)
  })
})
