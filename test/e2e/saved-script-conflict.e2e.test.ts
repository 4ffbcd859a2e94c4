// #13.5: a saved script open in two tabs. When one tab renames it (or saves it), Save in the other
// must not re-create it at the old path (two copies) nor silently replace the newer text: it says
// what happened and offers Save as (a free path offered) or Overwrite, as editors do.
import { resolve } from 'node:path'
import type { BrowserContext, Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { SHOTS, api, browserSuite, poll, signIn, writeScript, saveScriptAs } from './support'

const suite = browserSuite({ width: 1280, height: 800 })
/** One browser profile (shared localStorage, as tabs have) for two tabs; `a` is the first. */
let profile: BrowserContext
let a: Page
beforeAll(async () => {
  profile = await suite.browser.newContext({ viewport: { width: 1280, height: 800 } })
  await profile.addInitScript(() => sessionStorage.setItem('jobdesk.passwordPrompt.skipped', 'admin'))
  a = await profile.newPage()
})
/** Another tab of the profile, signed in already, on the Scripts page. */
async function secondTab(url: string): Promise<Page> {
  const b = await profile.newPage()
  await b.goto(`${url}/#/scripts`)
  return b
}

const tree = (p: Page) => p.getByRole('tree', { name: 'saved scripts' })
const conflict = (p: Page) => p.getByRole('alert', { name: 'save conflict' })
async function typeAtEnd(p: Page, text: string): Promise<void> {
  await p.getByTestId('script-editor').click()
  await p.keyboard.press('ControlOrMeta+End')
  await p.keyboard.insertText(text)
}
async function openSaved(p: Page, path: string): Promise<void> {
  await tree(p).getByRole('treeitem', { name: path }).locator(':scope > .sc-tree-row > .sc-tree-open').click()
  await poll(() => tree(p).getByRole('treeitem', { name: path }).getAttribute('aria-selected')).toBe('true')
}

describe('a saved script open in two tabs', () => {
  it('Save after the other tab renamed it says so and saves nothing; Save as keeps the text under an offered name', async () => {
    const { served, token } = suite
    const savedCode = async (path: string): Promise<string | undefined> => (await api(served.url, token, 'GET', `/api/v1/saved-scripts/script?path=${encodeURIComponent(path)}`)).code
    const savedPaths = async (): Promise<string[]> => ((await api(served.url, token, 'GET', '/api/v1/saved-scripts')) as { path: string }[]).map((e) => e.path)

    await signIn(a, served.url)
    await a.goto(`${served.url}/#/scripts`)
    await writeScript(a, 'SQL', 'select 1 as one;')
    await saveScriptAs(a, 'shared/daily')

    // a second tab of the same browser (signed in already) opens it too
    const b = await secondTab(served.url)
    await openSaved(b, 'shared/daily')

    // tab A renames it
    const row = tree(a).getByRole('treeitem', { name: 'shared/daily' })
    await row.locator('.sc-tree-row').first().hover()
    await row.getByRole('button', { name: 'rename shared/daily', exact: true }).click()
    await a.getByLabel('new path of shared/daily').fill('shared/renamed')
    await a.keyboard.press('Enter')
    await tree(a).getByRole('treeitem', { name: 'shared/renamed' }).waitFor()

    // tab B edits and saves: refused, told why, and nothing re-made at the old path
    await typeAtEnd(b, '\nselect 2 as two;')
    await b.getByRole('button', { name: 'Save', exact: true }).click()
    await conflict(b).waitFor()
    expect(await conflict(b).textContent()).toContain('shared/daily was renamed to shared/renamed elsewhere')
    expect((await savedPaths()).filter((p) => p.startsWith('shared/'))).toEqual(['shared/renamed'])
    expect(await savedCode('shared/renamed')).toBe('select 1 as one;')
    await b.screenshot({ path: resolve(SHOTS, 'saved-script-conflict-gone.png') })

    // Save as offers a free path beside it; saving there keeps B's text and makes it the open script
    await conflict(b).getByRole('button', { name: 'Save as…' }).click()
    expect(await conflict(b).count()).toBe(0)
    await poll(() => b.getByLabel('script path').inputValue()).toBe('shared/daily-copy')
    await b.getByRole('button', { name: 'Save as', exact: true }).click()
    await poll(() => savedCode('shared/daily-copy')).toBe('select 1 as one;\nselect 2 as two;')
    await poll(() => tree(b).getByRole('treeitem', { name: 'shared/daily-copy' }).getAttribute('aria-selected')).toBe('true')
    expect((await savedPaths()).filter((p) => p.startsWith('shared/'))).toEqual(['shared/daily-copy', 'shared/renamed'])
    await b.close()
  })

  it('Save after the other tab saved it says it changed; Overwrite replaces that version, and then Save works again', async () => {
    const { served, token } = suite
    const savedCode = async (path: string): Promise<string | undefined> => (await api(served.url, token, 'GET', `/api/v1/saved-scripts/script?path=${encodeURIComponent(path)}`)).code
    const b = await secondTab(served.url)
    await openSaved(b, 'shared/renamed')
    await openSaved(a, 'shared/renamed')

    await typeAtEnd(a, '\nselect 3 as from_a;')
    await a.getByRole('button', { name: 'Save', exact: true }).click()
    await poll(() => savedCode('shared/renamed')).toContain('from_a')

    await typeAtEnd(b, '\nselect 4 as from_b;')
    await b.getByRole('button', { name: 'Save', exact: true }).click()
    await conflict(b).waitFor()
    expect(await conflict(b).textContent()).toContain('shared/renamed changed elsewhere')
    expect(await savedCode('shared/renamed')).toBe('select 1 as one;\nselect 3 as from_a;') // A's save stands
    await b.screenshot({ path: resolve(SHOTS, 'saved-script-conflict-changed.png') })

    await conflict(b).getByRole('button', { name: 'Overwrite' }).click()
    await poll(() => savedCode('shared/renamed')).toBe('select 1 as one;\nselect 4 as from_b;')
    await poll(() => conflict(b).count()).toBe(0)
    await poll(() => b.getByTestId('saved-note').textContent()).toBe('Saved shared/renamed')
    // B now holds the newest version: its next Save goes through
    await typeAtEnd(b, '\nselect 5;')
    await b.getByRole('button', { name: 'Save', exact: true }).click()
    await poll(() => savedCode('shared/renamed')).toBe('select 1 as one;\nselect 4 as from_b;\nselect 5;')
    expect(await conflict(b).count()).toBe(0)
    await b.close()
  })
})
