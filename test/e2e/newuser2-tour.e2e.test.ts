// What a new user met on a first day with JobDesk (newuser2 tour): the facts of a running job
// must agree with its log beside them, and a folder's delete dialog must read right for one script.
import { resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { shellGate } from '../support/shell-gate'
import { SHOTS, api, browserSuite, poll, signIn, type Served } from './support'

const suite = browserSuite({ width: 1400, height: 900 })
let served: Served
let page: Page
let token: string
beforeAll(() => ({ served, page, token } = suite))

describe('a new user’s first day', () => {
  it('a running job’s “Log” fact counts the lines its log already shows, not 0', async () => {
    // the detail is open before the job prints: three lines once the test lets it (a sleep of 4 s
    // could end before a slow machine showed the page), then a long wait, so the job is still
    // running when we look
    await signIn(page, served.url)
    const go = shellGate(served.dataDir, 'newuser2-log-count-go')
    const job = await api(served.url, token, 'POST', '/api/v1/jobs', { type: 'script', language: 'shell', code: `${go.wait}; echo one; echo two; echo three; sleep 60`, timeoutSeconds: 120 })
    try {
      await page.goto(`${served.url}/#/jobs/${job.id}`)
      await poll(() => page.getByTestId('log-info').textContent()).toBe('0 lines')
      go.open()
      const lines = page.getByLabel('job log', { exact: true }).locator('.log-line')
      await poll(() => lines.count()).toBe(3)
      expect((await api(served.url, token, 'GET', `/api/v1/jobs/${job.id}`)).status).toBe('running')
      await page.screenshot({ path: resolve(SHOTS, 'newuser2-running-log-count.png') })
      // the log viewer says 3 lines; the facts above it said "0 lines" until the job ended
      await poll(() => page.getByTestId('log-info').textContent()).toBe('3 lines')
    } finally {
      await api(served.url, token, 'POST', `/api/v1/jobs/${job.id}/cancel`)
    }
  })

  it('the delete dialog of a folder with one script reads right', async () => {
    await api(served.url, token, 'POST', '/api/v1/saved-scripts', { path: 'reports/daily', language: 'sql', code: 'select 1;' })
    await page.goto(`${served.url}/#/scripts`)
    const tree = page.getByRole('tree', { name: 'saved scripts' })
    const folder = tree.getByRole('treeitem', { name: 'reports', exact: true })
    await folder.locator('.sc-tree-row').first().hover()
    await folder.getByRole('button', { name: 'delete reports', exact: true }).click()
    const confirm = page.getByRole('dialog', { name: 'Delete the folder reports?' })
    // was "It holds 1 script; they are deleted with it."
    expect(await confirm.locator('p').textContent()).toBe('It holds 1 script, which is deleted with it. This cannot be undone.')
    await confirm.getByRole('button', { name: 'Back' }).click()
  })
})
