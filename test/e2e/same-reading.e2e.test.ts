// Found by a new-user trial of #13 (trial3): one run and one moment read the same on every page.
// A task a failed run never reached is "not run" in the job detail as on the graph; times have one format.
import { resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { SHOTS, api, browserSuite, poll, type Served } from './support'
import { runFailingFlow } from './flows'


const suite = browserSuite({ width: 1280, height: 800 }, { signedIn: true })
let served: Served
let page: Page
let token: string
beforeAll(() => ({ served, page, token } = suite))

describe('a run reads the same on Workflows and Jobs', () => {
  it('the job detail calls the tasks a failure stopped "not run", as the workflow graph does, not "pending" (#13.3)', async () => {
    const { descriptorId, jobId } = await runFailingFlow(served, token)
    // the Workflows graph says "not run" for the tasks after the failed one
    await page.goto(`${served.url}/#/workflows/${encodeURIComponent(descriptorId)}?execution=${jobId}`)
    await poll(() => page.getByTestId('wf-node-after').getAttribute('data-status')).toBe('not_run')
    // the Jobs page's detail of the same run
    await page.goto(`${served.url}/#/jobs/${jobId}`)
    const taskRow = (name: string) => page.locator('tr').filter({ has: page.locator('td', { hasText: new RegExp(`^${name}$`) }) })
    await taskRow('boom').waitFor()
    await page.screenshot({ path: resolve(SHOTS, 'trial3-job-detail-not-run.png') })
    for (const name of ['after', 'last']) {
      const text = (await taskRow(name).innerText()).replace(/\s+/g, ' ')
      expect(text, `task ${name} in the job detail`).not.toMatch(/pending/)
      expect(text, `task ${name} in the job detail`).toMatch(/not run/)
    }
  })
})

describe('one date format', () => {
  it('Settings → Users writes "Last seen" as the job detail writes its times (24 h, month name), not 12/1/2026, 12:19:28 AM (#13.6)', async () => {
    const { id } = await api(served.url, token, 'POST', '/api/v1/jobs', { type: 'script', language: 'sql', code: 'select 1;' })
    await page.goto(`${served.url}/#/jobs/${id}`)
    const timeAfter = async (label: string) => new RegExp(`${label}\\s*\\n\\s*(.+)`).exec(await page.locator('body').innerText())?.[1]?.trim() ?? ''
    await poll(() => timeAfter('Submitted')).toMatch(/\d{2}:\d{2}:\d{2}$/)
    const jobTime = await timeAfter('Submitted') // e.g. "Dec 1, 2026, 00:16:01"
    await page.goto(`${served.url}/#/settings`)
    await page.getByRole('heading', { name: 'Users', exact: true }).scrollIntoViewIfNeeded()
    await page.screenshot({ path: resolve(SHOTS, 'trial3-users-last-seen.png') })
    const users = await page.locator('table').filter({ hasText: 'Last seen' }).innerText()
    const lastSeen = /\d{1,2}\/\d{1,2}\/\d{4}, [^\t\n]*|[A-Z][a-z]{2} \d{1,2}, \d{4}, [^\t\n]*/.exec(users)?.[0]?.trim() ?? ''
    const shape = (t: string) => t.replace(/^[A-Z][a-z]{2} \d{1,2},/, 'Mon D,').replace(/\d/g, '9')
    expect(shape(lastSeen), `Last seen "${lastSeen}" vs the job's "${jobTime}"`).toBe(shape(jobTime))
  })
})
