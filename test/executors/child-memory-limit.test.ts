// Child processes that do one piece of work for a user (a SQL job, a scratch table list) are killed past
// a memory limit (#9 §1, atk12): SQLite's native memory counts against no V8 heap limit, and
// better-sqlite3's SQLite ignores PRAGMA hard_heap_limit, so a view that names views could take GBs.
// The child's watchdog kills it (child-process.ts dieWithParent); a SQL job so ended fails naming the limit.
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { memoryKilled, startChild } from '../../electron/child-process'
import { SQL_JOB_MEMORY_BYTES } from '../../electron/executors/scratch-limit'
import { startTestApp, waitForStatus, type TestApp } from '../support/app'
import { SECOND_ENDLESS, sqlProcesses, waitForFirstSet } from '../support/sql-processes'
import { until } from '../support/until'
import { addUser, type TestUser } from '../support/users'

it("kills a child whose resident memory passes its limit, within a few checks' growth of it", async () => {
  const limit = 200 * 2 ** 20
  process.env.HOG_LIMIT_BYTES = String(limit)
  const child = startChild('memory-hog-child', join(__dirname, '../support'))
  delete process.env.HOG_LIMIT_BYTES
  let peak = 0
  child.on('message', (m: { rss: number }) => (peak = Math.max(peak, m.rss)))
  const ended = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)))
  child.send('grow')
  const signal = await ended
  expect(memoryKilled(signal)).toBe(true)
  expect(peak).toBeGreaterThan(limit - 64 * 2 ** 20) // it grew up to the limit, not less
  expect(peak).toBeLessThan(limit + 160 * 2 ** 20) // and was stopped soon past it
}, 60_000)

let t: TestApp
let mia: TestUser
beforeAll(async () => {
  t = await startTestApp()
  mia = await addUser(t, 'mia')
}, 60_000)
afterAll(() => t?.close())

it('fails a SQL job whose process was killed for its memory, naming the limit, and runs the next', async () => {
  expect(SQL_JOB_MEMORY_BYTES).toBe(2 ** 30)
  const { body } = await mia.call('POST', '/api/v1/jobs', { type: 'script', language: 'sql', code: SECOND_ENDLESS })
  await waitForFirstSet((m, p) => mia.call(m, p), body.id)
  const [pid] = await until(() => sqlProcesses(process.pid).jobs, (jobs) => jobs.length === 1, 'the job process')
  process.kill(pid, 'SIGKILL') // as its watchdog does past SQL_JOB_MEMORY_BYTES (or the system's out-of-memory killer)
  const job = await waitForStatus(t, body.id, ['succeeded', 'failed'], 60_000)
  expect(job.status).toBe('failed')
  expect(job.error).toMatch(/the SQL job memory limit of 1(\.0)? GiB reached/)
  const next = await mia.call('POST', '/api/v1/jobs', { type: 'script', language: 'sql', code: 'SELECT 1 AS x' })
  expect((await waitForStatus(t, next.body.id, ['succeeded', 'failed'], 60_000)).status).toBe('succeeded')
}, 120_000)
