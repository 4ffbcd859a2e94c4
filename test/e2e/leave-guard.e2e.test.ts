// Leaving an editor with unsaved edits asks first (#13.1), one question for every editor: the
// Workflows descriptor, a saved script on the Scripts page and the graph workflow canvas. Going to
// another page from the sidebar, opening another workflow or going back in the history asks
// "Discard unsaved changes to <name>?" with Save, Discard and Cancel; a reload gets the browser's
// own prompt. Each of these failed before: the page changed and nothing asked.
import { resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { SHOTS, api, apiLogin, browserSuite, poll, reloadAsks, signIn, type Served, saveScriptAs, mainNav } from './support'

const suite = browserSuite({ width: 1300, height: 800 })
let served: Served
let page: Page
let token: string
beforeAll(() => ({ served, page } = suite))

const nav = (name: string) => mainNav(page, name)
const question = () => page.getByRole('dialog', { name: 'unsaved changes' })
const hash = () => new URL(page.url()).hash
const yamlText = () => page.getByTestId('yaml-editor').innerText()
const scriptText = () => page.getByTestId('script-editor').innerText()

async function typeAtEnd(testId: string, text: string): Promise<void> {
  await page.getByTestId(testId).click()
  await page.keyboard.press('ControlOrMeta+End')
  await page.keyboard.insertText(text)
}

describe('leaving unsaved edits', () => {
  it('Workflows: the sidebar asks; Cancel stays with the edits, Discard drops them, Save saves a version', async () => {
    token = await apiLogin(served.url)
    await signIn(page, served.url)
    await nav('Workflows')
    await page.getByTestId('wf-node-first').waitFor()
    await page.getByRole('button', { name: 'Save', exact: true }).click() // the starter, as default:myWorkflow
    await poll(() => page.getByTestId('saved-id').textContent()).toContain('default:myWorkflow:md5_')
    const savedHash = hash()

    await typeAtEnd('yaml-editor', '\n# first edit')
    await nav('Jobs')
    await question().waitFor()
    expect(await question().getByRole('heading').textContent()).toBe('Discard unsaved changes to default:myWorkflow?')
    expect(await question().getByRole('button').allInnerTexts()).toEqual(['Save', 'Discard', 'Cancel'])
    await page.screenshot({ path: resolve(SHOTS, 'leave-guard-workflows.png') })
    await question().getByRole('button', { name: 'Cancel' }).click()
    expect(await question().count()).toBe(0)
    expect(await page.getByRole('navigation', { name: 'main' }).getByRole('button', { name: 'Workflows' }).getAttribute('aria-current')).toBe('page')
    expect(await yamlText()).toContain('# first edit')
    expect(hash()).toBe(savedHash)
    expect(await reloadAsks(page)).toBe(true)
    expect(await yamlText()).toContain('# first edit')

    // Discard: the page changes and the edits are gone, also from the draft kept for reloads
    await nav('Jobs')
    await question().getByRole('button', { name: 'Discard' }).click()
    await page.getByRole('heading', { name: 'Jobs' }).waitFor()
    await nav('Workflows')
    await page.getByTestId('wf-node-first').waitFor()
    await poll(yamlText).not.toContain('# first edit')
    expect(await reloadAsks(page)).toBe(false)

    // Save: a new version, then the page changes
    await page.getByTestId('wf-node-first').waitFor()
    await typeAtEnd('yaml-editor', '\n# kept edit')
    await nav('Scripts')
    await question().getByRole('button', { name: 'Save' }).click()
    await page.getByTestId('script-editor').waitFor()
    const detail = await api(served.url, token, 'GET', '/api/v1/workflows/descriptor?descriptorId=default:myWorkflow')
    expect(detail.source ?? JSON.stringify(detail)).toContain('# kept edit')
  })

  it('Workflows: opening another workflow and going back in the history ask too', async () => {
    await nav('Workflows')
    await page.getByTestId('wf-node-first').waitFor()
    await typeAtEnd('yaml-editor', '\n# another edit')
    // back to the Scripts page through the browser's history
    await page.goBack()
    await question().waitFor()
    await question().getByRole('button', { name: 'Cancel' }).click()
    expect(hash()).toMatch(/^#\/workflows\//)
    expect(await yamlText()).toContain('# another edit')
    // "New workflow" replaces the editor's text: it asks as well
    await page.getByRole('button', { name: 'New workflow' }).click()
    expect(await question().getByRole('heading').textContent()).toBe('Discard unsaved changes to default:myWorkflow?')
    await question().getByRole('button', { name: 'Discard' }).click()
    await poll(hash).toBe('#/workflows')
    expect(await yamlText()).not.toContain('# another edit')
  })

  it('Scripts: edits to an opened saved script ask before another page; a saved script left as saved does not', async () => {
    await nav('Scripts')
    await page.getByTestId('script-editor').click()
    await page.keyboard.press('ControlOrMeta+A')
    await page.keyboard.insertText('select 1 as one;')
    await saveScriptAs(page, 'daily/one')
    // saved and unchanged: nothing to ask
    await nav('Jobs')
    await page.getByRole('heading', { name: 'Jobs' }).waitFor()
    expect(await question().count()).toBe(0)
    await nav('Scripts')
    await page.getByTestId('script-editor').waitFor()
    await typeAtEnd('script-editor', '\nselect 2 as two;')
    await nav('Jobs')
    expect(await question().getByRole('heading').textContent()).toBe('Discard unsaved changes to daily/one?')
    await page.screenshot({ path: resolve(SHOTS, 'leave-guard-scripts.png') })
    await question().getByRole('button', { name: 'Save' }).click()
    await page.getByRole('heading', { name: 'Jobs' }).waitFor()
    expect((await api(served.url, token, 'GET', `/api/v1/saved-scripts/script?path=${encodeURIComponent('daily/one')}`)).code ?? '').toContain('select 2 as two;')
    await nav('Scripts')
    await poll(scriptText).toContain('select 2 as two;')
  })

  it('the graph workflow canvas: another page or tab asks; Discard leaves the canvas as saved', async () => {
    await nav('Graph')
    await page.getByRole('tab', { name: 'Workflows' }).click()
    await page.getByRole('button', { name: 'New workflow' }).click()
    await page.getByRole('button', { name: 'add WCC' }).click()
    await page.getByTestId('gw-unsaved').waitFor()
    await page.getByRole('tab', { name: 'Query' }).click()
    await question().waitFor()
    expect(await question().getByRole('heading').textContent()).toMatch(/^Discard unsaved changes to .+\?$/)
    await page.screenshot({ path: resolve(SHOTS, 'leave-guard-canvas.png') })
    await question().getByRole('button', { name: 'Cancel' }).click()
    expect(await page.getByTestId('gw-unsaved').count()).toBe(1)
    await nav('Jobs')
    await question().getByRole('button', { name: 'Discard' }).click()
    await page.getByRole('heading', { name: 'Jobs' }).waitFor()
    await nav('Graph')
    await page.getByRole('button', { name: '← Workflows' }).waitFor() // the canvas of the new workflow, empty again
    expect(await page.getByTestId('gw-unsaved').count()).toBe(0)
    expect(await page.locator('.react-flow__node').count()).toBe(0)
  })

  it('a cancelled Back leaves the history as it was: one more Back asks again and goes where the first would have (#13 trial)', async () => {
    await nav('Scripts')
    await page.getByTestId('script-editor').waitFor()
    await nav('Workflows')
    await page.getByTestId('wf-item-default:myWorkflow').click()
    await page.getByTestId('wf-node-first').waitFor()
    await poll(hash).toContain('myWorkflow') // the starter has a node "first" too: wait for the workflow's own entry
    const edited = hash()
    // where one Back goes from here, with nothing to ask about
    await page.goBack()
    await poll(hash).not.toBe(edited)
    const previous = hash()
    await page.goForward()
    await poll(hash).toBe(edited)
    await page.getByTestId('wf-node-first').waitFor()

    await typeAtEnd('yaml-editor', '\n# kept over a cancelled Back')
    await page.goBack()
    await question().getByRole('button', { name: 'Cancel' }).click()
    expect(hash()).toBe(edited)
    expect(await yamlText()).toContain('# kept over a cancelled Back')
    // one press: asked again, and Discard goes to the entry before (a cancelled Back once left a copy of this one there)
    await page.goBack()
    await question().getByRole('button', { name: 'Discard' }).click()
    await poll(hash).toBe(previous)
    // and forward is this workflow again, once
    await page.goForward()
    await poll(hash).toBe(edited)
    await page.goBack()
    await poll(hash).toBe(previous)
  })
})
