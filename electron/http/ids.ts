// Ids at the boundary: every dialect reads a numeric id (a job, task, workflow) with this one parser,
// so `0x10`, `1e1`, `+16`, `016`, ` 16` or `16.0` name no job (#9 §6): only the one spelling of a
// number reaches a row, as an id printed by the product is spelled.

import { invalid } from '../../shared/errors'

/** The largest id a request may name (JavaScript's exact integers; SQLite's are wider). */
export const MAX_ID = Number.MAX_SAFE_INTEGER

/** Canonical decimal: "0", or digits without a leading zero; no sign, exponent, `0x`, point or spaces. */
const CANONICAL = /^(?:0|[1-9]\d{0,15})$/

/**
 * The id `raw` names when it is canonical decimal text (or, from a JSON body, a number) from `min` to
 * MAX_ID; undefined otherwise.
 */
export function idValue(raw: unknown, min = 1): number | undefined {
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' && CANONICAL.test(raw) ? Number(raw) : NaN
  return Number.isSafeInteger(n) && n >= min ? n : undefined
}

/**
 * Reads the id parameter `name` with idValue. Throws `invalid` (code `bad_id`) naming the parameter,
 * which each dialect's envelope words its way.
 */
export function parseId(raw: unknown, name: string, min = 1): number {
  const n = idValue(raw, min)
  if (n === undefined) throw invalid('bad_id', badIdMessage(raw, name, min), name)
  return n
}

/** The words of parseId's refusal, for dialects that throw their own error type. */
export function badIdMessage(raw: unknown, name: string, min = 1): string {
  const shown = JSON.stringify(String(raw ?? '').slice(0, 40))
  return `parameter "${name}" must be an id: a whole number from ${min} to ${MAX_ID} in plain decimal digits (no sign, leading zero, exponent or 0x), not ${shown}`
}
