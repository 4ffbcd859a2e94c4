// Cypher's runtime values: INTEGER is a bigint (64-bit, as Cypher's), FLOAT a number, plus
// vertices, edges, paths, lists and maps; with Cypher's equality, ordering and grouping keys.
import type { LabelRecord } from '../store/label-tables'
import { runtimeError } from './errors'

const INT64_MIN = -(2n ** 63n)
const INT64_MAX = 2n ** 63n - 1n

/** `v` when it fits Cypher's 64-bit INTEGER; else throws cypher_runtime 'Integer overflow' (an INT64 result never wraps or widens). */
export function checkInt(v: bigint): bigint {
  if (v < INT64_MIN || v > INT64_MAX) throw runtimeError('Integer overflow: the result does not fit in 64 bits.')
  return v
}

/** A vertex: its vid and label; properties are read on first use (graph-view.ts). */
export class NodeV {
  props?: Record<string, Value>
  /** The view's write generation `props` was read at. */
  gen = -1
  /** `props` (or `vals`) holds only the properties a label scan was asked for (GraphView.prop reads the rest on demand). */
  partial = false
  /** From a label scan, before `props` is built: the values of the properties `names` (shared by the scan's vertices). */
  vals?: Value[]
  names?: string[]
  constructor(
    readonly vid: number,
    readonly label: LabelRecord,
  ) {}
}

/**
 * An edge by its full key (src, dst, label, tid, eid). `forward` is false when a pattern reached
 * it against its stored direction (TuGraph's `forward` in the JSON encoding).
 */
export class EdgeV {
  constructor(
    readonly label: LabelRecord,
    readonly src: number,
    readonly dst: number,
    readonly tid: number,
    readonly eid: number,
    readonly forward: boolean,
    public props: Record<string, Value>,
  ) {}

  private keyText?: string

  /** src_dst_labelid_tid_eid, TuGraph's full edge key (made once). */
  get key(): string {
    return (this.keyText ??= `${this.src}_${this.dst}_${this.label.id}_${this.tid}_${this.eid}`)
  }

  reversed(): EdgeV {
    return new EdgeV(this.label, this.src, this.dst, this.tid, this.eid, !this.forward, this.props)
  }
}

/** A path: nodes[0] edges[0] nodes[1] … */
export class PathV {
  constructor(
    readonly nodes: NodeV[],
    readonly edges: EdgeV[],
  ) {}
}

export type MapV = { [key: string]: Value }
export type Value = null | boolean | bigint | number | string | Uint8Array | Value[] | NodeV | EdgeV | PathV | MapV

/** A map with no prototype: keys such as `__proto__` are plain keys. */
export function newMap(): MapV {
  return Object.create(null) as MapV
}

export const isMap = (v: unknown): v is MapV =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof NodeV) && !(v instanceof EdgeV) && !(v instanceof PathV) && !(v instanceof Uint8Array)

export const isNumber = (v: unknown): v is number | bigint => typeof v === 'number' || typeof v === 'bigint'

/** Cypher's type name of a value, as error messages say it. */
export function typeName(v: Value): string {
  if (v === null) return 'Null'
  if (typeof v === 'boolean') return 'Boolean'
  if (typeof v === 'bigint') return 'Integer'
  if (typeof v === 'number') return 'Float'
  if (typeof v === 'string') return 'String'
  if (v instanceof Uint8Array) return 'Blob'
  if (Array.isArray(v)) return 'List'
  if (v instanceof NodeV) return 'Node'
  if (v instanceof EdgeV) return 'Relationship'
  if (v instanceof PathV) return 'Path'
  return 'Map'
}

/** A JavaScript value (parameters, procedure rows) as a Cypher value: whole numbers become INTEGER. */
export function fromJs(v: unknown, depth = 0): Value {
  if (depth > 64) throw runtimeError('A parameter is nested too deeply.')
  if (v === null || v === undefined) return null
  if (typeof v === 'number') return Number.isInteger(v) && Number.isSafeInteger(v) ? BigInt(v) : v
  if (typeof v === 'boolean' || typeof v === 'bigint' || typeof v === 'string') return v
  if (v instanceof Uint8Array || v instanceof NodeV || v instanceof EdgeV || v instanceof PathV) return v
  if (Array.isArray(v)) return v.map((x) => fromJs(x, depth + 1))
  if (typeof v === 'object') {
    const m = newMap()
    for (const [k, x] of Object.entries(v)) m[k] = fromJs(x, depth + 1)
    return m
  }
  return String(v)
}

/** Cypher `=`: null when either side is null (or a list holds a null that decides it). */
export function equals(a: Value, b: Value): boolean | null {
  if (a === null || b === null) return null
  if (isNumber(a) && isNumber(b)) {
    // eslint-disable-next-line eqeqeq
    return a == b
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return false
    let unknown = false
    for (let i = 0; i < a.length; i++) {
      const e = equals(a[i], b[i])
      if (e === false) return false
      if (e === null) unknown = true
    }
    return unknown ? null : true
  }
  if (a instanceof NodeV) return b instanceof NodeV && a.vid === b.vid
  if (a instanceof EdgeV) return b instanceof EdgeV && a.key === b.key
  if (a instanceof PathV) return b instanceof PathV && keyOf(a) === keyOf(b)
  if (isMap(a) && isMap(b)) {
    const ka = Object.keys(a)
    if (ka.length !== Object.keys(b).length) return false
    let unknown = false
    for (const k of ka) {
      if (!(k in b)) return false
      const e = equals(a[k], b[k])
      if (e === false) return false
      if (e === null) unknown = true
    }
    return unknown ? null : true
  }
  if (a instanceof Uint8Array && b instanceof Uint8Array) return Buffer.from(a).equals(Buffer.from(b))
  if (typeof a !== typeof b) return false
  return a === b
}

/** Cypher `<` and friends: the sign of a comparison of two comparable values, or null. */
export function compare(a: Value, b: Value): number | null {
  if (a === null || b === null) return null
  if (isNumber(a) && isNumber(b)) {
    if (typeof a === 'number' && Number.isNaN(a)) return null
    if (typeof b === 'number' && Number.isNaN(b)) return null
    return a < b ? -1 : a > b ? 1 : 0
  }
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b)
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const c = compare(a[i], b[i])
      if (c !== 0) return c
    }
    return a.length - b.length
  }
  return null
}

// ORDER BY's total order (ascending): map, node, relationship, list, path, string, boolean, number, null
function rank(v: Value): number {
  if (v === null) return 9
  if (isNumber(v)) return 8
  if (typeof v === 'boolean') return 7
  if (typeof v === 'string') return 6
  if (v instanceof PathV) return 5
  if (Array.isArray(v)) return 4
  if (v instanceof EdgeV) return 3
  if (v instanceof NodeV) return 2
  if (v instanceof Uint8Array) return 1
  return 0
}

/** ORDER BY's comparison: total over every value; nulls last ascending. */
export function orderCompare(a: Value, b: Value): number {
  const ra = rank(a)
  const rb = rank(b)
  if (ra !== rb) return ra - rb
  if (a instanceof NodeV && b instanceof NodeV) return a.vid - b.vid
  if (a instanceof EdgeV && b instanceof EdgeV) return a.key < b.key ? -1 : a.key > b.key ? 1 : 0
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const c = orderCompare(a[i], b[i])
      if (c !== 0) return c
    }
    return a.length - b.length
  }
  if (isNumber(a) && isNumber(b)) {
    const an = typeof a === 'number' && Number.isNaN(a)
    const bn = typeof b === 'number' && Number.isNaN(b)
    if (an || bn) return an === bn ? 0 : an ? 1 : -1
  }
  const c = compare(a, b)
  if (c !== null) return c
  const ka = keyOf(a)
  const kb = keyOf(b)
  return ka < kb ? -1 : ka > kb ? 1 : 0
}

/** A string that is equal for values Cypher groups together (DISTINCT, grouping keys, UNION). */
export function keyOf(v: Value): string {
  if (v === null) return 'N'
  if (typeof v === 'boolean') return v ? 'T' : 'F'
  if (typeof v === 'bigint') return `n${v}`
  if (typeof v === 'number') return Number.isInteger(v) ? `n${BigInt(v)}` : `n${v}`
  if (typeof v === 'string') return `s${JSON.stringify(v)}`
  if (v instanceof NodeV) return `v${v.vid}`
  if (v instanceof EdgeV) return `e${v.key}`
  if (v instanceof PathV) return `p${v.nodes.map((n) => n.vid).join(',')}|${v.edges.map((e) => e.key).join(',')}`
  if (v instanceof Uint8Array) return `b${Buffer.from(v).toString('base64')}`
  if (Array.isArray(v)) return `[${v.map(keyOf).join(',')}]`
  return `{${Object.keys(v)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${keyOf(v[k])}`)
    .join(',')}}`
}

/** Cypher's truthiness for WHERE: only true passes. Non-booleans other than null are type errors. */
export function asPredicate(v: Value): boolean {
  if (v === true) return true
  if (v === false || v === null) return false
  throw runtimeError(`Type mismatch: expected Boolean but was ${typeName(v)}`)
}

/** A value shown in a message: strings quoted, others as Cypher would print them. */
export function show(v: Value): string {
  if (v === null) return 'null'
  if (typeof v === 'string') return JSON.stringify(v)
  if (typeof v === 'bigint' || typeof v === 'number' || typeof v === 'boolean') return String(v)
  if (v instanceof NodeV) return `(vertex ${v.vid})`
  if (v instanceof EdgeV) return `[edge ${v.key}]`
  if (Array.isArray(v)) return `[${v.slice(0, 10).map(show).join(', ')}${v.length > 10 ? ', …' : ''}]`
  return typeName(v)
}
