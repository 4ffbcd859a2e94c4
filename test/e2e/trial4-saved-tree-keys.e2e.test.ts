// #13.5 trial: the saved scripts are a tree (role="tree"), and trees are walked with the arrow keys
// (WAI-ARIA's tree pattern; VS Code's and Scriptis's file trees). Here ArrowDown does nothing: a
// keyboard user tabs through three buttons per row.
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { SHOTS, browserSuite, poll, signIn } from './support'

const suite = browserSuite({ width: 1280, height: 800 })

describe('saved scripts tree from the keyboard', () => {
  it('moves between scripts with ArrowDown and ArrowUp', async () => {
    const { page, served } = suite
    await signIn(page, served.url)
    await page.goto(`${served.url}/#/scripts`)
    const side = page.getByRole('region', { name: 'saved scripts' })
    for (const path of ['reports/daily', 'reports/weekly']) {
      await side.getByLabel('script path').fill(path)
      await side.getByRole('button', { name: /^Save/ }).click()
      await page.getByTestId(`saved-${path}`).waitFor()
    }
    /** The path of the tree item that holds the focus. */
    const focused = () => page.evaluate(() => document.activeElement?.closest('[role="treeitem"]')?.getAttribute('aria-label') ?? null)
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
    const focused = () => page.evaluate(() => document.activeElement?.closest('[role="treeitem"]')?.getAttribute('aria-label') ?? null)
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
