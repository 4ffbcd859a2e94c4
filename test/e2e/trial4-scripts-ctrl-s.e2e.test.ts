// #13.1/#13.5 trial: Ctrl+S saves on the Workflows page, and Scriptis saves a script with it; on
// the Scripts page it does nothing for a saved script with edits (the browser would offer to save
// the web page instead), and leaving then asks about the unsaved edits.
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { SHOTS, api, browserSuite, poll, signIn } from './support'

const suite = browserSuite({ width: 1280, height: 800 })

describe('Scripts: Ctrl+S', () => {
  it('saves the edits to the open saved script, and leaving the page then does not ask', async () => {
    const { page, served, token } = suite
    await signIn(page, served.url)
    await page.goto(`${served.url}/#/scripts`)
    await page.getByRole('group', { name: 'language' }).getByRole('button', { name: 'SQL', exact: true }).click()
    const editor = page.getByTestId('script-editor')
    await editor.click()
    await page.keyboard.press('ControlOrMeta+A')
    await page.keyboard.insertText('select 1')
    const side = page.getByRole('region', { name: 'saved scripts' })
    await side.getByLabel('script path').fill('reports/daily')
    await side.getByRole('button', { name: 'Save as' }).click()
    await side.getByRole('button', { name: 'Save', exact: true }).waitFor() // it is the open script now

    await editor.click()
    await page.keyboard.press('ControlOrMeta+End')
    await page.keyboard.insertText(' + 1')
    const pressed = page.evaluate(() => new Promise<boolean>((ok) => window.addEventListener('keydown', (e) => setTimeout(() => ok(e.defaultPrevented)), { once: true })))
    await page.keyboard.press('ControlOrMeta+S')
    expect(await pressed).toBe(true) // not the browser's "Save page as"
    const saved = async () => (await api(served.url, token, 'GET', `/api/v1/saved-scripts/script?path=${encodeURIComponent('reports/daily')}`)).code
    await poll(saved).toBe('select 1 + 1')
    await page.screenshot({ path: resolve(SHOTS, 'trial4-scripts-ctrl-s.png') })
    await page.getByRole('navigation', { name: 'main' }).getByRole('button', { name: 'Jobs', exact: true }).click()
    await page.getByRole('heading', { name: 'Jobs' }).waitFor()
    expect(await page.getByRole('dialog', { name: 'unsaved changes' }).count()).toBe(0)
  })
})
