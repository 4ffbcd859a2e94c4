// Changes to existing vertices and edges (Cypher's SET, REMOVE, DELETE): property updates and
// deletions on the label tables, keeping `vertices` and the label counts in step. Call inside
// GraphDb.write (one transaction); the layout is graph-file.ts's, unchanged.
import type Database from 'better-sqlite3'
import { graphError } from '../errors'
import type { GraphDb } from './graph-db'
import { tableName, type LabelRecord } from './label-tables'
import { excerpt, type Stored } from './values'

const isUniqueViolation = (e: unknown) => (e as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE' || (e as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY'

export class GraphEdits {
  private readonly cache = new Map<string, Database.Statement<unknown[]>>()

  constructor(private readonly g: GraphDb) {}

  private stmt(sql: string): Database.Statement<unknown[]> {
    let s = this.cache.get(sql)
    if (!s) this.cache.set(sql, (s = this.g.db.prepare<unknown[]>(sql)))
    return s
  }

  private bump(label: LabelRecord, by: number): void {
    if (by) this.stmt('UPDATE labels SET count = count + ? WHERE kind = ? AND id = ?').run(by, label.kind, label.id)
  }

  /**
   * Sets property `index` of a vertex (stored form; null clears an optional one). Throws
   * index_conflict with TuGraph's text when a unique or primary value exists.
   */
  setVertexProperty(label: LabelRecord, vid: number, index: number, value: Stored): void {
    try {
      this.stmt(`UPDATE ${tableName(label)} SET p${index} = ? WHERE vid = ?`).run(value, vid)
    } catch (e) {
      if (isUniqueViolation(e)) {
        throw graphError('index_conflict', `Failed to index vertex [${vid}] with field value [${label.def.properties[index].name}:${excerpt(String(value))}]: index value already exists.`)
      }
      throw e
    }
  }

  setEdgeProperty(label: LabelRecord, key: EdgeKey, index: number, value: Stored): void {
    try {
      this.stmt(`UPDATE ${tableName(label)} SET p${index} = ? WHERE src = ? AND tid = ? AND dst = ? AND eid = ?`).run(value, key.src, key.tid, key.dst, key.eid)
    } catch (e) {
      if (isUniqueViolation(e)) throw graphError('index_conflict', `Failed to index edge with field value [${label.def.properties[index].name}:${excerpt(String(value))}]: index value already exists.`)
      throw e
    }
  }

  /** How many edges (of every label, in and out) touch a vertex; a self-loop counts once. */
  degree(vid: number, edgeLabels: LabelRecord[]): number {
    let n = 0
    for (const l of edgeLabels) {
      const t = tableName(l)
      n += (this.stmt(`SELECT count(*) AS n FROM ${t} WHERE src = ?`).get(vid) as { n: number }).n
      n += (this.stmt(`SELECT count(*) AS n FROM ${t} WHERE dst = ? AND src <> ?`).get(vid, vid) as { n: number }).n
    }
    return n
  }

  /** Deletes every edge touching a vertex, from the label table and its in-adjacency table (each by its own key); returns how many. */
  detach(vid: number, edgeLabels: LabelRecord[]): number {
    let n = 0
    for (const l of edgeLabels) {
      const t = tableName(l)
      this.stmt(`DELETE FROM ${t}_in WHERE (dst, tid, src, eid) IN (SELECT dst, tid, src, eid FROM ${t} WHERE src = ?)`).run(vid)
      const out = this.stmt(`DELETE FROM ${t} WHERE src = ?`).run(vid).changes
      const into = this.stmt(`DELETE FROM ${t} WHERE (src, tid, dst, eid) IN (SELECT src, tid, dst, eid FROM ${t}_in WHERE dst = ?)`).run(vid).changes
      this.stmt(`DELETE FROM ${t}_in WHERE dst = ?`).run(vid)
      this.bump(l, -(out + into))
      n += out + into
    }
    return n
  }

  /** Deletes a vertex (its edges must be gone: see detach). Returns false if it did not exist. */
  deleteVertex(label: LabelRecord, vid: number): boolean {
    const gone = this.stmt(`DELETE FROM ${tableName(label)} WHERE vid = ?`).run(vid).changes > 0
    if (!gone) return false
    this.stmt('DELETE FROM vertices WHERE vid = ?').run(vid)
    this.bump(label, -1)
    return true
  }

  /** Deletes one edge by its key (and its in-adjacency row). Returns false if it did not exist. */
  deleteEdge(label: LabelRecord, key: EdgeKey): boolean {
    const t = tableName(label)
    const gone = this.stmt(`DELETE FROM ${t} WHERE src = ? AND tid = ? AND dst = ? AND eid = ?`).run(key.src, key.tid, key.dst, key.eid).changes > 0
    if (!gone) return false
    this.stmt(`DELETE FROM ${t}_in WHERE dst = ? AND tid = ? AND src = ? AND eid = ?`).run(key.dst, key.tid, key.src, key.eid)
    this.bump(label, -1)
    return true
  }
}

/** An edge's key within its label's table. */
export interface EdgeKey {
  src: number
  dst: number
  tid: number
  eid: number
}
