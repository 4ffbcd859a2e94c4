// A user whose jobs keep their quota of result rows (shared/quotas.ts MAX_KEPT_BYTES_PER_USER, 2 GiB:
// atk13) presses Run on the Scripts page: the page says why nothing ran and what to do, in the
// server's words as the other quotas' refusals show; once she deletes a job, Run runs again. The Workflows
// page says it beside Submit.
import Database from 'better-sqlite3'
import { join, resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { onePassFlow } from './flows'
import { SHOTS, api, browserSuite, chooseLanguage, newUserAtLogin, poll, typeScript, type BrowserSuite, type Served, mainNav } from './support'

vi.setConfig({ testTimeout: 120_000 })

const suite: BrowserSuite = browserSuite({ width: 1280, height: 800 }, { signedIn: true })
let served: Served
beforeAll(() => ({ served } = suite))

/** A new user `name` signed in on a page of their own, past the forced change of password: the page and their token. */
async function newUser(name: string): Promise<{ p: Page; userToken: string }> {
  const p = await newUserAtLogin(suite, name, `${name}-first-pass`, { width: 1280, height: 800 })
  const form = p.getByRole('form', { name: 'change password' })
  await form.getByLabel('Current password').fill(`${name}-first-pass`)
  await form.getByLabel('New password (at least 8 characters)').fill(`${name}-own-password`)
  await form.getByLabel('Repeat the new password').fill(`${name}-own-password`)
  await form.getByRole('button', { name: 'Change password' }).click()
  await p.getByRole('heading', { name: 'Jobs' }).waitFor()
  return { p, userToken: (await p.evaluate(() => localStorage.getItem('jobdesk.token')))! }
}

/**
 * A finished job of `submitter` whose one result set counts `bytes` of rows, written into the served
 * store beside the server (its rows are not written: the quota reads the sets' byte_size), as a
 * sparse file stands for 20 GiB of uploads in trial12-limits; its id.
 */
function keptResults(submitter: string, bytes: number): number {
  const db = new Database(join(served.dataDir, 'jobdesk.db'))
  try {
    db.pragma('busy_timeout = 10000')
    const now = Date.now()
    const id = Number(
      db
        .prepare("INSERT INTO jobs (uuid, kind, name, status, submitter, created_at, updated_at, finished_at) VALUES (?, 'script', 'big results', 'succeeded', ?, ?, ?, ?)")
        .run(`kept-${now}`, submitter, now, now, now).lastInsertRowid,
    )
    db.prepare("INSERT INTO result_sets (job_id, task_id, idx, kind, columns, row_count, state, byte_size) VALUES (?, NULL, 0, 'table', '[]', 0, 'complete', ?)").run(id, bytes)
    return id
  } finally {
    db.close()
  }
}

describe("a user at her quota of result rows", () => {
  it('is told on the Scripts page why Run ran nothing, and runs again once she deletes a job', async () => {
    const { p: vera, userToken } = await newUser('vera')
    try {
      const big = keptResults('vera', 2 * 1024 ** 3)
      await mainNav(vera, 'Scripts')
      await chooseLanguage(vera, 'SQL')
      await typeScript(vera, 'select 1 as one;')
      await vera.getByRole('button', { name: 'Run script' }).click()
      const refusal = vera.getByTestId('script-form-error')
      await refusal.waitFor()
      expect(await refusal.textContent()).toBe("User vera's jobs keep 2 GiB (result rows, code, logs and task values), and a user's jobs keep at most 2 GiB: delete some finished jobs before running more.")
      expect(await vera.getByTestId('run-status').count()).toBe(0) // nothing ran
      await vera.screenshot({ path: resolve(SHOTS, 'result-quota-refused.png') })

      expect(await api(served.url, userToken, 'DELETE', `/api/v1/jobs/${big}`)).toMatchObject({ deleted: true })
      await vera.getByRole('button', { name: 'Run script' }).click()
      await poll(() => vera.getByTestId('run-status').getAttribute('data-status')).toBe('succeeded')
      expect(await refusal.count()).toBe(0)
    } finally {
      await vera.close()
    }
  })

  it('is told beside Submit on the Workflows page why Submit ran nothing, and the note goes once a run starts', async () => {
    const { p: wes, userToken } = await newUser('wes')
    try {
      expect((await api(served.url, userToken, 'POST', '/api/v1/workflows', { text: onePassFlow('wes', 'quick') })).descriptorId).toBeTruthy()
      const big = keptResults('wes', 2 * 1024 ** 3)
      await mainNav(wes, 'Workflows')
      await wes.getByTestId('wf-item-wes:quick').click()
      const run = wes.getByRole('complementary', { name: 'run panel' })
      await run.getByRole('button', { name: 'Submit' }).click()
      // was: above the editor, away from the button pressed
      const refusal = run.getByTestId('wf-submit-error')
      await refusal.waitFor()
      expect(await refusal.textContent()).toContain("a user's jobs keep at most 2 GiB")
      expect(await wes.locator('.wf-error').count()).toBe(0)
      await wes.screenshot({ path: resolve(SHOTS, 'workflow-submit-refused.png') })

      expect(await api(served.url, userToken, 'DELETE', `/api/v1/jobs/${big}`)).toMatchObject({ deleted: true })
      await run.getByRole('button', { name: 'Submit' }).click()
      await poll(() => refusal.count()).toBe(0)
      await poll(() => wes.getByTestId('execution-status').count()).toBeGreaterThan(0)
    } finally {
      await wes.close()
    }
  })
})
