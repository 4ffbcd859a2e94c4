// A wakeup.json sent while another program holds jobdesk.db's write lock (a sqlite3 shell left in
// BEGIN IMMEDIATE) (#9 §2, §5): the engine kept such a woken context in memory, told the client ok and
// tried to save it later, so a kill before the lock went lost a wakeup answered 200. Nothing answered
// 200 may be lost by a kill: a wakeup is answered ok only once its change is in jobdesk.db, else 503
// with Retry-After in Rill Flow's envelope, the execution left as it was, and the client sends it again.
import { afterAll, beforeAll, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../support/app'
import { heldLock } from '../support/held-lock'
import { rillClient } from '../workflows/support/rill-client'
import { untilExecutionsWait, waitingFlow } from '../support/workflows'

let t: TestApp
let rill: ReturnType<typeof rillClient>
let flow: string
const other = heldLock(() => t.dir)
beforeAll(async () => {
  t = await startTestApp()
  rill = rillClient(t.url)
  flow = await rill.addDescriptor(waitingFlow('locked', 'woken').replace('$.input.go}]}', '$.input.go}], outputMappings: [{source: $.output.note, target: $.context.note}]}'))
}, 60_000)
afterAll(() => t.close())

/** What jobdesk.db holds of the execution, read on the other connection (what a restart after a kill would find): its context's `note` and the status of its task `w`. */
function stored(executionId: string): { note: unknown; w: string } {
  return { note: other.storedContext(executionId)?.note, w: other.storedTask(executionId, 'w').status }
}

const wakeup = (id: string, body: unknown) => fetch(`${t.url}/flow/wakeup.json?execution_id=${encodeURIComponent(id)}&task_name=w`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })

it('a wakeup meeting the lock is answered 503 with Retry-After and changes nothing; once the lock goes, its 200 comes after its change is stored', { timeout: 60_000 }, async () => {
  const id = await rill.submit(flow, { go: false })
  await untilExecutionsWait(t.app, [id], { running: 1 })

  other.take()
  const refused = await wakeup(id, { note: 'first' })
  expect(refused.status).toBe(503)
  expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0)
  expect(await refused.json()).toMatchObject({ error_code: expect.any(Number), error: expect.stringMatching(/database is locked/) })
  other.letGo()
  // nothing of it: not stored, and not kept in memory to be stored later
  expect(stored(id)).toEqual({ note: undefined, w: 'running' })
  await new Promise((r) => setTimeout(r, 300)) // the engine's own retry of what it kept would have come by now
  expect(stored(id)).toEqual({ note: undefined, w: 'running' })

  // the lock taken, then let go while the request is tried again: answered ok once stored, and it is stored when answered
  other.take()
  const sent = wakeup(id, { note: 'second', go: true })
  other.letGoAfter(400)
  const answered = await sent
  expect(answered.status).toBe(200)
  expect(await answered.json()).toEqual({ result: 'ok' })
  expect(stored(id)).toEqual({ note: 'second', w: 'running' })
})
