// atk14 finding (MEDIUM): what a user granted nothing keeps on the data folder's disk is bounded only
// in result rows (shared/quotas.ts MAX_RESULT_BYTES_PER_USER, atk13) and in jobs queued: her
// finished jobs' code (up to 1,000,000 characters a job, http/native/schemas.ts) and logs (a head of
// 4 MiB and a tail of 1 MiB of lines a job, engine/job-logs.ts DEFAULT_LOG_LIMITS) count against
// nothing, and finished jobs are never refused (app.ts admit: MAX_QUEUED_JOBS_PER_USER counts
// only those not started). She submits SQL jobs of 1 MB of code (one `SELECT 1` and a comment), each
// ending in milliseconds, one after another, until the disk is down to its reserve; then every
// user is refused (503 disk_nearly_full), as atk13's result rows did before the quota. A script of
// one-line statements keeps its whole 5 MiB of log the same way (a log line per statement).
// The app here keeps a user to QUOTA (4 MiB) of result rows; the test expects what her finished jobs
// keep in all (code and logs too) to be held near it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, waitForStatus, ENDED_STATUSES, type TestApp } from '../support/app'
import { addUser, type TestUser } from '../support/users'

const MiB = 1024 * 1024
const QUOTA = 4 * MiB

let t: TestApp
let eve: TestUser
beforeAll(async () => {
  t = await startTestApp({ concurrency: 4, maxKeptBytesPerUser: QUOTA })
  eve = await addUser(t, 'eve') // no rights: SQL needs none
}, 60_000)
afterAll(() => t?.close())

/** A job of the most code a submit takes, that runs in milliseconds and keeps one row. */
const CODE = `SELECT 1; -- ${'x'.repeat(999_980)}`
/** Bytes the database holds (its pages in use). */
const dbBytes = () => {
  const db = t.app.store.db
  return ((db.pragma('page_count', { simple: true }) as number) - (db.pragma('freelist_count', { simple: true }) as number)) * (db.pragma('page_size', { simple: true }) as number)
}

describe("what a user's finished jobs keep besides result rows", () => {
  it('is bounded: once her jobs keep well past her quota, her next submit is refused', { timeout: 300_000 }, async () => {
    const before = dbBytes()
    const started = Date.now()
    let refused = 0
    let jobs = 0
    // 3 clients, each a job at a time, for at most 40 jobs (40 MB of code: ten times the quota)
    await Promise.all(
      [0, 1, 2].map(async () => {
        while (!refused && jobs < 40) {
          const submitted = await eve.call('POST', '/api/v1/jobs', { type: 'script', language: 'sql', code: CODE })
          if (submitted.status !== 201) {
            refused = submitted.status
            return
          }
          jobs++
          expect((await waitForStatus(t, submitted.body.id, ENDED_STATUSES, 60_000)).status).toBe('succeeded')
        }
      }),
    )
    const seconds = (Date.now() - started) / 1000
    const grown = dbBytes() - before
    console.log(
      `eve ran ${jobs} jobs in ${seconds.toFixed(1)} s; the database grew ${(grown / MiB).toFixed(1)} MiB (${(grown / MiB / seconds).toFixed(1)} MiB/s); her result rows: ${t.app.store.keptBytes.ofSubmitter('eve')} chars; refused: ${refused || 'never'}`,
    )
    expect(grown).toBeLessThanOrEqual(2 * QUOTA)
  })
})
