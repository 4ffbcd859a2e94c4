// What a fresh-user trial of #13 found on the Scripts page: a saved script is still open after a
// reload (#13.1), "New folder" asks for its own name (#13.5), the result tab strip scrolls without
// a grey scrollbar in either theme (#13.6), stderr lines look like stderr (#13.5) and "Export
// visible rows" writes the rows as the table shows them (#13.5).
import { resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { SHOTS, api, browserSuite, poll, signIn, type Served } from './support'

const suite = browserSuite({ width: 1400, height: 860 })
let served: Served
let page: Page
let token: string
beforeAll(() => ({ served, page, token } = suite))

const chooseLanguage = (label: string) => page.getByRole('group', { name: 'language' }).getByRole('button', { name: label, exact: true }).click()
async function typeScript(code: string): Promise<void> {
  await page.getByTestId('script-editor').click()
  await page.keyboard.press('ControlOrMeta+A')
  await page.keyboard.insertText(code)
}
async function typeAtEnd(text: string): Promise<void> {
  await page.getByTestId('script-editor').click()
  await page.keyboard.press('ControlOrMeta+End')
  await page.keyboard.insertText(text)
}
const editorText = () => page.getByTestId('script-editor').innerText()
const tree = () => page.getByRole('tree', { name: 'saved scripts' })
const newFolder = () => page.getByRole('heading', { name: /Saved scripts/ }).getByRole('button', { name: 'New folder' })
const runStatus = () => page.getByTestId('run-status').getAttribute('data-status')
const savedCode = async (path: string): Promise<string> => (await api(served.url, token, 'GET', `/api/v1/saved-scripts/script?path=${encodeURIComponent(path)}`)).code ?? ''
const savedPaths = async (): Promise<string[]> => {
  const entries: { path: string }[] = await api(served.url, token, 'GET', '/api/v1/saved-scripts')
  return entries.map((e) => e.path)
}

/** Whether a reload now meets the browser's "leave site?" prompt (dismissed: the page stays). */
async function reloadAsks(): Promise<boolean> {
  let asked = false
  const onDialog = (d: { type(): string; dismiss(): Promise<void> }) => {
    asked = d.type() === 'beforeunload'
    void d.dismiss()
  }
  page.on('dialog', onDialog)
  await page.reload({ timeout: 3000 }).catch(() => undefined) // dismissed: the reload does not happen
  page.off('dialog', onDialog)
  return asked
}

describe('Scripts after a fresh-user trial', () => {
  it('a saved script is still open after a reload: its name, Save (not "Save as") and the leave prompt for its edits', async () => {
    await signIn(page, served.url)
    await page.goto(`${served.url}/#/scripts`)
    await chooseLanguage('SQL')
    await typeScript('select 1 as one;')
    await page.getByLabel('script path').fill('trial/one')
    await page.getByRole('button', { name: 'Save as' }).click()
    await tree().getByRole('treeitem', { name: 'trial/one' }).waitFor({ timeout: 10_000 })

    await page.reload()
    await poll(() => page.getByLabel('script path').inputValue()).toBe('trial/one')
    expect(await page.getByRole('button', { name: 'Save', exact: true }).isVisible()).toBe(true)
    expect(await tree().getByRole('treeitem', { name: 'trial/one' }).getAttribute('aria-selected')).toBe('true')
    expect(await editorText()).toContain('select 1 as one;')

    // edits after the reload are edits to trial/one: a reload asks, another page asks
    await typeAtEnd('\nselect 2 as two;')
    expect(await reloadAsks()).toBe(true)
    await page.getByRole('navigation', { name: 'main' }).getByRole('button', { name: 'Jobs', exact: true }).click()
    const question = page.getByRole('dialog', { name: 'unsaved changes' })
    expect(await question.getByRole('heading').textContent()).toBe('Discard unsaved changes to trial/one?')
    await question.getByRole('button', { name: 'Cancel' }).click()

    // and Save saves them to it, making nothing new
    await page.getByRole('button', { name: 'Save', exact: true }).click()
    await poll(() => savedCode('trial/one')).toContain('select 2 as two;')
    expect((await savedPaths()).filter((p) => p.startsWith('trial/'))).toEqual(['trial/one'])
    expect(await reloadAsks()).toBe(false)
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
    await typeScript(Array.from({ length: 14 }, (_, i) => `select ${i + 1} as n;`).join('\n'))
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
})
