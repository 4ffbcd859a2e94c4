import { useRef, type KeyboardEvent, type MouseEvent as ReactMouseEvent } from 'react'
import type { JobSortKey } from '../../../../shared/api'
import type { JobSummary } from '../../../../shared/model'
import { isTerminalJob } from '../../../../shared/status'
import { PAGE_SIZE, PAGE_SIZES, useJobs } from '../../stores/jobs'
import { formatDuration, formatTime, KIND_LABELS } from './format'
import { isFiltered } from './JobFilters'
import { NoJobsYet } from './NoJobsYet'
import { JobWarning, ProgressBar, StatusBadge, oneTaskRan, reportsProgress, waitingOf } from './StatusBadge'
import { useNow } from './use-now'
import { SafeText, visibleText } from '../shell/SafeText'
import { useFittingColumns, type DroppableColumn } from './fit-columns'
import { ListStatus } from '../shell/ListStatus'
import { formatCount } from '../../../../shared/number-format'

/** The columns; `col` names those a narrow table may hide (fit-columns). */
const COLUMNS: { key: JobSortKey | null; label: string; col?: DroppableColumn }[] = [
  { key: 'id', label: 'ID' },
  { key: 'name', label: 'Name' },
  { key: 'kind', label: 'Type', col: 'type' },
  { key: 'status', label: 'Status' },
  { key: null, label: 'Progress', col: 'progress' },
  { key: 'createdAt', label: 'Submitted', col: 'submitted' },
  { key: 'duration', label: 'Duration' },
]

/** A column header that sorts the list by it: a first click sorts descending (newest, longest first), the next ascending. */
function SortHeader({ column, label, className }: { column: JobSortKey; label: string; className?: string }) {
  const sort = useJobs((s) => s.filter.sort ?? 'id')
  const order = useJobs((s) => s.filter.order ?? 'desc')
  const setFilter = useJobs((s) => s.setFilter)
  const active = sort === column
  const next = active && order === 'desc' ? 'asc' : 'desc'
  return (
    <th className={className} aria-sort={active ? (order === 'asc' ? 'ascending' : 'descending') : 'none'}>
      <button className="sort" onClick={() => setFilter({ sort: column, order: next })} title={`Sort by ${label.toLowerCase()}, ${next === 'asc' ? 'ascending' : 'descending'}`}>
        {label}
        <span className="sort-mark" aria-hidden>
          {active ? (order === 'asc' ? '▲' : '▼') : ''}
        </span>
      </button>
    </th>
  )
}

/**
 * Focuses a job's row without moving its table sideways: a row is as wide as the table, and the
 * browser would scroll a narrow table to show the row's start (or centre), away from the column
 * being read. Only the vertical scroll follows the row.
 */
export function focusRow(row: HTMLElement | null | undefined): void {
  if (!row) return
  const wrap = row.closest<HTMLElement>('.table-wrap')
  const left = wrap?.scrollLeft ?? 0
  row.focus({ preventScroll: true })
  row.scrollIntoView({ block: 'nearest' })
  if (wrap) wrap.scrollLeft = left
}

/**
 * Closes the job detail and focuses the row it showed, once the list is drawn again (a narrow
 * window shows the open job instead of the list).
 */
export async function closeDetail(): Promise<void> {
  const id = useJobs.getState().selectedId
  await useJobs.getState().select(null)
  requestAnimationFrame(() => focusRow(document.querySelector<HTMLElement>(`tr[data-job-id="${id}"]`)))
}

/** Arrow keys move between rows, Home/End to the first/last; Enter opens a row's detail, Space checks it. */
function onRowKey(e: KeyboardEvent<HTMLTableRowElement>, id: number, select: (id: number) => void, toggle: (id: number, range: boolean) => void) {
  const row = e.currentTarget
  const rows = [...(row.parentElement?.querySelectorAll<HTMLTableRowElement>('tr[data-job-id]') ?? [])]
  const at = rows.indexOf(row)
  const go = (to: number) => {
    e.preventDefault()
    focusRow(rows[Math.max(0, Math.min(rows.length - 1, to))])
  }
  if (e.key === 'ArrowDown') go(at + 1)
  else if (e.key === 'ArrowUp') go(at - 1)
  else if (e.key === 'Home') go(0)
  else if (e.key === 'End') go(rows.length - 1)
  else if (e.key === 'Enter') {
    e.preventDefault()
    select(id)
  } else if (e.key === ' ') {
    e.preventDefault()
    toggle(id, e.shiftKey)
  }
}

/**
 * A row's name: a sub-flow listed among other jobs is marked so (↳, its parent in the title), and a job
 * that started sub-flows says how many, a link that lists them (`onSubflows`). The name is cut before
 * the link is: a narrow table keeps the count in sight.
 */
function JobName({ job, listedUnder, onSubflows }: { job: JobSummary; listedUnder: number | null; onSubflows: (id: number) => void }) {
  const subflows = job.subflowCount ?? 0
  return (
    <span className="name-line">
      {job.parentJobId != null && job.parentJobId !== listedUnder && (
        <span className="muted subflow-mark" title={`sub-flow of job #${job.parentJobId}`} aria-label={`sub-flow of job ${job.parentJobId}`}>
          ↳
        </span>
      )}
      <span className="name-text">
        <SafeText text={job.name} />
      </span>
      {subflows > 0 && (
        <button
          className="link subflows"
          data-testid={`subflows-${job.id}`}
          title={`List the ${formatCount(subflows)} sub-flows job #${job.id} started`}
          onClick={(e) => {
            e.stopPropagation() // the row's click would open its detail
            onSubflows(job.id)
          }}
          onKeyDown={(e) => e.stopPropagation()}
        >
          {formatCount(subflows)} {subflows === 1 ? 'sub-flow' : 'sub-flows'}
        </button>
      )}
    </span>
  )
}

export function JobTable({ onClearFilters }: { onClearFilters: () => void }) {
  const items = useJobs((s) => s.items)
  const total = useJobs((s) => s.total)
  const filter = useJobs((s) => s.filter)
  const offset = filter.offset ?? 0
  const limit = filter.limit ?? PAGE_SIZE
  const selectedId = useJobs((s) => s.selectedId)
  const checked = useJobs((s) => s.checked)
  const list = useJobs((s) => s.list)
  const { select, setFilter, refresh, toggleChecked, checkPage } = useJobs.getState()
  const stale = useJobs((s) => s.stale)
  // Running jobs' durations count up while they run.
  const now = useNow(items.some((j) => j.startedAt != null && !isTerminalJob(j.status)))
  const allChecked = items.length > 0 && items.every((j) => checked.has(j.id))
  const someChecked = items.some((j) => checked.has(j.id))
  // the row Tab lands on: the shown job's, else the first (arrow keys move from there)
  const byAge = (filter.sort ?? 'id') === 'id' || filter.sort === 'createdAt'
  const [back, forward] = byAge && (filter.order ?? 'desc') === 'desc' ? ['‹ Newer', 'Older ›'] : byAge ? ['‹ Older', 'Newer ›'] : ['‹ Previous', 'Next ›']
  const tabRow = items.some((j) => j.id === selectedId) ? selectedId : items[0]?.id
  // beside the open detail the table is narrow: it narrows Name and gives up low-value columns before it scrolls
  const clickedAt = useRef<number | null>(null) // the table's scrollLeft when a row was pressed
  const wrap = useFittingColumns<HTMLDivElement>([items, selectedId !== null], COLUMNS.find((c) => c.key === (filter.sort ?? 'id'))?.col)
  return (
    <div className="table-wrap" ref={wrap}>
      <table className="jobs">
        <thead>
          <tr>
            <th className="check">
              <input
                type="checkbox"
                aria-label="check all jobs on this page"
                checked={allChecked}
                ref={(el) => {
                  if (el) el.indeterminate = someChecked && !allChecked
                }}
                onChange={(e) => checkPage(e.target.checked)}
              />
            </th>
            {COLUMNS.map((c) => {
              const className = c.col ? `col-${c.col}` : undefined
              return c.key ? <SortHeader key={c.label} column={c.key} label={c.label} className={className} /> : <th key={c.label} className={className}>{c.label}</th>
            })}
          </tr>
        </thead>
        <tbody>
          {items.map((job) => (
            <tr
              key={job.id}
              data-job-id={job.id}
              tabIndex={job.id === tabRow ? 0 : -1}
              aria-selected={job.id === selectedId}
              className={[job.id === selectedId ? 'selected' : '', checked.has(job.id) ? 'checked' : ''].join(' ').trim()}
              // the click's focus must not scroll the table sideways: it stays where the user clicked
              onMouseDown={(e) => (clickedAt.current = e.currentTarget.closest('.table-wrap')?.scrollLeft ?? null)}
              onClick={(e) => {
                const wrapEl = e.currentTarget.closest('.table-wrap')
                if (wrapEl && clickedAt.current != null) wrapEl.scrollLeft = clickedAt.current
                clickedAt.current = null
                void select(job.id)
              }}
              onKeyDown={(e) => onRowKey(e, job.id, (id) => void select(id), toggleChecked)}
            >
              <td className="check" onClick={(e: ReactMouseEvent) => e.stopPropagation()}>
                <input
                  type="checkbox"
                  aria-label={`check job ${job.id}`}
                  checked={checked.has(job.id)}
                  // the store's `checked` is the one truth; a shift-click (the click event React's change
                  // comes from) checks the range from the last one clicked. No preventDefault: the browser
                  // would then put the box back after React drew it, and the box would say otherwise.
                  onChange={(e) => toggleChecked(job.id, (e.nativeEvent as MouseEvent).shiftKey === true)}
                  onKeyDown={(e) => e.stopPropagation()}
                />
              </td>
              <td className="num">{job.id}</td>
              <td className="name" title={visibleText(job.name)}>
                <JobName job={job} listedUnder={typeof filter.parent === 'number' ? filter.parent : null} onSubflows={(id) => setFilter({ parent: id })} />
              </td>
              <td className="col-type">{KIND_LABELS[job.kind]}</td>
              <td>
                <StatusBadge status={job.status} title={waitingOf(job)} />
                <JobWarning job={job} />
              </td>
              <td className="col-progress">
                <ProgressBar value={job.progress} status={job.status} known={reportsProgress(job)} waiting={waitingOf(job)} items={job.foreachItems} oneTaskRan={oneTaskRan(job)} />
              </td>
              <td className="col-submitted">{formatTime(job.createdAt)}</td>
              <td className="duration">{formatDuration(job.startedAt, job.finishedAt, now)}</td>
            </tr>
          ))}
          <ListStatus
            load={list}
            rows={items.length}
            what="jobs"
            cols={COLUMNS.length + 1}
            testId="jobs-empty"
            retry={() => void refresh()}
            empty={
              isFiltered(filter) ? (
                <>
                  No job matches these filters.{' '}
                  <button className="link" onClick={onClearFilters}>
                    Clear filters
                  </button>
                </>
              ) : (
                <NoJobsYet />
              )
            }
          />
        </tbody>
      </table>
      <div className="pager">
        {stale && (
          <button className="link" onClick={() => void refresh()} title="Jobs were added or left this filter since this page was listed">
            List changed · Refresh
          </button>
        )}
        <label className="page-size">
          Rows
          <select aria-label="rows per page" value={limit} onChange={(e) => setFilter({ limit: Number(e.target.value) })}>
            {PAGE_SIZES.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
        {/* nothing to count before the first answer (the table says it is loading): not "0–0 of 0" */}
        <span data-testid="jobs-range">{list.answered && `${total === 0 ? 0 : formatCount(offset + 1)}–${formatCount(Math.min(offset + items.length, total))} of ${formatCount(total)}`}</span>
        <button disabled={offset === 0} onClick={() => setFilter({ offset: Math.max(0, offset - limit) })}>
          {back}
        </button>
        <button disabled={offset + limit >= total} onClick={() => setFilter({ offset: offset + limit })}>
          {forward}
        </button>
      </div>
    </div>
  )
}
