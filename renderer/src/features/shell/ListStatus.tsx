import { useState, type ReactNode } from 'react'
import type { ListLoad } from '../../stores/list-load'
import { asSentence } from './form-errors'

/**
 * What a list shows where its rows go while it has none: "Loading the <what>…" until its first answer,
 * why it failed and a Retry button when that reading failed, and `empty` only once it answered with
 * nothing. Nothing when it has rows. As a table row spanning `cols` columns (`td.empty`) when `cols`
 * is given, else as a paragraph of `className`.
 */
export function ListStatus(props: {
  load: ListLoad
  /** Rows the list shows now. */
  rows: number
  /** The list's things, as the sentences name them ("jobs": "Loading the jobs…"). */
  what: string
  empty: ReactNode
  /** Reads the list again. */
  retry: () => void
  cols?: number
  className?: string
  testId?: string
}) {
  const { load, rows, what, empty, retry, cols, className, testId } = props
  // the failure Retry was pressed on: loading again until the store says how that went (a new ListLoad)
  const [retried, setRetried] = useState<ListLoad | null>(null)
  if (rows > 0) return null
  const said = load.answered ? (
    empty
  ) : load.error !== null && retried !== load ? (
    <span role="alert" className="error-text">
      The {what} could not be loaded. {asSentence(load.error)}{' '}
      <button
        className="link"
        onClick={() => {
          setRetried(load)
          retry()
        }}
      >
        Retry
      </button>
    </span>
  ) : (
    <span role="status" aria-busy="true">
      Loading the {what}…
    </span>
  )
  return cols !== undefined ? (
    <tr>
      <td colSpan={cols} className="empty" data-testid={testId}>
        {said}
      </td>
    </tr>
  ) : (
    <p className={className} data-testid={testId}>
      {said}
    </p>
  )
}
