// Every executor's result rows are held to the same bounds as a SQL job's (#9: one running job must not
// write far past its user's quota of result rows, MAX_KEPT_BYTES_PER_USER, nor its own budget,
// MAX_RESULT_BYTES_PER_JOB): the result store applies both to every set it writes, whichever executor
// writes it, and the set cut there ends `truncated` with the WARN a SQL job writes
// (result-bytes-quota.test.ts). Here a Cypher job (up to 200,000 rows a statement, no byte cap of its
// own), a shell job's text result (16 MiB of its own) and an algorithm job's rows (5,000,000 rows of
// its own) pass a quota of 4 MiB; an admin's are not cut.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LINE_COST } from '../../electron/engine/job-logs'
import { formatSize } from '../../shared/number-format'
import { startTestApp, waitForStatus, ENDED_STATUSES, type TestApp } from '../support/app'
import { upload } from '../support/upload-files'
import { keptButLogs } from '../support/kept-bytes'
import { addUser, type TestUser } from '../support/users'

const MiB = 1024 * 1024
const QUOTA = 4 * MiB

let t: TestApp
beforeAll(async () => {
  t = await startTestApp({ maxKeptBytesPerUser: QUOTA })
}, 60_000)
afterAll(() => t?.close())

/** 20,000 rows of one string of ~305 characters: ~6.2 MB of row JSON, more than QUOTA. */
const CYPHER = `UNWIND range(1, 20000) AS i RETURN "${'x'.repeat(300)}" + i AS s`
/** 40,000 lines of 200 characters: ~8.2 MB of row JSON, more than QUOTA, under a shell result's own 16 MiB. */
const SHELL = `line=$(printf '%0200d' 0); i=0; while [ $i -lt 40000 ]; do echo "$line"; i=$((i + 1)); done`

/** A path of 20,000 vertices named by 200 characters each: WCC's rows (name, component) are ~4.5 MB of row JSON, more than QUOTA. */
const PATH_EDGES = Array.from({ length: 19_999 }, (_, i) => `${String(i).padStart(200, 'v')},${String(i + 1).padStart(200, 'v')}`).join('\n')

const keptBy = (user: string) => t.app.store.keptBytes.ofSubmitter(user)
const logOf = (jobId: number) => t.app.store.db.prepare('SELECT level, text FROM log_lines WHERE job_id = ? ORDER BY seq').all(jobId) as { level: string; text: string }[]
// what the cut read: the user's rows and code (a job's log counts once all written, after the cut; the
// shell job's is ~5 MiB, its output: what a job keeps past the quota is at most its log)
const quotaWarning = (rows: number, user: string) =>
  `result cut at ${rows} rows: a user's jobs keep at most 4 MiB in all (result rows, code, logs and task values), and ${user}'s keep ${formatSize(keptButLogs(t.app.store, user))}: delete some finished jobs to keep more`

/** Runs a script as `who` through the native API until it ends (succeeded); its id. */
async function ran(who: TestUser | TestApp, language: string, code: string): Promise<number> {
  const submitted = await who.call('POST', '/api/v1/jobs', { type: 'script', language, code })
  expect(submitted.status, JSON.stringify(submitted.body)).toBe(201)
  const job = await waitForStatus(t, submitted.body.id, ENDED_STATUSES, 120_000) // the first query loads the parser
  expect(job.status, job.error).toBe('succeeded')
  return submitted.body.id
}

describe("every executor's result rows within the user's quota", () => {
  it('cuts a Cypher job’s set at what the quota leaves, truncated, with the WARN a SQL job writes', { timeout: 180_000 }, async () => {
    const gil = await addUser(t, 'gil') // no rights: read-only Cypher needs none
    const id = await ran(gil, 'cypher', CYPHER)
    const [set] = t.app.store.results.list(id)
    expect(set!.state).toBe('truncated')
    expect(set!.rowCount).toBeGreaterThan(10_000) // what was left is used
    expect(set!.rowCount).toBeLessThan(20_000)
    // cut at the first row that did not fit; what the job's end writes after the cut (its task's output,
    // the job's result value: ~100 bytes here) may pass the quota by that much (MAX_KEPT_OVERRUN bounds it)
    expect(keptButLogs(t.app.store, 'gil')).toBeLessThanOrEqual(QUOTA + 1024)
    expect(keptButLogs(t.app.store, 'gil')).toBeGreaterThan(QUOTA - 1024)
    expect(logOf(id)).toContainEqual({ level: 'WARN', text: `statement 1: ${quotaWarning(set!.rowCount, 'gil')}` })
  })

  it('cuts a shell job’s text result the same way', { timeout: 120_000 }, async () => {
    const hal = await addUser(t, 'hal', { rights: ['scripts'] })
    const id = await ran(hal, 'shell', SHELL)
    const [set] = t.app.store.results.list(id)
    expect(set).toMatchObject({ kind: 'text', state: 'truncated' })
    expect(set!.rowCount).toBeGreaterThan(10_000)
    expect(set!.rowCount).toBeLessThan(40_000)
    expect(keptButLogs(t.app.store, 'hal')).toBeLessThanOrEqual(QUOTA)
    expect(keptButLogs(t.app.store, 'hal')).toBeGreaterThan(QUOTA - 1024)
    expect(logOf(id)).toContainEqual({ level: 'WARN', text: quotaWarning(set!.rowCount, 'hal') })
    expect(keptBy('hal')).toBe(keptButLogs(t.app.store, 'hal') + t.app.store.logs.storedCost(id, LINE_COST)) // and its log counts once written
  })

  it('cuts an algorithm job’s set the same way', { timeout: 120_000 }, async () => {
    const ivy = await addUser(t, 'ivy')
    upload(t.dir, 'path.csv', PATH_EDGES, 'ivy')
    const started = await ivy.call('POST', '/api/v1/algorithms/jobs', { algorithm: 'WCC', source: { kind: 'file', path: 'path.csv' } })
    expect(started.status, JSON.stringify(started.body)).toBe(201)
    expect((await waitForStatus(t, started.body.id, ENDED_STATUSES, 60_000)).status).toBe('succeeded')
    const [set] = t.app.store.results.list(started.body.id)
    expect(set!.state).toBe('truncated')
    expect(set!.rowCount).toBeGreaterThan(10_000)
    expect(set!.rowCount).toBeLessThan(20_000)
    // its state (its task's output, a summary, and the job's result), stored with its end after the cut, counts too (migration 037)
    const state = t.app.store.keptBytes.stateOfJob(started.body.id)
    expect(state).toBeLessThan(4096)
    expect(keptButLogs(t.app.store, 'ivy')).toBeLessThanOrEqual(QUOTA + state)
    expect(keptButLogs(t.app.store, 'ivy')).toBeGreaterThan(QUOTA - 1024)
    expect(logOf(started.body.id)).toContainEqual({ level: 'WARN', text: quotaWarning(set!.rowCount, 'ivy') })
  })

  it('never cuts an admin’s', { timeout: 180_000 }, async () => {
    const cypher = await ran(t, 'cypher', CYPHER)
    expect(t.app.store.results.list(cypher)[0]).toMatchObject({ rowCount: 20_000, state: 'complete' })
    const shell = await ran(t, 'shell', SHELL)
    expect(t.app.store.results.list(shell)[0]).toMatchObject({ rowCount: 40_000, state: 'complete' })
    expect(keptBy('admin')).toBeGreaterThan(3 * QUOTA)
    expect(logOf(cypher).concat(logOf(shell)).filter((l) => l.text.includes('result cut'))).toEqual([])
  })
})
