// #13.6 trial: readable form errors. Renaming a saved script (F2 in the tree) to a path whose name is
// longer than 100 characters says "a name in to is longer than 100 characters": the rename API's
// body field `to`, not the form's words (the other rename errors say "The new path …").
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { SHOTS, browserSuite, poll, signIn, saveScriptAs } from './support'

const suite = browserSuite({ width: 1280, height: 800 })

describe('Saved scripts: renaming to a name that is too long', () => {
  it('says in words that the new path’s names may have at most 100 characters', async () => {
    const { page, served } = suite
    await signIn(page, served.url)
    await page.goto(`${served.url}/#/scripts`)
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
