// Answers hold the finished value they read (store/finished-values.ts, atk33): from their first slice
// (or ready) to their last (or release), within a bound on all the bytes in memory (atk32). These
// check the bound (answers beyond it wait for room), and that an answer that ends early, its client
// hung up, gives its value back, even while it waits for room.
import { describe, expect, it } from 'vitest'
import { createFinishedBytes, type FinishedBytes } from '../../electron/store/finished-values'
import { createJobChanges } from '../../electron/store/job-changes'
import { jsonStream, RAW_SLICE_BYTES } from '../../electron/http/json-stream'
import { RawJson } from '../../electron/store/raw-json'
import type { Store } from '../../electron/store'
import { ManualClock, settle } from '../support/manual-clock'
import { until } from '../support/until'
import { finishedScriptJob, inputJsonOf, MB, storesPerTest } from '../support/finished-jobs'

const stores = storesPerTest()

/** A finished job whose stored input is `mb` MB of JSON (its uuid repeated); its id and that JSON. */
function finishedJob(store: Store, mb: number, uuid: string): { id: number; json: string } {
  const json = inputJsonOf(mb * MB, uuid)
  return { id: finishedScriptJob(store, uuid, json), json }
}

/** Whether `p` has settled once the queued ticks and promise callbacks have run (the clock standing still: no hold's timer fires). */
async function settled(p: Promise<unknown>): Promise<boolean> {
  let done = false
  void p.then(() => (done = true))
  await settle()
  return done
}

/** Resolves once the bytes `kept` holds for answers are `bytes` (checked every 10 ms); fails after 5 s. */
const heldReaches = (kept: FinishedBytes, bytes: number) => until(() => kept.stats.heldBytes, (held) => held === bytes, 'held bytes', 5000)

/**
 * A store with finished jobs of `jobsMb` MB inputs (uuids a, b, c, d) and a FinishedBytes over it kept
 * to `limitMb` MB; `changed` says a job was written (as the store's writes do).
 */
function setUp(limitMb: number, jobsMb: number[]): { store: Store; kept: FinishedBytes; jobs: { id: number; json: string }[]; changed(id: number): void } {
  const t = stores.open()
  const changes = createJobChanges()
  // no worker reader: loads run here, counted the same; a still clock: no wait for room ends by time (HOLD_IDLE_MS, HOLD_WAIT_MS)
  const kept = createFinishedBytes(t.store.jobs, changes, limitMb * MB, undefined, 2 * limitMb * MB, new ManualClock())
  const jobs = jobsMb.map((mb, i) => finishedJob(t.store, mb, 'abcd'[i]))
  return { store: t.store, kept, jobs, changed: (id) => changes.changed(id) }
}

describe('finished values held by the answers reading them', () => {
  it('an answer whose value does not fit beside the held ones waits for one to end, and memory stays within twice the kept bound', async () => {
    const { kept, jobs } = setUp(4, [3, 3, 3]) // held at most 8 MB: two 3 MB values, not three
    const [a, b, c] = jobs.map((j) => kept.slices(j.id, 'input', Buffer.byteLength(j.json)))
    expect(a.slice(0, RAW_SLICE_BYTES)!.length).toBe(RAW_SLICE_BYTES)
    expect(b.slice(0, RAW_SLICE_BYTES)!.length).toBe(RAW_SLICE_BYTES)
    expect(kept.stats.heldBytes).toBe(a.size + b.size)
    const cReady = c.ready!()
    expect(await settled(cReady)).toBe(false) // 9 MB would not fit 8
    expect(kept.stats.memoryBytes).toBeLessThanOrEqual(8 * MB)
    for (let at = RAW_SLICE_BYTES; at < a.size; at += RAW_SLICE_BYTES) a.slice(at, RAW_SLICE_BYTES) // a is read to its end: it lets go
    expect(await settled(cReady)).toBe(true) // woken by a's release, not by a timer
    expect(c.slice(0, 5)!.toString()).toBe(jobs[2].json.slice(0, 5))
    expect(kept.stats.heldBytes).toBe(b.size + c.size)
    expect(kept.stats.memoryBytes).toBeLessThanOrEqual(8 * MB)
    expect(kept.stats.keptBytes).toBeLessThanOrEqual(4 * MB)
    b.release!()
    c.release!()
    expect(kept.stats.heldBytes).toBe(0)
    expect(kept.stats.loads).toBe(3)
  })

  it('a streamed answer whose client hangs up gives its value back, and one waiting for room stops waiting and loads nothing', async () => {
    const { kept, jobs } = setUp(4, [3, 3, 3])
    const [a, b, c] = jobs.map((j) => new RawJson(kept.slices(j.id, 'input', Buffer.byteLength(j.json))))
    const streams = [a, b].map((raw) => jsonStream({ value: raw }))
    for (const s of streams) s.once('data', () => s.pause()) // a slow client: the stream reads about one slice ahead, then waits
    await heldReaches(kept, a.size + b.size) // each has read its first slice: holds its value
    const waiting = jsonStream({ value: c })
    waiting.on('data', () => undefined)
    await settle()
    expect(kept.stats.loads).toBe(2) // c waits for room: not loaded
    const loads = kept.stats.loads
    // the waiting one's client hangs up: it stops waiting (not after HOLD_WAIT_MS) and loads nothing
    waiting.destroy()
    await new Promise((r) => waiting.once('close', r))
    // the two others hang up mid-answer: their values are given back
    for (const s of streams) {
      s.destroy()
      await new Promise((r) => s.once('close', r))
    }
    await heldReaches(kept, 0) // the generators' finally blocks run once they are returned, after close
    expect(kept.stats.loads).toBe(loads)
    expect(kept.stats.keptBytes).toBeLessThanOrEqual(4 * MB)
  })

  it('an answer holding a value whose job is written meanwhile reads what is stored then, and the old bytes count until it lets go', () => {
    const { store, kept, jobs, changed } = setUp(4, [3])
    const { id, json } = jobs[0]
    const a = kept.slices(id, 'input', Buffer.byteLength(json))
    expect(a.slice(0, 5)!.toString()).toBe(json.slice(0, 5))
    store.jobs.delete(id)
    changed(id)
    expect(kept.stats).toMatchObject({ kept: 0, heldBytes: a.size }) // the old bytes are still this answer's
    expect(a.slice(5, 5)).toBeUndefined() // gone, as without holding
    expect(kept.stats.heldBytes).toBe(0)
  })
})
