// Top-to-bottom (or left-to-right) placement of a descriptor level with dagre; node sizes are fixed by their content,
// so the layout depends only on the graph (statuses recolour nodes without moving them).
import { Graph, layout, type EdgeLabel, type GraphLabel, type NodeLabel } from '@dagrejs/dagre'
import type { WorkflowNode } from '../../../../shared/workflows'

// Heights mirror workflows.css (.wf-node): borders 3 + padding 16 + name 18 + gap 5 + meta 18 = 60, plus slack.
export const NODE_WIDTH = 220
const HEADER_HEIGHT = 62
const GROUP_LINE_HEIGHT = 20
/** gap 5 + the list's padding 8 and border 2 */
const GROUP_BLOCK_PADDING = 15
/** gap 5 + row 18 */
const PROGRESS_ROW_HEIGHT = 23
/** a foreach's second progress line (failed, cancelled, skipped, running, waiting) */
const ITEM_NOTES_HEIGHT = 18
/** Choice nodes with more branches than this show the first ones and a "+N more" line. */
export const MAX_GROUP_LINES = 4

/** A laid-out task; x and y are the top-left corner in graph coordinates (px), inner tasks' too. */
export interface PlacedNode {
  node: WorkflowNode
  x: number
  y: number
  width: number
  height: number
  /** An inner task (expanded layout): the foreach or choice whose body it is drawn in. */
  parent?: string
  /** A foreach or choice drawn expanded: the box of each body (a choice's branches in YAML order), relative to this node. */
  bodies?: { x: number; y: number; width: number; height: number }[]
}

export interface GraphEdge {
  id: string
  source: string
  target: string
  /** A switch's edge: the conditions that lead along it, in YAML order (`#1 a == 1`). */
  label?: string
}

/** Room dagre keeps for an edge label (a switch's condition), in px; longer text is cut with an ellipsis. */
const EDGE_LABEL = { maxWidth: 180, charWidth: 6.6, height: 20 }

/** What a switch node's edge to `target` is labelled with: each switch leading there, `#k condition`, in YAML order. */
export function switchLabel(node: WorkflowNode, target: string): string | undefined {
  const parts = (node.switches ?? []).flatMap((w, i) => (w.next !== null && w.next.split(',').map((x) => x.trim()).includes(target) ? [`#${i + 1} ${w.condition || 'default'}`] : []))
  return parts.length ? parts.join(' | ') : undefined
}

/** Which way the graph flows: top to bottom (the default) or left to right (wide, shallow DAGs read better so). */
export type GraphDirection = 'TB' | 'LR'

export interface GraphLayout {
  nodes: PlacedNode[]
  edges: GraphEdge[]
}

/** How many one-line group summaries a node shows (0 for plain tasks). */
export function groupLineCount(node: WorkflowNode): number {
  const groups = node.groups?.length ?? 0
  return groups > MAX_GROUP_LINES ? MAX_GROUP_LINES + 1 : groups
}

export function nodeHeight(node: WorkflowNode, withProgress: boolean): number {
  const lines = groupLineCount(node)
  let height = HEADER_HEIGHT
  if (lines > 0) height += GROUP_BLOCK_PADDING + lines * GROUP_LINE_HEIGHT
  if (withProgress && node.groups) height += PROGRESS_ROW_HEIGHT + (node.category === 'foreach' ? ITEM_NOTES_HEIGHT : 0)
  return height
}

/** A choice's group indexes in YAML order (the runtime numbers groups by sorted condition text). */
export const branchOrder = (node: WorkflowNode): number[] => node.yamlOrder ?? (node.groups ?? []).map((_, i) => i)

/** A group's tasks in dependency order (a cycle, which the server refuses, keeps the rest in written order). */
export function inChainOrder(group: readonly WorkflowNode[]): WorkflowNode[] {
  const incoming = new Map(group.map((n) => [n.name, 0]))
  for (const n of group) for (const m of n.next) if (incoming.has(m)) incoming.set(m, incoming.get(m)! + 1)
  const ready = group.filter((n) => incoming.get(n.name) === 0)
  const ordered: WorkflowNode[] = []
  while (ready.length) {
    const n = ready.shift()!
    ordered.push(n)
    for (const m of n.next) {
      const left = (incoming.get(m) ?? 0) - 1
      incoming.set(m, left)
      if (left === 0) ready.push(group.find((g) => g.name === m)!)
    }
  }
  for (const n of group) if (!ordered.includes(n)) ordered.push(n) // a cycle: the server rejects those, but never hide a task
  return ordered
}

/** A group's tasks in dependency order, e.g. "fetch → parse → store"; nested groups are marked. */
export function chainOf(group: readonly WorkflowNode[]): string {
  return inChainOrder(group)
    .map((n) => (n.groups ? `${n.name} [${n.category}]` : n.name))
    .join(' → ')
}

/**
 * Left-of (top-down) or above (left-right) constraints that keep each task's `next` targets in the order YAML lists
 * them, as Airflow and Dagster draw a fan-out; dagre's crossing minimiser otherwise often reverses siblings.
 * A pair that would contradict an earlier one (two tasks listing shared targets in opposite orders) is left out,
 * since dagre cannot honour a cycle of constraints.
 */
function fanOutOrder(nodes: readonly WorkflowNode[], names: ReadonlySet<string>): { left: string; right: string }[] {
  const rightOf = new Map<string, Set<string>>()
  const reaches = (from: string, to: string): boolean => {
    const seen = new Set<string>()
    const stack = [from]
    while (stack.length) {
      const at = stack.pop()!
      if (at === to) return true
      if (seen.has(at)) continue
      seen.add(at)
      stack.push(...(rightOf.get(at) ?? []))
    }
    return false
  }
  const constraints: { left: string; right: string }[] = []
  for (const n of nodes) {
    const targets = [...new Set(n.next.filter((t) => names.has(t)))]
    for (let i = 1; i < targets.length; i++) {
      const [left, right] = [targets[i - 1], targets[i]]
      if (reaches(right, left)) continue
      if (!rightOf.has(left)) rightOf.set(left, new Set())
      rightOf.get(left)!.add(right)
      constraints.push({ left, right })
    }
  }
  return constraints
}

/** Room around a body drawn inside its foreach or choice, and between a choice's branches, in px. */
const BODY_PAD = 8
const BODY_GAP = 10

/** One level laid out, with its drawn size (dagre's margins included). */
interface Level extends GraphLayout {
  width: number
  height: number
}

/**
 * Lays out `nodes` (a level of the DAG). With `expand` (the design graph), a foreach or choice is
 * drawn as a box holding its bodies side by side (a choice's branches in YAML order) under its
 * header, each body laid out as a level of its own, so inner tasks are nodes that can be selected
 * and wired; otherwise it is one node summing its bodies up (the run graph, whose inner tasks run
 * once per item). The result lists a container before its inner tasks.
 */
export function layoutGraph(nodes: readonly WorkflowNode[], withProgress: boolean, direction: GraphDirection = 'TB', expand = false): GraphLayout {
  const { nodes: placed, edges } = layoutLevel(nodes, withProgress, direction, expand)
  return { nodes: placed, edges }
}

function layoutLevel(nodes: readonly WorkflowNode[], withProgress: boolean, direction: GraphDirection, expand: boolean): Level {
  // a container's bodies first: its size is theirs plus its header
  const inner = new Map<string, { levels: Level[]; width: number; height: number }>()
  if (expand) {
    for (const n of nodes) {
      if (!n.groups?.length) continue
      const levels = branchOrder(n).map((i) => layoutLevel(n.groups![i] ?? [], withProgress, direction, expand))
      const width = Math.max(NODE_WIDTH, levels.reduce((w, l) => w + l.width, 0) + BODY_GAP * (levels.length - 1) + 2 * BODY_PAD)
      const height = nodeHeight(n, withProgress) + Math.max(...levels.map((l) => l.height)) + BODY_PAD
      inner.set(n.name, { levels, width, height })
    }
  }
  const g = new Graph<GraphLabel, NodeLabel, EdgeLabel>()
  g.setGraph({ rankdir: direction, nodesep: direction === 'TB' ? 40 : 24, ranksep: direction === 'TB' ? 48 : 64, marginx: 16, marginy: 16 })
  g.setDefaultEdgeLabel(() => ({}))
  const names = new Set(nodes.map((n) => n.name))
  for (const n of nodes) g.setNode(n.name, { width: inner.get(n.name)?.width ?? NODE_WIDTH, height: inner.get(n.name)?.height ?? nodeHeight(n, withProgress) })
  const edges: GraphEdge[] = []
  for (const n of nodes) {
    for (const target of n.next) {
      if (!names.has(target)) continue
      const label = switchLabel(n, target)
      if (label) g.setEdge(n.name, target, { width: Math.min(EDGE_LABEL.maxWidth, label.length * EDGE_LABEL.charWidth), height: EDGE_LABEL.height, labelpos: 'c' })
      else g.setEdge(n.name, target)
      edges.push({ id: `${n.name}->${target}`, source: n.name, target, ...(label ? { label } : {}) })
    }
  }
  layout(g, { constraints: fanOutOrder(nodes, names) })
  const out: PlacedNode[] = []
  for (const n of nodes) {
    const placed = g.node(n.name)
    // dagre gives centres; xyflow wants top-left corners.
    const [x, y] = [(placed.x ?? 0) - placed.width / 2, (placed.y ?? 0) - placed.height / 2]
    const box = inner.get(n.name)
    if (!box) {
      out.push({ node: n, width: placed.width, height: placed.height, x, y })
      continue
    }
    const top = nodeHeight(n, withProgress)
    const bodies: NonNullable<PlacedNode['bodies']> = []
    const within: PlacedNode[] = []
    let left = BODY_PAD
    for (const level of box.levels) {
      bodies.push({ x: left, y: top, width: level.width, height: level.height })
      for (const c of level.nodes) within.push({ ...c, x: x + left + c.x, y: y + top + c.y, parent: c.parent ?? n.name })
      edges.push(...level.edges)
      left += level.width + BODY_GAP
    }
    out.push({ node: n, width: placed.width, height: placed.height, x, y, bodies }, ...within)
  }
  const size = g.graph()
  return { edges, nodes: out, width: nodes.length ? (size.width ?? 0) : 0, height: nodes.length ? (size.height ?? 0) : 0 }
}
