// atk34: an answer that reads a finished value without holding it (no room: the held values fill the
// bound, store/finished-values.ts; a reader that waited HOLD_WAIT_MS, or whose hold lapsed) loaded the
// whole value on the main thread for every 1 MB slice: the load was kept, and at once dropped again to
// fit the memory bound, so the next slice loaded it again. A 16 MB value (STATE_JSON_LIMIT) is 16
// slices of 100-350 ms each (a whole load, measured alone at load 7-8): seconds of the main thread for
// one answer. Measured before the fix: 16 whole loads for one 16 MB answer, 1,691 ms of slicing (load 8.1).
import { expect, it } from 'vitest'
import { createFinishedBytes } from '../../electron/store/finished-values'
import { createJobChanges } from '../../electron/store/job-changes'
import { RAW_SLICE_BYTES } from '../../electron/http/json-stream'
import { finishedScriptJob, inputJsonOf, MB, storesPerTest } from '../support/finished-jobs'

const stores = storesPerTest()

it('an answer with no room to hold its 16 MB value reads it without loading it whole at each slice', () => {
  const t = stores.open()
  const kept = createFinishedBytes(t.store.jobs, createJobChanges(), 16 * MB) // held at most 32 MB: two such values
  const jobs = ['a', 'b', 'c'].map((uuid) => {
    const json = inputJsonOf(16 * MB - 1024, uuid)
    return { id: finishedScriptJob(t.store, uuid, json), json }
  })
  const [a, b, c] = jobs.map((j) => kept.slices(j.id, 'input', Buffer.byteLength(j.json)))
  a.slice(0, RAW_SLICE_BYTES) // two slow answers hold theirs, and all the room
  b.slice(0, RAW_SLICE_BYTES)
  expect(kept.stats.heldBytes).toBe(a.size + b.size)
  const loads = kept.stats.loads
  const parts: Buffer[] = []
  const t0 = performance.now()
  for (let at = 0; at < c.size; at += RAW_SLICE_BYTES) parts.push(c.slice(at, RAW_SLICE_BYTES)!)
  const ms = Math.round(performance.now() - t0)
  expect(Buffer.concat(parts).toString()).toBe(jobs[2].json) // read right, without holding
  expect(kept.stats.heldBytes).toBe(a.size + b.size)
  expect(kept.stats.loads - loads, `whole loads for one answer (${ms} ms of slicing)`).toBeLessThanOrEqual(1)
  a.release!()
  b.release!()
}, 120_000)
