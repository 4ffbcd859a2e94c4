// A name with a character looking like a space (#9): mallory names a job `weekly` + U+3000 IDEOGRAPHIC
// SPACE + `report`, which the admin's Jobs page drew just as a job named `weekly report` — the
// look-alike was not marked. Now each
// such character is a chip like the bidi controls; and copying the name gives the name itself, not the
// chip's `⟨U+3000⟩` (a name pasted into a search or a script must be the real one).
import { resolve } from 'node:path'
import type { Locator } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { createUser } from '../support/users'
import { SHOTS, browserSuite, drawnText, signIn, writeScript } from './support'

const suite = browserSuite({ width: 1400, height: 860 })

const NAME = 'weekly\u3000report'


/** Selects everything drawn in `where`, as a drag over it would, and returns the selection's text. */
const selectAll = (where: Locator) =>
  where.evaluate((el) => {
    const range = document.createRange()
    range.selectNodeContents(el)
    const sel = getSelection()!
    sel.removeAllRanges()
    sel.addRange(range)
    return sel.toString()
  })

describe('a name with a character that looks like a space', () => {
  beforeAll(async () => {
    await suite.page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: suite.served.url })
    await signIn(suite.page, suite.served.url)
  })

  it('is drawn marked, and copying it gives the original characters', async () => {
    const { page, served, token } = suite
    const mallory = await createUser({ url: served.url, token }, 'mallory')
    const res = await fetch(`${served.url}/api/v1/jobs`, {
      method: 'POST',
      headers: { authorization: `Bearer ${mallory.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'script', language: 'sql', code: 'SELECT 1', name: NAME }),
    })
    expect(res.status, 'a look-alike space is text, accepted (and marked)').toBe(201)
    const { id } = (await res.json()) as { id: number }
    await page.goto(`${served.url}/#/jobs/${id}`)
    const heading = page.getByRole('heading', { name: `#${id}`, exact: false }).first()
    await heading.waitFor()
    const name = heading.locator('.safe-text')
    const cell = page.locator('td.name').filter({ hasText: 'report' }).locator('.safe-text')
    await cell.waitFor() // the list's first page: the shot once taken before it showed "No jobs yet"
    await page.screenshot({ path: resolve(SHOTS, 'lookalike-space-name.png') })

    expect(await drawnText(name), 'the detail heading marks U+3000').toBe('weekly⟨U+3000⟩report')
    expect(await drawnText(cell), 'the table marks U+3000').toBe('weekly⟨U+3000⟩report')

    expect(await selectAll(name), 'the selection of the heading’s name is the name').toBe(NAME)
    expect(await selectAll(cell), 'the selection of the table’s name is the name').toBe(NAME)
    // what the clipboard gets from Ctrl+C over the selection
    await page.evaluate(() => navigator.clipboard.writeText(''))
    await selectAll(name)
    await page.keyboard.press('Control+C')
    expect(await page.evaluate(() => navigator.clipboard.readText()), 'Ctrl+C copies the name').toBe(NAME)
  })

  it('is marked the same way in the code editor, whose copy is the code itself', async () => {
    const { page, served } = suite
    await page.goto(`${served.url}/#/scripts`)
    // U+3000 and U+2068 FIRST STRONG ISOLATE: CodeMirror's own marks have neither
    await writeScript(page, 'SQL', "SELECT 'weekly\u3000report' AS a, '\u2068x' AS b")
    const editor = page.getByTestId('script-editor') // CodeMirror's content element
    await page.screenshot({ path: resolve(SHOTS, 'lookalike-space-editor.png') })
    expect(await drawnText(editor), 'the editor marks both').toContain("'weekly⟨U+3000⟩report' AS a, '⟨U+2068⟩x'")
    await editor.click()
    await page.keyboard.press('ControlOrMeta+A')
    await page.keyboard.press('ControlOrMeta+C')
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe("SELECT 'weekly\u3000report' AS a, '\u2068x' AS b")
  })
})
