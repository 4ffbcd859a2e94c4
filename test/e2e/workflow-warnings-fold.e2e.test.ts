// The Workflows editor's warnings in a 900×600 window (#9 warnfold, user trial): a draft with several
// warnings showed one box each (two for one line) and squeezed the YAML editor to 2 visible lines.
// One entry per line now, the first shown and the rest behind "N more warnings", in a list of bounded
// height with its own scroll: the editor keeps most of its height, and every warning is reachable.
import { resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { beforeAll, expect, it } from 'vitest'
import { SHOTS, api, browserSuite, layoutProblems, mainNav, poll, signIn, type Served } from './support'
import { typeDescriptor } from './workflow-page'

// six output mappings reading $.input (each a warning: views.ts descriptorWarnings), two on line 15
const WARNED = `workspace: warn
dagName: many
type: flow
tasks:
  - category: pass
    name: first
    outputMappings:
      - {source: $.input.a1, target: $.context.a1}
      - {source: $.input.a2, target: $.context.a2}
      - {source: $.input.a3, target: $.context.a3}
      - {source: $.input.a4, target: $.context.a4}
    next: second
  - category: pass
    name: second
    outputMappings: [{source: $.input.b1, target: $.context.b1}, {source: $.input.b2, target: $.context.b2}]
`
const CLEAN = WARNED.replaceAll('$.input.', '$.output.')

const suite = browserSuite({ width: 900, height: 600 })
let served: Served
let page: Page
let token: string
beforeAll(() => ({ served, page, token } = suite))

/** The YAML editor's visible height (its scroller's), px. */
const editorHeight = () => page.locator('.wf-editor .cm-scroller').evaluate((el) => el.clientHeight)

/** The editor's text replaced with `text`, once checked valid. */
async function typeChecked(text: string): Promise<void> {
  await typeDescriptor(page, text)
  await poll(() => page.getByTestId('validation-message').getAttribute('data-state')).toBe('ok')
}

/**
 * Whether both ends of `el` can be brought on screen: its top once scrolled to its start, its bottom
 * once scrolled to its end, each inside the window and inside every scrolling box around it (an entry
 * taller than the list is read by scrolling through it).
 */
const bothEndsReachable = (el: Element) => {
  const visible = (y: number) => {
    if (y < -0.5 || y > innerHeight + 0.5) return false
    for (let p = el.parentElement; p; p = p.parentElement) {
      if (!/(auto|scroll|hidden)/.test(getComputedStyle(p).overflowY)) continue
      const b = p.getBoundingClientRect()
      if (y < b.top - 0.5 || y > b.bottom + 0.5) return false
    }
    return true
  }
  el.scrollIntoView({ block: 'start' })
  const top = visible(el.getBoundingClientRect().top + 1)
  el.scrollIntoView({ block: 'end' })
  const bottom = visible(el.getBoundingClientRect().bottom - 1)
  return el.getBoundingClientRect().height > 0 && top && bottom
}

it('keeps the editor at least 60% of its height with six warnings folded (50% open), one entry per line, each reachable', async () => {
  await signIn(page, served.url)
  await mainNav(page, 'Workflows')
  await page.getByRole('button', { name: 'New workflow' }).click()
  await typeChecked(CLEAN)
  expect(await page.getByTestId('validation-warning').count()).toBe(0)
  const clean = await editorHeight()
  await page.screenshot({ path: resolve(SHOTS, 'workflow-warnings-none.png') })

  await typeChecked(WARNED)
  const entries = page.getByTestId('validation-warning')
  await poll(() => entries.count()).toBeGreaterThan(0)
  const warned = await editorHeight()
  await page.screenshot({ path: resolve(SHOTS, 'workflow-warnings-folded.png') })
  expect(warned / clean).toBeGreaterThanOrEqual(0.6)

  // the rest open from "N more warnings" on the valid line, in a list of bounded height that scrolls on its own
  const more = page.getByRole('button', { name: /^5 more warnings$/ })
  await more.click()
  await poll(() => entries.count()).toBe(5) // six warnings, two of them on line 15
  const opened = await editorHeight()
  console.log(`editor height: ${clean} px without warnings, ${warned} folded, ${opened} open`)
  expect(opened / clean).toBeGreaterThanOrEqual(0.5) // opened on purpose: a list of bounded height
  await page.screenshot({ path: resolve(SHOTS, 'workflow-warnings-open.png') })
  const lines = await entries.evaluateAll((els) => els.map((el) => el.getAttribute('data-line')))
  expect(lines).toEqual(['8', '9', '10', '11', '15'])
  const both = entries.filter({ hasText: 'Line 15:' })
  expect(await both.textContent()).toContain('outputMappings[0] reads $.input.b1')
  expect(await both.textContent()).toContain('outputMappings[1] reads $.input.b2')
  for (const entry of await entries.all()) expect(await entry.evaluate(bothEndsReachable)).toBe(true)
  expect(await layoutProblems(page)).toEqual([])
  // and fold again
  await page.getByRole('button', { name: 'Show fewer warnings' }).click()
  await poll(() => entries.count()).toBe(1)
})

// a choice whose one condition does not hold, then a call that fails: the run ends failed
const ENDED = `workspace: warn
dagName: ended
type: flow
tasks:
  - category: choice
    name: pick
    next: boom
    inputMappings: [{source: $.context.n, target: $.input.n}]
    choices:
      - condition: $.input.[?(@.n > 5)]
        tasks: [{category: pass, name: big}]
  - {category: function, name: boom, pattern: task_sync, resourceName: "http://127.0.0.1:1/nothing-listens-here"}
`

it('a finished run: its choice that took no branch says so without "yet", its bar how it ended, as on the Jobs page', async () => {
  const { descriptorId } = await api(served.url, token, 'POST', '/api/v1/workflows', { text: ENDED })
  const { jobId } = await api(served.url, token, 'POST', '/api/v1/workflows/submit', { descriptorId, context: { n: 1 } })
  await poll(async () => (await api(served.url, token, 'GET', `/api/v1/jobs/${jobId}`)).status).toBe('failed')
  await page.setViewportSize({ width: 1400, height: 860 }) // at 900 px the execution bar has no room for its progress bar
  await signIn(page, served.url)
  await page.goto(`${served.url}/#/workflows/${encodeURIComponent(descriptorId)}?execution=${jobId}`)
  await poll(() => page.getByTestId('execution-status').getAttribute('data-status')).toBe('failed')
  const pick = page.getByTestId('wf-node-pick')
  await poll(() => pick.getAttribute('data-status')).toBe('succeeded')
  expect(await pick.locator('.wf-node-progress').textContent()).toBe('no branch taken') // was "no branch taken yet"
  const bar = page.getByTestId('execution-bar').getByRole('progressbar')
  const pct = Number(await bar.getAttribute('aria-valuenow'))
  expect(pct).toBeGreaterThan(0)
  expect(await bar.textContent()).toBe('failed') // was its percentage
  expect(await bar.getAttribute('aria-valuetext')).toBe(`failed at ${pct}%`)
  await page.screenshot({ path: resolve(SHOTS, 'workflow-ended-run.png') })
  // the Jobs page's row says the same
  await page.getByTestId('execution-job').click()
  const row = page.locator(`tr[data-job-id="${jobId}"]`).getByRole('progressbar')
  await poll(() => row.textContent()).toBe('failed')
  expect(Number(await row.getAttribute('aria-valuenow'))).toBe(pct)
})

// the graph's rename hint (warnfold): an empty or unchanged name rewrote nothing and left an earlier
// refusal standing, as if it were the answer to this rename
it('a rename to an empty or the same name says why nothing changed instead of leaving the last hint', async () => {
  await page.setViewportSize({ width: 1400, height: 860 })
  await signIn(page, served.url)
  await mainNav(page, 'Workflows')
  await page.getByRole('button', { name: 'New workflow' }).click()
  const unsaved = page.getByRole('dialog', { name: 'unsaved changes' })
  if (await unsaved.isVisible()) await unsaved.getByRole('button', { name: 'Discard' }).click()
  await typeChecked('workspace: warn\ndagName: names\ntype: flow\ntasks:\n  - {category: pass, name: first, next: second}\n  - {category: pass, name: second}\n')
  await page.getByTestId('wf-node-second').click()
  const nameField = page.getByTestId('dag-task-name')
  const hint = page.getByTestId('dag-edit-hint')
  const yaml = await page.getByTestId('yaml-editor').innerText()
  for (const [typed, why] of [
    ['   ', 'A task needs a name: "second" was not renamed'],
    ['second', 'The task is already named "second": nothing changed'],
  ]) {
    await nameField.fill('context')
    await nameField.press('Enter')
    await poll(() => hint.textContent()).toMatch(/^"context" is reserved/)
    await nameField.fill(typed)
    await nameField.press('Enter')
    await poll(() => hint.textContent()).toBe(why)
  }
  expect(await page.getByTestId('yaml-editor').innerText()).toBe(yaml)
  await page.screenshot({ path: resolve(SHOTS, 'workflow-rename-unchanged.png') })
})
