// An import job is named by its graph and files (`import into social: people.csv`). A file can come
// into the upload folder other than by upload (a script writes it: scripts run as the desktop user),
// and then its name may hold U+202E, which upload refuses. The job's name drops it, as every name
// JobDesk makes from other text does (engine/job-name.ts newJobName, atk28); the file is still read.
import { afterAll, beforeAll, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../support/app'
import { ADMIN, finished, PERSON_SCHEMA, personFile, upload } from './support'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp()
  await t.app.graph.createGraph('named', ADMIN)
  await t.app.graph.importSchema('named', PERSON_SCHEMA, ADMIN)
}, 60_000)
afterAll(() => t.close())

it('names an import of a file named with U+202E without it, and imports the file', async () => {
  upload(t.dir, 'pay\u202Eroll.csv', '1,Ann,30\n')
  const { taskId, jobId } = await t.app.graph.startImport({ graph: 'named', files: [personFile('pay\u202Eroll.csv')] }, ADMIN)
  expect(t.app.store.jobs.get(jobId)!.name).toBe('import into named: payroll.csv')
  expect((await finished(t.app, taskId)).status).toBe('succeeded')
}, 60_000)
