// #9 attack (atk, heap per counted byte, a path still counted by characters): a submitted context is
// weighed by its JSON shape (shared/quotas.ts heldJsonWeight, migration 046), and so are tasks' inputs
// and outputs (tasks.value_weight), but the live context a flow's mappings write into is counted in
// jobs.state_bytes by its characters only (quotas.ts says so: "contexts and groups' sub-contexts are
// still weighed by their bytes only"). A plain user submits a small context of 30,000 `{}` (weighed by
// its maps), a pass task copies it to 60 keys of the context by output mappings (no task value made),
// then a suspense task waits: each execution's stored context is 61 copies of `[{},...]`, counted by
// characters (~3 bytes a map), held as ~64 heap bytes a map once parsed (after a restart each copy is
// its own). The test measures the heap (forced GC) per counted byte of held work, running and after a
// restart, against the 8 the bound's weights promise (attack-held-tiny-values-heap.test.ts).
import { afterAll, describe, expect, it } from 'vitest'
import { MAX_HELD_WORK_PER_USER } from '../../shared/quotas'
import { startTestApp, type TestApp } from '../support/app'
import { tempDir } from '../support/temp-store'
import { addUser } from '../support/users'
import { heapAfterGc as heap } from '../support/heap'

const MiB = 1024 * 1024
/** Heap bytes (forced GC) one counted byte of held work may hold, whatever the shape of its JSON. */
const PER_COUNTED_BYTE = 8
/** Maps in the submitted list. */
const MAPS = 30_000
/** Copies of it the pass task's output mappings write into the context. */
const COPIES = 60
/** Executions submitted at most. */
const MOST = 12

let t: TestApp | undefined
afterAll(() => t?.close())

const copies = Array.from({ length: COPIES }, (_, i) => `{source: $.context.items, target: $.context.c${i}}`).join(', ')
const DESCRIPTOR =
  'workspace: mals\ndagName: copies\ntype: flow\ntasks:\n' +
  `  - {category: pass, name: a, next: w, outputMappings: [${copies}]}\n` +
  '  - {category: suspense, name: w, conditions: ["$.input.[?(@.go == true)]"], inputMappings: [{source: $.context.go, target: $.input.go}]}\n'

describe('what waiting executions hold when their mappings copy a list of tiny maps within the context', () => {
  // found on 8eff8e3d at load 15: 9 executions accepted, 16.1 heap bytes per counted byte (+1,024 MiB);
  // fixed by weighing every context write by its shape (migration 048, store/state-json.ts heldWeightPastChars)
  it('holds within 8 heap bytes per counted byte, running and after a restart', { timeout: 400_000 }, async () => {
    const dir = tempDir()
    const start = () => startTestApp({ concurrency: 8, dataDir: dir })
    t = await start()
    const mallory = await addUser(t, 'mallory')
    const added = await mallory.call('POST', '/flow/bg/manage/descriptor/add_descriptor.json?business_id=mals&feature_name=copies&alias=release', DESCRIPTOR, { 'content-type': 'text/plain' })
    expect(added.status, JSON.stringify(added.body)).toBe(200)
    const body = `{"items":[${Array.from({ length: MAPS }, () => '{}').join(',')}]}`
    const before = heap()
    let peak = 0
    let accepted = 0
    let refusal: { status: number; body: any } | undefined
    for (let i = 0; i < MOST && !refusal; i++) {
      const r = await mallory.call('POST', '/flow/submit.json?descriptor_id=mals:copies', body, { 'content-type': 'application/json' })
      if (r.status === 200) accepted++
      else refusal = r
      await new Promise((ok) => setTimeout(ok, 300))
      peak = Math.max(peak, heap())
    }
    await new Promise((ok) => setTimeout(ok, 1_000))
    const running = Math.max(peak, heap()) - before
    const held = t.app.store.keptBytes.liveStateOf('mallory')
    await t.app.close()
    const closed = heap()
    t = await start()
    await new Promise((ok) => setTimeout(ok, 3_000))
    const recovered = heap() - closed
    console.log(
      `context copies: ${accepted} executions accepted, then ${refusal?.status} ${String(JSON.stringify(refusal?.body)).slice(0, 200)}; held (counted) ${(held / MiB).toFixed(1)} MiB of ${MAX_HELD_WORK_PER_USER.bytes / MiB}; heap +${(running / MiB).toFixed(1)} MiB running (${(running / held).toFixed(2)} per counted byte), +${(recovered / MiB).toFixed(1)} MiB after a restart (${(recovered / held).toFixed(2)})`,
    )
    expect(running / held).toBeLessThanOrEqual(PER_COUNTED_BYTE)
    expect(recovered / held).toBeLessThanOrEqual(PER_COUNTED_BYTE)
  })
})
