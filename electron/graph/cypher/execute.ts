// Plan → execute: each clause becomes an operator over a stream of rows (generators, so LIMIT
// stops the work upstream). Operators that must see every row first (ORDER BY, DISTINCT,
// aggregation, writes) hold them within the budget. A statement with a write clause runs in one
// write transaction (all of it commits, or nothing); a read runs in one read transaction (one
// snapshot).
import type { Clause, Expr, PatternPath, Projection, SingleQuery, Statement } from './ast'
import { aggregateColumn } from './aggregates'
import { Budget, MAX_RESULT_ROWS } from './budget'
import { CHANGING_A_GRAPH, graphError, refuseWhileImporting } from '../errors'
import { cypherError, runtimeError } from './errors'
import { compile, evalConstant, type AggregateCall, type Compiled, type EvalContext } from './expressions'
import { visitNodes } from './encode'
import { isAggregate } from './functions'
import { GraphView } from './graph-view'
import { isAnon, patternExists, planMatch, propertyReads, varsOf, type MatchPlan, type PropertyReads } from './match'
import { planCall } from './procedures'
import { Scope, type Row, type VarKind } from './scope'
import { asPredicate, keyOf, orderCompare, typeName, type MapV, type Value } from './values'
import { planWrite, WriteStats, type WriteContext } from './writes'
import type { GraphDb } from '../store/graph-db'
import type { LabelRecord } from '../store/label-tables'
import { TopK } from '../heap'
import { GroupIndex } from './group-index'
import { sizeOf } from './value-budget'
import { checkUnwindRows, hasAggregate, MAX_UNWIND_ROWS, unwindRowsPassed } from './unwind-rows'
import { diskNearlyFull } from '../../disk-reserve'
import { assertGraphUnderBound, assertGrowthWithinBound, graphUsedBytes } from '../store/graph-bound'

/** One column of a result: its name and what it holds (TuGraph's header type follows from it). */
export interface Column {
  name: string
  kind: VarKind
}

export interface QueryResult {
  columns: Column[]
  rows: Value[][]
  /** Set for statements that write; `summary` is TuGraph's `<SUMMARY>` text. */
  stats?: WriteStats
  /** Of a statement only planned (QueryEnv.planOnly): the graphs it would drop (dbms.graph.deleteGraph with its name known before any row). */
  drops?: string[]
}

/** How a statement reaches the rest of the system: procedures that manage graphs need the data folder. */
export interface QueryEnv {
  /**
   * Who runs the query. Admin-only procedures (dbms.graph.*, db.dropDB, label changes) need an admin;
   * absent = nobody, so they are refused. Every query worker run names one (CypherQuery.actor).
   */
  actor?: { username: string; isAdmin: boolean }
  /** The actor may only read this graph (graph-rights.ts decides): a statement that writes is refused with this reason. */
  readOnly?: string
  /**
   * The data folder's disk is down to its reserve (graph-room.ts): the disk_nearly_full refusal's
   * message, with which a statement that may grow the graph (growsGraph) is refused; reads and
   * statements that only delete still run.
   */
  diskFull?: string
  /** Graphs with an import queued or running (GraphHost.busyGraphs): dropping one or changing its labels is refused with graph_busy. */
  busyGraphs?: import('../errors').BusyGraphs
  dataDir?: string
  /** The graphs' catalog operations (dbms.graph.*), provided by the worker. */
  catalog?: import('./procedures').GraphCatalog
  /**
   * Plan without the counting shortcuts (ExpandCount, weighted rows into an aggregation, CSR
   * snapshots and walks, the degree top-k rule, kept columns): every edge read as a row. The reference the differential tests compare against.
   */
  plainPlan?: boolean
  /** The most bytes of CSR snapshots (label-csr.ts) kept per graph; a label whose snapshot needs more is walked by seeks. Default CSR_BUDGET_BYTES. */
  csrBytes?: number
  /** The most rows a statement's UNWINDs may make, by the estimate and while it runs (unwind-rows.ts). Default MAX_UNWIND_ROWS; smaller in tests. */
  unwindRows?: number
  /**
   * Plan only, run nothing (GraphHost, before a statement an import's graph would refuse): the statement's
   * own errors are thrown as a run would throw them first (planning, the actor's rights, a parameter not
   * given, the UNWIND estimate, a graph drop's checks), and the answer says the graphs it would drop (QueryResult.drops).
   */
  planOnly?: boolean
}

type Op = (input: Iterable<Row>, c: RunContext) => Iterable<Row>

export interface RunContext extends EvalContext, WriteContext {
  /** Rows the statement's UNWINDs may still make, all of them together (unwind-rows.ts); each row an UNWIND makes takes one. */
  unwindRowsLeft: number
}

interface Planned {
  scope: Scope
  op: Op
  columns?: Column[]
  writes: boolean
  /** It has a clause that writes the graph's data (CREATE, MERGE, SET, REMOVE, DELETE, FOREACH), not only a procedure that writes. */
  dataWrites?: boolean
  /** It may add to the graph or the data folder: a write other than DELETE, REMOVE and the procedures that only drop (growsGraph). */
  grows?: boolean
  /** A write statement without RETURN: it answers TuGraph's <SUMMARY> row. */
  summary?: boolean
  /** Its operators for EXPLAIN, one line each. */
  describe?: string[]
  /** A MATCH that can hand rows with a multiplicity (MatchPlan.weightable): where the weight goes, and the switch that asks for it. */
  weights?: { slot: number; enable: () => void }
  /** A projection that aggregates: it takes weighted rows. */
  grouping?: boolean
  /** A statement that starts with a procedure that drops a graph (planCall): that graph, after the procedure's checks. */
  drops?: (c: RunContext) => string
  /**
   * A MATCH of the degree top-k shape (MatchPlan.degreeStart): its start, and the switch that makes
   * it yield only the start vertices that can make the top `k(rc)` by count.
   */
  topDegree?: { name: string; label: LabelRecord; enable: (k: (rc: RunContext) => number) => void }
}

/** Runs one parsed statement against an open graph. Throws AppErrors (cypher_*, query_*). */
export function executeStatement(g: GraphDb, st: Statement, params: MapV, budget: Budget, env: QueryEnv = {}): QueryResult {
  const view = new GraphView(g, budget)
  const stats = new WriteStats()
  const cache = new WeakMap<PatternPath, MatchPlan>()
  const c: RunContext = {
    view,
    budget,
    params,
    stats,
    env,
    unwindRowsLeft: env.unwindRows ?? MAX_UNWIND_ROWS,
    patternExists: (pattern, row, scope) => patternExists(pattern, row, scope, c, cache),
  }
  const parts = st.parts.map((p) => planSingle(p, c))
  const columns = parts[0].columns!
  for (const p of parts.slice(1)) {
    const names = p.columns!.map((x) => x.name)
    if (names.length !== columns.length || names.some((n, i) => n !== columns[i].name)) {
      throw cypherError('cypher_semantic', 'All sub queries in an UNION must have the same column names')
    }
  }
  const writes = parts.some((p) => p.writes)
  if (writes && env.readOnly) throw graphError('not_graph_owner', env.readOnly)
  // a parameter not given fails the statement before it waits for anything (a write's lock, the graph's import)
  if (!st.explain) requireParams(st, params)
  if (env.planOnly) return checkedPlan(st, parts, params, c)
  // an import writes the graph's label tables in its own transactions: its data, like its schema
  // (procedures.ts changeSchema), stays as it is while one is queued or running; reads go on
  if (parts.some((p) => p.dataWrites)) refuseWhileImporting(env.busyGraphs, view.g.name, CHANGING_A_GRAPH)
  // the disk's reserve and the graph's bound: a statement that may add to either is refused before it runs (EXPLAIN writes nothing)
  const grows = !st.explain && parts.some((p) => p.grows)
  if (grows && env.diskFull !== undefined) throw diskNearlyFull(env.diskFull)
  if (grows) assertGraphUnderBound(g)
  view.bulkDegrees = !writes && !env.plainPlan
  if (env.csrBytes !== undefined) view.csrBytes = env.csrBytes
  if (st.explain) return explain(parts, columns)
  for (const p of st.parts) checkUnwindRows(p.clauses, params, c.unwindRowsLeft) // a cartesian product of lists is refused before it runs
  // UNION removes duplicates over the whole result; UNION ALL keeps every row
  const dedupe = st.unionAll.length > 0 && !st.unionAll.every(Boolean)
  const run = (): Value[][] => {
    const rows: Value[][] = []
    const seen = new Set<string>()
    for (const p of parts) {
      for (const r of p.op([[]], c)) {
        if (dedupe) {
          const k = keyOf(r)
          if (seen.has(k)) continue
          budget.values.hold(sizeOf(k), 'UNION')
          seen.add(k)
        }
        for (const v of r) visitNodes(v, (n) => view.props(n))
        budget.values.holdRow(r, 'the result')
        rows.push(r)
        if (rows.length > MAX_RESULT_ROWS) throw cypherError('query_too_large', `Result too large: more than ${MAX_RESULT_ROWS} rows; add LIMIT or narrow the query.`)
      }
    }
    return rows
  }
  const rows = writes
    ? g.write((w) => {
        const before = graphUsedBytes(g)
        c.writer = w
        const out = run()
        assertGrowthWithinBound(g, before) // past the bound, what it added rolls back
        return out
      })
    : g.db.transaction(run).deferred()
  for (const f of c.afterCommit ?? []) f()
  if (parts[0].summary) return { columns: [{ name: '<SUMMARY>', kind: 'value' }], rows: [[stats.summary()]], stats }
  return writes ? { columns, rows, stats } : { columns, rows }
}

/**
 * A planned statement's remaining own errors, found without running it: the UNWIND estimate; then the
 * graphs it drops (none when only EXPLAINed).
 */
function checkedPlan(st: Statement, parts: Planned[], params: MapV, c: RunContext): QueryResult {
  for (const p of st.parts) checkUnwindRows(p.clauses, params, c.unwindRowsLeft)
  return { columns: [], rows: [], drops: st.explain ? [] : parts.flatMap((p) => p.drops?.(c) ?? []) }
}

/** Throws cypher_semantic for a parameter `st` names anywhere that `params` lacks (a run found it at its first use only). */
function requireParams(st: Statement, params: MapV): void {
  for (const name of paramNames(st, new Set())) {
    if (!Object.prototype.hasOwnProperty.call(params, name)) throw cypherError('cypher_semantic', `Parameter $${name} is not defined.`)
  }
}

/** The names of the parameters (`$name`) anywhere in an AST node, added to `into`. */
function paramNames(node: unknown, into: Set<string>): Set<string> {
  if (Array.isArray(node)) for (const x of node) paramNames(x, into)
  else if (node !== null && typeof node === 'object') {
    const e = node as { k?: unknown; name?: unknown }
    if (e.k === 'param' && typeof e.name === 'string') into.add(e.name)
    else for (const x of Object.values(node)) paramNames(x, into)
  }
  return into
}

/** EXPLAIN's one cell: a summary line, then each part's operators in the order they run. */
function explain(parts: Planned[], columns: Column[]): QueryResult {
  const lines = [`Plan: ${parts.length} part(s); columns ${columns.map((c) => c.name).join(', ') || '(none)'}`]
  parts.forEach((p, i) => {
    if (parts.length > 1) lines.push(`Part ${i + 1}:`)
    for (const d of p.describe ?? []) lines.push(`  ${d}`)
  })
  return { columns: [{ name: '@plan', kind: 'value' }], rows: [[lines.join('\n')]] }
}

function planSingle(q: SingleQuery, c: RunContext): Planned {
  let scope = new Scope()
  const ops: Op[] = []
  let columns: Column[] | undefined
  let writes = false
  let dataWrites = false
  let grows = false
  let summary = false
  const describe: string[] = []
  let weights: Planned['weights']
  let topDegree: Planned['topDegree']
  let drops: Planned['drops']
  // what the statement reads of each vertex: its label scans read only those properties (`*` reads all)
  const reads = q.clauses.some((cl) => (cl.k === 'with' || cl.k === 'return') && cl.proj.star) ? undefined : propertyReads(q.clauses)
  q.clauses.forEach((cl, i) => {
    const last = i === q.clauses.length - 1
    if (columns) throw cypherError('cypher_syntax', `RETURN can only be used at the end of the query (line ${cl.pos.line}, column ${cl.pos.column}).`, cl.pos)
    const p = planClause(cl, scope, c, { readLater: readLater(q.clauses.slice(i + 1)), weightSlot: weights?.slot, reads })
    // a MATCH right before an aggregation hands it one row per counted group of edges
    if (weights && p.grouping) {
      weights.enable()
      // …and, first in the statement, before a top-k by that count of groups keyed by its start vertex, only the vertices that can make it
      if (topDegree && i === 1 && (cl.k === 'return' || cl.k === 'with') && degreeTopK(cl.proj, topDegree)) {
        const proj = cl.proj
        topDegree.enable((rc) => (nonNegativeInt(proj.skip, 'SKIP', rc) ?? 0) + nonNegativeInt(proj.limit, 'LIMIT', rc)!)
        const at = describe.findIndex((d) => d.startsWith('NodeByLabelScan('))
        if (at >= 0) describe[at] = describe[at].replace('NodeByLabelScan(', 'NodeByDegreeTopK(')
      }
    }
    weights = p.weights
    topDegree = p.topDegree
    describe.push(...(p.describe ?? [cl.k.toUpperCase()]))
    if (i === 0) drops = p.drops
    scope = p.scope
    ops.push(p.op)
    writes ||= p.writes
    dataWrites ||= p.dataWrites === true
    grows ||= p.writes && growsGraph(cl)
    if (cl.k === 'return') columns = p.columns
    else if (last && cl.k === 'call') columns = p.columns
    else if (last && p.writes) summary = true
    else if (last) {
      throw cypherError('cypher_syntax', `Query cannot conclude with ${cl.k.toUpperCase()} (must be RETURN or an update clause) (line ${cl.pos.line}, column ${cl.pos.column}).`, cl.pos)
    }
  })
  return {
    scope,
    columns: columns ?? [],
    writes,
    dataWrites,
    grows,
    summary,
    describe,
    drops,
    op: (input, rc) => ops.reduce<Iterable<Row>>((rows, op) => op(rows, rc), input),
  }
}

/** Write procedures that only take from a graph: they run when the disk is down to its reserve, as DELETE does. */
const DROPPING_PROCEDURES: ReadonlySet<string> = new Set(['db.dropdb', 'db.deletelabel', 'db.alterlabeldelfields', 'db.deleteindex', 'db.deleteedgeindex']) // lower case: names match in any case

/**
 * Whether a clause that writes may add to the graph (and so to the disk): all but DELETE, REMOVE and
 * the DROPPING_PROCEDURES, so that an owner can still free room when the disk or the graph is full.
 */
function growsGraph(cl: Clause): boolean {
  if (cl.k === 'delete' || cl.k === 'remove') return false
  return !(cl.k === 'call' && DROPPING_PROCEDURES.has(cl.name.toLowerCase()))
}

/**
 * Whether a projection right after a degree top-k MATCH (MatchPlan.degreeStart) lets it keep only
 * the start vertices that can make the result (Neo4j's and Kuzu's "top-k by degree"): an aggregation
 * (no DISTINCT, with LIMIT) ordered first by count(*) descending, whose grouping keys read the start
 * vertex alone and one of them names it (the vertex, id(), or its primary key), so each group is
 * one vertex and its count(*) that vertex's count of edges.
 */
function degreeTopK(proj: Projection, start: { name: string; label: LabelRecord }): boolean {
  if (proj.distinct || proj.star || !proj.limit || !proj.order.length || !proj.order[0].desc) return false
  const first = proj.order[0]
  // the item ORDER BY names, as planProjection resolves it
  const item = proj.items.find((it) => it.name === first.text) ?? proj.items.find((it) => it.text === first.text)
  const e0 = item?.expr
  if (!e0 || e0.k !== 'call' || e0.name.toLowerCase() !== 'count' || !e0.star || e0.distinct) return false
  const a = start.name
  const keys = proj.items.filter((it) => !hasAggregate(it.expr))
  if (!keys.every((it) => [...varsOf(it.expr)].every((v) => v === a))) return false
  const primary = start.label.def.type === 'VERTEX' ? start.label.def.primary : undefined
  const isA = (e: Expr) => e.k === 'var' && e.name === a
  return keys.some(({ expr: e }) => isA(e) || (e.k === 'call' && e.name.toLowerCase() === 'id' && e.args.length === 1 && isA(e.args[0])) || (e.k === 'prop' && isA(e.target) && e.key === primary))
}

/** The variables the clauses read ('all' when one projects `*`): what a MATCH before them must bind. */
function readLater(clauses: Clause[]): Set<string> | 'all' {
  const out = new Set<string>()
  for (const cl of clauses) {
    if ((cl.k === 'with' || cl.k === 'return') && cl.proj.star) return 'all'
    varsOf(cl as unknown as Expr, out)
  }
  return out
}

function planClause(cl: Clause, scope: Scope, c: RunContext, o: { readLater: Set<string> | 'all'; weightSlot?: number; reads?: PropertyReads }): Planned {
  switch (cl.k) {
    case 'match': {
      const plan = planMatch(cl.patterns, cl.where, scope, c, { readLater: o.readLater, plain: c.env.plainPlan, reads: o.reads })
      const optional = cl.optional
      let weighted = false
      let topK: ((rc: RunContext) => number) | undefined
      const start = plan.degreeStart
      return {
        scope: plan.scope,
        writes: false,
        describe: optional ? ['Optional', ...plan.describe.map((d) => `  ${d}`)] : plan.describe,
        weights: plan.weightable && !optional ? { slot: plan.scope.size, enable: () => (weighted = true) } : undefined,
        topDegree: start && !optional ? { ...start, enable: (k) => (topK = k) } : undefined,
        op: function* (input, rc) {
          for (const row of input) {
            let any = false
            for (const r of plan.run(row, rc, weighted, topK?.(rc))) {
              any = true
              yield r
            }
            if (optional && !any) {
              const r = row.slice()
              for (let i = row.length; i < plan.scope.size; i++) r[i] = null
              yield r
            }
          }
        },
      }
    }
    case 'unwind': {
      const f = compile(cl.expr, { scope })
      const out = scope.clone()
      if (out.has(cl.variable)) throw cypherError('cypher_semantic', `Variable \`${cl.variable}\` already declared`)
      out.add(cl.variable, 'value')
      return {
        scope: out,
        writes: false,
        op: function* (input, rc) {
          for (const row of input) {
            const v = f(row, rc)
            if (v === null) continue
            for (const x of Array.isArray(v) ? v : [v]) {
              // the lists the estimate counted as one (their size depends on the row) are bounded here, row by row
              if (--rc.unwindRowsLeft < 0) throw unwindRowsPassed(rc.env.unwindRows ?? MAX_UNWIND_ROWS, cl.pos)
              rc.budget.tick()
              yield [...row, x]
            }
          }
        },
      }
    }
    case 'with':
    case 'return': {
      const p = planProjection(cl.proj, scope, cl.k === 'return', o.weightSlot)
      if (cl.k === 'with' && cl.where) {
        const test = compile(cl.where, { scope: p.scope })
        const inner = p.op
        p.op = function* (input, rc) {
          for (const r of inner(input, rc)) if (asPredicate(test(r, rc))) yield r
        }
      }
      return p
    }
    case 'call':
      return planCall(cl, scope, c)
    default:
      return { ...planWrite(cl, scope, c), dataWrites: true }
  }
}

/**
 * The grouping key of a single key value: a safe integer (INTEGER, or a whole FLOAT, which Cypher
 * groups with it) or another number as itself, anything else as keyOf's text. Equal values get
 * equal keys, as keyOf(value) would, without building a text per row.
 */
function loneKey(v: Value): string | number {
  if (typeof v === 'bigint') return v >= MIN_SAFE && v <= MAX_SAFE ? Number(v) : keyOf([v])
  if (typeof v === 'number') return Number.isInteger(v) && !Number.isSafeInteger(v) ? keyOf([v]) : v
  return keyOf([v])
}
const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER)
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER)

/** The header kind of a returned expression: a variable keeps its kind. */
function kindOf(e: Expr, scope: Scope): VarKind {
  if (e.k === 'var') {
    const k = scope.kind(e.name)
    return k === 'rels' ? 'value' : (k ?? 'value')
  }
  return 'value'
}

function nonNegativeInt(e: Expr | undefined, what: string, c: EvalContext): number | undefined {
  if (!e) return undefined
  const v = evalConstant(e, c, new Scope())
  if (typeof v !== 'bigint' || v < 0n) throw runtimeError(`Invalid input for ${what}: expected a non-negative integer, got ${typeName(v)} ${String(v)}.`)
  return Number(v)
}

/**
 * RETURN / WITH: projection, grouping with aggregates, DISTINCT, ORDER BY, SKIP, LIMIT. With
 * `weightSlot`, an aggregation takes rows that carry their multiplicity there (a row standing for
 * that many equal rows; absent = 1).
 */
function planProjection(proj: Projection, scope: Scope, isReturn: boolean, weightSlot?: number): Planned {
  const items = [...proj.items]
  if (proj.star) {
    const visible = scope.names.filter((n) => !isAnon(n))
    if (!visible.length) throw cypherError('cypher_semantic', 'RETURN * is not allowed when there are no variables in scope')
    items.unshift(...[...visible].sort().map((n) => ({ expr: { k: 'var' as const, name: n, pos: { line: 1, column: 1, offset: 0 } }, name: n, text: n })))
  }
  for (const it of items) {
    if (!isReturn && !it.alias && it.expr.k !== 'var') throw cypherError('cypher_semantic', `Expression in WITH must be aliased (use AS): ${it.name}`)
  }
  const names = items.map((i) => i.name)
  const dup = names.find((n, i) => names.indexOf(n) !== i)
  if (dup) throw cypherError('cypher_semantic', `Multiple result columns with the same name are not supported: ${dup}`)
  const aggState = { calls: [] as AggregateCall[], values: [] as Value[] }
  const compiled = items.map((it) => {
    const before = aggState.calls.length
    const f = compile(it.expr, { scope, aggregates: aggState })
    // `count(*) + n.x` reads the group's first row as well; a lone aggregate call does not
    return { f, aggregate: aggState.calls.length > before, readsRow: !(it.expr.k === 'call' && isAggregate(it.expr.name)) }
  })
  const grouping = aggState.calls.length > 0
  const out = Scope.of(items.map((it) => [it.name, kindOf(it.expr, scope)]))
  const columns: Column[] = items.map((it, i) => ({ name: it.name, kind: out.kinds[i] }))

  // ORDER BY sees the projected columns, and (without DISTINCT or aggregation) the variables before
  const sortScope = out.clone()
  const carried = grouping || proj.distinct ? [] : scope.names.filter((n) => !out.has(n))
  for (const n of carried) sortScope.add(n, scope.kind(n)!)
  const carriedSlots = carried.map((n) => scope.slot(n))
  const order = proj.order.map((o) => {
    const byText = items.findIndex((it) => it.name === o.text || (!it.alias && it.name === o.text))
    const aliasOf = items.findIndex((it) => it.text === o.text)
    const col = byText >= 0 ? byText : aliasOf
    const f: Compiled = col >= 0 ? (r) => r[col] : compile(o.expr, { scope: sortScope })
    return { f, desc: o.desc }
  })

  const compareKeys = (a: Value[], b: Value[]) => {
    for (let i = 0; i < order.length; i++) {
      const x = orderCompare(a[i], b[i])
      if (x !== 0) return order[i].desc ? -x : x
    }
    return 0
  }
  /** The first `k` rows in ORDER BY's order (stable: ties keep their input order); all of them sorted for k = Infinity. */
  const topK = (rows: Iterable<Row>, k: number, rc: RunContext): Row[] => {
    if (k === Infinity) {
      const keyed = [...rows].map((r) => ({ r, k: order.map((o) => o.f(r, rc)) }))
      keyed.sort((a, b) => compareKeys(a.k, b.k))
      return keyed.map((x) => x.r)
    }
    const heap = new TopK<{ r: Row; k: Value[]; bytes: number }>(k, (a, b) => compareKeys(a.k, b.k))
    const values = rc.budget.values
    let keys: Value[] = []
    let kept = 0
    try {
      for (const r of rows) {
        for (let i = 0; i < order.length; i++) keys[i] = order[i].f(r, rc)
        // a row that does not beat the last one kept is dropped before any allocation
        const last = heap.last
        if (last && compareKeys(keys, last.k) >= 0) continue
        // the rows kept are held (their values may be large); the one a better row replaces is given back
        const bytes = values.holdRow(r, 'ORDER BY … LIMIT') + values.holdRow(keys, 'ORDER BY … LIMIT')
        kept += bytes
        const dropped = heap.push({ r, k: keys, bytes })
        if (dropped) {
          values.release(dropped.bytes)
          kept -= dropped.bytes
        }
        keys = []
      }
      return heap.sorted().map((x) => x.r)
    } finally {
      values.release(kept) // the rows it answers are held by what takes them (the result)
    }
  }

  const op: Op = function* (input, rc) {
    let rows: Row[]
    if (grouping) {
      // groups are numbered in the order they appear; per group a key (or key values) and, for
      // each aggregate call, its state in that call's column (count(*): a number in an array)
      const cols = aggState.calls.map((call) => aggregateColumn(call))
      const index = new GroupIndex()
      // only aggregates (RETURN count(*)): one group, no key to compute per row
      const keyed = compiled.some((x) => !x.aggregate)
      const none: Value[] = compiled.map(() => null)
      // a group keeps its first row only when an aggregate item reads more than its aggregates (else
      // 100,000 groups would hold 100,000 rows of vertices with their properties)
      const keepRow = compiled.some((x) => x.aggregate && x.readsRow)
      const reps: Row[] = []
      const lone = compiled.filter((x) => !x.aggregate).length === 1 ? compiled.findIndex((x) => !x.aggregate) : -1
      /** Per group: the lone key's value, or the key values. */
      const loneKeys: Value[] = []
      const keys: Value[][] = []
      // rows of one group often come in a run (the same `a` for each of its edges): its key values are then the same
      let last = -1
      let lastLone: Value = null
      let lastKey: Value[] = none
      const add = (k: string | number, row: Row): number => {
        const g = index.add(k)
        if (keepRow) {
          reps.push(row)
          rc.budget.values.holdRow(row, 'aggregation')
        }
        rc.budget.held(g + 1, 'aggregation')
        return g
      }
      for (const row of input) {
        rc.budget.tick()
        const times = weightSlot === undefined ? 1 : ((row[weightSlot] as number | undefined) ?? 1)
        let g: number
        if (lone >= 0) {
          // one grouping item: no key array per row, and a run compared on the value itself
          const v = compiled[lone].f(row, rc)
          if (last >= 0 && v === lastLone && (v === null || typeof v !== 'object')) g = last
          else {
            const k = loneKey(v)
            const found = index.get(k)
            if (found === undefined) {
              g = add(k, row)
              rc.budget.values.hold(sizeOf(v) + (typeof k === 'string' ? sizeOf(k) : 0), 'aggregation')
              loneKeys.push(v)
            } else g = found
            lastLone = v
          }
        } else {
          const key = keyed ? compiled.map((x) => (x.aggregate ? null : x.f(row, rc))) : none
          if (last >= 0 && key.every((v, i) => v === lastKey[i] && (v === null || typeof v !== 'object'))) g = last
          else {
            const k = keyed ? keyOf(key) : ''
            const found = index.get(k)
            if (found === undefined) {
              g = add(k, row)
              rc.budget.values.holdRow(key, 'aggregation')
              rc.budget.values.hold(sizeOf(k), 'aggregation')
              keys.push(key)
            } else g = found
            lastKey = keys[g]
          }
        }
        for (let i = 0; i < cols.length; i++) cols[i].add(g, row, rc, times)
        last = g
      }
      // no input rows and no grouping keys: one row of empty aggregates (count(*) = 0)
      const empty = index.size === 0 && compiled.every((x) => x.aggregate)
      const emptyRep = scope.names.map(() => null)
      const groupRows = function* (): Generator<Row> {
        for (let g = 0; g < (empty ? 1 : index.size); g++) {
          for (let i = 0; i < cols.length; i++) aggState.values[i] = cols[i].result(g)
          const rep = empty ? emptyRep : keepRow ? reps[g] : none
          yield compiled.map((x, i) => (x.aggregate ? x.f(rep, rc) : lone >= 0 ? loneKeys[g] : keys[g][i]))
        }
      }
      if (order.length && !proj.distinct && proj.limit) {
        // top-k over the groups as they are read out: k rows held, not one per group
        const skip = nonNegativeInt(proj.skip, 'SKIP', rc) ?? 0
        const top = topK(groupRows(), skip + nonNegativeInt(proj.limit, 'LIMIT', rc)!, rc)
        for (let i = skip; i < top.length; i++) yield top[i]
        return
      }
      rows = [...groupRows()]
    } else {
      rows = []
      const project = function* (): Generator<Row> {
        for (const row of input) {
          rc.budget.tick()
          const r = compiled.map((x) => x.f(row, rc))
          for (const s of carriedSlots) r.push(row[s])
          yield r
        }
      }
      if (!order.length && !proj.distinct) {
        // streaming: SKIP and LIMIT without holding rows
        const skip = nonNegativeInt(proj.skip, 'SKIP', rc) ?? 0
        const limit = nonNegativeInt(proj.limit, 'LIMIT', rc) ?? Infinity
        if (limit === 0) return
        let n = 0
        let given = 0
        for (const r of project()) {
          if (n++ < skip) continue
          yield r.length > items.length ? r.slice(0, items.length) : r
          if (++given >= limit) return
        }
        return
      }
      if (order.length && !proj.distinct && proj.limit) {
        // top-k: ORDER BY … LIMIT k holds skip + k rows, never the whole input
        const skip = nonNegativeInt(proj.skip, 'SKIP', rc) ?? 0
        const k = skip + nonNegativeInt(proj.limit, 'LIMIT', rc)!
        rc.budget.held(k, 'ORDER BY')
        const top = topK(project(), k, rc)
        for (let i = skip; i < top.length; i++) yield top[i].length > items.length ? top[i].slice(0, items.length) : top[i]
        return
      }
      for (const r of project()) {
        rows.push(r)
        rc.budget.held(rows.length, proj.distinct ? 'DISTINCT' : 'ORDER BY')
        rc.budget.values.holdRow(r, proj.distinct ? 'DISTINCT' : 'ORDER BY')
      }
    }
    if (proj.distinct) {
      const seen = new Set<string>()
      rows = rows.filter((r) => {
        const k = keyOf(r.slice(0, items.length))
        if (seen.has(k)) return false
        seen.add(k)
        return true
      })
    }
    const skip = nonNegativeInt(proj.skip, 'SKIP', rc) ?? 0
    const limit = nonNegativeInt(proj.limit, 'LIMIT', rc)
    if (order.length) rows = topK(rows, limit === undefined ? Infinity : skip + limit, rc)
    const end = limit === undefined ? rows.length : skip + limit
    for (let i = skip; i < Math.min(end, rows.length); i++) yield rows[i].length > items.length ? rows[i].slice(0, items.length) : rows[i]
  }
  const describe = [
    ...(grouping ? [weightSlot === undefined ? 'Aggregation' : 'WeightedAggregation'] : []),
    ...(proj.distinct ? ['Distinct'] : []),
    ...(order.length ? [proj.limit && !proj.distinct ? 'Top' : 'Sort'] : proj.skip || proj.limit ? ['Limit'] : []),
    isReturn ? 'ProduceResults' : 'Projection',
  ]
  return { scope: out, op, columns, writes: false, describe, grouping }
}

