// The engine's view of one open graph for the length of a statement: the schema read once, label
// tables kept, and the store's seeks turned into Cypher values (label scans, vid and primary-key
// lookups, adjacency by src and by dst).
import type { PropertyType } from '../../../shared/graph'
import type Database from 'better-sqlite3'
import type { GraphDb } from '../store/graph-db'
import { EdgeTable, tableName, VertexTable, type LabelRecord } from '../store/label-tables'
import type { Stored } from '../store/values'
import type { Budget } from './budget'
import { cypherError } from './errors'
import { CSR_BUDGET_BYTES, dataVersion, degreeOf, hasLabelCsr, labelCsr, type LabelCsr } from './label-csr'
import { columnsFit, equalRows, keptColumns, readColumns, type LabelColumns } from './label-columns'
import { EdgeV, newMap, NodeV, type Value } from './values'
import { didYouMean } from '../../../shared/did-you-mean'

const SCAN_PAGE = 1024
/** Rows a label scan of a reading statement steps in SQLite before it reads the columns it needs whole and keeps them (label-columns.ts). */
const COLUMNS_AFTER_ROWS = 16 * SCAN_PAGE
/** Seeks (degree(), csr()) on one edge label after which a statement builds the label's CSR snapshot (plus a hundredth of its edges). */
const BULK_DEGREE_CALLS = 1024
/** An edge label with at most this many edges has its snapshot built at the first ask: it costs less than a thousand seeks. */
const SMALL_LABEL_EDGES = 4096

/** A stored column value as a Cypher value of its property type. */
export function columnToValue(type: PropertyType, v: unknown): Value {
  if (v === null || v === undefined) return null
  switch (type) {
    case 'BOOL':
      return v === 1n || v === 1
    case 'INT8':
    case 'INT16':
    case 'INT32':
    case 'INT64':
      return typeof v === 'bigint' ? v : BigInt(v as number)
    case 'FLOAT':
    case 'DOUBLE':
      return Number(v)
    case 'DATETIME':
      return typeof v === 'string' && v.endsWith('.000000') ? v.slice(0, -7) : (v as string)
    case 'FLOAT_VECTOR': {
      const b = v as Uint8Array
      return Array.from(new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength)))
    }
    case 'BLOB':
      return v as Uint8Array
    default:
      return String(v)
  }
}

/** What a label scan reads: some of the label's properties (indexes; all when absent), and an equality pre-filter on one. */
export interface LabelScan {
  columns?: number[]
  filter?: { prop: number; value: Stored }
}

export class GraphView {
  private labelList: LabelRecord[] = []
  private readonly vTables = new Map<number, VertexTable>()
  private readonly eTables = new Map<number, EdgeTable>()
  /** Prepared at their first use (most statements need neither). */
  private labelByVid: Database.Statement<[number], { label_id: number }> | undefined
  private vertexPage: Database.Statement<[number, number], { vid: number; label_id: number }> | undefined
  /** Bumped by every write, so property values read before it are read again. */
  private gen = 0
  private readonly labelOfVid = new Map<number, LabelRecord>()
  /** Per edge label: the one vertex label its constraints allow at src and at dst, if one. */
  private readonly endLabels = new Map<LabelRecord, [LabelRecord | null, LabelRecord | null]>()

  constructor(
    readonly g: GraphDb,
    readonly budget: Budget,
  ) {
    this.reload()
  }

  /** Reads the schema again (after a procedure changed it). */
  reload(): void {
    this.labelList = this.g.labels()
    this.endLabels.clear()
    this.vTables.clear()
    this.eTables.clear()
  }

  get labels(): LabelRecord[] {
    return this.labelList
  }

  vertexLabels(): LabelRecord[] {
    return this.labelList.filter((l) => l.kind === 'vertex')
  }

  edgeLabels(): LabelRecord[] {
    return this.labelList.filter((l) => l.kind === 'edge')
  }

  /** Throws TuGraph's "Vertex label [x] does not exist." for an unknown name, with " Did you mean [y]?" when a label is close (shared/did-you-mean.ts). */
  vertexLabel(name: string): LabelRecord {
    const l = this.labelList.find((x) => x.kind === 'vertex' && x.name === name)
    if (!l) throw cypherError('label_not_found', `Vertex label [${name}] does not exist.${didYouMean(name, this.vertexLabels().map((x) => x.name))}`)
    return l
  }

  /** Throws TuGraph's "Edge label [x] does not exist." for an unknown name, with a close label suggested as for vertices. */
  edgeLabel(name: string): LabelRecord {
    const l = this.labelList.find((x) => x.kind === 'edge' && x.name === name)
    if (!l) throw cypherError('label_not_found', `Edge label [${name}] does not exist.${didYouMean(name, this.edgeLabels().map((x) => x.name))}`)
    return l
  }

  vertexTable(l: LabelRecord): VertexTable {
    let t = this.vTables.get(l.tbl)
    if (!t) this.vTables.set(l.tbl, (t = new VertexTable(this.g.db, l)))
    return t
  }

  edgeTable(l: LabelRecord): EdgeTable {
    let t = this.eTables.get(l.tbl)
    if (!t) this.eTables.set(l.tbl, (t = new EdgeTable(this.g.db, l)))
    return t
  }

  private vertexLabelById(id: number): LabelRecord | undefined {
    return this.labelList.find((l) => l.kind === 'vertex' && l.id === id)
  }

  /** Tells the view the graph changed: cached vertex properties and labels are read again. */
  changed(): void {
    this.gen++
    this.labelOfVid.clear()
  }

  /** The vertex with this vid, or null. */
  node(vid: number): NodeV | null {
    if (!Number.isSafeInteger(vid) || vid < 0) return null
    let l = this.labelOfVid.get(vid)
    if (!l) {
      const row = (this.labelByVid ??= this.g.db.prepare<[number], { label_id: number }>('SELECT label_id FROM vertices WHERE vid = ?')).get(vid)
      if (!row) return null
      l = this.vertexLabelById(row.label_id)
      if (!l) return null
      if (this.labelOfVid.size > 200_000) this.labelOfVid.clear()
      this.labelOfVid.set(vid, l)
    }
    return new NodeV(vid, l)
  }

  /**
   * Set for a statement that only reads (execute.ts): degree() and the walks of match.ts may then
   * use whole-label CSR snapshots (label-csr.ts), built once per graph version, instead of a seek
   * per vertex.
   */
  bulkDegrees = false
  /** The snapshots' byte budget per graph (label-csr.ts). */
  csrBytes = CSR_BUDGET_BYTES
  /** Per edge label table: the seeks this statement asked for, and the snapshots once taken. */
  private readonly degreeCalls = new Map<number, number>()
  private readonly snapshots = new Map<number, LabelCsr>()
  /** Labels whose snapshot would not fit label-csr.ts's budget: walked by seeks in this statement. */
  private readonly noSnapshot = new Set<number>()
  private version: string | undefined

  /**
   * The label's CSR snapshot when bulkDegrees allows it and it pays: kept already, a small label,
   * this statement asked for many vertices of it, or `now` (the caller reads every vertex's degree).
   */
  csr(l: LabelRecord, now = false): LabelCsr | undefined {
    const have = this.snapshots.get(l.tbl)
    if (have || !this.bulkDegrees || this.noSnapshot.has(l.tbl)) return have
    const calls = (this.degreeCalls.get(l.tbl) ?? 0) + 1
    this.degreeCalls.set(l.tbl, calls)
    // a seek per vertex costs a statement step; the snapshot a pass over the label: worth it past
    // a hundredth of its edges, or at once when another statement built it already
    const many = now || l.count <= SMALL_LABEL_EDGES || calls >= BULK_DEGREE_CALLS + l.count / 100
    if ((calls & 255) !== 1 && !many) return undefined
    this.version ??= dataVersion(this.g)
    if (!many && !hasLabelCsr(this.g, l, this.version)) return undefined
    const s = labelCsr(this.g, l, this.version, () => this.budget.tick(), this.csrBytes)
    if (!s) this.noSnapshot.add(l.tbl)
    else this.snapshots.set(l.tbl, s)
    return s
  }

  /** How many edges of the given labels (all when empty) a step from `vid` would walk: out, in, or both (a self-loop once). */
  degree(vid: number, dir: 'out' | 'in' | 'both', labels: LabelRecord[]): number {
    let n = 0
    for (const l of labels.length ? labels : this.edgeLabels()) {
      const s = this.csr(l)
      if (s) {
        n += degreeOf(s, vid, dir)
        continue
      }
      const t = this.edgeTable(l)
      if (dir !== 'in') n += t.degree('out').get(vid)!.n
      if (dir === 'in') n += t.degree('in').get(vid)!.n
      if (dir === 'both') n += t.degree('in', true).get(vid, vid)!.n
    }
    return n
  }

  /** The one vertex label edges of `labels` have at their src (`end` 0) or dst (1), by their constraints; null when several or any. */
  endLabel(labels: LabelRecord[], end: 0 | 1): LabelRecord | null {
    const names = new Set(labels.flatMap((l) => (l.def.type === 'EDGE' && l.def.constraints.length ? l.def.constraints.map((c) => c[end]) : ['*'])))
    if (names.size !== 1 || names.has('*') || !labels.length) return null
    return this.vertexLabels().find((l) => names.has(l.name)) ?? null
  }

  /**
   * The vertex `vid` at one end of edge `e`. When the edge label's constraints allow one vertex label
   * at that end (person→person), that is its label and no lookup is needed; else as node().
   */
  endpoint(e: EdgeV, vid: number): NodeV | null {
    let ends = this.endLabels.get(e.label)
    if (!ends) this.endLabels.set(e.label, (ends = [this.endLabel([e.label], 0), this.endLabel([e.label], 1)]))
    const l = vid === e.dst ? ends[1] : ends[0]
    return l && (vid === e.dst || vid === e.src) ? new NodeV(vid, l) : this.node(vid)
  }

  /** A vertex's properties (read once, then kept on the value until the next write). */
  props(n: NodeV): Record<string, Value> {
    if (n.gen === this.gen && !n.partial) {
      if (n.props) return n.props
      if (n.vals) {
        const m = newMap()
        for (let i = 0; i < n.vals.length; i++) m[n.names![i]] = n.vals[i]
        n.vals = n.names = undefined
        return (n.props = m)
      }
    }
    const row = this.vertexTable(n.label).byVid.get(n.vid)
    n.props = row ? rowProps(n.label, row) : newMap()
    n.gen = this.gen
    n.partial = false
    n.vals = n.names = undefined
    return n.props
  }

  /** One property of a vertex (null when it has none): from what a label scan read, else as props(). */
  prop(n: NodeV, key: string): Value {
    if (n.gen === this.gen) {
      if (n.vals) {
        const i = n.names!.indexOf(key)
        if (i >= 0) return n.vals[i]
        if (!n.partial) return null
      } else if (n.props && (!n.partial || key in n.props)) return n.props[key] ?? null
    }
    return this.props(n)[key] ?? null
  }

  /**
   * Every vertex of a label, by vid (pages of the label's table). With `scan.columns` (indexes of
   * the label's properties) only those are read (the rest on demand: prop(), props()); with
   * `scan.filter`, only rows whose property equals the stored value (a pre-filter: the caller
   * still tests its predicate).
   */
  scanLabel(l: LabelRecord, scan: LabelScan = {}): Iterable<NodeV> {
    const props = l.def.properties
    const columns = scan.columns ?? props.map((_p, i) => i)
    const partial = columns.length < props.length
    const names = columns.map((i) => props[i].name)
    // a statement that only reads takes kept columns (label-columns.ts), or reads them whole once it has scanned enough rows;
    // filtered, it reads them whole at once (SQLite would read every row for it anyway) and tests the equality on them
    if (scan.filter && this.bulkDegrees) {
      const f = scan.filter.prop
      const cols = columns.includes(f) ? columns : [...columns, f].sort((a, b) => a - b)
      if (columnsFit(l, cols)) {
        this.version ??= dataVersion(this.g)
        const data = keptColumns(this.g, l, cols, this.version) ?? readColumns(this.g, l, cols, this.version, () => this.budget.tick())
        return this.equalNodes(l, data, cols.map((i) => props[i].name), cols.length < props.length, cols.indexOf(f), columnToValue(props[f].type, scan.filter.value))
      }
    }
    const kept = !scan.filter && this.bulkDegrees && columnsFit(l, columns)
    if (kept) {
      this.version ??= dataVersion(this.g)
      const cached = keptColumns(this.g, l, columns, this.version)
      if (cached) return this.fromColumns(l, cached, names, partial, -1)
    }
    return this.scanPages(l, scan, columns, names, partial, kept)
  }

  /** scanLabel in SQLite, a page at a time; with `kept`, past COLUMNS_AFTER_ROWS rows from columns read whole. */
  private *scanPages(l: LabelRecord, scan: LabelScan, columns: number[], names: string[], partial: boolean, kept: boolean): Generator<NodeV> {
    const types = columns.map((i) => l.def.properties[i].type)
    const t = this.vertexTable(l)
    const stmt = t.scanColumns(columns, scan.filter?.prop)
    const filter = scan.filter ? [scan.filter.value] : []
    let after = -1
    for (let scanned = 0; ; scanned += SCAN_PAGE) {
      if (kept && scanned >= COLUMNS_AFTER_ROWS) {
        yield* this.fromColumns(l, readColumns(this.g, l, columns, this.version!, () => this.budget.tick()), names, partial, after)
        return
      }
      const rows = stmt.all(after, ...filter, SCAN_PAGE)
      for (const row of rows) {
        this.budget.tick()
        const n = new NodeV(Number(row[0]), l)
        const m = newMap()
        for (let i = 0; i < names.length; i++) m[names[i]] = columnToValue(types[i], row[i + 1])
        n.props = m
        n.gen = this.gen
        n.partial = partial
        yield n
      }
      if (rows.length < SCAN_PAGE) return
      after = Number(rows[rows.length - 1][0])
    }
  }

  /** The vertices of kept columns with a vid past `after`, as scanLabel gives them. */
  private *fromColumns(l: LabelRecord, kept: LabelColumns, names: string[], partial: boolean, after: number): Generator<NodeV> {
    const { vids } = kept
    // the first vid past `after` (vids ascend)
    let lo = 0
    let hi = vids.length
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (vids[mid] <= after) lo = mid + 1
      else hi = mid
    }
    for (let r = lo; r < vids.length; r++) {
      this.budget.tick()
      yield this.columnNode(l, kept, names, partial, r)
    }
  }

  /**
   * The vertices of kept columns whose column `at` is `value` (primitives only, no BLOB or vector
   * filters), by vid, as scanLabel gives them: from the column's hash index (equalRows), as an array
   * (the matches are few, and a caller summing over them loops without a generator).
   */
  private equalNodes(l: LabelRecord, kept: LabelColumns, names: string[], partial: boolean, at: number, value: Value): NodeV[] {
    const rows = equalRows(kept, at, value)
    const out: NodeV[] = new Array(rows.length)
    for (let k = 0; k < rows.length; k++) {
      this.budget.tick()
      out[k] = this.columnNode(l, kept, names, partial, rows[k])
    }
    return out
  }

  /** Row `r` of kept columns as a vertex carrying the values read. */
  private columnNode(l: LabelRecord, kept: LabelColumns, names: string[], partial: boolean, r: number): NodeV {
    const n = new NodeV(kept.vids[r], l)
    const vals: Value[] = new Array(names.length)
    for (let i = 0; i < names.length; i++) vals[i] = kept.cols[i][r]
    n.vals = vals
    n.names = names
    n.gen = this.gen
    n.partial = partial
    return n
  }

  /** The vids of label `l`, ascending: in a reading statement kept with the label's columns (label-columns.ts), else read now. */
  labelVids(l: LabelRecord): number[] {
    if (!this.bulkDegrees) return this.g.db.prepare(`SELECT vid FROM ${tableName(l)} ORDER BY vid`).pluck().all() as number[]
    this.version ??= dataVersion(this.g)
    return (keptColumns(this.g, l, [], this.version) ?? readColumns(this.g, l, [], this.version, () => this.budget.tick())).vids
  }

  /** Every vertex, by vid. */
  *scanAll(): Generator<NodeV> {
    let after = -1
    for (;;) {
      const rows = (this.vertexPage ??= this.g.db.prepare<[number, number], { vid: number; label_id: number }>('SELECT vid, label_id FROM vertices WHERE vid > ? ORDER BY vid LIMIT ?')).all(
        after,
        SCAN_PAGE,
      )
      for (const row of rows) {
        this.budget.tick()
        const l = this.vertexLabelById(row.label_id)
        if (l) yield new NodeV(row.vid, l)
      }
      if (rows.length < SCAN_PAGE) return
      after = rows[rows.length - 1].vid
    }
  }

  /** The vertex of label `l` whose primary property is `key` (already stored form), or null. */
  byPrimary(l: LabelRecord, key: Stored): NodeV | null {
    const row = this.vertexTable(l).byPrimary.get(key)
    return row ? new NodeV(Number(row.vid), l) : null
  }

  /** The vertices of label `l` whose property `index` is `key` (stored form), by vid: an index seek on an indexed property. */
  *byIndex(l: LabelRecord, index: number, key: Stored): Generator<NodeV> {
    // all(), not iterate(): the rows' consumers run other statements on this connection
    for (const row of this.vertexTable(l).byValue(index).all(key)) {
      this.budget.tick()
      yield new NodeV(Number(row.vid), l)
    }
  }

  /**
   * The edges out of (`out`: a seek on src) or into (`in`: a seek on dst) a vertex, of the given
   * labels (all when empty). `forward` is true for out-edges.
   */
  edges(vid: number, dir: 'out' | 'in', labels: LabelRecord[]): EdgeV[] {
    const out: EdgeV[] = []
    for (const l of labels.length ? labels : this.edgeLabels()) {
      const props = l.def.properties
      for (const row of this.edgeTable(l).adjacency(dir).all(vid)) {
        this.budget.tick()
        const m = newMap()
        for (let i = 0; i < props.length; i++) m[props[i].name] = columnToValue(props[i].type, row[4 + i])
        out.push(new EdgeV(l, Number(row[0]), Number(row[1]), Number(row[2]), Number(row[3]), dir === 'out', m))
      }
    }
    return out
  }
}

function rowProps(l: LabelRecord, row: Record<string, unknown>): Record<string, Value> {
  const m = newMap()
  const props = l.def.properties
  for (let i = 0; i < props.length; i++) m[props[i].name] = columnToValue(props[i].type, row[`p${i}`])
  return m
}
