// CALL procedure(...) [YIELD ...]: TuGraph's built-in procedures (reference/tugraph.md §4.1;
// tugraph-db src/cypher/procedure/procedure.h) that UIs and tools call. A procedure gives rows
// of named outputs; YIELD picks and renames them; a standalone CALL returns them all. Void
// procedures (createVertexLabel, …) return no rows, as TuGraph's `[]`.
import type { LabelDef, PropertyDef, PropertyType } from '../../../shared/graph'
import { PROPERTY_TYPES } from '../../../shared/graph'
import { parseSchemaDescription } from '../store/schema'
import { addFields, addIndex, deleteFields, deleteIndex, deleteLabel, dropAllData, modifyFields, type NewField } from '../store/label-edits'
import type { LabelRecord } from '../store/label-tables'
import { valueToStored, ValueError, type Stored } from '../store/values'
import type { Clause } from './ast'
import { encodeValue } from './encode'
import { CHANGING_A_GRAPH, DROPPING_A_GRAPH, graphError, refuseWhileImporting } from '../errors'
import { cypherError, runtimeError } from './errors'
import { compile, type EvalContext } from './expressions'
import { shortestPathsBetween } from './match'
import type { Row, Scope } from './scope'
import { EdgeV, fromJs, isMap, newMap, NodeV, type MapV, type PathV, type Value } from './values'
import { typeName } from './values'
import { requireWriter, type WriteContext } from './writes'
import { sizeOf } from './value-budget'
import { diskNearlyFull } from '../../disk-reserve'

/** Graph management the dbms.graph.* procedures need (provided by the worker that runs the query). */
export interface GraphCatalog {
  list(): { name: string; description: string; maxSizeGb: number }[]
  create(name: string, description: string, maxSizeGb: number): void
  drop(name: string): void
}

type Ctx = EvalContext & WriteContext

interface Procedure {
  name: string
  signature: string
  /** Writes to the graph: the statement runs in a write transaction. */
  writes: boolean
  outputs: string[]
  run(args: Value[], c: Ctx): Value[][]
  /**
   * Of a procedure that drops a graph: the graph `args` name, after the checks its run makes first
   * (throws as run would: not_admin, a name that is not a string, the query's own graph). A statement
   * planned only (execute.ts QueryEnv.planOnly) answers it, so GraphHost refuses a graph an import holds before it runs.
   */
  dropsGraph?(args: Value[], c: Ctx): string
}

const str = (proc: string, v: Value, what: string): string => {
  if (typeof v !== 'string') throw runtimeError(`${proc}: ${what} must be a string, got ${typeName(v)}.`)
  return v
}

const kindOf = (proc: string, v: Value): 'vertex' | 'edge' => {
  const k = str(proc, v, 'the label type').toLowerCase()
  if (k !== 'vertex' && k !== 'edge') throw runtimeError(`${proc}: label type must be "vertex" or "edge", got ${JSON.stringify(k)}.`)
  return k
}

function labelOf(c: Ctx, kind: 'vertex' | 'edge', name: string): LabelRecord {
  return kind === 'vertex' ? c.view.vertexLabel(name) : c.view.edgeLabel(name)
}

/** A property type given as a string or bare word, any case (TuGraph). */
function propertyType(proc: string, v: Value): PropertyType {
  const t = str(proc, v, 'a field type').toUpperCase() as PropertyType
  if (!PROPERTY_TYPES.includes(t)) throw runtimeError(`${proc}: unknown field type ${JSON.stringify(v)}.`)
  return t
}

/** (name, type, optional) triples from a flat argument list. */
function fieldTriples(proc: string, args: Value[]): PropertyDef[] {
  if (args.length % 3 !== 0) throw runtimeError(`${proc}: fields come as (name, type, optional) triples.`)
  const out: PropertyDef[] = []
  for (let i = 0; i < args.length; i += 3) {
    const p: PropertyDef = { name: str(proc, args[i], 'a field name'), type: propertyType(proc, args[i + 1]) }
    if (args[i + 2] === true) p.optional = true
    out.push(p)
  }
  return out
}

/**
 * Creates a label from a procedure's arguments (db.createVertexLabel, db.createEdgeLabel,
 * db.createLabel): `extra` is a vertex label's primary field or an edge label's constraints.
 */
function createLabel(c: Ctx, proc: string, kind: 'vertex' | 'edge', label: Value, extra: Value, fields: PropertyDef[]): void {
  const name = str(proc, label, 'the label')
  const exists = () => cypherError('cypher_runtime', `${kind === 'vertex' ? 'Vertex' : 'Edge'} label [${name}] already exists.`)
  if (c.view.labels.some((l) => l.kind === kind && l.name === name)) throw exists()
  const def =
    kind === 'vertex'
      ? { label: name, type: 'VERTEX', primary: str(proc, extra, 'the primary field'), properties: fields }
      : { label: name, type: 'EDGE', constraints: parseConstraints(extra), properties: fields }
  const { created } = c.view.g.addLabels(parseSchemaDescription({ schema: [def] }))
  if (!created.length) throw exists()
  c.view.reload()
}

/**
 * Runs a change of the graph's schema (label-edits.ts), then reads the schema again. Changing or
 * dropping existing labels and db.dropDB take an admin (TuGraph: "Admin access right required.").
 * Index changes (`ownerMay`) also the graph's owner: a statement that writes reaches a procedure
 * only when graph-rights.ts found its actor the owner or an admin (execute.ts refuses the others
 * with env.readOnly, in the dialect's envelope), as for the graph's data.
 */
function changeSchema<T>(c: Ctx, fn: () => T, ownerMay = false): T {
  requireWriter(c)
  if (!ownerMay) requireAdmin(c, 'Admin access right required.')
  // an import writes the existing labels' tables: they stay as they are while it runs, as the graph
  // itself does (the native drop's rule)
  refuseWhileImporting(c.env.busyGraphs, c.view.g.name, CHANGING_A_GRAPH)
  const out = fn()
  c.view.reload()
  c.view.changed()
  return out
}

/** The argument count TuGraph's CYPHER_ARG_CHECK asks for, with its usage text. */
function arity(args: Value[], n: number, usage: string): void {
  if (args.length !== n) throw runtimeError(`need ${n} parameters, e.g. ${usage}`)
}

/** db.alterLabel*Fields: (label_type, label_name, …) → one row {record_affected}. */
function alterFields(proc: string, args: Value[], c: Ctx, fn: (kind: 'vertex' | 'edge', label: string, rest: Value[]) => number): Value[][] {
  if (args.length < 3) throw runtimeError(`${proc}: takes 3 or more arguments (label_type, label_name, fields…).`)
  const kind = kindOf(proc, args[0])
  const label = str(proc, args[1], 'the label')
  return [[BigInt(changeSchema(c, () => fn(kind, label, args.slice(2))))]]
}

/**
 * db.alterLabelAddFields' field specs: [name, type, default value, optional] lists, one argument
 * each. Specs given as one list of lists (a common slip) are refused with the call written right.
 */
function newFields(proc: string, specs: Value[], kind: string, label: string): NewField[] {
  const [first] = specs
  if (specs.length === 1 && Array.isArray(first) && first.length > 0 && first.every(Array.isArray)) {
    const example = [kind, label].map(literal).concat(first.map((s) => `[${(s as Value[]).map(literal).join(', ')}]`)).join(', ')
    throw runtimeError(`${proc}: each field spec is its own argument, not one list of them: CALL ${proc}(${example})`)
  }
  return specs.map((s) => {
    if (!Array.isArray(s) || s.length !== 4 || typeof s[3] !== 'boolean') throw runtimeError('Each FieldSpec must be a list of (name, type, default_value, optional)')
    const [def] = fieldTriples(proc, [s[0], s[1], s[3]])
    let value: Stored
    try {
      value = valueToStored(def.type, toStoreInput(s[2]))
    } catch (e) {
      if (e instanceof ValueError) throw cypherError('invalid_value', `Failed to set field [${def.name}]: ${e.message}`)
      throw e
    }
    return { def, value }
  })
}

/** A scalar field-spec value as Cypher text, for an example call: 'text', 1, 0.0, true, null. */
function literal(v: Value): string {
  if (typeof v === 'string') return `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`
  if (typeof v === 'number') return Number.isInteger(v) ? v.toFixed(1) : String(v)
  if (typeof v === 'bigint' || typeof v === 'boolean' || v === null) return String(v)
  return '…'
}

/** [name, type, optional] lists (db.alterLabelModFields, db.createLabel). */
function fieldLists(proc: string, specs: Value[]): PropertyDef[] {
  return fieldTriples(proc, specs.flatMap((s) => (Array.isArray(s) ? [s[0] ?? null, s[1] ?? null, s[2] ?? false] : [s])))
}

function schemaMap(l: LabelRecord): MapV {
  const def: LabelDef = l.def
  const m = fromJs({
    label: def.label,
    type: def.type,
    ...(def.type === 'VERTEX' ? { primary: def.primary } : { constraints: def.constraints }),
    properties: def.properties.map((p) => ({ name: p.name, type: p.type, optional: !!p.optional, ...(p.index ? { index: true, unique: !!p.unique } : {}) })),
  }) as MapV
  return m
}

function toStoreInput(v: Value): unknown {
  if (typeof v === 'bigint') return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v
  if (Array.isArray(v)) return v.map(toStoreInput)
  return v
}

/** A map of values checked against a label: stored values by property index, or the reason it is bad. */
function storedValues(l: LabelRecord, m: MapV): { values: (Stored | undefined)[] } | { error: string } {
  const props = l.def.properties
  const values: (Stored | undefined)[] = props.map(() => undefined)
  for (const [k, v] of Object.entries(m)) {
    const i = props.findIndex((p) => p.name === k)
    if (i < 0) return { error: `Field [${k}] does not exist.` }
    try {
      values[i] = valueToStored(props[i].type, toStoreInput(v))
    } catch (e) {
      if (e instanceof ValueError) return { error: e.message }
      throw e
    }
  }
  return { values }
}

function upsertVertex(args: Value[], c: Ctx): Value[][] {
  const [labelName, list] = args
  const l = c.view.vertexLabel(str('db.upsertVertex', labelName, 'the label'))
  if (!Array.isArray(list)) throw runtimeError('db.upsertVertex: the second argument must be a list of maps.')
  const { w, edits } = requireWriter(c)
  refuseWhileImporting(c.env.busyGraphs, c.view.g.name, CHANGING_A_GRAPH) // it writes the tables an import is writing, as CREATE does
  const t = c.view.vertexTable(l)
  const stats = { total: 0n, data_error: 0n, index_conflict: 0n, insert: 0n, update: 0n }
  for (const item of list) {
    c.budget.tick()
    stats.total++
    if (!isMap(item)) {
      stats.data_error++
      continue
    }
    const r = storedValues(l, item)
    const key = 'values' in r ? r.values[t.primaryIndex] : undefined
    if (!('values' in r) || key === undefined || key === null) {
      stats.data_error++
      continue
    }
    const existing = c.view.byPrimary(l, key)
    try {
      if (existing) {
        r.values.forEach((v, i) => v !== undefined && i !== t.primaryIndex && edits.setVertexProperty(l, existing.vid, i, v))
        stats.update++
      } else {
        const values = r.values.map((v) => v ?? null)
        const vid = w.addVertex(t, values)
        if (vid === null) {
          stats.index_conflict++
          continue
        }
        stats.insert++
      }
    } catch (e) {
      const code = (e as { code?: string }).code
      if (code === 'index_conflict') stats.index_conflict++
      else if (code === 'invalid_value') stats.data_error++
      else throw e
    }
  }
  c.view.changed()
  return [[stats.total, stats.data_error, stats.index_conflict, stats.insert, stats.update]]
}

function upsertEdge(args: Value[], c: Ctx): Value[][] {
  const [labelName, startSpec, endSpec, list] = args
  const l = c.view.edgeLabel(str('db.upsertEdge', labelName, 'the label'))
  const spec = (v: Value, which: string) => {
    if (!isMap(v) || typeof v.type !== 'string' || typeof v.key !== 'string') throw runtimeError(`db.upsertEdge: the ${which} must be a map {type: <vertex label>, key: <field>}.`)
    return { label: c.view.vertexLabel(v.type), key: v.key }
  }
  const start = spec(startSpec, 'start spec')
  const end = spec(endSpec, 'end spec')
  if (!Array.isArray(list)) throw runtimeError('db.upsertEdge: the fourth argument must be a list of maps.')
  const { w, edits } = requireWriter(c)
  refuseWhileImporting(c.env.busyGraphs, c.view.g.name, CHANGING_A_GRAPH)
  const t = c.view.edgeTable(l)
  const stats = { total: 0n, data_error: 0n, index_conflict: 0n, insert: 0n, update: 0n }
  // `key` names the item's field that holds the endpoint's primary key
  const endpoint = (s: { label: LabelRecord; key: string }, v: Value) => {
    const i = c.view.vertexTable(s.label).primaryIndex
    if (i < 0 || v === null || v === undefined) return null
    try {
      return c.view.byPrimary(s.label, valueToStored(s.label.def.properties[i].type, toStoreInput(v)))
    } catch {
      return null
    }
  }
  for (const item of list) {
    c.budget.tick()
    stats.total++
    if (!isMap(item)) {
      stats.data_error++
      continue
    }
    const src = endpoint(start, item[start.key] ?? null)
    const dst = endpoint(end, item[end.key] ?? null)
    const rest = newMap()
    for (const [k, v] of Object.entries(item)) if (k !== start.key && k !== end.key) rest[k] = v
    const r = storedValues(l, rest)
    if (!src || !dst || !('values' in r)) {
      stats.data_error++
      continue
    }
    try {
      const existing = c.view.edges(src.vid, 'out', [l]).find((e) => e.dst === dst.vid)
      if (existing) {
        r.values.forEach((v, i) => v !== undefined && edits.setEdgeProperty(l, existing, i, v))
        stats.update++
      } else {
        w.addEdge(t, src.vid, dst.vid, 0, r.values.map((v) => v ?? null))
        stats.insert++
      }
    } catch (e) {
      const code = (e as { code?: string }).code
      if (code === 'index_conflict') stats.index_conflict++
      else if (code === 'invalid_value') stats.data_error++
      else throw e
    }
  }
  return [[stats.total, stats.data_error, stats.index_conflict, stats.insert, stats.update]]
}

/** Bytes an element's encoded object and JSON text count for, besides the element (its properties twice over). */
const ENCODED = 256

function subgraph(args: Value[], c: Ctx): Value[][] {
  const ids = args[0]
  if (!Array.isArray(ids)) throw runtimeError('db.subgraph: the argument must be a list of vertex ids.')
  const nodes = ids.map((v) => (typeof v === 'bigint' ? c.view.node(Number(v)) : null)).filter((n): n is NodeV => n !== null)
  const vids = new Set(nodes.map((n) => n.vid))
  const rels: EdgeV[] = []
  // every vertex and edge is held, then encoded and spelled out in one JSON text: within the value budget
  const held = c.budget.values
  for (const n of nodes) {
    c.budget.tick()
    c.view.props(n)
    held.hold(ENCODED + sizeOf(n), 'db.subgraph()')
    for (const e of c.view.edges(n.vid, 'out', [])) {
      c.budget.tick()
      if (!vids.has(e.dst)) continue
      held.hold(ENCODED + sizeOf(e), 'db.subgraph()')
      rels.push(e)
    }
  }
  return [[JSON.stringify({ nodes: nodes.map((n) => encodeValue(n)), relationships: rels.map((e) => encodeValue(e)) })]]
}

function shortest(args: Value[], c: Ctx, all: boolean): Value[][] {
  const [a, b, config] = args
  if (!(a instanceof NodeV) || !(b instanceof NodeV)) throw runtimeError(`algo.${all ? 'allShortestPaths' : 'shortestPath'}: the first two arguments must be vertices.`)
  const conf = isMap(config) ? config : newMap()
  const relQuery = conf.relationshipQuery
  const types = typeof relQuery === 'string' ? [c.view.edgeLabel(relQuery)] : []
  const maxHops = typeof conf.maxHops === 'bigint' ? Number(conf.maxHops) : 10
  const direction = conf.direction === 'PointingRight' ? 'out' : conf.direction === 'PointingLeft' ? 'in' : 'both'
  const paths = shortestPathsBetween(a, b, { dir: direction, types, maxHops, all }, c)
  if (!all) {
    const p = paths[0]
    return p ? [[BigInt(p.nodes.length), p.edges.length, p]] : []
  }
  return paths.map((p) => [p.nodes.map((n) => BigInt(n.vid)), p.edges.map((e) => e.key), p.edges.length])
}

/** A procedure that changes the graph and yields no rows (TuGraph's `:: ()` signatures): named by its signature, run in a write transaction. */
const graphChange = (signature: string, run: (args: Value[], c: Ctx) => void): Procedure => ({
  name: signature.slice(0, signature.indexOf('(')),
  signature,
  writes: true,
  outputs: [],
  run: (args, c) => {
    run(args, c)
    return []
  },
})

const PROCEDURES: Procedure[] = [
  { name: 'db.vertexLabels', signature: 'db.vertexLabels() :: (label::STRING)', writes: false, outputs: ['label'], run: (_a, c) => c.view.vertexLabels().map((l) => [l.name]) },
  { name: 'db.edgeLabels', signature: 'db.edgeLabels() :: (label::STRING)', writes: false, outputs: ['label'], run: (_a, c) => c.view.edgeLabels().map((l) => [l.name]) },
  graphChange('db.createVertexLabel(label_name::STRING,field_specs::LIST) :: ()', ([label, primary, ...fields], c) => {
    createLabel(c, 'db.createVertexLabel', 'vertex', label, primary, fieldTriples('db.createVertexLabel', fields))
  }),
  graphChange('db.createEdgeLabel(type_name::STRING,field_specs::LIST) :: ()', ([label, constraints, ...fields], c) => {
    createLabel(c, 'db.createEdgeLabel', 'edge', label, constraints, fieldTriples('db.createEdgeLabel', fields))
  }),
  graphChange('db.createLabel(label_type::STRING,label_name::STRING,extra::STRING,field_specs::LIST) :: ()', ([kind, label, extra, ...specs], c) => {
    createLabel(c, 'db.createLabel', kindOf('db.createLabel', kind), label, extra, fieldLists('db.createLabel', specs))
  }),
  {
    name: 'db.getLabelSchema',
    signature: 'db.getLabelSchema(label_type::STRING,label_name::STRING) :: (name::STRING,type::STRING,optional::BOOLEAN)',
    writes: false,
    outputs: ['name', 'type', 'optional'],
    run: ([kind, label], c) => labelOf(c, kindOf('db.getLabelSchema', kind), str('db.getLabelSchema', label, 'the label')).def.properties.map((p) => [p.name, p.type, !!p.optional]),
  },
  { name: 'db.getVertexSchema', signature: 'db.getVertexSchema(label::STRING) :: (schema::MAP)', writes: false, outputs: ['schema'], run: ([label], c) => [[schemaMap(c.view.vertexLabel(str('db.getVertexSchema', label, 'the label')))]] },
  { name: 'db.getEdgeSchema', signature: 'db.getEdgeSchema(label::STRING) :: (schema::MAP)', writes: false, outputs: ['schema'], run: ([label], c) => [[schemaMap(c.view.edgeLabel(str('db.getEdgeSchema', label, 'the label')))]] },
  graphChange('db.deleteLabel(label_type::STRING,label_name::STRING) :: ()', (args, c) => {
    arity(args, 2, 'db.deleteLabel(label_type, label_name)')
    const kind = kindOf('db.deleteLabel', args[0])
    const label = str('db.deleteLabel', args[1], 'the label')
    changeSchema(c, () => deleteLabel(c.view.g, kind, label))
  }),
  {
    name: 'db.alterLabelDelFields',
    signature: 'db.alterLabelDelFields(label_type::STRING,label_name::STRING,del_fields::LIST) :: (record_affected::INTEGER)',
    writes: true,
    outputs: ['record_affected'],
    run: (args, c) =>
      alterFields('db.alterLabelDelFields', args, c, (kind, label, [names]) => {
        if (args.length !== 3 || !Array.isArray(names)) throw runtimeError('db.alterLabelDelFields: del_fields must be a list of field names.')
        return deleteFields(c.view.g, kind, label, names.map((n) => str('db.alterLabelDelFields', n, 'a field name')))
      }),
  },
  {
    name: 'db.alterLabelAddFields',
    signature: 'db.alterLabelAddFields(label_type::STRING,label_name::STRING,add_field_spec_values::LIST) :: (record_affected::INTEGER)',
    writes: true,
    outputs: ['record_affected'],
    run: (args, c) => alterFields('db.alterLabelAddFields', args, c, (kind, label, specs) => addFields(c.view.g, kind, label, newFields('db.alterLabelAddFields', specs, kind, label))),
  },
  {
    name: 'db.alterLabelModFields',
    signature: 'db.alterLabelModFields(label_type::STRING,label_name::STRING,mod_field_specs::LIST) :: (record_affected::INTEGER)',
    writes: true,
    outputs: ['record_affected'],
    run: (args, c) => alterFields('db.alterLabelModFields', args, c, (kind, label, specs) => modifyFields(c.view.g, kind, label, fieldLists('db.alterLabelModFields', specs))),
  },
  graphChange('db.addIndex(label_name::STRING,field_name::STRING,unique::BOOLEAN) :: ()', (args, c) => {
    arity(args, 3, 'db.addIndex(label_name, field_name, unique)')
    const [label, field, unique] = args
    if (typeof unique !== 'boolean') throw runtimeError('unique type should be boolean')
    changeSchema(c, () => addIndex(c.view.g, str('db.addIndex', label, 'label_name'), str('db.addIndex', field, 'field_name'), unique), true)
  }),
  graphChange('db.deleteIndex(label_name::STRING,field_name::STRING) :: ()', (args, c) => {
    arity(args, 2, 'db.deleteIndex(label_name, field_name)')
    changeSchema(c, () => deleteIndex(c.view.g, str('db.deleteIndex', args[0], 'label_name'), str('db.deleteIndex', args[1], 'field_name')), true)
  }),
  graphChange('db.addEdgeIndex(label_name::STRING,field_name::STRING,unique::BOOLEAN,pair_unique::BOOLEAN) :: ()', (args, c) => {
    arity(args, 4, 'db.addEdgeIndex(label_name, field_name, unique, pair_unique)')
    const [label, field, unique, pairUnique] = args
    if (typeof unique !== 'boolean') throw runtimeError('unique type should be boolean')
    if (typeof pairUnique !== 'boolean') throw runtimeError('pair_unique type should be boolean')
    changeSchema(c, () => addIndex(c.view.g, str('db.addEdgeIndex', label, 'label_name'), str('db.addEdgeIndex', field, 'field_name'), unique, 'edge', pairUnique), true)
  }),
  graphChange('db.deleteEdgeIndex(label_name::STRING,field_name::STRING) :: ()', (args, c) => {
    arity(args, 2, 'db.deleteEdgeIndex(label_name, field_name)')
    changeSchema(c, () => deleteIndex(c.view.g, str('db.deleteEdgeIndex', args[0], 'label_name'), str('db.deleteEdgeIndex', args[1], 'field_name'), 'edge'), true)
  }),
  // TuGraph flushes its store to disk; here the graph file's write-ahead log is copied into the
  // file (a checkpoint, synced) once the statement has committed. Readers are not waited for.
  graphChange('db.flushDB() :: ()', (args, c) => {
    if (args.length) throw runtimeError(`Function requires 0 arguments, but ${args.length} are given. Usage: db.flushDB()`)
    requireWriter(c)
    const g = c.view.g
    ;(c.afterCommit ??= []).push(() => g.db.pragma('wal_checkpoint(PASSIVE)'))
  }),
  graphChange('db.dropDB() :: ()', (args, c) => {
    if (args.length) throw runtimeError(`Function requires 0 arguments, but ${args.length} are given. Usage: db.dropDB()`)
    changeSchema(c, () => {
      dropAllData(c.view.g)
      c.writer!.restart()
    })
  }),
  {
    name: 'db.indexes',
    signature: 'db.indexes() :: (label::STRING,field::STRING,label_type::STRING,unique::BOOLEAN,pair_unique::BOOLEAN)',
    writes: false,
    outputs: ['label', 'field', 'label_type', 'unique', 'pair_unique'],
    run: (_a, c) =>
      c.view.labels.flatMap((l) =>
        l.def.properties
          .filter((p) => p.index || (l.def.type === 'VERTEX' && l.def.primary === p.name))
          .map((p) => [l.name, p.name, l.kind, !!p.unique || (l.def.type === 'VERTEX' && l.def.primary === p.name), !!p.pair_unique]),
      ),
  },
  { name: 'db.subgraph', signature: 'db.subgraph(vids::LIST) :: (subgraph::STRING)', writes: false, outputs: ['subgraph'], run: subgraph },
  { name: 'db.upsertVertex', signature: 'db.upsertVertex(label_name::STRING,list_data::LIST) :: (total::INTEGER,data_error::INTEGER,index_conflict::INTEGER,insert::INTEGER,update::INTEGER)', writes: true, outputs: ['total', 'data_error', 'index_conflict', 'insert', 'update'], run: upsertVertex },
  { name: 'db.upsertEdge', signature: 'db.upsertEdge(label_name::STRING,start_spec::MAP,end_spec::MAP,list_data::LIST) :: (total::INTEGER,data_error::INTEGER,index_conflict::INTEGER,insert::INTEGER,update::INTEGER)', writes: true, outputs: ['total', 'data_error', 'index_conflict', 'insert', 'update'], run: upsertEdge },
  {
    name: 'dbms.procedures',
    signature: 'dbms.procedures() :: (name::STRING,signature::STRING,read_only::BOOLEAN)',
    writes: false,
    outputs: ['name', 'signature', 'read_only'],
    run: () => PROCEDURES.map((p) => [p.name, p.signature, !p.writes]),
  },
  {
    name: 'dbms.graph.listGraphs',
    signature: 'dbms.graph.listGraphs() :: (graph_name::STRING,configuration::MAP)',
    writes: false,
    outputs: ['graph_name', 'configuration'],
    run: (_a, c) => catalog(c).list().map((g) => [g.name, fromJs({ description: g.description, max_size_GB: g.maxSizeGb })]),
  },
  {
    name: 'dbms.graph.createGraph',
    signature: 'dbms.graph.createGraph(graph_name::STRING, description::STRING, max_size_GB::INTEGER) :: ()',
    writes: false,
    outputs: [],
    run: ([name, description, size], c) => {
      requireAdmin(c, 'Non-admin cannot create graphs.')
      if (c.env.diskFull !== undefined) throw diskNearlyFull(c.env.diskFull) // a new graph file, like a write (execute.ts growsGraph)
      catalog(c).create(str('dbms.graph.createGraph', name, 'the graph name'), typeof description === 'string' ? description : '', typeof size === 'bigint' ? Number(size) : 0)
      return []
    },
  },
  {
    name: 'dbms.graph.deleteGraph',
    signature: 'dbms.graph.deleteGraph(graph_name::STRING) :: ()',
    writes: false,
    outputs: [],
    dropsGraph: deletedGraph,
    run: (args, c) => {
      const n = deletedGraph(args, c)
      refuseWhileImporting(c.env.busyGraphs, n, DROPPING_A_GRAPH) // GraphHost refused it already as of the statement's plan; this is as of its run
      catalog(c).drop(n)
      return []
    },
  },
  {
    name: 'dbms.meta.count',
    signature: 'dbms.meta.count() :: (type::STRING,number::INTEGER)',
    writes: false,
    outputs: ['type', 'number'],
    run: (_a, c) => {
      const labels = c.view.g.labels()
      const sum = (k: string) => BigInt(labels.filter((l) => l.kind === k).reduce((n, l) => n + l.count, 0))
      return [
        ['vertex', sum('vertex')],
        ['edge', sum('edge')],
      ]
    },
  },
  { name: 'algo.shortestPath', signature: 'algo.shortestPath(startNode::NODE,endNode::NODE,config::MAP) :: (nodeCount::INTEGER,totalCost::FLOAT,path::PATH)', writes: false, outputs: ['nodeCount', 'totalCost', 'path'], run: (a, c) => shortest(a, c, false) },
  { name: 'algo.allShortestPaths', signature: 'algo.allShortestPaths(startNode::NODE,endNode::NODE,config::MAP) :: (nodeIds::LIST,relationshipIds::LIST,cost::LIST)', writes: false, outputs: ['nodeIds', 'relationshipIds', 'cost'], run: (a, c) => shortest(a, c, true) },
]

/** TuGraph procedures this JobDesk does not run (yet): they answer that, by name. */

function parseConstraints(v: Value): [string, string][] {
  let x: unknown = v
  if (typeof v === 'string') {
    try {
      x = JSON.parse(v || '[]')
    } catch {
      throw runtimeError(`edge constraints must be JSON such as '[["person","city"]]', got ${JSON.stringify(v)}.`)
    }
  } else x = encodeValue(v)
  if (!Array.isArray(x) || !x.every((p) => Array.isArray(p) && p.length === 2 && p.every((s) => typeof s === 'string'))) {
    throw runtimeError('edge constraints must be a list of [source label, destination label] pairs.')
  }
  return x as [string, string][]
}

function catalog(c: Ctx): GraphCatalog {
  if (!c.env.catalog) throw cypherError('cypher_unsupported', 'Graph management is not available here.')
  return c.env.catalog
}

/**
 * Admin-only procedures refuse everyone else with not_admin: a permission error (native 403, TuGraph's
 * Unauthorized "401", as graph.service.ts answers the same refusal outside Cypher), not a failed query.
 * A query that names no actor is refused too (fail closed): a caller that forgot to say who asks
 * must not get an admin's rights (#9 review).
 */
/** dbms.graph.deleteGraph's graph, after its checks: an admin, a name, not the query's own graph (TuGraph's order). */
function deletedGraph([name]: Value[], c: Ctx): string {
  requireAdmin(c, 'Non-admin cannot delete graphs.')
  const n = str('dbms.graph.deleteGraph', name, 'the graph name')
  if (n === c.view.g.name) throw runtimeError(`Graph [${n}] is the graph of this query; run the procedure on another graph.`)
  return n
}

function requireAdmin(c: Ctx, message: string): void {
  if (!c.env.actor?.isAdmin) throw graphError('not_admin', message)
}

/** The procedure of that name (any case), or a cypher_semantic / cypher_unsupported error. */
function procedure(name: string): Procedure {
  const lower = name.toLowerCase()
  const p = PROCEDURES.find((x) => x.name.toLowerCase() === lower)
  if (p) return p
  throw cypherError('cypher_semantic', `Procedure ${name} not found.`)
}

/** Plans CALL … [YIELD …] [WHERE …] for rows of `scope`. */
export function planCall(cl: Extract<Clause, { k: 'call' }>, scope: Scope, _c: EvalContext) {
  const p = procedure(cl.name)
  const args = (cl.args ?? []).map((a) => compile(a, { scope }))
  const picks = cl.yieldStar || !cl.yields ? p.outputs.map((o) => ({ name: o, alias: undefined as string | undefined })) : cl.yields
  const idx = picks.map((y) => {
    const i = p.outputs.indexOf(y.name)
    if (i < 0) throw cypherError('cypher_semantic', `Procedure ${p.name} has no output named ${y.name}.`)
    return i
  })
  const out = scope.clone()
  for (const y of picks) {
    const name = y.alias ?? y.name
    if (out.has(name)) throw cypherError('cypher_semantic', `Variable \`${name}\` already declared`)
    out.add(name, p.outputs.includes(y.name) && y.name === 'path' ? 'path' : 'value')
  }
  const where = cl.where && compile(cl.where, { scope: out })
  const dropsGraph = p.dropsGraph
  return {
    scope: out,
    writes: p.writes,
    /** The graph it drops, when its arguments are known before any row (no variable in scope: they are constants or parameters). */
    drops: dropsGraph && scope.size === 0 ? (c: Ctx) => dropsGraph(args.map((f) => f([], c)), c) : undefined,
    columns: picks.map((y) => ({ name: y.alias ?? y.name, kind: (y.name === 'path' ? 'path' : 'value') as 'path' | 'value' })),
    op: function* (input: Iterable<Row>, c: Ctx) {
      for (const row of input) {
        const values = args.map((f) => f(row, c))
        for (const r of p.run(values, c)) {
          c.budget.tick()
          const next = [...row, ...idx.map((i) => r[i] ?? null)]
          if (where && where(next, c) !== true) continue
          yield next
        }
      }
    },
  }
}

export type { PathV }
