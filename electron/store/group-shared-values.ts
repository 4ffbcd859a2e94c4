// The read-only values a group's sub-context shares with other groups (a constant mapped into a
// foreach's items): found by walking the sub-context (withoutShared), each with its JSON text, and
// which groups hold each, so that group.repository.ts stores them once per job as parts.
import { jsonNestsTooDeep, MAX_JSON_DEPTH } from '../../shared/json-limits'
import { TASK_SPEC_PART_MIN } from './jobs/task-specs'
import { stateJson, StateNotStorableError } from './state-json'

type Json = Record<string, unknown>

/** The JSON text of a value already stored or read as a part, or undefined (JobParts.knownText). */
export type KnownText = (value: object) => string | undefined

/** A read-only value found in a sub-context (withoutShared): where, what, and its JSON text. */
export interface SharedValue {
  path: (string | number)[]
  value: object
  text: string
}

/**
 * Shared values of fewer characters stay in each row's text: a reference to one (its path, part id
 * and index, ~20 characters) and its bundle's part would cost about what it saves.
 */
export const SHARED_VALUE_MIN = 64

/** How many levels down a sub-context is searched for shared values (withoutShared). */
export const SHARED_WALK_DEPTH = 8

/** How many elements (list items and map keys) of a sub-context are looked at for shared values, at most, per save. */
export const SHARED_WALK_MAX_ELEMENTS = 200_000

/**
 * A copy of `context` with null in place of each read-only (frozen: a constant the groups share,
 * value-budget.ts shareReadOnly) list or map of SHARED_VALUE_MIN characters or more found in it,
 * pushed to `found` with its path and JSON text (serialized once: frozen values never change), or
 * `context` itself when none is found. One under TASK_SPEC_PART_MIN that no group but `group` has
 * held yet (heldByOthers: a foreach's item) stays in the context: bundled, it would make this
 * group's bundle unlike every other's. Looks SHARED_WALK_DEPTH levels down, only through plain lists
 * and maps that are not read-only, and at SHARED_WALK_MAX_ELEMENTS of their elements in all: beyond,
 * a value stays in the row's text. Only the lists and maps on a found value's path are copied.
 * `knownText` gives the text of a value stored or read as a part before (JobParts.knownText), so it
 * is not serialized again. Throws StateNotStorableError for a found value that nests too deep (a
 * context holding it would).
 */
export function withoutShared(context: Json, found: SharedValue[], what: string, group: GroupOf, knownText: KnownText): Json {
  const path: (string | number)[] = []
  let budget = SHARED_WALK_MAX_ELEMENTS
  const visit = (v: unknown): unknown => {
    if (typeof v !== 'object' || v === null || budget <= 0) return v
    const text = path.length ? sharedText(v, path.length, what, knownText) : undefined
    if (text !== undefined) {
      if (text.length < SHARED_VALUE_MIN) return v // a reference to it would cost about what it does
      if (text.length < TASK_SPEC_PART_MIN && !heldByOthers(v, group)) return v
      found.push({ path: path.slice(), value: v, text })
      return null
    }
    if (path.length >= SHARED_WALK_DEPTH || Object.isFrozen(v) || !isPlain(v)) return v
    if (Array.isArray(v)) {
      let copy: unknown[] | undefined
      for (let i = 0; i < v.length && budget-- > 0; i++) {
        path.push(i)
        const out = visit(v[i])
        path.pop()
        if (out !== v[i]) (copy ??= v.slice())[i] = out
      }
      return copy ?? v
    }
    let copy: Json | undefined
    const obj = v as Json
    for (const key of Object.keys(obj)) {
      if (budget-- <= 0) break
      path.push(key)
      const out = visit(obj[key])
      path.pop()
      if (out !== obj[key]) {
        if (!copy) {
          copy = {}
          for (const k of Object.keys(obj)) defineOwn(copy, k, obj[k]) // own keys as defined: a `__proto__` key stays a key
        }
        defineOwn(copy, key, out)
      }
    }
    return copy ?? v
  }
  return visit(context) as Json
}

/**
 * The JSON text of `v` when it is read-only (frozen), else undefined; checks once per depth that it
 * nests no deeper than MAX_JSON_DEPTH at `depth` levels down (StateNotStorableError).
 */
function sharedText(v: object, depth: number, what: string, knownText: KnownText): string | undefined {
  // known first: Object.isFrozen walks every key of a map kept as a dictionary (95,000: ~3.6 ms)
  let entry = frozenTexts.get(v)
  if (!entry) {
    if (!Object.isFrozen(v)) return undefined
    entry = { text: knownText(v) ?? stateJson(v, what) ?? 'null', checkedDepth: 0 }
    frozenTexts.set(v, entry)
  }
  if (depth > entry.checkedDepth && entry.text.length >= SHARED_VALUE_MIN) {
    if (jsonNestsTooDeep('['.repeat(depth) + entry.text + ']'.repeat(depth))) throw new StateNotStorableError(`${what} nests deeper than ${MAX_JSON_DEPTH} levels; no deeper JSON is stored`)
    entry.checkedDepth = depth
  }
  return entry.text
}

/** One group of one job's parent task. */
export interface GroupOf {
  jobId: number
  parent: string
  index: number
}

// By read-only value found in a sub-context (withoutShared): the one group that held it when saved, or
// SHARED_BY_GROUPS once another group (of any parent or job) held it too.
const SHARED_BY_GROUPS = 'shared'
const holders = new WeakMap<object, GroupOf | typeof SHARED_BY_GROUPS>()

/**
 * Whether a group other than `group` has held `v` in its sub-context when saved (since the process
 * started, or it was read back from a bundle), recording that `group` holds it. The first group
 * saved keeps the constants it shares in its row until its next save (it is saved again when its
 * status changes); a foreach's item, held by one group, stays in that group's row.
 */
function heldByOthers(v: object, group: GroupOf): boolean {
  const held = holders.get(v)
  if (held === SHARED_BY_GROUPS) return true
  if (!held) {
    holders.set(v, group)
    return false
  }
  if (held.jobId === group.jobId && held.parent === group.parent && held.index === group.index) return false
  holders.set(v, SHARED_BY_GROUPS)
  return true
}

/** Lists and maps as JSON makes them (no class instances): the only containers searched for shared values. */
function isPlain(v: object): boolean {
  if (Array.isArray(v)) return true
  const proto = Object.getPrototypeOf(v)
  return proto === Object.prototype || proto === null
}

// The JSON texts of read-only values found in sub-contexts, by value (sharedText): frozen, so never
// changed; and how many levels down they were checked to nest no deeper than MAX_JSON_DEPTH.
const frozenTexts = new WeakMap<object, { text: string; checkedDepth: number }>()

/** Sets `obj[key]` as an own key, `__proto__` too (as JSON.parse makes it, not the prototype). */
export function defineOwn(obj: Json, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true })
  else obj[key] = value
}

/**
 * Notes the values of a bundle read back from its part (group.repository.ts knowBundle): each one's
 * JSON text, so it is not serialized again, and that more than one group held it (it was bundled).
 */
export function noteBundled(values: readonly unknown[]): void {
  for (const v of values) {
    if (typeof v !== 'object' || v === null) continue
    if (!frozenTexts.has(v)) frozenTexts.set(v, { text: JSON.stringify(v), checkedDepth: 0 })
    holders.set(v, SHARED_BY_GROUPS)
  }
}
