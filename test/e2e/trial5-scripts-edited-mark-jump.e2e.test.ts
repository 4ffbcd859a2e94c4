// #13.5 trial: the "edited" mark on an open saved script is taller than the bar it shows in, so the
// first keystroke after opening or saving pushes the editor (and the line being typed) down 3 px,
// and each save pulls it back up: the text jumps under the cursor as the user types and saves.
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { SHOTS, browserSuite, poll, signIn, saveScriptAs } from './support'

const suite = browserSuite({ width: 1280, height: 800 })

describe('Scripts: the "edited" mark', () => {
  it('shows and goes without moving the editor', async () => {
    const { page, served } = suite
    await signIn(page, served.url)
    await page.goto(`${served.url}/#/scripts`)
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
