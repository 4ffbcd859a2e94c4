// An import whose every data line failed (continueOnError) imported nothing: it ends FAILED, saying so
// and why, wherever its job is shown (#9 LOW, lows #1). It read "succeeded ⚠" on the Jobs page before.
// TuGraph ends such a task "2" with 0 rows (reference/tugraph.md §3, its users' issue #166); loaders
// that report what they load (neo4j-admin import, NebulaGraph Importer, Huawei GES here) call an import
// that loaded nothing and failed lines a failure. One state everywhere: the job's (TuGraph "3").
// Only lines failed and none imported makes it fail: an empty file, or some lines in, still succeeds.
import { afterAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../support/app'
import { tempDir } from '../support/temp-store'
import { ADMIN, finished, graphWithSchema, personFile, upload } from './support'

const dir = tempDir()
let later: TestApp | undefined
afterAll(async () => {
  await later?.close() // removes the data folder
})

describe('an import of nothing', () => {
  it('fails with the reason "nothing was imported", in the list and the detail, after a restart too; a partial or empty import succeeds', async () => {
    const first = await startTestApp({ dataDir: dir })
    await graphWithSchema(first.app, 'nothing')
    upload(first.dir, 'bad_ids.csv', 'x,Ann,30\ny,Bo,31\nz,Cid,32\n') // ids that are no INT64: every line fails
    upload(first.dir, 'some.csv', '1,Ann,30\nq,Bo,31\n')
    upload(first.dir, 'empty.csv', '')
    const start = async (path: string) => finished(first.app, (await first.app.graph.startImport({ graph: 'nothing', files: [personFile(path)], continueOnError: true }, ADMIN)).taskId)
    const bad = await start('bad_ids.csv')
    const some = await start('some.csv')
    const empty = await start('empty.csv')
    expect(bad, JSON.stringify(bad)).toMatchObject({ status: 'failed', report: { state: 'failed', imported: 0, failed: 3 } })
    expect(bad.report!.files[0].state).toBe('done') // the file was read to its end: only the import as a whole failed
    expect(bad.report!.reason).toMatch(/^nothing was imported: all 3 data lines failed \(first: bad_ids\.csv line 1: .*"x"\)$/)
    expect(bad.error).toBe(`task import: ${bad.report!.reason}`) // as any failed task's error names its task
    expect(some).toMatchObject({ status: 'succeeded', report: { imported: 1, failed: 1 } })
    expect(empty).toMatchObject({ status: 'succeeded', report: { imported: 0, failed: 0 } })

    const seen = async (t: TestApp) => {
      const listed = (await t.call('GET', '/api/v1/jobs?kind=import')).body.items as { id: number; status: string; error: string | null }[]
      const detail = (await t.call('GET', `/api/v1/jobs/${bad.jobId}`)).body
      const row = (id: number) => listed.find((j) => j.id === id)
      return { bad: [row(bad.jobId)?.status, row(bad.jobId)?.error?.split(' (')[0]], some: row(some.jobId)?.status, empty: row(empty.jobId)?.status, detail: [detail.status, detail.error?.split(' (')[0]] }
    }
    const why = 'task import: nothing was imported: all 3 data lines failed'
    const expected = { bad: ['failed', why], some: 'succeeded', empty: 'succeeded', detail: ['failed', why] }
    expect(await seen(first)).toEqual(expected)
    await first.app.close()

    later = await startTestApp({ dataDir: dir })
    expect(await seen(later)).toEqual(expected)
  }, 60_000)
})
