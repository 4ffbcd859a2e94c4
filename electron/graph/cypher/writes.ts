// CREATE, MERGE, SET, REMOVE, DELETE and DETACH DELETE. Each reads all of its input first (so a
// scan never sees what the clause itself adds), then changes the graph row by row through the
// store's writer (new vids and eids numbered as TuGraph does) and GraphEdits. Values are checked
// against the strong schema: unknown labels and fields, type mismatches, missing required
// fields and duplicate keys are errors, and the statement's transaction rolls back whole.
import type { Clause, Expr, NodePat, PatternPath, RelPat, SetItem } from './ast'
import type { Budget } from './budget'
import { cypherError } from './errors'
import { compile, type Compiled, type EvalContext } from './expressions'
import { columnToValue, type GraphView } from './graph-view'
import { anonName, planMatch } from './match'
import { Scope, type Row } from './scope'
import { EdgeV, isMap, NodeV, PathV, typeName, type Value } from './values'
import { checkEdgeConstraint, vertexConflictMessage, type GraphWriter } from '../store/graph-db'
import { GraphEdits } from '../store/graph-edits'
import type { LabelRecord } from '../store/label-tables'
import { valueToStored, ValueError, type Stored } from '../store/values'
import type { QueryEnv } from './execute'

/** What a statement changed: TuGraph's `<SUMMARY>` text comes from it. */
export class WriteStats {
  createdVertices = 0
  createdEdges = 0
  deletedVertices = 0
  deletedEdges = 0
  setProperties = 0

  /** TuGraph's texts: "created 1 vertices, created 0 edges.", "set 1 properties.", "deleted 1 vertices, deleted 0 edges.". */
  summary(): string {
    const parts: string[] = []
    const created = this.createdVertices + this.createdEdges > 0
    const deleted = this.deletedVertices + this.deletedEdges > 0
    if (created || (!deleted && !this.setProperties)) parts.push(`created ${this.createdVertices} vertices, created ${this.createdEdges} edges.`)
    if (deleted) parts.push(`deleted ${this.deletedVertices} vertices, deleted ${this.deletedEdges} edges.`)
    if (this.setProperties) parts.push(`set ${this.setProperties} properties.`)
    return parts.join(' ')
  }
}

export interface WriteContext {
  stats: WriteStats
  env: QueryEnv
  /** Set while a write statement's transaction is open. */
  writer?: GraphWriter
  edits?: GraphEdits
  /** Work for once the write transaction has committed (db.flushDB's checkpoint). */
  afterCommit?: (() => void)[]
}

type Ctx = EvalContext & WriteContext

type Op = (input: Iterable<Row>, c: Ctx) => Iterable<Row>

/** A Cypher value as the store's value API takes it (reference: store/values.ts valueToStored). */
function toStoreInput(v: Value): unknown {
  if (typeof v === 'bigint') return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v
  if (Array.isArray(v)) return v.map(toStoreInput)
  return v
}

/** A value checked against a property's type; TuGraph-like text naming the field on mismatch. */
function stored(label: LabelRecord, index: number, v: Value): Stored {
  const p = label.def.properties[index]
  if (v !== null && (v instanceof NodeV || v instanceof EdgeV || v instanceof PathV || isMap(v) || (Array.isArray(v) && p.type !== 'FLOAT_VECTOR'))) {
    throw cypherError('invalid_value', `Failed to set field [${p.name}] of label [${label.name}]: a ${typeName(v)} cannot be stored in a ${p.type} field.`)
  }
  try {
    return valueToStored(p.type, toStoreInput(v))
  } catch (e) {
    if (e instanceof ValueError) throw cypherError('invalid_value', `Failed to set field [${p.name}] of label [${label.name}]: ${e.message} (the field is ${p.type}).`)
    throw e
  }
}

function fieldIndex(label: LabelRecord, key: string): number {
  const i = label.def.properties.findIndex((p) => p.name === key)
  if (i < 0) throw cypherError('invalid_value', `Field [${key}] does not exist in label [${label.name}].`)
  return i
}

/** The open write transaction's writer and edits; throws when the statement runs read-only. */
export function requireWriter(c: Ctx): { w: GraphWriter; edits: GraphEdits } {
  if (!c.writer) throw cypherError('cypher_runtime', 'Writes need a write transaction.')
  c.edits ??= new GraphEdits(c.view.g)
  return { w: c.writer, edits: c.edits }
}

/** Reads every input row first (within the budget). */
function eager(input: Iterable<Row>, budget: Budget, what: string): Row[] {
  const rows: Row[] = []
  for (const r of input) {
    rows.push(r)
    budget.held(rows.length, what)
    budget.values.holdRow(r, what)
  }
  return rows
}

interface CreatePlan {
  scope: Scope
  /** Creates the pattern's new parts for one row (mutating it); bound variables are reused. */
  create(row: Row, c: Ctx): void
}

function propsOf(e: Expr | undefined, scope: Scope): Compiled | undefined {
  return e && compile(e, { scope })
}

/**
 * `extra`: per new node variable, properties set with it (MERGE's ON CREATE SET n.key = …), so a
 * required field may come from ON CREATE (the strong schema checks the vertex as a whole).
 */
function planCreate(patterns: PatternPath[], input: Scope, what: 'CREATE' | 'MERGE', extra = new Map<string, [string, Expr][]>()): CreatePlan {
  const scope = input.clone()
  type NodeAction = { slot: number; create?: { label: string; props?: Compiled; extra: [string, Compiled][]; pos: NodePat['pos'] } }
  const plans = patterns.map((p) => {
    const nodes: NodeAction[] = p.nodes.map((n) => {
      const name = n.variable ?? anonName('n')
      if (scope.has(name)) {
        if (n.labels.length || n.props) throw cypherError('cypher_semantic', `Variable \`${name}\` already declared`)
        return { slot: scope.slot(name) }
      }
      if (n.labels.length !== 1) {
        throw cypherError('cypher_unsupported', `${what} needs exactly one label on a new vertex (line ${n.pos.line}, column ${n.pos.column}).`, n.pos)
      }
      const slot = scope.add(name, 'node')
      const more = (extra.get(name) ?? []).map(([k, e]) => [k, compile(e, { scope })] as [string, Compiled])
      return { slot, create: { label: n.labels[0], props: propsOf(n.props, scope), extra: more, pos: n.pos } }
    })
    const rels = p.rels.map((r: RelPat) => {
      if (r.types.length !== 1) throw cypherError('cypher_unsupported', `${what} needs exactly one type on a relationship (line ${r.pos.line}, column ${r.pos.column}).`, r.pos)
      if (r.dir === 'both') throw cypherError('cypher_unsupported', `${what} needs a directed relationship: (a)-[:T]->(b) (line ${r.pos.line}, column ${r.pos.column}).`, r.pos)
      if (r.varLength) throw cypherError('cypher_unsupported', `${what} cannot create a variable-length relationship.`)
      const name = r.variable ?? anonName('r')
      if (scope.has(name)) throw cypherError('cypher_semantic', `Variable \`${name}\` already declared`)
      return { slot: scope.add(name, 'rel'), type: r.types[0], dir: r.dir, props: propsOf(r.props, scope) }
    })
    const pathSlot = p.pathVar ? scope.add(p.pathVar, 'path') : -1
    return { nodes, rels, pathSlot }
  })
  return {
    scope,
    create(row, c) {
      const { w } = requireWriter(c)
      for (let i = row.length; i < scope.size; i++) row[i] = null
      for (const plan of plans) {
        for (const n of plan.nodes) {
          if (!n.create) {
            if (!(row[n.slot] instanceof NodeV)) throw cypherError('cypher_runtime', `Cannot create a relationship to ${typeName(row[n.slot])}: the vertex is missing.`)
            continue
          }
          let props = n.create.props?.(row, c) ?? null
          if (n.create.extra.length) {
            const all = Object.create(null) as Record<string, Value>
            Object.assign(all, propertyMap(props, 'a vertex'))
            for (const [k, f] of n.create.extra) all[k] = f(row, c)
            props = all
          }
          row[n.slot] = createVertex(n.create.label, props, c, w)
        }
        plan.rels.forEach((r, i) => {
          const left = row[plan.nodes[i].slot] as NodeV
          const right = row[plan.nodes[i + 1].slot] as NodeV
          const [src, dst] = r.dir === 'out' ? [left, right] : [right, left]
          row[r.slot] = createEdge(r.type, src, dst, r.props?.(row, c) ?? null, r.dir === 'out', c, w)
        })
        if (plan.pathSlot >= 0) {
          row[plan.pathSlot] = new PathV(
            plan.nodes.map((n) => row[n.slot] as NodeV),
            plan.rels.map((r) => row[r.slot] as EdgeV),
          )
        }
      }
    },
  }
}

function propertyMap(v: Value, what: string): Record<string, Value> {
  if (v === null) return {}
  if (!isMap(v)) throw cypherError('cypher_runtime', `Type mismatch: the properties of ${what} must be a map, got ${typeName(v)}.`)
  return v
}

function createVertex(labelName: string, propsValue: Value, c: Ctx, w: GraphWriter): NodeV {
  const label = c.view.vertexLabel(labelName)
  const props = propertyMap(propsValue, 'a vertex')
  const values: Stored[] = label.def.properties.map(() => null)
  for (const [k, v] of Object.entries(props)) {
    const i = fieldIndex(label, k)
    values[i] = stored(label, i, v)
  }
  const t = c.view.vertexTable(label)
  const vid = w.addVertex(t, values)
  if (vid === null) throw cypherError('index_conflict', vertexConflictMessage(t, values))
  c.stats.createdVertices++
  c.view.changed()
  const n = new NodeV(vid, label)
  return n
}

function createEdge(typeName_: string, src: NodeV, dst: NodeV, propsValue: Value, forward: boolean, c: Ctx, w: GraphWriter): EdgeV {
  const label = c.view.edgeLabel(typeName_)
  const t = c.view.edgeTable(label)
  checkEdgeConstraint(t, src.label.name, dst.label.name)
  const props = propertyMap(propsValue, 'an edge')
  const values: Stored[] = label.def.properties.map(() => null)
  for (const [k, v] of Object.entries(props)) {
    const i = fieldIndex(label, k)
    values[i] = stored(label, i, v)
  }
  const def = label.def
  const temporal = def.type === 'EDGE' && def.temporal ? def.properties.findIndex((p) => p.name === def.temporal) : -1
  const tid = temporal >= 0 && values[temporal] !== null ? (values[temporal] as number | bigint) : 0
  const eid = w.addEdge(t, src.vid, dst.vid, tid, values)
  c.stats.createdEdges++
  const out = Object.create(null) as Record<string, Value>
  label.def.properties.forEach((p, i) => (out[p.name] = columnToValue(p.type, values[i])))
  return new EdgeV(label, src.vid, dst.vid, Number(tid), eid, forward, out)
}

function setProperty(target: Value, key: string, v: Value, c: Ctx): void {
  if (target === null) return // SET on an OPTIONAL MATCH miss does nothing
  const { edits } = requireWriter(c)
  if (target instanceof NodeV) {
    const i = fieldIndex(target.label, key)
    const s = stored(target.label, i, v)
    if (s === null && !target.label.def.properties[i].optional) throw cypherError('invalid_value', `Field [${key}] is not optional.`)
    edits.setVertexProperty(target.label, target.vid, i, s)
    c.view.changed()
  } else if (target instanceof EdgeV) {
    const def = target.label.def
    const i = fieldIndex(target.label, key)
    if (def.type === 'EDGE' && def.temporal === key) throw cypherError('cypher_unsupported', `Field [${key}] is the temporal field of label [${target.label.name}] and cannot be changed.`)
    const s = stored(target.label, i, v)
    if (s === null && !def.properties[i].optional) throw cypherError('invalid_value', `Field [${key}] is not optional.`)
    edits.setEdgeProperty(target.label, target, i, s)
    target.props[key] = columnToValue(def.properties[i].type, s)
  } else {
    throw cypherError('cypher_runtime', `Type mismatch: SET needs a node or relationship, got ${typeName(target)}.`)
  }
  c.stats.setProperties++
}

function planSetItems(items: SetItem[], scope: Scope): (row: Row, c: Ctx) => void {
  const actions = items.map((it) => {
    if (it.k === 'label') throw cypherError('cypher_unsupported', `Setting labels is not supported: a vertex has exactly one label (line ${it.pos.line}, column ${it.pos.column}).`)
    if (it.k === 'replace') throw cypherError('cypher_unsupported', `SET ${it.variable} = {…} (replacing all properties) is not supported; set properties one by one or use += (line ${it.pos.line}, column ${it.pos.column}).`)
    if (it.k === 'merge') {
      const target = compile({ k: 'var', name: it.variable, pos: it.pos }, { scope })
      const value = compile(it.value, { scope })
      return (row: Row, c: Ctx) => {
        const t = target(row, c)
        for (const [k, v] of Object.entries(propertyMap(value(row, c), 'SET +='))) setProperty(t, k, v, c)
      }
    }
    const target = compile(it.target, { scope })
    const value = compile(it.value, { scope })
    const key = it.key
    return (row: Row, c: Ctx) => setProperty(target(row, c), key, value(row, c), c)
  })
  return (row, c) => {
    for (const a of actions) a(row, c)
  }
}

function deleteValue(v: Value, detach: boolean, c: Ctx): void {
  if (v === null) return
  const { edits } = requireWriter(c)
  if (v instanceof EdgeV) {
    if (edits.deleteEdge(v.label, v)) c.stats.deletedEdges++
  } else if (v instanceof NodeV) {
    const edgeLabels = c.view.edgeLabels()
    if (detach) c.stats.deletedEdges += edits.detach(v.vid, edgeLabels)
    else if (edits.degree(v.vid, edgeLabels) > 0) {
      throw cypherError('cypher_runtime', `Cannot delete vertex [${v.vid}], because it still has edges. To delete this vertex, you must first delete its edges (or use DETACH DELETE).`)
    }
    if (edits.deleteVertex(v.label, v.vid)) c.stats.deletedVertices++
    c.view.changed()
  } else if (v instanceof PathV) {
    for (const e of v.edges) deleteValue(e, detach, c)
    for (const n of v.nodes) deleteValue(n, detach, c)
  } else if (Array.isArray(v)) {
    for (const x of v) deleteValue(x, detach, c)
  } else {
    throw cypherError('cypher_runtime', `Type mismatch: DELETE needs a node, relationship or path, got ${typeName(v)}.`)
  }
}

/** Plans a write clause for rows of `scope`. */
export function planWrite(cl: Clause, scope: Scope, pc: EvalContext): { scope: Scope; op: Op; writes: true } {
  switch (cl.k) {
    case 'create': {
      const plan = planCreate(cl.patterns, scope, 'CREATE')
      // labels and types are checked now, before anything is written
      for (const p of cl.patterns) {
        for (const n of p.nodes) if (n.labels.length === 1) pc.view.vertexLabel(n.labels[0])
        for (const r of p.rels) if (r.types.length === 1) pc.view.edgeLabel(r.types[0])
      }
      return {
        scope: plan.scope,
        writes: true,
        op: function* (input, c) {
          for (const row of eager(input, c.budget, 'CREATE')) {
            c.budget.tick()
            const r = row.slice()
            plan.create(r, c)
            yield r
          }
        },
      }
    }
    case 'merge': {
      const match = planMatch([cl.pattern], undefined, scope, pc)
      // ON CREATE SET n.key = … of a vertex the MERGE creates goes into the new vertex itself
      const created = new Set(cl.pattern.nodes.filter((n) => n.variable && !scope.has(n.variable)).map((n) => n.variable!))
      const extra = new Map<string, [string, Expr][]>()
      const later = cl.onCreate.filter((it) => {
        if (it.k !== 'prop' || it.target.k !== 'var' || !created.has(it.target.name)) return true
        extra.set(it.target.name, [...(extra.get(it.target.name) ?? []), [it.key, it.value]])
        return false
      })
      const create = planCreate([cl.pattern], scope, 'MERGE', extra)
      if (create.scope.size !== match.scope.size) throw cypherError('cypher_runtime', 'MERGE pattern could not be planned.')
      const onMatch = planSetItems(cl.onMatch, match.scope)
      const onCreate = planSetItems(later, match.scope)
      return {
        scope: match.scope,
        writes: true,
        op: function* (input, c) {
          for (const row of eager(input, c.budget, 'MERGE')) {
            c.budget.tick()
            const found = [...match.run(row, c)]
            if (found.length) {
              for (const r of found) {
                onMatch(r, c)
                yield r
              }
              continue
            }
            const r = row.slice()
            create.create(r, c)
            onCreate(r, c)
            yield r
          }
        },
      }
    }
    case 'set': {
      const apply = planSetItems(cl.items, scope)
      return {
        scope,
        writes: true,
        op: function* (input, c) {
          for (const row of eager(input, c.budget, 'SET')) {
            c.budget.tick()
            apply(row, c)
            yield row
          }
        },
      }
    }
    case 'remove': {
      const actions = cl.items.map((it) => {
        if (it.k === 'label') throw cypherError('cypher_unsupported', `Removing labels is not supported: a vertex has exactly one label (line ${it.pos.line}, column ${it.pos.column}).`)
        const target = compile(it.target, { scope })
        return (row: Row, c: Ctx) => setProperty(target(row, c), it.key, null, c)
      })
      return {
        scope,
        writes: true,
        op: function* (input, c) {
          for (const row of eager(input, c.budget, 'REMOVE')) {
            c.budget.tick()
            for (const a of actions) a(row, c)
            yield row
          }
        },
      }
    }
    case 'delete': {
      const exprs = cl.exprs.map((e) => compile(e, { scope }))
      const detach = cl.detach
      return {
        scope,
        writes: true,
        op: function* (input, c) {
          for (const row of eager(input, c.budget, 'DELETE')) {
            c.budget.tick()
            for (const e of exprs) deleteValue(e(row, c), detach, c)
            yield row
          }
        },
      }
    }
    default:
      throw cypherError('cypher_unsupported', `The clause ${cl.k.toUpperCase()} is not supported here.`)
  }
}

export type { GraphView }
