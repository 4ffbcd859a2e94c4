// The value budget of one query: how large a value the query may build and how much it may hold at
// once, so that no statement (a list doubled in reduce(), a string doubled, a comprehension of
// comprehensions, collect() of big maps, a sort of rows carrying big lists) can fill the query
// worker's heap. A worker's V8 out-of-memory can abort the whole process, not only the worker
// (test/graph/attack-cypher-list-doubling.probe.test.ts), so the budget refuses before allocating
// wherever the size is known beforehand (range(), `+`, literals, split(), replace(), concat()) and
// every few thousand elements where it grows (comprehensions, collect()).
//
// Sizes are estimated bytes (sizeOf): a scalar 16, a string 16 + 2 per character, a list 16 + 8 per
// element plus its elements, a map 16 + 32 per entry plus its keys and values; vertices and edges
// count as 64 plus the properties read so far (a vertex in the result has all of its own). A list's or
// map's size is kept once computed (values are never changed after they are built; small ones are
// walked again instead), so a list that holds the same big list a million times is sized in a
// million lookups, not by walking it a million times: what its encoding would spell out is what counts.
//
// One error for every limit: query_too_large, "Query too large: …", naming the limit.
import { cypherError } from './errors'
import { EdgeV, NodeV, PathV, type MapV, type Value } from './values'
import type { AppError } from '../../../shared/errors'
import { formatCount } from '../../../shared/number-format'

/** Elements of one list (range(), collect(), a comprehension, `+`, split()). */
export const MAX_LIST = 1_000_000
/** Characters of one string (`+`, concat(), replace(), toUpper()). */
export const MAX_STRING = 16 * 1024 * 1024
/** Estimated bytes of one value, what it nests included. */
export const MAX_VALUE_BYTES = 64 * 1024 * 1024
/** Estimated bytes of the values a query holds at once: result rows, rows held to sort or dedupe, collected lists, grouping keys. */
export const MAX_HELD_BYTES = 256 * 1024 * 1024
/** Levels of lists and maps in one value (deeper ones overflow the encoder's stack). */
export const MAX_DEPTH = 64

const MB = (n: number) => `${n / (1024 * 1024)} MiB`

/** The limits, as the error names them. */
const LIMITS = {
  list: `${formatCount(MAX_LIST)} elements per list`,
  string: `${formatCount(MAX_STRING)} characters per string`,
  value: `${MB(MAX_VALUE_BYTES)} per value`,
  held: `${MB(MAX_HELD_BYTES)} of values held by one query`,
  depth: `${MAX_DEPTH} levels of nested lists and maps`,
} as const

export type ValueLimit = keyof typeof LIMITS

/** The one error of the value budget: query_too_large naming `what` went past and the limit. */
export function valueTooLarge(limit: ValueLimit, what: string): AppError {
  return cypherError('query_too_large', `Query too large: ${what} would pass the limit of ${LIMITS[limit]}; narrow the query or add LIMIT.`)
}

const SCALAR = 16
const ELEMENT = 8
const ENTRY = 32
const ELEMENT_VALUE = 64
/** Lists and maps of at least this many bytes keep their size. */
const CACHED = 4096

interface Sized {
  bytes: number
  depth: number
}

/** Sizes of the lists and maps sized so far (values are immutable once built). */
const sized = new WeakMap<object, Sized>()

/** The nesting `measure` found last (a module variable: sizing a million scalars allocates nothing). */
let measuredDepth = 0

/** A value's estimated bytes; sets measuredDepth to its nesting. */
function measure(v: Value): number {
  measuredDepth = 0
  if (v === null || typeof v !== 'object') return typeof v === 'string' ? SCALAR + 2 * v.length : SCALAR
  if (v instanceof NodeV || v instanceof EdgeV) {
    // with the properties read so far (all of them once the vertex is in the result: encode.ts spells them out)
    const props = v.props ? measure(v.props) : 0
    const vals = v instanceof NodeV && v.vals ? measure(v.vals) : 0
    measuredDepth = 0
    return ELEMENT_VALUE + props + vals
  }
  if (v instanceof PathV) return SCALAR + ELEMENT_VALUE * (v.nodes.length + v.edges.length)
  if (v instanceof Uint8Array) return SCALAR + v.byteLength
  const known = sized.get(v)
  if (known) {
    measuredDepth = known.depth
    return known.bytes
  }
  let bytes = SCALAR
  let depth = 0
  if (Array.isArray(v)) {
    bytes += ELEMENT * v.length
    for (const x of v) {
      bytes += measure(x)
      if (measuredDepth > depth) depth = measuredDepth
    }
  } else {
    for (const k of Object.keys(v)) {
      bytes += ENTRY + 2 * k.length + measure(v[k])
      if (measuredDepth > depth) depth = measuredDepth
    }
  }
  // small ones are not kept (a list literal per row would fill the table): walking one again costs
  // at most CACHED / ELEMENT visits, whatever it nests, since what it nests counts in its bytes
  if (bytes >= CACHED) sized.set(v, { bytes, depth: depth + 1 })
  measuredDepth = depth + 1
  return bytes
}

/** A value's estimated bytes, what it nests included (kept for lists and maps: later calls are a lookup). */
export function sizeOf(v: Value): number {
  return measure(v)
}

/** The nesting of a value: 0 for a scalar, 1 for a list of scalars, … */
export function depthOf(v: Value): number {
  measure(v)
  return measuredDepth
}

/**
 * One query's value budget. Paths that build values ask before they allocate (`list`, `string`,
 * `value`), check what they combined (`seal`) or check while they grow (`growing`); operators that keep values (the result, sort, DISTINCT,
 * aggregation, collect()) `hold` them and `release` what they drop. Every refusal is valueTooLarge.
 */
export class ValueBudget {
  private heldBytes = 0

  /** Bytes held now (estimated). */
  get held(): number {
    return this.heldBytes
  }

  /** Before building a list of `length` elements (a bigint where it may pass 2^53: range()). */
  list(length: number | bigint, what: string): void {
    if (length > MAX_LIST) throw valueTooLarge('list', `${what} (${formatCount(length)} elements)`)
  }

  /** Before building a string of `length` characters. */
  string(length: number, what: string): void {
    if (length > MAX_STRING) throw valueTooLarge('string', `${what} (${formatCount(length)} characters)`)
  }

  /** Before building one value of `bytes` estimated bytes nesting `depth` levels. */
  value(bytes: number, depth: number, what: string): void {
    if (bytes > MAX_VALUE_BYTES) throw valueTooLarge('value', `${what} (about ${MB(Math.ceil(bytes / 1024 / 1024) * 1024 * 1024)})`)
    if (depth > MAX_DEPTH) throw valueTooLarge('depth', what)
  }

  /** A list or map just built from values already sized (a literal, a concatenation): checks it and keeps its size. */
  seal<T extends Value[] | MapV>(v: T, what: string): T {
    if (Array.isArray(v)) this.list(v.length, what)
    const bytes = measure(v)
    this.value(bytes, measuredDepth, what)
    return v
  }

  /** A list being built element by element: call `add` per element (it checks every 4,096), `done` at the end. */
  growing(what: string): { add(x: Value): number; done(list: Value[]): Value[] } {
    let n = 0
    let bytes = SCALAR
    let depth = 0
    return {
      /** Counts one more element; answers its bytes (with its slot in the list). */
      add: (x) => {
        const b = ELEMENT + measure(x)
        bytes += b
        if (measuredDepth > depth) depth = measuredDepth
        if ((++n & 4095) === 0 || b > 4096) {
          this.list(n, what)
          this.value(bytes, depth + 1, what)
        }
        return b
      },
      done: (list) => {
        this.list(list.length, what)
        this.value(bytes, depth + 1, what)
        if (bytes >= CACHED) sized.set(list, { bytes, depth: depth + 1 })
        return list
      },
    }
  }

  /** Keeps `bytes` more until released (or the query ends). */
  hold(bytes: number, what: string): void {
    this.heldBytes += bytes
    if (this.heldBytes > MAX_HELD_BYTES) throw valueTooLarge('held', what)
  }

  /** Keeps the values of a row (see hold); returns their bytes, for `release`. */
  holdRow(row: readonly Value[], what: string): number {
    let bytes = SCALAR + ELEMENT * row.length
    for (const v of row) bytes += sizeOf(v)
    this.hold(bytes, what)
    return bytes
  }

  /** Gives back bytes held (a row dropped by a top-k). */
  release(bytes: number): void {
    this.heldBytes -= bytes
  }
}
