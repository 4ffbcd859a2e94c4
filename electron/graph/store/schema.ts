// Label definitions (reference/tugraph.md §2.1): parsing and validating a TuGraph schema
// description with TuGraph's texts, in its order of checks (tugraph-db: src/import/
// import_config_parser.h ParseSchema and CheckValid, src/core/lightning_graph.cpp AddLabel),
// and the comparison import_schema uses to stay idempotent.
import { PROPERTY_TYPES, type EdgeLabelDef, type LabelDef, type PropertyDef, type PropertyType, type VertexLabelDef } from '../../../shared/graph'
import { isAppError } from '../../../shared/errors'
import { graphError } from '../errors'
import { checkFieldName, checkLabelName, MAX_FIELDS, MAX_LABELS, RESERVED_COLUMNS } from './names'

type Json = Record<string, unknown>
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v)
const bad = (message: string, field?: string) => graphError('invalid_schema', message, field === undefined ? {} : { field })

/** The `schema` array of a schema description (a JSON object, or its text); throws AppError invalid_schema with TuGraph's message when there is none. */
function schemaArrayOf(description: unknown): unknown[] {
  let conf = description
  if (typeof conf === 'string') {
    try {
      conf = JSON.parse(conf)
    } catch {
      throw bad('Missing `schema` definition')
    }
  }
  if (!isObject(conf) || !('schema' in conf)) throw bad('Missing `schema` definition')
  if (!Array.isArray(conf.schema)) throw bad('"schema" is not array')
  return conf.schema
}

/**
 * Parses `{"schema": [label, ...]}` (a JSON object, or its text) into label definitions.
 * Throws AppError invalid_schema / invalid_name with TuGraph's message at the first problem.
 */
export function parseSchemaDescription(description: unknown): LabelDef[] {
  const labels = schemaArrayOf(description).map((s, i) => parseLabel(s, i))
  const seen = new Set<string>()
  for (const l of labels) {
    const key = `${l.type}:${l.label}`
    if (seen.has(key)) throw bad(`${l.type === 'VERTEX' ? 'Vertex' : 'Edge'} label [${l.label}] appears more than once!`)
    seen.add(key)
  }
  return labels
}

/** A label of a schema description that parseSchemaLabels refused: its index, its name if it has one, and why. */
export interface RefusedLabel {
  index: number
  /** The `label` it names (a string), null when it names none. */
  label: string | null
  code: string
  message: string
  /** The error's own field, when it names one. */
  field?: string
}

/**
 * parseSchemaDescription, label by label, for an import check: every label that parses is kept and
 * every one refused is listed with TuGraph's message, so one bad new label does not leave the labels
 * after it unknown (Check then blamed each of their files with "not found in schema", tfui L2). A
 * second definition of a label is refused as the parse refuses it. Throws AppError invalid_schema
 * (as parseSchemaDescription) only for a description with no `schema` array.
 */
export function parseSchemaLabels(description: unknown): { labels: LabelDef[]; refused: RefusedLabel[] } {
  const schema = schemaArrayOf(description)
  const labels: LabelDef[] = []
  const refused: RefusedLabel[] = []
  const seen = new Set<string>()
  for (const [i, s] of schema.entries()) {
    const named = isObject(s) && typeof s.label === 'string' ? s.label : null
    try {
      const l = parseLabel(s, i)
      const key = `${l.type}:${l.label}`
      if (seen.has(key)) throw bad(`${l.type === 'VERTEX' ? 'Vertex' : 'Edge'} label [${l.label}] appears more than once!`)
      seen.add(key)
      labels.push(l)
    } catch (e) {
      if (!isAppError(e)) throw e
      refused.push({ index: i, label: named, code: e.code, message: e.message, ...(e.field ? { field: e.field } : {}) })
    }
  }
  return { labels, refused }
}

function parseLabel(s: unknown, at: number): LabelDef {
  if (!isObject(s) || !('label' in s) || !('type' in s)) throw bad('Missing "label" or "type" definition')
  const name = checkLabelName(s.label)
  const isVertex = s.type === 'VERTEX' // TuGraph: anything else is an edge
  const props = s.properties
  if (isVertex) {
    if (!('primary' in s) || !('properties' in s)) throw bad(`Label[${name}]: Missing "primary" or "properties" definition`)
    if ('temporal' in s) throw bad(`Label[${name}]: "temporal" is not supported in Vertex`)
    if (Array.isArray(props) && props.some((p) => isObject(p) && 'pair_unique' in p)) {
      throw bad(`Label[${name}]: "pair_unique index" is not supported in Vertex`)
    }
  } else {
    if ('primary' in s) throw bad(`Label[${name}]: "primary" is not supported in Edge`)
    if (Array.isArray(props) && props.some((p) => isObject(p) && p.pair_unique === true && p.unique === true)) {
      throw bad(`Label[${name}]: pair_unique and unique configuration cannot occur simultaneously`)
    }
  }
  if (props !== undefined && !Array.isArray(props)) throw bad(`Label[${name}]: "properties" is not array`)
  const properties = (props ?? []).map((p) => parseProperty(name, p))
  if (s.detach_property !== undefined && typeof s.detach_property !== 'boolean') throw bad(`Label[${name}]: "detach_property" is not boolean`)
  const detach = s.detach_property === undefined ? {} : { detach_property: s.detach_property }
  if (properties.length > MAX_FIELDS) throw graphError('invalid_name', `Invalid Field: number cannot exceed ${MAX_FIELDS}, given [${properties.length}].`)
  const names = new Set<string>()
  for (const p of properties) {
    if (names.has(p.name)) throw bad(`Label[${name}]: Duplicate property definition: [${p.name}]`)
    names.add(p.name)
  }
  const def: LabelDef = isVertex ? vertexLabel(name, s, properties, detach) : edgeLabel(name, s, properties, detach, `schema[${at}].constraints`)
  for (const p of def.properties) checkProperty(def, p)
  return def
}

function vertexLabel(name: string, s: Json, properties: PropertyDef[], detach: object): VertexLabelDef {
  const primary = typeof s.primary === 'string' ? s.primary : ''
  const key = properties.find((p) => p.name === primary)
  if (!key) throw bad(`vertex label [${name}] has no primary`)
  if (key.optional) throw bad(`unique/primary index ${primary} should not be optional`)
  return { label: name, type: 'VERTEX', primary, properties, ...detach }
}

/**
 * Constraints one edge label may list: JobDesk's bound (TuGraph has none), as many as a graph's
 * labels. A request is refused before its list is walked, so a body of 270,000 pairs costs nothing;
 * writers check each edge against the list, and errors list it.
 */
export const MAX_CONSTRAINTS = MAX_LABELS

/**
 * An edge label's definition. Its constraints (at most MAX_CONSTRAINTS) are checked in one keyed
 * pass and may name at most MAX_LABELS vertex labels, as many as a graph can hold; a refusal names `field`.
 */
function edgeLabel(name: string, s: Json, properties: PropertyDef[], detach: object, field: string): EdgeLabelDef {
  const constraints: [string, string][] = []
  if (s.constraints !== undefined) {
    if (!Array.isArray(s.constraints)) throw bad(`Label[${name}]: "constraints" is not array`, field)
    if (s.constraints.length > MAX_CONSTRAINTS) throw bad(`Label[${name}]: "constraints" cannot list more than ${MAX_CONSTRAINTS} pairs, given [${s.constraints.length}]`, field)
    const pairs = new Set<string>()
    const named = new Set<string>()
    for (const c of s.constraints) {
      if (!Array.isArray(c) || c.length !== 2) throw bad(`Label[${name}]: "constraints" element size should be 2`, field)
      if (typeof c[0] !== 'string' || typeof c[1] !== 'string') throw bad(`Label[${name}]: "constraints" elements must be vertex label names`, field)
      const key = JSON.stringify(c) // unambiguous whatever the names hold
      if (pairs.has(key)) throw bad(`Duplicate constraints: [${c[0]}, ${c[1]}]`, field)
      pairs.add(key)
      named.add(c[0]).add(c[1])
      if (named.size > MAX_LABELS) throw bad(`Label[${name}]: "constraints" name more than ${MAX_LABELS} vertex labels, more than a graph can hold`, field)
      constraints.push([c[0], c[1]])
    }
  }
  const def: EdgeLabelDef = { label: name, type: 'EDGE', properties, constraints, ...detach }
  if (s.temporal !== undefined) {
    const t = properties.find((p) => p.name === s.temporal)
    if (!t) throw bad(`Label[${name}]: temporal field [${String(s.temporal)}] is not a property`)
    if (t.type !== 'INT64') throw bad(`edge label [${name}] temporal field [${t.name}] should be INT64`)
    def.temporal = t.name
    const order = s.temporal_order ?? 'ASC'
    if (order !== 'ASC' && order !== 'DESC') throw bad(`keyword [${String(order)}] is not a TemporalFieldOrder`)
    def.temporal_order = order
  }
  return def
}

const FLAGS = ['optional', 'index', 'unique', 'pair_unique', 'fulltext'] as const

/**
 * The name of a field about to be made on `label` (a label's creation, db.alterLabelAddFields): not a
 * file mapping's column word (RESERVED_COLUMNS: invalid_schema), and TuGraph's field-name rule with no
 * control or invisible character (checkFieldName: invalid_name). Returns the name.
 */
export function checkNewFieldName(label: string, name: unknown): string {
  if (typeof name === 'string' && RESERVED_COLUMNS.has(name)) throw bad(`Label[${label}]: Property name cannot be "SKIP" or "SRC_ID" or "DST_ID"`)
  return checkFieldName(name)
}

function parseProperty(label: string, p: unknown): PropertyDef {
  if (!isObject(p) || !('name' in p) || !('type' in p)) throw bad(`Label[${label}]: Missing "name" or "type" in "properties" definition`)
  const name = checkNewFieldName(label, p.name)
  if (!PROPERTY_TYPES.includes(p.type as PropertyType)) throw bad(`unknown keyword str: [${String(p.type)}]`)
  const def: PropertyDef = { name, type: p.type as PropertyType }
  for (const flag of FLAGS) {
    if (p[flag] === undefined) continue
    if (typeof p[flag] !== 'boolean') throw bad(`Label[${label}]: "${flag}" of property [${name}] must be true or false`)
    if (p[flag]) def[flag] = true
  }
  return def
}

/** TuGraph's ColumnSpec::CheckValid, on a property in the context of its label. Throws invalid_schema. */
export function checkProperty(def: LabelDef, p: PropertyDef): void {
  const isPrimary = def.type === 'VERTEX' && def.primary === p.name
  const uniqueIndex = isPrimary || (p.index && (p.unique || p.pair_unique))
  if (uniqueIndex && p.optional) throw bad(`unique/primary index ${p.name} should not be optional`)
  if (p.type === 'BLOB' && (p.index || isPrimary)) throw bad(`BLOB field ${p.name} should not be indexed`)
  if (p.fulltext && p.type !== 'STRING') throw bad(`fulltext index ${p.name} only supports STRING type`)
}

/** How a property is indexed: the primary and `unique` indexes are unique; `unique` without `index` creates nothing (TuGraph). */
export function indexKind(def: LabelDef, p: PropertyDef): 'primary' | 'unique' | 'pair_unique' | 'index' | null {
  if (def.type === 'VERTEX' && def.primary === p.name) return 'primary'
  if (!p.index) return null
  if (p.pair_unique && def.type === 'EDGE') return 'pair_unique'
  return p.unique ? 'unique' : 'index'
}

/** The parts of a label import_schema compares (tugraph-db LabelDesc::operator==): name, kind, and per property its type, optional, index, temporal, fulltext. */
function comparable(def: LabelDef): string {
  const columns = def.properties
    .map((p) => ({
      name: p.name,
      type: p.type,
      optional: !!p.optional,
      index: indexKind(def, p),
      temporal: def.type === 'EDGE' && def.temporal === p.name,
      fulltext: !!p.fulltext,
    }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  return JSON.stringify({ label: def.label, type: def.type, columns })
}

export const sameLabel = (a: LabelDef, b: LabelDef): boolean => comparable(a) === comparable(b)

/** TuGraph's LabelDesc::ToString, used in the "not comparable" message. */
export function describeLabel(def: LabelDef): string {
  const columns = def.properties.map((p) =>
    JSON.stringify({
      name: p.name,
      type: p.type,
      primary: def.type === 'VERTEX' && def.primary === p.name,
      index: indexKind(def, p) !== null,
      optional: !!p.optional,
    }),
  )
  return `label type:[${def.type === 'VERTEX' ? 'vertex' : 'edge'}] name:[${def.label}], columns:[${columns.join(', ')}]`
}
