// atk32 (failing now): finishedBytes keeps finished values' bytes "up to FINISHED_BYTES_LIMIT in
// all", but a slice it hands out is a subarray of the whole kept value, so every slice still in
// flight (in a slow client's socket, or the one piece a streamed answer reads ahead) holds the whole
// value alive. When the answers under way read more values than the bound holds, each slice loads
// its value whole again (the least recently read was dropped) and pins a fresh copy: N slow readers
// hold N x 2 whole values (up to 48 MB each: 16 M characters of 3-byte UTF-8 fit the 64 MB bound),
// where slices of their own (as SQLite gave them before) held 2 x 1 MB each.
import { describe, expect, it } from 'vitest'
import { createFinishedBytes } from '../../electron/store/finished-values'
import { createJobChanges } from '../../electron/store/job-changes'
import { RAW_SLICE_BYTES } from '../../electron/http/json-stream'
import { finishedScriptJob, inputJsonOf, MB, storesPerTest } from '../support/finished-jobs'

const stores = storesPerTest()

/** Bytes of memory the buffers `held` keep alive: each distinct ArrayBuffer under them once. */
function pinnedBytes(held: Buffer[]): number {
  const buffers = new Set(held.map((b) => b.buffer))
  let total = 0
  for (const b of buffers) total += b.byteLength
  return total
}

describe('finished values kept in memory: what slices in flight hold', () => {
  it('slow answers reading more values than the bound pin no more than the bound and their own slices', () => {
    const store = stores.open().store
    const bound = 8 * MB
    const kept = createFinishedBytes(store.jobs, createJobChanges(), bound)
    const ids = ['a', 'b', 'c', 'd'].map((u) => finishedScriptJob(store, u, inputJsonOf(6 * MB)))
    // four answers under way, each a slow client: its socket holds the slice written last and the
    // stream has read one piece ahead (json-stream.ts: a byte stream, about one piece read ahead)
    const inFlight = new Map<number, Buffer[]>(ids.map((id) => [id, []]))
    for (let round = 0; round < 3; round++) {
      for (const id of ids) {
        const size = store.jobs.stateSlices(id, 'input')!.size
        const slice = kept.slices(id, 'input', size).slice(round * RAW_SLICE_BYTES, RAW_SLICE_BYTES)!
        expect(slice.length).toBe(RAW_SLICE_BYTES)
        const held = inFlight.get(id)!
        held.push(slice)
        if (held.length > 2) held.shift() // flushed to the client: no longer held
      }
    }
    const held = [...inFlight.values()].flat()
    const ownBytes = held.reduce((n, b) => n + b.length, 0) // 8 slices of 1 MB
    expect(kept.stats.keptBytes).toBeLessThanOrEqual(bound) // the map itself keeps to its bound
    // ...but the slices in flight hold 8 whole values of 6 MB (48 MB) alive, six times the bound
    expect(pinnedBytes(held)).toBeLessThanOrEqual(bound + ownBytes)
  })
})
