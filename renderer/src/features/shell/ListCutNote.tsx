import { totalOf } from '../../../../shared/listed-total'
import { formatCount } from '../../../../shared/number-format'

/**
 * Says, below a list read as one page of at most `limit` rows, that it is not all there is: "The
 * 2,000 most recently stored of 2,300 workflows are listed." when the answer carried its total (over
 * HTTP: X-Total-Count), or, without one, that a full page may not be all. Nothing when the list is
 * whole. `items` is the list as the transport answered it (the array carries the total); `newest`
 * says what the page's order keeps ("most recently stored").
 */
export function ListCutNote(props: { items: readonly unknown[]; limit: number; what: string; newest: string; className?: string; testId?: string }) {
  const { items, limit, what, newest, className, testId } = props
  const shown = items.length
  const total = totalOf(items)
  if (total !== undefined ? total <= shown : shown < limit) return null
  const text =
    total !== undefined
      ? `The ${formatCount(shown)} ${newest} of ${formatCount(total)} ${what} are listed: a list shows at most ${formatCount(limit)}.`
      : `Only the ${formatCount(shown)} ${newest} ${what} are listed: a list shows at most ${formatCount(limit)}, and there may be more.`
  return (
    <p className={className} role="note" data-testid={testId}>
      {text}
    </p>
  )
}
