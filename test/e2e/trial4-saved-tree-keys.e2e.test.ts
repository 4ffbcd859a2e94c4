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
})
