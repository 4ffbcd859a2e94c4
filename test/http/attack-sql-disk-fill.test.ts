// SQL jobs are open to every user, with no right needed (README "Roles"), and nothing bounds the disk
// they take: a job keeps up to 1,000 result sets of up to 1,000,000 rows of up to 256 KiB each
// (MAX_ROW_CHARS), all written into jobdesk.db, and a job's scratch database grows without limit. A
// user granted nothing wrote 300 MiB of rows (550 MiB with the store's log) in 5 s with one
// statement, and a 300 MiB scratch table in 2 s; a few such jobs fill the data folder's disk, after
// which every user's sign-ins, submits and job ends fail in SQLite. The bound these tests hold the
// server to: one job keeps at most 256 MiB of result rows for its user (past it the set is cut, as at
// its row cap), and a user's scratch database stops growing at 256 MiB (the statement fails naming it).
import { statSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { startTestApp, waitForStatus, ENDED_STATUSES, type TestApp } from '../support/app'
import { addUser, type TestUser } from '../support/users'

const MiB = 1024 * 1024
/** The most one job may keep, or a scratch database may hold, for a user. */
const BOUND = 256 * MiB
/** A row of four cells of 65,000 characters: just under MAX_ROW_CHARS (256 KiB). */
const ROW_CHARS = 4 * 65_000
const ROWS = 1_200 // 1,200 × 260,000 characters ≈ 298 MiB, past the bound

let t: TestApp
let eve: TestUser
beforeAll(async () => {
  t = await startTestApp({ concurrency: 2 })
  eve = await addUser(t, 'eve') // no rights: SQL needs none
}, 60_000)
afterAll(() => t?.close())

async function runSql(code: string): Promise<any> {
  const submitted = await eve.call('POST', '/api/v1/jobs', { type: 'script', language: 'sql', code })
  expect(submitted.status).toBe(201)
  await waitForStatus(t, submitted.body.id, ENDED_STATUSES, 120_000)
  return (await eve.call('GET', `/api/v1/jobs/${submitted.body.id}`)).body
}

it('a user without rights cannot make one SQL job keep more than 256 MiB of result rows', async () => {
  const job = await runSql(
    `WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT ${ROWS}), p(s) AS (SELECT printf('%.*c', 65000, 'x'))
     SELECT s AS a, s AS b, s AS c, s AS d FROM c, p`,
  )
  const sets = (await eve.call('GET', `/api/v1/jobs/${job.id}/results`)).body as { rowCount: number; state: string }[]
  const keptChars = sets.reduce((sum, s) => sum + s.rowCount * ROW_CHARS, 0)
  // before: all 1,200 rows (≈ 298 MiB) were kept, state 'complete'
  expect(keptChars).toBeLessThanOrEqual(BOUND)
  expect(sets[0]!.state).toBe('truncated')
}, 180_000)

it('a user without rights cannot grow their scratch database past 256 MiB', async () => {
  const job = await runSql(
    `CREATE TABLE big AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 300) SELECT x, printf('%.*c', 1000000, 'x') AS s FROM c`,
  )
  // before: the job succeeded and left a 300 MiB scratch database
  expect(statSync(join(t.dir, 'scratch', 'eve.sqlite')).size).toBeLessThanOrEqual(BOUND + MiB)
  expect(job.status).toBe('failed')
}, 180_000)
