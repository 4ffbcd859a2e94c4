// Changes to existing labels (TuGraph's db.deleteLabel, db.alterLabelAddFields / DelFields /
// ModFields, db.addIndex, db.deleteIndex, db.addEdgeIndex, db.deleteEdgeIndex, db.dropDB;
// tugraph-db src/core/lightning_graph.cpp):
// schema and data change together, in one transaction (a savepoint inside GraphDb.write), so a
// failure leaves both as they were. Errors carry TuGraph's texts (src/core/lgraph_exceptions.h).
//
// A label whose fields change is rebuilt into a new table number (v_<new>, e_<new>, e_<new>_in)
// and the old tables dropped: table numbers are never reused, so a statement another connection
// prepared for the old layout can never run against the new one.
import type { LabelDef, LabelKind, PropertyDef } from '../../../shared/graph'
import { graphError } from '../errors'
import type { GraphDb } from './graph-db'
import { indexDdl, labelDdl, tableName, type LabelRecord } from './label-tables'
import { defBytes, MAX_FIELDS } from './names'
import { checkNewFieldName, checkProperty, indexKind } from './schema'
import { excerpt, storedToValue, textToStored, valueToStored, ValueError, type Stored } from './values'

/** A field to add: its definition and the value existing rows get (null for none). */
export interface NewField {
  def: PropertyDef
  value: Stored
}

/** TuGraph's LabelNotExistException: "Label [x] does not exist." */
function labelOf(g: GraphDb, kind: LabelKind, name: string): LabelRecord {
  const l = g.label(kind, name)
  if (!l) throw graphError('label_not_found', `Label [${name}] does not exist.`)
  return l
}

function fieldIndex(l: LabelRecord, name: string): number {
  const i = l.def.properties.findIndex((p) => p.name === name)
  if (i < 0) throw graphError('invalid_schema', `Field [${name}] does not exist.`)
  return i
}

/** Rows a rebuild copies per read. */
const REBUILD_PAGE = 4096

/** One write transaction, IMMEDIATE (the write lock before the first read: GraphDb.addLabels says why); a savepoint inside a statement's. */
const atomically = <T>(g: GraphDb, fn: () => T): T => g.db.transaction(fn).immediate()

/**
 * Deletes a label with all its vertices (and every edge touching them) or edges. A vertex label
 * that an edge label's constraints name is refused (delete or change that edge label first).
 * Returns how many vertices or edges went. Throws label_not_found, invalid_schema.
 */
export function deleteLabel(g: GraphDb, kind: LabelKind, name: string): number {
  return atomically(g, () => {
    const l = labelOf(g, kind, name)
    const all = g.labels()
    const t = tableName(l)
    if (kind === 'vertex') {
      const users = all.filter((e) => e.def.type === 'EDGE' && e.def.constraints.some(([a, b]) => a === name || b === name))
      if (users.length) throw graphError('invalid_schema', `Vertex label [${name}] is used by the constraints of edge label [${users[0].name}]; delete or change that edge label first.`)
      for (const e of all.filter((x) => x.kind === 'edge')) {
        const et = tableName(e)
        const gone =
          g.db.prepare(`DELETE FROM ${et} WHERE src IN (SELECT vid FROM ${t}) OR dst IN (SELECT vid FROM ${t})`).run().changes
        if (gone) {
          g.db.prepare(`DELETE FROM ${et}_in WHERE src IN (SELECT vid FROM ${t}) OR dst IN (SELECT vid FROM ${t})`).run()
          g.db.prepare('UPDATE labels SET count = count - ? WHERE kind = ? AND id = ?').run(gone, 'edge', e.id)
        }
      }
      g.db.prepare('DELETE FROM vertices WHERE label_id = ?').run(l.id)
    }
    const n = (g.db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n
    dropTables(g, l)
    g.db.prepare('DELETE FROM labels WHERE kind = ? AND id = ?').run(kind, l.id)
    return n
  })
}

/**
 * Adds fields to a label; existing rows get each field's value. Returns the rows of the label.
 * Throws label_not_found, invalid_schema ("Field [x] defined more than once.", a required field
 * without a value, a reserved column word), invalid_name (checkNewFieldName).
 */
export function addFields(g: GraphDb, kind: LabelKind, name: string, fields: NewField[]): number {
  return atomically(g, () => {
    const l = labelOf(g, kind, name)
    const props = [...l.def.properties]
    for (const f of fields) {
      checkNewFieldName(name, f.def.name) // the rule a label's creation applies to its fields
      if (props.some((p) => p.name === f.def.name)) throw graphError('invalid_schema', `Field [${f.def.name}] defined more than once.`)
      if (f.value === null && !f.def.optional) throw graphError('invalid_value', `Field [${f.def.name}] is not optional.`)
      props.push(f.def)
    }
    const def = { ...l.def, properties: props } as LabelDef
    return rebuild(g, l, def, (row) => [...l.def.properties.map((_, i) => row[i]), ...fields.map((f) => f.value)])
  })
}

/**
 * Deletes fields of a label. The primary field (and an edge's temporal field) cannot go: "Field [x]
 * cannot be deleted."; an unknown one: "Field [x] does not exist.". Returns the rows of the label.
 */
export function deleteFields(g: GraphDb, kind: LabelKind, name: string, names: string[]): number {
  return atomically(g, () => {
    const l = labelOf(g, kind, name)
    const gone = new Set(names.map((n) => fieldIndex(l, n)))
    for (const i of gone) {
      const p = l.def.properties[i]
      if ((l.def.type === 'VERTEX' && l.def.primary === p.name) || (l.def.type === 'EDGE' && l.def.temporal === p.name)) {
        throw graphError('invalid_schema', `Field [${p.name}] cannot be deleted.`)
      }
    }
    const kept = l.def.properties.map((_, i) => i).filter((i) => !gone.has(i))
    const def = { ...l.def, properties: kept.map((i) => l.def.properties[i]) } as LabelDef
    return rebuild(g, l, def, (row) => kept.map((i) => row[i]))
  })
}

/**
 * Changes the type and optional flag of fields (their index flags stay). Every row's value is
 * converted to the new type; one that does not convert, or a null in a field made required, fails
 * the whole change. Returns the rows of the label.
 */
export function modifyFields(g: GraphDb, kind: LabelKind, name: string, fields: PropertyDef[]): number {
  return atomically(g, () => {
    const l = labelOf(g, kind, name)
    const props = [...l.def.properties]
    for (const f of fields) {
      const i = fieldIndex(l, f.name)
      const isPrimary = l.def.type === 'VERTEX' && l.def.primary === f.name
      props[i] = { ...props[i], type: f.type, optional: isPrimary ? undefined : f.optional || undefined }
      if (!props[i].optional) delete props[i].optional
    }
    const def = { ...l.def, properties: props } as LabelDef
    return rebuild(
      g,
      l,
      def,
      (row) =>
        props.map((p, i) => {
          const before = l.def.properties[i]
          if (before.type === p.type) return row[i]
          try {
            return convert(before.type, p.type, row[i])
          } catch (e) {
            if (e instanceof ValueError) throw graphError('invalid_value', `Failed to set field [${p.name}]: Cannot convert input [${excerpt(String(storedToValue(before.type, row[i])))}] into type [${p.type}]`)
            throw e
          }
        }),
    )
  })
}

/** A stored value of one type as the stored value of another (TuGraph's field conversion, as text for strings). */
function convert(from: PropertyDef['type'], to: PropertyDef['type'], v: Stored): Stored {
  if (v === null) return null
  const value = storedToValue(from, v)
  if (to === 'STRING') return typeof value === 'string' ? value : typeof value === 'bigint' ? value.toString() : JSON.stringify(value)
  return typeof value === 'string' ? textToStored(to, value) : valueToStored(to, value)
}

/**
 * Indexes a vertex field (TuGraph db.addIndex) or an edge field (db.addEdgeIndex, where
 * `pairUnique` makes the value unique per (src, dst) pair). Throws "VertexIndex [l:f] already
 * exist." / "EdgeIndex [l:f] already exist." for an indexed field (a vertex's primary is),
 * invalid_schema for an optional unique field or a BLOB, and index_conflict when existing values
 * are not unique.
 */
export function addIndex(g: GraphDb, name: string, field: string, unique: boolean, kind: LabelKind = 'vertex', pairUnique = false): void {
  atomically(g, () => {
    const what = kind === 'vertex' ? 'VertexIndex' : 'EdgeIndex'
    const l = labelOf(g, kind, name)
    const i = fieldIndex(l, field)
    const p = l.def.properties[i]
    if (indexKind(l.def, p)) throw graphError('label_exists', `${what} [${name}:${field}] already exist.`)
    const next: PropertyDef = { ...p, index: true, ...(unique && !pairUnique ? { unique: true } : {}), ...(pairUnique ? { pair_unique: true } : {}) }
    const def = { ...l.def, properties: l.def.properties.map((x, k) => (k === i ? next : x)) } as LabelDef
    checkProperty(def, next)
    try {
      g.db.exec(indexDdl(tableName(l), i, indexKind(def, next))!)
    } catch (e) {
      if ((e as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') {
        throw graphError('index_conflict', `Failed to add unique index [${name}:${field}]: a value appears more than once${pairUnique ? ' between the same two vertices' : ''}.`)
      }
      throw e
    }
    saveDef(g, l, def)
  })
}

/**
 * Drops a vertex field's index (TuGraph db.deleteIndex) or an edge field's (db.deleteEdgeIndex):
 * "VertexIndex [l:f] does not exist." / "EdgeIndex [l:f] does not exist.", "Primary index [f] can
 * not be deleted.".
 */
export function deleteIndex(g: GraphDb, name: string, field: string, labelKind: LabelKind = 'vertex'): void {
  atomically(g, () => {
    const l = labelOf(g, labelKind, name)
    const i = fieldIndex(l, field)
    const p = l.def.properties[i]
    const kind = indexKind(l.def, p)
    if (kind === 'primary') throw graphError('invalid_schema', `Primary index [${field}] can not be deleted.`)
    if (!kind) throw graphError('label_not_found', `${labelKind === 'vertex' ? 'VertexIndex' : 'EdgeIndex'} [${name}:${field}] does not exist.`)
    g.db.exec(`DROP INDEX IF EXISTS ${tableName(l)}_p${i}`)
    const next: PropertyDef = { ...p }
    delete next.index
    delete next.unique
    delete next.pair_unique
    saveDef(g, l, { ...l.def, properties: l.def.properties.map((x, k) => (k === i ? next : x)) } as LabelDef)
  })
}

/**
 * Deletes every label, vertex and edge of the graph (TuGraph db.dropDB: DropAllData). Vertex ids
 * start from 0 again; table numbers and label ids are not reused. Import task records stay.
 */
export function dropAllData(g: GraphDb): void {
  atomically(g, () => {
    const all = g.labels()
    for (const l of all) dropTables(g, l)
    g.db.exec("DELETE FROM labels; DELETE FROM vertices; UPDATE meta SET value = '0' WHERE key = 'next_vid'")
  })
}

function dropTables(g: GraphDb, l: LabelRecord): void {
  const t = tableName(l)
  g.db.exec(`DROP TABLE IF EXISTS ${t}${l.kind === 'edge' ? `; DROP TABLE IF EXISTS ${t}_in` : ''}`)
}

/** Refuses a change that makes the graph's schema grow past MAX_SCHEMA_BYTES (one that shrinks it passes, even past the bound). */
function checkGrowth(g: GraphDb, l: LabelRecord, def: LabelDef): void {
  const growth = defBytes(def) - defBytes(l.def)
  if (growth > 0) g.checkSchemaBytes('schema', growth)
}

function saveDef(g: GraphDb, l: LabelRecord, def: LabelDef): void {
  checkGrowth(g, l, def)
  g.db.prepare('UPDATE labels SET def = ? WHERE kind = ? AND id = ?').run(JSON.stringify(def), l.kind, l.id)
}

/**
 * Copies a label's rows into new tables of layout `def` (row: the old values by property index →
 * the new ones), drops the old tables and points the label at the new ones. Returns the rows copied.
 */
function rebuild(g: GraphDb, l: LabelRecord, def: LabelDef, row: (old: Stored[]) => Stored[]): number {
  if (def.properties.length > MAX_FIELDS) throw graphError('invalid_name', `Invalid Field: number cannot exceed ${MAX_FIELDS}, given [${def.properties.length}].`)
  for (const p of def.properties) checkProperty(def, p)
  checkGrowth(g, l, def) // before any row is copied
  const tbl = g.nextNumber('next_tbl', g.labels().map((x) => x.tbl))
  g.setMeta('next_tbl', String(tbl + 1))
  const next: LabelRecord = { ...l, tbl, def }
  for (const sql of labelDdl(next)) g.db.exec(sql)
  const oldT = tableName(l)
  const newT = tableName(next)
  const n = def.properties.length
  const keys = l.kind === 'vertex' ? ['vid'] : ['src', 'dst', 'tid', 'eid']
  const insert = g.db.prepare(`INSERT INTO ${newT} (${[...keys, ...def.properties.map((_, i) => `p${i}`)].join(', ')}) VALUES (${[...keys, ...def.properties].map(() => '?').join(', ')})`)
  // pages by key: better-sqlite3 runs no other statement on a connection while one iterates
  const page = g.db
    .prepare(`SELECT * FROM ${oldT} WHERE (${keys.join(', ')}) > (${keys.map(() => '?').join(', ')}) ORDER BY ${keys.join(', ')} LIMIT ${REBUILD_PAGE}`)
    .safeIntegers(true)
  const oldProps = l.def.properties.length
  let after: Stored[] = keys.map(() => -1)
  let copied = 0
  for (;;) {
    const rows = page.all(...after) as Record<string, Stored>[]
    for (const r of rows) {
      const old: Stored[] = new Array(oldProps)
      for (let i = 0; i < oldProps; i++) old[i] = r[`p${i}`] ?? null
      const values = row(old)
      for (let i = 0; i < n; i++) {
        if (values[i] === null && !def.properties[i].optional) throw graphError('invalid_value', `Field [${def.properties[i].name}] is not optional.`)
      }
      try {
        insert.run(...keys.map((k) => r[k]), ...values)
      } catch (e) {
        if ((e as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') throw graphError('index_conflict', `Failed to index ${l.kind} with a changed field of label [${l.name}]: index value already exists.`)
        throw e
      }
      copied++
    }
    if (rows.length < REBUILD_PAGE) break
    const last = rows[rows.length - 1]
    after = keys.map((k) => last[k])
  }
  if (l.kind === 'edge') g.db.exec(`INSERT INTO ${newT}_in SELECT dst, tid, src, eid FROM ${oldT}_in`)
  dropTables(g, l)
  g.db.prepare('UPDATE labels SET tbl = ?, def = ? WHERE kind = ? AND id = ?').run(tbl, JSON.stringify(def), l.kind, l.id)
  return copied
}
