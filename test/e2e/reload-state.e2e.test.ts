// Nothing is lost on reload (#13.1): the page, the shown job, workflow and execution live in the
// URL (reload, back/forward, a shared link); script and descriptor drafts and the session's runs
// survive a reload; leaving with unsaved workflow edits asks first.
import { resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { SHOTS, api, browserSuite, signIn, type Served, poll, mainNav } from './support'
import { openWorkflow } from './workflow-page'

const FLOW = `workspace: demo
dagName: keep
type: flow
tasks:
  - category: pass
    name: first
    next: second
  - category: pass
    name: second
`

const suite = browserSuite({ width: 1400, height: 860 })

let served: Served
let page: Page
let token: string
beforeAll(() => ({ served, page, token } = suite))

const hash = () => page.evaluate(() => location.hash)
const detailTitle = () => page.getByRole('complementary', { name: 'job detail' }).getByRole('heading', { level: 2 }).textContent()
const nav = (name: string) => mainNav(page, name)

async function replaceText(testId: string, text: string): Promise<void> {
  await page.getByTestId(testId).click()
  await page.keyboard.press('ControlOrMeta+A')
  await page.keyboard.insertText(text)
}

describe('reload keeps what was on screen', () => {
  it('puts the selected job in the URL; reload, back and forward and a pasted link show it', async () => {
    const a = await api(served.url, token, 'POST', '/api/v1/jobs', { type: 'script', language: 'shell', code: 'echo first' })
    const b = await api(served.url, token, 'POST', '/api/v1/jobs', { type: 'script', language: 'shell', code: 'echo second' })
    await signIn(page, served.url)
    expect(await hash()).toBe('#/jobs')

    await page.locator(`tr[data-job-id="${a.id}"]`).click()
    await poll(hash).toBe(`#/jobs/${a.id}`)
    await page.locator(`tr[data-job-id="${b.id}"]`).click()
    await poll(hash).toBe(`#/jobs/${b.id}`)
    await poll(detailTitle).toContain(`#${b.id}`)

    await page.reload()
    await poll(detailTitle).toContain(`#${b.id}`)
    expect(await page.locator('tr.selected').getAttribute('data-job-id')).toBe(String(b.id))

    await page.goBack()
    await poll(hash).toBe(`#/jobs/${a.id}`)
    await poll(detailTitle).toContain(`#${a.id}`)
    await page.goForward()
    await poll(detailTitle).toContain(`#${b.id}`)

    // another page is a history entry too
    await nav('Settings')
    await poll(hash).toBe('#/settings')
    await page.goBack()
    await poll(hash).toBe(`#/jobs/${b.id}`)
    await page.getByRole('heading', { name: 'Jobs' }).waitFor()

    // a link pasted into another browser opens that job once signed in
    const context = await suite.browser.newContext({ viewport: { width: 1400, height: 860 } })
    await context.addInitScript(() => sessionStorage.setItem('jobdesk.passwordPrompt.skipped', 'admin'))
    const other = await context.newPage()
    await other.goto(`${served.url}/#/jobs/${a.id}`)
    await other.getByLabel('Password').fill('73@TuGraph')
    await other.getByRole('button', { name: 'Sign in' }).click()
    await poll(() => other.getByRole('complementary', { name: 'job detail' }).getByRole('heading', { level: 2 }).textContent()).toContain(`#${a.id}`)
    await context.close()
  })

  it('opens a workflow and its execution from the URL, and keeps unsaved edits, asking before unload', async () => {
    const { descriptorId, jobId } = await openWorkflow(suite, FLOW, {})
    await poll(() => page.getByTestId('execution-job').textContent()).toContain(`#${jobId}`)
    await poll(() => page.getByTestId('wf-node-second').getAttribute('data-status')).toBe('succeeded')
    expect(await page.getByRole('heading', { name: 'demo:keep' }).isVisible()).toBe(true)

    // an edit takes the view back to the design (a history entry), and survives a reload
    await replaceText('yaml-editor', FLOW.replace('name: second', 'name: renamed'))
    await poll(hash).toBe(`#/workflows/${encodeURIComponent(descriptorId)}`)
    const dialogs: string[] = []
    page.on('dialog', (d) => {
      dialogs.push(d.type())
      void d.accept()
    })
    await page.reload()
    expect(dialogs).toEqual(['beforeunload'])
    await poll(() => page.getByTestId('yaml-editor').textContent()).toContain('name: renamed')
    expect(await page.locator('.dirty-mark').textContent()).toBe('edited')
    await page.screenshot({ path: resolve(SHOTS, 'reload-workflow-draft.png') })

    // back: the execution again
    await page.goBack()
    await poll(() => page.getByTestId('execution-job').textContent()).toContain(`#${jobId}`)
    page.removeAllListeners('dialog')
  })

  it("keeps the script editor's drafts and this session's runs, and the shown run, over a reload", async () => {
    await nav('Scripts')
    await page.getByRole('dialog', { name: 'unsaved changes' }).getByRole('button', { name: 'Discard' }).click() // the workflow's edit above: leaving it asks first (#13.1)
    await page.getByTestId('script-editor').waitFor()
    await page.getByRole('group', { name: 'language' }).locator('[data-language="shell"]').click()
    await replaceText('script-editor', 'echo kept-across-reload')
    await page.keyboard.press('ControlOrMeta+Enter')
    await poll(hash).toMatch(/^#\/scripts\/\d+$/)
    const runId = Number((await hash()).split('/')[2])
    await poll(() => page.locator(`.sc-history-item[data-job-id="${runId}"] [data-status]`).getAttribute('data-status')).toBe('succeeded')
    await replaceText('script-editor', 'echo not run yet')

    await page.reload()
    await page.getByTestId('script-editor').waitFor()
    expect(await page.getByTestId('script-editor').textContent()).toBe('echo not run yet')
    expect(await page.getByTestId('script-editor').getAttribute('data-language')).toBe('shell')
    expect(await page.locator('.sc-history-item').count()).toBe(1)
    expect(await page.locator(`.sc-history-item[data-job-id="${runId}"]`).textContent()).toContain('echo kept-across-reload')
    // the run shown before the reload is shown again
    await poll(() => page.locator('.sc-history-item.active').getAttribute('data-job-id')).toBe(String(runId))
    await page.screenshot({ path: resolve(SHOTS, 'reload-scripts.png') })
  })
})

describe("one user's kept state is not another's", () => {
  it('signs out to a clean slate; another user sees none of the drafts and runs; they are back for the first', async () => {
    const made = await api(served.url, token, 'POST', '/api/v1/users', { username: 'other', password: 'other-password-1', rights: ['scripts'] })
    expect(made.username).toBe('other')
    await page.getByRole('button', { name: 'Sign out' }).click()
    await page.getByLabel('Password').waitFor()
    expect(await hash()).toBe('')
    await page.getByLabel('Username').fill('other')
    await page.getByLabel('Password').fill('other-password-1')
    await page.getByRole('button', { name: 'Sign in' }).click()
    // an admin set this password: it is not "the default password", and it cannot be put off (#9)
    await page.getByText('An admin set your password').waitFor()
    expect(await page.getByRole('button', { name: 'Not now' }).count()).toBe(0)
    const form = page.getByRole('form', { name: 'change password' })
    await form.getByLabel('Current password').fill('other-password-1')
    await form.getByLabel('New password (at least 8 characters)').fill('others-own-password')
    await form.getByLabel('Repeat the new password').fill('others-own-password')
    await form.getByRole('button', { name: 'Change password' }).click()
    await page.getByRole('heading', { name: 'Jobs' }).waitFor()
    // the admin's graph: readable, but neither importing into it nor dropping it is offered
    await nav('Graph')
    await page.getByRole('tab', { name: 'Graphs' }).click()
    const row = page.locator('section[aria-label="graphs"] tbody tr').filter({ hasText: 'default' }).first()
    await row.waitFor()
    expect(await row.getByRole('button', { name: 'Import files' }).count()).toBe(0)
    expect(await row.getByRole('button', { name: /drop graph/ }).count()).toBe(0)
    await nav('Scripts')
    await page.getByTestId('script-editor').waitFor()
    expect(await page.getByTestId('script-editor').textContent()).not.toContain('echo not run yet')
    expect(await page.locator('.sc-history-item').count()).toBe(0)

    await page.getByRole('button', { name: 'Sign out' }).click()
    // the form keeps the name of the user who just signed out (trial9): admin types theirs
    expect(await page.getByLabel('Username').inputValue()).toBe('other')
    await page.getByLabel('Username').fill('admin')
    await page.getByLabel('Password').fill('73@TuGraph')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByRole('heading', { name: 'Jobs' }).waitFor()
    await nav('Scripts')
    await poll(() => page.getByTestId('script-editor').textContent()).toBe('echo not run yet')
    expect(await page.locator('.sc-history-item').count()).toBe(1)
  })
})
