// A user's jobs keep at most MAX_KEPT_BYTES_PER_USER of result rows in all (shared/quotas.ts, atk13:
// finished SQL jobs' results filled the disk down to its reserve, and every user was refused). A SQL
// job's rows are cut at what is left, with a WARN naming the quota; once less than
// MIN_KEPT_ROOM_TO_RUN is left a submit through any dialect is refused with a 403 in that dialect's
// envelope naming the quota, nothing stored. Deleting jobs frees their share at once. Admins are exempt.
// The app here keeps a user to QUOTA, so that a few MiB reach it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { formatSize } from '../../shared/number-format'
import { MIN_KEPT_ROOM_TO_RUN } from '../../shared/quotas'
import { startTestApp, waitForStatus, ENDED_STATUSES, type TestApp } from '../support/app'
import { keptButLogs, keptByJob } from '../support/kept-bytes'
import { addUser, type TestUser } from '../support/users'
import { expectSubmitRefused } from '../support/submit-refusals'

const MiB = 1024 * 1024
const QUOTA = 4 * MiB

let t: TestApp
let eve: TestUser
let fay: TestUser
beforeAll(async () => {
  t = await startTestApp({ concurrency: 4, maxKeptBytesPerUser: QUOTA }) // a user may run 3 tasks side by side
  eve = await addUser(t, 'eve') // no rights: SQL needs none
  fay = await addUser(t, 'fay')
}, 60_000)
afterAll(() => t?.close())

/** 100 rows of one cell of 60,000 characters: ~5.7 MiB of row JSON, more than QUOTA. */
const BIG = `WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 100) SELECT printf('%.*c', 60000, 'x') AS s FROM c`
const sql = (code: string) => ({ type: 'script', language: 'sql', code })
const QUOTA_WORDS = /^user eve's jobs keep 3\.9 MiB \(result rows, code, logs and task values\), and a user's jobs keep at most 4 MiB: delete some finished jobs before running more \(a job runs only while at least 1 MiB of it is left\)$/
const keptBy = (user: string) => t.app.store.keptBytes.ofSubmitter(user)
const logOf = (jobId: number) => t.app.store.db.prepare('SELECT level, text FROM log_lines WHERE job_id = ? ORDER BY seq').all(jobId) as { level: string; text: string }[]

/** Runs `code` as `who` through the native API until it ends; its id. */
async function ran(who: TestUser | TestApp, code: string): Promise<number> {
  const submitted = await who.call('POST', '/api/v1/jobs', sql(code))
  expect(submitted.status, JSON.stringify(submitted.body)).toBe(201)
  const job = await waitForStatus(t, submitted.body.id, ENDED_STATUSES, 60_000)
  expect(job.status).toBe('succeeded')
  return submitted.body.id
}

describe("result rows a user's jobs keep in all", () => {
  let first = 0
  let second = 0
  it('cuts a running job’s rows at what the quota leaves, its set truncated and its log naming the quota', { timeout: 120_000 }, async () => {
    first = await ran(eve, `${BIG} LIMIT 40`) // ~2.3 MiB: under the quota, kept whole
    expect(t.app.store.results.list(first)[0]).toMatchObject({ rowCount: 40, state: 'complete' })
    second = await ran(eve, BIG)
    const [set] = t.app.store.results.list(second)
    expect(set!.state).toBe('truncated')
    expect(set!.rowCount).toBeGreaterThan(0) // what was left is used
    expect(set!.rowCount).toBeLessThan(40)
    expect(keptBy('eve')).toBeLessThanOrEqual(QUOTA)
    expect(keptBy('eve')).toBeGreaterThan(QUOTA - 64 * 1024) // cut at the first row that did not fit
    expect(logOf(second)).toContainEqual({
      level: 'WARN',
      text: `statement 1 of 1 (line 1): result cut at ${set!.rowCount} rows: a user's jobs keep at most 4 MiB in all (result rows, code, logs and task values), and eve's keep ${formatSize(keptBy('eve'))}: delete some finished jobs to keep more`,
    })
  })

  it('then refuses her submit in the native, Linkis and Rill Flow envelopes, naming the quota, storing nothing', { timeout: 60_000 }, async () => {
    expect(keptBy('eve') + MIN_KEPT_ROOM_TO_RUN).toBeGreaterThan(QUOTA)
    await expectSubmitRefused(t, eve, { code: 'jobs_keep_too_much', words: QUOTA_WORDS }) // storing its descriptor keeps no result rows
  })

  it('never refuses or cuts an admin', { timeout: 60_000 }, async () => {
    const mine = await ran(t, BIG)
    expect(t.app.store.results.list(mine)[0]).toMatchObject({ rowCount: 100, state: 'complete' })
    expect(keptBy('admin')).toBeGreaterThan(QUOTA)
    await ran(t, 'SELECT 1')
    expect(keptBy('eve') + MIN_KEPT_ROOM_TO_RUN).toBeGreaterThan(QUOTA) // and eve is still held to hers
    expect((await eve.call('POST', '/api/v1/jobs', sql('SELECT 1'))).status).toBe(403)
  })

  it('holds three of a user’s jobs running side by side to the quota together', { timeout: 120_000 }, async () => {
    // each reads what the quota leaves under the write lock, as it stores a batch (1,000 rows of ~1 kB
    // here, so that the three take turns): not two of them the same room
    // first a count of some 3 million steps (one small row): the three submits are all taken before
    // any of them stores a row, else a loaded machine let the first store 3 MiB before the third
    // submit was read, and that submit was refused (jobs_keep_too_much, CI of stop 39)
    const wait = 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 3000000) SELECT count(*) AS n FROM c;'
    const many = `${wait}\nWITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 10000) SELECT printf('%.*c', 1000, 'x') AS s FROM c`
    const three = await Promise.all([0, 1, 2].map(() => fay.call('POST', '/api/v1/jobs', sql(many))))
    for (const submitted of three) expect(submitted.status, JSON.stringify(submitted.body)).toBe(201)
    for (const submitted of three) expect((await waitForStatus(t, submitted.body.id, ENDED_STATUSES, 60_000)).status).toBe('succeeded')
    // their rows and code as the cuts read them (their logs count once written, after: what a job keeps past the quota is its log)
    expect(keptButLogs(t.app.store, 'fay')).toBeLessThanOrEqual(QUOTA)
    expect(keptButLogs(t.app.store, 'fay')).toBeGreaterThan(QUOTA - 2 * 1024)
    expect(three.map((s) => t.app.store.results.list(s.body.id)[1]!.state)).toEqual(['truncated', 'truncated', 'truncated'])
  })

  // that its rows stop counting before the sweep removes them: test/store/result-bytes-by-submitter.test.ts
  it('takes her submit again the moment she deletes a job', { timeout: 60_000 }, async () => {
    expect((await eve.call('DELETE', `/api/v1/jobs/${second}`)).status).toBe(200)
    expect(keptBy('eve')).toBe(keptByJob(t.app.store, first)) // the first job's 40 rows, code and log alone
    const again = await ran(eve, 'SELECT 1')
    expect(t.app.store.results.list(again)[0]).toMatchObject({ rowCount: 1, state: 'complete' })
  })
})
