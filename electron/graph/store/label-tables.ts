// The SQL of one label's tables: their DDL, and the prepared statements that insert and read rows.
// Table and column names are built from numbers only (v_<tbl>, e_<tbl>, e_<tbl>_in, p<i>), never
// from user text, so no name needs quoting and none can inject SQL.
//
// An edge label has two WITHOUT ROWID tables: e_<tbl> keyed (src, tid, dst, eid) with the
// properties, and e_<tbl>_in keyed (dst, tid, src, eid), the in-adjacency. The second is a table,
// not an index, so a bulk load can fill it in its own key order (edges sorted by dst) while e_<tbl>
// is filled in src order: both B-trees then take their inserts in order, page after page.
import type Database from 'better-sqlite3'
import type { LabelDef, LabelKind } from '../../../shared/graph'
import type { GraphConnection } from './graph-file'
import { indexKind } from './schema'
import { columnType, type Stored } from './values'

/** A label as stored in the `labels` table. */
export interface LabelRecord {
  kind: LabelKind
  /** 0-based creation index within its kind: TuGraph's label id. */
  id: number
  /** Table number: v_<tbl> or e_<tbl>. */
  tbl: number
  name: string
  def: LabelDef
  count: number
}

export const tableName = (l: Pick<LabelRecord, 'kind' | 'tbl'>): string => `${l.kind === 'vertex' ? 'v' : 'e'}_${l.tbl}`
const col = (i: number) => `p${i}`

/** The in-adjacency table of an edge label: (dst, tid, src, eid), every edge of e_<tbl> once. */
export const inTableDdl = (edgeTable: string): string =>
  `CREATE TABLE ${edgeTable}_in (dst INTEGER NOT NULL, tid INTEGER NOT NULL, src INTEGER NOT NULL, eid INTEGER NOT NULL, PRIMARY KEY (dst, tid, src, eid)) WITHOUT ROWID`

/** Most host parameters one statement may have (SQLite's limit is 32766). */
const MAX_PARAMS = 32_000
/**
 * Rows per multi-row INSERT of a bulk write: enough to spread the cost of a call over many rows
 * (512 against 128: about 15% less time per row into the edge tables, measured).
 */
const BULK_ROWS = 512

/** Rows a multi-row INSERT of `width` columns takes. */
export const bulkRows = (width: number): number => Math.max(1, Math.min(BULK_ROWS, Math.floor(MAX_PARAMS / width)))

/**
 * `INSERT INTO <table> (<columns>) VALUES (…), (…), …` for `rows` rows (plain: a conflict aborts the
 * statement). Its values are passed spread (`run(...args)`), not as one array: better-sqlite3 reads
 * an array element by element through V8's generic property lookup, arguments directly (about half
 * the cost per value).
 */
function multiRowInsert(db: GraphConnection, table: string, columns: string[], rows: number): Database.Statement<Stored[]> {
  const row = `(${columns.map(() => '?').join(', ')})`
  return db.prepare<Stored[]>(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${Array.from({ length: rows }, () => row).join(', ')}`)
}

/** CREATE statements for a new label's table and indexes. */
export function labelDdl(l: Pick<LabelRecord, 'kind' | 'tbl' | 'def'>): string[] {
  const t = tableName(l)
  const props = l.def.properties.map((p, i) => `${col(i)} ${columnType(p.type)}${p.optional ? '' : ' NOT NULL'}`)
  const ddl =
    l.kind === 'vertex'
      ? [`CREATE TABLE ${t} (vid INTEGER PRIMARY KEY${props.map((p) => `, ${p}`).join('')})`]
      : [
          `CREATE TABLE ${t} (src INTEGER NOT NULL, dst INTEGER NOT NULL, tid INTEGER NOT NULL, eid INTEGER NOT NULL${props.map((p) => `, ${p}`).join('')}, PRIMARY KEY (src, tid, dst, eid)) WITHOUT ROWID`,
          inTableDdl(t),
        ]
  l.def.properties.forEach((p, i) => {
    const index = indexDdl(t, i, indexKind(l.def, p))
    if (index) ddl.push(index)
  })
  return ddl
}

/** The CREATE INDEX of property `i` of table `t` for an index kind (schema.ts indexKind); null for none. Its name is t_p<i>. */
export function indexDdl(t: string, i: number, kind: ReturnType<typeof indexKind>): string | null {
  if (kind === 'primary' || kind === 'unique') return `CREATE UNIQUE INDEX ${t}_${col(i)} ON ${t} (${col(i)})`
  if (kind === 'pair_unique') return `CREATE UNIQUE INDEX ${t}_${col(i)} ON ${t} (src, dst, ${col(i)})`
  if (kind === 'index') return `CREATE INDEX ${t}_${col(i)} ON ${t} (${col(i)})`
  return null
}

/**
 * Prepared statements of one vertex label, each prepared at its first use (a reading statement
 * makes one per label it touches and needs one or two of them; preparing all took a tenth of a
 * millisecond or more per statement). Values are in the order of the label's properties.
 */
export class VertexTable {
  /** A reused argument array for `insert`. */
  readonly args: Stored[]
  readonly primaryIndex: number
  /** Rows per bulk insert. */
  readonly bulkRows: number
  private readonly t: string
  private prepared: {
    insert?: Database.Statement<[Stored[]]>
    byPrimary?: Database.Statement<[Stored], { vid: number }>
    byVid?: Database.Statement<[number], Record<string, unknown>>
    scan?: Database.Statement<[number, number], Record<string, unknown>>
    copyVids?: Database.Statement<[number, number]>
  } = {}
  private bulk: Database.Statement<Stored[]> | null = null
  private readonly seeks = new Map<number, Database.Statement<[Stored], { vid: number }>>()
  private readonly scans = new Map<string, Database.Statement<Stored[], unknown[]>>()

  constructor(
    private readonly db: GraphConnection,
    readonly label: LabelRecord,
  ) {
    this.t = tableName(label)
    const n = label.def.properties.length
    this.args = new Array<Stored>(n + 1).fill(null)
    const def = label.def
    this.primaryIndex = def.type === 'VERTEX' ? def.properties.findIndex((p) => p.name === def.primary) : -1
    this.bulkRows = bulkRows(n + 1)
  }

  /** (vid, ...values). ON CONFLICT covers uniqueness only: a NOT NULL violation still fails loudly. */
  get insert(): Database.Statement<[Stored[]]> {
    const n = this.label.def.properties.length
    const cols = this.label.def.properties.map((_, i) => col(i)).join(', ')
    const marks = this.label.def.properties.map(() => '?').join(', ')
    return (this.prepared.insert ??= this.db.prepare<[Stored[]]>(`INSERT INTO ${this.t} (vid${n ? `, ${cols}` : ''}) VALUES (?${n ? `, ${marks}` : ''}) ON CONFLICT DO NOTHING`))
  }

  get byPrimary(): Database.Statement<[Stored], { vid: number }> {
    return (this.prepared.byPrimary ??= this.db.prepare(`SELECT vid FROM ${this.t} WHERE ${col(this.primaryIndex)} = ?`))
  }

  get byVid(): Database.Statement<[number], Record<string, unknown>> {
    return (this.prepared.byVid ??= this.db.prepare<[number], Record<string, unknown>>(`SELECT * FROM ${this.t} WHERE vid = ?`).safeIntegers(true))
  }

  get scan(): Database.Statement<[number, number], Record<string, unknown>> {
    return (this.prepared.scan ??= this.db.prepare<[number, number], Record<string, unknown>>(`SELECT * FROM ${this.t} WHERE vid > ? ORDER BY vid LIMIT ?`).safeIntegers(true))
  }

  /** (vid, label_id) of the label's vertices from a vid on into `vertices`. */
  get copyVids(): Database.Statement<[number, number]> {
    return (this.prepared.copyVids ??= this.db.prepare<[number, number]>(`INSERT INTO vertices (vid, label_id) SELECT vid, ? FROM ${this.t} WHERE vid >= ?`))
  }

  /**
   * Rows [vid, p<c>…] of the columns `columns` (property indexes) from a vid on, by vid, a page at
   * a time: (after, [value of property `filter`,] limit). Raw rows, integers as bigints.
   */
  scanColumns(columns: number[], filter?: number): Database.Statement<Stored[], unknown[]> {
    const key = `${columns.join(',')}|${filter ?? ''}`
    let s = this.scans.get(key)
    if (!s) {
      const cols = columns.map((i) => `, ${col(i)}`).join('')
      const where = filter === undefined ? '' : ` AND ${col(filter)} = ?`
      s = this.db.prepare<Stored[], unknown[]>(`SELECT vid${cols} FROM ${tableName(this.label)} WHERE vid > ?${where} ORDER BY vid LIMIT ?`).raw(true).safeIntegers(true)
      this.scans.set(key, s)
    }
    return s
  }

  /** vids of the vertices whose property `index` equals a value, by vid: a seek when that property is indexed. */
  byValue(index: number): Database.Statement<[Stored], { vid: number }> {
    let s = this.seeks.get(index)
    if (!s) this.seeks.set(index, (s = this.db.prepare(`SELECT vid FROM ${tableName(this.label)} WHERE ${col(index)} = ? ORDER BY vid`)))
    return s
  }

  /** A plain INSERT of `bulkRows` rows of (vid, ...values): any conflict aborts the whole statement. */
  insertMany(): Database.Statement<Stored[]> {
    this.bulk ??= multiRowInsert(this.db, tableName(this.label), ['vid', ...this.label.def.properties.map((_, i) => col(i))], this.bulkRows)
    return this.bulk
  }
}

/** Prepared statements of one edge label, each prepared at its first use (as VertexTable's). */
export class EdgeTable {
  /** A reused argument array (src, dst, tid, eid, ...values). */
  readonly args: Stored[]
  /** Rows per bulk insert into e_<tbl> (those into e_<tbl>_in: inBulkRows). */
  readonly bulkRows: number
  readonly inBulkRows = bulkRows(4)
  private readonly t: string
  private prepared: {
    insertFirst?: Database.Statement<[Stored[]]>
    insertAt?: Database.Statement<[Stored[]]>
    lastEid?: Database.Statement<[number, number | bigint, number], { m: number | null }>
    insertIn?: Database.Statement<[number, number | bigint, number, number]>
    out?: Database.Statement<[number], Record<string, unknown>>
    in?: Database.Statement<[number], Record<string, unknown>>
  } = {}
  private bulkOut: Database.Statement<Stored[]> | null = null
  private rawOut: Database.Statement<[number], unknown[]> | null = null
  private rawIn: Database.Statement<[number], unknown[]> | null = null
  private readonly degrees = new Map<string, Database.Statement<number[], { n: number }>>()
  private bulkIn: Database.Statement<Stored[]> | null = null

  constructor(
    private readonly db: GraphConnection,
    readonly label: LabelRecord,
  ) {
    this.t = tableName(label)
    this.args = new Array<Stored>(label.def.properties.length + 4).fill(null)
    this.bulkRows = bulkRows(label.def.properties.length + 4)
  }

  private get cols(): string {
    return this.label.def.properties.map((_, i) => `, ${col(i)}`).join('')
  }

  private get marks(): string {
    return this.label.def.properties.map(() => ', ?').join('')
  }

  /** The key order of TuGraph's storage: out-edges by (tid, dst, eid), in-edges by (tid, src, eid); tid as the label's temporal order says. */
  private get order(): 'ASC' | 'DESC' {
    return this.label.def.type === 'EDGE' && this.label.def.temporal_order === 'DESC' ? 'DESC' : 'ASC'
  }

  /** (src, dst, tid, eid, ...values) with eid 0: does nothing on a uniqueness conflict. */
  get insertFirst(): Database.Statement<[Stored[]]> {
    return (this.prepared.insertFirst ??= this.db.prepare<[Stored[]]>(`INSERT INTO ${this.t} (src, dst, tid, eid${this.cols}) VALUES (?, ?, ?, ?${this.marks}) ON CONFLICT DO NOTHING`))
  }

  /** (src, dst, tid, eid, ...values). */
  get insertAt(): Database.Statement<[Stored[]]> {
    return (this.prepared.insertAt ??= this.db.prepare<[Stored[]]>(`INSERT INTO ${this.t} (src, dst, tid, eid${this.cols}) VALUES (?, ?, ?, ?${this.marks})`))
  }

  get lastEid(): Database.Statement<[number, number | bigint, number], { m: number | null }> {
    return (this.prepared.lastEid ??= this.db.prepare(`SELECT max(eid) AS m FROM ${this.t} WHERE src = ? AND tid = ? AND dst = ?`))
  }

  /** (dst, tid, src, eid) into the in-adjacency table. */
  get insertIn(): Database.Statement<[number, number | bigint, number, number]> {
    return (this.prepared.insertIn ??= this.db.prepare(`INSERT INTO ${this.t}_in (dst, tid, src, eid) VALUES (?, ?, ?, ?)`))
  }

  get out(): Database.Statement<[number], Record<string, unknown>> {
    return (this.prepared.out ??= this.db.prepare<[number], Record<string, unknown>>(`SELECT * FROM ${this.t} WHERE src = ? ORDER BY tid ${this.order}, dst, eid`).safeIntegers(true))
  }

  get in(): Database.Statement<[number], Record<string, unknown>> {
    const t = this.t
    return (this.prepared.in ??= this.db
      .prepare<[number], Record<string, unknown>>(`SELECT e.* FROM ${t}_in i JOIN ${t} e ON e.src = i.src AND e.tid = i.tid AND e.dst = i.dst AND e.eid = i.eid WHERE i.dst = ? ORDER BY i.tid ${this.order}, i.src, i.eid`)
      .safeIntegers(true))
  }

  /**
   * Out-edges (`out`) or in-edges (`in`) of a vertex as raw rows [src, dst, tid, eid, p0, p1, …], in
   * the key order of `out` / `in`. In-edges of a label without properties are read from the
   * in-adjacency table alone (no join back). safeIntegers: only when there are properties.
   */
  adjacency(dir: 'out' | 'in'): Database.Statement<[number], unknown[]> {
    const cached = dir === 'out' ? this.rawOut : this.rawIn
    if (cached) return cached
    const t = tableName(this.label)
    const n = this.label.def.properties.length
    const props = this.label.def.properties.map((_, i) => `, e.${col(i)}`).join('')
    const order = this.label.def.type === 'EDGE' && this.label.def.temporal_order === 'DESC' ? 'DESC' : 'ASC'
    const sql =
      dir === 'out'
        ? `SELECT e.src, e.dst, e.tid, e.eid${props} FROM ${t} e WHERE e.src = ? ORDER BY e.tid ${order}, e.dst, e.eid`
        : n === 0
          ? `SELECT i.src, i.dst, i.tid, i.eid FROM ${t}_in i WHERE i.dst = ? ORDER BY i.tid ${order}, i.src, i.eid`
          : `SELECT e.src, e.dst, e.tid, e.eid${props} FROM ${t}_in i JOIN ${t} e ON e.src = i.src AND e.tid = i.tid AND e.dst = i.dst AND e.eid = i.eid WHERE i.dst = ? ORDER BY i.tid ${order}, i.src, i.eid`
    const stmt = this.db.prepare<[number], unknown[]>(sql).raw(true).safeIntegers(n > 0)
    if (dir === 'out') this.rawOut = stmt
    else this.rawIn = stmt
    return stmt
  }

  /** How many out-edges (`out`, by src) or in-edges (`in`, by dst; self-loops left out with `noLoops`) a vertex has: a count on the key, no row read. */
  degree(dir: 'out' | 'in', noLoops = false): Database.Statement<number[], { n: number }> {
    const key = `${dir}${noLoops ? '-' : ''}`
    let s = this.degrees.get(key)
    if (!s) {
      const t = tableName(this.label)
      const sql = dir === 'out' ? `SELECT count(*) AS n FROM ${t} WHERE src = ?` : `SELECT count(*) AS n FROM ${t}_in WHERE dst = ?${noLoops ? ' AND src <> ?' : ''}`
      this.degrees.set(key, (s = this.db.prepare<number[], { n: number }>(sql)))
    }
    return s
  }

  /** A plain INSERT of `bulkRows` rows of (src, dst, tid, eid, ...values) into e_<tbl>: any conflict aborts the statement. */
  insertMany(): Database.Statement<Stored[]> {
    this.bulkOut ??= multiRowInsert(this.db, tableName(this.label), ['src', 'dst', 'tid', 'eid', ...this.label.def.properties.map((_, i) => col(i))], this.bulkRows)
    return this.bulkOut
  }

  /** An INSERT of `inBulkRows` rows of (dst, tid, src, eid) into e_<tbl>_in. */
  insertInMany(): Database.Statement<Stored[]> {
    this.bulkIn ??= multiRowInsert(this.db, `${tableName(this.label)}_in`, ['dst', 'tid', 'src', 'eid'], this.inBulkRows)
    return this.bulkIn
  }
}
