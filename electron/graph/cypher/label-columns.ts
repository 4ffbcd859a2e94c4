// Some properties of every vertex of a label, as columns in memory (vids in order, and per
// property its values as Cypher values), for label scans of whole-graph reads: a scan then walks
// arrays instead of stepping SQLite and converting each row again. Kept per open graph (a query
// worker keeps its graphs open between queries) until the graph changes, as the edge labels' CSR snapshots
// (label-csr.ts), under a memory budget of their own.
import type { GraphDb } from '../store/graph-db'
import { tableName, type LabelRecord } from '../store/label-tables'
import { columnToValue } from './graph-view'
import type { Value } from './values'

/** The vertices of a label by vid, and the values of the properties asked for (`cols[i]` for the i-th column asked). */
export interface LabelColumns {
  vids: number[]
  cols: Value[][]
  /** Per column, once an equality asked for it: the rows (ascending) of each value (equalRows). */
  byValue?: Map<Value, number[]>[]
}

/**
 * The rows of kept columns whose column `at` is `value` (a number, bigint, string or boolean), in
 * vid order: an in-memory hash index of the column, built at the first equality on it and kept with
 * the columns (a filtered scan then reads its matches, not every row).
 */
export function equalRows(kept: LabelColumns, at: number, value: Value): number[] {
  kept.byValue ??= []
  let index = kept.byValue[at]
  if (!index) {
    index = new Map()
    const col = kept.cols[at]
    for (let r = 0; r < col.length; r++) {
      const v = col[r]
      if (v === null || typeof v === 'object') continue
      const rows = index.get(v)
      if (rows) rows.push(r)
      else index.set(v, [r])
    }
    kept.byValue[at] = index
  }
  return index.get(value) ?? []
}

/** Bytes kept per graph (estimated); past it the graph's columns are dropped and read again when asked. */
const BUDGET_BYTES = 128 * 1024 * 1024
/** Estimated bytes per kept value (an array slot and a boxed number, a bigint or a short string). */
const VALUE_BYTES = 32

interface GraphEntry {
  version: string
  byKey: Map<string, LabelColumns>
  bytes: number
}

const graphs = new WeakMap<GraphDb, GraphEntry>()

const keyOf = (l: LabelRecord, columns: number[]) => `${l.tbl}:${columns.join(',')}`

/** Whether the columns of a label would fit the budget (a label too large is always scanned in SQLite). */
export function columnsFit(l: LabelRecord, columns: number[]): boolean {
  return l.count * (columns.length + 1) * VALUE_BYTES <= BUDGET_BYTES
}

/** The columns of label `l` if kept for this version of the graph (`version`: label-csr.ts dataVersion), else undefined. */
export function keptColumns(g: GraphDb, l: LabelRecord, columns: number[], version: string): LabelColumns | undefined {
  const entry = graphs.get(g)
  return entry && entry.version === version ? entry.byKey.get(keyOf(l, columns)) : undefined
}

/** Column reads done in this thread, and the wall ms they took (the bench prints them apart from the queries' own times). */
export const columnReads = { count: 0, ms: 0 }

/**
 * Reads the properties `columns` (indexes) of every vertex of `l`, in one scan, and keeps them for
 * this version. `tick` is called per row (the query's budget: a stop or timeout throws, and nothing is kept).
 */
export function readColumns(g: GraphDb, l: LabelRecord, columns: number[], version: string, tick: () => void = () => {}): LabelColumns {
  let entry = graphs.get(g)
  if (!entry || entry.version !== version) graphs.set(g, (entry = { version, byKey: new Map(), bytes: 0 }))
  const t0 = performance.now()
  const props = l.def.properties
  const sql = `SELECT vid${columns.map((i) => `, p${i}`).join('')} FROM ${tableName(l)} ORDER BY vid`
  const vids: number[] = []
  const cols: Value[][] = columns.map(() => [])
  const types = columns.map((i) => props[i].type)
  for (const row of g.db.prepare(sql).raw(true).safeIntegers(true).iterate() as Iterable<unknown[]>) {
    tick()
    vids.push(Number(row[0]))
    for (let i = 0; i < types.length; i++) cols[i].push(columnToValue(types[i], row[i + 1]))
  }
  const kept = { vids, cols }
  const bytes = vids.length * (columns.length + 1) * VALUE_BYTES
  if (entry.bytes + bytes > BUDGET_BYTES) {
    entry.byKey.clear()
    entry.bytes = 0
  }
  entry.byKey.set(keyOf(l, columns), kept)
  entry.bytes += bytes
  columnReads.count++
  columnReads.ms += performance.now() - t0
  return kept
}
