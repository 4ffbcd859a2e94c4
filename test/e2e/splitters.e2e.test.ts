// Splitters and folding side panels (#13.4): editor | results on Scripts and editor | graph on
// Workflows are dragged or moved with the keyboard, and their sizes (and the folded Scripts side
// panel) are kept per user over a reload.
import { resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { SHOTS, browserSuite, poll, signIn, type Served } from './support'

const suite = browserSuite({ width: 1200, height: 800 })
let served: Served
let page: Page
beforeAll(() => {
  ;({ served, page } = suite)
})

const share = (label: string) => async () => Number(await page.getByRole('separator', { name: label }).getAttribute('aria-valuenow'))
const height = (selector: string) => async () => (await page.locator(selector).boundingBox())!.height

describe('splitters', () => {
  it('drags the Scripts splitter, moves it with the keyboard, and keeps it over a reload', async () => {
    await signIn(page, served.url)
    await page.goto(`${served.url}/#/scripts`)
    const bar = page.getByRole('separator', { name: 'resize editor and results' })
    await bar.waitFor()
    const editorShare = share('resize editor and results')
    expect(await editorShare()).toBe(40)
    const before = await height('.sc-editor-pane')()
    const box = (await bar.boundingBox())!
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2)
    await page.mouse.down()
    await page.mouse.move(box.x + box.width / 2, box.y + 120, { steps: 6 })
    await page.mouse.up()
    await poll(height('.sc-editor-pane')).toBeGreaterThan(before + 100)
    const dragged = await editorShare()
    expect(dragged).toBeGreaterThan(50)

    await bar.focus()
    await page.keyboard.press('ArrowUp')
    await page.keyboard.press('ArrowUp')
    await poll(editorShare).toBeCloseTo(dragged - 4, 0)
    await page.keyboard.press('Shift+ArrowDown')
    await poll(editorShare).toBeCloseTo(dragged + 6, 0)
    const kept = await editorShare()

    // fold the variables-and-history panel: the editor gets the room
    const wide = (await page.locator('.sc-editor-pane').boundingBox())!.width
    await page.getByRole('button', { name: 'hide the side panel' }).click()
    await poll(() => page.getByRole('complementary', { name: 'scripts, tables, variables and history' }).count()).toBe(0)
    expect((await page.locator('.sc-editor-pane').boundingBox())!.width).toBeGreaterThan(wide + 200)
    await page.screenshot({ path: resolve(SHOTS, 'splitter-scripts.png') })

    await page.reload()
    await bar.waitFor()
    await poll(editorShare).toBe(kept)
    expect(await page.getByRole('complementary', { name: 'scripts, tables, variables and history' }).count()).toBe(0)
    // kept for this user only
    expect(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('jobdesk.splits')))).toEqual(['jobdesk.splits:admin'])
    await page.getByRole('button', { name: 'show the side panel' }).click()
    await page.getByRole('complementary', { name: 'scripts, tables, variables and history' }).waitFor()
  })

  it('moves the Workflows splitter between editor and graph, Home/End to the limits, Enter back to the default', async () => {
    await page.goto(`${served.url}/#/workflows`)
    const bar = page.getByRole('separator', { name: 'resize editor and graph' })
    await bar.waitFor()
    const editorShare = share('resize editor and graph')
    expect(await editorShare()).toBe(44)
    const graphBefore = await height('.wf-dag')()
    await bar.focus()
    await page.keyboard.press('Home')
    await poll(editorShare).toBe(12)
    await poll(height('.wf-dag')).toBeGreaterThan(graphBefore + 100)
    await page.screenshot({ path: resolve(SHOTS, 'splitter-workflows-graph-tall.png') })
    await page.keyboard.press('End')
    await poll(editorShare).toBe(88)
    expect(await height('.wf-dag')()).toBeGreaterThanOrEqual(239) // the graph keeps its minimum
    await page.keyboard.press('Enter')
    await poll(editorShare).toBe(44)
    await page.keyboard.press('ArrowDown')
    await page.reload()
    await bar.waitFor()
    await poll(editorShare).toBe(46)
  })
})
