// CSR (compressed sparse row) snapshots of whole edge labels for the statements that read many
// vertices: one label's edges as typed arrays indexed by vid, out-edges (the rows of e_<tbl>, in
// its key order) and in-edges (their reverse, built at their first use), with each vertex's degree
// as the difference of two offsets. Built once from one GROUP BY over e_<tbl> (SQLite concatenates each source's targets, so
// JavaScript reads 100,000 rows instead of 2.4M) and kept per open graph (a query worker keeps its
// graphs open between queries) until the graph changes: the version is the one algorithm snapshots
// use (algorithms/from-graph.ts graphVersion: SQLite's data_version plus this connection's
// changes), so a write, in this statement's transaction or by another connection, makes the next
// statement build it again. The arrays are the algorithms' CSR (algorithms/csr.ts), with vids as
// vertex indexes.
import { graphVersion } from '../algorithms/from-graph'
import { inOffsetsOf, reverseWithEdges, type Csr } from '../algorithms/csr'
import type { GraphDb } from '../store/graph-db'
import { tableName, type LabelRecord } from '../store/label-tables'

/**
 * One edge label's adjacency by vid; vids past the offsets' ends have no edges. The in-edges are
 * built at their first use (a counting-sort reverse of `out`, a pass over every edge with random
 * writes): a statement that walks out-edges or reads in-degrees only never pays it.
 */
export class LabelCsr {
  private reverse: { csr: Csr; edge: Int32Array } | undefined
  private inDegrees: Int32Array | undefined

  constructor(
    /** Out-edges of vid v: `out.targets[out.offsets[v] .. out.offsets[v + 1])` are their dst vids. */
    readonly out: Csr,
    /** Self-loops (src = dst) per vid: an undirected step counts each once. */
    readonly loops: Int32Array,
  ) {}

  /** In-edges of vid v: `in.targets[in.offsets[v] .. in.offsets[v + 1])` are their src vids, by src. */
  get in(): Csr {
    return (this.reverse ??= reverseWithEdges(this.out, this.inOffsets)).csr
  }

  /** `inEdge[i]`: the position in `out` of in-entry i. An edge is named by its position in `out` (its identity for relationship uniqueness). */
  get inEdge(): Int32Array {
    return (this.reverse ??= reverseWithEdges(this.out, this.inOffsets)).edge
  }

  /** The offsets of `in` (in-degree of v: `inOffsets[v + 1] - inOffsets[v]`), counted without building `in`. */
  get inOffsets(): Int32Array {
    return (this.inDegrees ??= this.reverse?.csr.offsets ?? inOffsetsOf(this.out))
  }
}

/**
 * Bytes of snapshots kept per graph; past it the graph's snapshots are dropped and built again when
 * asked. A label whose snapshot alone would take more (tens of millions of vids or edges) gets none.
 */
export const CSR_BUDGET_BYTES = 256 * 1024 * 1024

/** Bytes a snapshot of `m` edges over vids 0..size-1 takes (its in-edges built): two offset arrays, targets out and in plus inEdge, loops. */
const snapshotBytes = (size: number, m: number) => ((size + 1) * 2 + m * 3 + size) * Int32Array.BYTES_PER_ELEMENT

interface GraphEntry {
  version: string
  byTable: Map<number, LabelCsr>
  bytes: number
}

const graphs = new WeakMap<GraphDb, GraphEntry>()

/** Snapshots built in this thread, and the wall ms they took (the bench prints them apart from the queries' own times). */
export const snapshotBuilds = { count: 0, ms: 0 }

/**
 * Reads edge label `l` into a snapshot: `SELECT src, group_concat(dst) … GROUP BY src` (each
 * source's targets in the table's key order, as the adjacency seek lists them), parsed in place.
 * SQLite concatenates each source's targets, so JavaScript steps 100,000 rows instead of 2.4M
 * (measured on the bench graph: a row per edge, or `dst` plucked, takes two to three times as
 * long). `m` is the label's edge count as its record keeps it: the arrays' first size, grown if
 * the table holds more. `tick` is called per source (the statement's budget: a stop or timeout
 * throws, nothing is kept).
 */
function build(g: GraphDb, l: LabelRecord, size: number, m: number, tick: () => void): LabelCsr {
  const t = tableName(l)
  const offsets = new Int32Array(size + 1)
  let targets = new Int32Array(Math.max(m, 16))
  const loops = new Int32Array(size)
  let k = 0
  let next = 0
  for (const [src, list] of g.db.prepare(`SELECT src, group_concat(dst) FROM ${t} GROUP BY src`).raw().iterate() as IterableIterator<[number, string]>) {
    tick()
    if (src < 0 || src >= size) continue
    while (next <= src) offsets[next++] = k
    let v = 0
    const length = list.length
    for (let i = 0; i <= length; i++) {
      const ch = i < length ? list.charCodeAt(i) : 44
      if (ch !== 44) {
        v = v * 10 + (ch - 48)
        continue
      }
      if (v < size) {
        if (k === targets.length) {
          const grown = new Int32Array(k * 2)
          grown.set(targets)
          targets = grown
        }
        targets[k++] = v
        if (v === src) loops[src]++
      }
      v = 0
    }
  }
  while (next <= size) offsets[next++] = k
  return new LabelCsr({ n: size, m: k, offsets, targets: k < targets.length ? targets.slice(0, k) : targets, weights: null, ids: [] }, loops)
}

/** Bytes of a snapshot with its in-edges built (they may be, later). */
const bytesOf = (s: LabelCsr) => s.out.offsets.byteLength * 2 + s.out.targets.byteLength * 3 + s.loops.byteLength

/**
 * The snapshot of edge label `l` in graph `g`, from the cache when the graph has not changed since
 * it was built; `version` is graphVersion(g), read once by the caller for a statement. Undefined
 * when the snapshot would take more than `budgetBytes` (checked from max(vid) and the edge count
 * before anything is allocated or scanned): the caller then walks by seeks, each a unit of the
 * query's own budget.
 */
export function labelCsr(g: GraphDb, l: LabelRecord, version: string, tick: () => void = () => {}, budgetBytes = CSR_BUDGET_BYTES): LabelCsr | undefined {
  let entry = graphs.get(g)
  if (!entry || entry.version !== version) graphs.set(g, (entry = { version, byTable: new Map(), bytes: 0 }))
  let s = entry.byTable.get(l.tbl)
  if (!s) {
    const size = ((g.db.prepare('SELECT max(vid) FROM vertices').pluck().get() as number | null) ?? -1) + 1
    if (snapshotBytes(size, l.count) > budgetBytes) return undefined
    const t0 = performance.now()
    s = build(g, l, size, l.count, tick)
    snapshotBuilds.count++
    snapshotBuilds.ms += performance.now() - t0
    const bytes = bytesOf(s)
    if (entry.bytes + bytes > budgetBytes) {
      entry.byTable.clear()
      entry.bytes = 0
    }
    entry.byTable.set(l.tbl, s)
    entry.bytes += bytes
  }
  return s
}

/** Whether the snapshot of label `l` is kept for this version (then taking it costs nothing). */
export function hasLabelCsr(g: GraphDb, l: LabelRecord, version: string): boolean {
  const entry = graphs.get(g)
  return !!entry && entry.version === version && entry.byTable.has(l.tbl)
}

/** The current version of a graph's data (see graphVersion). */
export const dataVersion = graphVersion

/** How many edges a step from `vid` walks over the snapshot's label: out, in, or both (a self-loop once). */
export function degreeOf(s: LabelCsr, vid: number, dir: 'out' | 'in' | 'both'): number {
  if (vid >= s.loops.length) return 0
  const o = s.out.offsets
  if (dir === 'out') return o[vid + 1] - o[vid]
  const i = s.inOffsets
  if (dir === 'in') return i[vid + 1] - i[vid]
  return o[vid + 1] - o[vid] + i[vid + 1] - i[vid] - s.loops[vid]
}

/** Per vid of `vids`, its degree summed over the snapshots (`dir` as degreeOf): one loop over the arrays per snapshot. */
export function degreesOf(snaps: LabelCsr[], vids: readonly number[], dir: 'out' | 'in' | 'both'): Int32Array {
  const out = new Int32Array(vids.length)
  for (const s of snaps) {
    const size = s.loops.length
    const o = s.out.offsets
    const i = dir === 'out' ? o : s.inOffsets
    const loops = s.loops
    for (let k = 0; k < vids.length; k++) {
      const v = vids[k]
      if (v >= size) continue
      out[k] += dir === 'out' ? o[v + 1] - o[v] : dir === 'in' ? i[v + 1] - i[v] : o[v + 1] - o[v] + i[v + 1] - i[v] - loops[v]
    }
  }
  return out
}
