import { useNodesInitialized, useReactFlow, type ControlProps, type FitViewOptions, type OnMoveStart, type Viewport } from '@xyflow/react'
import { useCallback, useEffect, useMemo, useRef, useState, type RefObject } from 'react'

/** A canvas box's size in CSS px. */
export interface BoxSize {
  width: number
  height: number
}

/**
 * Keeps a React Flow view fitted to its graph until the user takes the view, for the graph
 * workflow canvas and the Workflows page's DAG. It fits when `shown` changes (a workflow opened,
 * a graph redrawn; compared with Object.is) once the nodes are measured, and again whenever the
 * canvas box changes size (the window resized, a panel or message opening beside or above it),
 * so nothing sits outside the visible area or under its controls. It stops once the user pans or
 * zooms (`onMoveStart`, for ReactFlow's prop; `controls`, for <Controls>, whose + and − buttons
 * move the view with no event ReactFlow reports as the user's) or places something (`hold()`, for
 * a drop or an add: the view must not move under what was just put down), until `shown` changes
 * again or the user asks for a fit: `fit()`, or the fit button of <Controls {...controls}>, fits
 * now and keeps fitting from there.
 *
 * `sized`: the nodes carry their width and height, so fitting need not wait for React Flow to
 * measure them (it never reports them measured when nodes are redrawn without onNodesChange).
 * `options` may depend on the box's size (room kept free for a minimap shown only on a big
 * enough canvas): it is then asked with the size the box has when it fits. `size` is that size,
 * for what the canvas draws by it. `place`, when given, may answer a view of its own for a box
 * instead of a fit (a graph too big to fit readably: its start at a readable zoom), or null to fit.
 * Call it inside a ReactFlowProvider; put `box` on the element that holds <ReactFlow>.
 */
export function useAutoFit(
  options: FitViewOptions | ((box: BoxSize) => FitViewOptions),
  shown: unknown,
  { sized = false, place }: { sized?: boolean; place?: (box: BoxSize) => Viewport | null } = {},
): {
  box: RefObject<HTMLDivElement | null>
  size: BoxSize
  onMoveStart: OnMoveStart
  hold: () => void
  fit: () => void
  controls: Pick<ControlProps, 'onZoomIn' | 'onZoomOut' | 'onFitView' | 'fitViewOptions'>
} {
  const { fitView: fitViewWith, setViewport } = useReactFlow()
  const measured = useNodesInitialized() || sized
  const box = useRef<HTMLDivElement>(null)
  const auto = useRef(true)
  const [size, setSize] = useState<BoxSize>({ width: 0, height: 0 })
  const optionsFor = useRef(options)
  optionsFor.current = options
  /** The options for the box as it is now (read at fit time: the size state may not have caught up). */
  const currentOptions = useCallback((): FitViewOptions => {
    const o = optionsFor.current
    const el = box.current
    return typeof o === 'function' ? o({ width: el?.clientWidth ?? 0, height: el?.clientHeight ?? 0 }) : o
  }, [])
  const placeFor = useRef(place)
  placeFor.current = place
  const fitView = useCallback(() => {
    const el = box.current
    const at = placeFor.current?.({ width: el?.clientWidth ?? 0, height: el?.clientHeight ?? 0 })
    return at ? setViewport(at) : fitViewWith(currentOptions())
  }, [fitViewWith, setViewport, currentOptions])

  useEffect(() => {
    auto.current = true
  }, [shown])
  useEffect(() => {
    if (!measured || !auto.current) return
    const frame = requestAnimationFrame(() => void fitView())
    return () => cancelAnimationFrame(frame)
  }, [shown, measured, fitView])
  useEffect(() => {
    const el = box.current
    if (!el) return
    let frame = 0
    let last = { width: el.clientWidth, height: el.clientHeight }
    setSize(last)
    const observer = new ResizeObserver(() => {
      const now = { width: el.clientWidth, height: el.clientHeight }
      if (now.width === last.width && now.height === last.height) return
      last = now
      setSize(now)
      if (!auto.current) return
      cancelAnimationFrame(frame)
      frame = requestAnimationFrame(() => void fitView())
    })
    observer.observe(el)
    return () => {
      observer.disconnect()
      cancelAnimationFrame(frame)
    }
  }, [fitView])

  const onMoveStart = useCallback<OnMoveStart>((event) => {
    if (event) auto.current = false // the user pans or zooms (fitView's own moves carry no event): the view is theirs now
  }, [])
  const hold = useCallback(() => {
    auto.current = false
  }, [])
  const resume = useCallback(() => {
    auto.current = true
  }, [])
  const fit = useCallback(() => {
    auto.current = true
    void fitView()
  }, [fitView])
  // <Controls> fits by itself (with these options) before it calls onFitView
  const shownOptions = typeof options === 'function' ? options(size) : options
  const controls = useMemo(() => ({ onZoomIn: hold, onZoomOut: hold, onFitView: resume, fitViewOptions: shownOptions }), [hold, resume, shownOptions])
  return { box, size, onMoveStart, hold, fit, controls }
}
