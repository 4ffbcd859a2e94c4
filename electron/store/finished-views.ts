// Views of finished jobs kept in memory (#14.2): a status poll of a finished job answers without
// reading SQLite or building the view again. A finished job's stored state changes only when
// something writes it (a delete, a rerun, a late log line, a cut log), and every such write goes
// through a repository that tells JobChanges, which drops that job's views here; the next read builds
// them again. Views of unfinished jobs are never kept (they change with every step).

import { isTerminalJob, type JobStatus } from '../../shared/status'
import type { JobChanges } from './job-changes'
import { stringifyWithRaw } from './raw-json'

/**
 * A view and the job it shows: `job.status` decides whether it is kept; the caller checks access on
 * `job`. `size`: about how much memory it holds (its JSON text's length); views without one count 1 KB.
 */
export interface JobView {
  job: { id: number; status: JobStatus }
  size?: number
}

/** How many views are kept at most: past this the cache starts afresh (a poll rebuilds its view once). */
export const MAX_FINISHED_VIEWS = 10_000
/** Longer keys (they carry a client's id text) are never kept, so kept keys stay small. */
const MAX_KEY_LENGTH = 200
/** A larger view (a job with a large input or result) is not kept: it is rarely polled, and memory is not spent on it. */
export const MAX_VIEW_SIZE = 256 * 1024
/** The sizes of all kept views together at most: past this the cache starts afresh. */
const MAX_KEPT_SIZE = 32 * 1024 * 1024
const DEFAULT_VIEW_SIZE = 1024

export interface FinishedViews {
  /**
   * The view kept under `key` (one name per kind of view and job: `jobs.get:12`), else `build()`'s,
   * which is kept when its job is finished (and the key is at most 200 characters, the view's size at
   * most MAX_VIEW_SIZE). `build` returning undefined (no such job) keeps nothing.
   * Returned views are shared: callers must not change them.
   */
  get<V extends JobView>(key: string, build: () => V | undefined): V | undefined
  /** How many views are kept (for tests). */
  readonly size: number
}

export function createFinishedViews(changes: JobChanges, max = MAX_FINISHED_VIEWS): FinishedViews {
  const views = new Map<string, JobView>()
  const keysOf = new Map<number, string[]>()
  let keptSize = 0 // the sizes of the kept views together
  changes.listen((jobId) => {
    const keys = keysOf.get(jobId)
    if (!keys) return
    for (const k of keys) {
      keptSize -= views.get(k)?.size ?? DEFAULT_VIEW_SIZE
      views.delete(k)
    }
    keysOf.delete(jobId)
  })
  return {
    get<V extends JobView>(key: string, build: () => V | undefined): V | undefined {
      const known = views.get(key)
      if (known) return known as V
      const view = build()
      const size = view?.size ?? DEFAULT_VIEW_SIZE
      if (view && isTerminalJob(view.job.status) && key.length <= MAX_KEY_LENGTH && size <= MAX_VIEW_SIZE) {
        if (views.size >= max || keptSize + size > MAX_KEPT_SIZE) {
          views.clear()
          keysOf.clear()
          keptSize = 0
        }
        keptSize += size
        views.set(key, view)
        const keys = keysOf.get(view.job.id)
        if (keys) keys.push(key)
        else keysOf.set(view.job.id, [key])
      }
      return view
    },
    get size() {
      return views.size
    },
  }
}

/**
 * Freezes `value` and everything it holds (plain JSON-like data): a kept view is shared by every
 * poll, so a caller that changed it would change every later answer; frozen, such a caller throws.
 * Freeze only what the builder made or read fresh, never a record the engine still holds.
 */
export function deepFreeze<T>(value: T): T {
  freezeAll(value)
  if (value !== null && typeof value === 'object') deepFrozen.add(value)
  return value
}

function freezeAll(value: unknown): void {
  if (ArrayBuffer.isView(value)) return // stored bytes (raw-json.ts) cannot be frozen; nothing writes them
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const v of Object.values(value)) freezeAll(v)
  }
}

const deepFrozen = new WeakSet<object>()
const texts = new WeakMap<object, string>()

/**
 * The JSON text of a value deepFreeze froze (it cannot change, so its text is made once and kept
 * with it); undefined for any other value. A kept view's answer then costs no serializing (#14.2).
 */
export function frozenJson(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object' || !deepFrozen.has(value)) return undefined
  let text = texts.get(value)
  if (text === undefined) texts.set(value, (text = stringifyWithRaw(value))) // a view may carry stored text (raw-json.ts)
  return text
}
