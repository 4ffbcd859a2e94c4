// The SQL of one label's table: its DDL, and the prepared statements that insert and read rows.
// Table and column names are built from numbers only (v_<tbl>, e_<tbl>, p<i>), never from user
// text, so no name needs quoting and none can inject SQL.
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

/** CREATE statements for a new label's table and indexes. */
export function labelDdl(l: Pick<LabelRecord, 'kind' | 'tbl' | 'def'>): string[] {
  const t = tableName(l)
  const props = l.def.properties.map((p, i) => `${col(i)} ${columnType(p.type)}${p.optional ? '' : ' NOT NULL'}`)
  const ddl =
    l.kind === 'vertex'
      ? [`CREATE TABLE ${t} (vid INTEGER PRIMARY KEY${props.map((p) => `, ${p}`).join('')})`]
      : [
          `CREATE TABLE ${t} (src INTEGER NOT NULL, dst INTEGER NOT NULL, tid INTEGER NOT NULL, eid INTEGER NOT NULL${props.map((p) => `, ${p}`).join('')}, PRIMARY KEY (src, tid, dst, eid)) WITHOUT ROWID`,
          `CREATE INDEX ${t}_in ON ${t} (dst, tid, src, eid)`,
        ]
  l.def.properties.forEach((p, i) => {
    const kind = indexKind(l.def, p)
    if (kind === 'primary' || kind === 'unique') ddl.push(`CREATE UNIQUE INDEX ${t}_${col(i)} ON ${t} (${col(i)})`)
    else if (kind === 'pair_unique') ddl.push(`CREATE UNIQUE INDEX ${t}_${col(i)} ON ${t} (src, dst, ${col(i)})`)
    else if (kind === 'index') ddl.push(`CREATE INDEX ${t}_${col(i)} ON ${t} (${col(i)})`)
  })
  return ddl
}

/** Prepared statements of one vertex label. Values are in the order of the label's properties. */
export class VertexTable {
  /** (vid, ...values). */
  readonly insert: Database.Statement<[Stored[]]>
  /** A reused argument array for `insert`. */
  readonly args: Stored[]
  readonly byPrimary: Database.Statement<[Stored], { vid: number }>
  readonly byVid: Database.Statement<[number], Record<string, unknown>>
  readonly scan: Database.Statement<[number, number], Record<string, unknown>>
  readonly primaryIndex: number

  constructor(
    db: GraphConnection,
    readonly label: LabelRecord,
  ) {
    const t = tableName(label)
    const n = label.def.properties.length
    const cols = label.def.properties.map((_, i) => col(i)).join(', ')
    const marks = label.def.properties.map(() => '?').join(', ')
    // ON CONFLICT covers uniqueness only: a NOT NULL violation still fails loudly.
    this.insert = db.prepare<[Stored[]]>(`INSERT INTO ${t} (vid${n ? `, ${cols}` : ''}) VALUES (?${n ? `, ${marks}` : ''}) ON CONFLICT DO NOTHING`)
    this.args = new Array<Stored>(n + 1).fill(null)
    const def = label.def
    this.primaryIndex = def.type === 'VERTEX' ? def.properties.findIndex((p) => p.name === def.primary) : -1
    this.byPrimary = db.prepare(`SELECT vid FROM ${t} WHERE ${col(this.primaryIndex)} = ?`)
    this.byVid = db.prepare<[number], Record<string, unknown>>(`SELECT * FROM ${t} WHERE vid = ?`).safeIntegers(true)
    this.scan = db.prepare<[number, number], Record<string, unknown>>(`SELECT * FROM ${t} WHERE vid > ? ORDER BY vid LIMIT ?`).safeIntegers(true)
  }
}

/** Prepared statements of one edge label. */
export class EdgeTable {
  /** (src, dst, tid, eid, ...values) with eid 0: does nothing on a uniqueness conflict. */
  readonly insertFirst: Database.Statement<[Stored[]]>
  /** A reused argument array (src, dst, tid, eid, ...values). */
  readonly args: Stored[]
  /** (src, dst, tid, eid, ...values). */
  readonly insertAt: Database.Statement<[Stored[]]>
  readonly lastEid: Database.Statement<[number, number | bigint, number], { m: number | null }>
  readonly out: Database.Statement<[number], Record<string, unknown>>
  readonly in: Database.Statement<[number], Record<string, unknown>>

  constructor(
    db: GraphConnection,
    readonly label: LabelRecord,
  ) {
    const t = tableName(label)
    const cols = label.def.properties.map((_, i) => `, ${col(i)}`).join('')
    const marks = label.def.properties.map(() => ', ?').join('')
    this.insertFirst = db.prepare<[Stored[]]>(`INSERT INTO ${t} (src, dst, tid, eid${cols}) VALUES (?, ?, ?, ?${marks}) ON CONFLICT DO NOTHING`)
    this.insertAt = db.prepare<[Stored[]]>(`INSERT INTO ${t} (src, dst, tid, eid${cols}) VALUES (?, ?, ?, ?${marks})`)
    this.args = new Array<Stored>(label.def.properties.length + 4).fill(null)
    this.lastEid = db.prepare(`SELECT max(eid) AS m FROM ${t} WHERE src = ? AND tid = ? AND dst = ?`)
    const order = label.def.type === 'EDGE' && label.def.temporal_order === 'DESC' ? 'DESC' : 'ASC'
    // The key order of TuGraph's storage: out-edges by (tid, dst, eid), in-edges by (tid, src, eid).
    this.out = db.prepare<[number], Record<string, unknown>>(`SELECT * FROM ${t} WHERE src = ? ORDER BY tid ${order}, dst, eid`).safeIntegers(true)
    this.in = db.prepare<[number], Record<string, unknown>>(`SELECT * FROM ${t} WHERE dst = ? ORDER BY tid ${order}, src, eid`).safeIntegers(true)
  }
}
