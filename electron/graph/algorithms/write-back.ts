// Writing an algorithm's per-vertex values into a vertex property, and the two rules that keep it
// from destroying data (#9, new-user HIGH: a PageRank written into `age INT64` rounded every age to
// 0 or 1): the result's type must fit the property's declared type (shared fitsProperty: no
// rounding, no conversion), and a property that already holds values is written only when the
// request says `overwrite: true`. Both are checked when the job is submitted (algorithm.service.ts,
// with the labels the graph worker reports) and again here, when the values are written: the schema
// or the data may change while the algorithm runs. A property no vertex label has is added (as
// Neo4j GDS's write mode creates one; #9 new-user trial 10): optional, of the result's type, to the
// labels with vertices, through the store's db.alterLabelAddFields path (label-edits addFields), in
// the transaction that writes the values, so a failed write leaves no property behind.
import type Database from 'better-sqlite3'
import { fitsProperty, writeBackNewPropertyLabels, type AlgorithmName, type AlgorithmSummary, type WriteBack } from '../../../shared/algorithms'
import { isAppError } from '../../../shared/errors'
import type { LabelDef, PropertyDef } from '../../../shared/graph'
import { graphError } from '../errors'
import type { GraphDb } from '../store/graph-db'
import { addFields } from '../store/label-edits'
import { tableName, type LabelRecord } from '../store/label-tables'
import { defBytes, MAX_FIELDS, requireSchemaBytes } from '../store/names'
import { checkNewFieldName } from '../store/schema'
import { valueToStored } from '../store/values'
import type { ResultTable } from './result-table'
import type { Snapshot } from './snapshot'

/** A vertex label as the checks read it: its name and definition. */
type VertexLabel = { name: string; def: LabelDef }

/**
 * Throws invalid_request (field writeBack.property) when `property` identifies the vertices of one of
 * `labels`: it is the label's primary property, or has a unique index (`index` with `unique`, as
 * schema.ts makes one). A write-back gives many vertices one value (WCC: a component's id), so a unique
 * index refused it only in the write, with SQLite's "UNIQUE constraint failed: v_0.p1" (#9, atk).
 * At submit (algorithm.service) and again in the write (writeBack), against the schema then.
 */
export function requireNonKeyProperty(property: string, labels: readonly VertexLabel[]): void {
  for (const l of labels) {
    if (l.def.type === 'VERTEX' && l.def.primary === property) throw graphError('invalid_request', `${property} is the primary property of vertex label [${l.name}]; write into another property`, { field: 'writeBack.property' })
    if (l.def.properties.some((p) => p.name === property && p.index && (p.unique || p.pair_unique))) {
      throw graphError('invalid_request', `${property} of vertex label [${l.name}] is unique-indexed: no two vertices may hold one value, and a write-back gives many vertices the same; write into a property without a unique index`, { field: 'writeBack.property' })
    }
  }
}

/**
 * Throws invalid_request (field writeBack.property) unless every vertex label that has `property`
 * declares a type `resultType` fits, naming the labels, the field's type and the result's type.
 * `resultType`: INT64, DOUBLE or STRING (a result column's type).
 */
export function requireFittingType(algorithm: AlgorithmName, resultType: string, property: string, labels: readonly VertexLabel[]): void {
  const misfits = labels.flatMap((l) => l.def.properties.filter((p) => p.name === property && !fitsProperty(resultType, p.type)).map((p) => `[${l.name}] is ${p.type}`))
  if (misfits.length === 0) return
  const into = resultType === 'DOUBLE' ? 'a DOUBLE property' : resultType === 'INT64' ? 'an integer or DOUBLE property' : `a ${resultType} property`
  throw graphError(
    'invalid_request',
    `writeBack.property: ${algorithm} gives ${resultType} values, but property ${property} of vertex label ${misfits.join(', of ')}; they would not be stored as computed (nothing is rounded or converted): write into ${into}, or a property of a new name added to the label`,
    { field: 'writeBack.property' },
  )
}

/**
 * Throws write_back_overwrites (409, field writeBack.overwrite) when `filled` names labels whose
 * `property` holds values and the request did not say overwrite: true.
 */
export function requireOverwriteAllowed(writeBack: WriteBack, filled: readonly string[]): void {
  if (writeBack.overwrite === true || filled.length === 0) return
  throw graphError(
    'write_back_overwrites',
    `property ${writeBack.property} of vertex label ${filled.map((l) => `[${l}]`).join(', ')} already holds values; writing back would replace them: set writeBack.overwrite to true to replace them, or write into another property`,
    { field: 'writeBack.overwrite' },
  )
}

/** The vertex labels of `g` whose `property` holds a value in at least one vertex (one indexed-or-scanned probe each, stopping at the first). */
export function labelsHoldingValues(g: GraphDb, property: string): string[] {
  const out: string[] = []
  for (const l of g.labels()) {
    if (l.kind !== 'vertex') continue
    const at = l.def.properties.findIndex((p) => p.name === property)
    if (at >= 0 && g.db.prepare(`SELECT 1 FROM ${tableName(l)} WHERE p${at} IS NOT NULL LIMIT 1`).get() !== undefined) out.push(l.name)
  }
  return out
}

/**
 * Throws invalid_request (field writeBack.property) unless `property` may be added to each of
 * `labels` as a new field: TuGraph's field-name rule, no reserved column word (checkNewFieldName,
 * with that rule's message), and room for one more property (a label holds at most MAX_FIELDS,
 * 1,024; a full one failed only in the write, after the algorithm had run: #9 atk2).
 */
export function requireNewPropertyName(property: string, labels: readonly VertexLabel[]): void {
  for (const { name: label, def } of labels) {
    try {
      checkNewFieldName(label, property)
    } catch (e) {
      if (isAppError(e)) throw graphError('invalid_request', `writeBack.property: ${property} cannot be added to vertex label [${label}]: ${e.message}`, { field: 'writeBack.property' })
      throw e
    }
    if (def.properties.length >= MAX_FIELDS) {
      throw graphError('invalid_request', `writeBack.property: ${property} cannot be added to vertex label [${label}]: it has ${def.properties.length} properties, the most a label may have (${MAX_FIELDS}); write into one of its properties, or delete one first`, { field: 'writeBack.property' })
    }
  }
}

/** The property a write-back adds to a label that lacks it: optional, of the result's type (`type`: INT64, DOUBLE or STRING). */
const addedProperty = (property: string, type: 'INT64' | 'DOUBLE' | 'STRING'): PropertyDef => ({ name: property, type, optional: true })

/** The store's refusal to add `property` to `labels` (invalid_schema, invalid_name) as the request's: invalid_request naming writeBack.property. */
function addRefusal(property: string, labels: readonly string[], e: unknown): unknown {
  if (!isAppError(e) || (e.code !== 'invalid_schema' && e.code !== 'invalid_name')) return e
  const which = labels.length === 1 ? `vertex label [${labels[0]}]` : `vertex labels ${labels.map((l) => `[${l}]`).join(', ')}`
  return graphError('invalid_request', `writeBack.property: ${property} cannot be added to ${which}: ${e.message}`, { field: 'writeBack.property' })
}

/**
 * At submit: throws invalid_request (field writeBack.property) when adding `property` of `type` to
 * the `adding` labels would take the graph's schema past MAX_SCHEMA_BYTES (requireSchemaBytes, the
 * store's rule), so the refusal does not wait until the algorithm has run (#9 LOW). `labels`: every
 * label of the graph with its definition (graphs.get). `type` is the one the result will have
 * (writeBackResultType): INT64 where a run may yet give STRING, a byte shorter, so what this refuses the
 * write refuses too.
 */
export function requireSchemaRoom(property: string, type: 'INT64' | 'DOUBLE' | 'STRING', labels: readonly VertexLabel[], adding: readonly string[]): void {
  let bytes = 0
  for (const l of labels) {
    bytes += defBytes(l.def)
    if (l.def.type === 'VERTEX' && adding.includes(l.name)) bytes += defBytes({ ...l.def, properties: [...l.def.properties, addedProperty(property, type)] }) - defBytes(l.def)
  }
  try {
    requireSchemaBytes(bytes, 'writeBack.property')
  } catch (e) {
    throw addRefusal(property, adding, e)
  }
}

/**
 * Writes each vertex's value into `writeBack.property` of its vertex label, in one IMMEDIATE
 * transaction. When no vertex label has the property, it is first added, optional and of the
 * result column's type, to every label with vertices (writeBackNewPropertyLabels, label-edits
 * addFields: the code path of db.alterLabelAddFields), in the same transaction: a write that fails
 * leaves the schema as it was. Labels without the property are skipped (counted). Checks first,
 * against the schema and data as they are now: the result column's type fits every label's
 * property (requireFittingType) and the property holds no values unless overwrite
 * (requireOverwriteAllowed). A value the property cannot hold (an integer past INT32's range) fails
 * the whole write: nothing is written. Returns the property, vertices written, vertices skipped and,
 * when it was added, the labels and type. Throws invalid_request (not one value per vertex, a
 * primary or unique-indexed property: requireNonKeyProperty, a name no field may have, no label has the property nor vertices),
 * write_back_overwrites, invalid_value.
 */
export function writeBack(g: GraphDb, s: Snapshot, table: ResultTable, algorithm: AlgorithmName, wb: WriteBack): NonNullable<AlgorithmSummary['writtenBack']> {
  const { property } = wb
  const vv = table.vertexValue
  if (!vv) throw graphError('invalid_request', 'this result is not one value per vertex, so it cannot be written back', { field: 'writeBack' })
  const resultType = (table.columns.find((c) => c.name === vv.column)?.type ?? 'DOUBLE') as 'DOUBLE' | 'INT64' | 'STRING'
  // inside the write transaction: no other writer changes the schema or fills the property between
  // these looks and the writes
  return g.db.transaction(() => {
    const vertexLabels = g.labels().filter((l) => l.kind === 'vertex')
    const adding = writeBackNewPropertyLabels(property, vertexLabels)
    requireNewPropertyName(property, vertexLabels.filter((l) => adding.includes(l.name)))
    for (const label of adding) {
      try {
        addFields(g, 'vertex', label, [{ def: addedProperty(property, resultType), value: null }])
      } catch (e) {
        // the store's refusal (a schema past MAX_SCHEMA_BYTES: "schema") names the request's field
        throw addRefusal(property, [label], e)
      }
    }
    const labels: LabelRecord[] = g.labels().filter((l) => l.kind === 'vertex' && l.def.properties.some((p) => p.name === property))
    requireNonKeyProperty(property, labels)
    if (labels.length === 0) throw graphError('invalid_request', `no vertex label has a property ${property}, and no label has vertices to add it to`, { field: 'writeBack.property' })
    requireFittingType(algorithm, resultType, property, labels)
    const targets = new Map<number, { sql: Database.Statement<[unknown, number]>; type: Parameters<typeof valueToStored>[0] }>()
    for (const l of labels) {
      const at = l.def.properties.findIndex((p) => p.name === property)
      targets.set(l.id, { sql: g.db.prepare<[unknown, number]>(`UPDATE ${tableName(l)} SET p${at} = ? WHERE vid = ?`), type: l.def.properties[at].type })
    }
    const labelOf = g.db.prepare<[number], number>('SELECT label_id FROM vertices WHERE vid = ?').pluck()
    let written = 0
    let skipped = 0
    requireOverwriteAllowed(wb, labelsHoldingValues(g, property))
    for (let r = 0; r < table.rows; r++) {
      const i = vv.index(r)
      const vid = s.vid(i)
      const t = targets.get(labelOf.get(vid) ?? -1)
      if (!t) {
        skipped++
        continue
      }
      let value: number | string | null = vv.value(r)
      if (typeof value === 'number' && !Number.isFinite(value)) value = null // an unreached distance
      let stored
      try {
        stored = valueToStored(t.type, value)
      } catch (e) {
        throw graphError('invalid_value', `vertex ${s.id(i)}: ${JSON.stringify(value)} does not fit property ${property} (${t.type}): ${(e as Error).message}; nothing was written`, { field: 'writeBack.property' })
      }
      t.sql.run(stored, vid)
      written++
    }
    return { property, vertices: written, skipped, ...(adding.length ? { added: { labels: adding, type: resultType } } : {}) }
  }).immediate()
}
