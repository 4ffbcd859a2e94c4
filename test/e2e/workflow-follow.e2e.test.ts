// The Workflows page follows changes made elsewhere (#13, trial): a workflow created over the native
// API or by a Rill Flow client, a version added, an alias moved or the workflow deleted shows on the
// open page without a reload; an edited draft is never replaced, a notice offers the newer version.
import { resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { SHOTS, api, browserSuite, poll, signIn, type Served, mainNav } from './support'

const flow = (ws: string, name: string, last = 'second') => `workspace: ${ws}
dagName: ${name}
type: flow
tasks:
  - {category: pass, name: first, next: ${last}}
  - {category: pass, name: ${last}}
`

const suite = browserSuite({ width: 1400, height: 860 })
let served: Served
let page: Page
let token: string
beforeAll(() => ({ served, page, token } = suite))

const listed = () => page.getByRole('navigation', { name: 'workflows' }).locator('.wf-item-name').allTextContents()
const addRill = (text: string, query = '') =>
  fetch(`${served.url}/flow/bg/manage/descriptor/add_descriptor.json${query}`, { method: 'POST', headers: { 'content-type': 'text/plain', authorization: `Bearer ${token}` }, body: text })

describe('the Workflows page follows changes made elsewhere', () => {
  it('lists workflows created over the native API and Rill Flow, and drops a deleted one, without a reload', async () => {
    await signIn(page, served.url)
    await mainNav(page, 'Workflows')
    await page.getByText('No workflows yet').waitFor()
    // no reload from here on: a reload would reset this mark
    await page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true))

    const native = await api(served.url, token, 'POST', '/api/v1/workflows', { text: flow('ext', 'nativeMade') })
    expect(native.descriptorId).toMatch(/^ext:nativeMade:md5_/)
    await poll(listed).toContain('ext:nativeMade')
    const rill = await addRill(flow('ext', 'rillMade'), '?business_id=ext&feature_name=rillMade&alias=release')
    expect(rill.status).toBe(200)
    await poll(listed).toContain('ext:rillMade')
    await poll(() => page.getByTestId('wf-item-ext:rillMade').locator('.wf-alias').allTextContents()).toContain('release')
    await page.screenshot({ path: resolve(SHOTS, 'workflow-follow-created.png') })

    expect(await api(served.url, token, 'DELETE', '/api/v1/workflows?workspace=ext&name=nativeMade')).toEqual({ deleted: true })
    await poll(listed).not.toContain('ext:nativeMade')
    expect(await listed()).toContain('ext:rillMade')
    expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true)
  })

  it('keeps an edited draft when a newer version is saved elsewhere, and offers to load it', async () => {
    await page.getByTestId('wf-item-ext:rillMade').click()
    await poll(() => page.locator('.wf-editor-title h2').textContent()).toBe('ext:rillMade')
    await page.locator('.cm-content').click()
    await page.keyboard.press('Control+End')
    await page.keyboard.type('# my unsaved note\n')
    await poll(() => page.locator('.dirty-mark').textContent()).toBe('edited')

    // another client stores version 2 and moves release to it
    expect((await addRill(flow('ext', 'rillMade', 'third'))).status).toBe(200)
    const notice = page.getByTestId('newer-version')
    await notice.waitFor()
    expect(await notice.textContent()).toContain('was saved elsewhere')
    await poll(() => page.locator('.wf-version-count').textContent()).toContain('2 versions')
    expect(await page.locator('.cm-content').textContent()).toContain('# my unsaved note')
    expect(await page.locator('.cm-content').textContent()).not.toContain('third')
    expect(await page.locator('.dirty-mark').textContent()).toBe('edited')
    await page.screenshot({ path: resolve(SHOTS, 'workflow-follow-newer.png') })

    // loading it asks about the edits first; Cancel keeps the draft and the notice
    await notice.getByRole('button', { name: 'load it' }).click()
    const leave = page.getByRole('dialog', { name: 'unsaved changes' })
    await leave.waitFor()
    await leave.getByRole('button', { name: 'Cancel' }).click()
    await leave.waitFor({ state: 'detached' })
    expect(await page.locator('.cm-content').textContent()).toContain('# my unsaved note')
    expect(await notice.count()).toBe(1)
  })

  it('follows a version added elsewhere to the open workflow with no edits: a notice, then loading it shows it', async () => {
    await page.getByRole('navigation', { name: 'workflows' }).getByRole('button', { name: 'New workflow' }).click()
    await page.getByRole('dialog', { name: 'unsaved changes' }).getByRole('button', { name: 'Discard' }).click()
    await poll(() => page.locator('.dirty-mark').textContent()).toBe('not saved')
    const made = await api(served.url, token, 'POST', '/api/v1/workflows', { text: flow('ext', 'quiet') })
    await page.getByTestId('wf-item-ext:quiet').click()
    await poll(() => page.locator('.wf-editor-title h2').textContent()).toBe('ext:quiet')
    await api(served.url, token, 'POST', '/api/v1/workflows', { text: flow('ext', 'quiet', 'later') })
    const notice = page.getByTestId('newer-version')
    await notice.waitFor()
    await notice.getByRole('button', { name: 'load it' }).click()
    await poll(() => page.locator('.cm-content').textContent()).toContain('later')
    expect(await notice.count()).toBe(0)
    expect(made.descriptorId).toMatch(/^ext:quiet:/)
    await page.screenshot({ path: resolve(SHOTS, 'workflow-follow-loaded.png') })
  })
})
