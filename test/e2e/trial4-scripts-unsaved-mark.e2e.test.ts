// #13.1/#13.5 trial: the Workflows page marks a descriptor with edits "not saved"; the Scripts page
// shows nothing when the open saved script has edits (the path field reads the same before and
// after), so a user learns of them only from the leave prompt.
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { SHOTS, browserSuite, poll, signIn, writeScript, saveScriptAs } from './support'

const suite = browserSuite({ width: 1280, height: 800 })
const MARK = /not saved|unsaved|modified|edited/i // as Workflows says it ("not saved", "edited")

describe('Scripts: an open saved script with edits', () => {
  it('is marked as not saved until it is saved', async () => {
    const { page, served } = suite
    await signIn(page, served.url)
    await page.goto(`${served.url}/#/scripts`)
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
