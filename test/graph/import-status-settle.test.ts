// #9 leftover: a TuGraph import_progress poll once answered a finished import with reason "task import:
// nothing was imported: …" (the job's error, prefixed with its task's name) where its report says
// "nothing was imported: …". GraphService.importStatus read the job as a live reference from the engine
// and the task's output from the store, then awaited the graph's own record of the import: when the
// import's task settled during that wait, the answer held the job as it ended (failed, its error) and the
// report as it was before (none). The window is made here deterministically, with the real import: the
// record is read before the import starts (so it has none), and the poll resumes only once the job has
// ended and been saved.
import { afterAll, beforeAll, expect, it } from 'vitest'
import type { ImportStatus } from '../../shared/graph'
import { progressData } from '../../electron/http/dialects/tugraph/mappers'
import { startTestApp, type TestApp } from '../support/app'
import { ADMIN, graphWithSchema, personFile, upload } from './support'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp()
  await graphWithSchema(t.app, 'settles')
}, 30_000)
afterAll(() => t?.close())

/**
 * Holds the import until a poll has read the graph's record of it, then holds that poll until the
 * import's job has ended and been saved and `afterEnd(jobId)` has run: the window in which the task
 * settles during the poll's wait. Resolves with what `act(setJob)` resolves with; `setJob` names the
 * job once it is started. Undoes both holds whatever happens.
 */
async function inRecordReadWindow<T>(afterEnd: (jobId: number, record: unknown) => void, act: (setJob: (id: number) => void) => Promise<T>): Promise<T> {
  const { graphHost: host, engine } = t.app
  let recordRead!: () => void
  const readBeforeImport = new Promise<void>((r) => (recordRead = r))
  const runImport = host.runImport.bind(host)
  host.runImport = async (...args) => {
    await readBeforeImport
    return runImport(...args)
  }
  let jobId = 0
  const request = host.request.bind(host)
  host.request = (async (op, params, caller) => {
    const answer = await request(op, params, caller)
    if (op !== 'import.record') return answer
    recordRead()
    await engine.waitFor(jobId)
    afterEnd(jobId, answer)
    return answer
  }) as typeof host.request
  try {
    return await act((id) => (jobId = id))
  } finally {
    host.runImport = runImport
    host.request = request
  }
}

it('answers a poll whose record read spans the import task’s end with the job and report of one moment', async () => {
  upload(t.dir, 'allbad.csv', 'x,Ann,30\ny,Bo,31\n') // every id fails: nothing is imported (continueOnError)
  let record: unknown = 'not read'
  await inRecordReadWindow(
    (_, answer) => (record = answer), // the job ends and is saved while the poll waits for its record
    async (setJob) => {
      const started = await t.app.graph.startImport({ graph: 'settles', files: [personFile('allbad.csv')], continueOnError: true }, ADMIN)
      setJob(started.jobId)
      const polled: ImportStatus = await t.app.graph.importStatus(started.taskId, ADMIN)
      expect(record).toBeNull() // the window was met: the record was read before the import wrote one
      const after = await t.app.graph.importStatus(started.taskId, ADMIN)
      expect(after).toMatchObject({ status: 'failed', report: { imported: 0, failed: 2, reason: expect.stringMatching(/^nothing was imported: all 2 data lines failed/) } })
      // the poll in the window: the ended job with its own report (before: "failed" with no report, so
      // TuGraph's reason was the job's error, "task import: nothing was imported: …")
      expect(progressData(polled)).toMatchObject({ state: '3', reason: after.report!.reason, imported: 0, failed: 2 })
      expect(polled).toEqual(after)
    },
  )
})

it('answers import_not_found, not a TypeError (500), for an import deleted while its record was read', async () => {
  upload(t.dir, 'gone.csv', 'x,Ann,30\n')
  await inRecordReadWindow(
    (jobId) => expect(t.app.store.jobs.delete(jobId)).toBe(true), // deleted (as DELETE /jobs/:id does once it ended) while the poll waits
    async (setJob) => {
      const started = await t.app.graph.startImport({ graph: 'settles', files: [personFile('gone.csv')], continueOnError: true }, ADMIN)
      setJob(started.jobId)
      await expect(t.app.graph.importStatus(started.taskId, ADMIN)).rejects.toMatchObject({ code: 'import_not_found' })
    },
  )
})
