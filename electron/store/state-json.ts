// The JSON columns of a job's live state (context, result, a task's input, output and runtime)
// are rewritten whenever the state changes, and read back whole. One oversized value would make
// every later save and read slow, so each is capped when it is written; the engine fails the job
// that hit the cap (upstream Rill Flow does the same: "context length ... exceed the limit").

import { jsonNestsTooDeep, MAX_JSON_DEPTH } from '../../shared/json-limits'

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
 * cannot be written as JSON.
 */
export function stateJson(value: unknown, what: string): string | null {
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
  return text ?? null
}
