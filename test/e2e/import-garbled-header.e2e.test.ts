// A GBK file with a Chinese header, Encoding UTF-8 chosen by hand on the Imports page (#9 LOW, newuser):
// its header read as replacement characters made the new label's columns column_1…, Check passed it
// ("Skip lines that cannot be imported" is on by default) and Start created that label and imported
// nothing into it. Now Check names the header's line and column and GBK, and Start creates no label.
import { resolve } from 'node:path'
import iconv from 'iconv-lite'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { SHOTS, browserSuite, poll, type Served } from './support'

const suite = browserSuite({ width: 1400, height: 860 }, { signedIn: true })
let served: Served
let page: Page
beforeAll(() => ({ served, page } = suite))

const GBK = iconv.encode('编号,姓名,城市\n1,张三,北京\n2,李四,上海\n', 'gbk')
const mapping = () => page.getByRole('region', { name: 'mapping' })
const encoding = () => mapping().getByRole('combobox', { name: 'Encoding' })
const labelsOf = async (graph: string) => {
  const graphs = await (await fetch(`${served.url}/api/v1/graphs`, { headers: { authorization: `Bearer ${suite.token}` } })).json()
  return (graphs as { name: string; labels: { name: string }[] }[]).find((g) => g.name === graph)!.labels.map((l) => l.name)
}

describe('a GBK header read as UTF-8 chosen by hand', () => {
  it('Check refuses it naming the line, the column and GBK; Start creates no label', async () => {
    await page.getByRole('navigation', { name: 'main' }).getByRole('button', { name: 'Imports', exact: true }).click()
    await page.getByRole('heading', { name: 'Imports' }).waitFor()
    await page.getByTestId('file-input').setInputFiles([{ name: 'cities_gbk.csv', mimeType: 'text/csv', buffer: GBK }])
    await poll(() => encoding().inputValue()).toBe('gbk')
    await encoding().selectOption('utf-8')
    await poll(() => mapping().locator('.im-notes').textContent()).toMatch(/read as UTF-8, but it looks like GBK/)

    await page.getByRole('button', { name: 'Check', exact: true }).click()
    const problems = page.getByTestId('problems')
    await problems.waitFor()
    expect(await problems.textContent()).toMatch(/cities_gbk\.csv line 1, column 1: the header is not valid UTF-8, so its column names would be garbled; it looks like GBK: choose Encoding GBK/)
    await page.screenshot({ path: resolve(SHOTS, 'import-garbled-header-check.png') })

    await page.getByRole('button', { name: 'Start import' }).click()
    await poll(() => problems.textContent()).toMatch(/column 1: the header is not valid UTF-8/)
    expect(await page.getByTestId('import-progress').count()).toBe(0) // nothing started
    expect(await labelsOf('default')).not.toContain('cities_gbk')
  })
})
