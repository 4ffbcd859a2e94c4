import { Background, ControlButton, Controls, getViewportForBounds, MarkerType, MiniMap, Panel, ReactFlow, ReactFlowProvider, useViewport, type Edge, type FitViewOptions, type Viewport } from '@xyflow/react'
import '@xyflow/react/dist/style.css'
import { useCallback, useMemo, useRef } from 'react'
import { isTerminalTask } from '../../../../shared/status'
import type { ExecutionView } from '../../../../shared/workflows'
import { useShallow } from 'zustand/react/shallow'
import { shownDesignGraph, useWorkflows } from '../../stores/workflows'
import { useAutoFit, type BoxSize } from '../flow/use-auto-fit'
import { useResolvedTheme } from '../shell/theme'
import { formatDuration } from '../jobs/format'
import { useNow } from '../jobs/use-now'
import { layoutGraph, type GraphDirection, type GraphLayout } from './dag-layout'
import { useWorkflowManage, type WorkflowView } from '../../stores/workflow-manage'
import { ExecutionBar } from './ExecutionBar'
import { RunGantt } from './RunGantt'
import { RunGrid } from './RunGrid'
import { nodeStatuses, topLevelTasks, type NodeStatus } from './execution-status'
import { SafeText, visibleText } from '../shell/SafeText'
import { TaskNode, type TaskFlowNode } from './TaskNode'
import { DagEditBar, DagEditHint, useDagEditing } from './DagEditBar'

const nodeTypes = { task: TaskNode }
/**
 * The smallest zoom a fit goes to: below it a task's name is unreadable (a 220 px node is drawn
 * 110 px wide). A graph too big to fit at it is shown from its start instead, with the minimap
 * saying where the view is, as Airflow's and Dagster's graphs do (startView).
 */
export const MIN_FIT_ZOOM = 0.5
const FIT: FitViewOptions = { padding: 0.15, maxZoom: 1, minZoom: MIN_FIT_ZOOM }
/** From this many nodes on, a minimap shows where the view is in the whole graph. */
const MINIMAP_FROM = 8
/** A minimap's size and its margin from the canvas's corner, in px. */
interface MinimapSize {
  width: number
  height: number
  margin: number
}
/** The minimap of a roomy canvas (React Flow's panel margin). */
const MINIMAP: MinimapSize = { width: 150, height: 90, margin: 15 }
/**
 * The minimap of a small canvas, e.g. a 900×600 window's (392×235): a full one would take a third
 * of the graph there, but with none nothing tells the user that most of a wide graph is off-screen.
 */
const MINIMAP_SMALL: MinimapSize = { width: 96, height: 58, margin: 8 }
/**
 * Which minimap a canvas of `box` has room for beside the graph: the full one from 400×260 on (it
 * has at 1280×800 with the list and the run panel open, a 472×347 canvas), the small one from
 * 240×180 on (below, its strip would take half the height), none below that (a hint then says how much is out
 * of view).
 */
function minimapSize(box: BoxSize): MinimapSize | null {
  if (box.width >= 400 && box.height >= 260) return MINIMAP
  if (box.width >= 240 && box.height >= 180) return MINIMAP_SMALL
  return null
}

/**
 * How to fit `graph` (its drawn size) in a canvas of `box`: clear of the strip a minimap of `minimap` takes at the
 * bottom (a wide graph) or at the right (a tall one), whichever draws it bigger.
 */
function fitFor(box: BoxSize, graph: BoxSize, minimap: MinimapSize | null): FitViewOptions {
  if (!minimap) return FIT
  const zoom = (width: number, height: number) => Math.min(width / graph.width, height / graph.height)
  // React Flow's padding 0.15 keeps (1 - 1 / 1.15) / 2 of a side free: both sides leave 1 / 1.15 of it
  const [both, one] = [1 / 1.15, 1 - (1 - 1 / 1.15) / 2]
  const [strip, column] = [minimap.height + 2 * minimap.margin, minimap.width + 2 * minimap.margin]
  const above = zoom(box.width * both, box.height * one - strip)
  const left = zoom(box.width * one - column, box.height * both)
  return above >= left
    ? { maxZoom: 1, minZoom: MIN_FIT_ZOOM, padding: { top: 0.15, left: 0.15, right: 0.15, bottom: `${strip}px` } }
    : { maxZoom: 1, minZoom: MIN_FIT_ZOOM, padding: { top: 0.15, bottom: 0.15, left: 0.15, right: `${column}px` } }
}

/**
 * The edit strip's height with a task selected, in px: its 8 px margin, rows of 30 px 4 px apart,
 * and a gap under it. It wraps to a second row (the name field and buttons) on a canvas narrower
 * than STRIP_ONE_ROW px (at 1280×800 with the list and the run panel open it is 472 px).
 */
const stripHeight = (width: number) => (width < STRIP_ONE_ROW ? 8 + 30 + 4 + 30 + 6 : 8 + 30 + 6)
const STRIP_ONE_ROW = 560

/**
 * `fit` with its top padding at least the edit strip's height (with a task selected, so that selecting
 * one does not refit): the strip lies top-left over the graph, and covered the top tasks (the one being
 * renamed at 900×600) and an expanded foreach's or choice's header.
 */
function belowEditStrip(fit: FitViewOptions, box: BoxSize): FitViewOptions {
  const padding = fit.padding ?? 0.15
  const sides = typeof padding === 'object' ? padding : { top: padding, right: padding, bottom: padding, left: padding }
  const strip = stripHeight(box.width)
  if (paddingPx(padding, 'top', box.height) >= strip) return fit
  return { ...fit, padding: { ...sides, top: `${strip}px` } }
}

interface Rect extends BoxSize {
  x: number
  y: number
}

/** The box around some laid-out nodes, in graph coordinates (a 1×1 box at 0,0 for none). */
function boundsOf(nodes: GraphLayout['nodes']): Rect {
  if (!nodes.length) return { x: 0, y: 0, width: 1, height: 1 }
  const [x, y] = [Math.min(...nodes.map((n) => n.x)), Math.min(...nodes.map((n) => n.y))]
  const right = Math.max(...nodes.map((n) => n.x + n.width))
  const bottom = Math.max(...nodes.map((n) => n.y + n.height))
  return { x, y, width: Math.max(1, right - x), height: Math.max(1, bottom - y) }
}

/** The drawn size of a laid-out graph. */
function graphSize(layout: GraphLayout): BoxSize {
  const { width, height } = boundsOf(layout.nodes)
  return { width, height }
}

type Padding = NonNullable<FitViewOptions['padding']>
type Side = 'top' | 'right' | 'bottom' | 'left'
/** A fit padding's px on one side of a box `size` px long, as React Flow reads it (a share of the box, or `Npx`). */
function paddingPx(padding: Padding, side: Side, size: number): number {
  const value = typeof padding === 'object' ? (padding[side] ?? (side === 'top' || side === 'bottom' ? padding.y : padding.x) ?? 0) : padding
  if (typeof value === 'number') return Math.floor((size - size / (1 + value)) * 0.5)
  return value.endsWith('%') ? Math.floor((size * parseFloat(value)) / 100) : Math.floor(parseFloat(value)) || 0
}

/** The zoom a plain fit of `bounds` in `box` would take (unclamped below). */
const fitZoom = (bounds: Rect, box: BoxSize, fit: FitViewOptions) => getViewportForBounds(bounds, box.width, box.height, 0.001, fit.maxZoom ?? 1, fit.padding ?? 0.15).zoom

/**
 * Where a fit puts the view of a graph that does not fit `box` at MIN_FIT_ZOOM: at that zoom, its
 * start in view. Along the way the graph flows (down for TB, right for LR) its first rank lies at
 * the padding; across, the first tasks (those nothing leads to) are centred, the graph's edges
 * kept at the padding; an axis along which it fits is centred as a fit would. Null when it fits
 * at MIN_FIT_ZOOM or more (a plain fit then).
 */
function startView(layout: GraphLayout, direction: GraphDirection, box: BoxSize, fit: FitViewOptions): Viewport | null {
  const bounds = boundsOf(layout.nodes)
  if (!layout.nodes.length || box.width <= 0 || box.height <= 0 || fitZoom(bounds, box, fit) >= MIN_FIT_ZOOM) return null
  const zoom = MIN_FIT_ZOOM
  const padding = fit.padding ?? 0.15
  const pad = (side: Side) => paddingPx(padding, side, side === 'top' || side === 'bottom' ? box.height : box.width)
  let { x, y } = getViewportForBounds(bounds, box.width, box.height, zoom, zoom, padding)
  const targets = new Set(layout.edges.map((e) => e.target))
  const first = boundsOf(layout.nodes.filter((n) => !targets.has(n.node.name)))
  /** The offset that shows `[from, from + length)` of the graph from its start (or around its first tasks) on an axis. */
  const along = (axis: 'x' | 'y', fromStart: boolean): number | null => {
    const [lo, hi] = axis === 'x' ? [pad('left'), box.width - pad('right')] : [pad('top'), box.height - pad('bottom')]
    const [start, length] = axis === 'x' ? [bounds.x, bounds.width] : [bounds.y, bounds.height]
    if (length * zoom <= hi - lo) return null // fits: centred
    if (fromStart) return lo - start * zoom
    const centre = axis === 'x' ? first.x + first.width / 2 : first.y + first.height / 2
    const offset = (lo + hi) / 2 - centre * zoom
    return Math.min(lo - start * zoom, Math.max(hi - (start + length) * zoom, offset))
  }
  x = along('x', direction === 'LR') ?? x
  y = along('y', direction === 'TB') ?? y
  return { x, y, zoom }
}
/** Minimap fills by node state (the node colours of workflows.css). */
const MINIMAP_COLOURS: Partial<Record<NodeStatus | 'design', string>> = {
  succeeded: '#9fd8b5',
  failed: '#f1a5a5',
  timed_out: '#f1a5a5',
  running: '#a9c4f2',
  queued: '#a9c4f2',
  cancelled: '#ecd09a',
  cancelling: '#ecd09a',
}

function toFlowNodes(layout: GraphLayout, execution: ExecutionView | null, selected: string | null, direction: GraphDirection, now: number, editable: boolean): TaskFlowNode[] {
  const byName = topLevelTasks(execution)
  const statuses = execution ? nodeStatuses(layout.nodes.map((p) => p.node), execution) : null
  const at = new Map(layout.nodes.map((p) => [p.node.name, p]))
  return layout.nodes.map(({ node, x, y, width, height, parent, bodies }) => {
    const task = byName.get(node.name)
    // an inner task is placed in its container (xyflow wants its position relative to it)
    const box = parent === undefined ? undefined : at.get(parent)
    return {
      id: node.name,
      type: 'task',
      position: box ? { x: x - box.x, y: y - box.y } : { x, y },
      ...(box ? { parentId: parent, extent: 'parent' as const } : {}),
      width,
      height,
      style: { width, height },
      selected: node.name === selected,
      draggable: false,
      data: {
        node,
        status: statuses?.get(node.name) ?? null,
        duration: task?.startedAt != null ? formatDuration(task.startedAt, task.finishedAt, now) : null,
        direction,
        attempt: task?.attempt ?? 0,
        try: task?.try ?? 0,
        progress: task?.items ?? null,
        runMode: execution !== null,
        editable,
        bodies: bodies ?? null,
        inner: parent !== undefined,
      },
    }
  })
}

function toFlowEdges(layout: GraphLayout, execution: ExecutionView | null, selectedWire: string | null): Edge[] {
  const byName = topLevelTasks(execution)
  return layout.edges.map((e) => {
    const from = byName.get(e.source)?.status
    const to = byName.get(e.target)?.status
    const flowing = from === 'succeeded' && (to === 'running' || to === 'queued')
    return {
      ...e,
      selected: e.id === selectedWire,
      selectable: execution === null,
      animated: flowing,
      className: from === 'succeeded' ? 'wf-edge-done' : undefined,
      ...(e.label ? { label: visibleText(e.label.length > 28 ? `${e.label.slice(0, 27)}…` : e.label), labelBgPadding: [4, 2] as [number, number], labelBgBorderRadius: 4, ariaLabel: `when ${e.label}`, className: `wf-edge-switch${from === 'succeeded' ? ' wf-edge-done' : ''}` } : {}),
      markerEnd: { type: MarkerType.ArrowClosed, width: 16, height: 16 },
    }
  })
}

function DirectionSwitch() {
  const direction = useWorkflows((s) => s.direction)
  const setDirection = useWorkflows((s) => s.setDirection)
  return (
    <div className="wf-mode" role="group" aria-label="graph direction">
      <button aria-pressed={direction === 'TB'} title="Top to bottom" onClick={() => setDirection('TB')}>
        ↓ Top-down
      </button>
      <button aria-pressed={direction === 'LR'} title="Left to right (for wide graphs)" onClick={() => setDirection('LR')}>
        → Left-right
      </button>
    </div>
  )
}

function ModeSwitch() {
  const mode = useWorkflows((s) => s.mode)
  const execution = useWorkflows((s) => s.execution)
  const setMode = useWorkflows((s) => s.setMode)
  return (
    <div className="wf-mode" role="group" aria-label="graph shows">
      <button aria-pressed={mode === 'design'} onClick={() => setMode('design')}>
        Design
      </button>
      <button aria-pressed={mode === 'run'} disabled={!execution} onClick={() => setMode('run')}>
        {execution ? `Run #${execution.jobId}` : 'Run'}
      </button>
    </div>
  )
}

/**
 * Where a canvas has no room even for the small minimap: "12 of 15 tasks out of view — drag or zoom"
 * while any task of `layout` is not wholly inside the `box` at the current viewport; nothing when all are.
 */
function OutOfViewHint({ layout, box, inline }: { layout: GraphLayout; box: BoxSize; inline?: boolean }) {
  const { x, y, zoom } = useViewport()
  const out = layout.nodes.filter((n) => {
    const [left, top] = [x + n.x * zoom, y + n.y * zoom]
    return left < 0 || top < 0 || left + n.width * zoom > box.width || top + n.height * zoom > box.height
  }).length
  if (!out) return null
  const text = `${out} of ${layout.nodes.length} tasks out of view — drag or zoom`
  // inline: a line under the edit strip, which holds the same top-left corner
  if (inline) return <p className="wf-dag-hint" data-testid="dag-out-of-view">{text}</p>
  return (
    <Panel position="top-left" className="wf-dag-hint" data-testid="dag-out-of-view">
      {text}
    </Panel>
  )
}

function GraphCanvas() {
  const mode = useWorkflows((s) => s.mode)
  const design = useWorkflows(useShallow(shownDesignGraph))
  const problem = useWorkflows((s) => (s.validation?.ok === false && s.validatedText === s.draft ? (s.validation.problem ?? null) : null))
  const executionNodes = useWorkflows((s) => s.executionNodes)
  const storedExecution = useWorkflows((s) => s.execution)
  const selectedTask = useWorkflows((s) => s.selectedTask)
  const selectTask = useWorkflows((s) => s.selectTask)
  // before the first check of a draft answers there is no graph yet, not an empty one
  const checked = useWorkflows((s) => s.validation !== null)
  const direction = useWorkflows((s) => s.direction)
  const execution = mode === 'run' ? storedExecution : null
  const graph = execution ? executionNodes : design.nodes
  const stale = !execution && design.stale
  // the check's problem, with its line, said where the graph would be (the graph is not the draft's)
  const where = problem ? [problem.line ? `line ${problem.line}` : null, problem.field ? `field ${problem.field}` : null].filter(Boolean).join(', ') : ''
  const problemText = problem ? `${where ? `${where}: ` : ''}${problem.message}` : ''
  const running = execution !== null
  // running tasks' durations count up on their nodes
  const now = useNow(execution?.tasks.some((t) => t.route === null && t.startedAt != null && !isTerminalTask(t.status)) ?? false)
  const theme = useResolvedTheme()
  // the design graph draws a foreach's or choice's inner tasks as nodes inside it (to edit them); a run's stays summed up
  const layout = useMemo(() => layoutGraph(graph, running, direction, !running), [graph, running, direction])
  // the design graph edits the draft (add, wire, delete, rename); a shown run is read-only, and so is a
  // greyed graph of a broken draft (it is not the text an edit would rewrite)
  const editable = !execution && !stale
  const editing = useDagEditing(editable)
  const canvas = useRef<HTMLDivElement>(null)
  const nodes = useMemo(() => toFlowNodes(layout, execution, selectedTask, direction, now, editable), [layout, execution, selectedTask, direction, now, editable])
  // fitted whenever the drawn graph changes shape (not when only statuses change), and as the window
  // or the panels beside it resize, until the user pans or zooms
  // a minimap from MINIMAP_FROM nodes on, and for any graph too big to fit readably (shown from its start)
  const drawn = useMemo(() => graphSize(layout), [layout])
  const minimapFor = useCallback(
    (box: BoxSize) => ((nodes.length >= MINIMAP_FROM || fitZoom(boundsOf(layout.nodes), box, FIT) < MIN_FIT_ZOOM) ? minimapSize(box) : null),
    [layout, nodes.length],
  )
  // a design graph is fitted below its edit strip: the strip (top-left) lay over the top tasks, the selected
  // one among them (at 900×600 its two rows covered the node being renamed)
  const fitOptions = useCallback((box: BoxSize) => (editable ? belowEditStrip(fitFor(box, drawn, minimapFor(box)), box) : fitFor(box, drawn, minimapFor(box))), [drawn, minimapFor, editable])
  const place = useCallback((box: BoxSize) => startView(layout, direction, box, fitOptions(box)), [layout, direction, fitOptions])
  const { box, size, onMoveStart, fit, controls } = useAutoFit(fitOptions, layout, { sized: true, place })
  const edges = useMemo(() => toFlowEdges(layout, execution, editing.selectedWire), [layout, execution, editing.selectedWire])
  const editedTask = editable && selectedTask && layout.nodes.some((p) => p.node.name === selectedTask) ? selectedTask : null
  // the foreach or choice the edited task is in: + Add task adds beside it, in that body
  const editedIn = layout.nodes.find((p) => p.node.name === editedTask)?.parent ?? null
  const minimap = minimapFor(size)
  return (
    <div className={`wf-dag-canvas${stale ? ' stale' : ''}`} data-testid="dag-canvas" data-node-count={nodes.length} data-stale={stale} tabIndex={-1} onKeyDown={editing.onKeyDown} ref={canvas}>
      {/* focusable (not in the tab order) so that a click on the graph keeps its keys (Ctrl+Z) here while nodes redraw */}
      {/* a strip above the graph, not over it: the graph refits below it (the note covered the top nodes) */}
      {stale && (
        <p className="wf-dag-note" data-testid="dag-stale-note">
          The draft has a problem{problem ? <> at <SafeText text={problemText} /></> : null}; greyed: the last graph that validated.
        </p>
      )}
      <div ref={box} className="wf-dag-flow">
        <ReactFlow
          nodes={nodes}
          edges={edges}
          nodeTypes={nodeTypes}
          colorMode={theme}
          fitView
          fitViewOptions={controls.fitViewOptions}
          minZoom={0.05}
          maxZoom={1.5}
          nodesDraggable={false}
          nodesConnectable={editable}
          onConnect={editing.connect}
          deleteKeyCode={editable ? ['Delete', 'Backspace'] : null}
          // React Flow hears Delete on the whole document: only a key pressed on the graph deletes (not one in the run panel)
          onBeforeDelete={async () => canvas.current?.contains(document.activeElement) ?? false}
          onDelete={editing.onDelete}
          onNodeClick={(_e, node) => {
            editing.setSelectedWire(null)
            void selectTask(node.id)
          }}
          onEdgeClick={(_e, edge) => {
            if (!editable) return
            editing.setSelectedWire(edge.id)
            void selectTask(null)
          }}
          onPaneClick={() => {
            editing.setSelectedWire(null)
            void selectTask(null)
          }}
          onMoveStart={onMoveStart}
        >
          <Background gap={20} color={theme === 'dark' ? '#2f3542' : '#dde1e8'} />
          <Controls position="top-right" showInteractive={false} showFitView={false} {...controls}>
            <ControlButton onClick={fit} title="Zoom to fit the whole graph" aria-label="zoom to fit">
              ⤢
            </ControlButton>
          </Controls>
          {!editable && !minimap && size.width > 0 && <OutOfViewHint layout={layout} box={size} />}
          {editable && (
            <DagEditBar editing={editing} task={editedTask} inside={editedIn}>
              {!minimap && size.width > 0 && <OutOfViewHint layout={layout} box={size} inline />}
            </DagEditBar>
          )}
          {editable && <DagEditHint editing={editing} />}
          {minimap && (
            <MiniMap
              pannable
              zoomable
              ariaLabel="minimap"
              position="bottom-right"
              nodeColor={(n) => MINIMAP_COLOURS[(n.data as TaskFlowNode['data']).status ?? 'design'] ?? '#d5d9e0'}
              nodeStrokeWidth={2}
              style={{ width: minimap.width, height: minimap.height, margin: minimap.margin }}
            />
          )}
        </ReactFlow>
        {graph.length === 0 && !running && problem && (
          <p className="wf-dag-empty muted" data-testid="dag-no-graph">
            No graph: the draft does not check at <SafeText text={problemText} />
          </p>
        )}
        {graph.length === 0 && (running || (checked && !problem)) && (
          <p className={`wf-dag-empty muted${editable ? ' below-edit' : ''}`}>Nothing to draw yet: write a descriptor with at least one task{editable ? ', or add one with + Add task' : ''}.</p>
        )}
      </div>
    </div>
  )
}

const VIEWS: { view: WorkflowView; label: string; title: string }[] = [
  { view: 'graph', label: 'Graph', title: 'The DAG, with the shown run’s states' },
  { view: 'grid', label: 'Grid', title: 'Recent runs × tasks' },
  { view: 'gantt', label: 'Gantt', title: 'The shown run’s tasks on a timeline' },
]

function ViewSwitch() {
  const view = useWorkflowManage((s) => s.view)
  const setView = useWorkflowManage((s) => s.setView)
  return (
    <div className="wf-mode" role="group" aria-label="view">
      {VIEWS.map((v) => (
        <button key={v.view} aria-pressed={view === v.view} title={v.title} onClick={() => setView(v.view)}>
          {v.label}
        </button>
      ))}
    </div>
  )
}

export function DagView({ onOpenJob }: { onOpenJob: (jobId: number) => void }) {
  const mode = useWorkflows((s) => s.mode)
  const view = useWorkflowManage((s) => s.view)
  return (
    <section className="wf-dag" aria-label="workflow graph">
      <header className="wf-dag-head">
        <ViewSwitch />
        {view === 'graph' && <ModeSwitch />}
        {view === 'graph' && <DirectionSwitch />}
        {mode === 'run' && <ExecutionBar onOpenJob={onOpenJob} />}
      </header>
      {view === 'graph' && (
        <ReactFlowProvider>
          <GraphCanvas />
        </ReactFlowProvider>
      )}
      {view === 'grid' && <RunGrid />}
      {view === 'gantt' && <RunGantt />}
    </section>
  )
}
