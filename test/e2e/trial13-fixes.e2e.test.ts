// What the trial13 new-user tour found in the browser, each failing before its fix: a user without
// the scripts right saw Python and Shell greyed out with the reason only in a hover tooltip, and a
// redone foreach's invoke history showed two tries numbered "1" with nothing saying the second was the redo,
// a user mapped files on the Imports page for a graph only its owner may import into, told so only at the end,
// a bulk delete leaving out one running job said "cancel them first", and a link to another user's
// workflow said it was not the user's but kept showing the workflow open before (its runs, its task panel).
import { resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { onePassFlow } from './flows'
import { SHOTS, api, browserSuite, newUserAtLogin, poll, rillCall, submitLogin, taskEndpoint, type BrowserSuite, type Served, mainNav } from './support'
import { createUser } from '../support/users'

vi.setConfig({ testTimeout: 120_000 })

const suite: BrowserSuite = browserSuite({ width: 1400, height: 860 }, { signedIn: true })
let served: Served
let page: Page
let token: string
beforeAll(() => ({ served, page, token } = suite))

/**
 * A task endpoint that fails its second call and answers every other one: a foreach over three items
 * fails on its second item once, and its redo succeeds.
 */
const flaky = taskEndpoint((n) => (n === 2 ? { result_type: 'FAILED', error_msg: 'item flaked: try again' } : { done: n }))

/** A Rill Flow call of the admin (a bearer token: once a second user exists, every call needs one). */
const rill = (method: string, path: string, body: string, type: string) => rillCall(served.url, token, method, path, body, type)

describe('trial13: a new user’s day', () => {
  it('a redone foreach marks its new try in the invoke history and lists only the new sub-tasks', async () => {
    const flow = `workspace: trial13
dagName: batch
type: flow
tasks:
  - category: foreach
    name: each
    next: report
    inputMappings: [{source: $.context.items, target: $.input.items}]
    iterationMapping: {collection: $.input.items, item: it}
    tasks:
      - {category: function, name: work, pattern: task_sync, resourceName: "${flaky.url}", inputMappings: [{source: $.context.it, target: $.input.it}]}
  - category: pass
    name: report
`
    const added = await rill('POST', '/flow/bg/manage/descriptor/add_descriptor.json?business_id=trial13&feature_name=batch&alias=release', flow, 'text/plain')
    const { execution_id: executionId } = await rill('POST', '/flow/submit.json?descriptor_id=trial13:batch', JSON.stringify({ items: [1, 2, 3] }), 'application/json')
    const jobs = (await api(served.url, token, 'GET', '/api/v1/jobs?type=workflow')) as { items: { id: number; labels: Record<string, string> }[] }
    const jobId = jobs.items.find((j) => j.labels.executionId === executionId)!.id
    await page.goto(`${served.url}/#/workflows/${encodeURIComponent(added.descriptor_id)}?execution=${jobId}`)
    const status = page.getByTestId('execution-status')
    await poll(() => status.getAttribute('data-status')).toBe('failed')

    await page.getByRole('button', { name: 'Redo failed' }).click()
    await poll(() => status.getAttribute('data-status')).toBe('succeeded')
    await page.getByTestId('wf-node-each').click()
    const detail = page.getByLabel('task detail')
    const history = detail.getByRole('table', { name: 'invoke history' })
    await poll(() => history.locator('tbody tr:not(.task-error)').count()).toBe(2)
    // the failed attempt, then the redo's: "1" and "2 (redo)", not "1" twice
    expect(await history.locator('tbody tr:not(.task-error) td:first-child').allTextContents()).toEqual(['1', '2 (redo)'])
    expect(await history.getByTestId('attempt-redo').getAttribute('title')).toContain('A redo ran this task again')
    // only the redo's sub-tasks, each succeeded: the failed each_1-work of the first try is gone
    const subTasks = detail.getByRole('table', { name: 'sub-tasks' }).locator('tbody tr')
    await poll(() => subTasks.count()).toBe(3)
    expect(await subTasks.locator('[data-status]').evaluateAll((xs) => xs.map((x) => x.getAttribute('data-status')))).toEqual(['succeeded', 'succeeded', 'succeeded'])
    await page.screenshot({ path: resolve(SHOTS, 'trial13-redo-history.png') })
  })

  it('a user without the scripts right is told on the Scripts page why Python and Shell are greyed out', async () => {
    // an admin may run every language: no note
    await page.goto(`${served.url}/#/scripts`)
    await page.getByRole('group', { name: 'language' }).waitFor()
    expect(await page.getByTestId('scripts-right-note').count()).toBe(0)

    const p = await newUserAtLogin(suite, 'nora', 'nora-first-pass', { width: 1280, height: 800 })
    try {
      const form = p.getByRole('form', { name: 'change password' })
      await form.getByLabel('Current password').fill('nora-first-pass')
      await form.getByLabel('New password (at least 8 characters)').fill('nora-own-password')
      await form.getByLabel('Repeat the new password').fill('nora-own-password')
      await form.getByRole('button', { name: 'Change password' }).click()
      await p.getByRole('heading', { name: 'Jobs' }).waitFor()
      await mainNav(p, 'Scripts')
      const languages = p.getByRole('group', { name: 'language' })
      expect(await languages.locator('[data-language="shell"]').isDisabled()).toBe(true)
      const note = p.getByTestId('scripts-right-note')
      await note.waitFor() // shown on the page, not only in the buttons' tooltips
      expect(await note.textContent()).toBe(
        'Python and Shell run as the user this computer runs JobDesk as, so they need the “scripts” right: ask an admin to grant it (Settings → Users).',
      )
      expect(await note.isVisible()).toBe(true)
      await p.screenshot({ path: resolve(SHOTS, 'trial13-scripts-right-note.png') })
    } finally {
      await p.close()
    }
  })

  it('the Imports page tells a user before any mapping that only the graph’s owner or an admin may import into it', async () => {
    // an admin may import into every graph: no note
    await page.goto(`${served.url}/#/imports`)
    await page.getByTestId('graph-counts').waitFor()
    expect(await page.getByTestId('import-not-allowed').count()).toBe(0)

    // nora (the test above made her) signs in on a page of her own
    const res = await fetch(`${served.url}/api/v1/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'nora', password: 'nora-own-password' }) })
    const { token: noraToken } = (await res.json()) as { token: string }
    const p = await suite.browser.newPage({ viewport: { width: 1280, height: 800 } })
    try {
      await p.addInitScript((t) => localStorage.setItem('jobdesk.token', t), noraToken)
      await p.goto(`${served.url}/#/imports`)
      const note = p.getByTestId('import-not-allowed')
      await note.waitFor() // before she drops any file
      expect(await note.textContent()).toBe(
        'Graph default belongs to admin: only its owner or an admin may import into it. Ask an admin to import your files (Save config keeps your mapping for them).',
      )
      expect(await p.getByTestId('file-input').count()).toBe(1) // she may still map, and save the mapping for an admin
      await p.screenshot({ path: resolve(SHOTS, 'trial13-import-not-allowed.png') })
    } finally {
      await p.close()
    }
  })

  it('a bulk delete that leaves out one running job says to cancel it, not "them"', async () => {
    const done = (await api(served.url, token, 'POST', '/api/v1/jobs', { type: 'script', language: 'sql', code: 'select 1;' })) as { id: number }
    const running = (await api(served.url, token, 'POST', '/api/v1/jobs', { type: 'script', language: 'shell', code: 'sleep 60', timeoutSeconds: 120 })) as { id: number }
    try {
      await page.goto(`${served.url}/#/jobs`)
      const row = (id: number) => page.locator(`tr[data-job-id="${id}"]`)
      await poll(() => row(done.id).locator('[data-status]').getAttribute('data-status')).toBe('succeeded')
      await poll(() => row(running.id).locator('[data-status]').getAttribute('data-status')).toBe('running')
      await row(done.id).locator('input[type=checkbox]').check()
      await row(running.id).locator('input[type=checkbox]').check()
      await page.getByRole('button', { name: 'Delete…' }).first().click()
      const dialog = page.getByRole('dialog')
      expect(await dialog.locator('.warn-text').textContent()).toBe(`1 job left out (#${running.id}): still running; cancel it first.`)
      await dialog.getByRole('button', { name: 'Back' }).click()
    } finally {
      await api(served.url, token, 'POST', `/api/v1/jobs/${running.id}/cancel`)
    }
  })

  it('a link to another user’s workflow shows what a fresh load of it shows, nothing of the workflow open before', async () => {
    const theirs = 't13stale:theirs'
    await api(served.url, token, 'POST', '/api/v1/workflows', { text: onePassFlow('t13stale', 'theirs') }) // the admin's
    const stan = await createUser({ url: served.url, token }, 'stan', { rights: ['scripts'] })
    const { descriptorId: mine } = await api(served.url, stan.token, 'POST', '/api/v1/workflows', { text: onePassFlow('t13stale', 'mine') })
    const { jobId } = await api(served.url, stan.token, 'POST', '/api/v1/workflows/submit', { descriptorId: mine })
    const p = await suite.browser.newPage({ viewport: { width: 1400, height: 860 } })
    try {
      await p.goto(served.url)
      await submitLogin(p, 'stan', stan.password)
      await p.getByRole('heading', { name: 'Jobs' }).waitFor()
      // his workflow, its run listed, a task's panel open
      await p.goto(`${served.url}/#/workflows/${encodeURIComponent(mine)}`)
      const title = p.locator('.wf-editor-title h2')
      await poll(() => title.textContent()).toBe('t13stale:mine')
      const run = p.locator(`.wf-run-item[data-job-id="${jobId}"]`)
      await run.waitFor()
      await p.getByTestId('wf-node-only').click()
      const taskPanel = p.getByLabel('task detail')
      await taskPanel.waitFor()

      // an in-app link to the admin's workflow (the hash, as links and Back change it)
      await p.evaluate((to) => (location.hash = to), `#/workflows/${theirs}`)
      const missing = p.getByTestId('workflow-missing')
      await poll(() => missing.textContent()).toBe(`${theirs} was not found, or is not yours.`)
      await p.waitForTimeout(300) // the stores settle: the route's follow-up is done
      expect(await title.textContent()).not.toBe('t13stale:mine') // was: his workflow under the message
      expect(await p.getByTestId('yaml-editor').textContent()).not.toContain('dagName: mine')
      expect(await run.count()).toBe(0) // was: his runs
      expect(await taskPanel.count()).toBe(0) // was: the task panel of his workflow
      await p.screenshot({ path: resolve(SHOTS, 'trial13-other-users-workflow-link.png') })
      // as a fresh load of the address shows it
      const fresh = await suite.browser.newPage({ viewport: { width: 1400, height: 860 } })
      try {
        await fresh.goto(served.url)
        await submitLogin(fresh, 'stan', stan.password)
        await fresh.getByRole('heading', { name: 'Jobs' }).waitFor()
        await fresh.goto(`${served.url}/#/workflows/${theirs}`)
        await poll(() => fresh.getByTestId('workflow-missing').textContent()).toBe(`${theirs} was not found, or is not yours.`)
        await fresh.waitForTimeout(300)
        expect(await title.textContent()).toBe(await fresh.locator('.wf-editor-title h2').textContent())
        expect(new URL(p.url()).hash).toBe(new URL(fresh.url()).hash)
      } finally {
        await fresh.close()
      }

      // Back: his workflow again, its run listed
      await p.goBack()
      await poll(() => title.textContent()).toBe('t13stale:mine')
      await run.waitFor()
      expect(await missing.count()).toBe(0)

      // unsaved edits are not switched away from unasked: the link asks, and Cancel keeps them
      await p.getByTestId('yaml-editor').click()
      await p.keyboard.press('ControlOrMeta+End')
      await p.keyboard.insertText('\n# stan was here\n')
      await p.evaluate((to) => (location.hash = to), `#/workflows/${theirs}`)
      const ask = p.getByRole('dialog', { name: 'unsaved changes' })
      await poll(() => ask.textContent()).toContain('Discard unsaved changes to t13stale:mine?')
      await ask.getByRole('button', { name: 'Cancel' }).click()
      await poll(() => new URL(p.url()).hash).toBe(`#/workflows/${encodeURIComponent(mine)}`)
      expect(await p.getByTestId('yaml-editor').textContent()).toContain('# stan was here')
      expect(await missing.count()).toBe(0)
    } finally {
      await p.close()
    }
  })
})
