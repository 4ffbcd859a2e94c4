// What the trial12 new-user tour of the per-user limits found in the browser, each failing before its
// fix: a cut result named no limit, a refusal named its user as "Bob", and an admin's workflow list
// stopped at 2,000 of more without a word.
import { mkdirSync, truncateSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { WORKFLOW_LIMITS, WORKFLOW_LIST_PAGE } from '../../shared/workflow-limits'
import { onePassFlow } from './flows'
import { SHOTS, api, browserSuite, chooseLanguage, newUserAtLogin, poll, typeScript, type BrowserSuite, type Served, mainNav } from './support'

vi.setConfig({ testTimeout: 120_000 })

const suite: BrowserSuite = browserSuite({ width: 1280, height: 800 }, { signedIn: true })
let served: Served
let page: Page
let token: string
beforeAll(() => ({ served, page, token } = suite))

/** A new user `name` signed in on a page of their own, past the forced change of password: the page and their token. */
async function newUser(name: string): Promise<{ p: Page; userToken: string }> {
  const p = await newUserAtLogin(suite, name, `${name}-first-pass`, { width: 1280, height: 800 })
  const form = p.getByRole('form', { name: 'change password' })
  await form.getByLabel('Current password').fill(`${name}-first-pass`)
  await form.getByLabel('New password (at least 8 characters)').fill(`${name}-own-password`)
  await form.getByLabel('Repeat the new password').fill(`${name}-own-password`)
  await form.getByRole('button', { name: 'Change password' }).click()
  await p.getByRole('heading', { name: 'Jobs' }).waitFor()
  return { p, userToken: (await p.evaluate(() => localStorage.getItem('jobdesk.token')))! }
}

/**
 * Runs `work(i)` for each i of 0…n-1, `width` at a time: API calls independent of each other whose
 * time one at a time is mostly the round trip (2,000 graph workflows saved: 3.8 s one at a time, 1.7 s four at once).
 */
async function eachOf(n: number, width: number, work: (i: number) => Promise<void>): Promise<void> {
  let next = 0
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < n) await work(next++)
  }))
}

const workflowItems = (p: Page) => p.getByRole('navigation', { name: 'workflows' }).locator('[data-testid^="wf-item-"]')

describe('trial12: the per-user limits as a user meets them', () => {
  it('a result cut to a limit says which limits cut results, the job’s 256 MiB budget among them', async () => {
    await page.goto(`${served.url}/#/scripts`)
    await chooseLanguage(page, 'SQL')
    await typeScript(page, 'select hex(randomblob(40000)) as h;') // one cell of 80,000 characters: cut to the cell cap
    await page.getByRole('button', { name: 'Run script' }).click()
    await poll(() => page.getByTestId('run-status').getAttribute('data-status')).toBe('succeeded')
    const badge = page.getByTestId('result-state')
    await badge.waitFor()
    expect(await badge.textContent()).toBe('truncated')
    // was "Cut to the result limits: 1 rows kept, and a cell too long …": no limit named (and "1 rows")
    expect(await badge.getAttribute('title')).toBe(
      'Cut to the result limits: 1 row kept. A job keeps at most 256 MiB of result rows (all its results together) and a user\'s jobs 2 GiB in all, each result up to its row cap, and a cell too long keeps its head and says how much was cut; the job\'s log says what cut this one.',
    )
  })

  it('a user’s own 2,000 workflows are all listed, the next is refused naming them as they are spelt, and an admin’s list of more says it is cut', async () => {
    const { p: ivy, userToken: ivyToken } = await newUser('ivy')
    try {
      // one at a time: four at once took longer (16.8 s against 13.1 s), the server's own work being most of each
      for (let i = 0; i < WORKFLOW_LIMITS.rillflowPerOwner; i++) {
        const saved = await api(served.url, ivyToken, 'POST', '/api/v1/workflows', { text: onePassFlow('ivy', `wf${String(i).padStart(4, '0')}`) })
        expect(saved.descriptorId).toBeTruthy()
      }
      await mainNav(ivy, 'Workflows')
      await ivy.getByTestId('wf-item-ivy:wf1999').waitFor()
      // more than a default page (200): the page asks for all one user may own, and shows them all
      await poll(() => workflowItems(ivy).count()).toBe(WORKFLOW_LIMITS.rillflowPerOwner)
      expect(await ivy.getByTestId('wf-list-cut').count()).toBe(0) // all of hers: nothing to say
      await ivy.getByRole('button', { name: 'New workflow' }).click()
      await ivy.getByRole('form', { name: 'save workflow' }).getByRole('button', { name: 'Save' }).click()
      const refusal = ivy.locator('.wf-error[role="alert"]')
      await refusal.waitFor()
      // was "Ivy already has …": the user name read as a word to capitalise
      expect(await refusal.textContent()).toBe('User ivy already has 2,000 workflows, the most one user may hold (2,000); delete one first.')
      await ivy.screenshot({ path: resolve(SHOTS, 'trial12-workflow-bound.png') })
    } finally {
      await ivy.close()
    }

    // the admin's list is everyone's: one more than a page holds, the newest first, and it says so
    await api(served.url, token, 'POST', '/api/v1/workflows', { text: onePassFlow('adm', 'newest') })
    await mainNav(page, 'Workflows')
    await page.getByTestId('wf-item-adm:newest').waitFor()
    await poll(() => workflowItems(page).count()).toBe(WORKFLOW_LIST_PAGE.maxLimit)
    const cut = page.getByTestId('wf-list-cut')
    await cut.scrollIntoViewIfNeeded()
    expect(await cut.textContent()).toBe('The 2,000 most recently stored of 2,001 workflows are listed: a list shows at most 2,000.')
    expect(await page.getByTestId('wf-item-ivy:wf0000').count()).toBe(0) // the oldest is the one left out
    await page.screenshot({ path: resolve(SHOTS, 'trial12-admin-list-cut.png') })
  })

  it('an upload past the 20 GiB of a user’s files says so in its row, wrapped, with the row’s remove button still at hand', async () => {
    const { p: uma } = await newUser('uma')
    try {
      // her upload folder already holds 20 GiB less 10 bytes (a sparse file: no disk taken)
      const folder = join(served.dataDir, 'upload_files', 'uma')
      mkdirSync(folder, { recursive: true })
      writeFileSync(join(folder, 'huge.csv'), '')
      truncateSync(join(folder, 'huge.csv'), 20 * 1024 ** 3 - 10)
      await mainNav(uma, 'Imports')
      await uma.getByText('Files you uploaded before (1)').waitFor() // the page has read her folder
      await uma.getByTestId('file-input').setInputFiles({ name: 'knows.csv', mimeType: 'text/csv', buffer: Buffer.from('src,dst\n1,2\n2,1\n') })
      const row = uma.locator('tr[data-file="knows.csv"]')
      await poll(() => row.locator('.im-upload').textContent()).toBe(
        "upload failed: your uploaded files take 20 GiB, and a user's uploaded files take at most 20 GiB: delete some before uploading more",
      )
      expect(await row.locator('.im-file-label').textContent()).toBe('not read') // was "reading…", for a file that will never be read
      // and the mapping does not promise a preview that will never come
      await uma.getByText('The file was not uploaded (see why in Files): there is nothing to preview. Remove it, or choose it again.').waitFor()
      // the refusal wraps in its cell: on one line it pushed the row's × out of the card, off the window
      // measured once both are shown (a box is null while the page lays the card out again: CI)
      const cardRegion = uma.getByRole('region', { name: 'files' })
      const removeButton = row.getByRole('button', { name: 'remove knows.csv from the import' })
      await cardRegion.waitFor({ state: 'visible' })
      await removeButton.waitFor({ state: 'visible' })
      await poll(() => cardRegion.boundingBox()).not.toBeNull()
      const card = (await cardRegion.boundingBox())!
      const remove = (await removeButton.boundingBox())!
      expect(remove.x + remove.width).toBeLessThanOrEqual(card.x + card.width)
      await uma.screenshot({ path: resolve(SHOTS, 'trial12-upload-quota.png') })
      await row.getByRole('button', { name: 'remove knows.csv from the import' }).click()
      await poll(() => row.count()).toBe(0)
    } finally {
      await uma.close()
    }
  })

  it('a user’s 2,000 graph workflows are all listed, and the next is refused in a sentence naming them', async () => {
    const { p: gil, userToken } = await newUser('gil')
    try {
      const folder = join(served.dataDir, 'upload_files', 'gil')
      mkdirSync(folder, { recursive: true })
      writeFileSync(join(folder, 'e.csv'), '1,2\n2,3\n') // the input the documents name
      await eachOf(WORKFLOW_LIMITS.graphPerOwner, 4, async (i) => {
        const document = { name: `g${i}`, components: [{ id: 'WCC_1', kind: 'algorithm', algorithm: 'WCC', input: { kind: 'file', path: 'e.csv' } }], wires: [] }
        expect((await api(served.url, userToken, 'POST', '/api/v1/graph-workflows', { document })).id).toBeTruthy()
      })
      await mainNav(gil, 'Graph')
      await gil.getByRole('tablist', { name: 'graph page' }).getByRole('tab', { name: 'Workflows' }).click()
      const list = gil.getByRole('region', { name: 'graph workflows' })
      await poll(() => list.locator('[data-testid^="gw-row-"]').count()).toBe(WORKFLOW_LIMITS.graphPerOwner)
      expect(await gil.getByTestId('gw-list-cut').count()).toBe(0) // all of his: nothing to say
      await list.getByRole('button', { name: 'New workflow' }).click()
      await gil.getByRole('button', { name: 'add WCC' }).click()
      await gil.getByRole('button', { name: 'Save', exact: true }).click()
      const refusal = gil.locator('.gw-message.error')
      await refusal.waitFor()
      // was the API's words as sent: "user gil already has … delete one first", no capital, no stop
      expect(await refusal.textContent()).toBe('User gil already has 2,000 graph workflows, the most one user may hold (2,000); delete one first.')
      await gil.screenshot({ path: resolve(SHOTS, 'trial12-graph-workflow-bound.png') })
    } finally {
      await gil.close()
    }
  })

  it('a workflow at 200 versions refuses the next in the editor’s words (dagName), not the Rill Flow API’s alone', async () => {
    const text = (task: string) => `workspace: adm\ndagName: many\ntype: flow\ntasks:\n  - category: pass\n    name: ${task}\n`
    for (let v = 0; v < WORKFLOW_LIMITS.rillflowVersions; v++) expect((await api(served.url, token, 'POST', '/api/v1/workflows', { text: text(`v${v}`) })).descriptorId).toBeTruthy()
    await page.goto(`${served.url}/#/workflows`)
    await page.getByTestId('wf-item-adm:many').click()
    await poll(() => page.locator('.wf-editor-title h2').textContent()).toBe('adm:many')
    await page.locator('.cm-content').first().click()
    await page.keyboard.press('ControlOrMeta+A')
    await page.keyboard.insertText(text('onemore'))
    await page.getByRole('form', { name: 'save workflow' }).getByRole('button', { name: 'Save' }).click()
    const refusal = page.locator('.wf-error[role="alert"]')
    await refusal.waitFor()
    // was "… store it under another feature_name …": a name the editor's text has no field for
    expect(await refusal.textContent()).toBe(
      "Workflow adm:many already has 200 versions, the most one workflow may hold (200); store it as another workflow (another dagName, Rill Flow's feature_name), or delete this workflow first.",
    )
  })
})
