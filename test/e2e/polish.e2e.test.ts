// Polish (#13.6): favicon and app icon, the API docs linked from the UI, an indeterminate progress
// bar while a job reports no progress, a confirm-password field, and form errors in words.
import { resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { shellGate } from '../support/shell-gate'
import { SHOTS, api, apiLogin, browserSuite, poll, signIn, type Served } from './support'
import { createHttpTransport } from '../../renderer/src/api/http'
import type { ApiError } from '../../renderer/src/api/transport'

// the Jobs table keeps its Progress column beside the detail panel at 1200 px (fit-columns.ts)
const suite = browserSuite({ width: 1200, height: 800 })
let served: Served
let page: Page
let token: string
beforeAll(() => ({ served, page, token } = suite))

describe('polish', () => {
  it('serves a favicon and the app icon the page links to', async () => {
    await signIn(page, served.url)
    const icons = await page.locator('link[rel=icon]').evaluateAll((links) => links.map((l) => (l as HTMLLinkElement).href))
    expect(icons.map((h) => new URL(h).pathname)).toEqual(['/favicon.svg', '/icon.png'])
    for (const [path, type] of [['/favicon.svg', 'image/svg+xml'], ['/icon.png', 'image/png']]) {
      const res = await fetch(`${served.url}${path}`)
      expect(res.status, path).toBe(200)
      expect(res.headers.get('content-type')).toContain(type)
    }
  })

  it('links to the API docs', async () => {
    const link = page.getByRole('link', { name: 'API docs' })
    expect(await link.getAttribute('target')).toBe('_blank')
    const res = await fetch(new URL((await link.getAttribute('href'))!, served.url))
    expect(res.status).toBe(200)
    expect(await res.text()).toContain('swagger')
  })

  it('links to the API docs in the desktop app too, where the window learns the server’s URL over IPC', async () => {
    // The desktop window as Chromium can show it: the preload's bridge on `window.jobdesk`, its calls
    // carried to the served app (as main would dispatch them) and serverLink() answered as main does.
    const ctx = await suite.browser.newContext({ viewport: { width: 1200, height: 800 } })
    const desktop = await ctx.newPage()
    const http = createHttpTransport(served.url, token, () => undefined)
    let running = true
    await desktop.exposeFunction('__invoke', (name: never, params: never) =>
      http.send(name, params).then(
        (result) => ({ ok: true, result }),
        (e: ApiError) => ({ ok: false, error: e.body }),
      ),
    )
    await desktop.exposeFunction('__serverLink', () => ({ url: served.url, running }))
    await desktop.addInitScript(() => {
      const w = window as unknown as Record<string, (...a: unknown[]) => unknown>
      sessionStorage.setItem('jobdesk.passwordPrompt.skipped', 'admin')
      Object.assign(window, { jobdesk: { invoke: (n: string, p: unknown) => w.__invoke(n, p), onEvent: () => () => undefined, serverLink: () => w.__serverLink() } })
    })
    try {
      await desktop.goto(served.url)
      await desktop.getByRole('heading', { name: 'Jobs' }).waitFor()
      expect(await desktop.getByRole('button', { name: 'Sign out' }).count()).toBe(0) // the desktop transport: no sign-in
      const link = desktop.getByRole('link', { name: 'API docs' })
      await link.waitFor()
      expect(await link.getAttribute('href')).toBe(`${served.url}/swagger-ui.html`) // absolute: the window is not served by it
      expect(await link.getAttribute('title')).toContain('in your web browser')
      await desktop.screenshot({ path: resolve(SHOTS, 'api-docs-link-desktop.png') })
      // in Electron main's window-open handler sends this address to the system browser; here it is a popup
      const [docs] = await Promise.all([desktop.waitForEvent('popup'), link.click()])
      await docs.waitForLoadState()
      expect(new URL(docs.url()).pathname).toBe('/swagger-ui/')
      await docs.close()

      running = false // the server stopped (the app quitting): no link to a dead page
      await desktop.reload()
      await desktop.getByRole('heading', { name: 'Jobs' }).waitFor()
      await desktop.getByText('admin', { exact: true }).waitFor()
      expect(await desktop.getByRole('link', { name: 'API docs' }).count()).toBe(0)
    } finally {
      await ctx.close()
    }
  })

  it('shows an indeterminate bar while a job reports no progress, and the number once it ends', async () => {
    // it ends when the test lets it (a sleep of 4 s could end before a slow machine showed the bar)
    const go = shellGate(served.dataDir, 'polish-progress-go')
    const { id } = await api(served.url, token, 'POST', '/api/v1/jobs', { type: 'script', language: 'shell', code: go.wait })
    const bar = page.locator(`tr[data-job-id="${id}"]`).getByRole('progressbar')
    await poll(() => bar.getAttribute('aria-valuetext')).toBe('working, progress not known')
    expect(await bar.getAttribute('aria-valuenow')).toBeNull()
    expect(await bar.textContent()).toBe('working…')
    await page.screenshot({ path: resolve(SHOTS, 'progress-indeterminate.png') })
    go.open()
    await poll(() => bar.getAttribute('aria-valuenow')).toBe('100')
  })

  it('asks for the new password twice and says what is wrong in words', async () => {
    await page.goto(`${served.url}/#/settings`)
    const form = page.getByRole('form', { name: 'change password' })
    await form.getByLabel('Current password').fill('73@TuGraph')
    await form.getByLabel('New password (at least 8 characters)').fill('short')
    await form.getByRole('button', { name: 'Change password' }).click()
    await poll(() => form.locator('[data-field="newPassword"]').textContent()).toBe('The new password needs at least 8 characters.')
    await form.getByLabel('New password (at least 8 characters)').fill('a-long-password-1')
    await form.getByLabel('Repeat the new password').fill('a-long-password-2')
    await form.getByRole('button', { name: 'Change password' }).click()
    await poll(() => form.locator('[data-field="confirm"]').textContent()).toBe('The two passwords differ: type the same one twice.')
    expect(await form.getByLabel('Repeat the new password').getAttribute('aria-invalid')).toBe('true')
    await page.screenshot({ path: resolve(SHOTS, 'password-confirm.png') })
    // nothing was sent: the default password still works
    expect(await apiLogin(served.url)).toBeTruthy()
  })
})
