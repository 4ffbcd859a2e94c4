// newuser trial (2026-12-04), HIGH: a GBK file (what Excel saves on a Chinese Windows) dropped on the
// Imports page and imported as the page offers it (Encoding UTF-8, "Skip lines that cannot be
// imported" on) reads every data line as "not valid UTF-8": Check calls that a mere warning, never
// names the Encoding choice or GBK, and Start import creates the new label, imports nothing and ends
// "succeeded 100%" (0 imported · 3 failed). The same file with Encoding GBK imports all its lines.
import { resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { SHOTS, browserSuite, poll, type Served } from './support'

const suite = browserSuite({ width: 1400, height: 860 }, { signedIn: true })
let served: Served
let page: Page
beforeAll(() => ({ served, page } = suite))

// "id,name,city" and three rows of Chinese names and cities, in GBK (no byte-order mark: GBK has none)
const GBK = Buffer.concat([
  Buffer.from('id,name,city\n'),
  Buffer.from('1,', 'latin1'), Buffer.from([0xd5, 0xc5, 0xc8, 0xfd]), Buffer.from(','), Buffer.from([0xb1, 0xb1, 0xbe, 0xa9]), Buffer.from('\n'), // 张三, 北京
  Buffer.from('2,'), Buffer.from([0xc0, 0xee, 0xcb, 0xc4]), Buffer.from(','), Buffer.from([0xc9, 0xcf, 0xba, 0xa3]), Buffer.from('\n'), // 李四, 上海
  Buffer.from('3,'), Buffer.from([0xcd, 0xf5, 0xce, 0xe5]), Buffer.from(','), Buffer.from([0xb9, 0xe3, 0xd6, 0xdd]), Buffer.from('\n'), // 王五, 广州
])

describe('newuser trial: a GBK file imported as the Imports page offers it', () => {
  // it.fails: it reproduces the finding, so it passes while the page still behaves as found; the fix
  // turns this into a plain it()
  it.fails('is not imported as "succeeded" with every line failed: the page points at the Encoding choice first', async () => {
    await page.getByRole('navigation', { name: 'main' }).getByRole('button', { name: 'Imports', exact: true }).click()
    await page.getByRole('heading', { name: 'Imports' }).waitFor()
    await page.getByTestId('file-input').setInputFiles([{ name: 'people_gbk.csv', mimeType: 'text/csv', buffer: GBK }])
    const mapping = page.getByRole('region', { name: 'mapping' })
    await poll(() => mapping.getByRole('combobox', { name: 'Encoding' }).inputValue()).toBe('utf-8')

    await page.getByRole('button', { name: 'Check', exact: true }).click()
    const problems = page.getByTestId('problems')
    await problems.waitFor()
    await page.screenshot({ path: resolve(SHOTS, 'newuser-gbk-default-check.png') })
    // was: 'warning people_gbk.csv 3 of the first 3 lines of people_gbk.csv will not import (they will be
    // skipped and listed); line 2: the line is not valid UTF-8 (from byte 3 of the line)'
    expect.soft(await problems.textContent()).toMatch(/GBK/)

    await page.getByRole('button', { name: 'Start import' }).click()
    await page.waitForTimeout(3000)
    await page.screenshot({ path: resolve(SHOTS, 'newuser-gbk-default-start.png') })
    // was: "succeeded", "0 imported · 3 failed", and an empty label people_gbk made in the graph
    const status = await page.getByTestId('import-progress').locator('[data-status]').getAttribute('data-status').catch(() => null)
    expect.soft(status).not.toBe('succeeded')
    const graphs = await (await fetch(`${served.url}/api/v1/graphs`, { headers: { authorization: `Bearer ${suite.token}` } })).json()
    const labels = (graphs as { name: string; labels: { name: string }[] }[]).find((g) => g.name === 'default')!.labels.map((l) => l.name)
    expect(labels).not.toContain('people_gbk')
  })
})
