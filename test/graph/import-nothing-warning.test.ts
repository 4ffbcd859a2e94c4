// An import whose every line failed (continueOnError) ends "succeeded", as TuGraph's does, but its job
// says "nothing was imported" where jobs are listed, not only on the Imports page and in its log
// (#9 LOW, newuser): a warning label stored with the job, in the list and the detail, after a restart
// too; a rerun does not copy it.
import { afterAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../support/app'
import { tempDir } from '../support/temp-store'
import { ADMIN, finished, graphWithSchema, personFile, upload } from './support'

const dir = tempDir()
let later: TestApp | undefined
afterAll(async () => {
  await later?.close() // removes the data folder
})

describe('an import of nothing, on the Jobs page', () => {
  it('is listed succeeded with its warning, in the list and the detail, after a restart too', async () => {
    const first = await startTestApp({ dataDir: dir })
    await graphWithSchema(first.app, 'nothing')
    upload(first.dir, 'bad_ids.csv', 'x,Ann,30\ny,Bo,31\nz,Cid,32\n') // ids that are no INT64: every line fails
    upload(first.dir, 'good.csv', '1,Ann,30\n')
    const bad = await finished(first.app, (await first.app.graph.startImport({ graph: 'nothing', files: [personFile('bad_ids.csv')], continueOnError: true }, ADMIN)).taskId)
    const good = await finished(first.app, (await first.app.graph.startImport({ graph: 'nothing', files: [personFile('good.csv')], continueOnError: true }, ADMIN)).taskId)
    expect(bad.status).toBe('succeeded')
    expect(bad.report?.warning).toMatch(/^nothing was imported: all 3 data lines failed/)

    const seen = async (t: TestApp) => {
      const listed = (await t.call('GET', '/api/v1/jobs?kind=import')).body.items as { id: number; labels: Record<string, string> }[]
      const detail = (await t.call('GET', `/api/v1/jobs/${bad.jobId}`)).body
      return { bad: listed.find((j) => j.id === bad.jobId)?.labels.warning, good: listed.find((j) => j.id === good.jobId)?.labels.warning, detail: detail.labels.warning as string | undefined }
    }
    const expected = { bad: bad.report!.warning, good: undefined, detail: bad.report!.warning }
    expect(await seen(first)).toEqual(expected)
    await first.app.close()

    later = await startTestApp({ dataDir: dir })
    expect(await seen(later)).toEqual(expected)
  }, 60_000)
})
