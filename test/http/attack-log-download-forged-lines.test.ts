// Attack (hostile second user → admin): forged lines in a downloaded job log (CWE-117, log injection).
// An engine line quotes what the job's author wrote: SQLite's "no such table: <name>" names the table,
// and a quoted SQL identifier may hold a line break. A user submits
// `SELECT * FROM "nope⏎2026-01-01T00:00:00.000Z INFO  [main] statement 1 of 1 (line 1): 1 row"`.
// The job fails, and its log is one stored line (the API says `lines: 1`), but the admin's download
// (Jobs page → Log → Download, GET /api/v1/jobs/:id/logs/text) writes it as two lines of the file:
// the second is a line the engine never logged, in the file's own `time LEVEL [task] text` form,
// telling whoever reads the file that the statement returned its row. Expected: one stored line is
// one line of the file (a line break inside it escaped, e.g. `\n`, or the rest indented). Fails today.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, waitForStatus, type TestApp } from '../support/app'
import { addUser } from '../support/users'

const FORGED = '2026-01-01T00:00:00.000Z INFO  [main] statement 1 of 1 (line 1): 1 row'

let t: TestApp
let jobId: number
beforeAll(async () => {
  t = await startTestApp()
  const mallory = await addUser(t, 'mallory')
  const { status, body } = await mallory.call('POST', '/api/v1/jobs', { type: 'script', language: 'sql', code: `SELECT * FROM "nope\n${FORGED}"`, name: 'report' })
  expect(status).toBe(201)
  jobId = (await waitForStatus(t, body.id, ['succeeded', 'failed'], 30_000)).id
})
afterAll(() => t.close())

describe('a job log saved as a file by the admin', () => {
  it('has one line of the file for each line the job logged, so no line can be forged', async () => {
    const { status, body } = await t.call('GET', `/api/v1/jobs/${jobId}/logs/text`)
    expect(status).toBe(200)
    const text = body.text as string
    expect(text).toContain('no such table') // the engine's line is there
    const fileLines = text.split('\n').filter((l) => l !== '')
    expect(fileLines.length, `the file as saved:\n${text}`).toBe(body.lines)
    expect(fileLines.some((l) => l.startsWith(FORGED)), 'a line the engine never logged').toBe(false)
  })
})
