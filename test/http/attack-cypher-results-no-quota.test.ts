// atk14 finding (MEDIUM): the per-user quota of result rows (shared/quotas.ts MAX_KEPT_BYTES_PER_USER,
// atk13) holds only SQL jobs. A Cypher script job, which a user granted nothing may run (read-only
// queries on any graph, the default one included), stores its rows with results.append's maxBytes left
// at Infinity (executors/result-steps.ts storeQueryRows, called by executors/cypher.ts): neither the
// user's quota nor the job's own MAX_RESULT_BYTES_PER_JOB is read while it stores. The quota is only
// looked at when a job is submitted (app.ts admit), so a user with nothing kept yet may queue
// up to MAX_QUEUED_JOBS_PER_USER (1,000) Cypher jobs at once, each keeping up to 1,000 sets of
// 200,000 rows: the disk fills as before atk13, and the disk reserve then refuses every user.
// The app here keeps a user to QUOTA (4 MiB), so that a few MiB show it.
// Fixed by 0fb5bf56 (budget13, merged while this attack ran): ResultRepository.append holds every
// executor's rows to the job's budget and what the quota leaves, under the write lock.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, waitForStatus, ENDED_STATUSES, type TestApp } from '../support/app'
import { keptButLogs } from '../support/kept-bytes'
import { addUser, type TestUser } from '../support/users'

const MiB = 1024 * 1024
const QUOTA = 4 * MiB

let t: TestApp
let eve: TestUser
beforeAll(async () => {
  t = await startTestApp({ concurrency: 4, maxKeptBytesPerUser: QUOTA })
  eve = await addUser(t, 'eve') // no rights: a read-only Cypher query needs none
}, 60_000)
afterAll(() => t?.close())

/** 300 rows of a 10,000-character string: ~2.9 MiB of row JSON per statement, two statements a job. */
const STATEMENT = `WITH '${'x'.repeat(10_000)}' AS s UNWIND range(1, 300) AS i RETURN i, s`
const CODE = `${STATEMENT};\n${STATEMENT}`
const keptBy = (user: string) => t.app.store.keptBytes.ofSubmitter(user)

describe("a user's Cypher jobs and the quota of result rows", () => {
  it('hold her to the quota, as her SQL jobs are', { timeout: 120_000 }, async () => {
    // three at once, while she keeps nothing: each is admitted (the quota is read at submit)
    const three = await Promise.all([0, 1, 2].map(() => eve.call('POST', '/api/v1/jobs', { type: 'script', language: 'cypher', code: CODE })))
    for (const submitted of three) expect(submitted.status, JSON.stringify(submitted.body)).toBe(201)
    for (const submitted of three) expect((await waitForStatus(t, submitted.body.id, ENDED_STATUSES, 60_000)).status).toBe('succeeded')
    const kept = keptBy('eve')
    console.log(`eve's three Cypher jobs keep ${(kept / MiB).toFixed(1)} MiB of result rows; her quota is ${QUOTA / MiB} MiB`)
    // her rows and code as the cuts read them: the logs count once written, after the cuts (a few hundred bytes here)
    expect(keptButLogs(t.app.store, 'eve')).toBeLessThanOrEqual(QUOTA)
  })
})
