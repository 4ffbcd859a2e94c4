// What the trial10 new-user tour found in the browser, each failing before its fix.
import { resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { SHOTS, api, browserSuite, layoutProblems, poll, type Served, mainNav } from './support'

const suite = browserSuite({ width: 1280, height: 800 }, { signedIn: true })
let served: Served
let page: Page
let token: string
beforeAll(() => ({ served, page, token } = suite))

describe('trial10 tour', () => {
  it('a new tab’s starter draft named as a saved workflow says so and opens it', async () => {
    // saved as a first save of the starter text would be: default:myWorkflow
    await api(served.url, token, 'POST', '/api/v1/workflows', { text: 'workspace: default\ndagName: myWorkflow\ntype: flow\ntasks:\n  - category: pass\n    name: only\n' })
    await mainNav(page, 'Workflows')
    await page.getByTestId('wf-item-default:myWorkflow').waitFor()
    const title = page.locator('.wf-editor-title h2')
    await poll(() => title.textContent()).toBe('default:myWorkflow')
    const note = page.getByTestId('wf-existing-note')
    await poll(() => note.count()).toBe(1) // was only "not saved", beside a list showing it saved
    expect(await note.textContent()).toBe('saved already: saving adds a version · open it')
    expect(await layoutProblems(page)).toEqual([])
    await page.screenshot({ path: resolve(SHOTS, 'trial10-existing-name.png') })
    await note.getByRole('button', { name: 'open it' }).click()
    await poll(() => page.getByTestId('wf-item-default:myWorkflow').getAttribute('aria-current')).toBe('true')
    await poll(() => page.getByRole('complementary', { name: 'run panel' }).locator('.wf-run-target').first().textContent()).toContain('Runs default:myWorkflow version')
    expect(await note.count()).toBe(0)
  })
})
