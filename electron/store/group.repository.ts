// The groups of a task that runs groups of sub-tasks (a Rill Flow foreach's items, a choice's
// branches): one row per group with its status and sub-context (migration 012), so saving one
// group's change never rewrites the others; a large read-only value the sub-contexts share is
// stored once per job, as a part (migration 029).
import { jsonNestsTooDeep, MAX_JSON_DEPTH } from '../../shared/json-limits'
import type { Db } from './connection'
import { createJobChanges, type JobChanges } from './job-changes'
import { createJobParts, type JobParts } from './jobs/job-parts'
import { TASK_SPEC_PART_MIN } from './jobs/task-specs'
import { STATE_JSON_LIMIT, stateJson, StateNotStorableError } from './state-json'

type Json = Record<string, unknown>

/** One group of a parent task: its status (the driver's word, e.g. running, succeeded) and its sub-context. */
export interface GroupRow {
  index: number
  status: string
  context: Record<string, unknown> | null
}

export type GroupRepository = ReturnType<typeof createGroupRepository>

/** A group's stored sub-context: its JSON text, and the parts of its keys stored once per job (migration 029). */
interface StoredContext {
  context: string | null
  context_parts: string | null
}

/** `changes` hears of every write of a job's groups; `parts` stores the values their sub-contexts share. */
export function createGroupRepository(db: Db, changes: JobChanges = createJobChanges(), parts: JobParts = createJobParts(db)) {
  const upsert = db.prepare(
    `INSERT INTO task_groups (job_id, parent, idx, status, context, context_parts) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (job_id, parent, idx) DO UPDATE SET status = excluded.status, context = excluded.context, context_parts = excluded.context_parts`,
  )
  const selectRows = db.prepare<[number, string], { idx: number; status: string } & StoredContext>(
    'SELECT idx, status, context, context_parts FROM task_groups WHERE job_id = ? AND parent = ? ORDER BY idx',
  )
  const selectStatuses = db.prepare<[number, string], { idx: number; status: string }>('SELECT idx, status FROM task_groups WHERE job_id = ? AND parent = ? ORDER BY idx')
  const selectCounts = db.prepare<[number, string], { status: string; n: number }>('SELECT status, count(*) AS n FROM task_groups WHERE job_id = ? AND parent = ? GROUP BY status')
  const selectContext = db.prepare<[number, string, number], StoredContext>('SELECT context, context_parts FROM task_groups WHERE job_id = ? AND parent = ? AND idx = ?')
  const deleteRows = db.prepare('DELETE FROM task_groups WHERE job_id = ? AND parent IN (SELECT value FROM json_each(?))')
  return {
    /** Every group of `parent`, in index order. */
    rows(jobId: number, parent: string): GroupRow[] {
      const read = new Map<number, unknown>()
      return selectRows.all(jobId, parent).map((r) => ({ index: r.idx, status: r.status, context: readContext(r, read) }))
    },
    /** Status by group index (the sub-contexts are not read: a view of 100k items needs only these). */
    statuses(jobId: number, parent: string): Map<number, string> {
      return new Map(selectStatuses.all(jobId, parent).map((r) => [r.idx, r.status]))
    },
    /** One group's sub-context; undefined when the group has no row. */
    context(jobId: number, parent: string, index: number): Record<string, unknown> | null | undefined {
      const row = selectContext.get(jobId, parent, index)
      return row && readContext(row)
    },
    /** How many groups of `parent` have each status. */
    counts(jobId: number, parent: string): Map<string, number> {
      return new Map(selectCounts.all(jobId, parent).map((r) => [r.status, r.n]))
    },
    /**
     * Writes one group; call inside the caller's transaction. Throws StateNotStorableError for a
     * sub-context too large or not JSON. A large sub-context's text is kept for its next save (a
     * group is saved when its sub-context changes, then again when its status does: a 0.95 MB map was
     * serialized twice); whoever changes a sub-context in place forgets it (forgetKeptText: TaskGroups.touch).
     * A read-only list or map of TASK_SPEC_PART_MIN characters or more at its top level (frozen: a
     * constant the groups share, value-budget.ts shareReadOnly) is stored once per job as a part and
     * serialized once (sharedValues), not with each group: a foreach of 100 items over a 0.95 MB
     * constant serialized it 100 times (~180 ms each) and stored 95 MB.
     */
    save(jobId: number, parent: string, row: GroupRow): void {
      changes.changed(jobId)
      const what = `the sub-context of group ${row.index} of task ${parent}`
      const shared = row.context ? sharedValues(row.context, what) : undefined
      if (!shared) {
        upsert.run(jobId, parent, row.index, row.status, stateJson(row.context ?? undefined, what, true), null)
        return
      }
      // the context with null in each part's place (own keys as defined: a `__proto__` key stays a key)
      const rest: Json = {}
      for (const key of Object.keys(row.context!)) defineOwn(rest, key, shared.has(key) ? null : row.context![key])
      const text = stateJson(rest, what)!
      let chars = text.length
      for (const { text: partText } of shared.values()) chars += partText.length - 4
      if (chars > STATE_JSON_LIMIT) throw new StateNotStorableError(`${what} is ${chars} characters of JSON; at most ${STATE_JSON_LIMIT} are stored`)
      const checked = new Set<number>()
      const ids: Json = {}
      for (const [key, { value, text: partText }] of shared) defineOwn(ids, key, parts.id(jobId, value, partText, checked))
      upsert.run(jobId, parent, row.index, row.status, text, JSON.stringify(ids))
    },
    /** Drops the groups of these parents (a redo starts them afresh). */
    clear(jobId: number, parents: readonly string[]): void {
      changes.changed(jobId)
      deleteRows.run(jobId, JSON.stringify(parents))
    },
  }

  /**
   * The read-only lists and maps of TASK_SPEC_PART_MIN characters or more at the top of `context`, by
   * key, with their JSON texts (each serialized once: frozen values never change), or undefined when
   * it holds none. Throws StateNotStorableError for one that nests too deep (a context holding it would).
   */
  function sharedValues(context: Json, what: string): Map<string, { value: object; text: string }> | undefined {
    let found: Map<string, { value: object; text: string }> | undefined
    for (const key of Object.keys(context)) {
      const value = context[key]
      if (typeof value !== 'object' || value === null) continue
      // known first: Object.isFrozen walks every key of a map kept as a dictionary (95,000: ~3.6 ms)
      let text = frozenTexts.get(value)
      if (text === undefined) {
        if (!Object.isFrozen(value)) continue
        text = parts.knownText(value) ?? stateJson(value, what) ?? 'null'
        if (jsonNestsTooDeep(`[${text}]`)) throw new StateNotStorableError(`${what} nests deeper than ${MAX_JSON_DEPTH} levels; no deeper JSON is stored`)
        frozenTexts.set(value, text)
      }
      if (text.length >= TASK_SPEC_PART_MIN) (found ??= new Map()).set(key, { value, text })
    }
    return found
  }

  /** A stored sub-context parsed, its parts (migration 029) put back in their places, shared read-only (frozen); `read`: the parts of this read (JobParts.read). */
  function readContext(r: StoredContext, read?: Map<number, unknown>): Json | null {
    if (r.context == null) return null
    const context = JSON.parse(r.context) as Json
    if (r.context_parts) {
      for (const [key, id] of Object.entries(JSON.parse(r.context_parts) as Record<string, number>)) defineOwn(context, key, parts.read(id, true, read))
    }
    return context
  }
}

// The JSON texts of read-only values found in sub-contexts, by value (sharedValues): frozen, so never changed.
const frozenTexts = new WeakMap<object, string>()

/** Sets `obj[key]` as an own key, `__proto__` too (as JSON.parse makes it, not the prototype). */
function defineOwn(obj: Json, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true })
  else obj[key] = value
}
