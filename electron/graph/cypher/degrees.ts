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

/**
 * Bytes of arrays kept per graph; past it the graph's arrays are dropped and built again when asked.
 * A label whose arrays alone would take more (a graph of tens of millions of vids) gets none.
 */
export const DEGREE_ARRAYS_BUDGET_BYTES = 256 * 1024 * 1024

/** Bytes one label's arrays take on a graph whose highest vid is `top`: three Int32 per vid. */
const arrayBytes = (top: number) => (top + 1) * 3 * Int32Array.BYTES_PER_ELEMENT

interface GraphEntry {
  version: string
  byTable: Map<number, LabelDegrees>
  bytes: number
}

const graphs = new WeakMap<GraphDb, GraphEntry>()

/** Reads the counts of one edge label: two scans in SQLite (src order of e_<tbl>, dst order of e_<tbl>_in), row by row. */
function build(g: GraphDb, l: LabelRecord, size: number): LabelDegrees {
  const t = tableName(l)
  const d: LabelDegrees = { out: new Int32Array(size), in: new Int32Array(size), loops: new Int32Array(size) }
  for (const [v, n, loops] of g.db.prepare(`SELECT src, count(*), sum(src = dst) FROM ${t} GROUP BY src`).raw().iterate() as Iterable<[number, number, number]>) {
    if (v < 0 || v >= size) continue
    d.out[v] = n
    d.loops[v] = loops
  }
  for (const [v, n] of g.db.prepare(`SELECT dst, count(*) FROM ${t}_in GROUP BY dst`).raw().iterate() as Iterable<[number, number]>) {
    if (v >= 0 && v < size) d.in[v] = n
  }
  return d
}

/**
 * The counts of edge label `l` in graph `g`, from the cache when the graph has not changed since
 * they were read; `version` is graphVersion(g), read once by the caller for a statement. Undefined
 * when the arrays would take more than `budgetBytes` (checked before anything is allocated or
 * scanned): the caller then counts per vertex, each count a unit of the query's own budget.
 */
export function labelDegrees(g: GraphDb, l: LabelRecord, version: string, budgetBytes = DEGREE_ARRAYS_BUDGET_BYTES): LabelDegrees | undefined {
  let entry = graphs.get(g)
  if (!entry || entry.version !== version) graphs.set(g, (entry = { version, byTable: new Map(), bytes: 0 }))
  let d = entry.byTable.get(l.tbl)
  if (!d) {
    const top = (g.db.prepare('SELECT max(vid) FROM vertices').pluck().get() as number | null) ?? -1
    const bytes = arrayBytes(top)
    if (bytes > budgetBytes) return undefined
    if (entry.bytes + bytes > budgetBytes) {
      entry.byTable.clear()
      entry.bytes = 0
    }
    d = build(g, l, top + 1)
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
