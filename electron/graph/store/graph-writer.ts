// Writes inside one transaction of a graph: single vertices and edges (every writer), and bulk
// writes of many rows given column by column (imports). Numbering follows TuGraph: vertices take
// the next vid of the graph (one sequence shared by all vertex labels, never reused); an edge takes
// eid = 1 + the last eid of its (src, dst, label, tid), from 0.
//
// Bulk writes send rows in multi-row INSERTs (one call into SQLite per ~128 rows) and in the
// tables' key order: vertices in the order given (vids ascending), edges sorted by (src, tid, dst)
// into e_<tbl> and by dst into e_<tbl>_in, so each B-tree takes its inserts page after page. A
// multi-row INSERT that meets a conflict aborts as a whole (SQLite undoes the statement, not the
// transaction); its rows are then written one by one the single-row way, which finds the row in
// conflict, so bulk and single writes give the same vids, eids and refusals.
import type { AppError } from '../../../shared/errors'
import { graphError } from '../errors'
import type { GraphDb } from './graph-db'
import type { EdgeTable, LabelRecord, VertexTable } from './label-tables'
import { sortByKey } from './row-order'
import { excerpt, type Stored } from './values'

/** Rows given column by column: row r's value of property p is columns[p]?.[r] (a null column: all null). */
export type PropertyColumns = readonly (ArrayLike<Stored> | null)[]

/** Edges for a bulk write, by row: endpoints as vids, temporal ids, property columns. */
export interface EdgeRows {
  src: ArrayLike<number>
  dst: ArrayLike<number>
  /** The temporal id of each row; null: 0 for all (a label without a temporal property). */
  tid: ArrayLike<number | bigint> | null
  columns: PropertyColumns
  /** The rows to add, in file order (the order that numbers eids among equal (src, tid, dst)). */
  rows: Uint32Array
}

/** Calls `tick` about every `every` rows of a bulk write (it may throw to stop: the caller's transaction rolls back). */
export interface BulkProgress {
  every: number
  tick(): void
}

const isUniqueConflict = (e: unknown): boolean => {
  const code = (e as { code?: unknown }).code
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
}

export class GraphWriter {
  private nextVid: number
  private readonly deltas = new Map<LabelRecord, number>()

  constructor(private readonly g: GraphDb) {
    this.nextVid = Number(g.meta('next_vid') ?? 0)
  }

  /**
   * Adds a vertex; returns its vid, or null when its primary key or a unique value exists
   * (conflictMessage says which). Throws invalid_value for a missing required value.
   */
  addVertex(t: VertexTable, values: Stored[]): number | null {
    const vid = this.insertVertex(t, values)
    if (vid !== null) this.g.insertVertexId.run(vid, t.label.id)
    return vid
  }

  /** Adds an edge and returns its eid; throws index_conflict when a unique or pair_unique value exists. */
  addEdge(t: EdgeTable, src: number, dst: number, tid: number | bigint, values: Stored[]): number {
    const eid = this.insertEdge(t, src, dst, tid, values)
    t.insertIn.run(dst, tid, src, eid)
    return eid
  }

  /**
   * Adds rows `order` of `columns` as vertices of `t`, in that order (vids ascending). A row whose
   * primary key or unique value exists, in the graph or earlier in `order`, is not added:
   * `onConflict(row)` is told instead. Every non-optional property must have its value (else
   * SQLite's NOT NULL error is thrown). Returns how many rows were added.
   */
  addVertices(t: VertexTable, columns: PropertyColumns, order: ArrayLike<number>, onConflict: (row: number) => void, progress?: BulkProgress): number {
    const props = t.label.def.properties.length
    const width = props + 1
    const rowsPerCall = t.bulkRows
    const insertMany = t.insertMany()
    const args = new Array<Stored>(rowsPerCall * width)
    const values = new Array<Stored>(props)
    const firstVid = this.nextVid
    let added = 0
    let nextTick = progress?.every ?? Infinity
    for (let k = 0; k < order.length; ) {
      if (k >= nextTick) {
        progress!.tick()
        nextTick = k + progress!.every
      }
      let end = order.length
      if (order.length - k >= rowsPerCall) {
        for (let r = 0; r < rowsPerCall; r++) {
          const row = order[k + r]
          const base = r * width
          args[base] = this.nextVid + r
          for (let p = 0; p < props; p++) args[base + 1 + p] = columns[p]?.[row] ?? null
        }
        try {
          insertMany.run(...args)
          this.nextVid += rowsPerCall
          this.count(t.label, rowsPerCall)
          added += rowsPerCall
          k += rowsPerCall
          continue
        } catch (e) {
          if (!isUniqueConflict(e)) throw e
          end = k + rowsPerCall // some row is in conflict: find it the single-row way
        }
      }
      for (; k < end; k++) {
        const row = order[k]
        for (let p = 0; p < props; p++) values[p] = columns[p]?.[row] ?? null
        if (this.insertVertex(t, values) === null) onConflict(row)
        else added++
      }
    }
    if (added > 0) t.copyVids.run(t.label.id, firstVid) // the vids taken here are firstVid.. and all of label t
    return added
  }

  /**
   * Adds edges of `t`: eids numbered per (src, tid, dst) in file order, after those in the graph.
   * A row refused by a unique or pair_unique index is not added: `onConflict(row, error)` is told
   * (index_conflict, TuGraph's text). Returns how many rows were added.
   */
  addEdges(t: EdgeTable, edges: EdgeRows, onConflict: (row: number, e: AppError) => void, progress?: BulkProgress): number {
    const { src, dst, tid, columns } = edges
    const scratch = this.g.scratch
    const n = edges.rows.length
    // Stable passes, least significant key first: the order is (src, tid, dst), file order among equals.
    const order = scratch.uint32('edges.order', n)
    order.set(edges.rows)
    sortByKey(order, dst, scratch)
    if (tid) sortByKey(order, tid, scratch)
    sortByKey(order, src, scratch)
    const props = t.label.def.properties.length
    const width = props + 4
    const rowsPerCall = t.bulkRows
    const insertMany = t.insertMany()
    const args = new Array<Stored>(rowsPerCall * width)
    const values = new Array<Stored>(props)
    /** By position in `order`: the edge's eid, -1 when it was refused. */
    const eids = scratch.float64('edges.eids', n)
    const tidOf = (row: number) => (tid ? tid[row] : 0)
    const sameKey = (a: number, b: number) => src[a] === src[b] && dst[a] === dst[b] && tidOf(a) === tidOf(b)
    let added = 0
    let nextTick = progress?.every ?? Infinity
    for (let k = 0; k < n; ) {
      if (k >= nextTick) {
        progress!.tick()
        nextTick = k + progress!.every
      }
      let end = n
      if (n - k >= rowsPerCall) {
        let fits = true
        for (let r = 0; r < rowsPerCall; r++) {
          const pos = k + r
          const row = order[pos]
          // Within a package, an edge repeating the key of the one before it takes the next eid.
          let eid = 0
          if (pos > 0 && sameKey(order[pos - 1], row)) {
            eid = eids[pos - 1] + 1
            if (eid === 0) fits = false // the edge before was refused: only the single-row way knows the last eid
          }
          eids[pos] = eid
          const base = r * width
          args[base] = src[row]
          args[base + 1] = dst[row]
          args[base + 2] = tidOf(row)
          args[base + 3] = eid
          for (let p = 0; p < props; p++) args[base + 4 + p] = columns[p]?.[row] ?? null
        }
        if (fits) {
          try {
            insertMany.run(...args)
            this.count(t.label, rowsPerCall)
            added += rowsPerCall
            k += rowsPerCall
            continue
          } catch (e) {
            if (!isUniqueConflict(e)) throw e
          }
        }
        end = k + rowsPerCall // an eid or index value in conflict: the single-row way numbers and refuses
      }
      for (; k < end; k++) {
        const row = order[k]
        for (let p = 0; p < props; p++) values[p] = columns[p]?.[row] ?? null
        try {
          eids[k] = this.insertEdge(t, src[row], dst[row], tidOf(row), values)
          added++
        } catch (e) {
          if ((e as AppError).code !== 'index_conflict') throw e
          eids[k] = -1
          onConflict(row, e as AppError)
        }
      }
    }
    this.addInEdges(t, edges, order, eids, added, progress)
    return added
  }

  /** The added edges (eids[pos] >= 0) into e_<tbl>_in, by dst. */
  private addInEdges(t: EdgeTable, edges: EdgeRows, order: Uint32Array, eids: Float64Array, added: number, progress?: BulkProgress): void {
    const { src, dst, tid } = edges
    const scratch = this.g.scratch
    const byDst = scratch.uint32('edges.in', added)
    const dstAt = scratch.float64('edges.dst', order.length)
    for (let pos = 0, i = 0; pos < order.length; pos++) {
      dstAt[pos] = dst[order[pos]]
      if (eids[pos] >= 0) byDst[i++] = pos
    }
    sortByKey(byDst, dstAt, scratch)
    const rowsPerCall = t.inBulkRows
    const insertMany = t.insertInMany()
    const args = new Array<Stored>(rowsPerCall * 4)
    let k = 0
    let nextTick = progress?.every ?? Infinity
    for (; added - k >= rowsPerCall; k += rowsPerCall) {
      if (k >= nextTick) {
        progress!.tick()
        nextTick = k + progress!.every
      }
      for (let r = 0; r < rowsPerCall; r++) {
        const pos = byDst[k + r]
        const row = order[pos]
        args[4 * r] = dst[row]
        args[4 * r + 1] = tid ? tid[row] : 0
        args[4 * r + 2] = src[row]
        args[4 * r + 3] = eids[pos]
      }
      insertMany.run(...args)
    }
    for (; k < added; k++) {
      const pos = byDst[k]
      const row = order[pos]
      t.insertIn.run(dst[row], tid ? tid[row] : 0, src[row], eids[pos])
    }
  }

  /** Into the label's table only; returns the vid, or null on a uniqueness conflict. */
  private insertVertex(t: VertexTable, values: Stored[]): number | null {
    requireValues(t.label, values)
    const vid = this.nextVid
    const args = t.args
    args[0] = vid
    for (let i = 0; i < values.length; i++) args[i + 1] = values[i]
    if (t.insert.run(args).changes === 0) return null
    this.nextVid++
    this.count(t.label, 1)
    return vid
  }

  /** Into e_<tbl> only; returns the eid. Throws index_conflict. */
  private insertEdge(t: EdgeTable, src: number, dst: number, tid: number | bigint, values: Stored[]): number {
    requireValues(t.label, values)
    let eid = 0
    const args = t.args // (src, dst, tid, eid, ...values), bound without allocating
    args[0] = src
    args[1] = dst
    args[2] = tid
    args[3] = 0
    for (let i = 0; i < values.length; i++) args[i + 4] = values[i]
    if (t.insertFirst.run(args).changes === 0) {
      const last = t.lastEid.get(src, tid, dst)?.m
      if (last === null || last === undefined) throw edgeConflict(t, values)
      eid = last + 1
      args[3] = eid
      try {
        t.insertAt.run(args)
      } catch (e) {
        if ((e as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') throw edgeConflict(t, values)
        throw e
      }
    }
    this.count(t.label, 1)
    return eid
  }

  private count(label: LabelRecord, n: number): void {
    this.deltas.set(label, (this.deltas.get(label) ?? 0) + n)
  }

  /** Forgets the vids and label counts given out so far: the graph's data was dropped (db.dropDB), vids start from 0. */
  restart(): void {
    this.nextVid = 0
    this.deltas.clear()
  }

  /** Saves the vid counter and the label counts; GraphDb.write calls it before committing. */
  finish(): void {
    const db = this.g.db
    db.prepare("UPDATE meta SET value = ? WHERE key = 'next_vid'").run(String(this.nextVid))
    const bump = db.prepare('UPDATE labels SET count = count + ? WHERE kind = ? AND id = ?')
    for (const [label, n] of this.deltas) bump.run(n, label.kind, label.id)
  }
}

/** TuGraph's FieldCannotBeSetNull: "Field [x] is not optional." */
function requireValues(label: LabelRecord, values: Stored[]): void {
  const props = label.def.properties
  for (let i = 0; i < props.length; i++) {
    if ((values[i] === null || values[i] === undefined) && !props[i].optional) throw graphError('invalid_value', `Field [${props[i].name}] is not optional.`)
  }
}

function edgeConflict(t: EdgeTable, values: Stored[]) {
  const i = t.label.def.properties.findIndex((p) => p.index && (p.unique || p.pair_unique))
  const field = i < 0 ? '' : `${t.label.def.properties[i].name}:${excerpt(String(values[i]))}`
  return graphError('index_conflict', `Failed to index edge with field value [${field}]: index value already exists.`)
}
