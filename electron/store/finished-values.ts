// A finished job's large stored values, answered as stored JSON (raw-json.ts): what an answer needs
// to know of one before streaming it — its size and whether it is an object with `__<route>` keys
// (sub-contexts of executions stored before #14, which views leave out) — is found once and kept
// while the job stays finished (finished-views.ts): its size from the stored length, the keys as
// stored with the value (migration 023; SQLite walks a value stored before). Finding it took a load
// and a parse of the whole value per read (json_each over 4 MB: 4 ms idle, 50 ms loaded, #9 §2).

import type { JobStatus } from '../../shared/status'
import type { FinishedViews } from './finished-views'
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

/**
 * The stored `name` value of job `job` (not running: nothing rewrites its values), or null when it
 * has none. Its size and `routeKeys` are kept while the job is finished; its bytes are never kept.
 */
export function finishedValue(jobs: JobRepository, views: FinishedViews, job: { id: number; status: JobStatus }, name: JobValueName): FinishedValue | null {
  const view = views.get(`value.${name}:${job.id}`, () => {
    const slices = jobs.stateSlices(job.id, name)
    const routeKeys = slices && name === 'context' ? jobs.contextHasRouteKeys(job.id) : false
    return { job: { id: job.id, status: job.status }, size: 64, value: slices ? { bytes: slices.size, routeKeys } : null }
  })
  if (!view?.value) return null
  return { slices: jobs.stateSlices(job.id, name, view.value.bytes)!, routeKeys: view.value.routeKeys }
}
