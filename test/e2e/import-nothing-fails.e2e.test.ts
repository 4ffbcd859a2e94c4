// An import whose every line failed imported nothing: it read "succeeded ⚠" on the Jobs page (#9 LOW,
// lows #1). It fails now, saying why: "failed" in the list, "Failed: … nothing was imported: …" in the
// detail; an import that imported some lines succeeds (test/graph/import-nothing-fails.test.ts).
import { resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { SHOTS, api, browserSuite, poll, uploadFile, type Served } from './support'

const suite = browserSuite({ width: 1400, height: 860 }, { signedIn: true })
let served: Served
let page: Page
beforeAll(() => ({ served, page } = suite))

const uploaded = (path: string, text: string) => uploadFile(served.url, suite.token, path, text)

/** Imports `path` into graph `g` (label person: id INT64, name), skipping lines that fail; its job id once it has ended `end`. */
async function imported(g: string, path: string, end: 'succeeded' | 'failed'): Promise<number> {
  const start = await api(served.url, suite.token, 'POST', '/api/v1/imports', { graph: g, files: [{ path, format: 'CSV', label: 'person', columns: ['id', 'name'] }], continueOnError: true })
  expect(start.jobId, JSON.stringify(start)).toBeGreaterThan(0)
  await poll(async () => (await api(served.url, suite.token, 'GET', `/api/v1/jobs/${start.jobId}`)).status).toBe(end)
  return start.jobId
}

describe('an import of nothing on the Jobs page', () => {
  it('reads "failed" in the list, and why in the detail; one that imported reads "succeeded"', async () => {
    await api(served.url, suite.token, 'POST', '/api/v1/graphs', { graph: 'nothingg' })
    await api(served.url, suite.token, 'POST', '/api/v1/graphs/nothingg/schema', { schema: [{ label: 'person', type: 'VERTEX', primary: 'id', properties: [{ name: 'id', type: 'INT64' }, { name: 'name', type: 'STRING' }] }] })
    await uploaded('nothing_people.csv', 'x,Ann\ny,Bo\nz,Cid\n')
    await uploaded('some_people.csv', '1,Ann\n')
    const nothing = await imported('nothingg', 'nothing_people.csv', 'failed')
    const some = await imported('nothingg', 'some_people.csv', 'succeeded')

    await page.getByRole('navigation', { name: 'main' }).getByRole('button', { name: 'Jobs', exact: true }).click()
    const row = (id: number) => page.locator(`tr[data-job-id="${id}"]`)
    await row(nothing).waitFor()
    await poll(() => row(nothing).locator('[data-status]').first().getAttribute('data-status')).toBe('failed')
    expect(await row(nothing).getByTestId('job-warning').count()).toBe(0) // no "succeeded ⚠"
    expect(await row(some).locator('[data-status]').first().getAttribute('data-status')).toBe('succeeded')

    await row(nothing).click()
    const detail = page.getByRole('complementary', { name: 'job detail' })
    await poll(() => detail.getByTestId('job-headline').textContent()).toMatch(/^Failed: task import: nothing was imported: all 3 data lines failed \(first: nothing_people\.csv line 1: /)
    await page.screenshot({ path: resolve(SHOTS, 'import-nothing-fails.png') })
  })
})
