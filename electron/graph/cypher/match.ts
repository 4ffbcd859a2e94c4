// MATCH: a pattern planned into steps that use the store's seeks. Each path starts at its
// cheapest node — one already bound, an id(n) seek, a primary-key seek (from the pattern's
// property map or a WHERE equality), a label scan, or, last, every vertex — then expands edge by
// edge through the adjacency indexes (by src for out-edges, by dst for in-edges). WHERE is split
// into its AND-ed parts, each checked as soon as its variables are bound. Within one MATCH an
// edge is used at most once (Cypher's relationship uniqueness).
import type { Expr, NodePat, PatternPath, RelPat } from './ast'
import { cypherError } from './errors'
import { compile, type Compiled, type EvalContext } from './expressions'
import type { LabelRecord } from '../store/label-tables'
import { valueToStored, ValueError, type Stored } from '../store/values'
import { indexKind } from '../store/schema'
import type { PropertyType } from '../../../shared/graph'
import { MinHeap } from '../heap'
import { degreeOf, degreesOf, type LabelCsr } from './label-csr'
import { Scope, type Row } from './scope'
import { asPredicate, EdgeV, equals, NodeV, PathV, typeName, type Value } from './values'

/** Names of the slots given to anonymous pattern elements: a space makes them unwritable in Cypher. */
let anonCount = 0
export const anonName = (what: string): string => ` ${what}${anonCount++}`
export const isAnon = (name: string): boolean => name.startsWith(' ')

interface Conjunct {
  test: Compiled
  vars: Set<string>
  done?: boolean
}

type Start =
  | { k: 'bound' }
  | { k: 'id'; expr: Compiled }
  | { k: 'primary'; label: LabelRecord; expr: Compiled }
  | { k: 'index'; label: LabelRecord; prop: number; expr: Compiled }
  | { k: 'label'; label: LabelRecord; columns?: number[]; filter?: { prop: number; expr: Compiled } }
  | { k: 'labels'; labels: LabelRecord[] }
  | { k: 'all' }

interface NodeStep {
  k: 'node'
  slot: number
  start: Start
  check: NodeCheck
  /** The pattern has at most one label, no properties and no inline WHERE: a scan of its label checked it all. */
  labelOnly: boolean
  /**
   * The next step is fused (ExpandStep.fused) from this vertex, and nothing after the MATCH reads
   * the vertex: weighted, the counts of all the start vertices are summed into one row (sumStarts)
   * instead of a row per start vertex.
   */
  sumStarts?: boolean
}

interface ExpandStep {
  k: 'expand'
  from: number
  to: number
  rel: number
  /** Direction of the stored edge relative to the walk from `from` to `to`. */
  dir: 'out' | 'in' | 'both'
  /** The walk goes against the pattern's left-to-right order. */
  leftward: boolean
  types: LabelRecord[]
  varLength?: { min: number; max: number }
  relCheck: EdgeCheck
  check: NodeCheck
  /** Other relationships in the MATCH could repeat this one's edge: track them (relationship uniqueness). */
  unique?: boolean
  /** A fixed-length step whose edge a later step that walks edges must not walk again: it keeps the edge in the `used` set. */
  records?: boolean
  /** An earlier step keeps its edges in the `used` set (a var-length walk always does): this one skips those. */
  tests?: boolean
  /**
   * Nothing reads what this step binds (an anonymous relationship to an anonymous vertex that no
   * check needs, last in the MATCH): it only multiplies the row, by the vertex's degree, so the
   * edges are counted on the index instead of read (Neo4j's GetDegree).
   */
  countOnly?: boolean
  /**
   * With countOnly and other relationships in the MATCH: the slots of the expands before this one,
   * whose edges this step may not walk again (relationship uniqueness), so they are taken off its count.
   */
  earlierRels?: number[]
  /**
   * The step may walk the CSR snapshots of its edge labels (label-csr.ts) instead of seeking each
   * vertex's edges: a fixed-length, typed relationship that nothing reads (no properties, no inline
   * WHERE, no path), bound to a WalkedEdge; in a MATCH whose steps keep the `used` set only when
   * all of those may walk snapshots (an edge is then named by its snapshot position).
   */
  walkable?: boolean
  /** The one label the target can have by the edge labels' constraints (no lookup), else null. */
  toLabel?: LabelRecord | null
  /**
   * A walkable step right before the counted last step, whose target nothing reads or checks: per
   * start vertex the counts of all its targets are summed into one weighted row (two hops counted
   * without a row per first hop).
   */
  fused?: boolean
  /** The patterns, for the planner's checks. */
  relPat: RelPat
  toPat: NodePat
  inPath: boolean
}

/**
 * An edge walked on a CSR snapshot: its label and ends, enough for countEdges' relationship
 * uniqueness. Only ever in the slot of a relationship no clause reads (ExpandStep.walkable).
 */
class WalkedEdge {
  constructor(
    readonly label: LabelRecord,
    readonly src: number,
    readonly dst: number,
  ) {}
}

/** What countEdges needs of an earlier edge. */
interface EdgeEnds {
  label: LabelRecord
  src: number
  dst: number
}

interface ShortestStep {
  k: 'shortest'
  from: number
  to: number
  rel: number
  dir: 'out' | 'in' | 'both'
  types: LabelRecord[]
  maxHops: number
  all: boolean
  path?: number
}

interface PathStep {
  k: 'path'
  slot: number
  nodes: number[]
  rels: { slot: number; varLength: boolean }[]
}

type Step = (NodeStep | ExpandStep | ShortestStep | PathStep) & { conjuncts: Conjunct[] }

type NodeCheck = (n: NodeV, row: Row, c: EvalContext) => boolean
type EdgeCheck = (e: EdgeV, row: Row, c: EvalContext) => boolean

/** Variables an expression reads (over-approximated: any name it mentions). */
export function varsOf(e: Expr | undefined, out = new Set<string>()): Set<string> {
  if (!e) return out
  const walk = (x: unknown): void => {
    if (!x || typeof x !== 'object') return
    if (Array.isArray(x)) return x.forEach(walk)
    const o = x as Record<string, unknown>
    if (o.k === 'var' && typeof o.name === 'string') out.add(o.name)
    // pattern predicates name their variables on the pattern's nodes (and comprehensions their own)
    if (typeof o.variable === 'string') out.add(o.variable)
    for (const [k, v] of Object.entries(o)) if (k !== 'pos') walk(v)
  }
  walk(e)
  return out
}

/** Per variable, the properties an AST reads (`v.key`), or 'all' where it reads the variable itself. */
export type PropertyReads = Map<string, Set<string> | 'all'>

/**
 * Adds to `out` what `e` (any part of a statement's AST) reads of each variable: the keys of
 * `v.key`, or 'all' when `v` is used otherwise (returned, passed to a function, indexed). Over-
 * approximated by name: a label scan reads these properties up front, and the rest on demand.
 */
export function propertyReads(e: unknown, out: PropertyReads = new Map()): PropertyReads {
  const walk = (x: unknown): void => {
    if (!x || typeof x !== 'object') return
    if (Array.isArray(x)) return x.forEach(walk)
    const o = x as Record<string, unknown>
    if (o.k === 'prop' && typeof o.key === 'string' && (o.target as Expr | undefined)?.k === 'var') {
      const name = (o.target as { name: string }).name
      const have = out.get(name)
      if (have !== 'all') out.set(name, (have ?? new Set()).add(o.key))
      if ('value' in o) walk(o.value)
      return
    }
    if (o.k === 'var' && typeof o.name === 'string') out.set(o.name, 'all')
    for (const [k, v] of Object.entries(o)) if (k !== 'pos') walk(v)
  }
  walk(e)
  return out
}

/** The AND-ed parts of a predicate. */
export function conjuncts(e: Expr | undefined): Expr[] {
  if (!e) return []
  if (e.k === 'binary' && e.op === 'AND') return [...conjuncts(e.left), ...conjuncts(e.right)]
  return [e]
}

export interface MatchPlan {
  scope: Scope
  /** The operators, one line each (EXPLAIN): how each node is found and each edge expanded. */
  describe: string[]
  /** The variables the MATCH binds (for OPTIONAL MATCH's nulls). */
  newSlots: number[]
  /**
   * The MATCH ends in a counted expand (ExpandCount): run with `weighted`, it yields each row once
   * with its multiplicity (the edges counted, > 0) at index `scope.size` instead of that many
   * copies. Only an aggregation that reads the weight (execute.ts) may ask for it.
   */
  weightable: boolean
  /**
   * Set when the MATCH is a label scan and a counted expand (`(a:L)<-[:T]-()`, filters on `a`
   * allowed): its start variable, for execute.ts's degree top-k rule. run() with `topDegree` k then
   * yields only the rows of the start vertices whose count reaches the k-th largest (ties included),
   * in scan order.
   */
  degreeStart?: { name: string; label: LabelRecord }
  run(row: Row, c: EvalContext, weighted?: boolean, topDegree?: number): Generator<Row>
}

interface PlanContext {
  view: EvalContext['view']
}

/** What the clauses around a MATCH allow its plan to skip. */
export interface MatchOptions {
  /** The variables that clauses after the MATCH read ('all' after a `*`); absent: every named variable counts as read. */
  readLater?: Set<string> | 'all'
  /** Plan without counting shortcuts (ExpandCount, weighted rows): the reference plan of the differential tests. */
  plain?: boolean
  /** What the statement reads of each variable (propertyReads): a label scan then reads only those properties; absent: all. */
  reads?: PropertyReads
}

/** Plans one MATCH (or the pattern of a MERGE or a pattern predicate) for rows of `input`. */
export function planMatch(patterns: PatternPath[], where: Expr | undefined, input: Scope, pc: PlanContext, options: MatchOptions = {}): MatchPlan {
  const scope = input.clone()
  const bound = new Set(input.names)
  const newSlots: number[] = []
  // name every element, and add its variable
  const named = patterns.map((p) => {
    const nodes = p.nodes.map((n) => {
      const name = n.variable ?? anonName('n')
      const prior = scope.kind(name)
      if (prior && prior !== 'node') throw cypherError('cypher_semantic', `Variable \`${name}\` already declared as another type`)
      if (!scope.has(name)) newSlots.push(scope.add(name, 'node'))
      return name
    })
    const rels = p.rels.map((r) => {
      const name = r.variable ?? anonName('r')
      if (scope.has(name)) throw cypherError('cypher_semantic', `Variable \`${name}\` already declared`)
      newSlots.push(scope.add(name, r.varLength ? 'rels' : 'rel'))
      return name
    })
    if (p.pathVar) {
      if (scope.has(p.pathVar)) throw cypherError('cypher_semantic', `Variable \`${p.pathVar}\` already declared`)
      newSlots.push(scope.add(p.pathVar, 'path'))
    }
    return { p, nodes, rels }
  })
  const env = { scope }
  const allConjuncts: (Conjunct & { expr: Expr })[] = conjuncts(where).map((e) => ({ expr: e, test: compile(e, env), vars: new Set([...varsOf(e)].filter((v) => scope.has(v))) }))
  const steps: Step[] = []
  const take = (): Conjunct[] => {
    const ready = allConjuncts.filter((cj) => !cj.done && [...cj.vars].every((v) => bound.has(v)))
    for (const cj of ready) cj.done = true
    return ready
  }
  // conjuncts that need nothing of the pattern run first
  const first = take()
  if (first.length) steps.push({ k: 'path', slot: -1, nodes: [], rels: [], conjuncts: first })

  for (const { p, nodes, rels } of named) {
    const nodeChecks = p.nodes.map((n) => nodeCheck(n, scope, pc))
    const relTypes = p.rels.map((r) => r.types.map((t) => pc.view.edgeLabel(t)))
    if (p.shortest) {
      if (p.rels.length !== 1) throw cypherError('cypher_unsupported', 'shortestPath needs a pattern of one relationship, such as (a)-[*..5]-(b).')
      for (const n of nodes) {
        if (!bound.has(n)) {
          steps.push({ k: 'node', slot: scope.slot(n), start: chooseStart(p.nodes[nodes.indexOf(n)], n, allConjuncts, bound, scope, pc), check: nodeChecks[nodes.indexOf(n)], labelOnly: false, conjuncts: [] })
          bound.add(n)
          steps[steps.length - 1].conjuncts = take()
        }
      }
      const r = p.rels[0]
      bound.add(rels[0])
      if (p.pathVar) bound.add(p.pathVar)
      steps.push({
        k: 'shortest',
        from: scope.slot(nodes[0]),
        to: scope.slot(nodes[1]),
        rel: scope.slot(rels[0]),
        dir: r.dir,
        types: relTypes[0],
        maxHops: r.varLength?.max ?? (r.varLength ? 15 : 1),
        all: p.shortest === 'all',
        path: p.pathVar ? scope.slot(p.pathVar) : undefined,
        conjuncts: take(),
      })
      continue
    }
    // where to start this path
    let k = nodes.findIndex((n) => bound.has(n))
    let start: Start = { k: 'bound' }
    if (k < 0) {
      const options = p.nodes.map((n, i) => chooseStart(n, nodes[i], allConjuncts, bound, scope, pc))
      const cost = (s: Start) => (s.k === 'id' ? 0 : s.k === 'primary' ? 1 : s.k === 'index' ? 2 : s.k === 'label' ? (s.filter ? 9 : 10) + s.label.count : s.k === 'labels' ? 10 + s.labels.reduce((a, l) => a + l.count, 0) : 1e15)
      k = 0
      for (let i = 1; i < options.length; i++) if (cost(options[i]) < cost(options[k])) k = i
      start = options[k]
    }
    if (start.k !== 'bound' || !bound.has(nodes[k])) {
      bound.add(nodes[k])
      steps.push({ k: 'node', slot: scope.slot(nodes[k]), start, check: nodeChecks[k], labelOnly: labelOnly(p.nodes[k]), conjuncts: take() })
    } else {
      // a bound start still has to satisfy this pattern's label and properties
      steps.push({ k: 'node', slot: scope.slot(nodes[k]), start, check: nodeChecks[k], labelOnly: labelOnly(p.nodes[k]), conjuncts: take() })
    }
    const expand = (i: number, leftward: boolean) => {
      const r: RelPat = p.rels[i]
      const fromName = leftward ? nodes[i + 1] : nodes[i]
      const toName = leftward ? nodes[i] : nodes[i + 1]
      const toIndex = leftward ? i : i + 1
      const dir = r.dir === 'both' ? 'both' : leftward ? (r.dir === 'out' ? 'in' : 'out') : r.dir
      bound.add(rels[i])
      bound.add(toName)
      steps.push({
        k: 'expand',
        from: scope.slot(fromName),
        to: scope.slot(toName),
        rel: scope.slot(rels[i]),
        dir,
        leftward,
        types: relTypes[i],
        varLength: r.varLength && { min: r.varLength.min, max: r.varLength.max ?? Number.MAX_SAFE_INTEGER },
        relCheck: edgeCheck(r, scope),
        check: nodeChecks[toIndex],
        conjuncts: take(),
        relPat: r,
        toPat: p.nodes[toIndex],
        inPath: !!p.pathVar,
      })
    }
    for (let i = k; i < p.rels.length; i++) expand(i, false)
    for (let i = k - 1; i >= 0; i--) expand(i, true)
    if (p.pathVar) {
      bound.add(p.pathVar)
      steps.push({
        k: 'path',
        slot: scope.slot(p.pathVar),
        nodes: nodes.map((n) => scope.slot(n)),
        rels: rels.map((r, i) => ({ slot: scope.slot(r), varLength: !!p.rels[i].varLength })),
        conjuncts: take(),
      })
    }
  }
  // with one fixed-length relationship in the whole MATCH no edge can repeat: no set to keep
  const expands = steps.filter((st): st is ExpandStep & { conjuncts: Conjunct[] } => st.k === 'expand')
  for (const st of expands) st.unique = expands.length > 1 || !!st.varLength
  const lastStep = steps[steps.length - 1]
  if (!options.plain && lastStep?.k === 'expand' && !lastStep.varLength && !lastStep.conjuncts.length && !allConjuncts.some((cj) => !cj.done)) {
    const unread = unreadNames(named, where, input, options.readLater)
    if (countablePattern(named, lastStep, scope, pc, unread)) {
      lastStep.countOnly = true
      if (lastStep.unique) lastStep.earlierRels = expands.filter((st) => st !== lastStep).map((st) => st.rel)
    }
  }
  // the `used` set only between steps that walk edges (a counted last step takes the earlier edges off its count)
  expands.forEach((st, i) => {
    st.records = !st.varLength && expands.slice(i + 1).some((x) => !x.countOnly)
    st.tests = expands.slice(0, i).some((x) => x.records || x.varLength)
  })
  if (!options.plain) {
    planWalks(steps, expands, unreadNames(named, where, input, options.readLater), scope, pc)
    planSumStarts(steps, scope, input, options.readLater)
  }
  const rest = allConjuncts.filter((cj) => !cj.done)
  if (rest.length) steps.push({ k: 'path', slot: -1, nodes: [], rels: [], conjuncts: rest })
  if (options.reads) {
    for (const st of steps) if (st.k === 'node' && st.start.k === 'label') st.start.columns = scanColumns(st.start.label, scope.names[st.slot], named, options.reads)
  }

  return {
    scope,
    newSlots,
    describe: steps.map((st) => describeStep(st, scope)).filter((x) => x !== ''),
    weightable: lastStep?.k === 'expand' && !!lastStep.countOnly,
    degreeStart: degreeShape(steps) ? { name: scope.names[(steps[0] as NodeStep).slot], label: ((steps[0] as NodeStep).start as { label: LabelRecord }).label } : undefined,
    run(row: Row, c: EvalContext, weighted = false, topDegree?: number): Generator<Row> {
      const work = row.slice()
      work.length = scope.size
      for (let i = row.length; i < scope.size; i++) work[i] = null
      const walks = chooseWalks(steps, c)
      if (topDegree !== undefined && weighted && degreeShape(steps)) {
        const top = topDegreeStarts(steps[0] as NodeStep & { conjuncts: Conjunct[] }, steps[1] as ExpandStep, topDegree, work, c)
        if (top) return runFrom(top, steps, work, c, walks)
      }
      return runSteps(steps, 0, work, c, new Set(), weighted, walks)
    },
  }
}

/** A label scan then a counted expand, nothing else: the shape of the degree top-k rule. */
function degreeShape(steps: Step[]): boolean {
  return steps.length === 2 && steps[0].k === 'node' && steps[0].start.k === 'label' && steps[1].k === 'expand' && !!steps[1].countOnly && !steps[1].earlierRels
}

/** The weighted rows of the given start vertices (degree top-k): each through the counted expand. */
function* runFrom(starts: NodeV[], steps: Step[], row: Row, c: EvalContext, walks: Walks): Generator<Row> {
  const slot = (steps[0] as NodeStep).slot
  for (const n of starts) {
    row[slot] = n
    yield* runSteps(steps, 1, row, c, new Set(), true, walks)
  }
}

/**
 * The start vertices whose count over expand `e` is among the `k` largest, ties at the k-th
 * included, in scan order; those that pass the node step's checks. Any other vertex has at least
 * k groups counted strictly more before it, so an aggregation keyed by the vertex and ordered by
 * the count first (execute.ts) never returns it. Undefined when the snapshots are not allowed (a
 * statement that writes): the caller runs the plain steps.
 */
function topDegreeStarts(s: NodeStep & { conjuncts: Conjunct[] }, e: ExpandStep, k: number, row: Row, c: EvalContext): NodeV[] | undefined {
  const snaps = (e.types.length ? e.types : c.view.edgeLabels()).map((l) => c.view.csr(l, true))
  if (snaps.some((x) => !x)) return undefined
  const label = (s.start as { label: LabelRecord }).label
  // without checks on the start, its vids alone (the label's kept vid column); else the scan with its checks
  let nodes: NodeV[] | undefined
  let vids: number[]
  if (!s.conjuncts.length && !(s.start as { filter?: unknown }).filter && s.labelOnly) vids = c.view.labelVids(label)
  else {
    nodes = []
    for (const n of startNodes(s, row, c)) {
      row[s.slot] = n
      if (s.check(n, row, c) && passes(s.conjuncts, row, c)) nodes.push(n)
    }
    row[s.slot] = null
    vids = nodes.map((n) => n.vid)
  }
  const degrees = degreesOf(snaps as LabelCsr[], vids, e.dir)
  const least = Math.max(1, kthLargest(degrees, k))
  const out: NodeV[] = []
  for (let i = 0; i < degrees.length; i++) if (degrees[i] >= least) out.push(nodes ? nodes[i] : new NodeV(vids[i], label))
  return out
}

/** The k-th largest of `xs` (Infinity when k = 0, 0 when there are fewer than k). */
function kthLargest(xs: Int32Array, k: number): number {
  if (k === 0) return Infinity
  if (xs.length < k) return 0
  const heap = new MinHeap(k)
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]
    if (heap.size < k) heap.push(i, x)
    else if (x > heap.topKey()) {
      heap.pop()
      heap.push(i, x)
    }
  }
  return heap.topKey()
}

/**
 * Marks the steps that may walk CSR snapshots and the ones fused into the counted last step
 * (ExpandStep.walkable, .fused): see there.
 */
function planWalks(steps: Step[], expands: ExpandStep[], unread: (name: string) => boolean, scope: Scope, pc: PlanContext): void {
  for (const st of expands) {
    const r = st.relPat
    st.walkable = !st.varLength && !st.countOnly && st.types.length > 0 && !st.inPath && !r.props && !r.where && unread(scope.names[st.rel])
    const ends = st.dir === 'out' ? [pc.view.endLabel(st.types, 1)] : st.dir === 'in' ? [pc.view.endLabel(st.types, 0)] : [pc.view.endLabel(st.types, 0), pc.view.endLabel(st.types, 1)]
    st.toLabel = ends.every((l) => l === ends[0]) ? ends[0] : null
  }
  // the `used` set holds snapshot positions or edge keys, never both: all of its steps walk snapshots, or none
  const keeping = expands.filter((st) => st.records || st.tests || st.varLength)
  if (!keeping.every((st) => st.walkable)) for (const st of keeping) st.walkable = false
  const last = steps[steps.length - 1]
  const before = steps[steps.length - 2]
  if (last?.k === 'expand' && last.countOnly && before?.k === 'expand' && before.walkable && last.from === before.to && !before.conjuncts.length && unread(scope.names[before.to])) {
    const t = before.toPat
    const labelOk = !t.labels.length || (t.labels.length === 1 && before.toLabel === pc.view.vertexLabel(t.labels[0]))
    before.fused = !t.props && !t.where && labelOk
  }
}

/**
 * Marks the start step before a fused step whose vertex nothing after the MATCH reads
 * (NodeStep.sumStarts). The MATCH itself reads it only in the start's own checks: a fused step and
 * the counted step after it have no checks, and are the last.
 */
function planSumStarts(steps: Step[], scope: Scope, input: Scope, readLater: MatchOptions['readLater']): void {
  const i = steps.length - 3
  const s = steps[i]
  const fused = steps[i + 1]
  if (i < 0 || s.k !== 'node' || s.start.k === 'bound' || fused.k !== 'expand' || !fused.fused || fused.from !== s.slot) return
  const name = scope.names[s.slot]
  s.sumStarts = isAnon(name) || (readLater !== undefined && readLater !== 'all' && !readLater.has(name) && !input.has(name))
}

/** Per step, the snapshots a walkable step walks in this run (aligned with its types), or null: it seeks. */
type Walks = (LabelCsr[] | null)[]

/** Which walkable steps get their snapshots (c.view.csr decides); the ones keeping the `used` set all or none. */
function chooseWalks(steps: Step[], c: EvalContext): Walks {
  const walks: Walks = steps.map((st) => {
    if (st.k !== 'expand' || !st.walkable) return null
    const snaps = st.types.map((l) => c.view.csr(l))
    return snaps.every((x) => x) ? (snaps as LabelCsr[]) : null
  })
  const keeping = steps.flatMap((st, i) => (st.k === 'expand' && st.walkable && (st.records || st.tests) ? [i] : []))
  if (keeping.some((i) => !walks[i])) for (const i of keeping) walks[i] = null
  return walks
}

/**
 * The names of a MATCH that nothing reads: anonymous ones, and named ones that are new here, occur
 * once in the patterns, and that no property map, inline WHERE, the WHERE or a later clause names.
 */
function unreadNames(named: { p: PatternPath; nodes: string[]; rels: string[] }[], where: Expr | undefined, input: Scope, readLater: MatchOptions['readLater']): (name: string) => boolean {
  if (readLater === undefined || readLater === 'all') return isAnon
  const occurs = new Map<string, number>()
  const mentioned = varsOf(where)
  for (const { p, nodes, rels } of named) {
    for (const n of [...nodes, ...rels]) occurs.set(n, (occurs.get(n) ?? 0) + 1)
    for (const x of [...p.nodes, ...p.rels]) {
      varsOf(x.props, mentioned)
      varsOf(x.where, mentioned)
    }
  }
  return (name) => isAnon(name) || (!input.has(name) && occurs.get(name) === 1 && !mentioned.has(name) && !readLater.has(name))
}

/**
 * Whether expand step `st` (the last of a MATCH) binds nothing anyone reads: its relationship and
 * target are unread (`unread`) with no properties or inline WHERE, and the target's label, if it
 * has one, is the only one the edge labels' constraints allow at that end.
 */
function countablePattern(named: { p: PatternPath; nodes: string[]; rels: string[] }[], st: ExpandStep, scope: Scope, pc: PlanContext, unread: (name: string) => boolean): boolean {
  for (const { p, nodes, rels } of named) {
    const r = rels.findIndex((name) => scope.slot(name) === st.rel)
    if (r < 0) continue
    if (p.pathVar || !unread(rels[r]) || !unread(scope.names[st.to])) return false
    const rel = p.rels[r]
    const target = p.nodes[nodes.findIndex((name) => scope.slot(name) === st.to)]
    if (rel.props || rel.where || rel.varLength || !target || target.props || target.where || target.labels.length > 1) return false
    if (!target.labels.length) return true
    if (!st.types.length) return false
    const want = pc.view.vertexLabel(target.labels[0])
    const ends = st.dir === 'out' ? [pc.view.endLabel(st.types, 1)] : st.dir === 'in' ? [pc.view.endLabel(st.types, 0)] : [pc.view.endLabel(st.types, 0), pc.view.endLabel(st.types, 1)]
    return ends.every((l) => l === want)
  }
  return false
}

/** The properties of `label` a scan binding `name` reads up front: those the statement and the pattern maps name (all when it reads the vertex itself). */
function scanColumns(label: LabelRecord, name: string, named: { p: PatternPath; nodes: string[] }[], reads: PropertyReads): number[] | undefined {
  const read = isAnon(name) ? new Set<string>() : reads.get(name)
  if (read === 'all') return undefined
  const keys = new Set(read)
  for (const { p, nodes } of named) {
    p.nodes.forEach((n, i) => {
      if (nodes[i] !== name || !n.props) return
      if (n.props.k !== 'map') return keys.add('*')
      for (const [k] of n.props.entries) keys.add(k)
    })
  }
  if (keys.has('*')) return undefined
  const props = label.def.properties
  const columns = props.map((p, i) => (keys.has(p.name) ? i : -1)).filter((i) => i >= 0)
  return columns.length === props.length ? undefined : columns
}

/** One step in EXPLAIN's words (Neo4j's operator names); '' for steps that only filter. */
function describeStep(st: Step, scope: Scope): string {
  const name = (slot: number) => {
    const n = scope.names[slot]
    return isAnon(n) ? '' : n
  }
  const types = (ls: LabelRecord[]) => (ls.length ? `:${ls.map((l) => l.name).join('|')}` : '')
  switch (st.k) {
    case 'node': {
      const v = name(st.slot)
      const s = st.start
      switch (s.k) {
        case 'bound':
          return `Argument(${v})`
        case 'id':
          return `NodeByIdSeek(${v})`
        case 'primary':
          return `NodeIndexSeek(${v}:${s.label.name}.${s.label.def.type === 'VERTEX' ? s.label.def.primary : ''}, primary)`
        case 'index':
          return `NodeIndexSeek(${v}:${s.label.name}.${s.label.def.properties[s.prop].name})`
        case 'label':
          return s.filter ? `NodeByLabelScan(${v}:${s.label.name}, ${s.label.def.properties[s.filter.prop].name} =)` : `NodeByLabelScan(${v}:${s.label.name})`
        case 'labels':
          return `NodeByLabelScan(${v}:${s.labels.map((l) => l.name).join('|')})`
        case 'all':
          return `AllNodesScan(${v})`
      }
      return ''
    }
    case 'expand': {
      const arrow = st.dir === 'out' ? ['-', '->'] : st.dir === 'in' ? ['<-', '-'] : ['-', '-']
      const len = st.varLength ? `*${st.varLength.min}..${st.varLength.max === Number.MAX_SAFE_INTEGER ? '' : st.varLength.max}` : ''
      // CsrExpand / CsrExpandSum walk the label's CSR snapshot when the statement may take it (else they seek as Expand does)
      const op = st.varLength ? 'VarLengthExpand' : st.countOnly ? 'ExpandCount' : st.fused ? 'CsrExpandSum' : st.walkable ? 'CsrExpand' : 'Expand'
      return `${op}((${name(st.from)})${arrow[0]}[${name(st.rel)}${types(st.types)}${len}]${arrow[1]}(${name(st.to)}))`
    }
    case 'shortest':
      return `${st.all ? 'AllShortestPaths' : 'ShortestPath'}((${name(st.from)}), (${name(st.to)}))`
    case 'path':
      return st.slot >= 0 ? `NamedPath(${name(st.slot)})` : ''
  }
}

function chooseStart(n: NodePat, name: string, cjs: (Conjunct & { expr: Expr })[], bound: Set<string>, scope: Scope, pc: PlanContext): Start {
  if (bound.has(name)) return { k: 'bound' }
  const labels = n.labels.map((l) => pc.view.vertexLabel(l))
  const independent = (e: Expr) => [...varsOf(e)].every((v) => !scope.has(v) || bound.has(v))
  // id(n) = x / id(n) IN list
  for (const cj of cjs) {
    const e = cj.expr
    if (e.k !== 'binary' || (e.op !== '=' && e.op !== 'IN')) continue
    const isId = (x: Expr) => x.k === 'call' && x.name.toLowerCase() === 'id' && x.args.length === 1 && x.args[0].k === 'var' && x.args[0].name === name
    const other = isId(e.left) ? e.right : e.op === '=' && isId(e.right) ? e.left : undefined
    if (other && independent(other)) {
      const f = compile(other, { scope })
      return { k: 'id', expr: e.op === 'IN' ? f : (r, c) => [f(r, c)] }
    }
  }
  if (labels.length === 1) {
    const label = labels[0]
    const def = label.def
    // the primary key first, then any other indexed property (db.addIndex, a schema's `index`)
    const keys = def.properties
      .map((p, i) => ({ name: p.name, i, primary: def.type === 'VERTEX' && def.primary === p.name, indexed: !!indexKind(def, p) }))
      .filter((x) => x.indexed)
      .sort((a, b) => Number(b.primary) - Number(a.primary))
    for (const key of keys) {
      const seek = (expr: Compiled): Start => (key.primary ? { k: 'primary', label, expr } : { k: 'index', label, prop: key.i, expr })
      if (n.props?.k === 'map') {
        const entry = n.props.entries.find(([k]) => k === key.name)
        if (entry && independent(entry[1])) return seek(compile(entry[1], { scope }))
      }
      for (const cj of cjs) {
        const e = cj.expr
        if (e.k !== 'binary' || e.op !== '=') continue
        const isKey = (x: Expr) => x.k === 'prop' && x.key === key.name && x.target.k === 'var' && x.target.name === name
        const other = isKey(e.left) ? e.right : isKey(e.right) ? e.left : undefined
        if (other && independent(other)) return seek(compile(other, { scope }))
      }
    }
    // an equality on another property: the scan filters in SQLite (the pattern's map or the conjunct still tests each row)
    const filterable = (i: number) => i >= 0 && def.properties[i].type !== 'BLOB' && def.properties[i].type !== 'FLOAT_VECTOR'
    if (n.props?.k === 'map') {
      for (const [k, e] of n.props.entries) {
        const prop = def.properties.findIndex((p) => p.name === k)
        if (filterable(prop) && independent(e)) return { k: 'label', label, filter: { prop, expr: compile(e, { scope }) } }
      }
    }
    for (const cj of cjs) {
      const e = cj.expr
      if (e.k !== 'binary' || e.op !== '=') continue
      const propOf = (x: Expr) => (x.k === 'prop' && x.target.k === 'var' && x.target.name === name ? def.properties.findIndex((p) => p.name === x.key) : -1)
      const [prop, other] = propOf(e.left) >= 0 ? [propOf(e.left), e.right] : [propOf(e.right), e.left]
      if (!filterable(prop) || !independent(other)) continue
      return { k: 'label', label, filter: { prop, expr: compile(other, { scope }) } }
    }
    return { k: 'label', label }
  }
  if (labels.length > 1) return { k: 'labels', labels }
  return { k: 'all' }
}

function propsCheck(props: Expr | undefined, scope: Scope): ((read: (key: string) => Value, row: Row, c: EvalContext) => boolean) | undefined {
  if (!props) return undefined
  if (props.k !== 'map') {
    const f = compile(props, { scope })
    return (read, row, c) => {
      const m = f(row, c)
      if (m === null) return false
      if (typeof m !== 'object' || Array.isArray(m)) throw cypherError('cypher_runtime', `Type mismatch: a property map was expected, got ${typeName(m)}.`)
      return Object.entries(m).every(([k, v]) => equals(read(k), v) === true)
    }
  }
  const entries = props.entries.map(([k, e]) => [k, compile(e, { scope })] as const)
  return (read, row, c) => {
    for (const [k, f] of entries) if (equals(read(k), f(row, c)) !== true) return false
    return true
  }
}

const labelOnly = (n: NodePat): boolean => !n.props && !n.where && n.labels.length <= 1

function nodeCheck(n: NodePat, scope: Scope, pc: PlanContext): NodeCheck {
  const labels = n.labels.map((l) => pc.view.vertexLabel(l).name)
  const props = propsCheck(n.props, scope)
  const where = n.where && compile(n.where, { scope })
  return (node, row, c) => {
    if (labels.length && !labels.includes(node.label.name)) return false
    if (props && !props((k) => c.view.prop(node, k), row, c)) return false
    return where ? asPredicate(where(row, c)) : true
  }
}

function edgeCheck(r: RelPat, scope: Scope): EdgeCheck {
  const props = propsCheck(r.props, scope)
  const where = r.where && compile(r.where, { scope })
  return (e, row, c) => {
    if (props && !props((k) => e.props[k] ?? null, row, c)) return false
    return where ? asPredicate(where(row, c)) : true
  }
}

function passes(cjs: Conjunct[], row: Row, c: EvalContext): boolean {
  for (const cj of cjs) if (!asPredicate(cj.test(row, c))) return false
  return true
}

function toVid(v: Value): number | null {
  if (typeof v === 'bigint') return Number(v)
  if (typeof v === 'number' && Number.isInteger(v)) return v
  return null
}

/** A seek's key as the stored value of the property's type; undefined when it matches nothing (null, another type). */
function seekKey(type: PropertyType, key: Value): Stored | undefined {
  if (key === null) return undefined
  try {
    return valueToStored(type, typeof key === 'bigint' && key >= BigInt(Number.MIN_SAFE_INTEGER) && key <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(key) : key)
  } catch (e) {
    if (e instanceof ValueError) return undefined
    throw e
  }
}

/** The start vertices of a node step: a label scan's own iterator or array (no generator around each of its rows), else seekNodes. */
function startNodes(s: NodeStep, row: Row, c: EvalContext): Iterable<NodeV> {
  const st = s.start
  if (st.k !== 'label') return seekNodes(s, row, c)
  if (!st.filter) return c.view.scanLabel(st.label, { columns: st.columns })
  const value = seekKey(st.label.def.properties[st.filter.prop].type, st.filter.expr(row, c))
  return value === undefined ? [] : c.view.scanLabel(st.label, { columns: st.columns, filter: { prop: st.filter.prop, value } })
}

function* seekNodes(s: NodeStep, row: Row, c: EvalContext): Generator<NodeV> {
  const st = s.start
  switch (st.k) {
    case 'bound': {
      const v = row[s.slot]
      if (v instanceof NodeV) yield v
      else if (v !== null) throw cypherError('cypher_runtime', `Type mismatch: expected a node, got ${typeName(v)}.`)
      return
    }
    case 'id': {
      const ids = st.expr(row, c)
      if (!Array.isArray(ids)) return
      for (const id of ids) {
        const vid = toVid(id)
        const n = vid === null ? null : c.view.node(vid)
        if (n) yield n
      }
      return
    }
    case 'primary':
    case 'index': {
      const prop = st.k === 'index' ? st.label.def.properties[st.prop] : st.label.def.properties.find((p) => st.label.def.type === 'VERTEX' && p.name === st.label.def.primary)!
      const stored = seekKey(prop.type, st.expr(row, c))
      if (stored === undefined) return
      if (st.k === 'index') {
        yield* c.view.byIndex(st.label, st.prop, stored)
        return
      }
      const n = c.view.byPrimary(st.label, stored)
      if (n) yield n
      return
    }
    case 'label': {
      if (!st.filter) {
        yield* c.view.scanLabel(st.label, { columns: st.columns })
        return
      }
      const value = seekKey(st.label.def.properties[st.filter.prop].type, st.filter.expr(row, c))
      if (value !== undefined) yield* c.view.scanLabel(st.label, { columns: st.columns, filter: { prop: st.filter.prop, value } })
      return
    }
    case 'labels':
      for (const l of st.labels) yield* c.view.scanLabel(l)
      return
    case 'all':
      yield* c.view.scanAll()
  }
}

/** Edges from `vid` for a step; `forward` is set relative to the pattern's left-to-right order. */
function stepEdges(vid: number, dir: 'out' | 'in' | 'both', leftward: boolean, types: LabelRecord[], c: EvalContext): { e: EdgeV; other: number }[] {
  const out: { e: EdgeV; other: number }[] = []
  const add = (e: EdgeV, other: number) => {
    // forward: the stored src is the pattern's left node
    const leftVid = leftward ? other : vid
    const forward = e.src === leftVid
    out.push({ e: forward === e.forward ? e : e.reversed(), other })
  }
  if (dir === 'out' || dir === 'both') for (const e of c.view.edges(vid, 'out', types)) add(e, e.dst)
  if (dir === 'in' || dir === 'both') for (const e of c.view.edges(vid, 'in', types)) if (!(dir === 'both' && e.src === e.dst)) add(e, e.src)
  return out
}

/**
 * How many edges of expand step `s` from vertex `from` the MATCH may still walk: its degree less
 * the earlier steps' edges among them (in the row, and `pending`: an edge a fused step walks).
 */
function countEdges(s: ExpandStep, from: number, row: Row, c: EvalContext, pending?: EdgeEnds, snaps?: LabelCsr[]): number {
  let n = 0
  if (snaps) for (let t = 0; t < snaps.length; t++) n += degreeOf(snaps[t], from, s.dir)
  else n = c.view.degree(from, s.dir, s.types)
  if (!s.earlierRels || n === 0) return n
  if (pending && walksEdge(s, from, pending)) n--
  for (const slot of s.earlierRels) {
    const v = row[slot] as Value | WalkedEdge
    if (v instanceof EdgeV || v instanceof WalkedEdge) n -= walksEdge(s, from, v) ? 1 : 0
    else if (Array.isArray(v)) for (const e of v) if (e instanceof EdgeV && walksEdge(s, from, e)) n--
  }
  return n
}

/** Whether counted step `s` from vertex `from` would walk edge `e` (then an earlier step walked it: relationship uniqueness). */
function walksEdge(s: ExpandStep, from: number, e: EdgeEnds): boolean {
  return (!s.types.length || s.types.includes(e.label)) && (s.dir === 'out' ? e.src === from : s.dir === 'in' ? e.dst === from : e.src === from || e.dst === from)
}

/**
 * A fused step (ExpandStep.fused) from vertex `from`: the sum over the edges it walks on `snaps`
 * of what the counted step `next` counts from each target (on its snapshots `nextSnaps` when
 * taken), less, per target, the edges walked before that `next` would walk again: this step's own
 * edge and the earlier steps' (relationship uniqueness, as countEdges).
 */
function fusedCount(s: ExpandStep, snaps: LabelCsr[], next: ExpandStep, nextSnaps: LabelCsr[] | undefined, from: number, row: Row, c: EvalContext, used: Set<string | number>): number {
  const earlier: EdgeEnds[] = []
  let own = false
  for (const slot of next.earlierRels ?? []) {
    if (slot === s.rel) own = true
    const v = row[slot] as Value | WalkedEdge
    if (v instanceof EdgeV || v instanceof WalkedEdge) earlier.push(v)
    else if (Array.isArray(v)) for (const e of v) if (e instanceof EdgeV) earlier.push(e)
  }
  const nd = next.dir
  let total = 0
  for (let half = 0; half < 2; half++) {
    // out-edges of every label, then in-edges (as stepEdges lists them)
    const outward = half === 0
    if ((outward && s.dir === 'in') || (!outward && s.dir === 'out')) continue
    for (let t = 0; t < snaps.length; t++) {
      const key = s.types[t].tbl * EDGE_KEY_SPAN
      // whether `next` walks edges of this label at all (its own edge is then taken off where it would walk it again)
      const again = own && (!next.types.length || next.types.includes(s.types[t]))
      const csr = outward ? snaps[t].out : snaps[t].in
      const { offsets, targets } = csr
      const inEdge = snaps[t].inEdge
      const end = from + 1 < offsets.length ? offsets[from + 1] : 0
      for (let p = from + 1 < offsets.length ? offsets[from] : 0; p < end; p++) {
        const other = targets[p]
        if (!outward && s.dir === 'both' && other === from) continue
        if (s.tests && used.has(key + (outward ? p : inEdge[p]))) continue
        let n = 0
        if (nextSnaps) for (let u = 0; u < nextSnaps.length; u++) n += degreeOf(nextSnaps[u], other, nd)
        else n = c.view.degree(other, nd, next.types)
        if (n === 0) continue
        if (again) {
          // this step's edge: from → other (outward) or other → from; `next` walks from `other`
          const src = outward ? from : other
          const dst = outward ? other : from
          if (nd === 'out' ? src === other : nd === 'in' ? dst === other : true) n--
        }
        for (let k = 0; k < earlier.length; k++) if (walksEdge(next, other, earlier[k])) n--
        total += n
      }
    }
  }
  c.budget.tick()
  return total
}

/**
 * The sum over the start vertices of node step `i` (NodeStep.sumStarts) that pass its checks of
 * what the fused step after it counts from each (fusedCount): the weight of the one row they make.
 */
function sumStarts(steps: Step[], i: number, row: Row, c: EvalContext, used: Set<string | number>, walks: Walks): number {
  const s = steps[i] as NodeStep & { conjuncts: Conjunct[] }
  const fused = steps[i + 1] as ExpandStep
  const next = steps[i + 2] as ExpandStep
  const snaps = walks[i + 1]!
  const nextSnaps = nextStepSnaps(next, c)
  let total = 0
  for (const n of startNodes(s, row, c)) {
    row[s.slot] = n
    if (s.check(n, row, c) && passes(s.conjuncts, row, c)) total += fusedCount(fused, snaps, next, nextSnaps, n.vid, row, c, used)
  }
  return total
}

/** The snapshots of the counted step after a fused one, when it has types and all are taken; else undefined (it counts by seeks). */
function nextStepSnaps(next: ExpandStep, c: EvalContext): LabelCsr[] | undefined {
  if (!next.types.length) return undefined
  const snaps = next.types.map((l) => c.view.csr(l))
  return snaps.every((x) => x) ? (snaps as LabelCsr[]) : undefined
}

/**
 * The edges step `s` walks from vertex `from` on its snapshots, as stepEdges lists them (out-edges
 * of every label, then in-edges; an undirected step takes a self-loop once): `visit(label, src,
 * dst, other, key)` with `key` naming the edge (label table and position in `out`).
 */
function walkEdges(s: ExpandStep, snaps: LabelCsr[], from: number, visit: (label: LabelRecord, src: number, dst: number, other: number, key: number) => void): void {
  if (s.dir !== 'in') {
    for (let t = 0; t < snaps.length; t++) {
      const { offsets, targets } = snaps[t].out
      if (from + 1 >= offsets.length) continue
      const tbl = s.types[t].tbl * EDGE_KEY_SPAN
      for (let p = offsets[from]; p < offsets[from + 1]; p++) visit(s.types[t], from, targets[p], targets[p], tbl + p)
    }
  }
  if (s.dir !== 'out') {
    for (let t = 0; t < snaps.length; t++) {
      const { offsets, targets } = snaps[t].in
      if (from + 1 >= offsets.length) continue
      const edge = snaps[t].inEdge
      const tbl = s.types[t].tbl * EDGE_KEY_SPAN
      for (let p = offsets[from]; p < offsets[from + 1]; p++) {
        const src = targets[p]
        if (s.dir === 'both' && src === from) continue
        visit(s.types[t], src, from, src, tbl + edge[p])
      }
    }
  }
}
/** Edge positions per label in the keys of walked edges (a snapshot holds fewer than 2^31 edges). */
const EDGE_KEY_SPAN = 2 ** 31

function* runSteps(steps: Step[], i: number, row: Row, c: EvalContext, used: Set<string | number>, weighted: boolean, walks: Walks): Generator<Row> {
  if (i === steps.length) {
    yield row.slice()
    return
  }
  const s = steps[i]
  c.budget.tick()
  switch (s.k) {
    case 'path': {
      if (s.slot >= 0) row[s.slot] = buildPath(s, row, c)
      if (passes(s.conjuncts, row, c)) yield* runSteps(steps, i + 1, row, c, used, weighted, walks)
      return
    }
    case 'node': {
      const saved = row[s.slot]
      if (s.sumStarts && weighted && walks[i + 1]) {
        // nothing reads the start vertex: one weighted row for all of them
        const total = sumStarts(steps, i, row, c, used, walks)
        row[s.slot] = saved
        if (total > 0) {
          const r = row.slice()
          r[row.length] = total
          yield r
        }
        return
      }
      for (const n of startNodes(s, row, c)) {
        row[s.slot] = n
        if (s.check(n, row, c) && passes(s.conjuncts, row, c)) yield* runSteps(steps, i + 1, row, c, used, weighted, walks)
      }
      row[s.slot] = saved
      return
    }
    case 'expand': {
      const from = row[s.from]
      if (!(from instanceof NodeV)) return
      const target = row[s.to]
      const targetBound = target instanceof NodeV
      const savedTo = row[s.to]
      if (s.countOnly) {
        // the last step, read by no one: the row once per edge (or once, weighted), without reading the edges
        const n = countEdges(s, from.vid, row, c)
        if (weighted) {
          if (n > 0) {
            const r = row.slice()
            r[row.length] = n
            yield r
          }
          return
        }
        for (let k = n; k > 0; k--) {
          c.budget.tick()
          yield row.slice()
        }
        return
      }
      const snaps = walks[i]
      if (snaps && s.fused && weighted) {
        // this step's targets are read by no one: the counted step's counts from all of them, summed into one weighted row
        const next = steps[i + 1] as ExpandStep
        const total = fusedCount(s, snaps, next, nextStepSnaps(next, c), from.vid, row, c, used)
        if (total > 0) {
          const r = row.slice()
          r[row.length] = total
          yield r
        }
        return
      }
      if (snaps) {
        // the relationship is read by no one: its edges walked on the snapshots (a WalkedEdge in its slot)
        const found: { e: WalkedEdge; other: number; key: number }[] = []
        walkEdges(s, snaps, from.vid, (label, src, dst, other, key) => {
          if (s.tests && used.has(key)) return
          if (targetBound && (target as NodeV).vid !== other) return
          found.push({ e: new WalkedEdge(label, src, dst), other, key })
        })
        for (const { e, other, key } of found) {
          c.budget.tick()
          const n = targetBound ? (target as NodeV) : s.toLabel ? new NodeV(other, s.toLabel) : c.view.node(other)
          if (!n) continue
          row[s.rel] = e as unknown as Value
          row[s.to] = n
          if (!s.check(n, row, c) || !passes(s.conjuncts, row, c)) continue
          if (!s.records) {
            yield* runSteps(steps, i + 1, row, c, used, weighted, walks)
            continue
          }
          used.add(key)
          yield* runSteps(steps, i + 1, row, c, used, weighted, walks)
          used.delete(key)
        }
        row[s.rel] = null
        row[s.to] = savedTo
        return
      }
      if (!s.varLength) {
        for (const { e, other } of stepEdges(from.vid, s.dir, s.leftward, s.types, c)) {
          if (s.tests && used.has(e.key)) continue
          if (targetBound && (target as NodeV).vid !== other) continue
          const n = targetBound ? (target as NodeV) : c.view.endpoint(e, other)
          if (!n) continue
          row[s.rel] = e
          row[s.to] = n
          if (!s.relCheck(e, row, c) || !s.check(n, row, c) || !passes(s.conjuncts, row, c)) continue
          if (!s.records) {
            yield* runSteps(steps, i + 1, row, c, used, weighted, walks)
            continue
          }
          used.add(e.key)
          yield* runSteps(steps, i + 1, row, c, used, weighted, walks)
          used.delete(e.key)
        }
        row[s.rel] = null
        row[s.to] = savedTo
        return
      }
      // variable length: a depth-first walk that never reuses an edge
      const { min, max } = s.varLength
      const trail: EdgeV[] = []
      const walk = function* (at: NodeV): Generator<Row> {
        c.budget.tick()
        if (trail.length >= min && (!targetBound || (target as NodeV).vid === at.vid)) {
          row[s.rel] = s.leftward ? [...trail].reverse() : [...trail]
          row[s.to] = at
          if (s.check(at, row, c) && passes(s.conjuncts, row, c)) yield* runSteps(steps, i + 1, row, c, used, weighted, walks)
        }
        if (trail.length >= max) return
        for (const { e, other } of stepEdges(at.vid, s.dir, s.leftward, s.types, c)) {
          if (used.has(e.key)) continue
          if (!s.relCheck(e, row, c)) continue
          const n = c.view.endpoint(e, other)
          if (!n) continue
          used.add(e.key)
          trail.push(e)
          yield* walk(n)
          trail.pop()
          used.delete(e.key)
        }
      }
      yield* walk(from)
      row[s.rel] = null
      row[s.to] = savedTo
      return
    }
    case 'shortest': {
      const a = row[s.from]
      const b = row[s.to]
      if (!(a instanceof NodeV) || !(b instanceof NodeV)) return
      for (const path of shortestPaths(a, b, s, c)) {
        row[s.rel] = path.edges
        if (s.path !== undefined) row[s.path] = path
        if (passes(s.conjuncts, row, c)) yield* runSteps(steps, i + 1, row, c, used, weighted, walks)
      }
      row[s.rel] = null
      if (s.path !== undefined) row[s.path] = null
    }
  }
}

function buildPath(s: PathStep, row: Row, c: EvalContext): PathV {
  const nodes: NodeV[] = [row[s.nodes[0]] as NodeV]
  const edges: EdgeV[] = []
  s.rels.forEach((r, i) => {
    const v = row[r.slot]
    if (r.varLength) {
      const list = v as EdgeV[]
      let at = nodes[nodes.length - 1].vid
      list.forEach((e, j) => {
        const next = e.src === at ? e.dst : e.src
        edges.push(e)
        nodes.push(j === list.length - 1 ? (row[s.nodes[i + 1]] as NodeV) : c.view.node(next)!)
        at = next
      })
    } else {
      edges.push(v as EdgeV)
      nodes.push(row[s.nodes[i + 1]] as NodeV)
    }
  })
  return new PathV(nodes, edges)
}

/** Breadth-first shortest paths from a to b (one, or all of the least length), at most maxHops long. */
function shortestPaths(a: NodeV, b: NodeV, s: ShortestStep, c: EvalContext): PathV[] {
  if (a.vid === b.vid) return [new PathV([a], [])]
  if (!s.all) return shortestOne(a, b, s, c)
  // parents[vid] = the edges that reach vid on a shortest walk
  const parents = new Map<number, { from: number; e: EdgeV }[]>([[a.vid, []]])
  let frontier = [a.vid]
  let found = false
  for (let depth = 0; depth < s.maxHops && frontier.length && !found; depth++) {
    const next: number[] = []
    const levelParents = new Map<number, { from: number; e: EdgeV }[]>()
    for (const vid of frontier) {
      for (const { e, other } of stepEdges(vid, s.dir, false, s.types, c)) {
        if (parents.has(other)) continue
        let list = levelParents.get(other)
        if (!list) {
          levelParents.set(other, (list = []))
          next.push(other)
        }
        if (s.all || list.length === 0) list.push({ from: vid, e })
        if (other === b.vid) found = true
      }
    }
    for (const [k, v] of levelParents) parents.set(k, v)
    c.budget.held(parents.size, 'shortestPath')
    frontier = next
  }
  if (!found) return []
  const out: PathV[] = []
  const back = (vid: number, edges: EdgeV[], vids: number[]): void => {
    if (vid === a.vid) {
      const order = [...vids].reverse()
      out.push(new PathV(order.map((v) => c.view.node(v)!), [...edges].reverse()))
      return
    }
    for (const p of parents.get(vid) ?? []) {
      if (!s.all && out.length) return
      edges.push(p.e)
      vids.push(p.from)
      back(p.from, edges, vids)
      edges.pop()
      vids.pop()
    }
  }
  back(b.vid, [], [b.vid])
  return out
}

/**
 * One shortest path from a to b by a breadth-first search from both ends, a level at a time from
 * the smaller frontier: on a social graph each side reaches far fewer vertices than one search
 * from a would. The levels expanded add up to at most maxHops; among the vertices where the two
 * searches meet in a level, the one with the least total depth gives the path.
 */
function shortestOne(a: NodeV, b: NodeV, s: ShortestStep, c: EvalContext): PathV[] {
  const back: Record<'out' | 'in' | 'both', 'out' | 'in' | 'both'> = { out: 'in', in: 'out', both: 'both' }
  type Reach = Map<number, { depth: number; from: number; e: EdgeV | null }>
  const fromA: Reach = new Map([[a.vid, { depth: 0, from: -1, e: null }]])
  const fromB: Reach = new Map([[b.vid, { depth: 0, from: -1, e: null }]])
  let frontA = [a.vid]
  let frontB = [b.vid]
  for (let hops = 0; hops < s.maxHops && frontA.length && frontB.length; hops++) {
    const forward = frontA.length <= frontB.length
    const [mine, theirs, front] = forward ? [fromA, fromB, frontA] : [fromB, fromA, frontB]
    const next: number[] = []
    let best = -1
    let bestDepth = Infinity
    for (const vid of front) {
      const depth = mine.get(vid)!.depth + 1
      // b's side walks the edges backwards; `leftward` makes each edge's `forward` relative to a → b
      for (const { e, other } of stepEdges(vid, forward ? s.dir : back[s.dir], !forward, s.types, c)) {
        if (mine.has(other)) continue
        mine.set(other, { depth, from: vid, e })
        next.push(other)
        const met = theirs.get(other)
        if (met && depth + met.depth < bestDepth) {
          best = other
          bestDepth = depth + met.depth
        }
      }
    }
    c.budget.held(fromA.size + fromB.size, 'shortestPath')
    if (best >= 0) {
      const nodes: NodeV[] = []
      const edges: EdgeV[] = []
      for (let v = best, r = fromA.get(v)!; r.e; v = r.from, r = fromA.get(v)!) {
        edges.unshift(r.e)
        nodes.unshift(c.view.node(r.from)!)
      }
      nodes.push(c.view.node(best)!)
      for (let v = best, r = fromB.get(v)!; r.e; v = r.from, r = fromB.get(v)!) {
        edges.push(r.e)
        nodes.push(c.view.node(r.from)!)
      }
      nodes[0] = a
      nodes[nodes.length - 1] = b
      return [new PathV(nodes, edges)]
    }
    if (forward) frontA = next
    else frontB = next
  }
  return []
}

/** Shortest paths between two vertices (breadth-first; `all`: every path of the least length). */
export function shortestPathsBetween(a: NodeV, b: NodeV, o: { dir: 'out' | 'in' | 'both'; types: LabelRecord[]; maxHops: number; all: boolean }, c: EvalContext): PathV[] {
  return shortestPaths(a, b, { k: 'shortest', from: -1, to: -1, rel: -1, conjuncts: [], ...o } as ShortestStep & { conjuncts: Conjunct[] }, c)
}

/** A pattern predicate: does the pattern match at least once for this row? */
export function patternExists(pattern: PatternPath, row: Row, scope: Scope, c: EvalContext, cache: WeakMap<PatternPath, MatchPlan>): boolean {
  let plan = cache.get(pattern)
  if (!plan) {
    plan = planMatch([pattern], undefined, scope, { view: c.view })
    cache.set(pattern, plan)
  }
  return !plan.run(row, c).next().done
}

export { Scope }
