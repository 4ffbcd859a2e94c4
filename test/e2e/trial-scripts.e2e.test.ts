// #13.1/#13.5/#13.6 trials of the Scripts page at 1280×800, one serve and browser page for all of
// them. Each part after the first starts over (startOver): on a serve and page of its own it found no
// saved scripts and an empty localStorage (the page keeps its drafts, runs, open script and layout
// there), and several save a script at the same path.
import { resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { SHOTS, api, browserSuite, clearAppStorage, poll, saveScriptAs, signIn, writeScript, mainNav } from './support'

const suite = browserSuite({ width: 1280, height: 800 })

/** Signs the page in and opens the Scripts page; the suite's page, server and token. */
async function openScripts(): Promise<typeof suite> {
  await signIn(suite.page, suite.served.url)
  await suite.page.goto(`${suite.served.url}/#/scripts`)
  return suite
}

/** Reads, on `page`, the path (aria-label) of the tree item that holds the focus; null when none does. */
const focusedTreeItem = (page: Page) => (): Promise<string | null> =>
  page.evaluate(() => document.activeElement?.closest('[role="treeitem"]')?.getAttribute('aria-label') ?? null)

/**
 * Gives the next part of this file the saved scripts and page storage a fresh serve and page had:
 * empties the app's localStorage (clearAppStorage) and deletes the admin's saved scripts (each
 * top-level name: a script, or a folder with what it holds).
 */
function startOver(): void {
  beforeAll(async () => {
    const { page, served, token } = suite
    await clearAppStorage(page, served.url)
    const entries = (await api(served.url, token, 'GET', '/api/v1/saved-scripts')) as { path: string }[]
    for (const top of new Set(entries.map((e) => e.path.split('/')[0]))) {
      await api(served.url, token, 'DELETE', `/api/v1/saved-scripts?path=${encodeURIComponent(top)}`)
    }
    expect(await api(served.url, token, 'GET', '/api/v1/saved-scripts')).toEqual([])
  })
}

// #13.5 trial: a result table sorts when its column's header is clicked, as spreadsheets and the
// tables of n8n or Airflow do. Here only the header's label is a button (13 px of a 72 px "id"
// header); a click on the rest of the header cell does nothing.
describe('result table headers', () => {
  it('sorts by a column when its header cell is clicked beside the label', async () => {
    const { page } = await openScripts()
    await writeScript(page, 'SQL', "select 3 as id, 'a much longer text value here' as txt union all select 1, 'b' union all select 2, 'c'")
    await page.keyboard.press('ControlOrMeta+Enter')
    const table = page.getByTestId('result-table')
    await table.locator('tbody tr').nth(2).waitFor()
    const ids = () => table.locator('tbody tr td:nth-child(2)').allTextContents()
    expect(await ids()).toEqual(['3', '1', '2'])
    const header = table.locator('thead th').nth(1)
    const cell = (await header.boundingBox())!
    const label = (await header.locator('.sc-colname').boundingBox())!
    // the left part of the header cell, clear of the (right-aligned) label of a number column
    const x = Math.min(5, (label.x - cell.x) / 2)
    expect(label.x - cell.x).toBeGreaterThan(2 * x)
    await header.click({ position: { x, y: cell.height / 2 } })
    await poll(() => header.getAttribute('aria-sort')).toBe('ascending')
    await poll(ids).toEqual(['1', '2', '3']) // the server's sorted page comes after the header's mark
    await page.screenshot({ path: resolve(SHOTS, 'trial4-sort-header.png') })
  })
})

// #13.5 trial: the saved scripts are a tree (role="tree"), and trees are walked with the arrow keys
// (WAI-ARIA's tree pattern; VS Code's and Scriptis's file trees). Here ArrowDown does nothing: a
// keyboard user tabs through three buttons per row.
describe('saved scripts tree from the keyboard', () => {
  startOver()

  it('moves between scripts with ArrowDown and ArrowUp', async () => {
    const { page } = await openScripts()
    const side = page.getByRole('region', { name: 'saved scripts' })
    for (const path of ['reports/daily', 'reports/weekly']) {
      await side.getByLabel('script path').fill(path)
      await side.getByRole('button', { name: /^Save/ }).click()
      await page.getByTestId(`saved-${path}`).waitFor()
    }
    /** The path of the tree item that holds the focus. */
    const focused = focusedTreeItem(page)
    await page.getByTestId('saved-reports').locator('.sc-tree-open').first().focus()
    expect(await focused()).toBe('reports')
    await page.keyboard.press('ArrowDown')
    await poll(focused).toBe('reports/daily')
    await page.keyboard.press('ArrowDown')
    await poll(focused).toBe('reports/weekly')
    await page.keyboard.press('ArrowUp')
    await poll(focused).toBe('reports/daily')
    await page.screenshot({ path: resolve(SHOTS, 'trial4-saved-tree-keys.png') })
  })

  it('opens and closes folders with ArrowRight and ArrowLeft, jumps with Home and End, opens a script with Enter, and is one tab stop whose row buttons Tab reaches', async () => {
    const { page } = suite
    const tree = page.getByRole('tree', { name: 'saved scripts' })
    const focused = focusedTreeItem(page)
    const focusedLabel = () => page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? null)
    const reports = tree.getByRole('treeitem', { name: 'reports', exact: true })
    await page.getByTestId('saved-reports/weekly').locator('.sc-tree-open').focus()
    await page.keyboard.press('ArrowLeft') // a script: to its folder
    await poll(focused).toBe('reports')
    await page.keyboard.press('ArrowLeft') // an open folder: closes it
    await poll(() => reports.getAttribute('aria-expanded')).toBe('false')
    expect(await tree.getByRole('treeitem', { name: 'reports/daily' }).count()).toBe(0)
    expect(await focused()).toBe('reports')
    await page.keyboard.press('ArrowRight') // a closed folder: opens it
    await poll(() => reports.getAttribute('aria-expanded')).toBe('true')
    expect(await focused()).toBe('reports')
    await page.keyboard.press('ArrowRight') // an open folder: into it
    await poll(focused).toBe('reports/daily')
    await page.keyboard.press('End')
    await poll(focused).toBe('reports/weekly')
    await page.keyboard.press('Home')
    await poll(focused).toBe('reports')
    await page.keyboard.press('ArrowDown')
    await poll(focused).toBe('reports/daily')
    await page.keyboard.press('Enter') // opens it in the editor
    await poll(() => tree.getByRole('treeitem', { name: 'reports/daily' }).getAttribute('aria-selected')).toBe('true')
    await poll(() => page.getByLabel('script path').inputValue()).toBe('reports/daily')

    // one tab stop: the focused row's buttons, and nothing else of the tree, are in the tab order
    const inTabOrder = () => tree.evaluate((t) => [...t.querySelectorAll('button')].filter((b) => b.tabIndex >= 0).map((b) => b.closest('[role="treeitem"]')?.getAttribute('aria-label')))
    expect(await inTabOrder()).toEqual(['reports/daily', 'reports/daily', 'reports/daily'])
    await page.keyboard.press('Tab')
    expect(await focusedLabel()).toBe('rename reports/daily')
    expect(await page.getByRole('button', { name: 'rename reports/daily' }).isVisible()).toBe(true)
    await page.screenshot({ path: resolve(SHOTS, 'trial4-saved-tree-keys-row-buttons.png') })
    await page.keyboard.press('Tab')
    expect(await focusedLabel()).toBe('delete reports/daily')
    await page.keyboard.press('Tab') // out of the tree, past reports/weekly
    expect(await focused()).toBeNull()
    await page.keyboard.press('Shift+Tab') // back onto the row itself (its buttons show only while it has the focus)
    expect(await focused()).toBe('reports/daily')
    expect(await page.evaluate(() => document.activeElement?.classList.contains('sc-tree-open'))).toBe(true)

    // F2 renames the focused row in place; Esc gives up and leaves the focus on the row, as does a rename at the new path
    await page.keyboard.press('F2')
    await poll(focusedLabel).toBe('new path of reports/daily')
    await page.keyboard.press('Escape')
    await poll(focused).toBe('reports/daily')
    await page.keyboard.press('F2')
    await poll(focusedLabel).toBe('new path of reports/daily')
    await page.keyboard.press('End')
    await page.keyboard.insertText('-2')
    await page.keyboard.press('Enter')
    await poll(focused).toBe('reports/daily-2')
    await page.keyboard.press('ArrowDown')
    await poll(focused).toBe('reports/weekly')
    // Delete asks first, as the row's × does
    await page.keyboard.press('Delete')
    const ask = page.getByRole('dialog', { name: 'Delete reports/weekly?' })
    await ask.waitFor()
    await page.keyboard.press('Escape') // Back
    await poll(() => ask.count()).toBe(0)
    expect(await page.getByTestId('saved-reports/weekly').count()).toBe(1)
    await poll(focused).toBe('reports/weekly')
  })
})

// #13.1/#13.5 trial: Ctrl+S saves on the Workflows page, and Scriptis saves a script with it; on
// the Scripts page it does nothing for a saved script with edits (the browser would offer to save
// the web page instead), and leaving then asks about the unsaved edits.
describe('Scripts: Ctrl+S', () => {
  startOver()

  it('saves the edits to the open saved script, and leaving the page then does not ask', async () => {
    const { page, served, token } = await openScripts()
    await writeScript(page, 'SQL', 'select 1')
    const editor = page.getByTestId('script-editor')
    const side = page.getByRole('region', { name: 'saved scripts' })
    await saveScriptAs(page, 'reports/daily')
    await side.getByRole('button', { name: 'Save', exact: true }).waitFor() // it is the open script now

    await editor.click()
    await page.keyboard.press('ControlOrMeta+End')
    await page.keyboard.insertText(' + 1')
    // the S key's keydown (not the Control key's, which comes first), listened for before the keys are pressed
    await page.evaluate(() => {
      const onKey = (e: KeyboardEvent) => {
        if (e.key.toLowerCase() !== 's') return
        window.removeEventListener('keydown', onKey)
        setTimeout(() => document.body.setAttribute('data-save-prevented', String(e.defaultPrevented)))
      }
      window.addEventListener('keydown', onKey)
    })
    await page.keyboard.press('ControlOrMeta+S')
    await poll(() => page.locator('body').getAttribute('data-save-prevented')).toBe('true') // not the browser's "Save page as"
    const saved = async () => (await api(served.url, token, 'GET', `/api/v1/saved-scripts/script?path=${encodeURIComponent('reports/daily')}`)).code
    await poll(saved).toBe('select 1 + 1')
    await page.screenshot({ path: resolve(SHOTS, 'trial4-scripts-ctrl-s.png') })
    await mainNav(page, 'Jobs')
    await page.getByRole('heading', { name: 'Jobs' }).waitFor()
    expect(await page.getByRole('dialog', { name: 'unsaved changes' }).count()).toBe(0)
  })

  it('on a new script asks for its path ("Save as"), showing the folded side panel, and saves it there', async () => {
    const { page, served, token } = suite // signed in by the test above, its SQL script still open
    await page.goto(`${served.url}/#/scripts`)
    await page.getByRole('group', { name: 'language' }).getByRole('button', { name: 'Python', exact: true }).click()
    await page.getByRole('button', { name: 'hide the side panel' }).click()
    const side = page.getByRole('region', { name: 'saved scripts' })
    await poll(() => side.count()).toBe(0)
    const editor = page.getByTestId('script-editor')
    await editor.click()
    await page.keyboard.press('ControlOrMeta+A')
    await page.keyboard.insertText('print(2)')
    await page.keyboard.press('ControlOrMeta+S')
    const field = side.getByLabel('script path')
    await poll(() => field.evaluate((el) => el === document.activeElement)).toBe(true)
    expect(await field.inputValue()).toBe('') // not the open SQL script's path: a Python draft is not saved over it
    await page.keyboard.insertText('adhoc/two')
    await page.keyboard.press('ControlOrMeta+S') // in the field: what its button says, Save as
    const saved = async () => (await api(served.url, token, 'GET', `/api/v1/saved-scripts/script?path=${encodeURIComponent('adhoc/two')}`)).code
    await poll(saved).toBe('print(2)')
    await side.getByRole('button', { name: 'Save', exact: true }).waitFor() // it is the open script now
    expect((await api(served.url, token, 'GET', `/api/v1/saved-scripts/script?path=${encodeURIComponent('reports/daily')}`)).code).toBe('select 1 + 1')
    await page.screenshot({ path: resolve(SHOTS, 'trial4-scripts-ctrl-s-new.png') })
  })
})

// #13.1/#13.5 trial: the Workflows page marks a descriptor with edits "not saved"; the Scripts page
// shows nothing when the open saved script has edits (the path field reads the same before and
// after), so a user learns of them only from the leave prompt.
const MARK = /not saved|unsaved|modified|edited/i // as Workflows says it ("not saved", "edited")

describe('Scripts: an open saved script with edits', () => {
  startOver()

  it('is marked as not saved until it is saved', async () => {
    const { page } = await openScripts()
    await writeScript(page, 'SQL', 'select 1')
    const editor = page.getByTestId('script-editor')
    const side = page.getByRole('region', { name: 'saved scripts' })
    await saveScriptAs(page, 'reports/daily')
    await side.getByRole('button', { name: 'Save', exact: true }).waitFor()
    const scriptsPage = page.locator('.sc-page')
    expect(await scriptsPage.getByText(MARK).count()).toBe(0)

    await editor.click()
    await page.keyboard.press('ControlOrMeta+End')
    await page.keyboard.insertText(' + 1')
    await poll(() => scriptsPage.getByText(MARK).count()).toBeGreaterThan(0)
    await page.screenshot({ path: resolve(SHOTS, 'trial4-scripts-unsaved-mark.png') })

    await side.getByRole('button', { name: 'Save', exact: true }).click()
    await poll(() => scriptsPage.getByText(MARK).count()).toBe(0)
  })
})

// #13.6 trial: readable form errors. Renaming a saved script (F2 in the tree) to a path whose name is
// longer than 100 characters says "a name in to is longer than 100 characters": the rename API's
// body field `to`, not the form's words (the other rename errors say "The new path …").
describe('Saved scripts: renaming to a name that is too long', () => {
  startOver()

  it('says in words that the new path’s names may have at most 100 characters', async () => {
    const { page } = await openScripts()
    const side = page.getByRole('region', { name: 'saved scripts' })
    await saveScriptAs(page, 'reports/daily')
    const row = page.getByRole('tree', { name: 'saved scripts' }).getByRole('treeitem', { name: 'reports/daily' })
    await row.waitFor()
    await row.locator(':scope > .sc-tree-row > .sc-tree-open').focus()
    await page.keyboard.press('F2')
    const field = page.getByLabel('new path of reports/daily')
    await field.fill(`reports/${'x'.repeat(300)}`)
    await field.press('Enter')
    const error = side.getByRole('alert')
    await poll(() => error.count()).toBeGreaterThan(0)
    await page.screenshot({ path: resolve(SHOTS, 'trial5-rename-long-name.png') })
    const text = (await error.first().textContent()) ?? ''
    expect(text).toMatch(/100 characters/)
    expect(text).not.toMatch(/\bin to\b|\bto must\b|"to"/) // the API's field, not the form's
    expect(text).toMatch(/new path|name/i)
  })
})

// #13.5 trial: the "edited" mark on an open saved script is taller than the bar it shows in, so the
// first keystroke after opening or saving pushes the editor (and the line being typed) down 3 px,
// and each save pulls it back up: the text jumps under the cursor as the user types and saves.
describe('Scripts: the "edited" mark', () => {
  startOver()

  it('shows and goes without moving the editor', async () => {
    const { page } = await openScripts()
    await page.getByRole('group', { name: 'language' }).getByRole('button', { name: 'Shell', exact: true }).click()
    const editor = page.getByTestId('script-editor')
    await editor.click()
    await page.keyboard.press('ControlOrMeta+A')
    await page.keyboard.insertText('echo hi')
    const side = page.getByRole('region', { name: 'saved scripts' })
    await saveScriptAs(page, 'daily/hello')
    await side.getByRole('button', { name: 'Save', exact: true }).waitFor()
    const bar = page.locator('.sc-page').getByText('edited', { exact: true })
    await poll(() => bar.count()).toBe(0)
    const top = () => editor.evaluate((el) => el.getBoundingClientRect().top)
    const saved = await top()

    await editor.click()
    await page.keyboard.press('ControlOrMeta+End')
    await page.keyboard.insertText(' there')
    await poll(() => bar.count()).toBeGreaterThan(0)
    await page.screenshot({ path: resolve(SHOTS, 'trial5-scripts-edited-mark.png') })
    expect(await top()).toBe(saved)
    await page.keyboard.press('ControlOrMeta+S')
    await poll(() => bar.count()).toBe(0)
    expect(await top()).toBe(saved)
  })
})
