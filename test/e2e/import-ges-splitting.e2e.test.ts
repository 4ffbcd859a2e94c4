// #9 §4: while a GES import-graph split the user's files (before it imports a line) the Imports page read
// "0 imported · 0 failed · 0 rows/s · 0 B of 0 B" and the Jobs page's detail said nothing of the import.
// Both now say how far the split is: "splitting: 12.3 MiB of 70.1 MiB, file big/people.csv".
import { mkdirSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { SHOTS, api, browserSuite, mainNav, type Served } from './support'
import { gesToken } from '../ges/support'
import { GES_USER_SCHEMA, writeBigVertexFile } from '../ges/split-files'
import { SPLIT_SHARE } from '../../electron/graph/ges/ges-report'

const suite = browserSuite({ width: 1280, height: 800 }, { signedIn: true })
let served: Served
let page: Page
beforeAll(() => ({ served, page } = suite))

/** What a poll of the page waits for the split: longer than the default poll, as a loaded machine splits slowly. */
const SPLIT_WAIT = { timeout: 60_000, intervals: [100] }

describe('a GES import while it splits its files', () => {
  it('shows the bytes split of all and the file in the Jobs page’s detail and on the Imports page, not "0 B of 0 B"', async () => {
    await api(served.url, suite.token, 'POST', '/api/v1/graphs', { graph: 'gessplit' })
    // written straight into the served data folder: an upload of ~90 MB would take longer than the test
    const dir = join(served.dataDir, 'upload_files/admin/big')
    mkdirSync(dir, { recursive: true })
    writeFileSync(join(dir, 'schema.xml'), GES_USER_SCHEMA)
    writeBigVertexFile(join(dir, 'people.csv'), 3_000_000)
    const token = await gesToken(served.url)
    const res = await fetch(`${served.url}/v2/p1/graphs/gessplit/import-graph`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-auth-token': token }, body: JSON.stringify({ schema_path: 'big/schema.xml', vertexset_path: 'big/people.csv' }) })
    const uuid = ((await res.json()) as { job_id: string }).job_id
    const job = (await api(served.url, suite.token, 'GET', '/api/v1/jobs?limit=20')).items.find((j: { uuid: string }) => j.uuid === uuid)
    try {
      await mainNav(page, 'Jobs')
      const row = page.locator(`tr[data-job-id="${job.id}"]`)
      await row.waitFor()
      await row.click()
      const facts = page.getByTestId('import-facts')
      await expect.poll(() => facts.textContent(), SPLIT_WAIT).toMatch(/^splitting: [\d.,]+ (B|KiB|MiB) of [\d.]+ MiB, file big\/people\.csv · into gessplit$/)
      await page.screenshot({ path: resolve(SHOTS, 'import-ges-splitting-job.png') })
      await page.getByRole('button', { name: 'Open in Imports (report)' }).click()
      const figures = page.getByTestId('import-figures')
      await expect.poll(() => figures.textContent(), SPLIT_WAIT).toMatch(/^splitting: [\d.,]+ (B|KiB|MiB) of [\d.]+ MiB, file big\/people\.csv · Job #\d+/)
      expect(await figures.textContent()).not.toMatch(/0 B of 0 B/)
      // the bar moves with the split, within its share of the job
      const pct = Number(await page.getByRole('progressbar', { name: 'import progress' }).getAttribute('aria-valuenow'))
      expect(pct).toBeGreaterThanOrEqual(0)
      expect(pct).toBeLessThanOrEqual(Math.round(SPLIT_SHARE * 100))
      await page.screenshot({ path: resolve(SHOTS, 'import-ges-splitting.png') })
    } finally {
      await api(served.url, suite.token, 'POST', `/api/v1/jobs/${job.id}/cancel`)
    }
  }, 180_000)
})
