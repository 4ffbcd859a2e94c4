// #9 gesreport: a GES import-graph job opened on the Imports page (Jobs page → "Open in Imports
// (report)") blanked the whole window, "Cannot read properties of undefined (reading 'flatMap')": its
// status's report was the GES job's output ({ges, report}), not an import report, and the report table
// read `report.files`; a reload of #/imports/<id> stayed blank. The status now gives a GES import's
// report per GES file (`ges`) beside the import's own, the page shows the GES files (lines read,
// imported, failed, the cause), and an error boundary says what failed instead of a blank page.
// Also: a failed import that read nothing (progress 0) showed a full red bar on the Jobs page
// ("it reports no progress of its own") while the Imports page said 0%: one rule, 0% of its work done.
import { resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { SHOTS, api, browserSuite, mainNav, poll, uploadFile, type Served } from './support'
import { gesToken } from '../ges/support'

const suite = browserSuite({ width: 1280, height: 800 }, { signedIn: true })
let served: Served
let page: Page
beforeAll(() => ({ served, page } = suite))

const SCHEMA = `<?xml version="1.0"?><PMML version="3.0"><labels>
<label name="user"><properties><property name="Name" cardinality="single" dataType="string"/><property name="Age" cardinality="single" dataType="int"/></properties></label>
</labels></PMML>`

/** Starts a GES import-graph of `body` on `graph` as the admin; resolves with its job's uuid and native id once it ended. */
async function gesImport(graph: string, body: Record<string, unknown>): Promise<{ uuid: string; jobId: number }> {
  const token = await gesToken(served.url)
  const res = await fetch(`${served.url}/v2/p1/graphs/${graph}/import-graph`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-auth-token': token }, body: JSON.stringify(body) })
  const started = (await res.json()) as { job_id: string }
  expect(res.status, JSON.stringify(started)).toBe(200)
  const uuid = started.job_id
  let job: { id: number; status: string } | undefined
  await poll(async () => {
    job = (await api(served.url, suite.token, 'GET', '/api/v1/jobs?limit=20')).items?.find((j: { uuid: string }) => j.uuid === uuid)
    return job && ['succeeded', 'failed'].includes(job.status)
  }).toBe(true)
  return { uuid, jobId: job!.id }
}

/** Opens job `jobId` on the Jobs page and clicks "Open in Imports (report)". */
async function openInImports(jobId: number): Promise<void> {
  await mainNav(page, 'Jobs')
  const row = page.locator(`tr[data-job-id="${jobId}"]`)
  await row.waitFor()
  await row.click()
  await page.getByRole('button', { name: 'Open in Imports (report)' }).click()
}

describe('a GES import on the Imports page', () => {
  it('shows its GES files with their lines, imported and failed, and the cause; a reload too', async () => {
    await api(served.url, suite.token, 'POST', '/api/v1/graphs', { graph: 'gesrep' })
    await uploadFile(served.url, suite.token, 'g/schema.xml', SCHEMA)
    await uploadFile(served.url, suite.token, 'g/v.csv', 'Ann,user,Ann,25\nBo,user,Bo,x40\nCid,user,Cid,31\n')
    const { jobId } = await gesImport('gesrep', { schema_path: 'g/schema.xml', vertexset_path: 'g/v.csv' })
    await openInImports(jobId)
    const report = page.getByTestId('ges-import-report')
    await report.waitFor()
    const row = report.locator('tr[data-report-file="g/v.csv"]')
    expect(await row.getByTestId('ges-total').textContent()).toBe('3')
    expect(await row.getByTestId('imported').textContent()).toBe('2')
    expect(await row.getByTestId('failed').textContent()).toBe('1')
    expect(await row.textContent()).toMatch(/partly failed/)
    expect(await row.textContent()).toMatch(/x40/)
    expect(await report.locator('tr[data-report-file="g/schema.xml"]').textContent()).toMatch(/schema.*succeeded/)
    expect(await page.getByTestId('import-figures').textContent()).toMatch(/^2 imported · 1 failed/)
    await page.screenshot({ path: resolve(SHOTS, 'import-ges-report.png') })
    expect(page.url()).toMatch(new RegExp(`#/imports/${jobId}$`))
    await page.reload()
    await page.getByTestId('ges-import-report').waitFor()
    expect(await page.getByTestId('ges-import-report').locator('tr[data-report-file="g/v.csv"]').getByTestId('imported').textContent()).toBe('2')
  })

  it('a GES import that failed before reading its data reads 0% on the Jobs page, as on the Imports page', async () => {
    await api(served.url, suite.token, 'POST', '/api/v1/graphs', { graph: 'gesbad' })
    // no line's label is in the schema: the split places none, the import never reads a part
    await uploadFile(served.url, suite.token, 'g/alien.csv', 'Zed,alien,Zed\nYul,alien,Yul\n')
    const { jobId, uuid } = await gesImport('gesbad', { schema_path: 'g/schema.xml', vertexset_path: 'g/alien.csv' })
    const job = await api(served.url, suite.token, 'GET', `/api/v1/jobs/${jobId}`)
    expect(job).toMatchObject({ status: 'failed', progress: 0 })
    expect(await api(served.url, suite.token, 'GET', `/api/v1/imports/${uuid}`)).toMatchObject({ status: 'failed', progress: 0 })
    await mainNav(page, 'Jobs')
    const bar = page.locator(`tr[data-job-id="${jobId}"]`).getByRole('progressbar')
    await bar.waitFor()
    expect(await bar.getAttribute('aria-valuenow')).toBe('0')
    expect(await bar.getAttribute('title')).toBe('Failed, 0% of its work done')
    await page.locator(`tr[data-job-id="${jobId}"]`).click()
    const detailBar = page.getByRole('complementary', { name: 'job detail' }).getByRole('progressbar').first()
    await poll(() => detailBar.getAttribute('title')).toBe('Failed, 0% of its work done')
    await page.getByRole('button', { name: 'Open in Imports (report)' }).click()
    const pct = page.getByRole('progressbar', { name: 'import progress' })
    await pct.waitFor()
    expect(await pct.getAttribute('aria-valuenow')).toBe('0')
    // its figures are its GES files' lines (no import report: the import never ran)
    expect(await page.getByTestId('import-figures').textContent()).toMatch(/^0 imported · 2 failed/)
    // its file's failure is told as GES tells it
    expect(await page.getByTestId('ges-import-report').locator('tr[data-report-file="g/alien.csv"]').textContent()).toMatch(/failed.*label alien/)
    await page.screenshot({ path: resolve(SHOTS, 'import-ges-failed-progress.png') })
  })

  // #9: a GES import whose files held no line (the split placed none, no import ran) read "0 B of 0 B"
  it('a GES import of files with no data lines says "nothing to import" in its figures, not "0 B of 0 B"', async () => {
    await api(served.url, suite.token, 'POST', '/api/v1/graphs', { graph: 'gesnone' })
    await uploadFile(served.url, suite.token, 'g/none.csv', '\n\n')
    const { jobId } = await gesImport('gesnone', { schema_path: 'g/schema.xml', vertexset_path: 'g/none.csv' })
    await openInImports(jobId)
    const figures = page.getByTestId('import-figures')
    await poll(() => figures.textContent()).toMatch(/^0 imported · 0 failed · nothing to import: the files hold no data lines · Job #\d+/)
    expect(await figures.textContent()).not.toMatch(/\bB of\b/)
    await page.screenshot({ path: resolve(SHOTS, 'import-ges-no-lines.png') })
  })

  it('a report of a shape the page does not expect says what failed, with a way back, instead of a blank page', async () => {
    const { jobId, uuid } = await gesImport('gesrep', { schema_path: 'g/schema.xml', vertexset_path: 'g/v.csv' })
    // the status as it was before the fix: the GES job's output as the report
    await page.route(`**/api/v1/imports/${uuid}`, async (route) => {
      const real = await (await route.fetch()).json()
      await route.fulfill({ json: { ...real, ges: null, report: { ges: real.ges, report: real.report } } })
    })
    try {
      await openInImports(jobId)
      const error = page.getByTestId('page-error')
      await error.waitFor()
      expect(await error.textContent()).toMatch(/The Imports page could not be shown.*flatMap/)
      await page.screenshot({ path: resolve(SHOTS, 'import-ges-page-error.png') })
      await error.getByRole('button', { name: 'Back to Jobs' }).click()
      await page.locator(`tr[data-job-id="${jobId}"]`).waitFor()
      expect(await page.getByTestId('page-error').count()).toBe(0)
    } finally {
      await page.unroute(`**/api/v1/imports/${uuid}`)
    }
  })
})
