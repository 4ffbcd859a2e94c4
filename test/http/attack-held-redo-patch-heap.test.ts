// Attack (#9, heap per counted byte, on 87ad4635 / migration 046): a submitted context is weighed by its
// JSON nodes (heldJsonWeight), tasks' inputs and outputs too, but a context written later counts its
// characters only (jobs.state_bytes; the commit says so). A redo.json's context patch is such a write:
// a plain user submits executions with a tiny context, each waiting on a suspense task, then redoes
// the waiting task of each with a patch of `{"items":[{},{},...]}` (300,000 maps, 0.9 MB): the patch is
// parsed and merged into the live context, and counted as 0.9 MB. Measured here (forced GC) what they
// hold per counted byte; the bound promises at most 8 (attack-held-tiny-values-heap.test.ts).
// Measured on 87ad4635: all 12 redone, held +10.3 MiB counted, heap +229.8 MiB: 22.3 per counted byte.
// Now a patch is weighed as a submitted context is (by its nodes), first against the bound, then counted
// with the context it is written into, by its shape (migration 047): the redos past the bound are refused, naming it.
import { afterAll, expect, it } from 'vitest'
import { MAX_HELD_WORK_PER_USER } from '../../shared/quotas'
import { startTestApp, type TestApp } from '../support/app'
import { tempDir } from '../support/temp-store'
import { addUser } from '../support/users'
import { heapAfterGc as heap } from '../support/heap'
import { untilExecutionsWait } from '../support/workflows'
import { uuidOfExecutionId } from '../../electron/workflows/rillflow/runtime/names'

const MiB = 1024 * 1024
/** Executions redone: few, so that the heap stays small however the attack turns out (~20 MiB each if it works). */
const EXECUTIONS = 12
/** Heap bytes (forced GC) one counted byte of held work may hold, whatever the shape of its JSON (as attack-held-tiny-values-heap). */
const PER_COUNTED_BYTE = 8

let t: TestApp | undefined
afterAll(() => t?.close())

it('waiting executions whose contexts a redo patched with [{},{},...] hold within 8 heap bytes per counted byte, the redos past the bound refused', { timeout: 300_000 }, async () => {
  t = await startTestApp({ concurrency: 8, dataDir: tempDir() })
  const mallory = await addUser(t, 'mallory')
  const descriptor = 'workspace: mals\ndagName: patched\ntype: flow\ntasks:\n  - {category: suspense, name: w, conditions: ["$.input.[?(@.go == true)]"], inputMappings: [{source: $.context.go, target: $.input.go}]}\n'
  const added = await mallory.call('POST', '/flow/bg/manage/descriptor/add_descriptor.json?business_id=mals&feature_name=patched&alias=release', descriptor, { 'content-type': 'text/plain' })
  expect(added.status, JSON.stringify(added.body)).toBe(200)
  const patch = '{"items":[' + Array.from({ length: 300_000 }, () => '{}').join(',') + ']}'
  const ids: string[] = []
  for (let i = 0; i < EXECUTIONS; i++) {
    const r = await mallory.call('POST', '/flow/submit.json?descriptor_id=mals:patched', { go: false })
    expect(r.status, JSON.stringify(r.body)).toBe(200)
    ids.push(r.body.execution_id)
  }
  await untilExecutionsWait(t.app, ids, { running: 1 }) // their tasks wait (was: 1 s)
  const before = heap()
  const heldBefore = t.app.store.keptBytes.liveStateOf('mallory')
  let redone = 0
  for (const id of ids) {
    const r = await mallory.call('POST', `/flow/redo.json?execution_id=${encodeURIComponent(id)}&task_names=w`, patch, { 'content-type': 'application/json' })
    if (r.status === 200) redone++
    else expect([r.status, JSON.stringify(r.body)]).toEqual([403, expect.stringMatching(/a user's unfinished jobs hold at most 64 MiB/)])
  }
  // saved, and waiting again (was: 2 s; the heap measured then and at once: +115.75 and +115.78 MiB)
  await untilExecutionsWait(t.app, ids, { running: 1 })
  const running = heap() - before
  const held = t.app.store.keptBytes.liveStateOf('mallory') - heldBefore
  const waiting = ids.map((id) => t!.app.store.jobs.getByUuid(uuidOfExecutionId(id))!.status)
  console.log(
    `${redone} of ${EXECUTIONS} redone with a ${(patch.length / 1e6).toFixed(2)} MB patch; statuses ${[...new Set(waiting)].join(',')}; held (counted) +${(held / MiB).toFixed(1)} MiB; heap +${(running / MiB).toFixed(1)} MiB (${(running / held).toFixed(2)} per counted byte)`,
  )
  expect(redone).toBeGreaterThan(0)
  expect(redone).toBeLessThan(EXECUTIONS) // each patch weighs ~9.6 MB: past the bound after a few
  expect(t.app.store.keptBytes.liveStateOf('mallory')).toBeLessThanOrEqual(MAX_HELD_WORK_PER_USER.bytes)
  expect(running / held).toBeLessThanOrEqual(PER_COUNTED_BYTE)
})
