import { applyEdgeChanges, applyNodeChanges, Background, Controls, ReactFlow, useReactFlow, type Connection, type Edge, type EdgeChange, type NodeChange } from '@xyflow/react'
import '@xyflow/react/dist/style.css'
import { useEffect, useMemo, useState, type DragEvent } from 'react'
import { isTerminalJob } from '../../../../shared/status'
import { useAutoFit } from '../flow/use-auto-fit'
import { useResolvedTheme } from '../shell/theme'
import { addComponent, connect, graphWarnings, issuesByComponent, moveComponent, newComponent, removeComponents, removeWires, toCanvas, wireOf, type PaletteEntry } from './canvas-model'
import { ComponentNode, type ComponentFlowNode } from './ComponentNode'
import { draftIssues, useGraphWorkflows } from './store'

const nodeTypes = { component: ComponentNode }
/** The drag payload's type when a palette entry is dragged onto the canvas. */
export const PALETTE_MIME = 'application/x-jobdesk-component'
const FIT = { padding: 0.2, maxZoom: 1 }
/**
 * A big workflow (more components than this) is fitted at a zoom of 0.75 or more, its titles
 * readable, the rest a drag away: 16 components were fitted at 0.37 (the trial). A small one is
 * fitted whole, however small the canvas (two components beside the settings panel at 900 px: 0.6).
 */
const SMALL_WORKFLOW = 6
const BIG_FIT = { ...FIT, minZoom: 0.75 }

/** The graph a new component reads first: the one the workflow already uses, else `default`. */
export function preferredGraph(): string {
  const { draft, graphs } = useGraphWorkflows.getState()
  for (const c of draft.components) {
    if (c.kind === 'query' && c.graph) return c.graph
    if (c.kind === 'algorithm' && c.input?.kind === 'graph' && c.input.graph) return c.input.graph
  }
  return graphs.some((g) => g.name === 'default') || graphs.length === 0 ? 'default' : graphs[0].name
}

/** Stops the shown canvas fitting itself (useAutoFit's hold); set while a canvas is mounted. */
let holdCanvasFit: () => void = () => {}

/**
 * Adds a palette entry's component at a canvas position and selects it. The view stays where it is
 * from then on (no refit as the settings or a message open), so the component stays where it was put.
 */
export function addFromPalette(entry: PaletteEntry, position: { x: number; y: number }): void {
  holdCanvasFit()
  const s = useGraphWorkflows.getState()
  const c = newComponent(s.draft, entry, preferredGraph(), { x: Math.round(position.x), y: Math.round(position.y) })
  s.edit((doc) => addComponent(doc, c))
  s.select(c.id)
}

/**
 * The canvas: components as nodes, wires as edges. Drag a node to move it, from an output anchor to
 * an input anchor to wire them (a second wire into the same input replaces the first), select and
 * press Delete (or Backspace) to remove nodes and wires, drop palette entries to add components.
 */
export function WorkflowCanvas() {
  const draft = useGraphWorkflows((s) => s.draft)
  const selected = useGraphWorkflows((s) => s.selected)
  const showIssues = useGraphWorkflows((s) => s.showIssues)
  const job = useGraphWorkflows((s) => s.job)
  const serverIssue = useGraphWorkflows((s) => s.serverIssue)
  const graphs = useGraphWorkflows((s) => s.graphs)
  const graphsKnown = useGraphWorkflows((s) => s.graphsKnown)
  const { edit, select } = useGraphWorkflows.getState()
  const theme = useResolvedTheme()
  const { screenToFlowPosition } = useReactFlow()
  const [hint, setHint] = useState<string | null>(null)

  const drawn = useMemo(() => {
    const issues = issuesByComponent(draftIssues(draft, serverIssue))
    const warnings = graphWarnings(draft, graphsKnown ? graphs.map((g) => g.name) : null)
    const tasks = job ? new Map(job.components.map((c) => [c.id, c])) : undefined
    return toCanvas(draft, { selected, issues, warnings, tasks, jobEnded: job ? isTerminalJob(job.job.status) : false })
  }, [draft, selected, job, serverIssue, graphs, graphsKnown])

  // xyflow keeps measured sizes and drag state on the node objects: kept across redraws from the document
  const [nodes, setNodes] = useState<ComponentFlowNode[]>([])
  const [edges, setEdges] = useState<Edge[]>([])
  useEffect(() => {
    setNodes((before) =>
      drawn.nodes.map((n) => {
        const old = before.find((b) => b.id === n.id)
        return { ...n, data: { ...n.data, showIssues }, ...(old ? { measured: old.measured, ...(old.dragging ? { position: old.position, dragging: true } : {}) } : {}) }
      }),
    )
  }, [drawn, showIssues])
  useEffect(() => {
    setEdges((before) => drawn.edges.map((e) => ({ ...e, selected: before.find((b) => b.id === e.id)?.selected ?? false })))
  }, [drawn])
  // A workflow opened (or another version) is fitted into view once its nodes are measured; saves
  // and edits are not. Until the user pans, zooms or places a component, the view keeps fitting the
  // canvas as its box changes size (the job bar or a message opening above it, the window resized).
  const opened = useGraphWorkflows((s) => s.shown)
  const fit = draft.components.length > SMALL_WORKFLOW ? BIG_FIT : FIT
  const { box, onMoveStart, hold, controls } = useAutoFit(fit, opened)
  // React Flow's own fit-on-init waits for the first measured node: on an empty canvas that is the
  // first one dropped, which must stay where it was put. So only a canvas opened with components uses it.
  const [fitOnInit] = useState(() => draft.components.length > 0)
  useEffect(() => {
    holdCanvasFit = hold
    return () => {
      holdCanvasFit = () => {}
    }
  }, [hold])

  const onNodesChange = (changes: NodeChange<ComponentFlowNode>[]) => {
    setNodes((ns) => applyNodeChanges(changes, ns))
    const removed = changes.flatMap((c) => (c.type === 'remove' ? [c.id] : []))
    if (removed.length) {
      edit((doc) => removeComponents(doc, removed))
      if (selected && removed.includes(selected)) select(null)
    }
    for (const c of changes) {
      if (c.type === 'position' && c.position && c.dragging === false) edit((doc) => moveComponent(doc, c.id, c.position!), { layoutOnly: true })
      if (c.type === 'select' && c.selected) select(c.id)
    }
  }
  // a drag's last change may carry no position: the end of the drag commits where the node is
  const onNodeDragStop = (_e: unknown, node: ComponentFlowNode) => edit((doc) => moveComponent(doc, node.id, node.position), { layoutOnly: true })

  const onEdgesChange = (changes: EdgeChange[]) => {
    setEdges((es) => applyEdgeChanges(changes, es))
    const removed = changes.flatMap((c) => (c.type === 'remove' ? [c.id] : []))
    if (removed.length) edit((doc) => removeWires(doc, removed))
  }

  const onConnect = (c: Connection) => {
    const wire = wireOf(c)
    if ('error' in wire) return setHint(wire.error)
    setHint(null)
    edit((doc) => connect(doc, wire))
  }

  const onDrop = (e: DragEvent) => {
    const raw = e.dataTransfer.getData(PALETTE_MIME)
    if (!raw) return
    e.preventDefault()
    addFromPalette(JSON.parse(raw) as PaletteEntry, screenToFlowPosition({ x: e.clientX, y: e.clientY }))
  }
  const selectedWires = edges.filter((e) => e.selected).map((e) => e.id)

  return (
    <div ref={box} className="gw-canvas" data-testid="gw-canvas" data-node-count={nodes.length} onDragOver={(e) => e.dataTransfer.types.includes(PALETTE_MIME) && e.preventDefault()} onDrop={onDrop}>
      <ReactFlow<ComponentFlowNode, Edge>
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        colorMode={theme}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={onConnect}
        onNodeDragStop={onNodeDragStop}
        onPaneClick={() => select(null)}
        onMoveStart={onMoveStart}
        isValidConnection={(c) => !('error' in wireOf(c))}
        deleteKeyCode={['Delete', 'Backspace']}
        fitView={fitOnInit}
        fitViewOptions={fit}
        minZoom={0.1}
        maxZoom={1.5}
        defaultEdgeOptions={{ interactionWidth: 16 }}
      >
        <Background gap={20} color={theme === 'dark' ? '#2f3542' : '#dde1e8'} />
        <Controls position="bottom-left" showInteractive={false} {...controls} />
      </ReactFlow>
      {selectedWires.length > 0 && (
        <div className="gw-canvas-note">
          <button onClick={() => edit((doc) => removeWires(doc, selectedWires))}>Delete wire{selectedWires.length > 1 ? 's' : ''}</button>
        </div>
      )}
      {hint && (
        <p className="gw-canvas-hint" role="status">
          {hint}
        </p>
      )}
      {draft.components.length === 0 && <p className="gw-canvas-empty muted">Drag a component from the palette, or click one, to start. Wire an output anchor (right of a component) to an input anchor (left).</p>}
    </div>
  )
}
