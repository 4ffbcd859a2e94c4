import type { FastifyRequest } from 'fastify'
import { isUtf8 } from 'node:buffer'
import { firstInvalidByte } from '../../../graph/import/lines'
import { AppError, invalid } from '../../../../shared/errors'
import { loneSurrogateProblem, notJsonMessage, parseClientJson } from '../../client-json'
import { plainInteger } from '../../query'
import { bodyOwner } from '../../body-rate'
import { INLINE_JSON_CHARS, parseClientJsonOffThread, type ParsedJson } from '../../../services/json-parser'
import { mayReach, type Owned } from '../../../services/access'
import { formatCount } from '../../../../shared/number-format'
import type { JsonShape } from '../../../../shared/json-limits'

type Json = Record<string, unknown>

/** Query parameters merged over a form body, as Spring's @RequestParam sees them. */
export function params(req: FastifyRequest): Record<string, string | undefined> {
  const q = (req.query ?? {}) as Record<string, string>
  const form = (req as FastifyRequest & { form?: Record<string, string> }).form ?? {}
  return { ...form, ...q }
}

/**
 * The most fields a form body may hold: Tomcat's default maxParameterCount, which Rill Flow (Spring
 * Boot on Tomcat) answers beyond. Read on the main thread, 4 MB of `k0=&k1=&…` (600,000 fields) took
 * 0.9 s to split, 2.4-3.4 s into a map and 4-5 s to copy (params), 12.9 s in all at load 20 (atk33).
 */
export const MAX_FORM_FIELDS = 10_000

/**
 * A form body's fields (application/x-www-form-urlencoded), a repeated name's last value kept. Throws
 * AppError `too_large` (too_many_form_fields) past MAX_FORM_FIELDS, counted before anything is split.
 */
export function formFields(body: string): Record<string, string> {
  let fields = 1
  for (let at = body.indexOf('&'); at >= 0; at = body.indexOf('&', at + 1)) {
    if (++fields > MAX_FORM_FIELDS) {
      throw new AppError('too_large', 'too_many_form_fields', `the form body holds more than ${formatCount(MAX_FORM_FIELDS)} fields, the most a request may send`, { field: 'body' })
    }
  }
  return Object.fromEntries(new URLSearchParams(body))
}

/** One parameter as params(req) has it (the query string's over the form's), without copying them all. */
export function param(req: FastifyRequest, name: string): string | undefined {
  const q = req.query as Record<string, string> | undefined
  if (q && Object.hasOwn(q, name)) return q[name]
  return (req as FastifyRequest & { form?: Record<string, string> }).form?.[name]
}

/**
 * Whether a bearer-token caller is neither the owner of `job` nor an admin (services/access.ts): the
 * execution is then answered as an unknown one, so another user's cannot be told from none (#9 §3).
 * A credential-less loopback call is the desktop user (routes.ts guardExecution).
 */
export const hiddenFrom = (req: FastifyRequest, job: Owned): boolean => req.user !== undefined && !mayReach(req.user, job)

export function groupIndex(value: unknown): number {
  const n = plainInteger(String(value), { min: 0, max: Number.MAX_SAFE_INTEGER })
  if (n === undefined) throw invalid('bad_group_index', 'group_index must be a non-negative integer', 'group_index')
  return n
}

/**
 * A client's JSON text as an object (parseClientJson: no prototype keys), or `bad_json` naming `field`:
 * text that is not JSON as such, with where (notJsonMessage: `{city: 1}` is no "JSON object" error).
 */
export function parseJson(text: string, field: string): Json {
  wholeCharacters(text, field)
  let v: unknown
  try {
    v = parseClientJson(text, field)
  } catch (e) {
    throw e instanceof SyntaxError ? notJson(field, e) : e // too deep, a prototype key: said as such
  }
  return objectOf(v, field)
}

/** The `bad_json` refusal of `field` that is not JSON at all. */
const notJson = (field: string, e: SyntaxError) => invalid('bad_json', notJsonMessage(field, e), field)

/**
 * parseJson, for a parameter that may be long (trigger.json's `context`, up to a form body's 4 MB):
 * a long text is parsed in a worker thread (services/json-parser.ts), as readJsonBody parses a long
 * body; parsed here, a map of 240,000 keys held the main thread 6.3 s at load 20 (atk33). `owner`:
 * whose it is (body-rate.ts bodyOwner), for the workers' fair share.
 */
export async function parseJsonParam(text: string, field: string, owner: string): Promise<Json> {
  if (text.length <= INLINE_JSON_CHARS) return parseJson(text, field)
  wholeCharacters(text, field)
  return objectOf((await parsedOffThread(text, field, { owner })).value, field)
}

/** The request body as a JSON object (contexts, results); empty → undefined. For a route that takes a small body only (BODY_LIMITS.small): readJsonBody otherwise. */
export function jsonBody(req: FastifyRequest): Json | undefined {
  const raw = req.body
  if (raw === undefined || raw === null || (typeof raw === 'string' && !raw.trim())) return undefined
  utf8Body(req)
  if (typeof raw === 'string') return parseJson(raw, 'body')
  return objectOf(raw, 'body')
}

/**
 * jsonBody, for a route that takes a long body (a context, a task's output): a long text is parsed
 * in a worker thread (services/json-parser.ts), with the same answers and refusals. With `copy`, a
 * long body's object comes back twice (`copy` shares no map or list with `value`); a short one's
 * once, `copy` undefined. `memberTexts`: the worker also serializes a long body's long members (a
 * callback body's, saved read-only: services/json-parser.ts). A long body's `shape` (its nodes and containers, shared/json-limits.ts) is
 * the one the worker counted as it checked the text; a short one's undefined.
 */
export async function readJsonBody(req: FastifyRequest, o: { copy?: boolean; memberTexts?: boolean } = {}): Promise<{ value: Json | undefined; copy?: Json; shape?: JsonShape }> {
  const raw = req.body
  if (typeof raw !== 'string' || raw.length <= INLINE_JSON_CHARS || !raw.trim()) return { value: jsonBody(req) }
  utf8Body(req)
  wholeCharacters(raw, 'body')
  const parsed = await parsedOffThread(raw, 'body', { ...o, owner: bodyOwner(req) })
  const value = objectOf(parsed.value, 'body')
  const shape = parsed.shape
  return parsed.copy === undefined ? { value, shape } : { value, copy: parsed.copy as Json, shape }
}

/**
 * parseClientJsonOffThread of a long `text`; a text that is not JSON is refused as parseJson refuses
 * it (`bad_json`, saying where). Its other refusals (too deep, a prototype key) are thrown as such.
 */
async function parsedOffThread(text: string, field: string, o: { copy?: boolean; memberTexts?: boolean; owner: string }): Promise<ParsedJson> {
  try {
    return await parseClientJsonOffThread(text, field, o)
  } catch (e) {
    throw e instanceof SyntaxError ? notJson(field, e) : e
  }
}

/** Requests whose body is not valid UTF-8, with the offset of its first bad byte (rawBodies marks them). */
const notUtf8 = new WeakMap<FastifyRequest, number>()

/**
 * The body's bytes as text (UTF-8) for a Rill Flow route; one that is not valid UTF-8 is marked, so
 * a JSON body (a context, a callback's or a wakeup's data) is refused rather than stored with U+FFFD
 * where its bytes were (#9). A descriptor (YAML) is still read as before.
 */
export function bodyText(req: FastifyRequest, bytes: Buffer): string {
  if (!isUtf8(bytes)) notUtf8.set(req, firstInvalidByte(bytes))
  return bytes.toString('utf8')
}

/** Throws `bad_json` naming `body` when the request's body is not valid UTF-8 (bodyText). */
function utf8Body(req: FastifyRequest): void {
  const at = notUtf8.get(req)
  if (at !== undefined) throw invalid('bad_json', `body is not valid UTF-8 (from byte ${at + 1}): send JSON encoded in UTF-8`, 'body')
}

/** Throws `bad_json` naming `field` when its JSON text escapes half of a character (loneSurrogateProblem). */
function wholeCharacters(text: string, field: string): void {
  const problem = loneSurrogateProblem(text, field)
  if (problem) throw invalid('bad_json', problem, field)
}

/** `v` when it is a JSON object, else `bad_json` naming `field`. */
function objectOf(v: unknown, field: string): Json {
  if (v && typeof v === 'object' && !Array.isArray(v)) return v as Json
  throw invalid('bad_json', `${field} must be a JSON object`, field)
}
