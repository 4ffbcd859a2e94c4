// New-user trials (Dec 2026) at 1400×860, one serve and page for all of them: the hints in empty
// fields (first: their pages as a new user finds them), a task of a workflow with runs, and the
// leftovers (a running run's duration, a job's code copied into the Scripts draft).
import { resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { DEFAULT_SCRIPT_TIMEOUT_SECONDS } from '../../shared/api'
import { runFailingFlow, waitingFlow } from './flows'
import { SHOTS, api, browserSuite, layoutProblems, poll, signIn, type Served, writeScript, mainNav } from './support'

const suite = browserSuite({ width: 1400, height: 860 })

// New-user trial (Dec 2026): the hints inside empty fields are what a newcomer reads to fill them.
// The Scripts page's timeout said "none" (the Jobs page's quick shell job nothing) while a job left
// without one ends timed_out after a day;
// the add-user form's and new-graph field's hints were cut off ("First password (8+ ch").

/** Empty inputs whose placeholder does not fit their text box: each as "label: text needs N px, has M". */
function cutPlaceholders(p: Page): Promise<string[]> {
  return p.evaluate(() => {
    const ctx = document.createElement('canvas').getContext('2d')!
    return [...document.querySelectorAll<HTMLInputElement>('input[placeholder]')]
      .filter((el) => el.offsetWidth > 0 && el.value === '')
      .flatMap((el) => {
        const s = getComputedStyle(el)
        ctx.font = `${s.fontStyle} ${s.fontWeight} ${s.fontSize} ${s.fontFamily}`
        const room = el.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight)
        const need = ctx.measureText(el.placeholder).width
        return need > room + 1 ? [`${el.getAttribute('aria-label') ?? el.name}: "${el.placeholder}" needs ${Math.ceil(need)} px, has ${Math.floor(room)}`] : []
      })
  })
}

describe('hints in empty fields', () => {
  it('the Scripts page’s and the quick shell job’s empty timeout show the day a job gets, not "none" or nothing', async () => {
    const { page, served } = suite
    await signIn(page, served.url)
    await page.goto(`${served.url}/#/scripts`)
    const timeout = page.getByLabel('timeout in seconds')
    expect(await timeout.getAttribute('placeholder')).toBe(String(DEFAULT_SCRIPT_TIMEOUT_SECONDS))
    // the title names the box too (its word Timeout gives way beside a Cypher graph picker, uxlows)
    expect(await timeout.getAttribute('title')).toMatch(/^Timeout in seconds\. Empty: 86400 s \(a day\)/)
    expect(await cutPlaceholders(page)).toEqual([])
    // the Jobs page's quick shell job says the same
    await page.goto(`${served.url}/#/jobs`)
    await page.getByRole('button', { name: 'New shell job' }).click()
    const quick = page.getByLabel('Timeout (seconds, optional)')
    expect(await quick.getAttribute('placeholder')).toBe('86400 (a day) when empty')
    expect(await cutPlaceholders(page)).toEqual([])
    await page.getByRole('button', { name: 'Close', exact: true }).click()
  })

  it('the add-user form and the new-graph field show their whole hints', async () => {
    const { page, served } = suite
    await page.goto(`${served.url}/#/settings`)
    await page.getByLabel('new user name').scrollIntoViewIfNeeded()
    await page.screenshot({ path: resolve(SHOTS, 'newuser-add-user-hints.png') })
    expect(await cutPlaceholders(page)).toEqual([])
    await page.goto(`${served.url}/#/graph/graphs`)
    await page.getByLabel('new graph name').waitFor()
    expect(await cutPlaceholders(page)).toEqual([])
  })
})

// New-user trial (Dec 2026): a task clicked on a workflow that has runs said "Submit the workflow to
// see this task's input, output, error and log", as if it had none; the runs are a click away.
describe('Workflows: a task of a workflow with runs, no run open', () => {
  it('points to the runs to open, not only to Submit', async () => {
    const { page, served, token } = suite
    const { descriptorId } = await runFailingFlow(served, token)
    await signIn(page, served.url)
    await page.goto(`${served.url}/#/workflows/${encodeURIComponent(descriptorId)}`)
    await page.getByText('RECENT RUNS', { exact: false }).waitFor()
    await page.locator('.react-flow__node', { hasText: 'boom' }).click()
    const hint = page.getByText(/to see this task's input, output, error and log/)
    await hint.waitFor()
    expect(await hint.textContent()).toBe("Open a run (Recent runs, the grid, or Submit) to see this task's input, output, error and log.")
  })
})

// Leftovers of a new user's trial, each test failing before its fix: a running workflow run's
// duration in Recent runs stood still until the run ended (the Jobs page's counted up); a job's code
// opened in Scripts could only be read, not taken into the user's own draft to change and run.

const WAITS = waitingFlow('left', 'waits')

describe('new user leftovers', () => {
  let served: Served
  let page: Page
  let token: string
  beforeAll(async () => {
    ;({ served, page, token } = suite)
    await signIn(page, served.url)
  })

  it('Workflows: a running run’s duration in Recent runs counts up, and stops when the run ends', async () => {
    await api(served.url, token, 'POST', '/api/v1/workflows', { text: WAITS })
    await mainNav(page, 'Workflows')
    await page.getByTestId('wf-item-left:waits').click()
    await poll(() => page.locator('.wf-editor-title h2').textContent()).toBe('left:waits')
    await page.getByRole('button', { name: 'Submit' }).click()
    const shown = page.getByRole('region', { name: 'shown execution' }).locator('h3').first()
    await poll(() => shown.textContent()).toMatch(/#\d+/)
    const jobId = Number((await shown.textContent())!.replace(/\D/g, ''))
    const row = page.getByRole('region', { name: 'recent runs' }).locator(`[data-job-id="${jobId}"]`)
    const duration = row.locator('.wf-run-duration')
    await poll(() => row.locator('[data-status]').getAttribute('data-status')).toBe('running')
    await poll(() => duration.textContent()).not.toBe('—')
    const first = await duration.textContent()
    // nothing about the run changes while it waits: only a clock moves its duration on
    await poll(() => duration.textContent()).not.toBe(first)
    await page.screenshot({ path: resolve(SHOTS, 'leftovers-recent-run-ticks.png') })

    await api(served.url, token, 'POST', `/api/v1/jobs/${jobId}/cancel`)
    await poll(() => row.locator('[data-status]').getAttribute('data-status')).toBe('cancelled')
    const ended = await duration.textContent()
    await page.waitForTimeout(2500)
    expect(await duration.textContent()).toBe(ended)
  })

  it('Scripts: “Copy into my draft” puts a job’s code into the draft, asking before it replaces one', async () => {
    const job = await api(served.url, token, 'POST', '/api/v1/jobs', { type: 'script', language: 'sql', code: 'select 42 as answer;' })
    await poll(async () => (await api(served.url, token, 'GET', `/api/v1/jobs/${job.id}`)).status).toBe('succeeded')
    await page.goto(`${served.url}/#/scripts`)
    await writeScript(page, 'SQL', 'select 1 as mine;')
    const editor = page.getByTestId('script-editor')

    await page.goto(`${served.url}/#/jobs/${job.id}`)
    await page.getByRole('button', { name: 'Open in Scripts (results)' }).click()
    await poll(() => page.getByTestId('job-code').textContent()).toContain('select 42 as answer;')
    const copy = page.getByTestId('job-code-tab').getByRole('button', { name: 'Copy into my draft' })
    // the draft holds the user's own text: asked first, and Cancel keeps it
    await copy.click()
    const asked = page.getByRole('dialog', { name: 'unsaved changes' })
    await poll(() => asked.textContent()).toContain('the SQL draft')
    await page.screenshot({ path: resolve(SHOTS, 'leftovers-copy-job-code-asks.png') })
    await asked.getByRole('button', { name: 'Cancel' }).click()
    expect(await page.getByTestId('job-code').count()).toBe(1)
    // both of the pane's buttons fit its bar, also in the smallest window the app is made for
    await page.setViewportSize({ width: 900, height: 600 })
    await page.screenshot({ path: resolve(SHOTS, 'leftovers-copy-job-code-900.png') })
    expect(await layoutProblems(page)).toEqual([])
    await page.setViewportSize({ width: 1400, height: 860 })
    await page.getByRole('button', { name: 'Back to my draft' }).click()
    await poll(() => editor.textContent()).toContain('select 1 as mine;')

    await page.goto(`${served.url}/#/jobs/${job.id}`)
    await page.getByRole('button', { name: 'Open in Scripts (results)' }).click()
    await copy.click()
    await asked.getByRole('button', { name: 'Discard' }).click()
    // the editor is back, holding the job's code as the SQL draft; the job's results stay below
    await poll(() => page.getByTestId('job-code').count()).toBe(0)
    await poll(() => editor.textContent()).toContain('select 42 as answer;')
    expect(await page.getByRole('group', { name: 'language' }).locator('button[aria-pressed="true"]').textContent()).toBe('SQL')
    expect(await page.getByRole('tab', { name: /Result 1/ }).count()).toBeGreaterThan(0)
    await page.screenshot({ path: resolve(SHOTS, 'leftovers-copy-job-code-copied.png') })
    // a draft like any other: kept over a reload
    await page.reload()
    await poll(() => page.getByTestId('script-editor').textContent()).toContain('select 42 as answer;')
  })
})
