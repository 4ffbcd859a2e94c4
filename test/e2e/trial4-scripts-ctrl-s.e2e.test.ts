// #13.1/#13.5 trial: Ctrl+S saves on the Workflows page, and Scriptis saves a script with it; on
// the Scripts page it does nothing for a saved script with edits (the browser would offer to save
// the web page instead), and leaving then asks about the unsaved edits.
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { SHOTS, api, browserSuite, poll, signIn, writeScript, saveScriptAs } from './support'

const suite = browserSuite({ width: 1280, height: 800 })

describe('Scripts: Ctrl+S', () => {
  it('saves the edits to the open saved script, and leaving the page then does not ask', async () => {
    const { page, served, token } = suite
    await signIn(page, served.url)
    await page.goto(`${served.url}/#/scripts`)
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
    await page.getByRole('navigation', { name: 'main' }).getByRole('button', { name: 'Jobs', exact: true }).click()
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
