// What a TuGraph method reads from its request. TuGraph parses the body as JSON whatever its
// content type (curl -d sends a form type) and reads each field with a type: a missing field is
// "`<field>` is not specified.", a field of the wrong JSON type a 400 naming it. Numbers that
// TuGraph wants as strings ("flag": "2") are taken as numbers too (reference/tugraph.md §1.1 Rec.).

import { isAppError } from '../../../../shared/errors'
import { notJsonMessage } from '../../client-json'
import { parseClientJson } from '../../json-body'
import { INLINE_JSON_CHARS, parseClientJsonOffThread } from '../../../services/json-parser'
import { notSpecified, TuGraphError } from './envelope'

export type Body = Record<string, unknown>

/**
 * The body of a JSON method as an object: {} when there is none; "400" for invalid JSON or another
 * JSON value. `ahead`: what parseAhead made of a long body (its value, or what parsing threw), answered
 * here as its parse on this thread would have been.
 */
export function jsonBody(raw: unknown, ahead?: ParsedAhead): Body {
  const text = bodyText(raw)
  if (!text.trim()) return {}
  let value: unknown
  try {
    if (ahead && 'error' in ahead) throw ahead.error
    value = ahead ? ahead.value : parseClientJson(text, 'body')
  } catch (e) {
    if (isAppError(e)) throw new TuGraphError(e.message)
    // every dialect's words for a body that is not JSON (client-json.ts), in TuGraph's envelope
    throw new TuGraphError(e instanceof SyntaxError ? notJsonMessage('body', e) : `body is not valid JSON: ${(e as Error).message}`)
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new TuGraphError('the request body must be a JSON object')
  return value as Body
}

/** A long body parsed ahead (parseAhead): its value, or what parsing it threw. */
export type ParsedAhead = { value: unknown } | { error: unknown }

/**
 * A body over INLINE_JSON_CHARS parsed in a worker thread (services/json-parser.ts, #9 §2) before its
 * method runs, for jsonBody to answer when the method asks for it (so a method's own checks still come
 * first); undefined for a short one, which jsonBody parses itself.
 */
export async function parseAhead(raw: unknown, owner: string): Promise<ParsedAhead | undefined> {
  const text = bodyText(raw)
  if (text.length <= INLINE_JSON_CHARS || !text.trim()) return undefined
  return parseClientJsonOffThread(text, 'body', { owner }).then(
    ({ value }) => ({ value }),
    (error: unknown) => ({ error }),
  )
}

const bodyText = (raw: unknown): string => (Buffer.isBuffer(raw) ? raw.toString('utf8') : typeof raw === 'string' ? raw : '')

/** A field that is absent or JSON null counts as not given. */
const given = (body: Body, field: string): boolean => Object.hasOwn(body, field) && body[field] !== null

const wrongType = (field: string, want: string) => new TuGraphError(`\`${field}\` must be ${want}`)

export function requiredString(body: Body, field: string): string {
  if (!given(body, field)) throw notSpecified(field)
  return optionalString(body, field)!
}

export function optionalString(body: Body, field: string): string | undefined {
  if (!given(body, field)) return undefined
  const v = body[field]
  if (typeof v !== 'string') throw wrongType(field, 'a JSON string')
  return v
}

/** A string TuGraph wants (taskId, checkSum), also given as a JSON number. */
export function optionalText(body: Body, field: string): string | undefined {
  if (!given(body, field)) return undefined
  const v = body[field]
  if (typeof v === 'number' && Number.isFinite(v)) return String(v)
  if (typeof v !== 'string') throw wrongType(field, 'a string')
  return v
}

/** An integer TuGraph wants as a decimal string ("flag": "2"); a JSON integer is taken too. */
export function optionalInteger(body: Body, field: string): number | undefined {
  if (!given(body, field)) return undefined
  const v = body[field]
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*[-+]?\d{1,16}\s*$/.test(v) ? Number(v) : NaN
  if (!Number.isSafeInteger(n)) throw wrongType(field, 'an integer, as a string ("2") or a number')
  return n
}

export function requiredInteger(body: Body, field: string): number {
  if (!given(body, field)) throw notSpecified(field)
  return optionalInteger(body, field)!
}

export function optionalBoolean(body: Body, field: string): boolean | undefined {
  if (!given(body, field)) return undefined
  const v = body[field]
  if (typeof v !== 'boolean') throw wrongType(field, 'true or false')
  return v
}

/** A number TuGraph wants as a JSON number (`timeout`); a numeric string is taken too. */
export function optionalNumber(body: Body, field: string): number | undefined {
  if (!given(body, field)) return undefined
  const v = body[field]
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(v) ? Number(v) : NaN
  if (!Number.isFinite(n) || n < 0) throw wrongType(field, 'a number, 0 or more')
  return n
}

/** An object given as JSON or as JSON text (import_schema's `description`, import_data's `schema`). */
export function objectOrJsonText(body: Body, field: string): Body {
  let v = body[field]
  if (typeof v === 'string') {
    try {
      v = parseClientJson(v, field)
    } catch (e) {
      if (isAppError(e)) throw new TuGraphError(e.message)
      throw new TuGraphError(`\`${field}\` is not valid JSON: ${(e as Error).message}`)
    }
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw wrongType(field, 'a JSON object (or its JSON text)')
  return v as Body
}

/** A request header by name (Node lower-cases them, so `File-Name` and `file-name` are one); a repeated one counts once. */
export function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const v = headers[name.toLowerCase()]
  return Array.isArray(v) ? v[0] : v
}
