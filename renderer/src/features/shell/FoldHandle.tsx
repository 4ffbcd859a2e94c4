/**
 * A thin strip beside a side panel that folds it away or brings it back (the middle takes the room).
 * The CSS class `fold-handle` (and `wf-fold` for the Workflows page's older rules) styles it.
 */
export function FoldHandle({ folded, side, what, onToggle }: { folded: boolean; side: 'left' | 'right'; what: string; onToggle: () => void }) {
  const pointsLeft = (side === 'left') !== folded
  return (
    <button className={`wf-fold wf-fold-${side} fold-handle`} onClick={onToggle} aria-label={`${folded ? 'show' : 'hide'} the ${what}`} title={`${folded ? 'Show' : 'Hide'} the ${what}`} aria-expanded={!folded}>
      <span aria-hidden="true">{pointsLeft ? '‹' : '›'}</span>
    </button>
  )
}
