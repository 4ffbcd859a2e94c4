// A snapshot of a JobDesk graph: every vertex, named by its primary-key value as NebulaGraph and
// GES name vertices (`Label:pk` when values repeat across vertex labels), and the edges of one edge
// label or of all, with an optional numeric edge property as weight. Read straight from the label
// tables with one scan each (`SELECT vid, p<pk>` per vertex label, `SELECT src, dst[, p<i>]` per
// edge label), in the worker that runs the algorithm.
import type { PropertyType, VertexLabelDef } from '../../../shared/graph'
import { graphError } from '../errors'
import type { GraphDb } from '../store/graph-db'
import { tableName } from '../store/label-tables'
import { storedToValue } from '../store/values'
import type { AlgorithmControl } from './control'
import { buildCsr, EdgeList, type VertexId } from './csr'
import { InputBound, RUN_LIMITS, type RunLimits } from './limits'
import { Snapshot, type GraphVertices } from './snapshot'
import { vidIndexes, type VidIndexes } from './vid-indexes'

const NUMERIC: ReadonlySet<PropertyType> = new Set(['INT8', 'INT16', 'INT32', 'INT64', 'FLOAT', 'DOUBLE', 'BOOL'])

export interface GraphSourceOptions {
  edgeLabel?: string
  weight?: string
  /** The bounds on vertices and edges read (default RUN_LIMITS). */
  limits?: RunLimits
}

/**
 * Builds the snapshot. Throws label_not_found, invalid_request (a weight property missing or not
 * numeric), algorithm_input_too_large (field source.graph) once the vertices or edges read pass o.limits.
 */
export function snapshotFromGraph(g: GraphDb, o: GraphSourceOptions, ctl: AlgorithmControl): Snapshot {
  const labels = g.labels().filter((l) => l.kind === 'edge' && (o.edgeLabel === undefined || l.name === o.edgeLabel))
  if (o.edgeLabel !== undefined && labels.length === 0) throw graphError('label_not_found', `Edge Label [${o.edgeLabel}] does not exist.`, { field: 'source.edgeLabel' })
  const weightColumn = new Map<number, number>()
  if (o.weight !== undefined) {
    for (const l of labels) {
      const at = l.def.properties.findIndex((p) => p.name === o.weight)
      if (at < 0) throw graphError('invalid_request', `edge label [${l.name}] has no property ${o.weight} to use as weight`, { field: 'source.weight' })
      const type = l.def.properties[at].type
      if (!NUMERIC.has(type)) throw graphError('invalid_request', `property ${o.weight} of edge label [${l.name}] is ${type}; a weight must be numeric`, { field: 'source.weight' })
      weightColumn.set(l.tbl, at)
    }
  }
  const limits = o.limits ?? RUN_LIMITS
  let reading = 'reading its vertices'
  const bound = new InputBound(limits, `graph ${g.name}`, 'source.graph', () => reading)
  const { vertices, indexes } = readVertices(g, ctl, bound)
  const edges = new EdgeList(o.weight !== undefined, limits.edges)
  for (const l of labels) {
    reading = `reading the edges of edge label ${l.name}`
    const w = weightColumn.get(l.tbl)
    const sql = `SELECT src, dst${w === undefined ? '' : `, p${w}`} FROM ${tableName(l)}`
    for (const row of g.db.prepare(sql).raw().iterate() as IterableIterator<[number, number, number | null]>) {
      const s = indexes.indexOf(row[0])
      const d = indexes.indexOf(row[1])
      if (s < 0 || d < 0) continue // an edge whose vertex is gone
      bound.edge()
      edges.add(s, d, w === undefined ? 1 : Number(row[2] ?? 0))
      ctl.tick()
    }
  }
  const what = `graph ${g.name}${o.edgeLabel ? `, edge label ${o.edgeLabel}` : ', every edge label'}${o.weight ? `, weight ${o.weight}` : ''}`
  return new Snapshot(buildCsr(vertices.vids.length, edges, vertices.ids), what, vertices)
}

const INTEGER_TYPES: ReadonlySet<PropertyType> = new Set(['INT8', 'INT16', 'INT32', 'INT64'])

/**
 * Every vertex of the graph, indexed in vid order (creation order), with the id clients know: its
 * primary-key value — a number when every vertex label's key is an integer, else text. When a value
 * occurs under two vertex labels (TuGraph allows Person.id=1 and City.id=1) the bare value names no
 * single vertex, so every id of the snapshot becomes `Label:pk` (`qualified`). One scan of
 * (vid, primary key) per vertex label; `indexes` gives a vid's index (vid-indexes.ts).
 */
function readVertices(g: GraphDb, ctl: AlgorithmControl, bound: InputBound): { vertices: GraphVertices; indexes: VidIndexes } {
  const labels = g.labels().flatMap((l) => (l.kind === 'vertex' && l.def.type === 'VERTEX' ? [{ ...l, primary: l.def.properties.find((p) => p.name === (l.def as VertexLabelDef).primary)! }] : []))
  const maxVid = g.db.prepare<[], number | null>('SELECT max(vid) FROM vertices').pluck().get() ?? -1
  const scans = labels.map((l) => {
    const at = l.def.properties.indexOf(l.primary)
    const type = l.primary.type
    const vids: number[] = []
    const keys: unknown[] = []
    for (const [vid, key] of g.db.prepare(`SELECT vid, p${at} FROM ${tableName(l)}`).raw().iterate() as IterableIterator<[number, unknown]>) {
      bound.vertex()
      vids.push(vid)
      keys.push(storedToValue(type, key))
      ctl.tick()
    }
    return { name: l.name, vids, keys }
  })
  const indexes = vidIndexes(scans.map((s) => s.vids), maxVid)
  const n = indexes.count
  const vids = new Float64Array(n)
  const labelOf = new Uint32Array(n)
  const keys = new Array<unknown>(n)
  scans.forEach((scan, label) => {
    for (let k = 0; k < scan.vids.length; k++) {
      const i = indexes.indexOf(scan.vids[k])
      vids[i] = scan.vids[k]
      labelOf[i] = label
      keys[i] = scan.keys[k]
    }
  })
  const qualified = scans.length > 1 && repeatsAcrossLabels(scans.map((s) => s.keys))
  const numeric = !qualified && labels.every((l) => INTEGER_TYPES.has(l.primary.type)) && keys.every((k) => typeof k === 'number')
  const names = scans.map((s) => s.name)
  const ids: VertexId[] = numeric ? (keys as number[]) : qualified ? keys.map((k, i) => `${names[labelOf[i]]}:${String(k)}`) : keys.map((k) => String(k))
  return { vertices: { vids, labelOf, labelNames: names, qualified, ids }, indexes }
}

/** Whether some primary-key value (compared as text, as a client writes it) occurs under two vertex labels. */
function repeatsAcrossLabels(keysPerLabel: unknown[][]): boolean {
  const seen = new Set<string>()
  for (const keys of keysPerLabel) {
    for (const k of keys) if (seen.has(String(k))) return true
    for (const k of keys) seen.add(String(k))
  }
  return false
}

/**
 * What a snapshot of the graph depends on, read cheaply: which file it is (its id: a graph dropped and
 * made anew under the same name is another, whose connection's counters may well match the old
 * one's), SQLite's data_version (changes when another connection commits) plus this connection's own
 * change count. A different value means the graph changed and a cached snapshot is stale.
 */
export function graphVersion(g: GraphDb): string {
  const data = g.db.pragma('data_version', { simple: true }) as number
  const own = g.db.prepare<[], number>('SELECT total_changes()').pluck().get()
  return `${g.meta('file_id') ?? g.meta('created_at') ?? ''}:${data}:${own}`
}
