// A finished job's large stored values, answered as stored JSON (raw-json.ts): what an answer needs
// to know of one before streaming it — its size and whether it is an object with `__<route>` keys
// (sub-contexts of executions stored before #14, which views leave out) — is found once and kept
// while the job stays finished (finished-views.ts): its size from the stored length, the keys as
// stored with the value (migration 023; SQLite walks a value stored before). Finding it took a load
// and a parse of the whole value per read (json_each over 4 MB: 4 ms idle, 50 ms loaded, #9 §2).
// Its bytes are kept too, up to FINISHED_BYTES_LIMIT in all (createFinishedBytes): SQLite loads a
// whole stored value to give any slice of it, so an answer streamed in 1 MB slices loaded a 48 MB
// context 48 times (#9 §2); kept, it is loaded once and each slice costs only its own bytes.

import type { JobStatus } from '../../shared/status'
import type { FinishedViews } from './finished-views'
import type { JobChanges } from './job-changes'
import type { JobRepository, JobValueName } from './job.repository'
import type { StoredSlices } from './raw-json'

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
   * at a time: its first slice loads it whole and keeps it when it fits (least recently read values
   * make room), later slices are cut from memory; a larger one is read from SQLite slice by slice.
   * A slice is undefined when the value is gone (its job deleted).
   */
  slices(jobId: number, name: JobValueName, size: number): StoredSlices
  /** How many values are kept, and how many times one was loaded whole (for tests and figures). */
  readonly stats: { kept: number; keptBytes: number; loads: number }
}

/**
 * Keeps finished values' bytes, at most `limit` bytes in all. A write of a job (JobChanges: a delete,
 * a rerun) drops its values, so a later slice reads what is stored then.
 */
export function createFinishedBytes(jobs: Pick<JobRepository, 'stateBytes' | 'stateSlices'>, changes: JobChanges, limit = FINISHED_BYTES_LIMIT): FinishedBytes {
  const kept = new Map<string, Buffer>() // in order of last read: the first is dropped first
  let keptBytes = 0
  let loads = 0
  const drop = (key: string): void => {
    const bytes = kept.get(key)
    if (!bytes) return
    keptBytes -= bytes.length
    kept.delete(key)
  }
  changes.listen((jobId) => {
    for (const name of ['input', 'context', 'result'] as const) drop(`${jobId}:${name}`)
  })
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
    for (const first of kept.keys()) {
      if (keptBytes + bytes.length <= limit) break
      drop(first)
    }
    kept.set(key, bytes)
    keptBytes += bytes.length
    return bytes
  }
  return {
    slices(jobId, name, size) {
      if (size > limit) return jobs.stateSlices(jobId, name, size)!
      // a copy: a subarray would keep the whole kept value alive for as long as a slow reader holds its slice (atk32)
      const slice = (from: number, length: number) => {
        const whole = bytesOf(jobId, name)
        return whole && Buffer.from(whole.subarray(from, from + length))
      }
      return { size, slice }
    },
    get stats() {
      return { kept: kept.size, keptBytes, loads }
    },
  }
}
