// New-user LOWs of #9, in the browser, each screenshot looked at (test-results/lows-*.png):
// job names at 1024 px wrap to a second line before they are cut (they were cut at 26 characters);
// Settings at 1600 px lays its sections two a row (one 720 px column used less than half the width);
// a broken draft pasted over the starter draws no graph (it drew the starter's) and says the line;
// the Graph page's query table shows a vertex as `(:person {id: 1, name: "Ann"})`, not cut-off JSON.
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { PAIR_SEED, SHOTS, api, browserSuite, mainNav, poll, seedGraph, signIn } from './support'
import { typeDescriptor } from './workflow-page'

const suite = browserSuite({ width: 1024, height: 700 })
const shot = (name: string) => suite.page.screenshot({ path: resolve(SHOTS, `lows-${name}.png`) })

describe('new-user LOWs (#9)', () => {
  it('Jobs at 1024 px: a long name wraps to a second line, whole; the cell’s title has it', async () => {
    const { served, page, token } = suite
    const names = ['nightly-orders-export-to-warehouse', 'pagerank on the social graph, 20 iterations']
    for (const name of names) await api(served.url, token, 'POST', '/api/v1/jobs', { type: 'script', language: 'shell', code: 'echo hi', name })
    await signIn(page, served.url)
    await page.locator('tr[data-job-id="2"]').waitFor()
    for (const [i, name] of names.entries()) {
      const cell = page.locator(`tr[data-job-id="${i + 1}"] td.name`)
      expect(await cell.getAttribute('title')).toBe(name)
      // none of it hidden: its text fits the lines it is given
      const cut = await cell.locator('.name-text').evaluate((el) => el.scrollHeight > el.clientHeight + 1 || el.scrollWidth > el.clientWidth + 1)
      expect(cut, name).toBe(false)
    }
    await shot('jobs-1024')
    await page.setViewportSize({ width: 1600, height: 900 })
    await shot('jobs-1600')
  })

  it('Settings at 1600 px: two sections a row, using the width; one column at 1024 px', async () => {
    const { page } = suite
    await mainNav(page, 'Settings')
    const password = page.locator('#settings-password')
    const notifications = page.locator('#settings-notifications')
    await password.waitFor()
    const [p, n] = [(await password.boundingBox())!, (await notifications.boundingBox())!]
    expect(Math.abs(p.y - n.y)).toBeLessThan(2) // side by side
    expect(n.x).toBeGreaterThan(p.x + p.width)
    expect(n.x + n.width - p.x).toBeGreaterThan(0.8 * (1600 - 180))
    await shot('settings-1600')
    await page.setViewportSize({ width: 1024, height: 700 })
    await poll(async () => (await notifications.boundingBox())!.y).toBeGreaterThan((await password.boundingBox())!.y + 20)
    await shot('settings-1024')
  })

  it('Workflows: a broken draft pasted over the starter draws no graph and names the line; a broken edit greys the last graph', async () => {
    const { page } = suite
    await page.setViewportSize({ width: 1400, height: 860 })
    await mainNav(page, 'Workflows')
    await page.getByTestId('wf-node-first').waitFor() // the starter, drawn
    const drawer = page.getByRole('button', { name: 'hide the workflow list' })
    if (await drawer.isVisible()) await drawer.click()
    await typeDescriptor(page, 'workspace: mine\ndagName: pasted\ntasks:\n  - category: pass\n    name: load\n   next: [oops\n')
    await page.getByTestId('dag-no-graph').waitFor()
    expect(await page.getByTestId('dag-no-graph').textContent()).toMatch(/line \d+/)
    expect(await page.locator('.wf-node').count()).toBe(0)
    await shot('workflow-pasted-broken')
    // an edit that breaks a drawn draft: its last graph, greyed, the note naming the line
    await page.keyboard.press('ControlOrMeta+A')
    await page.keyboard.insertText('workspace: mine\ndagName: kept\ntasks:\n  - {category: pass, name: first}\n')
    await page.locator('[data-testid="validation-message"][data-state="ok"]').waitFor()
    await page.getByTestId('wf-node-first').waitFor()
    await page.keyboard.insertText('  - {category: pass, name: broken\n')
    await page.getByTestId('dag-stale-note').waitFor()
    await poll(() => page.getByTestId('dag-stale-note').textContent()).toMatch(/line \d+/) // once the check has answered
    expect(await page.getByTestId('dag-canvas').getAttribute('data-stale')).toBe('true')
    await shot('workflow-edit-broken')
    await page.keyboard.press('ControlOrMeta+Z') // leave the draft as it was saved: nothing to ask on leaving
  })

  it('Graph → Query: a vertex shows as (:label {…}), the whole value on hover', async () => {
    const { served, page, token } = suite
    await seedGraph(served.url, token, 'default', PAIR_SEED) // the graph the page opens on
    await mainNav(page, 'Graph')
    const discard = page.getByRole('dialog', { name: 'unsaved changes' })
    if (await discard.isVisible().catch(() => false)) await discard.getByRole('button', { name: 'Discard' }).click()
    await page.getByTestId('cypher-editor').click()
    await page.keyboard.press('ControlOrMeta+A')
    await page.keyboard.insertText('MATCH (n:person) RETURN n, n.name ORDER BY n.id')
    await page.keyboard.press('ControlOrMeta+Enter')
    const cell = page.getByTestId('cypher-table').locator('tbody tr').first().locator('td').nth(1)
    await cell.waitFor({ timeout: 60_000 })
    expect(await cell.textContent()).toBe('(:person {id: 1, name: "Ann"})')
    expect(await cell.getAttribute('title')).toContain('"identity"')
    await shot('graph-query-table')
  })
})
