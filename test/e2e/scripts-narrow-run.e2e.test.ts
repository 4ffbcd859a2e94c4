// Scripts at 900×600 after a run (#13.4, found by the trial2 user trial): the status row's
// "■ Kill" button stuck out of the editor column over the side panel, and the duration beside it wrapped.
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { SHOTS, browserSuite, layoutProblems, signIn, mainNav } from './support'

const suite = browserSuite({ width: 900, height: 600 })

describe('Scripts at 900×600 with a finished run', () => {
  it('keeps Kill and the duration inside the editor column, nothing over the side panel', async () => {
    const { page, served } = suite
    await signIn(page, served.url)
    await mainNav(page, 'Scripts')
    await page.getByTestId('script-editor').waitFor()
    await page.locator('.cm-content').click()
    await page.keyboard.press('Control+A')
    await page.keyboard.insertText('select 1 as a, 2 as b;')
    await page.keyboard.press('Control+Enter')
    await page.getByText('Result 1', { exact: false }).first().waitFor()
    await page.waitForTimeout(300)
    await page.screenshot({ path: resolve(SHOTS, 'scripts-900-run.png') })
    const kill = (await page.getByRole('button', { name: /Kill/ }).boundingBox())!
    const panel = (await page.getByRole('complementary', { name: 'scripts, tables, variables and history' }).boundingBox())!
    expect(kill.x + kill.width).toBeLessThanOrEqual(panel.x)
    // the duration ("0.7 s") stays on one line
    const duration = page.locator('.sc-duration')
    expect(await duration.evaluate((el) => el.getClientRects().length === 1 && el.getBoundingClientRect().height < 20)).toBe(true)
    expect(await layoutProblems(page)).toEqual([])
  })
})
