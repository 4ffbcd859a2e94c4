// Property values: TuGraph's value rules (reference/tugraph.md §2.2; tugraph-db: include/fma-common/
// text_parser.h, src/core/field_data_helper.h, src/core/lgraph_date_time.cpp, src/import/column_parser.h)
// and how each type is stored in a typed SQLite column.
//
//   type          stored as            read back as
//   BOOL          INTEGER 0/1          boolean
//   INT8..INT64   INTEGER              number (bigint beyond 2^53)
//   FLOAT         REAL (float32 value) number
//   DOUBLE        REAL                 number
//   DATE          TEXT YYYY-MM-DD      string, verbatim
//   DATETIME      TEXT YYYY-MM-DD HH:MM:SS.ffffff (always 6 digits, so text order is time order)
//                                      string, ".000000" dropped
//   STRING        TEXT                 string
//   BLOB          BLOB                 Uint8Array
//   FLOAT_VECTOR  BLOB of float32 LE   number[]
//   POINT, LINESTRING, POLYGON  TEXT (WKT or EWKB hex, as given)   string
import type { PropertyType } from '../../../shared/graph'

/** A value as bound to / read from SQLite. */
export type Stored = number | bigint | string | Uint8Array | null

/** A value that does not fit its type; the message says why (the caller names the column and line). */
export class ValueError extends Error {}

const INT_RE = /^[+-]?\d+$/
// TuGraph ParseDouble: a leading digit is required; "1." and "1e5" are numbers, ".5", "NaN" and "Inf" are not.
const FLOAT_RE = /^[+-]?\d+(\.\d*)?([eE][+-]?\d+)?$/
const INT_RANGE: Partial<Record<PropertyType, [number, number]>> = {
  INT8: [-128, 127],
  INT16: [-32768, 32767],
  INT32: [-2147483648, 2147483647],
}
const INT64_MIN = -(2n ** 63n)
const INT64_MAX = 2n ** 63n - 1n
const BASE64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/

/** How much of a value a message quotes. */
const SHOWN_CHARS = 64

/**
 * A value as an error message quotes it: whole up to 64 characters, else its first 64 and its length
 * ("123…9 (500000 characters)"). A failed line's reason is kept in the import report and the job's
 * log for each line, so it must not carry a value of megabytes (#9 §2).
 */
export function excerpt(text: string): string {
  return text.length > SHOWN_CHARS ? `${text.slice(0, SHOWN_CHARS)}… (${text.length} characters)` : text
}

/** `v` as JSON for an error message, bigints as their digits (JSON.stringify throws on a bigint, anywhere in a list or map), cut by excerpt. */
export function shownValue(v: unknown): string {
  return excerpt(JSON.stringify(v, (_, x: unknown) => (typeof x === 'bigint' ? x.toString() : x)) ?? String(v))
}

const item = (text: string) => `the error item is ${JSON.stringify(excerpt(text))}`

function parseInt64(text: string): number | bigint {
  if (!INT_RE.test(text)) throw new ValueError(item(text))
  const digits = text[0] === '-' || text[0] === '+' ? text.length - 1 : text.length
  if (digits <= 15) return Number(text) // at most 15 digits: exact as a double (16 may not be: 9007199254740993)
  const big = BigInt(text)
  if (big < INT64_MIN || big > INT64_MAX) throw new ValueError(`${excerpt(text)} is out of range [${INT64_MIN}, ${INT64_MAX}]`)
  return big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big
}

function parseFloating(text: string, type: 'FLOAT' | 'DOUBLE'): number {
  if (!FLOAT_RE.test(text)) throw new ValueError(item(text))
  const n = type === 'FLOAT' ? Math.fround(Number(text)) : Number(text)
  if (!Number.isFinite(n)) throw new ValueError(`${excerpt(text)} is out of range for ${type}`)
  return n
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0

function checkDate(text: string, y: string, m: string, d: string): void {
  const month = Number(m)
  const day = Number(d)
  const max = month === 2 && isLeap(Number(y)) ? 29 : DAYS_IN_MONTH[month - 1]
  if (month < 1 || month > 12 || day < 1 || day > max) throw new ValueError(`${JSON.stringify(text)} is not a date in the calendar`)
}

/** DATE: exactly YYYY-MM-DD (years 0000–9999). */
export function parseDate(text: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text)
  if (!m) throw new ValueError(`${item(text)} (a DATE is YYYY-MM-DD)`)
  checkDate(text, m[1], m[2], m[3])
  return text
}

/** DATETIME: exactly YYYY-MM-DD HH:MM:SS or YYYY-MM-DD HH:MM:SS.ffffff (no ISO "T", no zone; TuGraph issue #16). Returns the 6-digit form. */
export function parseDateTime(text: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{6}))?$/.exec(text)
  if (!m) throw new ValueError(`${item(text)} (a DATETIME is YYYY-MM-DD HH:MM:SS or YYYY-MM-DD HH:MM:SS.ffffff)`)
  checkDate(text, m[1], m[2], m[3])
  if (Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6]) > 59) throw new ValueError(`${JSON.stringify(text)} is not a time of day`)
  return m[7] === undefined ? `${text}.000000` : text
}

function parseBool(text: string): number {
  const lower = text.toLowerCase()
  if (lower === 'true') return 1
  if (lower === 'false') return 0
  if (INT_RE.test(text)) return /[1-9]/.test(text) ? 1 : 0 // any non-zero integer is true
  throw new ValueError(item(text))
}

/** FLOAT_VECTOR in CSV: "1.0,2.0,…", at least two numbers, digits and dots only (TuGraph's check). */
function parseFloatVector(text: string): Uint8Array {
  if (/[^0-9,.]/.test(text) || !/^\d*(?:\.\d+)?(?:,\d*(?:\.\d+)?)+$/.test(text) || text.startsWith(',') || text.endsWith(',') || text.includes(',,')) {
    throw new ValueError('This is not a float vector string')
  }
  return vectorToStored(text.split(',').map(Number))
}

export function vectorToStored(values: number[]): Uint8Array {
  const floats = Float32Array.from(values)
  return new Uint8Array(floats.buffer, floats.byteOffset, floats.byteLength)
}

/**
 * A CSV field's text (unquoted, trimmed, non-empty or a quoted "") as the stored value of `type`.
 * Throws ValueError.
 */
export function textToStored(type: PropertyType, text: string): Stored {
  switch (type) {
    case 'STRING':
      return text
    case 'INT64':
      return parseInt64(text)
    case 'INT8':
    case 'INT16':
    case 'INT32': {
      if (!INT_RE.test(text)) throw new ValueError(item(text))
      const n = Number(text)
      const [lo, hi] = INT_RANGE[type]!
      if (n < lo || n > hi) throw new ValueError(`${excerpt(text)} is out of range [${lo}, ${hi}]`)
      return n
    }
    case 'DOUBLE':
    case 'FLOAT':
      return parseFloating(text, type)
    case 'BOOL':
      return parseBool(text)
    case 'DATE':
      return parseDate(text)
    case 'DATETIME':
      return parseDateTime(text)
    case 'BLOB': // CSV blobs are base64
      if (!BASE64_RE.test(text)) throw new ValueError(`Value is not a valid BASE64 string: ${excerpt(text)}`)
      return Buffer.from(text, 'base64')
    case 'FLOAT_VECTOR':
      return parseFloatVector(text)
    case 'POINT':
    case 'LINESTRING':
    case 'POLYGON':
      throw new ValueError('do not support spatial now!')
  }
}

/**
 * One element of a JSON-lines array as the stored value of `type` (null is the caller's business).
 * Numbers may come as strings; STRING, DATE and DATETIME must be strings; BLOB is the raw string,
 * not base64 (TuGraph JsonLinesParser). Throws ValueError.
 */
export function jsonToStored(type: PropertyType, v: unknown): Stored {
  if (type === 'POINT' || type === 'LINESTRING' || type === 'POLYGON') throw new ValueError('do not support spatial type now!')
  if (type === 'FLOAT_VECTOR') throw new ValueError('do not support FLOAT_VECTOR type now!')
  if (typeof v === 'string') return type === 'BLOB' ? Buffer.from(v, 'utf8') : textToStored(type, v)
  const shown = shownValue(v)
  if (type === 'STRING' || type === 'DATE' || type === 'DATETIME' || type === 'BLOB') throw new ValueError(`${shown} is not a string`)
  if (type === 'BOOL') {
    if (typeof v === 'boolean') return v ? 1 : 0
    if (typeof v === 'number' && Number.isInteger(v)) return v !== 0 ? 1 : 0
    throw new ValueError(`${shown} is not a boolean`)
  }
  if (typeof v !== 'number') throw new ValueError(`${shown} is not a number`)
  if (type === 'FLOAT' || type === 'DOUBLE') return type === 'FLOAT' ? Math.fround(v) : v
  if (!Number.isInteger(v)) throw new ValueError(`${shown} is not an integer`)
  return textToStored(type, BigInt(v).toString())
}

const SPATIAL_WKT: Partial<Record<PropertyType, RegExp>> = {
  POINT: /^\s*POINT\s*\(/i,
  LINESTRING: /^\s*LINESTRING\s*\(/i,
  POLYGON: /^\s*POLYGON\s*\(/i,
}

/**
 * A value given through the store's API (Cypher, procedures) as stored: booleans, numbers or bigints,
 * strings for dates, Uint8Array for BLOB, number[] for FLOAT_VECTOR, WKT or EWKB hex strings for
 * spatial types. Throws ValueError.
 */
export function valueToStored(type: PropertyType, v: unknown): Stored {
  if (v === null || v === undefined) return null
  if (type === 'BLOB' && v instanceof Uint8Array) return v
  if (type === 'FLOAT_VECTOR') {
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'number')) throw new ValueError('a FLOAT_VECTOR is an array of numbers')
    return vectorToStored(v as number[])
  }
  const wkt = SPATIAL_WKT[type]
  if (wkt) {
    if (typeof v === 'string' && (wkt.test(v) || /^(?:[0-9A-Fa-f]{2})+$/.test(v))) return v
    throw new ValueError(`${shownValue(v)} is not a ${type} in WKT or EWKB hex`)
  }
  if (typeof v === 'bigint' && type !== 'STRING') return textToStored(type, v.toString())
  if (typeof v === 'string' && type === 'BLOB') return Buffer.from(v, 'base64')
  return jsonToStored(type, v)
}

/** A stored value as the store's readers see it (see the table above). */
export function storedToValue(type: PropertyType, v: unknown): unknown {
  if (v === null || v === undefined) return null
  switch (type) {
    case 'BOOL':
      return v === 1 || v === 1n
    case 'DATETIME':
      return typeof v === 'string' && v.endsWith('.000000') ? v.slice(0, -7) : v
    case 'FLOAT_VECTOR': {
      const b = v as Uint8Array
      return Array.from(new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength)))
    }
    default:
      return typeof v === 'bigint' && v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v
  }
}

/** SQLite column type (affinity) per property type. */
export function columnType(type: PropertyType): 'INTEGER' | 'REAL' | 'TEXT' | 'BLOB' {
  switch (type) {
    case 'BOOL':
    case 'INT8':
    case 'INT16':
    case 'INT32':
    case 'INT64':
      return 'INTEGER'
    case 'FLOAT':
    case 'DOUBLE':
      return 'REAL'
    case 'BLOB':
    case 'FLOAT_VECTOR':
      return 'BLOB'
    default:
      return 'TEXT'
  }
}
