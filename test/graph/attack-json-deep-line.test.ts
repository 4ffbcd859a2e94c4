// Attack (#9 §1, imports): a JSON-lines file whose first line nests 400,000 arrays
// (`[1, [[[…]]]]`, 800 KB, under the 1 MiB a package allows) and whose second line is good. The
// JSON-lines reader recurses into the value and overflows the worker's stack. Measured over real
// HTTP (npm run serve, load average 4.6): POST /api/v1/imports/preview answered 500
// {"kind":"internal","code":"worker_failed","message":"Maximum call stack size exceeded"};
// imports/check reported the same text with no line; and an import with continueOnError FAILED whole
// ("task import: Maximum call stack size exceeded", 0 lines imported, 0 failed), the good line 2
// never imported and line 1 never named. Bad input must get a 4xx naming the field and, for files,
// the line (DESIGN.md). This test FAILS until such a line is one failed line (line 1, with a reason)
// and the preview answers a 4xx or marks the line.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, waitForStatus, type TestApp } from '../support/app'
import { PERSON_SCHEMA, upload } from './support'

let t: TestApp
const DEPTH = 400_000

beforeAll(async () => {
  t = await startTestApp()
  expect((await t.call('POST', '/api/v1/graphs/default/schema', { schema: PERSON_SCHEMA.schema })).status).toBe(200)
  upload(t.dir, 'deep.json', `[1, "${'a'}", ${'['.repeat(DEPTH)}${']'.repeat(DEPTH)}]\n[2, "bo", 30]\n`)
}, 120_000)
afterAll(() => t.close())

describe('attack: a JSON line nested 400,000 deep', () => {
  it('the preview answers without a 5xx', async () => {
    const res = await t.call('POST', '/api/v1/imports/preview', { path: 'deep.json', format: 'JSON' })
    expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBeLessThan(500)
  })

  it('an import with continueOnError fails line 1 with its line number and imports line 2', async () => {
    const started = await t.call('POST', '/api/v1/imports', { graph: 'default', continueOnError: true, files: [{ path: 'deep.json', format: 'JSON', label: 'person', columns: ['id', 'name', 'age'] }] })
    expect(started.status, JSON.stringify(started.body)).toBe(201)
    const job = await waitForStatus(t, started.body.jobId, ['succeeded', 'failed', 'cancelled'], 60_000)
    const status = (await t.call('GET', `/api/v1/imports/${started.body.taskId}`)).body
    expect(job.status, String(job.error)).toBe('succeeded')
    const file = status.report.files[0]
    expect(file.imported).toBe(1)
    expect(file.failed).toBe(1)
    expect(file.failures[0].line).toBe(1)
  })
})
