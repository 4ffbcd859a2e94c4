import { useLayoutEffect, useRef, useState, type KeyboardEvent, type PointerEvent, type RefObject } from 'react'
import './splitter.css'
import { SPLIT_MAX, SPLIT_MIN, defaultShare, useSplitSizes, type SplitName } from '../../stores/split-sizes'

/** Arrow keys move the splitter by this many percent (Shift: by STEP_BIG). */
const STEP = 2
const STEP_BIG = 10

/**
 * The first pane's share (percent) of `container` for the splitter `name`: the size the user chose,
 * else the default for the container's height (smaller in a short window, see defaultShare), kept up
 * to date as the container is resized. Measured before paint, so a short window never shows the tall default first.
 */
export function useSplitShare(name: SplitName, container: RefObject<HTMLElement | null>): number {
  const chosen = useSplitSizes((s) => s.sizes[name])
  const [height, setHeight] = useState(0)
  useLayoutEffect(() => {
    const box = container.current
    if (!box) return
    setHeight(box.getBoundingClientRect().height)
    const watch = new ResizeObserver(() => setHeight(box.getBoundingClientRect().height))
    watch.observe(box)
    return () => watch.disconnect()
  }, [container])
  return chosen ?? defaultShare(name, height)
}

/**
 * A horizontal bar between two stacked panes (WAI-ARIA window splitter): drag it, or focus it and
 * use ↑/↓ (Shift for bigger steps), Home/End for the limits and Enter to restore the default.
 * `size` is the first pane's share of `container` as shown (useSplitShare); a size the user sets is kept
 * per user (stores/split-sizes).
 */
export function Splitter({ name, size, label, controls, container }: { name: SplitName; size: number; label: string; controls: string; container: () => HTMLElement | null }) {
  const setSize = useSplitSizes((s) => s.setSize)
  const reset = useSplitSizes((s) => s.reset)
  const dragging = useRef(false)
  const moveTo = (clientY: number) => {
    const box = container()?.getBoundingClientRect()
    if (box && box.height > 0) setSize(name, ((clientY - box.top) / box.height) * 100)
  }
  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    dragging.current = true
    e.currentTarget.setPointerCapture(e.pointerId)
    e.preventDefault()
  }
  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    if (dragging.current) moveTo(e.clientY)
  }
  const onPointerUp = (e: PointerEvent<HTMLDivElement>) => {
    dragging.current = false
    e.currentTarget.releasePointerCapture(e.pointerId)
  }
  /** The first pane's share as shown: a page may give its default a floor in px (the Workflows editor's), and the arrows step from what is seen. */
  const shown = () => {
    const box = container()?.getBoundingClientRect()
    const pane = document.getElementById(controls)?.getBoundingClientRect()
    const seen = box && pane && box.height > 0 ? (pane.height / box.height) * 100 : size
    return Math.abs(seen - size) > 0.5 ? seen : size
  }
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const step = e.shiftKey ? STEP_BIG : STEP
    if (e.key === 'Enter') {
      e.preventDefault()
      reset(name)
      return
    }
    const now = e.key === 'ArrowUp' || e.key === 'ArrowDown' ? shown() : size
    const next = e.key === 'ArrowUp' ? now - step : e.key === 'ArrowDown' ? now + step : e.key === 'Home' ? SPLIT_MIN : e.key === 'End' ? SPLIT_MAX : null
    if (next === null) return
    e.preventDefault()
    setSize(name, next)
  }
  return (
    <div
      className="splitter"
      role="separator"
      aria-orientation="horizontal"
      aria-label={label}
      aria-controls={controls}
      aria-valuemin={SPLIT_MIN}
      aria-valuemax={SPLIT_MAX}
      aria-valuenow={Math.round(size)}
      tabIndex={0}
      title={`${label}: drag, or focus and use ↑ ↓ (Enter: default size)`}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onPointerCancel={onPointerUp}
      onKeyDown={onKeyDown}
      onDoubleClick={() => reset(name)}
    />
  )
}
