// What a fresh-user trial of #13 found on the Scripts page: a saved script is still open after a
// reload (#13.1), "New folder" asks for its own name (#13.5), the result tab strip scrolls without
// a grey scrollbar in either theme (#13.6), stderr lines look like stderr (#13.5) and "Export
// visible rows" writes the rows as the table shows them (#13.5).
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import ExcelJS from 'exceljs'
import type { Page, Download } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { SHOTS, api, browserSuite, downloaded, poll, reloadAsks, signIn, type Served, saveScriptAs, chooseLanguage, typeScript, mainNav } from './support'

const suite = browserSuite({ width: 1400, height: 860 })
let served: Served
let page: Page
let token: string
beforeAll(() => ({ served, page, token } = suite))

async function typeAtEnd(text: string): Promise<void> {
  await page.getByTestId('script-editor').click()
  await page.keyboard.press('ControlOrMeta+End')
  await page.keyboard.insertText(text)
}
const editorText = () => page.getByTestId('script-editor').innerText()
const tree = () => page.getByRole('tree', { name: 'saved scripts' })
const newFolder = () => page.getByRole('heading', { name: /Saved scripts/ }).getByRole('button', { name: 'New folder' })
const shownJob = async () => Number(/#(\d+)/.exec((await page.getByTestId('run-job').textContent()) ?? '')?.[1])
const runStatus = () => page.getByTestId('run-status').getAttribute('data-status')
const savedCode = async (path: string): Promise<string> => (await api(served.url, token, 'GET', `/api/v1/saved-scripts/script?path=${encodeURIComponent(path)}`)).code ?? ''
const savedPaths = async (): Promise<string[]> => {
  const entries: { path: string }[] = await api(served.url, token, 'GET', '/api/v1/saved-scripts')
  return entries.map((e) => e.path)
}

describe('Scripts after a fresh-user trial', () => {
  it('a saved script is still open after a reload: its name, Save (not "Save as") and the leave prompt for its edits', async () => {
    await signIn(page, served.url)
    await page.goto(`${served.url}/#/scripts`)
    await chooseLanguage(page, 'SQL')
    await typeScript(page, 'select 1 as one;')
    await saveScriptAs(page, 'trial/one')

    await page.reload()
    await poll(() => page.getByLabel('script path').inputValue()).toBe('trial/one')
    expect(await page.getByRole('button', { name: 'Save', exact: true }).isVisible()).toBe(true)
    expect(await tree().getByRole('treeitem', { name: 'trial/one' }).getAttribute('aria-selected')).toBe('true')
    expect(await editorText()).toContain('select 1 as one;')

    // edits after the reload are edits to trial/one: a reload asks, another page asks
    await typeAtEnd('\nselect 2 as two;')
    expect(await reloadAsks(page)).toBe(true)
    await mainNav(page, 'Jobs')
    const question = page.getByRole('dialog', { name: 'unsaved changes' })
    expect(await question.getByRole('heading').textContent()).toBe('Discard unsaved changes to trial/one?')
    await question.getByRole('button', { name: 'Cancel' }).click()

    // and Save saves them to it, making nothing new
    await page.getByRole('button', { name: 'Save', exact: true }).click()
    await poll(() => savedCode('trial/one')).toContain('select 2 as two;')
    expect((await savedPaths()).filter((p) => p.startsWith('trial/'))).toEqual(['trial/one'])
    await poll(() => page.getByTestId('saved-note').textContent()).toBe('Saved trial/one') // the page has the server's answer too
    expect(await reloadAsks(page)).toBe(false)
    await poll(() => page.getByLabel('script path').inputValue()).toBe('trial/one')
  })

  it('"New folder" asks for its own name in the tree (Esc gives up), not the script name box', async () => {
    await page.getByLabel('script path').fill('not/a/folder')
    await newFolder().click()
    const name = tree().getByLabel('new folder name')
    expect(await name.inputValue()).toBe('New folder')
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('new folder name')
    await page.screenshot({ path: resolve(SHOTS, 'scripts-new-folder.png') })
    await page.keyboard.press('Escape')
    expect(await name.count()).toBe(0)
    expect(await savedPaths()).not.toContain('New folder')

    await newFolder().click()
    await page.keyboard.press('Enter') // the offered name
    await tree().getByRole('treeitem', { name: 'New folder', exact: true }).waitFor({ timeout: 10_000 })
    await newFolder().click()
    expect(await tree().getByLabel('new folder name').inputValue()).toBe('New folder 2')
    await page.keyboard.type('trial/inner')
    await page.keyboard.press('Enter')
    await tree().getByRole('treeitem', { name: 'trial/inner' }).waitFor({ timeout: 10_000 })
    const paths = await savedPaths()
    expect(paths).toContain('trial/inner')
    expect(paths.some((p) => p.startsWith('not/'))).toBe(false)
    expect(await page.getByLabel('script path').inputValue()).toBe('not/a/folder') // left as typed
  })

  it('the result tab strip scrolls sideways on a thin themed scrollbar, with no grey vertical one, light and dark', async () => {
    await page.setViewportSize({ width: 1000, height: 700 })
    await typeScript(page, Array.from({ length: 14 }, (_, i) => `select ${i + 1} as n;`).join('\n'))
    await page.keyboard.press('ControlOrMeta+Enter')
    await poll(runStatus).toBe('succeeded')
    const strip = page.getByRole('tablist', { name: 'run output' })
    await strip.getByRole('tab', { name: /Result 14/ }).waitFor()
    const measure = () =>
      strip.evaluate((el: HTMLElement) => ({
        sideways: el.scrollWidth > el.clientWidth,
        verticalBar: el.offsetWidth - el.clientWidth,
        overflowY: getComputedStyle(el).overflowY,
        scrollbarWidth: getComputedStyle(el).scrollbarWidth,
        colorScheme: getComputedStyle(document.documentElement).colorScheme,
      }))
    for (const theme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: theme })
      await poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe(theme)
      const m = await measure()
      expect(m).toEqual({ sideways: true, verticalBar: 0, overflowY: 'hidden', scrollbarWidth: 'thin', colorScheme: theme })
      await page.screenshot({ path: resolve(SHOTS, `scripts-tab-strip-${theme}.png`), clip: { x: 0, y: 0, width: 1000, height: 700 } })
    }
    await page.emulateMedia({ colorScheme: 'light' })
    await page.setViewportSize({ width: 1400, height: 860 })
  })

  it('sets stderr lines apart in the Scripts log and the Jobs log: a marker, red-orange text, warnings amber, errors red', async () => {
    await chooseLanguage(page, 'Shell')
    await typeScript(page, "echo 'to stdout'\necho 'plain stderr' >&2\necho 'warning: careful' >&2\necho 'error: broken' >&2\nsleep 0.2\necho 'stdout again'")
    const before = await shownJob()
    await page.keyboard.press('ControlOrMeta+Enter')
    await poll(shownJob).not.toBe(before)
    await poll(runStatus).toBe('succeeded')
    await poll(() => page.getByTestId('tab-result-0').getAttribute('aria-selected')).toBe('true') // the stdout text result opens on success
    await page.getByTestId('tab-log').click()
    const jobId = await shownJob()
    /** Each line's stream, level and colours, by its text. */
    const lines = (log: ReturnType<Page['locator']>) =>
      log.locator('.log-line').evaluateAll((rows) =>
        Object.fromEntries(
          rows.map((r) => {
            const style = getComputedStyle(r)
            return [
              r.querySelector('.log-text')!.textContent,
              { stream: r.getAttribute('data-stream'), marker: style.borderLeftWidth !== '0px' ? style.borderLeftColor : 'none', text: getComputedStyle(r.querySelector('.log-text')!).color },
            ]
          }),
        ),
      )
    const expectStreams = async (log: ReturnType<Page['locator']>) => {
      await poll(async () => Object.keys(await lines(log))).toContain('stdout again')
      const l = await lines(log)
      expect(l['to stdout']).toMatchObject({ stream: 'stdout', marker: 'none' })
      expect(l['stdout again']).toMatchObject({ stream: 'stdout', marker: 'none' })
      for (const t of ['plain stderr', 'warning: careful', 'error: broken']) expect(l[t].stream, t).toBe('stderr')
      expect(l['plain stderr']).toEqual({ stream: 'stderr', marker: 'rgb(217, 137, 91)', text: 'rgb(234, 166, 127)' }) // red-orange
      expect(l['warning: careful']).toEqual({ stream: 'stderr', marker: 'rgb(240, 192, 96)', text: 'rgb(240, 192, 96)' }) // amber
      expect(l['error: broken']).toEqual({ stream: 'stderr', marker: 'rgb(255, 138, 138)', text: 'rgb(255, 138, 138)' }) // red
      expect(l['to stdout'].text).not.toBe(l['plain stderr'].text)
    }
    const scriptsLog = page.locator('.sc-output').getByLabel('job log')
    await expectStreams(scriptsLog)
    await page.screenshot({ path: resolve(SHOTS, 'scripts-stderr-log.png') })

    await page.goto(`${served.url}/#/jobs/${jobId}`)
    const jobsLog = page.getByRole('complementary', { name: 'job detail' }).getByLabel('job log')
    await expectStreams(jobsLog)
    await page.emulateMedia({ colorScheme: 'dark' })
    await page.screenshot({ path: resolve(SHOTS, 'jobs-stderr-log-dark.png') })
    await page.emulateMedia({ colorScheme: 'light' })
    await page.screenshot({ path: resolve(SHOTS, 'jobs-stderr-log.png') })
  })

  it('"Export visible rows" writes the filtered rows in the shown order, CSV and Excel', async () => {
    await page.goto(`${served.url}/#/scripts`)
    await chooseLanguage(page, 'SQL')
    await typeScript(page, `create table if not exists towns (name text, pop integer);
delete from towns;
insert into towns values ('Oslo', 700), ('Bergen', 290), ('=1+1 town', 5), ('Aarhus', 360), ('Zurich', null);
select name, pop from towns;`)
    await page.keyboard.press('ControlOrMeta+Enter')
    await poll(runStatus).toBe('succeeded')
    const table = page.getByRole('table', { name: 'Result 1' })
    await table.waitFor({ timeout: 10_000 })
    expect(await page.getByRole('group', { name: 'export visible rows' }).count()).toBe(0) // nothing to tell apart from the full export yet
    await table.getByRole('button', { name: /^pop/ }).click()
    await table.getByRole('button', { name: /^pop/ }).click() // descending
    await page.getByLabel('filter all rows of Result 1').fill('r')
    const names = () => table.locator('tbody tr td:nth-child(2)').allTextContents()
    await poll(names).toEqual(['Aarhus', 'Bergen', 'Zurich'])
    const visible = page.getByRole('group', { name: 'export visible rows' })
    await page.screenshot({ path: resolve(SHOTS, 'scripts-export-visible.png') })

    const [csvDownload] = await Promise.all([page.waitForEvent('download'), visible.getByRole('button', { name: 'Export visible rows as CSV' }).click()])
    const jobId = Number(/#(\d+)/.exec((await page.getByTestId('run-job').textContent()) ?? '')?.[1])
    expect(csvDownload.suggestedFilename()).toBe(`job-${jobId}-result-1-visible.csv`)
    const text = async (d: Download) => readFileSync(await downloaded(d), 'utf8').replace(/^\ufeff/, '') // the BOM Excel reads UTF-8 by
    expect(await text(csvDownload)).toBe('name,pop\r\nAarhus,360\r\nBergen,290\r\nZurich,\r\n')
    expect(await page.getByTestId('export-note').textContent()).toBe(`Saved job-${jobId}-result-1-visible.csv: the 3 rows shown, sorted by pop (descending), filtered by “r”.`)

    await page.getByLabel('filter all rows of Result 1').fill('town')
    await poll(names).toEqual(['=1+1 town'])
    const [csv2] = await Promise.all([page.waitForEvent('download'), visible.getByRole('button', { name: 'Export visible rows as CSV' }).click()])
    expect(await text(csv2)).toBe("name,pop\r\n'=1+1 town,5\r\n") // the CSV injection rule of every export

    await page.getByLabel('filter all rows of Result 1').fill('r')
    await poll(names).toEqual(['Aarhus', 'Bergen', 'Zurich'])
    const [xlsxDownload] = await Promise.all([page.waitForEvent('download'), visible.getByRole('button', { name: 'Export visible rows as Excel' }).click()])
    expect(xlsxDownload.suggestedFilename()).toBe(`job-${jobId}-result-1-visible.xlsx`)
    const book = new ExcelJS.Workbook()
    await book.xlsx.readFile(await downloaded(xlsxDownload))
    const sheet = book.worksheets[0]
    expect([1, 2, 3, 4, 5].map((r) => (sheet.getRow(r).values as unknown[]).slice(1))).toEqual([['name', 'pop'], ['Aarhus', 360], ['Bergen', 290], ['Zurich'], []])
  })
})
