// What the trial13 new-user tour found in the browser, each failing before its fix: a user without
// the scripts right saw Python and Shell greyed out with the reason only in a hover tooltip.
import { resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { SHOTS, browserSuite, newUserAtLogin, type BrowserSuite, type Served } from './support'

vi.setConfig({ testTimeout: 120_000 })

const suite: BrowserSuite = browserSuite({ width: 1400, height: 860 }, { signedIn: true })
let served: Served
let page: Page
beforeAll(() => ({ served, page } = suite))

describe('trial13: a new user’s day', () => {
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
      await p.getByRole('navigation', { name: 'main' }).getByRole('button', { name: 'Scripts' }).click()
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
})
