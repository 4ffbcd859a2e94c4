// The JSON columns of a job's live state (context, result, a task's input, output and runtime)
// are rewritten whenever the state changes, and read back whole. One oversized value would make
// every later save and read slow, so each is capped when it is written; the engine fails the job
// that hit the cap (upstream Rill Flow does the same: "context length ... exceed the limit").

import { jsonShapeOf, jsonShapeWithinDepth, MAX_JSON_DEPTH, type JsonShape } from '../../shared/json-limits'
import { heldJsonWeight } from '../../shared/quotas'
import { formatCount } from '../../shared/number-format'
import { jsonBytesWithin, jsonEscapedLength } from '../json-bytes'
import { RAW_VALUE_BYTES, RawJson } from './raw-json'

/**
 * Most UTF-8 bytes of JSON stored for one value of a job's state, 16 MiB: bytes, as jobs.state_bytes
 * and upstream's ContextDAO count them (counted in characters, a context of CJK text was stored at 3
 * times the cap, #9).
 */
export const STATE_JSON_LIMIT = 16 << 20

/** A value of a job's state that is too large to store, or that is not JSON (a cycle). */
export class StateNotStorableError extends Error {
  /**
   * @param bytes the UTF-8 bytes of JSON of a value too large (undefined when it was refused for another reason)
   * @param limit the most bytes stored (STATE_JSON_LIMIT), with `bytes`
   */
  constructor(message: string, readonly bytes?: number, readonly limit?: number) {
    super(message)
    this.name = 'StateNotStorableError'
  }
}

/**
 * Throws StateNotStorableError naming `what` when JSON text of `chars` characters, whose UTF-8 bytes
 * `bytesOf` counts, passes STATE_JSON_LIMIT. A character is 1 to 3 bytes (a surrogate pair, 2
 * characters, is 4), so a text of at most a third of the limit in characters is not measured.
 */
function refuseOverLimit(what: string, chars: number, bytesOf: () => number): void {
  if (chars * 3 <= STATE_JSON_LIMIT) return
  const bytes = bytesOf()
  if (bytes <= STATE_JSON_LIMIT) return
  throw new StateNotStorableError(`${what} would exceed ${STATE_JSON_LIMIT >> 20} MiB (${formatCount(STATE_JSON_LIMIT)} bytes): it is ${formatCount(bytes)} bytes of JSON`, bytes, STATE_JSON_LIMIT)
}

/**
 * The UTF-8 bytes of `text`, a JSON text as JSON.stringify writes it: its lone surrogates escaped
 * (`\ud800`), so every character is sent as UTF-8 counts it.
 */
const jsonTextBytes = (text: string): number => Buffer.byteLength(text)

/**
 * `value` as JSON text (undefined → null), or StateNotStorableError naming `what` when the text
 * would pass STATE_JSON_LIMIT, nests deeper than MAX_JSON_DEPTH (as a request body may not: a
 * context written 2,000 levels deep was stored, then every read of its job failed), or the value
 * cannot be written as JSON. `keepText`: a large object value's text is kept for liveValueView and
 * later saves (a task's input and output, which are replaced, never edited; not a context, which is
 * edited in place), and a text kept that passed these checks is returned without serializing again.
 */
export function stateJson(value: unknown, what: string, keepText = false): string | null {
  return stateJsonShaped(value, what, keepText).text
}

/**
 * stateJson, with the text's JsonShape (shared/json-limits.ts: its nodes, lists and maps) that its
 * depth check counted (null with a null text): what the held work weighs a job's state by
 * (heldWeightPastChars). Throws as stateJson does.
 */
export function stateJsonShaped(value: unknown, what: string, keepText = false): { text: string | null; shape: JsonShape | null } {
  if (value === undefined) return { text: null, shape: null }
  if (keepText && typeof value === 'object' && value !== null) {
    const kept = largeTexts.get(value)
    if (kept?.storable) return { text: kept.text, shape: kept.shape ?? jsonShapeOf(kept.text) }
  }
  let text: string
  try {
    const parts = typeof value === 'object' && value !== null ? jsonFromReadOnlyParts(value, what) : undefined
    if (parts) {
      if (keepText && parts.text.length > RAW_VALUE_BYTES) largeTexts.set(value as object, { text: parts.text, storable: true, shape: parts.shape })
      return parts
    }
    text = JSON.stringify(value)
  } catch (e) {
    if (e instanceof StateNotStorableError) throw e
    throw new StateNotStorableError(`${what} cannot be stored as JSON: ${(e as Error).message.split('\n')[0]}`)
  }
  if (text !== undefined) refuseOverLimit(what, text.length, () => jsonTextBytes(text))
  // the depth check's scan counts the nodes too: kept with a large text, for the held work's weight of a sub-flow's input (keptTextShape)
  const shape = text === undefined ? null : jsonShapeWithinDepth(text)
  if (text !== undefined && shape === null) {
    throw new StateNotStorableError(`${what} nests deeper than ${MAX_JSON_DEPTH} levels; no deeper JSON is stored`)
  }
  if (keepText && text !== undefined && text.length > RAW_VALUE_BYTES && typeof value === 'object' && value !== null) largeTexts.set(value, { text, storable: true, shape: shape! })
  return { text: text ?? null, shape }
}

/**
 * The JSON texts of read-only (frozen) lists and maps met as members of a saved map (jsonFromReadOnlyParts),
 * made once for each: a frozen value never changes (the app freezes JSON values deeply: read-only.ts
 * deepFreeze, a Rill Flow callback body or constant shared by shareReadOnly, a stored part read back), so
 * its text holds for as long as it lives; weakly held, it goes with the value. `nested`: the JsonShape of
 * `[text]` (the text one level down, as a member), or null when that nests deeper than MAX_JSON_DEPTH.
 */
const readOnlyTexts = new WeakMap<object, { text: string; nested: JsonShape | null }>()

/**
 * Texts of parsed values as JSON.stringify writes them, made where they were parsed (a JSON worker:
 * services/json-parser.ts `memberTexts`), for values that may be frozen before their first save
 * (adoptOfferedTexts); weakly held. `nested`: as readOnlyTexts'.
 */
const offeredTexts = new WeakMap<object, { text: string; nested: JsonShape | null }>()

/**
 * Offers `text`, JSON.stringify's text of `value` (a list or map just parsed, not yet changed), with
 * `nested`, the JsonShape of `[text]` (null past MAX_JSON_DEPTH), for adoptOfferedTexts. Anything else
 * than a list or map is ignored.
 */
export function offerJsonText(value: unknown, text: string, nested: JsonShape | null): void {
  if (typeof value === 'object' && value !== null) offeredTexts.set(value, { text, nested })
}

/**
 * Takes the texts offered (offerJsonText) for the members of the map `value`: kept as the texts of
 * those that are read-only (frozen) now, for the saves of maps holding them (jsonFromReadOnlyParts),
 * and forgotten for the others. For a caller that froze `value` through (shareReadOnly) with nothing
 * changed in it since its parse: a Rill Flow callback's body, whose 2 MB list a save inside the write
 * lock serialized on the main thread (#9 §2), serialized by the worker that parsed it instead.
 */
export function adoptOfferedTexts(value: unknown): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return
  for (const k of Object.keys(value)) {
    const v = (value as Record<string, unknown>)[k]
    if (typeof v !== 'object' || v === null) continue
    const offered = offeredTexts.get(v)
    if (!offered) continue
    offeredTexts.delete(v)
    if (Object.isFrozen(v) && !readOnlyTexts.has(v)) readOnlyTexts.set(v, offered)
  }
}

/**
 * The JSON text of the map `value`, as JSON.stringify writes it, with its JsonShape (as
 * jsonShapeWithinDepth counts it over that text), built from the texts of its members, the read-only
 * (frozen) ones serialized and scanned once for each value (readOnlyTexts) rather than on every save:
 * the context a big callback's eight output mappings wrote (eight members sharing one frozen list of
 * 87,000 maps) was serialized and scanned whole, 2 MB, at each save inside the write lock, and the
 * callback's body kept as its task's output (holding that list) again (#9 §2). Undefined (the caller
 * serializes it whole) unless `value` is a plain map holding a frozen list or map; throws
 * StateNotStorableError naming `what` as stateJsonShaped does (too long, too deep), and what
 * JSON.stringify throws (a cycle).
 */
function jsonFromReadOnlyParts(value: object, what: string): { text: string; shape: JsonShape } | undefined {
  if (Array.isArray(value)) return undefined
  const proto = Object.getPrototypeOf(value)
  if (proto !== Object.prototype && proto !== null) return undefined
  const keys = Object.keys(value)
  let readOnly = false
  for (const k of keys) {
    const v = (value as Record<string, unknown>)[k]
    if (typeof v !== 'object' || v === null) continue
    if (typeof (v as { toJSON?: unknown }).toJSON === 'function') return undefined // JSON.stringify calls it with the key: serialized whole
    if (!readOnly && Object.isFrozen(v)) readOnly = true
  }
  if (!readOnly) return undefined
  const entries: string[] = []
  const others: string[] = [] // the texts of the members not read-only, scanned together as one list (each one level down, as in the map)
  let nodes = 1
  let containers = 1
  let chars = 1
  let tooDeep = false
  for (const k of keys) {
    const v = (value as Record<string, unknown>)[k]
    let text: string | undefined
    if (typeof v === 'object' && v !== null && Object.isFrozen(v)) {
      let kept = readOnlyTexts.get(v)
      if (!kept) {
        // (offered texts are adopted only by adoptOfferedTexts: a value frozen here may have changed since its parse)
        const made = JSON.stringify(v)
        kept = { text: made, nested: jsonShapeWithinDepth(`[${made}]`) }
        readOnlyTexts.set(v, kept)
      }
      text = kept.text
      if (kept.nested === null) tooDeep = true
      else {
        // `[text]` counts the list, and the text's own top value as its first member: the member's own shape is one less of each
        nodes += kept.nested.nodes - 1
        containers += kept.nested.containers - 1
      }
    } else {
      text = JSON.stringify(v)
      if (text === undefined) continue // undefined, a function: left out, as JSON.stringify leaves it out
      others.push(text)
    }
    const entry = `${JSON.stringify(k)}:${text}`
    chars += entry.length + 1 // and its comma, or the closing brace
    entries.push(entry)
    nodes += 1 // its key (the `:`), the value counted by its own shape's top node
  }
  // refused as a whole text is, the length first: the same words and figures (the bytes of `{`, of each entry and its `,` or `}`)
  refuseOverLimit(what, chars, () => entries.reduce((bytes, entry) => bytes + jsonTextBytes(entry) + 1, 1))
  const shape = others.length ? jsonShapeWithinDepth(`[${others.join(',')}]`) : { nodes: 1, containers: 1 }
  if (tooDeep || shape === null) throw new StateNotStorableError(`${what} nests deeper than ${MAX_JSON_DEPTH} levels; no deeper JSON is stored`)
  nodes += shape.nodes - 1
  containers += shape.containers - 1
  const text = `{${entries.join(',')}}`
  return { text, shape: { nodes, containers } }
}

/**
 * What stored values of a job's state (JSON texts with their JsonShapes, from stateJsonShaped) count in
 * its user's held work beyond their characters, which jobs.state_bytes counts already: for each, how much
 * heldJsonWeight (shared/quotas.ts) passes its length, so that a value of tiny lists or maps counts the
 * heap it takes, not its characters. Kept beside each value as it is written (migration 046: a task's
 * input, output and runtime, tasks.value_weight; 048: a job's context and result, job_values.weight, and
 * a group's sub-context, task_groups.weight); triggers sum them in jobs.state_weight. 0 for none.
 */
export function heldWeightPastChars(...values: { text: string | null; shape: JsonShape | null }[]): number {
  let extra = 0
  // a lone scalar (no list or map: `null`, a number, a string) holds about its characters: counted by them
  for (const { text, shape } of values) if (text !== null && shape !== null && shape.containers > 0) extra += Math.max(0, heldJsonWeight(text.length, shape) - text.length)
  return extra
}

/**
 * How many UTF-8 bytes of JSON a task's input or output takes when saved (0 for undefined or null),
 * found ahead of the save so that an engine tick can count what it will
 * store (engine/budget.ts). A small value is measured without serializing it; a larger object is
 * serialized and checked now, as stateJson(value, what, true) does, and its text kept, so its save
 * writes it without serializing again. A value that cannot be stored counts RAW_VALUE_BYTES: its
 * save then fails with the reason, as before.
 */
export function prepareStateJson(value: unknown): number {
  if (value === undefined || value === null) return 0
  const kept = typeof value === 'object' ? largeTexts.get(value) : undefined
  if (kept?.storable) return keptBytes(kept) // measured before (a pass task's output is its input)
  const small = jsonBytesWithin(value, RAW_VALUE_BYTES)
  if (small !== undefined) return small
  if (typeof value !== 'object') return typeof value === 'string' ? jsonEscapedLength(value) + 2 : 0 // a long string: its save only escapes and copies it
  try {
    const text = stateJson(value, 'a task value', true)
    const saved = largeTexts.get(value) // kept past RAW_VALUE_BYTES characters: a text of fewer (CJK) is counted here
    return saved?.text === text ? keptBytes(saved) : text === null ? 0 : jsonTextBytes(text)
  } catch {
    return RAW_VALUE_BYTES
  }
}

/**
 * The JSON text of large live values (over RAW_VALUE_BYTES), by the value object, as stateJson last
 * wrote it (`storable`: it passed stateJson's checks) or liveValueView first serialized it; weakly
 * held, so it goes with the value. The engine replaces a task's output rather than editing it, and
 * saves every change in the tick that makes it, so a text here is what the store holds for the value;
 * code that does edit one in place forgets its text (forgetKeptText).
 */
const largeTexts = new WeakMap<object, KeptText>()

/** A text of largeTexts; `bytes`, its UTF-8 bytes once keptBytes counted them. */
interface KeptText {
  text: string
  storable: boolean
  shape?: JsonShape
  bytes?: number
}

/** The UTF-8 bytes of a kept text, counted once for it (a sub-flow's input is asked for again at each start). */
const keptBytes = (kept: KeptText): number => (kept.bytes ??= jsonTextBytes(kept.text))

/**
 * The JsonShape (shared/json-limits.ts) of the text stateJson(value, …, true) last returned for a
 * large `value` (over RAW_VALUE_BYTES), counted as it was checked; undefined when none is kept.
 */
export function keptTextShape(value: unknown): JsonShape | undefined {
  if (typeof value !== 'object' || value === null) return undefined
  const kept = largeTexts.get(value)
  return kept?.storable ? kept.shape : undefined
}

/**
 * Forgets the text kept for `value` (largeTexts): for code that edits a live value in place after it
 * was measured or saved (a Rill Flow pass task's output mappings write into its output, which is its
 * input object), so that its next save and view serialize what it holds now.
 */
export function forgetKeptText(value: unknown): void {
  if (typeof value === 'object' && value !== null) largeTexts.delete(value)
}

/**
 * A live value of a running job (a task's input or output the engine holds) as a view answers it:
 * one over RAW_VALUE_BYTES of JSON as a RawJson of its JSON text, which is serialized at most once for
 * the value (usually by its save: stateJson), not on every read; a smaller one as it is. Polling
 * get.json of a running execution whose tasks held 16 MB serialized them all on every poll (#9 §2).
 */
export function liveValueView(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || value instanceof RawJson) return value
  let text = largeTexts.get(value)?.text
  if (text === undefined) {
    if (jsonBytesWithin(value, RAW_VALUE_BYTES) !== undefined) return value
    text = JSON.stringify(value)
    largeTexts.set(value, { text, storable: false })
  }
  // a view reads some top-level fields beside it (Rill's invoke_msg: code, msg): the live object has them
  return new RawJson(text, Array.isArray(value) ? undefined : (value as Record<string, unknown>))
}
