// The JSON columns of a job's live state (context, result, a task's input, output and runtime)
// are rewritten whenever the state changes, and read back whole. One oversized value would make
// every later save and read slow, so each is capped when it is written; the engine fails the job
// that hit the cap (upstream Rill Flow does the same: "context length ... exceed the limit").

import { jsonNestsTooDeep, MAX_JSON_DEPTH } from '../../shared/json-limits'
import { jsonBytesWithin } from '../json-bytes'
import { RAW_VALUE_BYTES, RawJson } from './raw-json'

/** Most characters of JSON stored for one value of a job's state. */
export const STATE_JSON_LIMIT = 16 << 20

/** A value of a job's state that is too large to store, or that is not JSON (a cycle). */
export class StateNotStorableError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'StateNotStorableError'
  }
}

/**
 * `value` as JSON text (undefined → null), or StateNotStorableError naming `what` when the text
 * would pass STATE_JSON_LIMIT, nests deeper than MAX_JSON_DEPTH (as a request body may not: a
 * context written 2,000 levels deep was stored, then every read of its job failed), or the value
 * cannot be written as JSON. `keepText`: a large object value's text is kept for liveValueView (a
 * task's input and output, which are replaced, never edited; not a context, which is edited in place).
 */
export function stateJson(value: unknown, what: string, keepText = false): string | null {
  if (value === undefined) return null
  let text: string
  try {
    text = JSON.stringify(value)
  } catch (e) {
    throw new StateNotStorableError(`${what} cannot be stored as JSON: ${(e as Error).message.split('\n')[0]}`)
  }
  if (text !== undefined && text.length > STATE_JSON_LIMIT) {
    throw new StateNotStorableError(`${what} is ${text.length} characters of JSON; at most ${STATE_JSON_LIMIT} are stored`)
  }
  if (text !== undefined && jsonNestsTooDeep(text)) {
    throw new StateNotStorableError(`${what} nests deeper than ${MAX_JSON_DEPTH} levels; no deeper JSON is stored`)
  }
  if (keepText && text !== undefined && text.length > RAW_VALUE_BYTES && typeof value === 'object' && value !== null) largeTexts.set(value, text)
  return text ?? null
}

/**
 * The JSON text of large live values (over RAW_VALUE_BYTES), by the value object, as stateJson last
 * wrote it or liveValueView first serialized it; weakly held, so it goes with the value. The engine
 * replaces a task's output rather than editing it, and saves every change in the turn that makes it,
 * so a text here is what the store holds for the value.
 */
const largeTexts = new WeakMap<object, string>()

/**
 * A live value of a running job (a task's input or output the engine holds) as a view answers it:
 * one over RAW_VALUE_BYTES of JSON as a RawJson of its JSON text, which is serialized at most once for
 * the value (usually by its save: stateJson), not on every read; a smaller one as it is. Polling
 * get.json of a running execution whose tasks held 16 MB serialized them all on every poll (#9 §2).
 */
export function liveValueView(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || value instanceof RawJson) return value
  let text = largeTexts.get(value)
  if (text === undefined) {
    if (jsonBytesWithin(value, RAW_VALUE_BYTES) !== undefined) return value
    text = JSON.stringify(value)
    largeTexts.set(value, text)
  }
  // a view reads some top-level fields beside it (Rill's invoke_msg: code, msg): the live object has them
  return new RawJson(text, Array.isArray(value) ? undefined : (value as Record<string, unknown>))
}
