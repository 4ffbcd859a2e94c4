import { forceCollide, forceLink, forceManyBody, forceSimulation, forceX, forceY, type SimulationNodeDatum } from 'd3-force'
import { useEffect, useMemo, useRef, useState, type PointerEvent as ReactPointerEvent, type WheelEvent } from 'react'
import { visibleText } from '../shell/SafeText'
import { caption, labelColour, type Picture, type PictureEdge, type PictureNode } from './cypher-result'

/** The picture draws at most this many vertices (the table has them all). */
export const MAX_DRAWN_NODES = 500
const R = 22
/** The least zoom a fit draws at (screen px a picture unit): vertices 33 px across, labels readable. */
export const MIN_FIT_ZOOM = 0.75
/** Characters of a label drawn in its circle: 10 px bold white, 8 were 50 px wide, the ends invisible outside the 44 px circle. */
const LABEL_CHARS = 6

interface Place extends SimulationNodeDatum {
  id: number
}

interface GraphViewProps {
  picture: Picture
  selected: { kind: 'node'; id: number } | { kind: 'edge'; key: string } | null
  onSelect: (s: GraphViewProps['selected']) => void
  onExpand: (id: number) => void
  expanding: number[]
}

const short = (text: string, n: number) => (text.length > n ? `${text.slice(0, n - 1)}…` : text)

/**
 * Lays the vertices out with d3-force (a fixed number of ticks, not animated: the same picture
 * every time) and draws them in SVG: a circle per vertex in its label's colour with the label in
 * it and its caption under it, an arrow per edge with its label. Positions are kept across
 * expansions (new neighbours start next to the node they hang off). Drag the background to pan,
 * the wheel zooms, drag a node to move it; a click (or Enter) selects, a double-click (or E) expands.
 */
export function GraphView({ picture, selected, onSelect, onExpand, expanding }: GraphViewProps) {
  const places = useRef(new Map<number, Place>())
  /** Bumped when a node is dragged (a re-render); `layouts` when the layout ran (the view is fitted again). */
  const [, setVersion] = useState(0)
  const [layouts, setLayouts] = useState(0)
  const [view, setView] = useState({ x: 0, y: 0, k: 1 })
  const svg = useRef<SVGSVGElement>(null)
  /** The picture's size on screen (px): a fit draws at most one unit a pixel, so a few nodes keep their size. */
  const [screen, setScreen] = useState({ w: 0, h: 0 })
  useEffect(() => {
    const el = svg.current
    if (!el) return
    const measure = () => setScreen((s) => (s.w === el.clientWidth && s.h === el.clientHeight ? s : { w: el.clientWidth, h: el.clientHeight }))
    measure()
    const observer = new ResizeObserver(measure)
    observer.observe(el)
    return () => observer.disconnect()
  }, [])
  const nodes = useMemo(() => picture.nodes.slice(0, MAX_DRAWN_NODES), [picture.nodes])
  const drawn = useMemo(() => new Set(nodes.map((n) => n.id)), [nodes])
  const edges = useMemo(() => picture.edges.filter((e) => drawn.has(e.src) && drawn.has(e.dst)), [picture.edges, drawn])

  useEffect(() => {
    const known = places.current
    const fresh = nodes.filter((n) => !known.has(n.id))
    const wasEmpty = known.size === 0
    for (const id of [...known.keys()]) if (!drawn.has(id)) known.delete(id)
    for (const n of fresh) {
      // next to a drawn neighbour, so an expansion grows out of the expanded node
      const edge = edges.find((e) => (e.src === n.id && known.has(e.dst)) || (e.dst === n.id && known.has(e.src)))
      const anchor = edge ? known.get(edge.src === n.id ? edge.dst : edge.src) : undefined
      const angle = Math.random() * 2 * Math.PI
      known.set(n.id, { id: n.id, x: (anchor?.x ?? 0) + Math.cos(angle) * 60, y: (anchor?.y ?? 0) + Math.sin(angle) * 60 })
    }
    const list = nodes.map((n) => known.get(n.id)!)
    if (fresh.length === 0 && !wasEmpty) return
    // old nodes stay put while the new ones find their place, unless all are new
    for (const p of list) if (!wasEmpty && !fresh.some((n) => n.id === p.id)) (p.fx = p.x), (p.fy = p.y)
    const sim = forceSimulation<Place>(list)
      .force('charge', forceManyBody<Place>().strength(-300))
      .force('link', forceLink<Place, { source: number; target: number }>(edges.filter((e) => e.src !== e.dst).map((e) => ({ source: e.src, target: e.dst }))).id((d) => d.id).distance(110))
      .force('collide', forceCollide<Place>(R + 8))
      .force('x', forceX<Place>(0).strength(0.05))
      .force('y', forceY<Place>(0).strength(0.05))
      .stop()
    const ticks = Math.min(300, 60 + list.length * 2)
    for (let i = 0; i < ticks; i++) sim.tick()
    for (const p of list) if (!wasEmpty) (p.fx = undefined), (p.fy = undefined)
    if (wasEmpty) setView({ x: 0, y: 0, k: 1 })
    setLayouts((v) => v + 1)
  }, [nodes, edges, drawn])

  // The box around every vertex, centred on them: the picture is fitted into it, then panned and
  // zoomed. Never smaller than the screen (one unit a pixel), so two nodes are not blown up to
  // 120 px circles with 30 px labels (newuser4 #7)...
  const box = useMemo(() => {
    const ps = nodes.map((n) => places.current.get(n.id)).filter((p): p is Place => !!p)
    if (ps.length === 0) return { x: -200, y: -150, w: 400, h: 300 }
    const xs = ps.map((p) => p.x ?? 0)
    const ys = ps.map((p) => p.y ?? 0)
    const pad = R * 3
    const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)]
    // ...nor bigger than the screen at MIN_FIT_ZOOM: a big graph's fit drew 10 px vertices with
    // unreadable labels (the trial); it is shown around its middle, the rest a drag away
    const most = (side: number) => (side > 0 ? side / MIN_FIT_ZOOM : Infinity)
    const w = Math.min(Math.max(x1 - x0 + 2 * pad, 300, screen.w), Math.max(most(screen.w), 300))
    const h = Math.min(Math.max(y1 - y0 + 2 * pad, 200, screen.h), Math.max(most(screen.h), 200))
    return { x: (x0 + x1) / 2 - w / 2, y: (y0 + y1) / 2 - h / 2, w, h }
    // layouts: the layout ran (a dragged node does not refit the view)
  }, [nodes, layouts, screen])

  const drag = useRef<{ id: number | null; startX: number; startY: number; moved: boolean; origin: { x: number; y: number } } | null>(null)
  /** Screen pixels to picture units. */
  const scale = () => {
    const el = svg.current
    if (!el) return 1
    const r = el.getBoundingClientRect()
    return Math.max(box.w / r.width, box.h / r.height) / view.k
  }
  const onPointerDown = (e: ReactPointerEvent, id: number | null) => {
    e.stopPropagation()
    const p = id === null ? null : places.current.get(id)
    drag.current = { id, startX: e.clientX, startY: e.clientY, moved: false, origin: p ? { x: p.x ?? 0, y: p.y ?? 0 } : { x: view.x, y: view.y } }
    ;(e.currentTarget as Element).setPointerCapture?.(e.pointerId)
  }
  const onPointerMove = (e: ReactPointerEvent) => {
    const d = drag.current
    if (!d) return
    const dx = e.clientX - d.startX
    const dy = e.clientY - d.startY
    if (!d.moved && Math.hypot(dx, dy) < 4) return
    d.moved = true
    const s = scale()
    if (d.id === null) setView((v) => ({ ...v, x: d.origin.x - dx * s, y: d.origin.y - dy * s }))
    else {
      const p = places.current.get(d.id)
      if (p) (p.x = d.origin.x + dx * s), (p.y = d.origin.y + dy * s)
      setVersion((v) => v + 1)
    }
  }
  const onPointerUp = (e: ReactPointerEvent) => {
    const d = drag.current
    drag.current = null
    if (!d || d.moved) return
    if (d.id === null && e.target === svg.current) onSelect(null)
  }
  const onWheel = (e: WheelEvent) => setView((v) => ({ ...v, k: Math.min(4, Math.max(0.2, v.k * (e.deltaY < 0 ? 1.15 : 1 / 1.15))) }))

  const w = box.w / view.k
  const h = box.h / view.k
  const viewBox = `${box.x + box.w / 2 - w / 2 + view.x} ${box.y + box.h / 2 - h / 2 + view.y} ${w} ${h}`
  const pairs = parallelIndex(edges)
  const at = (id: number) => places.current.get(id) ?? { x: 0, y: 0 }

  return (
    <svg
      ref={svg}
      className="gx-svg"
      viewBox={viewBox}
      role="img"
      aria-label={`graph picture: ${nodes.length} nodes, ${edges.length} relationships`}
      data-testid="graph-picture"
      onPointerDown={(e) => onPointerDown(e, null)}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onWheel={onWheel}
    >
      <defs>
        <marker id="gx-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
          <path d="M0,0 L10,5 L0,10 z" className="gx-arrow" />
        </marker>
      </defs>
      {edges.map((e) => (
        <EdgeShape
          key={e.key}
          edge={e}
          from={at(e.src)}
          to={at(e.dst)}
          bend={pairs.get(e.key) ?? 0}
          selected={selected?.kind === 'edge' && selected.key === e.key}
          onSelect={() => onSelect({ kind: 'edge', key: e.key })}
        />
      ))}
      {nodes.map((n) => (
        <NodeShape
          key={n.id}
          node={n}
          at={at(n.id)}
          selected={selected?.kind === 'node' && selected.id === n.id}
          busy={expanding.includes(n.id)}
          onPointerDown={(e) => onPointerDown(e, n.id)}
          onClick={() => {
            const moved = drag.current?.moved
            drag.current = null
            if (!moved) onSelect({ kind: 'node', id: n.id })
          }}
          onExpand={() => onExpand(n.id)}
        />
      ))}
    </svg>
  )
}

function NodeShape(p: { node: PictureNode; at: { x?: number; y?: number }; selected: boolean; busy: boolean; onPointerDown: (e: ReactPointerEvent) => void; onClick: () => void; onExpand: () => void }) {
  const { node, at } = p
  // SVG text takes no <bdi>: label and caption as plain strings with their hidden characters escaped
  const text = visibleText(caption(node))
  const label = visibleText(node.label)
  return (
    <g
      className={`gx-node${p.selected ? ' selected' : ''}${p.busy ? ' busy' : ''}`}
      transform={`translate(${at.x ?? 0},${at.y ?? 0})`}
      data-node-id={node.id}
      data-label={node.label}
      tabIndex={0}
      aria-label={`${label} ${text}: Enter shows its properties, E expands it`}
      onKeyDown={(e) => {
        if (e.key === 'Enter' || e.key === ' ') p.onClick()
        else if (e.key === 'e' || e.key === 'E') p.onExpand()
        else return
        e.preventDefault()
      }}
      onPointerDown={p.onPointerDown}
      onPointerUp={(e) => {
        e.stopPropagation()
        p.onClick()
      }}
      onDoubleClick={(e) => {
        e.stopPropagation()
        p.onExpand()
      }}
    >
      <title>{`${label} #${node.id}: ${text} (double-click: expand)`}</title>
      <circle r={R} fill={labelColour(node.label)} />
      <text className="gx-node-label" dy="0.35em">
        {short(label, LABEL_CHARS)}
      </text>
      <text className="gx-node-caption" y={R + 14}>
        {short(text, 18)}
      </text>
    </g>
  )
}

function EdgeShape(p: { edge: PictureEdge; from: { x?: number; y?: number }; to: { x?: number; y?: number }; bend: number; selected: boolean; onSelect: () => void }) {
  const x1 = p.from.x ?? 0
  const y1 = p.from.y ?? 0
  const x2 = p.to.x ?? 0
  const y2 = p.to.y ?? 0
  let d: string
  let mx: number
  let my: number
  /** Where the label sits against its point: above the line (a lone edge), or out on its curve's side. */
  let anchor: { textAnchor: 'start' | 'middle' | 'end'; dy: string } = { textAnchor: 'middle', dy: '-0.3em' }
  if (p.edge.src === p.edge.dst) {
    // a loop above the node
    const s = R * 0.7
    d = `M${x1 - s},${y1 - s} C${x1 - 3 * R},${y1 - 4 * R} ${x1 + 3 * R},${y1 - 4 * R} ${x1 + s},${y1 - s}`
    mx = x1
    my = y1 - 3.2 * R
  } else {
    const dx = x2 - x1
    const dy = y2 - y1
    const len = Math.hypot(dx, dy) || 1
    const nx = -dy / len
    const ny = dx / len
    const off = p.bend * 40
    const cx = (x1 + x2) / 2 + nx * off
    const cy = (y1 + y2) / 2 + ny * off
    // start and end on the circles, toward the control point
    const a = unit(cx - x1, cy - y1)
    const b = unit(cx - x2, cy - y2)
    d = `M${x1 + a.x * R},${y1 + a.y * R} Q${cx},${cy} ${x2 + b.x * (R + 2)},${y2 + b.y * (R + 2)}`
    mx = (x1 + x2) / 4 + cx / 2
    my = (y1 + y2) / 4 + cy / 2
    if (p.bend !== 0) {
      // edges between the same two vertices (both ways, say): each label outside its own curve,
      // running away from the others, not all on the middle of the straight line (newuser4 #7)
      const sx = nx * Math.sign(p.bend)
      const sy = ny * Math.sign(p.bend)
      mx += sx * 4
      my += sy * 4
      anchor = Math.abs(sx) > Math.abs(sy) ? { textAnchor: sx > 0 ? 'start' : 'end', dy: '0.35em' } : { textAnchor: 'middle', dy: sy > 0 ? '1em' : '-0.3em' }
    }
  }
  return (
    <g
      className={`gx-edge${p.selected ? ' selected' : ''}`}
      data-edge-key={p.edge.key}
      onPointerDown={(e) => e.stopPropagation()}
      onPointerUp={(e) => {
        e.stopPropagation()
        p.onSelect()
      }}
    >
      <title>{`${visibleText(p.edge.label)} #${p.edge.src} → #${p.edge.dst}`}</title>
      <path d={d} className="gx-edge-hit" />
      <path d={d} className="gx-edge-line" markerEnd="url(#gx-arrow)" />
      <text className="gx-edge-label" x={mx} y={my} dy={anchor.dy} style={{ textAnchor: anchor.textAnchor }}>
        {short(visibleText(p.edge.label), 16)}
      </text>
    </g>
  )
}

const unit = (x: number, y: number) => {
  const l = Math.hypot(x, y) || 1
  return { x: x / l, y: y / l }
}

/** For edges between the same two vertices: each one's bend (0 alone; spread -n..n when several). */
function parallelIndex(edges: PictureEdge[]): Map<string, number> {
  const groups = new Map<string, PictureEdge[]>()
  for (const e of edges) {
    const k = e.src < e.dst ? `${e.src}-${e.dst}` : `${e.dst}-${e.src}`
    groups.set(k, [...(groups.get(k) ?? []), e])
  }
  const out = new Map<string, number>()
  for (const group of groups.values()) {
    group.forEach((e, i) => {
      const bend = i - (group.length - 1) / 2
      // the normal flips with the direction: keep reverse edges on their own side
      out.set(e.key, e.src < e.dst ? bend : -bend)
    })
  }
  return out
}
