// An import whose every line failed ends "succeeded" (as TuGraph's does); the Imports page said
// "nothing imported", but the Jobs page showed a plain success in its list and detail (#9 LOW,
// newuser). Now both show the job's warning beside its state; an import that imported shows none.
import { resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { SHOTS, api, browserSuite, poll, type Served } from './support'

const suite = browserSuite({ width: 1400, height: 860 }, { signedIn: true })
let served: Served
let page: Page
beforeAll(() => ({ served, page } = suite))

async function uploaded(path: string, text: string): Promise<void> {
  const res = await fetch(`${served.url}/api/v1/files/upload?path=${encodeURIComponent(path)}&offset=0&replace=true`, {
    method: 'POST',
    headers: { authorization: `Bearer ${suite.token}`, 'content-type': 'application/octet-stream' },
    body: text,
  })
  expect(res.status, await res.clone().text()).toBeLessThan(300)
}

/** Imports `path` into graph `g` (label person: id INT64, name), skipping lines that fail; its job id once it has ended. */
async function imported(g: string, path: string): Promise<number> {
  const start = await api(served.url, suite.token, 'POST', '/api/v1/imports', { graph: g, files: [{ path, format: 'CSV', label: 'person', columns: ['id', 'name'] }], continueOnError: true })
  expect(start.jobId, JSON.stringify(start)).toBeGreaterThan(0)
  await poll(async () => (await api(served.url, suite.token, 'GET', `/api/v1/jobs/${start.jobId}`)).status).toBe('succeeded')
  return start.jobId
}

describe('an import of nothing on the Jobs page', () => {
  it('shows "nothing was imported" beside "succeeded" in the list and the detail', async () => {
    await api(served.url, suite.token, 'POST', '/api/v1/graphs', { graph: 'nothingg' })
    await api(served.url, suite.token, 'POST', '/api/v1/graphs/nothingg/schema', { schema: [{ label: 'person', type: 'VERTEX', primary: 'id', properties: [{ name: 'id', type: 'INT64' }, { name: 'name', type: 'STRING' }] }] })
    await uploaded('nothing_people.csv', 'x,Ann\ny,Bo\nz,Cid\n')
    await uploaded('some_people.csv', '1,Ann\n')
    const nothing = await imported('nothingg', 'nothing_people.csv')
    const some = await imported('nothingg', 'some_people.csv')

    await page.getByRole('navigation', { name: 'main' }).getByRole('button', { name: 'Jobs', exact: true }).click()
    const row = (id: number) => page.locator(`tr[data-job-id="${id}"]`)
    await row(nothing).waitFor()
    await poll(() => row(nothing).getByTestId('job-warning').textContent()).toBe('⚠ nothing was imported')
    expect(await row(nothing).locator('[data-status]').first().getAttribute('data-status')).toBe('succeeded')
    expect(await row(nothing).getByTestId('job-warning').getAttribute('title')).toMatch(/^nothing was imported: all 3 data lines failed \(first: nothing_people\.csv line 1: /)
    expect(await row(some).getByTestId('job-warning').count()).toBe(0)

    await row(nothing).click()
    const detail = page.getByRole('complementary', { name: 'job detail' })
    await poll(() => detail.getByTestId('job-warning').textContent()).toBe('⚠ nothing was imported')
    await page.screenshot({ path: resolve(SHOTS, 'import-nothing-jobs.png') })
  })
})
