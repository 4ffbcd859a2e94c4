import { useLayoutEffect, useRef, type DependencyList } from 'react'

/**
 * Columns a narrow table gives up first, least useful first: their cells carry `col-<name>` and the
 * wrapper gets `hide-<name>` (see styles.css). What they say is in the job's detail panel too.
 */
export const DROPPABLE_COLUMNS = ['progress', 'type', 'submitted'] as const

/**
 * Hides droppable columns, in order, while the table is wider than its wrapper (measured again
 * when the wrapper's width or `deps` change), so the last column's header is not cut off beside
 * an open detail panel; what still does not fit scrolls. Returns the wrapper's ref.
 */
export function useFittingColumns<T extends HTMLElement>(deps: DependencyList) {
  const ref = useRef<T>(null)
  useLayoutEffect(() => {
    const wrap = ref.current
    const table = wrap?.querySelector('table')
    if (!wrap || !table) return
    let width = -1
    const fit = () => {
      width = wrap.clientWidth
      DROPPABLE_COLUMNS.forEach((c) => wrap.classList.remove(`hide-${c}`))
      for (const c of DROPPABLE_COLUMNS) {
        if (table.offsetWidth <= wrap.clientWidth + 1) break
        wrap.classList.add(`hide-${c}`)
      }
    }
    fit()
    const observer = new ResizeObserver(() => {
      if (wrap.clientWidth !== width) fit()
    })
    observer.observe(wrap)
    return () => observer.disconnect()
  }, deps)
  return ref
}
