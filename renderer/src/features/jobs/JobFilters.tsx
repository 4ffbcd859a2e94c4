import type { RefObject } from 'react'
import { create } from 'zustand'
import { JOB_KINDS, type JobKind } from '../../../../shared/model'
import { JOB_STATUSES, type JobStatus } from '../../../../shared/status'
import { TOP_LEVEL, useJobs } from '../../stores/jobs'
import { KIND_LABELS } from './format'

const HOUR = 3600_000
/** The submit-time filter's choices: a span back from now, or a custom day range. */
const SPANS = { any: 'any time', hour: 'last hour', day: 'last 24 hours', week: 'last 7 days', month: 'last 30 days', custom: 'custom range…' } as const
type Span = keyof typeof SPANS
const SPAN_MS: Partial<Record<Span, number>> = { hour: HOUR, day: 24 * HOUR, week: 7 * 24 * HOUR, month: 30 * 24 * HOUR }

/** The date filter's choice as shown (the list's filter holds the times it stands for); kept while the page is away. */
const useDateChoice = create<{ span: Span; days: { from: string; to: string } }>(() => ({ span: 'any', days: { from: '', to: '' } }))

/** Forgets the date filter's choice (with "Clear filters"). */
export const resetDateChoice = (): void => useDateChoice.setState({ span: 'any', days: { from: '', to: '' } })

/** A `yyyy-mm-dd` input's day as local midnight (epoch ms), or undefined when blank. */
const dayStart = (value: string): number | undefined => (value ? new Date(`${value}T00:00:00`).getTime() : undefined)

/** Search, status, type and submit-time filters of the Jobs table. */
export function JobFilters({ searchRef }: { searchRef: RefObject<HTMLInputElement | null> }) {
  const filter = useJobs((s) => s.filter)
  const setFilter = useJobs((s) => s.setFilter)
  const { span, days } = useDateChoice()
  const setSpan = (next: Span) => useDateChoice.setState({ span: next })
  const setDays = (next: { from: string; to: string }) => useDateChoice.setState({ days: next })
  const setRange = (next: { from: string; to: string }) => {
    setDays(next)
    const to = dayStart(next.to)
    setFilter({ from: dayStart(next.from), to: to === undefined ? undefined : to + 24 * HOUR }) // "to" is inclusive
  }
  const setDay = (which: 'from' | 'to', value: string) => setRange({ ...days, [which]: value })
  // yyyy-mm-dd compares as text; a reversed range matched nothing and the table only said "No job matches" (#9)
  const reversed = days.from !== '' && days.to !== '' && days.from > days.to
  return (
    <div className="filters">
      <input
        ref={searchRef}
        type="search"
        // fits the field beside the three filters at 1280 px ("… or uu" was all that showed of the longer
        // one, newuser5 #6); the / shortcut is in the tooltip and aria-keyshortcuts
        placeholder="Search id, name, uuid"
        title="Search jobs by id, name or uuid (/ comes here from anywhere on the page)"
        aria-label="search jobs"
        aria-keyshortcuts="/"
        value={filter.text ?? ''} // controlled: back/forward and a link set it through the URL
        onChange={(e) => setFilter({ text: e.target.value || undefined })}
      />
      <select aria-label="status filter" value={filter.status ?? ''} onChange={(e) => setFilter({ status: (e.target.value || undefined) as JobStatus | undefined })}>
        <option value="">any status</option>
        {JOB_STATUSES.map((s) => (
          <option key={s} value={s}>
            {s}
          </option>
        ))}
      </select>
      <select aria-label="type filter" value={filter.type ?? ''} onChange={(e) => setFilter({ type: (e.target.value || undefined) as JobKind | undefined })}>
        <option value="">any type</option>
        {JOB_KINDS.map((k) => (
          <option key={k} value={k}>
            {KIND_LABELS[k]}
          </option>
        ))}
      </select>
      <select
        aria-label="submitted"
        value={span}
        onChange={(e) => {
          const next = e.target.value as Span
          setSpan(next)
          setDays({ from: '', to: '' })
          const ms = SPAN_MS[next]
          setFilter({ from: ms === undefined ? undefined : Date.now() - ms, to: undefined })
        }}
      >
        {Object.entries(SPANS).map(([k, label]) => (
          <option key={k} value={k}>
            {label}
          </option>
        ))}
      </select>
      <label className="check subflows-toggle" title="List Rill Flow sub-flows as rows of their own, not only as counts on their parent's row">
        <input type="checkbox" aria-label="sub-flows as rows" checked={filter.parent === 'all'} onChange={(e) => setFilter({ parent: e.target.checked ? 'all' : TOP_LEVEL })} />
        Sub-flows as rows
      </label>
      {span === 'custom' && (
        <span className="date-range">
          <input type="date" aria-label="submitted from" value={days.from} onChange={(e) => setDay('from', e.target.value)} />
          <span className="muted">to</span>
          <input type="date" aria-label="submitted to" value={days.to} onChange={(e) => setDay('to', e.target.value)} aria-invalid={reversed || undefined} />
          {reversed && (
            <span role="alert" className="error-text">
              The range is reversed: {days.from} is after {days.to}.{' '}
              <button type="button" className="link" onClick={() => setRange({ from: days.to, to: days.from })}>
                Swap
              </button>
            </span>
          )}
        </span>
      )}
    </div>
  )
}

/** Whether any filter is set (an empty list then says "no match" rather than "no jobs yet"); one job's sub-flows are a filter. */
export const isFiltered = (f: { status?: unknown; type?: unknown; text?: string; from?: number; to?: number; parent?: unknown }): boolean =>
  !!(f.status || f.type || f.text || f.from != null || f.to != null || typeof f.parent === 'number')

/** Over the list while it shows one job's sub-flows: whose, a link to that job, and the way back to all jobs. */
export function SubflowView() {
  const parent = useJobs((s) => s.filter.parent)
  if (typeof parent !== 'number') return null
  return (
    <p className="subflow-view" data-testid="subflow-view">
      Sub-flows of job{' '}
      <button className="link" aria-label={`open job ${parent}`} onClick={() => void useJobs.getState().select(parent)}>
        #{parent}
      </button>
      {' · '}
      <button className="link" onClick={() => useJobs.getState().setFilter({ parent: TOP_LEVEL })}>
        ← All jobs
      </button>
    </p>
  )
}
