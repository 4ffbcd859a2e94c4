import { useState } from 'react'
import '../scripts/scripts.css' // the result cells' look (.sc-null, .sc-json, .sc-cell, .sc-cut), shared with the Scripts page
import { SafeText } from '../shell/SafeText'
import { formatCount } from '../../../../shared/number-format'
import type { ShownCell } from './cypher-result'

/**
 * One result cell's value as shownCell gives it, the one component for the Graph page's tables (the
 * Query table and the Graph → Workflows component sample): NULL apart; a text that leaves part of the
 * value out (`cut`: a long string, list or map, or a vertex, edge or path) as CutValue, which opens the
 * whole value; any other text whole, wrapping in its column between words and breaking a token only
 * where it must (.sc-cell), never cut at the column's edge; a short scalar (`whole`: a number, an id)
 * on one line (.sc-nobreak): "5000001" broken into "500000" over "1" misreads. `json`: drawn in the
 * colour of structured values (a list, map, vertex, edge or path).
 */
export function CellValue({ shown, json = false }: { shown: ShownCell; json?: boolean }) {
  if (shown.text === null) return <span className="sc-null">NULL</span>
  if (shown.cut && shown.exact !== undefined) return <CutValue text={shown.text} exact={shown.exact} json={json} />
  return (
    <span className={['sc-cell', json && 'sc-json', shown.whole && 'sc-nobreak'].filter(Boolean).join(' ')}>
      <SafeText text={shown.text} multiline />
    </span>
  )
}

/**
 * A value whose shown text leaves part of it out: the text as a button (aria-expanded) that opens the
 * whole value (`exact`) under it, where it can be selected and copied; a click, Enter or Space opens and
 * closes it. A tooltip alone reached no keyboard or touch user, and a long string had not even that
 * (#9 UI LOWs).
 */
function CutValue({ text, exact, json }: { text: string; exact: string; json: boolean }) {
  const [open, setOpen] = useState(false)
  return (
    <>
      <button type="button" className={json ? 'sc-cut sc-json' : 'sc-cut'} aria-expanded={open} title={open ? 'Hide the whole value' : `Show the whole value (${formatCount(exact.length)} characters)`} onClick={() => setOpen(!open)}>
        <SafeText text={text} multiline />
      </button>
      {open && (
        <pre className="sc-whole" data-testid="cell-whole">
          <SafeText text={exact} multiline />
        </pre>
      )}
    </>
  )
}
