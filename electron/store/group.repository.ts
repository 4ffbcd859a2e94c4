// The groups of a task that runs groups of sub-tasks (a Rill Flow foreach's items, a choice's
// branches): one row per group with its status and sub-context (migration 012), so saving one
// group's change never rewrites the others; the read-only values the sub-contexts share are
// stored once per job, as parts (migration 029): group-shared-values.ts finds them, this file stores
// them and the bundles of the small ones.
import type { Db } from './connection'
import { createJobChanges, type JobChanges } from './job-changes'
import { createJobParts, type JobParts } from './jobs/job-parts'
import { GROUP_GEN, GROUP_VISIBLE } from './jobs/sub-task-names'
import { TASK_SPEC_PART_MIN } from './jobs/task-specs'
import { heldWeightPastChars, STATE_JSON_LIMIT, stateJsonShaped, StateNotStorableError } from './state-json'
import { defineOwn, noteBundled, withoutShared, type SharedValue } from './group-shared-values'

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
  // weight: what the sub-context's own text weighs past its characters in held work (migration 048); the
  // parts it shares are stored, and held, once per job, and count their characters
  const upsert = db.prepare(
    `INSERT INTO task_groups (job_id, parent, idx, status, context, context_parts, gen, weight) VALUES (?, ?, ?, ?, ?, ?, ${GROUP_GEN}, ?)
     ON CONFLICT (job_id, parent, idx) DO UPDATE SET status = excluded.status, context = excluded.context, context_parts = excluded.context_parts, gen = excluded.gen, weight = excluded.weight`,
  )
  const selectRows = db.prepare<[number, string], { idx: number; status: string } & StoredContext>(
    `SELECT idx, status, context, context_parts FROM task_groups g WHERE job_id = ? AND parent = ? AND ${GROUP_VISIBLE} ORDER BY idx`,
  )
  // every group of a job a page at a time, by the (job_id, parent, idx) key: a restart's recovery reads 100k groups over several turns
  const selectRowsAfter = db.prepare<[number, string, number, number], { parent: string; idx: number; status: string } & StoredContext>(
    `SELECT parent, idx, status, context, context_parts FROM task_groups g WHERE job_id = ? AND (parent, idx) > (?, ?) AND ${GROUP_VISIBLE} ORDER BY parent, idx LIMIT ?`,
  )
  const selectStatuses = db.prepare<[number, string], { idx: number; status: string }>(`SELECT idx, status FROM task_groups g WHERE job_id = ? AND parent = ? AND ${GROUP_VISIBLE} ORDER BY idx`)
  // a range of the (job_id, parent, idx) key: a page of a wide foreach's groups (get.json's sub_group_index_to_status)
  const selectStatusRange = db.prepare<[number, string, number, number], { idx: number; status: string }>(
    `SELECT idx, status FROM task_groups g WHERE job_id = ? AND parent = ? AND idx >= ? AND idx < ? AND ${GROUP_VISIBLE} ORDER BY idx`,
  )
  const selectCounts = db.prepare<[number, string], { status: string; n: number }>(`SELECT status, count(*) AS n FROM task_groups g WHERE job_id = ? AND parent = ? AND ${GROUP_VISIBLE} GROUP BY status`)
  const selectContext = db.prepare<[number, string, number], StoredContext>(`SELECT context, context_parts FROM task_groups g WHERE job_id = ? AND parent = ? AND idx = ? AND ${GROUP_VISIBLE}`)
  const deleteRows = db.prepare('DELETE FROM task_groups WHERE job_id = ? AND parent IN (SELECT value FROM json_each(?))')
  return {
    /** Every group of `parent`, in index order. */
    rows(jobId: number, parent: string): GroupRow[] {
      const read = new Map<number, unknown>()
      return selectRows.all(jobId, parent).map((r) => ({ index: r.idx, status: r.status, context: readContext(r, read) }))
    },
    /**
     * Up to `limit` groups of a job, of any parent, after the group `after` (null: from the first), in
     * (parent, index) order, as `rows` reads them with their parent's name: a page, so that a caller
     * may read a job's 100k groups over several turns (Engine.recover) and continue after the last.
     */
    rowsAfter(jobId: number, after: { parent: string; index: number } | null, limit: number): (GroupRow & { parent: string })[] {
      const read = new Map<number, unknown>()
      const rows = selectRowsAfter.all(jobId, after?.parent ?? '', after?.index ?? -1, limit)
      return rows.map((r) => ({ parent: r.parent, index: r.idx, status: r.status, context: readContext(r, read) }))
    },
    /** Status by group index (the sub-contexts are not read: a view of 100k items needs only these). */
    statuses(jobId: number, parent: string): Map<number, string> {
      return new Map(selectStatuses.all(jobId, parent).map((r) => [r.idx, r.status]))
    },
    /** Status by group index of the groups `from` ≤ index < `to` (a page of them: one seek of the key, those rows read). */
    statusRange(jobId: number, parent: string, from: number, to: number): Map<number, string> {
      return new Map(selectStatusRange.all(jobId, parent, from, to).map((r) => [r.idx, r.status]))
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
     * Writes these groups of `parent` (a tick's changed ones); call inside the caller's transaction.
     * Throws StateNotStorableError for a sub-context too large or not JSON. A large sub-context's text
     * is kept for its next save (a group is saved when its sub-context changes, then again when its
     * status does: a 0.95 MB map was serialized twice); whoever changes a sub-context in place forgets
     * it (forgetKeptText: TaskGroups.touch).
     * A read-only list or map in it (frozen: a constant the groups share, value-budget.ts
     * shareReadOnly), at any depth withoutShared searches (group-shared-values.ts), is stored once per job as a part and
     * serialized once, not with each group (stored with each, a foreach of 100 items over a 0.95 MB
     * constant serializes it 100 times, ~180 ms each, and stores 95 MB). One of TASK_SPEC_PART_MIN
     * characters or more is a part of its own; smaller ones (from SHARED_VALUE_MIN) share one part, a
     * bundle (bundleOf), so 30 constants of 1,000 characters are not stored with every row. Only those
     * another group holds too are bundled (heldByOthers, noted for all of `rows` before any is written,
     * so the first group saved bundles the constants the others hold): a foreach's item from a constant
     * list is read-only as well, and bundled it would make every group's bundle a new part holding all
     * the constants again (20 items × 10 of 1,000 characters: 21 copies).
     */
    save(jobId: number, parent: string, rows: readonly GroupRow[]): void {
      changes.changed(jobId)
      // a first walk only notes who holds what (heldByOthers); its copies are dropped
      if (rows.length > 1) for (const row of rows) if (row.context) withoutShared(row.context, [], whatOf(parent, row), { jobId, parent, index: row.index }, parts.knownText)
      for (const row of rows) saveOne(jobId, parent, row)
    },
    /** Drops the groups of these parents (a redo starts them afresh). */
    clear(jobId: number, parents: readonly string[]): void {
      changes.changed(jobId)
      deleteRows.run(jobId, JSON.stringify(parents))
    },
  }

  /** Writes one group, as `save` says. */
  function saveOne(jobId: number, parent: string, row: GroupRow): void {
    const what = whatOf(parent, row)
    const found: SharedValue[] = []
    const rest = row.context ? withoutShared(row.context, found, what, { jobId, parent, index: row.index }, parts.knownText) : undefined
    if (!found.length) {
      const whole = stateJsonShaped(row.context ?? undefined, what, true)
      upsert.run(jobId, parent, row.index, row.status, whole.text, null, heldWeightPastChars(whole))
      return
    }
    const own = stateJsonShaped(rest, what)
    const text = own.text!
    let chars = text.length
    for (const f of found) chars += f.text.length - 4
    if (chars > STATE_JSON_LIMIT) throw new StateNotStorableError(`${what} is ${chars} characters of JSON; at most ${STATE_JSON_LIMIT} are stored`, chars, STATE_JSON_LIMIT)
    const checked = new Set<number>()
    const refs: PartRef[] = []
    const small: SharedValue[] = []
    for (const f of found) {
      if (f.text.length >= TASK_SPEC_PART_MIN) refs.push([f.path, parts.id(jobId, f.value, f.text, checked)])
      else small.push(f)
    }
    if (small.length) {
      const bundle = bundleOf(small)
      const id = parts.id(jobId, bundle.value, bundle.text, checked)
      small.forEach((f, i) => refs.push([f.path, id, i]))
    }
    upsert.run(jobId, parent, row.index, row.status, text, JSON.stringify(refs), heldWeightPastChars(own))
  }

  /**
   * One part holding the smaller shared values of a row (`small`, in their order), the same list for
   * every row holding the same values: each group then stores one reference to each, not its text.
   * The list is kept (BUNDLES_KEPT) so a save finds its part without building its text; one made
   * again finds its part by its text (job-parts.ts).
   */
  function bundleOf(small: SharedValue[]): { value: readonly object[]; text: string } {
    const key = bundleKey(small.map((f) => f.value))
    let bundle = bundles.get(key)
    if (!bundle) bundle = keepBundle(key, Object.freeze(small.map((f) => f.value)), `[${small.map((f) => f.text).join(',')}]`)
    return bundle
  }

  function keepBundle(key: string, value: readonly object[], text: string): { value: readonly object[]; text: string } {
    const bundle = { value, text }
    if (text.length > BUNDLES_KEPT_CHARS || bundles.has(key)) return bundle
    bundles.set(key, bundle)
    bundlesChars += text.length
    for (const [old, kept] of bundles) {
      if (bundles.size <= BUNDLES_KEPT && bundlesChars <= BUNDLES_KEPT_CHARS) break
      bundles.delete(old)
      bundlesChars -= kept.text.length
    }
    return bundle
  }

  /** A bundle read back from its part: its values' texts and the bundle kept, so the next save of a group holding them finds its part. */
  function knowBundle(value: unknown): void {
    if (!Array.isArray(value) || bundlesRead.has(value)) return
    bundlesRead.add(value)
    noteBundled(value)
    const text = parts.knownText(value)
    if (text !== undefined) keepBundle(bundleKey(value as object[]), value as object[], text)
  }

  /**
   * A stored sub-context parsed, its parts (migration 029) put back in their places, shared read-only
   * (frozen); `read`: the parts of this read (JobParts.read). context_parts is a list of PartRef, or
   * (rows written before nested and bundled parts) a map of top-level key to part id.
   */
  function readContext(r: StoredContext, read?: Map<number, unknown>): Json | null {
    if (r.context == null) return null
    const context = JSON.parse(r.context) as Json
    if (!r.context_parts) return context
    const refs = JSON.parse(r.context_parts) as PartRef[] | Record<string, number>
    if (!Array.isArray(refs)) {
      for (const [key, id] of Object.entries(refs)) defineOwn(context, key, parts.read(id, true, read))
      return context
    }
    for (const [path, id, index] of refs) {
      let value = parts.read(id, true, read)
      if (index !== undefined) {
        knowBundle(value)
        value = Array.isArray(value) ? value[index] : null
      }
      let at: unknown = context
      for (const step of path.slice(0, -1)) at = typeof at === 'object' && at !== null && Object.hasOwn(at, step) ? (at as Json)[step] : undefined
      if (typeof at !== 'object' || at === null) continue // not written so: nothing to put back
      const last = path[path.length - 1]!
      if (Array.isArray(at)) at[last as number] = value
      else defineOwn(at as Json, String(last), value)
    }
    return context
  }
}

/**
 * A shared value stored as a part, as a row's context_parts names it: its path in the sub-context
 * (keys and list indexes), the part's id, and for a bundle of small values (bundleOf) its index in it.
 */
type PartRef = [path: (string | number)[], id: number, index?: number]

/** Bundles of small shared values kept (bundleOf), the latest made or read, and most characters of their texts together. */
const BUNDLES_KEPT = 256
const BUNDLES_KEPT_CHARS = 8 << 20

// Serial numbers of shared values, naming a bundle by the values it holds (bundleKey).
const serials = new WeakMap<object, number>()
let nextSerial = 0
const bundleKey = (values: readonly object[]): string =>
  values
    .map((v) => {
      let n = serials.get(v)
      if (n === undefined) serials.set(v, (n = nextSerial++))
      return n
    })
    .join(',')
const bundles = new Map<string, { value: readonly object[]; text: string }>()
let bundlesChars = 0
const bundlesRead = new WeakSet<object>()

/** How errors name a group's sub-context. */
const whatOf = (parent: string, row: GroupRow): string => `the sub-context of group ${row.index} of task ${parent}`
