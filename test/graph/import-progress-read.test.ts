// #9 user trial (checkfix): an import that read all its bytes and imported nothing (every line failed)
// reported progress 0, and a failed import's bar on the Imports page read 0% however much of its files
// it had read: ImportStatus.progress was the job's, which only counts imported rows' packages. It is now
// what the report says was read (bytesDone / bytesTotal), whether the import succeeded or failed.
// TuGraph's import_progress gives a progress only while running ("1"), and still does.
// #9 impjobs: the job's own progress (the Jobs page, /api/v1/jobs, the dialects) said 0 for both
// failed imports below (the engine counted a failed task as none of it); the executor now leaves the
// bytes read as the job's progress, so the import's status and its job agree.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../support/app'
import { ADMIN, finished, graphWithSchema, personFile, upload } from './support'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp()
  await graphWithSchema(t.app, 'readprog')
}, 30_000)
afterAll(() => t?.close())

const run = async (path: string, text: string, continueOnError: boolean, packageBytes?: number) => {
  upload(t.dir, path, text)
  return finished(t.app, (await t.app.graph.startImport({ graph: 'readprog', files: [personFile(path)], continueOnError, ...(packageBytes ? { packageBytes } : {}) }, ADMIN)).taskId)
}

describe('an ended import’s progress', () => {
  it('is all of it when every line was read and failed', async () => {
    const s = await run('allbad.csv', 'x,Ann,30\ny,Bo,31\n', true)
    expect(s).toMatchObject({ status: 'failed', report: { imported: 0, failed: 2 } })
    expect(s.report!.bytesDone).toBe(s.report!.bytesTotal)
    expect(s.progress).toBe(1)
    expect(t.app.engine.job(s.jobId)!.progress).toBe(1)
    expect(t.app.store.jobs.get(s.jobId)!.progress).toBe(1) // as stored: what a restart reads
  })

  it('is the bytes read of a failed import, as its report says', async () => {
    // packages of 64 bytes: the first ones commit, the one with line 40 fails the import
    const lines = Array.from({ length: 60 }, (_, i) => (i === 39 ? 'q,Bad,31' : `${i + 1},P${i + 1},30`))
    const s = await run('stops.csv', lines.join('\n') + '\n', false, 64)
    expect(s.status).toBe('failed')
    const { bytesDone, bytesTotal } = s.report!
    expect(bytesDone).toBeGreaterThan(0)
    expect(bytesDone).toBeLessThan(bytesTotal)
    expect(s.progress).toBe(bytesDone / bytesTotal)
    expect(t.app.engine.job(s.jobId)!.progress).toBe(s.progress)
    expect(t.app.store.jobs.get(s.jobId)!.progress).toBe(s.progress)
    // TuGraph's import_progress: state "3" with its reason, no progress (reference/tugraph.md §1.9)
    const { progressData } = await import('../../electron/http/dialects/tugraph/mappers')
    expect(progressData(s)).not.toHaveProperty('progress')
  })
})
