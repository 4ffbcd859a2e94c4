// #9 leftovers: a GES import waiting for another import into its graph (after its split) had no live
// figures, and the Imports page read "0 imported · 0 failed · 0 rows/s · 0 B of 0 B". It now says what
// it waits for, with its split's figures: "waiting for the import running into g to end; 57.4 KiB of 57.4 KiB split".
// Cancelled there, it ends at once, while the import it waited for runs on.
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

/** What a poll waits for a phase: longer than the default poll, as a loaded machine splits and imports slowly. */
const PHASE_WAIT = { timeout: 90_000, intervals: [100] }

describe('a GES import waiting for another import into its graph', () => {
  it('says on the Imports page what it waits for, with its split’s figures, not "0 B of 0 B", and a cancel there ends it at once', async () => {
    await api(served.url, suite.token, 'POST', '/api/v1/graphs', { graph: 'geswait' })
    // written straight into the served data folder: an upload of ~32 MB would take longer than the test
    // the first big enough to import on past the UI's steps (1,000,000 lines had ended before the cancel
    // in a clean-clone run, at low load); it is cancelled at the end, so its size costs only its writing
    for (const [name, lines] of [['first', 3_000_000], ['second', 2_000]] as const) {
      const dir = join(served.dataDir, 'upload_files/admin', name)
      mkdirSync(dir, { recursive: true })
      writeFileSync(join(dir, 'schema.xml'), GES_USER_SCHEMA)
      writeBigVertexFile(join(dir, 'people.csv'), lines)
    }
    const token = await gesToken(served.url)
    const start = async (name: string): Promise<string> => {
      const res = await fetch(`${served.url}/v2/p1/graphs/geswait/import-graph`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-auth-token': token }, body: JSON.stringify({ schema_path: `${name}/schema.xml`, vertexset_path: `${name}/people.csv` }) })
      return ((await res.json()) as { job_id: string }).job_id
    }
    const first = await start('first')
    // the second waits once the first holds the graph's turn, that is once it imports
    await expect.poll(async () => (await api(served.url, suite.token, 'GET', `/api/v1/imports/${first}`)).live?.phase ?? null, PHASE_WAIT).toBe('importing')
    const second = await start('second')
    const jobs = (await api(served.url, suite.token, 'GET', '/api/v1/jobs?limit=20')).items as { id: number; uuid: string }[]
    const [firstJob, secondJob] = [first, second].map((uuid) => jobs.find((j) => j.uuid === uuid)!)
    try {
      await mainNav(page, 'Jobs')
      const row = page.locator(`tr[data-job-id="${secondJob.id}"]`)
      await row.waitFor()
      await row.click()
      const facts = page.getByTestId('import-facts')
      await expect.poll(() => facts.textContent(), PHASE_WAIT).toMatch(/^waiting for the import running into geswait to end; [\d.]+ KiB of [\d.]+ KiB split · into geswait$/)
      await page.getByRole('button', { name: 'Open in Imports (report)' }).click()
      const figures = page.getByTestId('import-figures')
      await expect.poll(() => figures.textContent(), PHASE_WAIT).toMatch(/^waiting for the import running into geswait to end; ([\d.]+ KiB) of \1 split · Job #\d+/)
      expect(await figures.textContent()).not.toMatch(/0 B of 0 B/)
      // the split is done: the bar stands at its share
      expect(Number(await page.getByRole('progressbar', { name: 'import progress' }).getAttribute('aria-valuenow'))).toBe(Math.round(SPLIT_SHARE * 100))
      await page.screenshot({ path: resolve(SHOTS, 'import-ges-waiting.png') })
      // cancelled here while it waits, it ends at once, not once the first import has ended (it read
      // "Cancelling" until then): at 0%, nothing imported, the first still importing
      const progress = page.getByTestId('import-progress')
      await progress.getByRole('button', { name: 'Cancel' }).click()
      await expect.poll(() => progress.locator('[data-status]').getAttribute('data-status'), { timeout: 10_000, interval: 100 }).toBe('cancelled')
      expect(Number(await page.getByRole('progressbar', { name: 'import progress' }).getAttribute('aria-valuenow'))).toBe(0)
      expect(await api(served.url, suite.token, 'GET', `/api/v1/imports/${first}`)).toMatchObject({ status: 'running', live: { phase: 'importing' } })
      await page.screenshot({ path: resolve(SHOTS, 'import-ges-waiting-cancelled.png') })
    } finally {
      await api(served.url, suite.token, 'POST', `/api/v1/jobs/${secondJob.id}/cancel`)
      await api(served.url, suite.token, 'POST', `/api/v1/jobs/${firstJob.id}/cancel`)
    }
  }, 240_000)
})
