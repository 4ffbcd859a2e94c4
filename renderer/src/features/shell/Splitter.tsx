import { useRef, type KeyboardEvent, type PointerEvent } from 'react'
import './splitter.css'
import { SPLIT_DEFAULTS, SPLIT_MAX, SPLIT_MIN, useSplitSizes, type SplitName } from '../../stores/split-sizes'

/** Arrow keys move the splitter by this many percent (Shift: by STEP_BIG). */
const STEP = 2
const STEP_BIG = 10

/**
 * A horizontal bar between two stacked panes (WAI-ARIA window splitter): drag it, or focus it and
 * use ↑/↓ (Shift for bigger steps), Home/End for the limits and Enter to restore the default.
 * Its size is the first pane's share of `container`, kept per user (stores/split-sizes).
 */
export function Splitter({ name, label, controls, container }: { name: SplitName; label: string; controls: string; container: () => HTMLElement | null }) {
  const size = useSplitSizes((s) => s.sizes[name])
  const setSize = useSplitSizes((s) => s.setSize)
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
    const now = e.key === 'ArrowUp' || e.key === 'ArrowDown' ? shown() : size
    const next = e.key === 'ArrowUp' ? now - step : e.key === 'ArrowDown' ? now + step : e.key === 'Home' ? SPLIT_MIN : e.key === 'End' ? SPLIT_MAX : e.key === 'Enter' ? SPLIT_DEFAULTS[name] : null
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
      onDoubleClick={() => setSize(name, SPLIT_DEFAULTS[name])}
    />
  )
}
