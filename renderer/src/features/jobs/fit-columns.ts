import { useLayoutEffect, useRef, type DependencyList } from 'react'

/**
 * What a narrow table gives up, in order: first the Name column narrows (its text ellipsed, the
 * full name in its tooltip), then the columns least read while watching jobs go: Type, then
 * Submitted, and Progress last, so a narrow list still shows each job's status, progress and
 * duration (as n8n's executions list and Airflow's runs keep state and run time). Cells of a
 * droppable column carry `col-<name>`; the wrapper gets `fit-<step>` for each step taken (see
 * styles.css). What a hidden column says is in the job's detail panel too.
 */
export const FIT_STEPS = ['name', 'type', 'submitted', 'progress'] as const
export type DroppableColumn = Exclude<(typeof FIT_STEPS)[number], 'name'>

/**
 * Takes the fit steps, in order, while the table is wider than its wrapper (measured again when the
 * wrapper's width or `deps` change), so the last column's header is not cut off beside an open
 * detail panel; what still does not fit scrolls. `keep` (the column the list is sorted by) is never
 * hidden, so the sort stays visible. Returns the wrapper's ref.
 */
export function useFittingColumns<T extends HTMLElement>(deps: DependencyList, keep?: DroppableColumn) {
  const ref = useRef<T>(null)
  useLayoutEffect(() => {
    const wrap = ref.current
    const table = wrap?.querySelector('table')
    if (!wrap || !table) return
    let width = -1
    const fit = () => {
      width = wrap.clientWidth
      FIT_STEPS.forEach((step) => wrap.classList.remove(`fit-${step}`))
      for (const step of FIT_STEPS) {
        if (table.offsetWidth <= wrap.clientWidth + 1) break
        if (step === keep) continue
        wrap.classList.add(`fit-${step}`)
      }
    }
    fit()
    const observer = new ResizeObserver(() => {
      if (wrap.clientWidth !== width) fit()
    })
    observer.observe(wrap)
    // measured before the web fonts arrive, the text is wider: measure again once they have
    let live = true
    void document.fonts?.ready.then(() => live && fit())
    return () => {
      live = false
      observer.disconnect()
    }
  }, [...deps, keep])
  return ref
}
