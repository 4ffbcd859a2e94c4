import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { AppError, isAppError, type ErrorBody, type ErrorKind } from '../../../shared/errors'
import { isBusy } from '../../store/connection'
import { databaseLocked } from '../busy-retry'
import { notJsonMessage } from '../client-json'
import { cutText } from '../../../shared/hidden-chars'

/** The one error Ajv reports (allErrors is off), with `verbose` on: the failing keyword's schema beside it. */
interface SchemaError {
  keyword: string
  instancePath?: string
  message?: string
  params?: Record<string, unknown>
  parentSchema?: Record<string, unknown>
}

/**
 * Patterns of the request schemas in words, for the refusal of a value that does not match
 * (`alias may have only letters and digits`); a pattern not listed is shown as it is.
 */
const PATTERN_WORDS: Record<string, string> = {
  '^[a-zA-Z0-9]+$': 'may have only letters and digits (A–Z, a–z, 0–9), no spaces or other signs',
  '^[0-9a-f]{32}$': 'must be a version: 32 digits and letters a–f',
  '^[\\w-]{1,64}$': 'may have only letters, digits, _ and -, at most 64',
  '^[A-Za-z0-9_-]{1,64}$': 'may have only letters, digits, _ and -, at most 64',
  '^[\\w.-]{1,128}$': 'may have only letters, digits, _, - and ., at most 128',
  '^[^\\u0000]*$': 'may not contain the NUL character (%00)',
}

const TYPE_WORDS: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  integer: 'a whole number',
  boolean: 'true or false',
  object: 'an object',
  array: 'a list',
  null: 'null',
}

/** A number schema's kind and bounds in words: "a whole number from 0 to 10", "a number greater than 0". */
function numberWords(s: Record<string, unknown>): string {
  const kind = s.type === 'integer' ? 'a whole number' : 'a number'
  const low = typeof s.minimum === 'number' ? `from ${s.minimum}` : typeof s.exclusiveMinimum === 'number' ? `greater than ${s.exclusiveMinimum}` : ''
  const high = typeof s.maximum === 'number' ? (low.startsWith('from') ? `to ${s.maximum}` : `at most ${s.maximum}`) : typeof s.exclusiveMaximum === 'number' ? `less than ${s.exclusiveMaximum}` : ''
  return [kind, low, low && high && !high.startsWith('to') ? 'and' : '', high].filter(Boolean).join(' ')
}

/** A string schema's length in words: "1 to 64 characters", "at most 64 characters". */
function lengthWords(s: Record<string, unknown>): string {
  const min = typeof s.minLength === 'number' && s.minLength > 0 ? s.minLength : undefined
  const max = typeof s.maxLength === 'number' ? s.maxLength : undefined
  if (min !== undefined && max !== undefined) return `${min} to ${max} characters`
  if (max !== undefined) return `at most ${max} characters`
  return `at least ${min ?? 0} character${min === 1 ? '' : 's'}`
}

const plural = (n: unknown, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`

/**
 * The field of an object schema's `properties` that an unknown one most likely meant: one whose name,
 * in any case, starts the unknown one's or is started by it (`timeoutSeconds` → `timeout`,
 * TuGraph's name for a statement's timeout), the longest such; else undefined.
 */
function nearestField(unknown: string, properties: unknown): string | undefined {
  if (!properties || typeof properties !== 'object') return undefined
  const u = unknown.toLowerCase()
  const near = Object.keys(properties).filter((k) => k.length >= 3 && (u.startsWith(k.toLowerCase()) || k.toLowerCase().startsWith(u)))
  return near.sort((a, b) => b.length - a.length)[0]
}

/**
 * What a failed schema keyword says in words, and what the field allows: "must be a number greater
 * than 0", "must not be empty", "must be at most 64 characters". Unknown keywords keep Ajv's text.
 */
function phrase(e: SchemaError): string {
  const p = e.params ?? {}
  const s = e.parentSchema ?? {}
  switch (e.keyword) {
    case 'required':
      return 'is required'
    case 'type': {
      if (p.type === 'number' || p.type === 'integer') return `must be ${numberWords(s)}`
      const types = String(p.type).split(',')
      return `must be ${types.map((t) => TYPE_WORDS[t] ?? t).join(' or ')}`
    }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return `must be ${numberWords(s)}`
    case 'multipleOf':
      return `must be a multiple of ${String(p.multipleOf)}`
    case 'minLength':
      return p.limit === 1 ? 'must not be empty' : `must be ${lengthWords(s)}`
    case 'maxLength':
      return `must be ${lengthWords(s)}`
    case 'pattern':
      return PATTERN_WORDS[String(p.pattern)] ?? `must match the pattern ${String(p.pattern)}`
    case 'enum': {
      const values = Array.isArray(p.allowedValues) ? p.allowedValues : []
      const shown = values.slice(0, 12).map((v) => JSON.stringify(v)).join(', ')
      return `must be one of ${shown}${values.length > 12 ? ', …' : ''}`
    }
    case 'const':
      return `must be ${JSON.stringify(p.allowedValue)}`
    case 'minItems':
      return `must have at least ${plural(p.limit, 'item')}`
    case 'maxItems':
      return `may have at most ${plural(p.limit, 'item')}`
    case 'minProperties':
      return `must have at least ${plural(p.limit, 'field')}`
    case 'maxProperties':
      return `may have at most ${plural(p.limit, 'field')}`
    case 'additionalProperties': {
      const near = nearestField(String(p.additionalProperty), s.properties)
      return `has a field "${String(p.additionalProperty)}" that is not taken here${near ? `; did you mean "${near}"?` : ''}`
    }
    case 'format':
      return `must be ${String(p.format)}`
    default:
      return e.message ?? 'is invalid'
  }
}

/**
 * Turns fastify's schema-validation error into one that names the offending field and says in words
 * what it allows: `retries must be a whole number from 0 to 10`, `alias may have only letters and
 * digits …`. The message starts with the field (a dotted path into the body, a query or path
 * parameter) as `field` names it, so a form can put its own label in its place; without a field
 * (the body itself is wrong) it starts with the part of the request: `body must be an object`.
 * A field the schema does not take is said of the object holding it (`body has a field "timeoutSecond"
 * that is not taken here; did you mean "timeoutSeconds"?`), with `field` naming it (timeoutSecond).
 */
export function fromValidation(err: FastifyError): AppError {
  const first = err.validation?.[0] as SchemaError | undefined
  const params = (first?.params ?? {}) as { missingProperty?: string; additionalProperty?: string }
  const path = (first?.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.')
  // a property missing from a nested object is named by its whole path (expect.updatedAt)
  const field = params.missingProperty ? [path, params.missingProperty].filter(Boolean).join('.') : path || undefined
  const where = err.validationContext ?? 'request'
  const said = first ? phrase(first) : 'is invalid'
  // an unknown property is said of the object holding it ("body has a field "x" …"), but `field`
  // names the property itself (expect.x), as every other refusal names the one at fault
  const unknown = params.additionalProperty === undefined ? undefined : [path, params.additionalProperty].filter(Boolean).join('.')
  return new AppError('invalid', 'invalid_request', `${field ?? where} ${said}`, { field: unknown ?? field })
}

/**
 * Errors fastify raises itself, before a handler runs, by their code: the kind, our code and the
 * part of the request at fault. Other 4xx errors of fastify's become `invalid`.
 */
const FASTIFY_ERRORS: Record<string, [kind: ErrorKind, code: string, field: string]> = {
  FST_ERR_CTP_BODY_TOO_LARGE: ['too_large', 'too_large', 'body'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: ['unsupported_media_type', 'bad_content_type', 'content-type'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: ['invalid', 'bad_body', 'content-length'],
  FST_ERR_CTP_EMPTY_JSON_BODY: ['invalid', 'bad_body', 'body'],
  FST_ERR_CTP_INVALID_JSON_BODY: ['invalid', 'bad_body', 'body'],
  FST_ERR_BAD_URL: ['invalid', 'bad_url', 'url'],
  FST_ERR_MAX_PARAM_LENGTH: ['invalid', 'bad_url', 'url'],
}

/** The one place a thrown error becomes an AppError: ours as they are, SQLite's "database is locked" `unavailable` (503), fastify's by code and status, anything else `internal`. */
export function toAppError(err: unknown): AppError {
  if (isAppError(err)) return err
  // jobdesk.db locked by another program past the request's retries (busy-retry.ts): 503, try again
  if (isBusy(err)) return databaseLocked()
  const fe = err as FastifyError
  if (fe?.validation) return fromValidation(fe)
  // only a client's value reflected into a header (a file name, a charset) makes Node refuse one
  if (fe?.code === 'ERR_INVALID_CHAR' || fe?.code === 'ERR_HTTP_INVALID_HEADER_VALUE') {
    return new AppError('invalid', 'bad_header_value', 'a parameter holds characters that cannot go into the answer’s headers (control characters or non-Latin-1 text)')
  }
  const known = typeof fe?.code === 'string' ? FASTIFY_ERRORS[fe.code] : undefined
  if (known) return new AppError(known[0], known[1], bodyMessage(fe), { field: known[2] })
  const status = typeof fe?.statusCode === 'number' ? fe.statusCode : 500
  if (status === 404) return new AppError('not_found', 'no_route', fe.message)
  if (status === 413) return new AppError('too_large', 'too_large', fe.message)
  if (status === 415) return new AppError('unsupported_media_type', 'bad_content_type', fe.message, { field: 'content-type' })
  // a SyntaxError from the JSON parser (bad JSON, a __proto__ key) carries 400
  if (status >= 400 && status < 500) return new AppError('invalid', 'bad_body', bodyMessage(fe), { field: 'body' })
  return new AppError('internal', 'internal', 'internal error; see the JobDesk log')
}

/**
 * Whether `e` says "the server cannot answer now; the same request a little later will do": kind
 * `unavailable` with a Retry-After (starting, stopping, jobdesk.db locked, the server full). The
 * dialects with no code of their own for that (Explorer, TuGraph) answer it in their nearest form.
 */
export const isTryAgain = (e: AppError): boolean => e.kind === 'unavailable' && e.retryAfterSeconds !== undefined

/** How much of a refused URL's path a message quotes (fastify's sentence quotes it whole: 16 KB, #9 gesattack). */
const QUOTED_PATH_CHARS = 120

const bodyMessage = (fe: FastifyError): string => {
  if (fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return `${fe.message}: send application/json`
  if (fe.code === 'FST_ERR_MAX_PARAM_LENGTH' || fe.code === 'FST_ERR_BAD_URL') {
    // `'<path>' is exceeding the max param length` / `'<path>' is not a valid url component`
    return fe.message.replace(/^'([\s\S]*)'(?= is )/, (_, path: string) => `'${path.length > QUOTED_PATH_CHARS ? `${cutText(path, QUOTED_PATH_CHARS)}…` : path}'`)
  }
  if (fe instanceof SyntaxError) return notJsonMessage('body', fe)
  return fe.message
}

export function sendError(err: unknown, req: FastifyRequest, reply: FastifyReply): FastifyReply {
  const e = toAppError(err)
  if (e.kind === 'internal') req.log.error({ err }, 'unexpected error')
  if (e.kind === 'unauthenticated') reply.header('www-authenticate', 'Bearer')
  if (e.retryAfterSeconds !== undefined) reply.header('retry-after', String(e.retryAfterSeconds))
  return reply.code(e.httpStatus).send({ error: e.toBody() satisfies ErrorBody })
}
