// Values in TuGraph's JSON encoding (reference/tugraph.md §4.2; tugraph-db result_element.cpp,
// server/json_convert.h): vertices {identity, label, properties}, edges {dst, forward, identity,
// label, label_id, properties, src, temporal_id}, paths as arrays alternating vertex and edge,
// "__null__" for a missing vertex, edge or path, object keys in alphabetical order (TuGraph's
// JSON maps are sorted), FLOAT properties rounded to 5 decimals, BLOBs as base64.
import type { LabelRecord } from '../store/label-tables'
import type { Column } from './execute'
import { EdgeV, isMap, NodeV, PathV, type Value } from './values'

/** TuGraph's header types: 0 scalar/list/map, 1 node, 2 relationship, 4 path. */
export type HeaderType = 0 | 1 | 2 | 4

export const NULL_ELEMENT = '__null__'

const num = (v: bigint) => Number(v)

function properties(label: LabelRecord, props: Record<string, Value>): Record<string, unknown> {
  const out: Record<string, unknown> = Object.create(null) // a property named __proto__ is a key
  const types = new Map(label.def.properties.map((p) => [p.name, p.type]))
  for (const k of Object.keys(props).sort()) {
    const v = props[k]
    out[k] = types.get(k) === 'FLOAT' && typeof v === 'number' ? Math.round(v * 1e5) / 1e5 : encodeValue(v)
  }
  return out
}

function node(n: NodeV): Record<string, unknown> {
  const out: Record<string, unknown> = { identity: n.vid, label: n.label.name }
  if (n.label.def.properties.length) out.properties = properties(n.label, n.props ?? {})
  return out
}

function edge(e: EdgeV): Record<string, unknown> {
  const out: Record<string, unknown> = { dst: e.dst, forward: e.forward, identity: e.eid, label: e.label.name, label_id: e.label.id }
  if (e.label.def.properties.length) out.properties = properties(e.label, e.props)
  out.src = e.src
  out.temporal_id = e.tid
  return out
}

/** A value as TuGraph writes it in JSON (vertex properties must have been read: see loadProps). */
export function encodeValue(v: Value): unknown {
  if (v === null) return null
  if (typeof v === 'bigint') return num(v)
  if (typeof v === 'number') return Number.isFinite(v) ? v : null
  if (typeof v === 'string' || typeof v === 'boolean') return v
  if (v instanceof Uint8Array) return Buffer.from(v).toString('base64')
  if (v instanceof NodeV) return node(v)
  if (v instanceof EdgeV) return edge(v)
  if (v instanceof PathV) {
    const out: unknown[] = [node(v.nodes[0])]
    v.edges.forEach((e, i) => out.push(edge(e), node(v.nodes[i + 1])))
    return out
  }
  if (Array.isArray(v)) return v.map(encodeValue)
  if (isMap(v)) {
    const out: Record<string, unknown> = Object.create(null) // a key __proto__ is a key
    for (const k of Object.keys(v).sort()) out[k] = encodeValue(v[k])
    return out
  }
  return String(v)
}

/** A column's header type: from its variable's kind, else from its first non-null value. */
export function headerType(col: Column, rows: Value[][], i: number): HeaderType {
  if (col.kind === 'node') return 1
  if (col.kind === 'rel') return 2
  if (col.kind === 'path') return 4
  const v = rows.find((r) => r[i] !== null)?.[i]
  return v instanceof NodeV ? 1 : v instanceof EdgeV ? 2 : v instanceof PathV ? 4 : 0
}

/** A cell: "__null__" for a missing vertex, edge or path, else the encoded value. */
export function encodeCell(v: Value, type: HeaderType): unknown {
  if (v === null && type !== 0) return NULL_ELEMENT
  return encodeValue(v)
}

/** Reads the properties of every vertex in the rows (inside the statement's transaction). */
export function visitNodes(v: Value, fn: (n: NodeV) => void, depth = 0): void {
  if (depth > 64 || v === null || typeof v !== 'object') return
  if (v instanceof NodeV) fn(v)
  else if (v instanceof PathV) v.nodes.forEach(fn)
  else if (Array.isArray(v)) for (const x of v) visitNodes(x, fn, depth + 1)
  else if (isMap(v)) for (const x of Object.values(v)) visitNodes(x, fn, depth + 1)
}
