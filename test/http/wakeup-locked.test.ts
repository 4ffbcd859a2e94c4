// A wakeup.json sent while another program holds jobdesk.db's write lock (a sqlite3 shell left in
// BEGIN IMMEDIATE) (#9 §2, §5): the engine kept such a woken context in memory, told the client ok and
// tried to save it later, so a kill before the lock went lost a wakeup answered 200. Nothing answered
// 200 may be lost by a kill: a wakeup is answered ok only once its change is in jobdesk.db, else 503
// with Retry-After in Rill Flow's envelope, the execution left as it was, and the client sends it again.
import Database from 'better-sqlite3'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../support/app'
import { rillClient } from '../workflows/support/rill-client'
import { untilExecutionsWait, waitingFlow } from '../support/workflows'
import { uuidOfExecutionId } from '../../electron/workflows/rillflow/runtime/names'
import { VALUE_TEXT_SQL } from '../../electron/store/jobs/job-records'

let t: TestApp
let other: Database.Database
let rill: ReturnType<typeof rillClient>
let flow: string
beforeAll(async () => {
  t = await startTestApp()
  other = new Database(join(t.dir, 'jobdesk.db'))
  rill = rillClient(t.url)
  flow = await rill.addDescriptor(waitingFlow('locked', 'woken').replace('$.input.go}]}', '$.input.go}], outputMappings: [{source: $.output.note, target: $.context.note}]}'))
}, 60_000)
afterEach(() => {
  if (other.inTransaction) other.exec('ROLLBACK')
})
afterAll(async () => {
  other.close()
  await t.close()
})

/** What jobdesk.db holds of the execution, read on the other connection (what a restart after a kill would find): its context's `note` and the status of its task `w`. */
function stored(executionId: string): { note: unknown; w: string } {
  const job = other.prepare('SELECT id FROM jobs WHERE uuid = ?').pluck().get(uuidOfExecutionId(executionId)) as number
  const context = other.prepare(`SELECT ${VALUE_TEXT_SQL} FROM job_values v WHERE job_id = ? AND name = 'context'`).pluck().get(job) as string | undefined
  const w = other.prepare("SELECT status FROM tasks WHERE job_id = ? AND name = 'w'").pluck().get(job) as string
  return { note: context ? JSON.parse(context).note : undefined, w }
}

const wakeup = (id: string, body: unknown) => fetch(`${t.url}/flow/wakeup.json?execution_id=${encodeURIComponent(id)}&task_name=w`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })

it('a wakeup meeting the lock is answered 503 with Retry-After and changes nothing; once the lock goes, its 200 comes after its change is stored', { timeout: 60_000 }, async () => {
  const id = await rill.submit(flow, { go: false })
  await untilExecutionsWait(t.app, [id], { running: 1 })

  other.exec('BEGIN IMMEDIATE')
  const refused = await wakeup(id, { note: 'first' })
  expect(refused.status).toBe(503)
  expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0)
  expect(await refused.json()).toMatchObject({ error_code: expect.any(Number), error: expect.stringMatching(/database is locked/) })
  other.exec('COMMIT')
  // nothing of it: not stored, and not kept in memory to be stored later
  expect(stored(id)).toEqual({ note: undefined, w: 'running' })
  await new Promise((r) => setTimeout(r, 300)) // the engine's own retry of what it kept would have come by now
  expect(stored(id)).toEqual({ note: undefined, w: 'running' })

  // the lock taken, then let go while the request is tried again: answered ok once stored, and it is stored when answered
  other.exec('BEGIN IMMEDIATE')
  const sent = wakeup(id, { note: 'second', go: true })
  setTimeout(() => other.exec('COMMIT'), 400)
  const answered = await sent
  expect(answered.status).toBe(200)
  expect(await answered.json()).toEqual({ result: 'ok' })
  expect(stored(id)).toEqual({ note: 'second', w: 'running' })
})
