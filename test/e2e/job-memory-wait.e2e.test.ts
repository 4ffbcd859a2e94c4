// A running job that waits for the SQL memory budget says so on the Jobs page (#9, sqlwait): a SQL
// job past the budget (executors/sql-memory.ts) stayed "running" with a "working…" bar and nothing
// saying why; only its log did. Now the running badge, in the list and the detail, carries its
// waitingReason as its title, its bar reads "waiting…", and the detail has the "Waiting" fact, until
// its process starts.
// The app runs in this process (startApp on the built renderer), its budget one SQL job's limit, so
// two SQL jobs show it: serve has no option for the budget, and half this machine's memory would take
// a dozen busy SQL processes. FAILS before: no job-waiting fact and no title on a running badge.
import { existsSync, rmSync } from 'node:fs'
import { resolve } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startApp, type JobDeskApp } from '../../electron/app'
import { SQL_JOB_MEMORY_BYTES } from '../../electron/executors/scratch-limit'
import { ENDLESS, SECOND_ENDLESS } from '../support/sql-processes'
import { tempDir } from '../support/temp-store'
import { launchChromium } from './chromium'
import { api, apiLogin, poll, SHOTS, signIn } from './support'

const RENDERER = resolve(__dirname, '../../out/renderer')
let app: JobDeskApp
let dir: string
let browser: Browser
let token: string
const live: number[] = []

beforeAll(async () => {
  if (!existsSync(resolve(RENDERER, 'index.html'))) throw new Error('out/renderer is missing: run `npx electron-vite build` first')
  dir = tempDir()
  app = await startApp({ dataDir: dir, host: '127.0.0.1', port: 0, concurrency: 4, staticDir: RENDERER, sqlMemoryBudgetBytes: SQL_JOB_MEMORY_BYTES })
  token = await apiLogin(app.url)
  browser = await launchChromium()
})
afterAll(async () => {
  for (const id of live) await api(app.url, token, 'POST', `/api/v1/jobs/${id}/cancel`).catch(() => undefined)
  await browser?.close()
  await app?.close()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

async function submitSql(code: string): Promise<number> {
  const made = await api(app.url, token, 'POST', '/api/v1/jobs', { type: 'script', language: 'sql', code })
  expect(made.id, JSON.stringify(made)).toBeTypeOf('number')
  live.push(made.id)
  return made.id
}
const reasonOf = async (id: number): Promise<string | null> => (await api(app.url, token, 'GET', `/api/v1/jobs/${id}`)).waitingReason

describe('Jobs page: why a running job waits for memory', () => {
  it('shows the reason as the running badge’s title and the detail’s Waiting line, and drops it once the job runs', async () => {
    const first = await submitSql(ENDLESS)
    const waiting = await submitSql(SECOND_ENDLESS)
    await poll(() => reasonOf(waiting)).toMatch(/^waiting for memory: /)
    const reason = 'waiting for memory: 1 SQL job holds 1 GiB of the 1 GiB budget and this one needs 1 GiB; it starts when one ends'
    expect(await reasonOf(waiting)).toBe(reason)

    const p: Page = await browser.newPage({ viewport: { width: 1400, height: 860 } })
    try {
      await p.addInitScript(() => sessionStorage.setItem('jobdesk.passwordPrompt.skipped', 'admin'))
      await signIn(p, app.url)
      await p.getByRole('heading', { name: 'Jobs' }).waitFor()
      const badge = p.locator(`tr[data-job-id="${waiting}"] .badge-running`)
      await poll(() => badge.getAttribute('title')).toBe(reason)
      // its bar reads "waiting…", not "working…"; the first job's works, and says no reason
      expect(await p.locator(`tr[data-job-id="${waiting}"] .progress-label`).textContent()).toBe('waiting…')
      expect(await p.locator(`tr[data-job-id="${first}"] .badge-running`).getAttribute('title')).toBeNull()
      expect(await p.locator(`tr[data-job-id="${first}"] .progress-label`).textContent()).toBe('working…')
      await p.locator(`tr[data-job-id="${waiting}"]`).click()
      const detail = p.getByRole('complementary', { name: 'job detail' })
      await poll(() => detail.getByTestId('job-waiting').textContent()).toBe(reason)
      expect(await detail.locator('.detail-meta .badge-running').getAttribute('title')).toBe(reason)
      await p.screenshot({ path: resolve(SHOTS, 'job-memory-wait.png') })
      // the first ends: the waiting one's process starts, and the detail says no more that it waits
      await api(app.url, token, 'POST', `/api/v1/jobs/${first}/cancel`)
      await poll(() => reasonOf(waiting)).toBeNull()
      await expect.poll(() => detail.getByTestId('job-waiting').count(), { timeout: 15_000 }).toBe(0)
      expect(await detail.locator('.detail-meta .badge-running').getAttribute('title')).toBeNull()
      expect(await detail.locator('.detail-meta .progress-label').textContent()).not.toBe('waiting…')
    } finally {
      await p.close()
    }
  }, 90_000)
})
