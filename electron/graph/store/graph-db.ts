// One open graph: its schema, writes in transactions that number vertices and edges as TuGraph
// does, and the reads the rest of the graph side builds on (primary seeks, adjacency by src and
// by dst). Used inside graph worker threads only.
export { GraphWriter } from './graph-writer'
import { statSync } from 'node:fs'
import type { EdgeView, GraphInfo, GraphSummary, LabelDef, LabelKind, LabelSummary, VertexView } from '../../../shared/graph'
import { graphError } from '../errors'
import { DEFAULT_GRAPH_OWNER } from '../graph-rights'
import { cutBackLogAfterRollback, openGraphFile, type GraphConnection, type GraphFileOptions } from './graph-file'
import { GraphWriter } from './graph-writer'
import { EdgeTable, labelDdl, VertexTable, type LabelRecord } from './label-tables'
import { MAX_LABELS, requireSchemaBytes } from './names'
import { ScratchArrays } from './scratch'
import { describeLabel, sameLabel } from './schema'
import { excerpt, storedToValue, type Stored } from './values'

interface LabelRow {
  kind: LabelKind
  id: number
  tbl: number
  name: string
  def: string
  count: number
}

const toRecord = (r: LabelRow): LabelRecord => ({ ...r, def: JSON.parse(r.def) as LabelDef })

export class GraphDb {
  private readonly tables = new Map<number, VertexTable | EdgeTable>()
  /** Working arrays of bulk writes, reused from package to package. */
  readonly scratch = new ScratchArrays()
  private readonly selectLabels
  private readonly selectLabel
  private readonly selectLabelSummaries
  private readonly selectSchemaBytes
  private readonly selectMeta
  private readonly labelOfVid
  readonly insertVertexId
  private readonly transact

  constructor(
    readonly name: string,
    readonly file: string,
    readonly db: GraphConnection,
  ) {
    this.selectLabels = db.prepare<[], LabelRow>('SELECT kind, id, tbl, name, def, count FROM labels ORDER BY kind DESC, id')
    this.selectLabel = db.prepare<[LabelKind, string], LabelRow>('SELECT kind, id, tbl, name, def, count FROM labels WHERE kind = ? AND name = ?')
    this.selectLabelSummaries = db.prepare<[], LabelSummary>('SELECT kind, id, name, count FROM labels ORDER BY kind DESC, id')
    this.selectSchemaBytes = db.prepare<[], { bytes: number }>('SELECT COALESCE(SUM(length(CAST(def AS BLOB))), 0) AS bytes FROM labels')
    this.selectMeta = db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?')
    this.labelOfVid = db.prepare<[number], { label_id: number }>('SELECT label_id FROM vertices WHERE vid = ?')
    this.insertVertexId = db.prepare<[number, number]>('INSERT INTO vertices (vid, label_id) VALUES (?, ?)')
    this.transact = db.transaction(<T>(fn: (w: GraphWriter) => T): T => {
      const w = new GraphWriter(this)
      const result = fn(w)
      w.finish()
      return result
    })
  }

  static open(name: string, file: string, options?: GraphFileOptions): GraphDb {
    return new GraphDb(name, file, openGraphFile(file, options))
  }

  meta(key: string): string | undefined {
    return this.selectMeta.get(key)?.value
  }

  /** Vertex labels (by id), then edge labels (by id). */
  labels(): LabelRecord[] {
    return this.selectLabels.all().map(toRecord)
  }

  /** One label by its key (UNIQUE (kind, name)): an import of thousands of labels looks one up per file and package. */
  label(kind: LabelKind, name: string): LabelRecord | undefined {
    const row = this.selectLabel.get(kind, name)
    return row && toRecord(row)
  }

  vertexTable(name: string): VertexTable {
    const label = this.label('vertex', name)
    if (!label) throw graphError('label_not_found', `vertex label [${name}] not found in schema`)
    return this.table(label) as VertexTable
  }

  edgeTable(name: string): EdgeTable {
    const label = this.label('edge', name)
    if (!label) throw graphError('label_not_found', `Edge Label [${name}] does not exist.`)
    return this.table(label) as EdgeTable
  }

  private table(label: LabelRecord): VertexTable | EdgeTable {
    let t = this.tables.get(label.tbl)
    // another connection may have changed the label (db.addIndex, db.alterLabel…): its statements and def are stale then
    if (!t || t.label.id !== label.id || JSON.stringify(t.label.def) !== JSON.stringify(label.def)) {
      t = label.kind === 'vertex' ? new VertexTable(this.db, label) : new EdgeTable(this.db, label)
      this.tables.set(label.tbl, t)
    }
    return t
  }

  /**
   * import_schema (reference/tugraph.md §1.7): creates the labels that do not exist, in order, in one
   * transaction; a label that exists identically is skipped; one that exists differently throws
   * schema_not_comparable. Edge constraints must name existing (or earlier) vertex labels.
   */
  addLabels(defs: LabelDef[]): { created: string[]; skipped: string[] } {
    const created: string[] = []
    const skipped: string[] = []
    // IMMEDIATE: take the write lock before reading the labels. A deferred transaction reads first
    // and then asks for the lock; SQLite gives a connection inside a read transaction no busy wait
    // (SQLITE_BUSY at once while an import commits a package) and cannot move its snapshot past a
    // package committed since (SQLITE_BUSY_SNAPSHOT): "database is locked", however long busy_timeout
    this.db.transaction(() => {
      const existing = this.labels()
      let tbl = this.nextNumber('next_tbl', existing.map((l) => l.tbl))
      const ids = { vertex: this.nextNumber('next_vertex_label_id', existing.filter((l) => l.kind === 'vertex').map((l) => l.id)), edge: this.nextNumber('next_edge_label_id', existing.filter((l) => l.kind === 'edge').map((l) => l.id)) }
      const insert = this.db.prepare('INSERT INTO labels (kind, id, tbl, name, def) VALUES (?, ?, ?, ?, ?)')
      for (const def of defs) {
        const kind: LabelKind = def.type === 'VERTEX' ? 'vertex' : 'edge'
        const old = existing.find((l) => l.kind === kind && l.name === def.label)
        if (old) {
          if (!sameLabel(old.def, def)) {
            throw graphError('schema_not_comparable', `${describeLabel(old.def)} and ${describeLabel(def)} not comparable in two schema`)
          }
          skipped.push(def.label)
          continue
        }
        if (existing.length + 1 > MAX_LABELS) throw graphError('invalid_name', `Invalid Label: number cannot exceed ${MAX_LABELS}, given [${existing.length + 1}].`)
        if (def.type === 'EDGE') {
          const vertexLabels = new Set(existing.filter((l) => l.kind === 'vertex').map((l) => l.name)) // keyed: constraints may be many
          for (const name of def.constraints.flat()) {
            if (!vertexLabels.has(name)) throw graphError('invalid_schema', `No such vertex label: ${name}`)
          }
        }
        const record: LabelRecord = { kind, id: ids[kind]++, tbl: tbl++, name: def.label, def, count: 0 }
        for (const sql of labelDdl(record)) this.db.exec(sql)
        insert.run(kind, record.id, record.tbl, def.label, JSON.stringify(def))
        existing.push(record)
        created.push(def.label)
      }
      if (created.length) this.checkSchemaBytes()
      this.setMeta('next_tbl', String(tbl))
      this.setMeta('next_vertex_label_id', String(ids.vertex))
      this.setMeta('next_edge_label_id', String(ids.edge))
    }).immediate()
    return { created, skipped }
  }

  /**
   * The next number of a kind that is never reused (table numbers, label ids): past every number in
   * use and past the counter kept in meta, so a deleted label's number does not come back.
   */
  nextNumber(key: string, inUse: number[]): number {
    return Math.max(Number(this.meta(key) ?? 0), ...inUse.map((n) => n + 1), 0)
  }

  setMeta(key: string, value: string): void {
    this.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value)
  }

  /**
   * Runs `fn` in one write transaction (BEGIN IMMEDIATE): all of it commits, or none of it. When it
   * rolls back, the pages it spilled into the log go with it (cutBackLogAfterRollback); throws what `fn` threw.
   */
  write<T>(fn: (w: GraphWriter) => T): T {
    try {
      return this.transact.immediate(fn) as T
    } catch (e) {
      cutBackLogAfterRollback(this.db, this.file)
      throw e
    }
  }

  /** The graph with every label's definition (graphs.get): a schema grows to MAX_SCHEMA_BYTES at most. */
  info(): GraphInfo {
    const labels = this.labels().map(({ kind, id, name, count, def }) => ({ kind, id, name, count, def }))
    return { ...this.summary(), labels }
  }

  /** The graph as a list shows it (graphs.list): labels named and counted, their definitions not read. */
  summary(): GraphSummary {
    const labels = this.selectLabelSummaries.all()
    const size = (f: string) => {
      try {
        return statSync(f).size
      } catch {
        return 0
      }
    }
    return {
      name: this.name,
      description: this.meta('description') ?? '',
      maxSizeGb: Number(this.meta('max_size_gb') ?? 0),
      vertexCount: labels.filter((l) => l.kind === 'vertex').reduce((n, l) => n + l.count, 0),
      edgeCount: labels.filter((l) => l.kind === 'edge').reduce((n, l) => n + l.count, 0),
      labels,
      sizeBytes: size(this.file) + size(`${this.file}-wal`),
      createdAt: Number(this.meta('created_at') ?? 0),
      owner: this.meta('owner') ?? DEFAULT_GRAPH_OWNER,
    }
  }

  /**
   * Throws invalid_schema (field `field`) when the graph's label definitions, as stored (JSON, UTF-8
   * bytes) plus `adding` bytes about to be written, total more than MAX_SCHEMA_BYTES. Called inside
   * the write transaction that changes them, so the refusal rolls the change back.
   */
  checkSchemaBytes(field = 'schema', adding = 0): void {
    requireSchemaBytes(this.selectSchemaBytes.get()!.bytes + adding, field)
  }

  /** The vid of the vertex of `label` whose primary property is `key` (a primary index seek). */
  vidByPrimary(label: string, key: Stored): number | undefined {
    return this.vertexTable(label).byPrimary.get(key)?.vid
  }

  vertex(vid: number): VertexView | undefined {
    const labelId = this.labelOfVid.get(vid)?.label_id
    if (labelId === undefined) return undefined
    const label = this.labels().find((l) => l.kind === 'vertex' && l.id === labelId)!
    const row = (this.table(label) as VertexTable).byVid.get(vid)!
    return { vid, label: label.name, labelId, properties: properties(label.def, row) }
  }

  /** A page of a vertex label's vertices, by vid, after `afterVid`. */
  vertices(label: string, afterVid = -1, limit = 100): VertexView[] {
    const t = this.vertexTable(label)
    return t.scan.all(afterVid, limit).map((row) => ({ vid: Number(row.vid), label, labelId: t.label.id, properties: properties(t.label.def, row) }))
  }

  /** Edges out of (`direction` 'out', a seek on src) or into (`'in'`, a seek on dst) a vertex, for one label or all. */
  edges(vid: number, direction: 'out' | 'in', label?: string): EdgeView[] {
    const labels = label === undefined ? this.labels().filter((l) => l.kind === 'edge') : [this.edgeTable(label).label]
    return labels.flatMap((l) => {
      const t = this.table(l) as EdgeTable
      return (direction === 'out' ? t.out : t.in).all(vid).map((row) => ({
        label: l.name,
        labelId: l.id,
        src: Number(row.src),
        dst: Number(row.dst),
        tid: Number(row.tid),
        eid: Number(row.eid),
        properties: properties(l.def, row),
      }))
    })
  }

  close(): void {
    if (this.db.open) this.db.close()
  }
}

function properties(def: LabelDef, row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = Object.create(null) // a property named __proto__ is a key
  def.properties.forEach((p, i) => {
    out[p.name] = storedToValue(p.type, row[`p${i}`])
  })
  return out
}

/**
 * Why a vertex was refused as a duplicate, in TuGraph's words ("Failed to index vertex [vid] with
 * field value [field:value]: index value already exists."): the primary key, else the unique field.
 */
export function vertexConflictMessage(t: VertexTable, values: Stored[]): string {
  const props = t.label.def.properties
  const i = t.byPrimary.get(values[t.primaryIndex]) ? t.primaryIndex : props.findIndex((p, k) => k !== t.primaryIndex && p.index && p.unique)
  const existing = i === t.primaryIndex ? t.byPrimary.get(values[i])?.vid : undefined
  return `Failed to index vertex [${existing ?? ''}] with field value [${props[i]?.name}:${excerpt(String(values[i]))}]: index value already exists.`
}

/**
 * Throws constraint_violation ("Does not meet the edge constraints") unless the edge label allows
 * (src label, dst label). Imports check once per file; other writers call this per edge.
 */
export function checkEdgeConstraint(t: EdgeTable, srcLabel: string, dstLabel: string): void {
  const def = t.label.def
  if (def.type !== 'EDGE' || def.constraints.length === 0) return
  if (!def.constraints.some(([a, b]) => a === srcLabel && b === dstLabel)) {
    throw graphError('constraint_violation', `Does not meet the edge constraints: edge label [${def.label}] does not allow (${srcLabel}, ${dstLabel})`)
  }
}

