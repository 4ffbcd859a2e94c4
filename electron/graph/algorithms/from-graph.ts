// A snapshot of a JobDesk graph: every vertex (by vid) and the edges of one edge label or of all,
// with an optional numeric edge property as weight. Read straight from the label tables with one
// scan each (`SELECT src, dst[, p<i>]`), in the worker that runs the algorithm.
import type { PropertyType } from '../../../shared/graph'
import { graphError } from '../errors'
import type { GraphDb } from '../store/graph-db'
import { tableName } from '../store/label-tables'
import type { AlgorithmControl } from './control'
import { buildCsr, EdgeList } from './csr'
import { Snapshot } from './snapshot'

const NUMERIC: ReadonlySet<PropertyType> = new Set(['INT8', 'INT16', 'INT32', 'INT64', 'FLOAT', 'DOUBLE', 'BOOL'])

export interface GraphSourceOptions {
  edgeLabel?: string
  weight?: string
}

/** Builds the snapshot. Throws label_not_found, invalid_request (a weight property missing or not numeric). */
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
  const vids = g.db.prepare<[], number>('SELECT vid FROM vertices ORDER BY vid').pluck().all()
  const maxVid = vids.length ? vids[vids.length - 1] : -1
  const indexOf = new Int32Array(maxVid + 1).fill(-1)
  vids.forEach((vid, i) => (indexOf[vid] = i))
  const edges = new EdgeList(o.weight !== undefined)
  for (const l of labels) {
    const w = weightColumn.get(l.tbl)
    const sql = `SELECT src, dst${w === undefined ? '' : `, p${w}`} FROM ${tableName(l)}`
    for (const row of g.db.prepare(sql).raw().iterate() as IterableIterator<[number, number, number | null]>) {
      const s = indexOf[row[0]]
      const d = indexOf[row[1]]
      if (s < 0 || d < 0 || s === undefined || d === undefined) continue // an edge whose vertex is gone
      edges.add(s, d, w === undefined ? 1 : Number(row[2] ?? 0))
      ctl.tick()
    }
  }
  const what = `graph ${g.name}${o.edgeLabel ? `, edge label ${o.edgeLabel}` : ', every edge label'}${o.weight ? `, weight ${o.weight}` : ''}`
  return new Snapshot(buildCsr(vids.length, edges, vids), what)
}

/**
 * What a snapshot of the graph depends on, read cheaply: SQLite's data_version (changes when another
 * connection commits) plus this connection's own change count. A different value means the graph
 * changed and a cached snapshot is stale.
 */
export function graphVersion(g: GraphDb): string {
  const data = g.db.pragma('data_version', { simple: true }) as number
  const own = g.db.prepare<[], number>('SELECT total_changes()').pluck().get()
  return `${data}:${own}`
}
