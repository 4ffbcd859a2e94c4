// Query strings at the boundary: malformed or repeated parameters are refused for every route, and
// numbers are read by one parser that names the parameter and its range.

import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify'
import { invalid, type AppError } from '../../shared/errors'

export interface IntegerRange {
  min: number
  max: number
}

/** A Java `int` parameter (Linkis's and Rill Flow's page numbers and sizes): anything outside is a binding error upstream. */
export const JAVA_INT: IntegerRange = { min: -2_147_483_648, max: 2_147_483_647 }
/** A Java `long` parameter (ids, epoch milliseconds), as far as JavaScript numbers hold it exactly. */
export const JAVA_LONG: IntegerRange = { min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }

const decode = (text: string): string | undefined => {
  // without a %-escape nothing can fail to decode (a poll's plain query pays no decoding, #14.2)
  if (!text.includes('%')) return text.includes('+') ? text.replace(/\+/g, ' ') : text
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '))
  } catch {
    return undefined
  }
}

/** Whether a value's %-escapes decode (to valid UTF-8); `+` cannot make it fail. */
const decodes = (text: string): boolean => !text.includes('%') || decode(text) !== undefined

/**
 * Checks a raw query string: every `%` escape must decode (to valid UTF-8) and no parameter may
 * appear twice (which one would count is a guess). Throws `invalid` naming the parameter.
 */
export function checkQueryString(url: string): void {
  const at = url.indexOf('?')
  if (at < 0) return
  const query = url.slice(at + 1)
  // a poll sends the same query string again and again; whether it passes never changes (#14.2)
  if (passed.has(query)) return
  const seen = new Set<string>()
  for (const pair of query.split('&')) {
    if (!pair) continue
    const eq = pair.indexOf('=')
    const rawName = eq < 0 ? pair : pair.slice(0, eq)
    const name = decode(rawName)
    if (name === undefined) throw invalid('bad_query', `query parameter name ${JSON.stringify(rawName.slice(0, 100))} has a malformed %-escape`, rawName.slice(0, 100))
    if (eq >= 0 && !decodes(pair.slice(eq + 1))) throw invalid('bad_query', `query parameter "${name}" has a malformed %-escape`, name)
    if (seen.has(name)) throw invalid('repeated_parameter', `query parameter "${name}" is given more than once`, name)
    seen.add(name)
  }
  if (query.length <= MAX_REMEMBERED_QUERY) {
    if (passed.size >= MAX_REMEMBERED_QUERIES) passed.clear()
    passed.add(query)
  }
}

/** Query strings that passed checkQueryString lately (a bound, not an LRU: polls are few). */
const passed = new Set<string>()
const MAX_REMEMBERED_QUERIES = 1000
/** Longer query strings are checked every time, so what is remembered stays small (at most about 1 MB). */
const MAX_REMEMBERED_QUERY = 1000

/** Runs checkQueryString on every request, after authentication (onRequest) and before schema validation (a sync hook: #14.2). */
export function registerQueryChecks(app: FastifyInstance): void {
  app.addHook('preValidation', (req: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction) => {
    checkQueryString(req.url)
    done()
  })
}

/**
 * Plain decimal digits, with a leading `-` only where negatives are valid: no `+`, spaces, exponent,
 * `0x`, `0b`, point or `_`. At most 16 digits: past them no JavaScript number is exact.
 */
const PLAIN = /^\d{1,16}$/
const PLAIN_SIGNED = /^-?\d{1,16}$/

/** Whether `text` is an integer in plain decimal digits (a leading `-` only when `negative`). */
export const isPlainInteger = (text: string, negative: boolean): boolean => (negative ? PLAIN_SIGNED : PLAIN).test(text)

/**
 * The integer `text` spells in plain decimal digits (a leading `-` only when `range.min` < 0) when
 * it lies within the range; undefined for anything else (`0x10`, `2e0`, `+1`, ` 5`, `1.0`, `-0` where
 * the range has no negatives). Every dialect reads its integer query parameters with this.
 */
export function plainInteger(text: string, range: IntegerRange): number | undefined {
  const n = isPlainInteger(text, range.min < 0) ? Number(text) : NaN
  return Number.isSafeInteger(n) && n >= range.min && n <= range.max ? n : undefined
}

/**
 * The refusal of an integer parameter, invalid `bad_number` naming it, its range and what came (at
 * most 40 characters). The words start with the name as the native API's schema refusals do
 * (native/errors.ts fromValidation: a form puts its own label there); `quoted` words it as the
 * dialects' parameters are (`parameter "page" …`).
 */
export function badInteger(name: string, range: IntegerRange, raw: unknown, quoted = false): AppError {
  const what = `must be a whole number from ${range.min} to ${range.max} in plain decimal digits, not ${JSON.stringify(String(raw).slice(0, 40))}`
  return invalid('bad_number', quoted ? `parameter ${JSON.stringify(name)} ${what}` : `${name} ${what}`, name)
}

/**
 * Reads an integer parameter: absent or empty gives `fallback`; anything else must be read by
 * plainInteger (no `1e20`, `0x10`, `+1`, ` 5`, `1.5`) within the range. Throws badInteger naming the parameter.
 */
export function queryInteger(value: unknown, name: string, range: IntegerRange, fallback: number): number
export function queryInteger(value: unknown, name: string, range: IntegerRange, fallback?: number): number | undefined
export function queryInteger(value: unknown, name: string, range: IntegerRange, fallback?: number): number | undefined {
  if (value === undefined || value === null || value === '') return fallback
  const n = plainInteger(String(value), range)
  if (n === undefined) throw badInteger(name, range, value, true)
  return n
}
