// Deleting a workflow from the Workflows page (found by the #13 fresh-user trial: there was no way
// to): the list's delete button asks first, naming the workflow and what goes with it; a workflow
// with kept runs is refused in the server's words, with its runs one click away; a deleted
// workflow leaves neither the list, the editor, a kept draft nor the URL; and a user who is not an
// admin is offered it on their own workflows only.
import { resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { SHOTS, api, browserSuite, poll, signIn, type Served } from './support'

const flow = (name: string, last = 'b') => `workspace: demo
dagName: ${name}
type: flow
tasks:
  - {category: pass, name: a, next: ${last}}
  - {category: pass, name: ${last}}
`

const suite = browserSuite({ width: 1280, height: 800 })
let served: Served
let page: Page
let token: string
beforeAll(() => ({ served, page, token } = suite))

const list = () => page.getByRole('navigation', { name: 'workflows' })
const listed = () => list().locator('.wf-item-name').allTextContents()
const editorText = () => page.getByTestId('yaml-editor').innerText()
const dialog = (name: string) => page.getByRole('dialog', { name: `Delete the workflow ${name}?` })
/** The kept editor drafts of the signed-in user, by descriptor id (stores/workflows.ts). */
const keptDraftIds = () =>
  page.evaluate(() =>
    Object.keys(localStorage)
      .filter((k) => k.includes('jobdesk.workflows.drafts'))
      .flatMap((k) => Object.keys(JSON.parse(localStorage.getItem(k) ?? '{}') as object)),
  )

describe('deleting a workflow from the list', () => {
  it('asks with the workflow’s name, versions, aliases and unsaved edits; then it is gone from the list, the editor, the drafts and the URL', async () => {
    await api(served.url, token, 'POST', '/api/v1/workflows', { text: flow('doomed') })
    const { descriptorId } = await api(served.url, token, 'POST', '/api/v1/workflows', { text: flow('doomed', 'c'), alias: 'release' })
    await api(served.url, token, 'POST', '/api/v1/workflows', { text: flow('kept') })
    await signIn(page, served.url)
    await page.goto(`${served.url}/#/workflows/${encodeURIComponent(descriptorId)}`)
    await poll(() => editorText()).toContain('dagName: doomed')
    // an unsaved edit of it, kept as a draft
    await page.getByTestId('yaml-editor').click()
    await page.keyboard.press('ControlOrMeta+End')
    await page.keyboard.insertText('# my edit\n')
    await poll(keptDraftIds).toContain(descriptorId)

    await list().getByRole('button', { name: 'delete workflow demo:doomed' }).click()
    const asked = dialog('demo:doomed')
    await asked.waitFor()
    expect(await asked.getByTestId('workflow-delete-question').textContent()).toBe(
      'Deleting it also deletes its 2 versions and 1 alias (release), and your unsaved edits of it in the editor. This cannot be undone.',
    )
    // a stray Enter does not delete: Back has the focus
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Back')
    await page.screenshot({ path: resolve(SHOTS, 'workflow-delete-ask.png') })
    await asked.getByRole('button', { name: 'Back' }).click()
    expect(await listed()).toContain('demo:doomed')

    await list().getByRole('button', { name: 'delete workflow demo:doomed' }).click()
    await dialog('demo:doomed').getByRole('button', { name: 'Delete workflow' }).click()
    await poll(listed).toEqual(['demo:kept'])
    expect(await dialog('demo:doomed').count()).toBe(0)
    // the editor left it for a clean new workflow, and the URL does not name it
    await poll(() => page.evaluate(() => location.hash)).toBe('#/workflows')
    expect(await editorText()).toContain('dagName: myWorkflow')
    expect(await editorText()).not.toContain('doomed')
    await poll(() => page.locator('.wf-editor-title h2').textContent()).toBe('default:myWorkflow')
    expect((await keptDraftIds()).filter((id) => id.startsWith('demo:doomed:'))).toEqual([])
    expect(await api(served.url, token, 'GET', '/api/v1/workflows')).toHaveLength(1)
    await page.screenshot({ path: resolve(SHOTS, 'workflow-delete-done.png') })
    // "New workflow" and a reload start clean too
    await list().getByRole('button', { name: 'New workflow' }).click()
    await poll(() => editorText()).toContain('dagName: myWorkflow')
    await page.reload()
    await poll(() => editorText()).toContain('dagName: myWorkflow')
    expect(await listed()).toEqual(['demo:kept'])
  })

  it('deleting another workflow than the open one leaves the editor as it was', async () => {
    const { descriptorId } = await api(served.url, token, 'POST', '/api/v1/workflows', { text: flow('other') })
    await page.goto(`${served.url}/#/workflows/${encodeURIComponent(descriptorId)}`)
    await poll(() => editorText()).toContain('dagName: other')
    // the list shows the new workflow above the kept one before the pointer goes there (it moved the
    // row from under the pointer, hiding its delete button, when the list came after the editor)
    await poll(listed).toEqual(['demo:other', 'demo:kept'])
    await list().getByTestId('wf-item-demo:kept').hover()
    await list().getByRole('button', { name: 'delete workflow demo:kept' }).click()
    expect(await dialog('demo:kept').getByTestId('workflow-delete-question').textContent()).toBe('Deleting it also deletes its 1 version and 1 alias (release). This cannot be undone.') // release: every workflow's first
    await dialog('demo:kept').getByRole('button', { name: 'Delete workflow' }).click()
    await poll(listed).toEqual(['demo:other'])
    expect(await editorText()).toContain('dagName: other')
    expect(decodeURIComponent(await page.evaluate(() => location.hash))).toBe(`#/workflows/${descriptorId}`)
  })

  it('while runs of it are kept, says so in the dialog and offers them on the Jobs page; once they are deleted, it goes', async () => {
    const { descriptorId } = await api(served.url, token, 'POST', '/api/v1/workflows', { text: flow('ran') })
    const { jobId } = await api(served.url, token, 'POST', '/api/v1/workflows/submit', { descriptorId })
    await poll(async () => (await api(served.url, token, 'GET', `/api/v1/jobs/${jobId}`)).status).toBe('succeeded')
    await page.goto(`${served.url}/#/workflows/${encodeURIComponent(descriptorId)}`)
    await poll(() => editorText()).toContain('dagName: ran')
    await list().getByRole('button', { name: 'delete workflow demo:ran' }).click()
    await dialog('demo:ran').getByRole('button', { name: 'Delete workflow' }).click()
    const refusal = dialog('demo:ran').getByTestId('workflow-delete-refusal')
    await refusal.waitFor()
    expect(await refusal.textContent()).toBe('Not deleted: workflow demo:ran has 1 execution; delete it first. Show its runs on the Jobs page')
    expect(await listed()).toContain('demo:ran')
    expect(await editorText()).toContain('dagName: ran')
    await page.screenshot({ path: resolve(SHOTS, 'workflow-delete-refused.png') })
    await refusal.getByRole('button', { name: 'Show its runs on the Jobs page' }).click()
    await page.getByRole('heading', { name: 'Jobs' }).waitFor()
    // the table's one row is the run, not the "Loading the jobs…" row it shows first (also one row)
    await poll(() => page.locator('tbody tr').first().textContent()).toContain('demo:ran')
    expect(await page.locator('tbody tr').count()).toBe(1)
    expect(await page.evaluate(() => location.hash)).toBe('#/jobs?q=demo%3Aran&type=workflow') // a link to keep or share (#13.1)
    await page.screenshot({ path: resolve(SHOTS, 'workflow-delete-runs.png') })

    await api(served.url, token, 'DELETE', `/api/v1/jobs/${jobId}`)
    await page.goto(`${served.url}/#/workflows/${encodeURIComponent(descriptorId)}`)
    await poll(() => editorText()).toContain('dagName: ran')
    await list().getByRole('button', { name: 'delete workflow demo:ran' }).click()
    await dialog('demo:ran').getByRole('button', { name: 'Delete workflow' }).click()
    await poll(listed).toEqual(['demo:other'])
    await poll(() => page.evaluate(() => location.hash)).toBe('#/workflows')
  })

  it('a user who is not an admin is offered delete on their own workflows, never on the admin’s', async () => {
    await api(served.url, token, 'POST', '/api/v1/users', { username: 'bob', password: 'bob-initial-1', rights: [] })
    const bob = (await (await fetch(`${served.url}/api/v1/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'bob', password: 'bob-initial-1' }) })).json()) as { token: string }
    // the password an admin set opens nothing else until bob chooses his own (#9)
    await api(served.url, bob.token, 'POST', '/api/v1/me/password', { oldPassword: 'bob-initial-1', newPassword: 'bob-password-1' })
    await api(served.url, bob.token, 'POST', '/api/v1/workflows', { text: flow('bobs') })
    await page.getByRole('button', { name: 'Sign out' }).click()
    await page.getByLabel('Username').fill('bob')
    await page.getByLabel('Password').fill('bob-password-1')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByRole('heading', { name: 'Jobs' }).waitFor()
    await page.goto(`${served.url}/#/workflows`)
    await poll(listed).toEqual(['demo:bobs']) // the admin's demo:other is not bob's to see
    await list().getByTestId('wf-item-demo:bobs').hover() // the row's delete button shows on hover
    // the server says the same for the admin's workflow, whatever a page sends
    const refused = await api(served.url, bob.token, 'DELETE', '/api/v1/workflows?workspace=demo&name=other')
    expect(refused.error.code).toBe('not_your_workflow')
    await list().getByRole('button', { name: 'delete workflow demo:bobs' }).click()
    expect(await dialog('demo:bobs').getByTestId('workflow-delete-question').textContent()).not.toContain('belongs to')
    await dialog('demo:bobs').getByRole('button', { name: 'Delete workflow' }).click()
    await poll(listed).toEqual([])
    expect((await api(served.url, token, 'GET', '/api/v1/workflows')).map((w: { name: string }) => w.name)).toEqual(['other'])
  })
})
