import { useLayoutEffect, useMemo, useRef, useState } from 'react'
import { jsonText } from './json-text'
import { SafeText } from './SafeText'
import { formatCount } from '../../../../shared/number-format'

/** The columns a code box shows before it wraps: its content width over its font's digit width (at least 30). */
function columnsOf(box: HTMLElement): number {
  const style = getComputedStyle(box)
  const content = box.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight)
  const ctx = document.createElement('canvas').getContext('2d')
  if (!ctx) return 80
  ctx.font = style.font
  const digit = ctx.measureText('0123456789').width / 10
  return digit > 0 ? Math.max(30, Math.floor(content / digit)) : 80
}

/**
 * A JSON value in a code box, compact (json-text.ts) to the box's width, so that filled lines do not
 * wrap: a large array or object shows its first members and "… N more items", with a button to show
 * the whole value and one to go back. Strings inside are user text: drawn through SafeText.
 */
export function JsonView({ value, testId, label, className = 'code' }: { value: unknown; testId?: string; label?: string; className?: string }) {
  const [whole, setWhole] = useState(false)
  const [width, setWidth] = useState(80)
  const box = useRef<HTMLPreElement>(null)
  useLayoutEffect(() => {
    const el = box.current
    if (!el) return
    const measure = () => setWidth(columnsOf(el))
    measure()
    const seen = new ResizeObserver(measure)
    seen.observe(el)
    return () => seen.disconnect()
  }, [])
  const { text, hidden } = useMemo(() => jsonText(value, { width, ...(whole ? { maxItems: Infinity } : {}) }), [value, whole, width])
  return (
    <>
      <pre ref={box} className={className} data-testid={testId} aria-label={label}>
        <SafeText text={text} multiline />
      </pre>
      {(hidden > 0 || whole) && (
        <button className="link json-view-toggle" onClick={() => setWhole(!whole)}>
          {whole ? 'Show less' : `Show all (${formatCount(hidden)} more)`}
        </button>
      )}
    </>
  )
}
