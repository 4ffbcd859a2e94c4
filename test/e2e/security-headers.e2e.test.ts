// The Content-Security-Policy (#9.4 item 3) must not break what it protects: every page of the UI and
// Swagger UI work under it with no violation reported, and another site cannot frame the UI.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { resolve } from 'node:path'
import type { ConsoleMessage, Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { SHOTS, apiLogin, browserSuite, type Served } from './support'

const suite = browserSuite({ width: 1300, height: 860 })
let served: Served
let page: Page
const violations: string[] = []
const consoleErrors: string[] = []

beforeAll(async () => {
  ;({ served, page } = suite)
  // securitypolicyviolation events are what the browser raises for each blocked load, inline style or eval
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      const w = window as unknown as { __csp?: string[] }
      ;(w.__csp ??= []).push(`${e.violatedDirective} ${e.blockedURI}`)
    })
  })
  page.on('console', (m: ConsoleMessage) => {
    if (m.type() === 'error') consoleErrors.push(m.text())
  })
  const token = await apiLogin(served.url)
  const post = (path: string, body: string, type = 'application/json') =>
    fetch(`${served.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': type }, body })
  await post('/api/v1/jobs', JSON.stringify({ type: 'script', language: 'sql', code: 'select 1 as x' }))
  await post(
    '/flow/bg/manage/descriptor/add_descriptor.json?business_id=csp&feature_name=demo&alias=release',
    'workspace: csp\ndagName: demo\ntype: flow\ntasks:\n  - {category: pass, name: a, next: b}\n  - {category: pass, name: b}\n',
    'text/plain',
  )
})

const reported = async (): Promise<string[]> => [...((await page.evaluate(() => (window as unknown as { __csp?: string[] }).__csp)) ?? [])]
const cspConsole = () => consoleErrors.filter((t) => /Content Security Policy|Refused to/i.test(t))

describe('the UI and Swagger UI under the Content-Security-Policy', () => {
  it('every page of the UI renders with no CSP violation', async () => {
    await page.goto(served.url)
    await page.getByLabel('Password').fill('73@TuGraph')
    await page.getByRole('button', { name: 'Sign in' }).click()
    const nav = page.getByRole('navigation', { name: 'main' })
    for (const name of ['Jobs', 'Scripts', 'Workflows', 'Settings']) {
      await nav.getByRole('button', { name }).click()
      await page.getByRole('heading', { name }).first().waitFor()
      violations.push(...(await reported()))
    }
    // the editor (CodeMirror adds <style> at run time) and the DAG (React Flow) are the likeliest to trip a CSP
    await nav.getByRole('button', { name: 'Scripts' }).click()
    await page.getByTestId('script-editor').click()
    await page.keyboard.insertText('select 2 as y')
    await expect.poll(() => page.getByTestId('script-editor').textContent()).toContain('select 2 as y')
    await nav.getByRole('button', { name: 'Workflows' }).click()
    await page.getByTestId('wf-item-csp:demo').click()
    await expect.poll(() => page.locator('.react-flow__node').count()).toBe(2)
    await page.screenshot({ path: resolve(SHOTS, 'csp-workflows.png') })
    violations.push(...(await reported()))
    expect(violations).toEqual([])
    expect(cspConsole()).toEqual([])
  })

  it('Swagger UI renders the API and tries a call with no CSP violation', async () => {
    await page.goto(`${served.url}/swagger-ui.html`)
    await page.getByText('JobDesk API').first().waitFor()
    const health = page.locator('.opblock-summary-path', { hasText: '/api/v1/health' }).first()
    // Swagger UI renders operations as they scroll into view; the system tag comes after a dozen others
    await page.mouse.move(400, 400)
    for (let i = 0; i < 100 && (await health.count()) === 0; i++) {
      await page.mouse.wheel(0, 500)
      await page.waitForTimeout(100)
    }
    await health.scrollIntoViewIfNeeded()
    await health.click()
    await page.getByRole('button', { name: 'Try it out' }).first().click()
    await page.getByRole('button', { name: 'Execute' }).first().click()
    await page.locator('.responses-table .response-col_status', { hasText: '401' }).first().waitFor()
    await page.screenshot({ path: resolve(SHOTS, 'csp-swagger.png') })
    expect(await reported()).toEqual([])
    expect(cspConsole()).toEqual([])
  })

  it('another site cannot frame the UI (frame-ancestors, X-Frame-Options)', async () => {
    // the attacker's page, on another origin of this machine (so no private-network rule interferes)
    const attacker = createServer((_req, res) => res.end(`<iframe src="${served.url}/" width="600" height="400"></iframe>`))
    await new Promise<void>((ok) => attacker.listen(0, 'localhost', ok))
    try {
      await page.goto(`http://localhost:${(attacker.address() as AddressInfo).port}/`)
      const frame = page.frames().find((f) => f !== page.mainFrame())!
      // Chromium replaces a refused frame by its error page; an allowed one would show the sign-in form
      await expect.poll(() => frame.url(), { timeout: 10_000 }).toMatch(/^chrome-error:/)
      expect(await frame.locator('text=Sign in').count()).toBe(0)
    } finally {
      attacker.close()
    }
  })
})
