// Cypher on the Scripts page in Chromium against `serve`: pick Cypher, the graph picker lists the
// graphs (default chosen), the statements run in order and the rows show as a table, vertices as
// TuGraph's JSON.
import { resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { SHOTS, browserSuite, type Served, mainNav } from './support'

const suite = browserSuite({ width: 1400, height: 860 })
let served: Served
let page: Page
beforeAll(() => ({ served, page } = suite))

describe('Cypher on the Scripts page', () => {
  it('runs a Cypher script on the chosen graph and shows its rows as a table', async () => {
    await page.goto(served.url)
    await page.getByLabel('Password').fill('73@TuGraph')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await mainNav(page, 'Scripts')
    await page.getByRole('heading', { name: 'Scripts', exact: true }).waitFor()
    await page.getByRole('group', { name: 'language' }).getByRole('button', { name: 'Cypher', exact: true }).click()
    const picker = page.getByLabel('graph to run on')
    await expect.poll(() => picker.locator('option').allTextContents()).toEqual(['default'])
    expect(await picker.inputValue()).toBe('default')
    expect(await page.getByTestId('language-hint').textContent()).toContain('Cypher (TuGraph’s dialect) on the chosen local graph')

    await page.getByTestId('script-editor').click()
    await page.keyboard.press('ControlOrMeta+A')
    await page.keyboard.insertText(`CALL db.createVertexLabel('city', 'name', 'name', 'string', false, 'pop', 'int64', true);
CREATE (:city {name: 'Lyon', pop: 500000}), (:city {name: 'Nice'});
MATCH (c:city) RETURN c.name AS name, c.pop AS pop, c ORDER BY name`)
    await page.getByRole('button', { name: 'Run script' }).click()
    await expect.poll(() => page.getByTestId('run-status').getAttribute('data-status'), { timeout: 120_000 }).toBe('succeeded')
    const table = page.getByTestId('result-table')
    await table.waitFor()
    // each header is the column's name, then its type in small print (a node column says so)
    expect(await table.locator('thead th').evaluateAll((ths) => ths.map((th) => (th.querySelector('.sc-sort') ?? th).firstChild?.textContent))).toEqual(['#', 'name', 'pop', 'c'])
    expect(await table.locator('thead th .sc-coltype').last().textContent()).toBe('node')
    expect(await table.locator('tbody tr').first().locator('td').allTextContents()).toEqual(['1', 'Lyon', '500000', '{"identity":0,"label":"city","properties":{"name":"Lyon","pop":500000}}'])
    expect(await table.locator('tbody tr').nth(1).locator('td .sc-null').count()).toBe(1)
    await page.screenshot({ path: resolve(SHOTS, 'scripts-cypher.png'), animations: 'disabled' })
  }, 180_000)
})
