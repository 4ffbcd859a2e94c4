// A user's scratch database stops growing at MAX_SCRATCH_BYTES (#9, attack-sql-disk-fill): the
// statement that would pass it fails the job with a message naming the limit, whether the script set
// its own max_page_count first or wrote temporary tables, and the user can go on using what they have.
import { statSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { MAX_SCRATCH_BYTES } from '../../electron/executors/scratch-limit'
import { startTestApp, waitForStatus, type TestApp } from '../support/app'
import { addUser, type TestUser } from '../support/users'

const MiB = 1024 * 1024
/** 300 rows of 1,000,000 characters: ≈ 286 MiB, past the limit. */
const BIG = `WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 300) SELECT x, printf('%.*c', 1000000, 'x') AS s FROM c`
const LIMIT_WORDS = /the scratch database limit of 256 MiB reached/

let t: TestApp
let mia: TestUser
beforeAll(async () => {
  t = await startTestApp()
  mia = await addUser(t, 'mia')
}, 60_000)
afterAll(() => t?.close())

async function runSql(code: string): Promise<any> {
  const { status, body } = await mia.call('POST', '/api/v1/jobs', { type: 'script', language: 'sql', code })
  expect(status).toBe(201)
  return waitForStatus(t, body.id, ['succeeded', 'failed'], 120_000)
}

const scratchSize = () => statSync(join(t.dir, 'scratch', 'mia.sqlite')).size

it('fails the statement that passes the limit, naming it, even after the script raised max_page_count itself', { timeout: 180_000 }, async () => {
  const job = await runSql(`CREATE TABLE kept(x);\nPRAGMA max_page_count = 2147483646;\nCREATE TABLE big AS ${BIG}`)
  expect(job.status).toBe('failed')
  expect(job.error).toMatch(/statement 3 of 3 \(line 3\): /)
  expect(job.error).toMatch(LIMIT_WORDS)
  expect(scratchSize()).toBeLessThanOrEqual(MAX_SCRATCH_BYTES + MiB)
  // what the user had is still there, and the next job runs
  const next = await runSql('INSERT INTO kept VALUES (1); SELECT count(*) AS n FROM kept')
  expect(next.status).toBe('succeeded')
})

it('holds a job’s temporary tables to the same limit', { timeout: 180_000 }, async () => {
  const job = await runSql(`CREATE TEMP TABLE big AS ${BIG}`)
  expect(job.status).toBe('failed')
  expect(job.error).toMatch(LIMIT_WORDS)
})
