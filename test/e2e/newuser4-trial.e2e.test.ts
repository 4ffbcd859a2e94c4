// What a new user's trial found (newuser4, /work/notes/NEWUSER4.md): each test shows one finding, failing before its fix.
import { resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { onePassFlow, runFailingFlow, waitingFlow } from './flows'
import { PAIR_SEED, SHOTS, api, browserSuite, drawnText, layoutProblems, newUserAtLogin, poll, seedGraph, submitLogin, type Served, queryAsGraph, mainNav } from './support'
import type { Right } from '../../shared/model'
import { createUser } from '../support/users'

/** A workflow that runs through at once. */
const QUICK = onePassFlow('nu4', 'quick')

const WAITER = waitingFlow('nu4', 'waiter')

const suite = browserSuite({ width: 1400, height: 900 }, { signedIn: true })
let served: Served
let page: Page
let token: string
beforeAll(() => ({ served, page, token } = suite))

/** Makes a user `name` with `rights` whose own password (`${name}-password-1`) is set, and answers their API token. */
const newUser = async (name: string, rights: Right[]): Promise<string> => (await createUser({ url: served.url, token }, name, { rights })).token

/** Signs `name` (made by newUser) in on a new page of its own, waiting for the Jobs page. */
async function pageOf(name: string): Promise<Page> {
  const p = await suite.browser.newPage({ viewport: { width: 1400, height: 900 } })
  await p.goto(served.url)
  await submitLogin(p, name, `${name}-password-1`)
  await p.getByRole('heading', { name: 'Jobs' }).waitFor()
  return p
}

const nav = (name: string) => mainNav(page, name)

describe('newuser4 trial', () => {
  it('#3 Jobs → “Open in Workflows” opens the run’s own workflow: list, editor, Run panel and URL', async () => {
    await api(served.url, token, 'POST', '/api/v1/workflows', { text: QUICK })
    const { descriptorId } = await api(served.url, token, 'POST', '/api/v1/workflows', { text: WAITER })
    await nav('Workflows')
    await page.getByTestId('wf-item-nu4:quick').click()
    await poll(() => page.locator('.wf-editor-title h2').textContent()).toBe('nu4:quick')

    const { jobId } = await api(served.url, token, 'POST', '/api/v1/workflows/submit', { descriptorId })
    await page.goto(`${served.url}/#/jobs/${jobId}`)
    await page.getByRole('button', { name: 'Open in Workflows (graph)' }).click()
    const shown = page.getByRole('region', { name: 'shown execution' })
    await poll(() => shown.locator('h3').first().textContent()).toContain(`#${jobId}`)
    await poll(() => page.locator('.wf-editor-title h2').textContent()).toBe('nu4:waiter')
    expect(await page.getByTestId('wf-item-nu4:waiter').getAttribute('aria-current')).toBe('true')
    expect(await page.getByTestId('wf-item-nu4:quick').getAttribute('aria-current')).toBeNull()
    expect(await page.getByRole('complementary', { name: 'run panel' }).locator('.wf-run-target').first().textContent()).toContain('Runs nu4:waiter version')
    await poll(() => decodeURIComponent(new URL(page.url()).hash)).toBe(`#/workflows/${descriptorId}?execution=${jobId}`)
    await page.screenshot({ path: resolve(SHOTS, 'newuser4-open-in-workflows.png') })
    await api(served.url, token, 'POST', `/api/v1/jobs/${jobId}/cancel`)
  })

  it('#2 a link to a job that does not exist says so in the detail column, and keeps saying it', async () => {
    await page.goto('about:blank')
    const listed = page.waitForResponse(/\/api\/v1\/jobs\?/)
    await page.goto(`${served.url}/#/jobs/999`)
    await page.getByRole('heading', { name: 'Jobs' }).waitFor()
    await listed // the list's answer (it came after the detail's 404 and cleared its error) leaves it be
    const missing = page.getByTestId('job-detail-missing')
    await poll(() => missing.textContent()).toBe('Job #999 was not found, or is not yours.')
    await page.waitForTimeout(300)
    expect(await missing.textContent()).toBe('Job #999 was not found, or is not yours.')
    expect(await missing.getAttribute('aria-busy')).toBe('false')
    await page.screenshot({ path: resolve(SHOTS, 'newuser4-job-missing.png') })
  })

  it('#4 Scripts: “Back to my draft” leaves the opened job: its results and its URL go with its code', async () => {
    const job = await api(served.url, token, 'POST', '/api/v1/jobs', { type: 'script', language: 'sql', code: 'select 7 as seven;' })
    await poll(async () => (await api(served.url, token, 'GET', `/api/v1/jobs/${job.id}`)).status).toBe('succeeded')
    await page.goto(`${served.url}/#/jobs/${job.id}`)
    await page.getByRole('button', { name: 'Open in Scripts (results)' }).click()
    await poll(() => page.getByRole('tab', { name: /Result 1/ }).count()).toBeGreaterThan(0)
    await poll(() => new URL(page.url()).hash).toBe(`#/scripts/${job.id}`)
    await page.getByRole('button', { name: 'Back to my draft' }).click()
    await page.getByTestId('script-editor').waitFor()
    await poll(() => page.getByTestId('run-job').count()).toBe(0) // was: job #N, succeeded, under the draft
    expect(await page.getByRole('tab', { name: /Result 1/ }).count()).toBe(0)
    expect(await page.getByText('Run the script').count()).toBe(1)
    await poll(() => new URL(page.url()).hash).toBe('#/scripts') // was #/scripts/N
    await page.screenshot({ path: resolve(SHOTS, 'newuser4-back-to-draft.png') })
  })

  it('#5 a link to another user’s workflow, or to none, says so instead of opening a blank draft', async () => {
    await newUser('bob', ['scripts'])
    const bob = await pageOf('bob')
    try {
      await bob.goto(`${served.url}/#/workflows/nu4:quick`) // admin's
      const missing = bob.getByTestId('workflow-missing')
      await poll(() => missing.textContent()).toBe('nu4:quick was not found, or is not yours.')
      await bob.getByRole('navigation', { name: 'workflows' }).waitFor() // the list has answered, and left it
      await bob.waitForTimeout(300)
      expect(await missing.textContent()).toBe('nu4:quick was not found, or is not yours.')
      await bob.screenshot({ path: resolve(SHOTS, 'newuser4-other-users-workflow.png') })
      await bob.goto(`${served.url}/#/workflows/nu4:nothing`)
      await poll(() => missing.textContent()).toBe('nu4:nothing was not found, or is not yours.')
    } finally {
      await bob.close()
    }
  })

  it('#14 the run panel says why a run failed, and the Grid keeps the run’s status bar', async () => {
    const { descriptorId, jobId } = await runFailingFlow(served, token)
    const { error } = await api(served.url, token, 'GET', `/api/v1/jobs/${jobId}`)
    expect(error).toContain('boom')
    await page.goto(`${served.url}/#/workflows/${encodeURIComponent(descriptorId)}?execution=${jobId}`)
    const why = page.getByRole('complementary', { name: 'run panel' }).getByTestId('execution-error')
    await poll(() => why.textContent()).toBe(`Failed: ${error}`)
    await page.getByRole('group', { name: 'view' }).getByRole('button', { name: 'Grid' }).click()
    const bar = page.getByTestId('execution-bar')
    await bar.waitFor()
    expect(await bar.getByTestId('execution-status').getAttribute('data-status')).toBe('failed')
    expect(await bar.getByRole('button', { name: 'Redo failed' }).count()).toBe(1)
    expect(await layoutProblems(page)).toEqual([])
    await page.screenshot({ path: resolve(SHOTS, 'newuser4-run-failed-grid.png') })
    await page.getByRole('group', { name: 'view' }).getByRole('button', { name: 'Graph' }).click()
  })

  it('#11 a log drops colour codes (SGR) but still marks other control characters; the download keeps the bytes', async () => {
    const job = await api(served.url, token, 'POST', '/api/v1/jobs', { type: 'script', language: 'shell', code: "printf '\\033[31mred\\033[0m plain \\033[1;32mgreen\\033[0m\\n'; printf 'erase\\033[2K bell\\007\\n'" })
    await poll(async () => (await api(served.url, token, 'GET', `/api/v1/jobs/${job.id}`)).status).toBe('succeeded')
    await page.goto(`${served.url}/#/jobs/${job.id}`)
    const texts = page.getByLabel('job log', { exact: true }).locator('.log-line .log-text')
    await poll(() => texts.count()).toBe(2)
    expect(await drawnText(texts.nth(0))).toBe('red plain green') // was ⟨U+001B⟩[31mred⟨U+001B⟩[0m …
    expect(await drawnText(texts.nth(1))).toBe('erase⟨U+001B⟩[2K bell⟨U+0007⟩')
    await page.screenshot({ path: resolve(SHOTS, 'newuser4-log-colours.png') })
    const res = await fetch(`${served.url}/api/v1/jobs/${job.id}/logs/text`, { headers: { authorization: `Bearer ${token}` } })
    expect(((await res.json()) as { text: string }).text).toContain('\\x1b[31mred\\x1b[0m plain \\x1b[1;32mgreen') // as written (escaped for a file, as before)
  })

  it('#13 Imports: “1 label”, the chosen type in the column’s header, no file of this import “from before”, the job linked', async () => {
    await nav('Imports')
    await page.getByRole('heading', { name: 'Imports' }).waitFor()
    await page.getByTestId('file-input').setInputFiles([{ name: 'person.csv', mimeType: 'text/csv', buffer: Buffer.from('id,name,age\n1,Ann,31\n2,Bob,x\n') }])
    const row = page.locator('tr[data-file="person.csv"]')
    await poll(() => row.textContent()).toContain('vertex person')
    await page.waitForTimeout(300) // the upload list has been fetched again after the upload
    expect(await page.getByText('Files you uploaded before').count()).toBe(0) // was "(1)", listing person.csv itself
    await row.getByRole('button', { name: 'person.csv', exact: true }).click()
    const mapping = page.getByRole('region', { name: 'mapping' })
    const headers = () => mapping.getByTestId('preview').locator('thead tr').first().locator('th').allTextContents()
    await poll(headers).toEqual(['line', 'idINT64', 'nameSTRING', 'ageSTRING'])
    await mapping.getByLabel('column 3 type').selectOption('INT32')
    await poll(headers).toEqual(['line', 'idINT64', 'nameSTRING', 'ageINT32']) // was still ageSTRING
    await page.getByRole('button', { name: 'Start import' }).click()
    await poll(() => page.getByTestId('import-progress').locator('[data-status]').getAttribute('data-status')).toBe('succeeded')
    await poll(() => page.getByTestId('graph-counts').textContent()).toBe('1 vertex · 0 edges · 1 label') // was "1 labels"
    const jobLink = page.getByTestId('import-job')
    const jobId = Number((await jobLink.textContent())!.replace(/\D/g, ''))
    await page.screenshot({ path: resolve(SHOTS, 'newuser4-imports.png'), fullPage: true })
    await jobLink.click()
    await poll(() => page.getByLabel('job detail').getByRole('heading').first().textContent()).toContain(`#${jobId}`)
  })

  it('#15 the forced change after signing in does not ask again for the password just typed, and says it was changed', async () => {
    const carol = await newUserAtLogin(suite, 'carol', 'carol-initial-1', { width: 1400, height: 900 })
    try {
      await carol.getByRole('heading', { name: 'Choose a new password' }).waitFor()
      const form = carol.getByRole('form', { name: 'change password' })
      expect(await form.getByLabel('Current password').inputValue()).toBe('carol-initial-1') // was empty: typed again
      await form.getByLabel('New password (at least 8 characters)').fill('carol-password-1')
      await form.getByLabel('Repeat the new password').fill('carol-password-1')
      await form.getByRole('button', { name: 'Change password' }).click()
      await carol.getByRole('heading', { name: 'Jobs' }).waitFor()
      // carol has no other session: not told "Your other sessions were signed out" (newuser8)
      expect(await carol.getByTestId('app-notice').textContent()).toContain('Password changed. Any other sessions of yours were signed out.')
      await carol.screenshot({ path: resolve(SHOTS, 'newuser4-password-changed.png') })
      await carol.getByTestId('app-notice').getByRole('button', { name: 'Dismiss' }).click()
      expect(await carol.getByTestId('app-notice').count()).toBe(0)
    } finally {
      await carol.close()
    }
  })

  it('#15 Access keys write their dates as the rest of the app does', async () => {
    await api(served.url, token, 'POST', '/api/v1/access-keys', { description: 'nu4-key' })
    await nav('Settings')
    const cells = page.getByRole('region', { name: 'access keys' }).locator('tr', { hasText: 'nu4-key' }).locator('td')
    await poll(() => cells.count()).toBeGreaterThan(3)
    // "Dec 2, 2026, 01:38:05" (fullTime), was the browser's "12/2/2026, 2:04:43 AM"
    expect(await cells.nth(3).textContent()).toMatch(/^[A-Z][a-z]{2} \d{1,2}, \d{4}, \d{2}:\d{2}:\d{2}$/)
  })

  it('#15 Graphs: Drop’s question does not move the table’s columns', async () => {
    await api(served.url, token, 'POST', '/api/v1/graphs', { graph: 'readme' })
    await nav('Graph')
    await page.getByRole('tab', { name: 'Graphs' }).click()
    const drop = page.getByRole('button', { name: 'drop graph readme' })
    await drop.waitFor()
    const lefts = () => page.locator('.gr-table thead th').evaluateAll((ths) => ths.map((th) => Math.round(th.getBoundingClientRect().left)))
    const before = await lefts()
    await drop.click()
    await page.getByText('and all its data?').waitFor()
    expect(await lefts()).toEqual(before) // were shifted left under the pointer
    expect(await layoutProblems(page)).toEqual([])
    await page.screenshot({ path: resolve(SHOTS, 'newuser4-graph-drop-confirm.png') })
    await page.locator('tr', { hasText: 'and all its data?' }).getByRole('button', { name: 'Keep' }).click()
  })

  it('#15 a disabled user’s open tab says why it signed out', async () => {
    await newUser('dora', [])
    const dora = await pageOf('dora')
    try {
      await api(served.url, token, 'POST', '/api/v1/users/dora', { disabled: true })
      const said = dora.getByText('Your session ended')
      await poll(() => said.textContent()).toBe('Your session ended: Your account dora was disabled by an administrator; ask an admin to enable it.') // was "…: sign in again."
      await dora.screenshot({ path: resolve(SHOTS, 'newuser4-disabled-tab.png') })
    } finally {
      await dora.close()
    }
  })

  it('#7 Graph: two nodes with edges both ways are drawn at their size, centred, each edge label apart', async () => {
    await seedGraph(served.url, token, 'pair', PAIR_SEED)
    await nav('Graph')
    await page.getByRole('tab', { name: 'Query' }).click()
    const picker = page.getByLabel('graph to query')
    await poll(() => picker.locator('option').allTextContents()).toContain('pair')
    await picker.selectOption('pair')
    const picture = await queryAsGraph(page, 'MATCH (a)-[r]->(b) RETURN a, r, b')
    await poll(() => picture.locator('.gx-edge-label').count()).toBe(2)
    const box = (await picture.boundingBox())!
    const circles = await picture.locator('g.gx-node circle').evaluateAll((cs) => cs.map((c) => c.getBoundingClientRect()).map((r) => ({ x: r.x + r.width / 2, y: r.y + r.height / 2, d: r.width })))
    // circles of R = 22 drawn at most one unit a pixel (were 110-130 px)
    for (const c of circles) expect(c.d).toBeLessThanOrEqual(46)
    // the drawing's middle is the picture's (was left of it)
    const mid = { x: (circles[0].x + circles[1].x) / 2, y: (circles[0].y + circles[1].y) / 2 }
    expect(Math.abs(mid.x - (box.x + box.width / 2))).toBeLessThan(30)
    expect(Math.abs(mid.y - (box.y + box.height / 2))).toBeLessThan(40)
    // the two "knows" do not overlap each other (were drawn as "knowsws")
    const [a, b] = await picture.locator('.gx-edge-label').evaluateAll((ts) => ts.map((t) => t.getBoundingClientRect().toJSON() as DOMRect))
    const overlap = a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height
    expect(overlap, JSON.stringify([a, b])).toBe(false)
    await page.screenshot({ path: resolve(SHOTS, 'newuser4-graph-pair.png') })
  })
})
