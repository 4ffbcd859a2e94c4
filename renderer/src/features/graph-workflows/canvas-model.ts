// The graph workflow canvas's pure logic: the stored document (shared/graph-workflows.ts) drawn as
// @xyflow/react nodes and edges, and every canvas edit (add, connect, move, delete, settings) as a
// function from document to document. The validator and the anchors come from the shared module,
// so the canvas and the server agree on what a component has and what is wrong with it.
import { Graph, layout, type EdgeLabel, type GraphLabel, type NodeLabel } from '@dagrejs/dagre'
import { ALGORITHM_NAMES, ALGORITHM_SPECS, type AlgorithmName, type AlgorithmParamSpec, type AlgorithmSpec, type ParamValue } from '../../../../shared/algorithms'
import {
  COMPONENT_ID,
  componentName,
  inputAnchors,
  outputAnchors,
  type AnchorRef,
  type CanvasPosition,
  type GraphWorkflowComponent,
  type GraphWorkflowDocument,
  type GraphWorkflowIssue,
  type GraphWorkflowTaskView,
  type Wire,
} from '../../../../shared/graph-workflows'

/** One entry of the palette: the Query component or one algorithm. */
export type PaletteEntry = { kind: 'query' } | { kind: 'algorithm'; algorithm: AlgorithmName }

export interface PaletteGroup {
  title: string
  entries: { entry: PaletteEntry; label: string; description: string }[]
}

const CATEGORY_ORDER: AlgorithmSpec['category'][] = ['Node importance', 'Path', 'Community', 'Graph feature', 'Clustering', 'Similarity']

/** The palette as Explorer groups it: Query first, then the algorithms by category, each in ALGORITHM_NAMES order. */
export function paletteGroups(): PaletteGroup[] {
  const groups: PaletteGroup[] = [{ title: 'Query', entries: [{ entry: { kind: 'query' }, label: 'Query', description: 'a parameterised Cypher query on a local graph' }] }]
  for (const category of CATEGORY_ORDER) {
    const names = ALGORITHM_NAMES.filter((n) => ALGORITHM_SPECS[n].category === category)
    if (names.length) {
      groups.push({
        title: category,
        entries: names.map((n) => ({ entry: { kind: 'algorithm', algorithm: n }, label: n, description: `${n}: outputs ${ALGORITHM_SPECS[n].columns(paramDefaults(ALGORITHM_SPECS[n].params)).join(', ')}` })),
      })
    }
  }
  return groups
}

/** The given parameters' defaults, by name. */
export const paramDefaults = (params: readonly AlgorithmParamSpec[]): Record<string, ParamValue> =>
  Object.fromEntries(params.filter((p) => p.default !== undefined).map((p) => [p.name, p.default!]))

/** `query_1`, `PageRank_2`: Explorer's ids, the prefix with the smallest number not in use. */
export function nextComponentId(doc: Pick<GraphWorkflowDocument, 'components'>, prefix: string): string {
  const taken = new Set(doc.components.map((c) => c.id))
  for (let n = 1; ; n++) if (!taken.has(`${prefix}_${n}`)) return `${prefix}_${n}`
}

/**
 * A new component for a palette entry, with sane defaults: a query on `graph` returning two
 * columns (output0, output1: an edge list for an algorithm downstream); an algorithm reading `graph`
 * with every parameter at its default (parameters without one are left for the user: the validator names them).
 */
export function newComponent(doc: Pick<GraphWorkflowDocument, 'components'>, entry: PaletteEntry, graph: string, position: CanvasPosition): GraphWorkflowComponent {
  if (entry.kind === 'query') {
    return { id: nextComponentId(doc, 'query'), kind: 'query', graph, query: 'MATCH (a)-[e]->(b) RETURN id(a), id(b)', params: [], outputs: ['output0', 'output1'], position }
  }
  return { id: nextComponentId(doc, entry.algorithm), kind: 'algorithm', algorithm: entry.algorithm, input: { kind: 'graph', graph }, params: {}, position }
}

/** Handle ids: `in:<anchor>` and `out:<anchor>` (an anchor may be named both ways, like src). */
export const inHandle = (anchor: string) => `in:${anchor}`
export const outHandle = (anchor: string) => `out:${anchor}`
const anchorOf = (handle: string | null | undefined, side: 'in' | 'out'): string | null => (handle?.startsWith(`${side}:`) ? handle.slice(side.length + 1) : null)

/** A wire's edge id: `from.anchor->to.anchor`, unique because an input anchor takes one wire. */
export const wireId = (w: Wire): string => `${w.from.component}.${w.from.anchor}->${w.to.component}.${w.to.anchor}`

/** What a component node draws. */
export interface ComponentNodeData extends Record<string, unknown> {
  component: GraphWorkflowComponent
  title: string
  /** `PageRank`, `Query on default`, … */
  subtitle: string
  inputs: { anchor: string; wired: boolean; required: boolean }[]
  outputs: string[]
  /** Validation problems about this component. */
  issues: string[]
  /** What does not stop a save but would stop a run (its graph does not exist yet); shown at once. */
  warnings: string[]
  /** Its task's state in the shown job; null while designing. */
  task: GraphWorkflowTaskView | null
  /** The shown job ended before this component started (a failure upstream, a cancel): it did not run. */
  notRun: boolean
}

export interface CanvasNode {
  id: string
  type: 'component'
  position: CanvasPosition
  data: ComponentNodeData
  selected: boolean
}

export interface CanvasEdge {
  id: string
  source: string
  sourceHandle: string
  target: string
  targetHandle: string
  /** Flowing while the downstream component waits on or runs with the upstream's rows. */
  animated: boolean
  className?: string
}

/** The inputs a component must have wired or set: an upstream algorithm's src and dst, parameters without a default. */
export function requiredInputs(c: GraphWorkflowComponent): Set<string> {
  if (c.kind === 'query') return new Set((c.params ?? []).filter((p) => p.default === undefined).map((p) => p.name))
  const spec = ALGORITHM_SPECS[c.algorithm]
  const out = new Set<string>(c.input?.kind === 'upstream' ? ['src', 'dst'] : [])
  for (const p of spec?.params ?? []) if (p.default === undefined && (c.params?.[p.name] === undefined || c.params[p.name] === '')) out.add(p.name)
  return out
}

/** Validation problems grouped by the component they name; those about no component under `''`. */
export function issuesByComponent(issues: readonly GraphWorkflowIssue[]): Map<string, GraphWorkflowIssue[]> {
  const by = new Map<string, GraphWorkflowIssue[]>()
  for (const i of issues) {
    const key = i.component ?? ''
    by.set(key, [...(by.get(key) ?? []), i])
  }
  return by
}

/**
 * Warnings by component: a graph it reads that is not among `graphs` (the user's graphs) — a save
 * keeps it (the graph may be imported later), a run would refuse it, as the server's validate
 * says. None while the graphs are not known (`graphs` null).
 */
export function graphWarnings(doc: GraphWorkflowDocument, graphs: readonly string[] | null): Map<string, GraphWorkflowIssue[]> {
  const by = new Map<string, GraphWorkflowIssue[]>()
  if (!graphs) return by
  const known = new Set(graphs)
  doc.components.forEach((c, i) => {
    const graph = c.kind === 'query' ? c.graph : c.input?.kind === 'graph' ? c.input.graph : undefined
    if (!graph || known.has(graph)) return
    const field = c.kind === 'query' ? `components[${i}].graph` : `components[${i}].input.graph`
    by.set(c.id, [{ component: c.id, field, message: `${c.id}: graph ${graph} does not exist (yet); a run needs it` }])
  })
  return by
}

/**
 * The component and field a server's refusal names (`document.components[2].query`) as an issue of
 * `doc`, so the canvas marks that component; null when it names none.
 */
export function issueOfServerError(doc: GraphWorkflowDocument, error: { field?: string; message: string }): GraphWorkflowIssue | null {
  const m = /^document\.(components\[(\d+)\].*)$/.exec(error.field ?? '')
  const c = m ? doc.components[Number(m[2])] : undefined
  return c ? { component: c.id, field: m![1], message: error.message } : null
}

/** An issue as the canvas says it: without the component id the validator puts in front (the node already says whose), and an empty workflow's as what to do. */
export const issueText = (issue: GraphWorkflowIssue): string =>
  issue.field === 'components' && !issue.component && /non-empty list/.test(issue.message)
    ? 'Add a component from the palette' // the API's wording speaks of lists; on the canvas the palette is the way
    : issue.component && issue.message.startsWith(`${issue.component}: `)
      ? issue.message.slice(issue.component.length + 2)
      : issue.message

/** What a node says under its title: where it reads (`graph default:knows`, `file edges.csv`, `upstream`), after the algorithm when the title is a custom name. */
export function subtitleOf(c: GraphWorkflowComponent): string {
  if (c.kind === 'query') return `graph ${c.graph || '?'}`
  const input = c.input
  const from = !input ? '' : input.kind === 'graph' ? `graph ${input.graph}${input.edgeLabel ? `:${input.edgeLabel}` : ''}` : input.kind === 'file' ? `file ${input.path || '?'}` : 'upstream'
  return c.name && c.name !== c.algorithm ? `${c.algorithm} · ${from}` : from
}

/** Components laid out left to right by their wires (dagre), for a document saved without positions. */
export function autoPositions(doc: GraphWorkflowDocument): Map<string, CanvasPosition> {
  const g = new Graph<GraphLabel, NodeLabel, EdgeLabel>()
  g.setGraph({ rankdir: 'LR', nodesep: 30, ranksep: 70, marginx: 20, marginy: 20 })
  g.setDefaultEdgeLabel(() => ({}))
  for (const c of doc.components) g.setNode(c.id, { width: NODE_WIDTH, height: nodeHeight(c) })
  for (const w of doc.wires) if (g.hasNode(w.from.component) && g.hasNode(w.to.component)) g.setEdge(w.from.component, w.to.component)
  layout(g)
  return new Map(doc.components.map((c) => {
    const n = g.node(c.id)
    return [c.id, { x: Math.round((n.x ?? 0) - n.width / 2), y: Math.round((n.y ?? 0) - n.height / 2) }]
  }))
}

/** Node width on the canvas, px (components.css .gw-node). */
export const NODE_WIDTH = 210
const HEADER = 46
const ANCHOR_ROW = 17

/** A node's height: its header and a row per anchor (inputs left, outputs right). */
export const nodeHeight = (c: GraphWorkflowComponent): number => HEADER + Math.max(1, inputAnchors(c).length, outputAnchors(c).length) * ANCHOR_ROW + 8

/** Fills in positions the document lacks (saved by the API without a canvas), keeping those it has. */
export function withPositions(doc: GraphWorkflowDocument): GraphWorkflowDocument {
  if (doc.components.every((c) => c.position)) return doc
  const auto = autoPositions(doc)
  return { ...doc, components: doc.components.map((c) => (c.position ? c : { ...c, position: auto.get(c.id)! })) }
}

/**
 * The document as the canvas draws it. `tasks`: the shown job's components by id (they colour the
 * nodes and set the wires flowing), `jobEnded` once that job is over; `issues`: the validator's, by
 * component; `warnings`: graphWarnings'.
 */
export function toCanvas(
  doc: GraphWorkflowDocument,
  o: { selected?: string | null; issues?: Map<string, GraphWorkflowIssue[]>; warnings?: Map<string, GraphWorkflowIssue[]>; tasks?: Map<string, GraphWorkflowTaskView>; jobEnded?: boolean } = {},
): { nodes: CanvasNode[]; edges: CanvasEdge[] } {
  const placed = withPositions(doc)
  const nodes = placed.components.map((c): CanvasNode => {
    const wired = new Set(doc.wires.filter((w) => w.to.component === c.id).map((w) => w.to.anchor))
    const required = requiredInputs(c)
    return {
      id: c.id,
      type: 'component',
      position: c.position!,
      selected: c.id === o.selected,
      data: {
        component: c,
        title: componentName(c),
        subtitle: subtitleOf(c),
        inputs: inputAnchors(c).map((anchor) => ({ anchor, wired: wired.has(anchor), required: required.has(anchor) })),
        outputs: outputAnchors(c),
        issues: (o.issues?.get(c.id) ?? []).map(issueText),
        warnings: (o.warnings?.get(c.id) ?? []).map(issueText),
        task: o.tasks?.get(c.id) ?? null,
        notRun: !!o.jobEnded && ['pending', 'queued'].includes(o.tasks?.get(c.id)?.status ?? ''),
      },
    }
  })
  const edges = doc.wires.map((w): CanvasEdge => {
    const from = o.tasks?.get(w.from.component)?.status
    const to = o.tasks?.get(w.to.component)?.status
    return {
      id: wireId(w),
      source: w.from.component,
      sourceHandle: outHandle(w.from.anchor),
      target: w.to.component,
      targetHandle: inHandle(w.to.anchor),
      animated: from === 'succeeded' && (to === 'running' || to === 'queued'),
      ...(from === 'succeeded' ? { className: 'gw-wire-done' } : {}),
    }
  })
  return { nodes, edges }
}

/** A connection drawn on the canvas (xyflow's Connection). */
export interface DrawnConnection {
  source: string | null
  sourceHandle?: string | null
  target: string | null
  targetHandle?: string | null
}

/** The wire a drawn connection makes, or why it makes none (a component to itself, not output → input). */
export function wireOf(c: DrawnConnection): Wire | { error: string } {
  const fromAnchor = anchorOf(c.sourceHandle, 'out')
  const toAnchor = anchorOf(c.targetHandle, 'in')
  if (!c.source || !c.target || fromAnchor === null || toAnchor === null) return { error: 'a wire goes from an output anchor (right) to an input anchor (left)' }
  if (c.source === c.target) return { error: 'a component cannot feed itself' }
  return { from: { component: c.source, anchor: fromAnchor }, to: { component: c.target, anchor: toAnchor } }
}

/** Adds a wire; an input anchor takes one wire, so one already into it is replaced (as a canvas does when you redraw it). */
export function connect(doc: GraphWorkflowDocument, wire: Wire): GraphWorkflowDocument {
  const same = (a: AnchorRef, b: AnchorRef) => a.component === b.component && a.anchor === b.anchor
  return { ...doc, wires: [...doc.wires.filter((w) => !same(w.to, wire.to)), wire] }
}

/** Removes the wires with these edge ids. */
export const removeWires = (doc: GraphWorkflowDocument, ids: readonly string[]): GraphWorkflowDocument => ({ ...doc, wires: doc.wires.filter((w) => !ids.includes(wireId(w))) })

/** Removes components and every wire into or out of them. */
export function removeComponents(doc: GraphWorkflowDocument, ids: readonly string[]): GraphWorkflowDocument {
  return {
    ...doc,
    components: doc.components.filter((c) => !ids.includes(c.id)),
    wires: doc.wires.filter((w) => !ids.includes(w.from.component) && !ids.includes(w.to.component)),
  }
}

export function addComponent(doc: GraphWorkflowDocument, c: GraphWorkflowComponent): GraphWorkflowDocument {
  return { ...doc, components: [...doc.components, c] }
}

export function moveComponent(doc: GraphWorkflowDocument, id: string, position: CanvasPosition): GraphWorkflowDocument {
  const p = { x: Math.round(position.x), y: Math.round(position.y) }
  return { ...doc, components: doc.components.map((c) => (c.id === id ? { ...c, position: p } : c)) }
}

/**
 * Replaces a component's settings (its id stays). Wires to anchors it no longer has are dropped
 * (an algorithm switched from upstream to a graph input, a parameter that changed its columns), so
 * the canvas never holds a wire it cannot draw; a query's renamed outputs keep their wires by position.
 */
export function updateComponent(doc: GraphWorkflowDocument, next: GraphWorkflowComponent): GraphWorkflowDocument {
  const before = doc.components.find((c) => c.id === next.id)
  if (!before) return doc
  const renamed = new Map<string, string>()
  if (before.kind === 'query' && next.kind === 'query') before.outputs.forEach((o, i) => next.outputs[i] !== undefined && next.outputs[i] !== o && renamed.set(o, next.outputs[i]))
  const outs = new Set(outputAnchors(next))
  const ins = new Set(inputAnchors(next))
  const wires = doc.wires
    .map((w) => (w.from.component === next.id && renamed.has(w.from.anchor) ? { ...w, from: { ...w.from, anchor: renamed.get(w.from.anchor)! } } : w))
    .filter((w) => (w.from.component !== next.id || outs.has(w.from.anchor)) && (w.to.component !== next.id || ins.has(w.to.anchor)))
  return { ...doc, components: doc.components.map((c) => (c.id === next.id ? next : c)), wires }
}

/** Whether a text is a usable component id (for a rename). */
export const isComponentId = (id: string): boolean => COMPONENT_ID.test(id)

/**
 * A parameter value as typed in the settings panel: empty clears it (the default applies); a number
 * for int and float when it reads as one; true/false for bool; otherwise the text as typed, which the
 * validator then names as not of its type.
 */
export function parseParam(type: AlgorithmParamSpec['type'] | 'int' | 'float' | 'bool' | 'string', text: string): ParamValue | undefined {
  const t = text.trim()
  if (t === '') return undefined
  if (type === 'int' && /^[+-]?\d{1,15}$/.test(t)) return Number(t)
  if (type === 'float' && Number.isFinite(Number(t))) return Number(t)
  if (type === 'bool' && (t === 'true' || t === 'false')) return t === 'true'
  return type === 'string' || type === 'enum' ? text : t
}

/** An empty new workflow. */
export const emptyDocument = (name = 'Untitled workflow'): GraphWorkflowDocument => ({ name, components: [], wires: [] })

/** Whether two documents say the same (positions included); for the unsaved marker. */
export const sameDocument = (a: GraphWorkflowDocument, b: GraphWorkflowDocument): boolean => JSON.stringify(a) === JSON.stringify(b)
