// Attack (atk33) on the finished-values cache (store/finished-values.ts createFinishedBytes): a value
// is kept whole so that an answer streamed in 1 MB slices loads it once, not once per slice (SQLite
// loads a whole stored value to give any slice of it: a 48 MB context, 370 s -> 15 s). But the kept
// values share one bound (FINISHED_BYTES_LIMIT, 64 MB) and the least recently read goes first, so two
// answers read at once whose values do not fit together evict each other at every slice: each slice
// loads its value whole again, on the main thread, and the pathology is back. Any user can do it with
// two of their own finished executions (two get_context.json at once). Measured in-process (load
// 21-23, 2 cores): two finished 40 MB values read in 1 MB slices, interleaved: 82 whole loads, 183 s,
// the worst slice held the main thread 4.3 s; either one read alone: 1 load, 3.6 s.
// Expected: answers read at once load each value whole once (they wait for room, or hold their own
// value, rather than evicting each other's at every slice).
import { expect, it } from 'vitest'
import { createFinishedBytes } from '../../electron/store/finished-values'
import { createJobChanges } from '../../electron/store/job-changes'
import { RAW_SLICE_BYTES } from '../../electron/http/json-stream'
import { finishedScriptJob, inputJsonOf, MB, storesPerTest } from '../support/finished-jobs'

const stores = storesPerTest()

it('two answers read at once, whose values do not fit the bound together, load each value whole once', () => {
  const t = stores.open()
  const kept = createFinishedBytes(t.store.jobs, createJobChanges(), 8 * MB)
  const ids = ['a', 'b'].map((u) => finishedScriptJob(t.store, u, inputJsonOf(6 * MB)))
  const size = t.store.jobs.stateSlices(ids[0], 'input')!.size
  // two answers streaming at once (json-stream.ts writes a slice a turn: their slices alternate)
  const answers = ids.map((id) => kept.slices(id, 'input', size))
  const read = answers.map(() => 0)
  for (let from = 0; from < size; from += RAW_SLICE_BYTES) answers.forEach((a, i) => (read[i] += a.slice(from, RAW_SLICE_BYTES)!.length))
  expect(read).toEqual([size, size])
  // each 6 MB value was loaded whole for every 1 MB slice: 14 loads (84 MB read for 12 MB answered)
  expect(kept.stats.loads).toBeLessThanOrEqual(2)
})
