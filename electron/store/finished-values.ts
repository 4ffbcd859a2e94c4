// A finished job's large stored values, answered as stored JSON (raw-json.ts): what an answer needs
// to know of one before streaming it — its size and whether it is an object with `__<route>` keys
// (sub-contexts of executions stored before #14, which views leave out) — is found once and kept
// while the job stays finished (finished-views.ts): its size from the stored length, the keys as
// stored with the value (migration 023; SQLite walks a value stored before). Finding it took a load
// and a parse of the whole value per read (json_each over 4 MB: 4 ms idle, 50 ms loaded, #9 §2).
// Its bytes are kept too, up to FINISHED_BYTES_LIMIT in all (createFinishedBytes): SQLite loads a
// whole stored value to give any slice of it, so an answer streamed in 1 MB slices loaded a 48 MB
// context 48 times (#9 §2); kept, it is loaded once and each slice costs only its own bytes. That one
// load is made in a worker thread (value-reader.ts) when the reader can wait for it (StoredSlices.ready:
// a streamed answer does): loaded on the main thread, a 48 MB value held every request 4 s at load 21.
// An answer holds its value until its last slice, so two answers read at once cannot drop each other's
// value at every slice (atk33), within a bound on all the bytes held (atk32: N slow readers, N values):
// two 40 MB values read at once in 1 MB slices were loaded 82 times (52 s, load 6-9); now twice (2.1 s).
// Each user has a share of that bound while another user waits for room (held-shares.ts): one user's
// readers asking for a slice every second held it all, and another user's answer waited 30 s. A value
// over the kept bound is read in LARGE_WINDOW_BYTES windows by the worker (largeSlices), never sliced
// here: SQLite loaded all of it for each 1 MB slice of it, on the main thread.

import type { JobStatus } from '../../shared/status'
import { systemClock, type Clock } from '../clock'
import type { FinishedViews } from './finished-views'
import { createHeldShares, type HeldValue } from './held-shares'
import { loadsUnderWay } from './loads-under-way'
import type { JobChanges } from './job-changes'
import type { JobRepository, JobValueName } from './job.repository'
import { LOAD_HERE_BYTES, loadHereBudget } from './load-here-budget'
import type { StoredSlices } from './raw-json'
import type { ValueReader } from './value-reader'
import { valueLoads } from './value-loads'

/** A stored value as finishedValue finds it: null when the job has none. */
export interface FinishedValue {
  /** Its bytes, read a slice at a time. */
  slices: StoredSlices
  /**
   * Whether it is a JSON object with a top-level key starting with `__`: looked for in a context only
   * (views leave such keys out of a context), false for an input or result.
   */
  routeKeys: boolean
}

/** The stores finishedValue reads (a Store has them). */
export interface FinishedStores {
  jobs: JobRepository
  finishedViews: FinishedViews
  finishedBytes: FinishedBytes
}

/**
 * The stored `name` value of job `job` (not running: nothing rewrites its values), or null when it
 * has none. Its size and `routeKeys` are kept while the job is finished; its bytes while it is
 * finished and they fit in finishedBytes. `reader`: the user name of whoever the answer is for, whose
 * holds count against their share of the bound (FinishedBytes.slices); none: one shared bucket.
 */
export function finishedValue(store: FinishedStores, job: { id: number; status: JobStatus }, name: JobValueName, reader?: string): FinishedValue | null {
  const { jobs } = store
  const view = store.finishedViews.get(`value.${name}:${job.id}`, () => {
    const slices = jobs.stateSlices(job.id, name)
    const routeKeys = slices && name === 'context' ? jobs.contextHasRouteKeys(job.id) : false
    return { job: { id: job.id, status: job.status }, size: 64, value: slices ? { bytes: slices.size, routeKeys } : null }
  })
  if (!view?.value) return null
  return { slices: store.finishedBytes.slices(job.id, name, view.value.bytes, reader), routeKeys: view.value.routeKeys }
}

/** How many bytes of finished jobs' stored values are kept in memory at most between reads (a few large contexts). */
export const FINISHED_BYTES_LIMIT = 64 * 1024 * 1024

/**
 * How long an answer waits for room to hold its value (FinishedBytes.slices, `ready`) before it reads
 * it as it did before values were held: slice by slice from the kept values, loaded again when dropped.
 */
export const HOLD_WAIT_MS = 30_000

/**
 * How long an answer may go without asking for a slice and keep its hold while another answer waits
 * for room: a client that opens answers and reads none of them held all the room for as long as it kept
 * its sockets open, and every other user's large answer waited HOLD_WAIT_MS (atk34: 8 paused 16 MB
 * answers, another user's 1 MB detail 30.2 s). Lapsed, it reads on as without holding (or holds again
 * when there is room). A reader at 1 MB a second asks for a slice every second; local clients read faster.
 */
export const HOLD_IDLE_MS = 2_000

/**
 * How much of a value too large to keep (over the kept bound) a worker thread reads at a time for an
 * answer (StoredSlices.read): SQLite loads such a value whole to cut any slice of it, so read in 1 MB
 * slices on the main thread a 100 MB value held it for 100 loads of 100 MB; read in 8 MB windows off
 * it, the worker makes 13 and the main thread none. The answer keeps one window until it reads past it.
 * An 80 MB value streamed (jsonStream), two runs at load 8-13: main-thread slices held the event loop
 * up to 4.4-7.1 s a slice (130-275 s, 48-50 s of CPU for the answer); 11 windows, 82-165 ms at most
 * (29-62 s, 14-15 s of CPU, nearly all in the worker). Larger windows cost fewer whole loads and more memory per answer.
 */
export const LARGE_WINDOW_BYTES = 8 * 1024 * 1024

/** Finished jobs' stored values kept in memory to slice (createFinishedBytes). */
export interface FinishedBytes {
  /**
   * Job `jobId`'s stored `name` value of `size` bytes (finished: nothing rewrites it) to read a slice
   * at a time: it is loaded whole once and kept when it fits (least recently read values make room),
   * and slices are cut from memory; a larger one is read from SQLite slice by slice, and by `read` a
   * LARGE_WINDOW_BYTES window at a time in a worker thread (when the store has a reader). The answer reading
   * it holds it from its first slice (or `ready`) to its last (or `release`), so answers read at once
   * never make each other load their values again (atk33), within the bound on bytes held in all.
   * `ready()` waits (at most HOLD_WAIT_MS) for that room (values loading for other answers count as held,
   * loads-under-way.ts) and loads the value in a worker thread on `reader`'s fair share of the threads (when
   * the store has a reader for that); a slice asked for before it is held loads it on the calling thread.
   * A hold lapses while another answer waits for room when its answer asked for no slice in
   * HOLD_IDLE_MS; an answer with no room reads each slice from SQLite when its value would not stay
   * in memory. `reader` (a user name; none: one shared bucket) owns the hold: while another user's
   * answer waits for room, a user holding more than an equal share of the bound gives back holds beyond
   * it (least recently read first) and takes no new ones past it, so no user, however fast it reads,
   * keeps the others waiting. A slice is undefined when the value is gone (its job deleted).
   */
  slices(jobId: number, name: JobValueName, size: number, reader?: string): StoredSlices
  /**
   * How many values are kept between reads and their bytes (`kept`, `keptBytes`, at most the limit),
   * the bytes of values held by answers under way (`heldBytes`: kept or not, each value once), the
   * bytes of values in memory (`memoryBytes`: kept or held, each once; at most the held limit), how many
   * times one was loaded whole (`loads`, on any thread), how many of those loads ran in a worker
   * thread (`offThread`), how many holds were given back for another answer's room (`lapses`: `idle`, or
   * over their user's `share`), the bytes each reader's answers hold (`heldBy`, by user name; each
   * value once per user), and how many windows of values too large to keep were read in a worker
   * thread (`windows`): for tests and figures.
   */
  readonly stats: { kept: number; keptBytes: number; heldBytes: number; memoryBytes: number; loads: number; offThread: number; lapses: { idle: number; share: number }; heldBy: Record<string, number>; windows: number }
}

/** A value's bytes, kept between reads and/or held by the answers reading it (`holders`). */
interface Value extends HeldValue {
  key: string
  /** Its job was written since it was loaded: its holders read it again from the store. */
  stale: boolean
}

/**
 * Keeps finished values' bytes between reads, at most `limit` bytes of them, and holds each value an
 * answer is reading (StoredSlices between its first slice and its last, or `release`) so that other
 * reads never drop it under that answer: each answer loads its value once, however many answers are
 * read at once (two 40 MB values read at once, each dropping the other to make room, were loaded 82
 * times in 183 s, atk33). The bytes in memory, kept or held, are at most `heldLimit` in all (two of the
 * largest kept values: answers holding values without a bound let N slow readers hold N whole values,
 * atk32): an answer whose value does not fit waits in `ready` for held values to be released, at most
 * HOLD_WAIT_MS, then reads it as without holding (each slice from the kept values, loading it again
 * when it was dropped). A write of a job (JobChanges: a delete, a rerun) drops its values, so a later
 * slice reads what is stored then. `read`, when given, loads a value off the main thread for
 * StoredSlices.ready (value-reader.ts); a load that fails leaves the value to be loaded by its first
 * slice, as without it. `clock` times holds (HOLD_WAIT_MS, HOLD_IDLE_MS) and the main thread's load
 * budget (load-here-budget.ts): a ManualClock in tests.
 */
export function createFinishedBytes(
  jobs: Pick<JobRepository, 'stateBytes' | 'stateSlices'>,
  changes: JobChanges,
  limit = FINISHED_BYTES_LIMIT,
  read?: ValueReader,
  heldLimit = 2 * limit,
  clock: Clock = systemClock,
): FinishedBytes {
  const kept = new Map<string, Value>() // in order of last read: the first is dropped first
  const held = new Set<Value>() // values answers under way hold (holders > 0), kept or not
  const waiting = new Set<() => void>() // answers waiting for room to hold their value, woken when some is released
  const wakeAll = (): void => {
    for (const wake of [...waiting]) wake()
  }
  // loads in a worker thread that answers wait for: their bytes count as held (loads-under-way.ts, atk13)
  const underWay = loadsUnderWay(wakeAll)
  let keptBytes = 0
  let heldBytes = 0
  let loads = 0
  let offThread = 0
  const windowsOf = new Map<number, Set<() => void>>() // each job's answers keeping a window of a value too large to keep: how each drops it
  let windows = 0
  const mainThreadLoads = loadHereBudget(clock) // the main thread's budget for loading small values itself
  // loads in a worker thread (value-reader.ts): what one read is kept, unless its job was written meanwhile
  const offThreadLoads =
    read &&
    valueLoads<Value>(read, (key, bytes, stale) => {
      loads++
      offThread++
      if (!bytes || stale) return undefined
      return kept.get(key) ?? keep(key, bytes)
    })
  /** Bytes in memory: the kept values and the held ones not kept, each once. */
  const inMemory = (): number => {
    let bytes = keptBytes
    for (const v of held) if (kept.get(v.key) !== v) bytes += v.bytes.length
    return bytes
  }
  const drop = (key: string): void => {
    const value = kept.get(key)
    if (!value) return
    keptBytes -= value.bytes.length
    kept.delete(key)
  }
  /**
   * Drops the least recently read values until the kept ones fit `limit` and all in memory fits
   * `heldLimit`: values no answer holds first (dropping a held one frees nothing while it is read),
   * then held ones (no longer kept for later reads; in memory until their answers end).
   */
  const trim = (): void => {
    for (const [key, v] of kept) {
      if (keptBytes <= limit && inMemory() <= heldLimit) return
      if (v.holders === 0) drop(key)
    }
    for (const key of kept.keys()) {
      if (keptBytes <= limit) return
      drop(key)
    }
  }
  changes.listen((jobId) => {
    for (const name of ['input', 'context', 'result'] as const) drop(`${jobId}:${name}`)
    for (const v of held) if (v.key.startsWith(`${jobId}:`)) v.stale = true
    offThreadLoads?.written(jobId)
    for (const drop of windowsOf.get(jobId) ?? []) drop()
  })
  /** Keeps `bytes` as the value `key`, held first by `holder` when given (else trimming might drop it at once). */
  const keep = (key: string, bytes: Buffer, holder?: (value: Value) => void): Value => {
    const value: Value = { key, bytes, holders: 0, stale: false }
    holder?.(value)
    kept.set(key, value)
    keptBytes += bytes.length
    trim() // may drop it again at once: a value loaded while held ones fill the memory bound is not kept
    return value
  }
  /**
   * Whether one more answer can hold `value` (held already: it costs nothing more) of `size` bytes beside
   * the held values and the loads under way (but value `key`'s own, which this answer's hold would be).
   */
  const room = (value: Value | undefined, size: number, key?: string): boolean => (value?.holders ?? 0) > 0 || heldBytes + underWay.bytes(key) + size <= heldLimit
  const hold = (value: Value): void => {
    if (value.holders++ > 0) return
    held.add(value)
    heldBytes += value.bytes.length
    trim()
  }
  const unhold = (value: Value): void => {
    if (--value.holders > 0) return
    held.delete(value)
    heldBytes -= value.bytes.length
    trim()
    wakeAll()
  }
  // the answers holding values, by user, and each user's share while another waits (held-shares.ts)
  const shares = createHeldShares<Value>(heldLimit, (size) => room(undefined, size))
  /**
   * Whether an answer of `reader` can hold value `key` (`value` when in memory, `size` bytes) now: room in
   * the bound, and within its share while others wait, the loads under way for its answers counted as held.
   */
  const mayHold = (reader: string, key: string, value: Value | undefined, size: number): boolean =>
    room(value, size, key) && shares.withinShare(reader, value, size + underWay.bytesOf(reader, key))
  // an answer dropped without its release (a bug) gives its room back when it is collected, not never
  const unheld = new FinalizationRegistry<Value>(unhold)
  /** The kept value, marked as read last; undefined when not kept. */
  const touch = (key: string): Value | undefined => {
    const value = kept.get(key)
    if (value) {
      kept.delete(key)
      kept.set(key, value)
    }
    return value
  }
  /** The value loaded on the calling thread and kept (when it fits), held first by `holder`; undefined when it is gone. */
  const loadHere = (jobId: number, name: JobValueName, key: string, holder?: (value: Value) => void): Value | undefined => {
    const started = clock.now()
    const bytes = jobs.stateBytes(jobId, name)
    loads++
    if (bytes) mainThreadLoads.timed(bytes.length, clock.now() - started)
    return bytes ? keep(key, bytes, holder) : undefined
  }
  /**
   * A value over `limit` (never kept or held): `slice` cuts each slice with SQLite here, as before; `read`
   * (with a reader) reads LARGE_WINDOW_BYTES windows in a worker thread, keeping the last one until the
   * answer reads past it or ends, or its job is written (a delete: the next read finds the value gone).
   */
  const largeSlices = (jobId: number, name: JobValueName, size: number, reader: string): StoredSlices => {
    const stored = jobs.stateSlices(jobId, name, size)!
    if (!read) return stored
    let window: { from: number; bytes: Buffer } | undefined
    const drop = (): void => {
      window = undefined
      const mine = windowsOf.get(jobId)
      mine?.delete(drop)
      if (mine?.size === 0) windowsOf.delete(jobId)
    }
    return {
      size,
      slice: (from, length) => stored.slice(from, length),
      async read(from, length, signal) {
        const inside = (w: { from: number; bytes: Buffer }) => from >= w.from && Math.min(from + length, size) <= w.from + w.bytes.length
        if (!window || !inside(window)) {
          drop() // its memory goes before the next window comes
          const bytes = await read(jobId, name, { owner: reader, signal, range: { from, length: Math.max(length, LARGE_WINDOW_BYTES) } })
          windows++
          if (!bytes) return undefined
          window = { from, bytes }
          windowsOf.set(jobId, (windowsOf.get(jobId) ?? new Set()).add(drop))
        }
        const at = from - window.from
        return Buffer.from(window.bytes.subarray(at, at + length))
      },
      release: drop,
    }
  }
  return {
    slices(jobId, name, size, user) {
      const reader = user ?? ''
      if (size > limit) return largeSlices(jobId, name, size, reader)
      const key = `${jobId}:${name}`
      let own: Value | undefined // the value this answer holds
      let released = false
      let stopWaiting: (() => void) | undefined
      const handle: StoredSlices = { size, slice, ready, release }
      function take(value: Value): void {
        own = value
        hold(value)
        unheld.register(handle, value, handle)
        shares.take(handle, { reader, lastRead: clock.now(), value: () => own, lapse: letGo })
      }
      function letGo(): void {
        if (!own) return
        shares.letGo(handle)
        unheld.unregister(handle)
        const value = own
        own = undefined
        unhold(value)
      }
      /**
       * Waits until some held value is released or HOLD_IDLE_MS passed (true: look again, idle holds may
       * lapse), or until `until` (ms since the epoch) or the answer ends (false).
       */
      function roomLater(until: number, signal?: AbortSignal): Promise<boolean> {
        return new Promise((resolve) => {
          const done = (got: boolean) => {
            clock.clearTimeout(timer)
            waiting.delete(wake)
            signal?.removeEventListener('abort', stop)
            stopWaiting = undefined
            resolve(got)
          }
          const wake = () => done(true)
          const stop = () => done(false)
          const left = until - clock.now()
          const timer = left > HOLD_IDLE_MS ? clock.setTimeout(wake, HOLD_IDLE_MS) : clock.setTimeout(stop, Math.max(0, left))
          waiting.add(wake)
          signal?.addEventListener('abort', stop)
          stopWaiting = stop
        })
      }
      async function ready(signal?: AbortSignal): Promise<void> {
        const until = clock.now() + HOLD_WAIT_MS
        const unwant = shares.want(reader)
        try {
          while (!released && !signal?.aborted && !(own && !own.stale)) {
            if (own) letGo() // stale: read again
            let value = touch(key)
            if (!mayHold(reader, key, value, size)) {
              shares.lapseIdle(clock.now() - HOLD_IDLE_MS)
              shares.lapseOverShare(reader, size)
              value = touch(key) // a lapsed hold may have dropped it
            }
            if (mayHold(reader, key, value, size)) {
              if (value) return take(value)
              // its first slice loads it: a worker thread costs more than a small load, while the main thread's budget lasts
              if (!read || (size <= LOAD_HERE_BYTES && mainThreadLoads.allows(size))) return
              // counted as held while it loads (so a user's many answers cannot all pass the check above at once), on the reader's share of the threads
              const loading = underWay.wait(key, size, reader)
              let loaded: Value | undefined
              try {
                loaded = await offThreadLoads!.load(jobId, name, key, reader, signal)
              } finally {
                loading()
              }
              if (!loaded) return // a write meanwhile, the load failed or the client hung up: its first slice loads it
              if (!released && !signal?.aborted && !loaded.stale && mayHold(reader, key, loaded, size)) return take(loaded)
            } else if (!(await roomLater(until, signal))) return
          }
        } finally {
          unwant()
        }
      }
      // a copy: a subarray would keep the whole value alive for as long as a slow reader holds its slice (atk32)
      function slice(from: number, length: number): Buffer | undefined {
        if (own?.stale) letGo() // its job was written: read what is stored now
        shares.read(handle, clock.now())
        let value = own
        if (!value) {
          value = touch(key)
          const holding = !released && mayHold(reader, key, value, size) // else read as without holding it
          if (value && holding) take(value)
          // neither held nor kept, a value that would not stay in memory is read slice by slice from the
          // store: loaded whole, it was dropped again at once, and loaded again at each slice (atk34: a
          // 16 MB value 16 times, 100-350 ms of the main thread each)
          else if (!value && !holding && inMemory() + underWay.bytes(key) + size > heldLimit) return jobs.stateSlices(jobId, name, size)?.slice(from, length)
          else value ??= loadHere(jobId, name, key, holding ? take : undefined)
        }
        const bytes = value && Buffer.from(value.bytes.subarray(from, from + length))
        if (from + length >= size) letGo() // the answer has read it to its end
        return bytes
      }
      function release(): void {
        released = true
        stopWaiting?.()
        letGo()
      }
      return handle
    },
    get stats() {
      return { kept: kept.size, keptBytes, heldBytes, memoryBytes: inMemory(), loads, offThread, lapses: { ...shares.lapses }, heldBy: shares.heldBy(), windows }
    },
  }
}
