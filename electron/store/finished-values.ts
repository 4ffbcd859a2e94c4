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

import type { JobStatus } from '../../shared/status'
import type { FinishedViews } from './finished-views'
import type { JobChanges } from './job-changes'
import type { JobRepository, JobValueName } from './job.repository'
import type { StoredSlices } from './raw-json'
import type { ValueReader } from './value-reader'

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
 * finished and they fit in finishedBytes.
 */
export function finishedValue(store: FinishedStores, job: { id: number; status: JobStatus }, name: JobValueName): FinishedValue | null {
  const { jobs } = store
  const view = store.finishedViews.get(`value.${name}:${job.id}`, () => {
    const slices = jobs.stateSlices(job.id, name)
    const routeKeys = slices && name === 'context' ? jobs.contextHasRouteKeys(job.id) : false
    return { job: { id: job.id, status: job.status }, size: 64, value: slices ? { bytes: slices.size, routeKeys } : null }
  })
  if (!view?.value) return null
  return { slices: store.finishedBytes.slices(job.id, name, view.value.bytes), routeKeys: view.value.routeKeys }
}

/** How many bytes of finished jobs' stored values are kept in memory at most (a few large contexts). */
export const FINISHED_BYTES_LIMIT = 64 * 1024 * 1024

/** Finished jobs' stored values kept in memory to slice (createFinishedBytes). */
export interface FinishedBytes {
  /**
   * Job `jobId`'s stored `name` value of `size` bytes (finished: nothing rewrites it) to read a slice
   * at a time: it is loaded whole once and kept when it fits (least recently read values make room),
   * and slices are cut from memory; a larger one is read from SQLite slice by slice. `ready()` loads
   * it in a worker thread (when the store has a reader for that); a slice asked for before it is kept
   * loads it on the calling thread. A slice is undefined when the value is gone (its job deleted).
   */
  slices(jobId: number, name: JobValueName, size: number): StoredSlices
  /**
   * How many values are kept, how many times one was loaded whole (`loads`, on any thread), and how
   * many of those loads ran in a worker thread (`offThread`): for tests and figures.
   */
  readonly stats: { kept: number; keptBytes: number; loads: number; offThread: number }
}

/**
 * Keeps finished values' bytes, at most `limit` bytes in all. A write of a job (JobChanges: a delete,
 * a rerun) drops its values, so a later slice reads what is stored then. `read`, when given, loads a
 * value off the main thread for StoredSlices.ready (value-reader.ts); a load that fails leaves the
 * value to be loaded by its first slice, as without it.
 */
export function createFinishedBytes(
  jobs: Pick<JobRepository, 'stateBytes' | 'stateSlices'>,
  changes: JobChanges,
  limit = FINISHED_BYTES_LIMIT,
  read?: ValueReader,
): FinishedBytes {
  const kept = new Map<string, Buffer>() // in order of last read: the first is dropped first
  const loading = new Map<string, Promise<void>>() // loads in worker threads under way, one per value
  const writes = new Map<number, number>() // writes of each job seen while a load of its values was under way
  let keptBytes = 0
  let loads = 0
  let offThread = 0
  const drop = (key: string): void => {
    const bytes = kept.get(key)
    if (!bytes) return
    keptBytes -= bytes.length
    kept.delete(key)
  }
  changes.listen((jobId) => {
    for (const name of ['input', 'context', 'result'] as const) drop(`${jobId}:${name}`)
    if (writes.has(jobId)) writes.set(jobId, writes.get(jobId)! + 1)
  })
  const keep = (key: string, bytes: Buffer): void => {
    for (const first of kept.keys()) {
      if (keptBytes + bytes.length <= limit) break
      drop(first)
    }
    kept.set(key, bytes)
    keptBytes += bytes.length
  }
  /** The value's bytes, kept or loaded (and kept); undefined when it is gone. */
  const bytesOf = (jobId: number, name: JobValueName): Buffer | undefined => {
    const key = `${jobId}:${name}`
    const known = kept.get(key)
    if (known) {
      kept.delete(key) // read again: last to be dropped
      kept.set(key, known)
      return known
    }
    const bytes = jobs.stateBytes(jobId, name)
    loads++
    if (!bytes) return undefined
    keep(key, bytes)
    return bytes
  }
  /** Loads the value in a worker thread and keeps it, unless its job was written meanwhile (then what was read may be stale). */
  const loadOffThread = (jobId: number, name: JobValueName, key: string): Promise<void> => {
    const under = loading.get(key)
    if (under) return under
    const seen = writes.get(jobId) ?? 0
    writes.set(jobId, seen)
    const load = read!(jobId, name)
      .then(
        (bytes) => {
          loads++
          offThread++
          if (bytes && writes.get(jobId) === seen && !kept.has(key)) keep(key, bytes)
        },
        () => undefined, // the first slice loads it, as without a reader
      )
      .finally(() => {
        loading.delete(key)
        if (![...loading.keys()].some((k) => k.startsWith(`${jobId}:`))) writes.delete(jobId)
      })
    loading.set(key, load)
    return load
  }
  return {
    slices(jobId, name, size) {
      if (size > limit) return jobs.stateSlices(jobId, name, size)!
      const key = `${jobId}:${name}`
      // a copy: a subarray would keep the whole kept value alive for as long as a slow reader holds its slice (atk32)
      const slice = (from: number, length: number) => {
        const whole = bytesOf(jobId, name)
        return whole && Buffer.from(whole.subarray(from, from + length))
      }
      const ready = (): Promise<void> => (read && !kept.has(key) ? loadOffThread(jobId, name, key) : Promise.resolve())
      return { size, slice, ready }
    },
    get stats() {
      return { kept: kept.size, keptBytes, loads, offThread }
    },
  }
}
