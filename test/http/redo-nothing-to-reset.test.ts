// newuser trial (M4): a Rill Flow redo that resets nothing — task names the execution does not have,
// or no names of an execution that succeeded — answered ok (as Rill Flow's redo.json does) but re-opened
// the ended execution: its tasks (20,002 of a 20,000-item foreach) were read back into memory, the main
// thread held 2.3 s, and the job's finish time moved to the redo, its duration 8.7 s → "14 min 35 s".
// An ended execution a redo resets nothing of stays as it ended; its log says what was asked.
import { afterAll, beforeAll, expect, it } from 'vitest'
import { uuidOfExecutionId } from '../../electron/workflows/rillflow/runtime/names'
import { startTestApp, waitForStatus, type TestApp } from '../support/app'
import { addUser, type TestUser } from '../support/users'
import { addFlow, foreachWorkflow, PASS_STEP } from '../support/workflows'

let t: TestApp
let bob: TestUser
beforeAll(async () => {
  t = await startTestApp({ concurrency: 8 })
  bob = await addUser(t, 'bob')
  await addFlow(bob, 'bobs', 'wide', foreachWorkflow('bobs:wide', PASS_STEP))
}, 60_000)
afterAll(() => t?.close())

async function endedExecution(items: number): Promise<{ executionId: string; id: number; job: any }> {
  const r = await bob.call('POST', '/flow/submit.json?descriptor_id=bobs:wide', { items: Array.from({ length: items }, (_, i) => i) })
  expect(r.status, JSON.stringify(r.body)).toBe(200)
  const id = t.app.store.jobs.getByUuid(uuidOfExecutionId(r.body.execution_id))!.id
  return { executionId: r.body.execution_id, id, job: await waitForStatus(t, id, ['succeeded', 'failed']) }
}

const logText = async (id: number) => (await bob.call('GET', `/api/v1/jobs/${id}/logs?size=1000`)).body.lines.map((l: any) => l.text).join('\n')

it.each([
  ['task names it does not have', '&task_names=nosuch,other', /redo: no task named nosuch, other; nothing reset/],
  ['no names, of an execution that succeeded', '', /redo: no unfinished task; nothing reset/],
])('leaves an ended execution as it ended when a redo resets nothing: %s', { timeout: 60_000 }, async (_, query, note) => {
  const { executionId, id, job } = await endedExecution(2_000)
  expect(job.status).toBe('succeeded')
  const redo = await bob.call('POST', `/flow/redo.json?execution_id=${encodeURIComponent(executionId)}${query}`, {})
  expect(redo.status, JSON.stringify(redo.body)).toBe(200)
  expect(redo.body).toEqual({ result: 'ok' }) // as Rill Flow answers it
  const after = (await bob.call('GET', `/api/v1/jobs/${id}`)).body
  expect({ status: after.status, finishedAt: after.finishedAt }).toEqual({ status: 'succeeded', finishedAt: job.finishedAt })
  expect(await logText(id)).toMatch(note)
})

// A redo's context patch goes into the tasks it resets: one that resets nothing is answered ok, as Rill
// Flow answers it, but its patch goes nowhere, which the log said nothing of (ctxw). Said once, in a
// line of bounded length however long the patch.
it('says in the log, once and briefly, that a redo resetting nothing did not apply its context patch', { timeout: 60_000 }, async () => {
  const { executionId, id } = await endedExecution(2)
  const patch = { note: 'x'.repeat(100_000) }
  for (let i = 0; i < 3; i++) {
    const redo = await bob.call('POST', `/flow/redo.json?execution_id=${encodeURIComponent(executionId)}&task_names=nosuch`, patch)
    expect(redo.status, JSON.stringify(redo.body)).toBe(200)
    expect(redo.body).toEqual({ result: 'ok' })
  }
  const lines = (await bob.call('GET', `/api/v1/jobs/${id}/logs?size=1000`)).body.lines.map((l: any) => l.text as string).filter((l: string) => l.startsWith('redo:'))
  expect(lines).toEqual([expect.stringMatching(/^redo: no task named nosuch; nothing reset, and its context patch \(100,011 characters\) was not applied$/)])
  expect(t.app.store.jobs.get(id)!.context).not.toHaveProperty('note')
})
