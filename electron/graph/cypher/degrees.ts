// Per-vertex edge counts of whole edge labels, for aggregations over whole graphs: one GROUP BY
// over a label's adjacency (SQLite's own loop over the index) gives every vertex's out-degree,
// in-degree and self-loops as Int32Arrays indexed by vid, where a per-vertex count would pay a
// statement step per vertex. Kept per open graph (a query worker keeps its graphs open between
// queries) until the graph changes: the version is the one algorithm snapshots use
// (algorithms/from-graph.ts graphVersion: SQLite's data_version plus this connection's changes).
import { graphVersion } from '../algorithms/from-graph'
import type { GraphDb } from '../store/graph-db'
import { tableName, type LabelRecord } from '../store/label-tables'

/** One edge label's counts by vid; vids past the arrays' ends have none. */
export interface LabelDegrees {
  out: Int32Array
  in: Int32Array
  /** Self-loops (src = dst) per vertex: an undirected step counts each once. */
  loops: Int32Array
}

/** Bytes of arrays kept per graph; past it the graph's arrays are dropped and built again when asked. */
const BUDGET_BYTES = 256 * 1024 * 1024

interface GraphEntry {
  version: string
  byTable: Map<number, LabelDegrees>
  bytes: number
}

const graphs = new WeakMap<GraphDb, GraphEntry>()

/** Reads the counts of one edge label: two scans in SQLite (src order of e_<tbl>, dst order of e_<tbl>_in). */
function build(g: GraphDb, l: LabelRecord): LabelDegrees {
  const t = tableName(l)
  const top = (g.db.prepare('SELECT max(vid) FROM vertices').pluck().get() as number | null) ?? -1
  const size = top + 1
  const d: LabelDegrees = { out: new Int32Array(size), in: new Int32Array(size), loops: new Int32Array(size) }
  const outRows = g.db.prepare(`SELECT src, count(*), sum(src = dst) FROM ${t} GROUP BY src`).raw().all() as [number, number, number][]
  for (const [v, n, loops] of outRows) {
    if (v < 0 || v >= size) continue
    d.out[v] = n
    d.loops[v] = loops
  }
  const inRows = g.db.prepare(`SELECT dst, count(*) FROM ${t}_in GROUP BY dst`).raw().all() as [number, number][]
  for (const [v, n] of inRows) if (v >= 0 && v < size) d.in[v] = n
  return d
}

/**
 * The counts of edge label `l` in graph `g`, from the cache when the graph has not changed since
 * they were read; `version` is graphVersion(g), read once by the caller for a statement.
 */
export function labelDegrees(g: GraphDb, l: LabelRecord, version: string): LabelDegrees {
  let entry = graphs.get(g)
  if (!entry || entry.version !== version) graphs.set(g, (entry = { version, byTable: new Map(), bytes: 0 }))
  let d = entry.byTable.get(l.tbl)
  if (!d) {
    d = build(g, l)
    const bytes = d.out.byteLength * 3
    if (entry.bytes + bytes > BUDGET_BYTES) {
      entry.byTable.clear()
      entry.bytes = 0
    }
    entry.byTable.set(l.tbl, d)
    entry.bytes += bytes
  }
  return d
}

/** Whether the counts of label `l` are cached for this version (then reading them costs nothing). */
export function hasLabelDegrees(g: GraphDb, l: LabelRecord, version: string): boolean {
  const entry = graphs.get(g)
  return !!entry && entry.version === version && entry.byTable.has(l.tbl)
}

/** The current version of a graph's data (see graphVersion). */
export const dataVersion = graphVersion

/** How many edges a step from `vid` walks over label `l`: out, in, or both (a self-loop once). */
export function degreeOf(d: LabelDegrees, vid: number, dir: 'out' | 'in' | 'both'): number {
  if (vid >= d.out.length) return 0
  if (dir === 'out') return d.out[vid]
  if (dir === 'in') return d.in[vid]
  return d.out[vid] + d.in[vid] - d.loops[vid]
}
