// newuser trial (2026-12-04), HIGH: a GBK file (what Excel saves on a Chinese Windows) dropped on the
// Imports page and imported as the page offered it (Encoding UTF-8, "Skip lines that cannot be
// imported" on) read every data line as "not valid UTF-8": Check called that a mere warning, never
// named the Encoding choice or GBK, and Start import created the new label, imported nothing and
// ended "succeeded 100%" (0 imported · 3 failed).
// Now (encguess): the page's first preview guesses GBK and sets Encoding to it, and the file imports;
// UTF-8 chosen by hand stays, but Check names GBK and the import fails: "nothing was imported".
import { resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { SHOTS, browserSuite, poll, type Served, mainNav } from './support'

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

const mapping = () => page.getByRole('region', { name: 'mapping' })
const encoding = () => mapping().getByRole('combobox', { name: 'Encoding' })
const status = () => page.getByTestId('import-progress').locator('[data-status]').getAttribute('data-status')
const labelsOf = async (graph: string) => {
  const graphs = await (await fetch(`${served.url}/api/v1/graphs`, { headers: { authorization: `Bearer ${suite.token}` } })).json()
  return (graphs as { name: string; labels: { name: string }[] }[]).find((g) => g.name === graph)!.labels.map((l) => l.name)
}

describe('newuser trial: a GBK file imported as the Imports page offers it', () => {
  it('is read as GBK: the page guesses the encoding, says so, and imports every line', async () => {
    await mainNav(page, 'Imports')
    await page.getByRole('heading', { name: 'Imports' }).waitFor()
    await page.getByTestId('file-input').setInputFiles([{ name: 'people_gbk.csv', mimeType: 'text/csv', buffer: GBK }])
    await poll(() => encoding().inputValue()).toBe('gbk')
    expect(await mapping().getByTestId('encoding-guessed').getAttribute('title')).toMatch(/^not UTF-8; read as GBK/)
    await poll(() => mapping().getByTestId('preview').locator('tbody tr').first().locator('td').allTextContents()).toEqual(['2', '1', '张三', '北京'])
    expect(await mapping().locator('.im-notes').textContent()).toMatch(/not UTF-8; read as GBK/)
    await page.screenshot({ path: resolve(SHOTS, 'newuser-gbk-default-guessed.png') })

    await page.getByRole('button', { name: 'Check', exact: true }).click()
    await page.getByTestId('check-ok').waitFor()
    await page.getByRole('button', { name: 'Start import' }).click()
    await poll(status).toBe('succeeded')
    await poll(() => page.getByTestId('import-figures').textContent()).toMatch(/^3 imported · 0 failed/)
    expect(await labelsOf('default')).toContain('people_gbk')
  })

  it('with UTF-8 chosen by hand: Check names GBK, and an import of nothing does not read as a success', async () => {
    await page.getByRole('button', { name: 'New import', exact: true }).click()
    await page.getByTestId('file-input').setInputFiles([{ name: 'people_gbk2.csv', mimeType: 'text/csv', buffer: GBK }])
    await page.locator('tr[data-file="people_gbk2.csv"]').getByRole('button', { name: 'people_gbk2.csv', exact: true }).click()
    await poll(() => encoding().inputValue()).toBe('gbk')
    await encoding().selectOption('utf-8')
    await poll(() => mapping().locator('.im-notes').textContent()).toMatch(/read as UTF-8, but it looks like GBK: choose Encoding GBK/)
    expect(await encoding().inputValue()).toBe('utf-8') // chosen by hand: never guessed over

    await page.getByRole('button', { name: 'Check', exact: true }).click()
    const problems = page.getByTestId('problems')
    await problems.waitFor()
    // was: '…line 2: the line is not valid UTF-8 (from byte 3 of the line)', nothing naming GBK
    expect(await problems.textContent()).toMatch(/people_gbk2\.csv.*not valid UTF-8 \(from byte 3 of the line\); it looks like GBK: choose Encoding GBK/)
    await page.screenshot({ path: resolve(SHOTS, 'newuser-gbk-default-check.png') })

    await page.getByRole('button', { name: 'Start import' }).click()
    // was: "succeeded", "0 imported · 3 failed" and nothing else; then "nothing imported" beside a succeeded job
    await poll(status).toBe('failed')
    expect(await page.getByTestId('import-progress').locator('.sc-job-error').textContent()).toMatch(/nothing was imported: all 3 data lines failed \(first: people_gbk2\.csv line 2: .*it looks like GBK/)
    // the whole file was read (checkfix): its bar says so, failed or not (was 0%, the job's progress)
    await poll(() => page.getByTestId('import-progress').getByRole('progressbar').getAttribute('aria-valuenow')).toBe('100')
    await page.screenshot({ path: resolve(SHOTS, 'newuser-gbk-default-start.png') })
  })
})
