// #9 user trial (checkfix): an import that read all its bytes and imported nothing (every line failed)
// reported progress 0, and a failed import's bar on the Imports page read 0% however much of its files
// it had read: ImportStatus.progress was the job's, which only counts imported rows' packages. It is now
// what the report says was read (bytesDone / bytesTotal), whether the import succeeded or failed.
// TuGraph's import_progress gives a progress only while running ("1"), and still does.
// #9 impjobs: the job's own progress (the Jobs page, /api/v1/jobs, the dialects) said 0 for both
// failed imports below (the engine counted a failed task as none of it); the executor now leaves the
// bytes read as the job's progress, so the import's status and its job agree.
// #9 lcimport: an import failed by a line (no continueOnError) counted only its committed packages'
// bytes: 300,000 good lines and a bad last one, all in one package, read "failed 0% · 0 B of 4.1 MB"
// though its report said 300,001 lines read. The package it failed in was read: its bytes count.
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

  it('counts the package a failing line was read in, though it rolled back', async () => {
    // one package (the default size): 2,000 good lines then a bad one, the file's last (ids no other test's)
    const good = Array.from({ length: 2000 }, (_, i) => `${10_001 + i},P${i + 1},30`)
    const s = await run('lastbad.csv', [...good, 'bad,zz,31'].join('\n') + '\n', false)
    expect(s.status).toBe('failed')
    expect(s.report).toMatchObject({ imported: 0, failed: 1, packagesDone: 0 }) // what is committed: nothing
    expect(s.report!.files[0]).toMatchObject({ lines: 2001, imported: 0, failed: 1, rolledBack: 2000, failures: [{ line: 2001 }] })
    expect(s.report!.bytesDone).toBe(s.report!.bytesTotal)
    expect(s.progress).toBe(1)
    expect(t.app.engine.job(s.jobId)!.progress).toBe(1)
    expect(t.app.store.jobs.get(s.jobId)!.progress).toBe(1)
    const { progressData } = await import('../../electron/http/dialects/tugraph/mappers')
    expect(progressData(s)).not.toHaveProperty('progress')
  })

  it('counts up to the end of the failing package when earlier ones committed', async () => {
    const lines = Array.from({ length: 60 }, (_, i) => (i === 39 ? 'q,Bad,31' : `${20_001 + i},P${i + 1},30`))
    const s = await run('midbad.csv', lines.join('\n') + '\n', false, 64)
    expect(s.status).toBe('failed')
    const throughBad = Buffer.byteLength(lines.slice(0, 40).join('\n') + '\n')
    expect(s.report!.bytesDone).toBeGreaterThanOrEqual(throughBad) // the bad line was read
    // exactly the lines its report says were read (the failing package's to its end), no package after
    const read = s.report!.files[0].lines
    expect(read).toBeLessThan(60)
    expect(s.report!.bytesDone).toBe(Buffer.byteLength(lines.slice(0, read).join('\n') + '\n'))
    expect(s.report!.files[0]).toMatchObject({ failed: 1, failures: [{ line: 40 }] })
    expect(s.report!.imported + s.report!.files[0].rolledBack + 1).toBe(s.report!.files[0].lines)
    expect(s.progress).toBe(s.report!.bytesDone / s.report!.bytesTotal)
    expect(t.app.engine.job(s.jobId)!.progress).toBe(s.progress)
  })
})
