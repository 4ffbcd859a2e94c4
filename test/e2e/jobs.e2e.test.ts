import { resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { SHOTS, apiLogin, browserSuite, poll, type Served, mainNav } from './support'

const suite = browserSuite({ width: 1400, height: 860 })
let served: Served
let page: Page
beforeAll(() => ({ served, page } = suite))

describe('Jobs page in Chromium against `serve`', () => {
  it('signs in, shows a job submitted through the API turn succeeded, and opens its log', async () => {
    await page.goto(served.url)
    await page.getByLabel('Password').fill('73@TuGraph')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByRole('heading', { name: 'Jobs' }).waitFor()
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('default password')

    const token = await apiLogin(served.url)
    const res = await fetch(`${served.url}/api/v1/jobs`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'script', language: 'shell', code: 'echo hello from e2e; sleep 1; echo finished' }),
    })
    const { id } = (await res.json()) as { id: number }

    const row = page.locator(`tr[data-job-id="${id}"]`)
    await row.waitFor() // pushed over server-sent events, no reload
    await expect.poll(() => row.locator('[data-status]').getAttribute('data-status'), { timeout: 10_000 }).toBe('succeeded')
    await expect.poll(() => row.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('100')

    await row.click()
    const log = page.getByLabel('job log')
    await expect.poll(() => log.textContent()).toContain('hello from e2e')
    expect(await log.textContent()).toContain('finished')
    expect(await page.getByLabel('job detail').locator('tr[data-task="main"] [data-status]').getAttribute('data-status')).toBe('succeeded')
    await page.screenshot({ path: resolve(SHOTS, 'jobs-page.png') })

    // the job opens on the Scripts page, with its output as a result
    await page.getByRole('button', { name: 'Open in Scripts (results)' }).click()
    await expect.poll(() => page.getByTestId('run-status').getAttribute('data-status'), { timeout: 10_000 }).toBe('succeeded')
    await mainNav(page, 'Jobs')
  })

  it('asks for a new shell job in a dialog: the command field has the focus, Esc and the backdrop close it (#13.4)', async () => {
    const dialog = page.getByRole('dialog', { name: 'new shell job' })
    await page.getByRole('button', { name: 'New shell job' }).click()
    await dialog.waitFor()
    expect(await page.evaluate(() => document.activeElement?.closest('label')?.textContent?.trim().startsWith('Shell command'))).toBe(true)
    await page.keyboard.press('Escape')
    await poll(() => dialog.count()).toBe(0)
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('New shell job') // focus back where it was
    await page.getByRole('button', { name: 'New shell job' }).click()
    await dialog.waitFor()
    await page.mouse.click(10, 10) // the backdrop, over the sidebar
    await poll(() => dialog.count()).toBe(0)
    // a drag from inside to the backdrop (selecting the command's text) keeps it open
    await page.getByRole('button', { name: 'New shell job' }).click()
    const box = (await dialog.getByLabel('Shell command').boundingBox())!
    await page.mouse.move(box.x + 20, box.y + 10)
    await page.mouse.down()
    await page.mouse.move(10, 10)
    await page.mouse.up()
    expect(await dialog.isVisible()).toBe(true)
    await page.screenshot({ path: resolve(SHOTS, 'jobs-new-dialog.png') })
    await dialog.getByRole('button', { name: 'Close' }).click()
    await poll(() => dialog.count()).toBe(0)
  })

  it('cancels a running job from the detail panel', async () => {
    await page.getByRole('button', { name: 'New shell job' }).click()
    await page.getByLabel('Shell command').fill('echo waiting; sleep 300')
    await page.getByRole('button', { name: 'Run', exact: true }).click()
    const detail = page.getByLabel('job detail')
    await expect.poll(() => detail.locator('.detail-meta [data-status]').getAttribute('data-status'), { timeout: 10_000 }).toBe('running')
    // the shell has printed before it is cancelled: running comes at its spawn, and on a loaded machine
    // a cancel right then could end it before its echo (failed so at load 13-16)
    await poll(() => page.getByLabel('job log').textContent()).toContain('waiting')
    await detail.getByRole('button', { name: 'Cancel' }).click()
    await expect.poll(() => detail.locator('.detail-meta [data-status]').getAttribute('data-status'), { timeout: 5000 }).toBe('cancelled')
    await expect.poll(() => page.getByLabel('job log').textContent()).toContain('waiting')
    await page.screenshot({ path: resolve(SHOTS, 'jobs-cancelled.png') })
  })
})
