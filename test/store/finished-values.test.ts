// A finished execution's large context streamed in slices (#9 §2): a Rill Flow context stored after
// its input (migration 023) was rebuilt whole, and any stored value loaded whole, for every 1 MB slice
// of an answer. Now a slice of the tail reads no input, and a finished value is loaded once and kept
// (bounded by bytes) while its job is not written again.
import { describe, expect, it } from 'vitest'
import { createFinishedBytes, finishedValue, LARGE_WINDOW_BYTES } from '../../electron/store/finished-values'
import { LOAD_HERE_BUDGET_MS, LOAD_HERE_BYTES, LOAD_HERE_START_MS_PER_MIB, LOAD_HERE_WINDOW_MS } from '../../electron/store/load-here-budget'
import { createJobChanges } from '../../electron/store/job-changes'
import { jsonStream, RAW_SLICE_BYTES } from '../../electron/http/json-stream'
import { RawJson } from '../../electron/store/raw-json'
import { valueReader } from '../../electron/store/value-reader'
import type { Store } from '../../electron/store'
import { finish, finishedJobOfBytes, MB, storesPerTest } from '../support/finished-jobs'
import { ManualClock } from '../support/manual-clock'

const TAIL = ',"flow_execution_id":"ws:dag-1"}'

/** A finished Rill Flow-like job whose context is its `mb` MB input plus a key, stored as a tail after the input. */
function finishedExecution(store: Store, mb: number, uuid = 'u'): { id: number; whole: string } {
  const inputJson = `{"s":"${'x'.repeat(mb * MB)}","n":1}`
  const id = finish(store, store.jobs.create({ uuid, kind: 'workflow', name: 'ws:dag', submitter: 'admin', input: { n: 1 }, inputJson, context: { n: 1 }, contextTail: TAIL }, []))
  return { id, whole: `${inputJson.slice(0, -1)}${TAIL}` }
}

/**
 * `store`'s jobs as FinishedBytes reads them, counting what SQLite does on this thread: `whole` loads of
 * a value and `slices` cut by SQLite (each loads the whole stored value to cut it).
 */
function countedJobs(store: Store): { jobs: Parameters<typeof createFinishedBytes>[0]; sqlite: { whole: number; slices: number } } {
  const sqlite = { whole: 0, slices: 0 }
  const jobs: Parameters<typeof createFinishedBytes>[0] = {
    stateBytes: (...a) => (sqlite.whole++, store.jobs.stateBytes(...a)),
    stateSlices: (...a) => {
      const slices = store.jobs.stateSlices(...a)
      return slices && { size: slices.size, slice: (from, length) => (sqlite.slices++, slices.slice(from, length)) }
    },
  }
  return { jobs, sqlite }
}

const stores = storesPerTest()
const open = (): Store => stores.open().store

describe('a finished value read a slice at a time', () => {
  it('reads a slice of a context stored after its input without rebuilding the context', () => {
    const store = open()
    const { id, whole } = finishedExecution(store, 16)
    const slices = store.jobs.stateSlices(id, 'context')!
    // a slice across the input's end and the tail, and one in the input, are the context's bytes
    const edge = Buffer.byteLength(whole) - TAIL.length - 5
    expect(slices.slice(edge, 12)!.toString()).toBe(whole.slice(edge, edge + 12))
    expect(slices.slice(3, 10)!.toString()).toBe(whole.slice(3, 13))
    // the last slice lies in the stored tail: it reads none of the 16 MB input. Each slice rebuilt the
    // whole context from the stored input (as costly as the first): with the input's row gone, the tail
    // is still answered from its own row, where a rebuild has nothing to build from
    store.db.prepare("DELETE FROM job_values WHERE job_id = ? AND name = 'input'").run(id)
    expect(slices.slice(slices.size - 20, 20)?.toString()).toBe(whole.slice(-20))
    expect(slices.slice(3, 10)).toBeUndefined() // a slice of the input's part reads the input's row
  })

  it('loads a finished context once for all the slices of its answers, not once per slice', () => {
    const store = open()
    const { id, whole } = finishedExecution(store, 24)
    const job = { id, status: 'succeeded' as const }
    const { jobs, sqlite } = countedJobs(store)
    const stores = { jobs: store.jobs, finishedViews: store.finishedViews, finishedBytes: createFinishedBytes(jobs, createJobChanges()) }
    const answer = (): Buffer => {
      const { slices } = finishedValue(stores, job, 'context')!
      const parts: Buffer[] = []
      for (let at = 0; at < slices.size; at += RAW_SLICE_BYTES) parts.push(slices.slice(at, RAW_SLICE_BYTES)!)
      return Buffer.concat(parts)
    }
    expect(answer().toString()).toBe(whole)
    // 25 slices: each loaded (and rebuilt) the whole 24 MB context in SQLite, 25 whole reads; now one
    expect(sqlite).toEqual({ whole: 1, slices: 0 })
    expect(stores.finishedBytes.stats.loads).toBe(1)
    answer()
    expect(sqlite).toEqual({ whole: 1, slices: 0 }) // a second answer loads nothing
    expect(stores.finishedBytes.stats.loads).toBe(1)

    // a write of the job (here its delete) drops its kept bytes: a slice then finds the value gone
    const { slices } = finishedValue(store, job, 'context')!
    store.jobs.delete(id)
    expect(slices.slice(0, 10)).toBeUndefined()
    expect(store.finishedBytes.stats.kept).toBe(0)
  })

  it('loads a kept value in a worker thread when its reader can wait, so no slice loads it on the main thread', async () => {
    const store = open()
    const { id, whole } = finishedExecution(store, 24)
    const job = { id, status: 'succeeded' as const }
    let mainThreadLoads = 0
    const jobs = { ...store.jobs, stateBytes: (...a: Parameters<Store['jobs']['stateBytes']>) => (mainThreadLoads++, store.jobs.stateBytes(...a)) }
    const changes = createJobChanges()
    const kept = createFinishedBytes(jobs, changes, 64 * MB, valueReader(store.db.name))
    const size = finishedValue(store, job, 'context')!.slices.size
    // two answers at once: one load between them
    const [a, b] = [kept.slices(id, 'context', size), kept.slices(id, 'context', size)]
    await Promise.all([a.ready!(), b.ready!()])
    expect(kept.stats).toMatchObject({ kept: 1, keptBytes: size, loads: 1, offThread: 1 })
    const parts: Buffer[] = []
    for (let at = 0; at < size; at += RAW_SLICE_BYTES) parts.push(a.slice(at, RAW_SLICE_BYTES)!)
    expect(Buffer.concat(parts).toString()).toBe(whole)
    expect(mainThreadLoads).toBe(0)
    // the answer streamed over HTTP waits for it the same way (json-stream.ts)
    const streamed: Buffer[] = []
    for await (const piece of jsonStream({ context: new RawJson(store.finishedBytes.slices(id, 'context', size)) })) streamed.push(piece as Buffer)
    expect(JSON.parse(Buffer.concat(streamed).toString()).context).toEqual(JSON.parse(whole))
    expect(store.finishedBytes.stats).toMatchObject({ loads: 1, offThread: 1 })

    // a write of the job while a load is under way: what was read is not kept (it may be the old value)
    changes.changed(id)
    const c = kept.slices(id, 'context', size)
    const loading = c.ready!()
    changes.changed(id)
    await loading
    expect(kept.stats).toMatchObject({ kept: 0, offThread: 2 })
    expect(c.slice(0, 5)!.toString()).toBe(whole.slice(0, 5)) // read on this thread, as without a worker
    expect(mainThreadLoads).toBe(1)
  }, 60_000) // 15-16 s at load 9-13 (a 24 MB value written, then loaded in worker threads three times): past the 20 s default at load 13-17

  it('loads a value of at most LOAD_HERE_BYTES on its first slice, starting no worker thread for it', async () => {
    const store = open()
    const { id, json } = finishedJobOfBytes(store, 'admin', 'small', LOAD_HERE_BYTES)
    const kept = createFinishedBytes(store.jobs, createJobChanges(), 64 * MB, valueReader(store.db.name))
    const answer = kept.slices(id, 'input', Buffer.byteLength(json), 'admin')
    await answer.ready!()
    expect(kept.stats).toMatchObject({ loads: 0, offThread: 0 })
    expect(answer.slice(0, 8)!.toString()).toBe(json.slice(0, 8))
    expect(kept.stats).toMatchObject({ loads: 1, offThread: 0, kept: 1 })
    answer.release?.()
  })

  it('loads small values on the main thread for at most LOAD_HERE_BUDGET_MS a window, foreseen from the last loads, the rest in a worker thread', async () => {
    const store = open()
    // 64 first slices of distinct 2 MiB values at once loaded each on the main thread (6-74 ms apiece)
    const values = 'abcdefghij'.split('').map((uuid) => finishedJobOfBytes(store, 'admin', uuid, LOAD_HERE_BYTES))
    const clock = new ManualClock()
    let msPerLoad = 2 // what a main-thread load takes on this (manual) clock: an idle machine's
    const jobs: Parameters<typeof createFinishedBytes>[0] = { stateSlices: store.jobs.stateSlices, stateBytes: (...a) => (clock.advance(msPerLoad), store.jobs.stateBytes(...a)) }
    const kept = createFinishedBytes(jobs, createJobChanges(), 64 * MB, valueReader(store.db.name), 128 * MB, clock)
    const answers = values.map((v) => kept.slices(v.id, 'input', Buffer.byteLength(v.json), 'admin'))
    /** Readies answers `from`..`to` at once, then reads their first slices: how many loaded on this thread. */
    const readAtOnce = async (from: number, to: number): Promise<number> => {
      const { loads, offThread } = kept.stats
      await Promise.all(answers.slice(from, to).map((a) => a.ready!()))
      answers.slice(from, to).forEach((a, i) => expect(a.slice(0, 8)!.toString()).toBe(values[from + i].json.slice(0, 8)))
      expect(kept.stats.loads - loads).toBe(to - from) // each loaded once, here or in a worker
      return kept.stats.loads - loads - (kept.stats.offThread - offThread)
    }
    // before any load was timed, a 2 MiB load is foreseen at 74 ms (LOAD_HERE_START_MS_PER_MIB): one fits the budget
    expect(LOAD_HERE_BUDGET_MS / (2 * LOAD_HERE_START_MS_PER_MIB)).toBeLessThan(2)
    expect(await readAtOnce(0, 4)).toBe(1)
    // that load took 2 ms (1 ms a MiB): the next are foreseen at 19 ms a MiB (half of each), and a window later two fit
    clock.advance(LOAD_HERE_WINDOW_MS)
    expect(await readAtOnce(4, 8)).toBe(2)
    expect(kept.stats).toMatchObject({ loads: 8, offThread: 5 })
    // the machine gets loaded: a load takes 400 ms, and the next are foreseen over the whole budget; the
    // first of each window still loads here, so the foresight is timed again (not left stuck off the main thread)
    msPerLoad = 400
    clock.advance(LOAD_HERE_WINDOW_MS)
    expect(await readAtOnce(8, 9)).toBe(1)
    clock.advance(LOAD_HERE_WINDOW_MS)
    expect(await readAtOnce(9, 10)).toBe(1)
    answers.forEach((a) => a.release?.())
  }, 60_000)

  it('reads a value over the kept bound a window at a time in a worker thread, never cutting a slice of it on the main thread', async () => {
    const store = open()
    // over the kept bound (16 MB here; FINISHED_BYTES_LIMIT, 64 MB, in the app: the same path, a quarter of
    // the bytes to write and read on a loaded machine), never kept; SQLite loads it whole to cut any slice of it
    const { id, json } = finishedJobOfBytes(store, 'admin', 'big', 20 * MB + 8)
    const { jobs, sqlite } = countedJobs(store) // whole loads and SQLite slices on this thread
    const changes = createJobChanges()
    const kept = createFinishedBytes(jobs, changes, 16 * MB, valueReader(store.db.name))
    const size = Buffer.byteLength(json)
    const streamed: Buffer[] = []
    for await (const piece of jsonStream({ input: new RawJson(kept.slices(id, 'input', size, 'admin')) })) streamed.push(Buffer.from(piece as Buffer | string))
    expect(Buffer.concat(streamed).equals(Buffer.from(`{"input":${json}}`))).toBe(true)
    // 21 slices of 1 MB: each was a whole 20 MB load in SQLite on this thread; now 3 windows of 8 MB in a worker
    expect(sqlite).toEqual({ whole: 0, slices: 0 })
    expect(kept.stats).toMatchObject({ windows: Math.ceil(size / LARGE_WINDOW_BYTES), loads: 0, kept: 0, heldBytes: 0 })

    // its job deleted while an answer keeps a window: the rest of the window is not answered, the value is gone
    const answer = kept.slices(id, 'input', size, 'admin')
    expect((await answer.read!(0, MB))!.toString()).toBe(json.slice(0, MB))
    store.jobs.delete(id)
    changes.changed(id) // what the store's own JobChanges is told of a delete
    expect(await answer.read!(MB, MB)).toBeUndefined()
    expect(sqlite).toEqual({ whole: 0, slices: 0 })
  }, 60_000)

  it('keeps at most its bound of bytes, dropping the least recently read, and slices a larger value from SQLite', () => {
    const store = open()
    const a = finishedExecution(store, 1, 'a')
    const b = finishedExecution(store, 1, 'b')
    const big = finishedExecution(store, 3, 'big')
    const changes = createJobChanges()
    const kept = createFinishedBytes(store.jobs, changes, 2.5 * MB)
    const sizeOf = (id: number): number => store.jobs.stateSlices(id, 'context')!.size
    // an answer that reads 8 bytes and ends (released: left held, the answers would fill the memory
    // bound, and a value with no room is sliced from SQLite without a whole load to count)
    const read = (id: number): string => {
      const slices = kept.slices(id, 'context', sizeOf(id))
      const text = slices.slice(0, 8)!.toString()
      slices.release?.() // a value over the bound is sliced from SQLite: nothing held
      return text
    }
    read(a.id)
    read(b.id)
    expect(kept.stats).toMatchObject({ kept: 2, loads: 2 })
    read(a.id) // a is now the most recently read
    read(big.id) // 3 MB: more than the bound, never kept
    expect(kept.stats).toMatchObject({ kept: 2, loads: 2 })
    expect(read(big.id)).toBe(big.whole.slice(0, 8))
    const c = finishedExecution(store, 1, 'c')
    read(c.id) // room for c: b, read least recently, goes
    expect(kept.stats.kept).toBe(2)
    expect(kept.stats.keptBytes).toBeLessThanOrEqual(2.5 * MB)
    read(a.id)
    expect(kept.stats.loads).toBe(3)
    read(b.id)
    expect(kept.stats.loads).toBe(4)
    // a job written is read again from the store
    changes.changed(b.id)
    read(b.id)
    expect(kept.stats.loads).toBe(5)
  })
})
