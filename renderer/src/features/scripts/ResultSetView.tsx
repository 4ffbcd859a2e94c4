import { useEffect, useRef, useState } from 'react'
import type { ResultPage, ResultSetInfo } from '../../../../shared/api'
import { EXPORT_ROW_LIMIT, RESULT_PAGE_SIZE, type ResultSource } from '../../stores/result-view'
import { useScripts } from '../../stores/scripts'
import { XLSX_TYPE, downloadBase64, downloadText } from './download'
import { SafeText, visibleText } from '../shell/SafeText'
import { describeView, nextSort, resultName, type RowSort } from './result-rows'
import { formatCount, formatSize } from '../../../../shared/number-format'
import { MAX_RESULT_BYTES_PER_JOB } from '../../../../shared/result-limits'
import { MAX_KEPT_BYTES_PER_USER } from '../../../../shared/quotas'

/** One cell as text; NULL is shown apart from the string 'NULL' (see .sc-null). */
function Cell({ value }: { value: unknown }) {
  if (value === null || value === undefined) return <span className="sc-null">NULL</span>
  if (typeof value === 'object')
    return (
      <span className="sc-json">
        <SafeText text={JSON.stringify(value)} multiline />
      </span>
    )
  return typeof value === 'string' ? <SafeText text={value} multiline /> : <>{String(value)}</>
}

/** Columns whose values on this page are all numbers (or NULL) are right-aligned, header too. */
const numericColumns = (page: ResultPage): boolean[] =>
  page.columns.map((_, c) => page.rows.some((r) => typeof r[c] === 'number') && page.rows.every((r) => r[c] == null || typeof r[c] === 'number'))

/** How long typing in the filter pauses before the server filters: a search per word, not per key. */
const FILTER_PAUSE_MS = 300

/** The page as the server sorted and filtered it; `#` is a row's number in the stored result. */
function ResultTable({ page, name, rowCount, sort, onSort }: { page: ResultPage; name: string; rowCount: number; sort: RowSort | null; onSort: (column: number) => void }) {
  const numeric = numericColumns(page)
  const all = `all ${formatCount(rowCount)} row${rowCount === 1 ? '' : 's'}`
  return (
    <table className="sc-table" aria-label={visibleText(name)} data-testid="result-table">
      <thead>
        <tr>
          <th className="sc-rownum">#</th>
          {page.columns.map((c, i) => {
            const dir = sort?.column === i ? sort.dir : null
            return (
              <th key={i} title={c.type || 'no declared type'} className={numeric[i] ? 'sc-number' : undefined} aria-sort={dir === 'asc' ? 'ascending' : dir === 'desc' ? 'descending' : 'none'}>
                <button className="sort sc-sort" onClick={() => onSort(i)} title={dir === 'desc' ? `Back to the order the query gave (${all})` : `Sort ${all} by ${visibleText(c.name)}, ${dir === 'asc' ? 'descending' : 'ascending'}`}>
                  <span className="sc-colname" title={visibleText(c.name)}>
                    <SafeText text={c.name} />
                  </span>
                  {c.type && <span className="sc-coltype">{c.type.toLowerCase()}</span>}
                  <span className="sc-sort-mark" aria-hidden="true">
                    {dir === 'asc' ? ' ▲' : dir === 'desc' ? ' ▼' : ''}
                  </span>
                </button>
              </th>
            )
          })}
        </tr>
      </thead>
      <tbody>
        {page.rows.map((row, i) => {
          const n = page.rowNumbers?.[i] ?? page.offset + i + 1
          return (
            <tr key={n}>
              <td className="sc-rownum">{n}</td>
              {row.map((value, c) => (
                <td key={c} className={numeric[c] ? 'sc-number' : undefined}>
                  <Cell value={value} />
                </td>
              ))}
            </tr>
          )
        })}
      </tbody>
    </table>
  )
}

/** A text result (what a Python or shell script printed): monospace lines with their numbers. */
function TextLines({ page }: { page: ResultPage }) {
  return (
    <pre className="sc-text" aria-label="text result" data-testid="result-text">
      {page.rows.map((row, i) => (
        <div key={page.offset + i} className="sc-text-line">
          <span className="sc-line-no">{page.offset + i + 1}</span>
          <span className="sc-line-text">{row[0] === null ? <span className="sc-null">NULL</span> : <SafeText text={row[0]} multiline />}</span>
        </div>
      ))}
    </pre>
  )
}

function Pager({ page, source }: { page: ResultPage; source: ResultSource }) {
  const loadPage = source((s) => s.loadPage)
  const last = Math.max(0, Math.floor((page.total - 1) / RESULT_PAGE_SIZE) * RESULT_PAGE_SIZE)
  const from = page.total === 0 ? 0 : page.offset + 1
  const to = Math.min(page.offset + page.rows.length, page.total)
  return (
    <div className="sc-pager" aria-label="result pages">
      <button aria-label="first page" disabled={page.offset === 0} onClick={() => void loadPage(0)}>
        «
      </button>
      <button aria-label="previous page" disabled={page.offset === 0} onClick={() => void loadPage(Math.max(0, page.offset - RESULT_PAGE_SIZE))}>
        ‹
      </button>
      <span data-testid="result-range">
        {formatCount(from)}–{formatCount(to)} of {formatCount(page.total)}
      </span>
      {/* a page may hold fewer rows than asked (a page carries at most a few MB): go on after the last shown */}
      <button aria-label="next page" disabled={to >= page.total} onClick={() => void loadPage(page.offset + Math.max(1, page.rows.length))}>
        ›
      </button>
      <button aria-label="last page" disabled={page.offset >= last} onClick={() => void loadPage(last)}>
        »
      </button>
    </div>
  )
}

/** How many rows of the whole result set the filter keeps. */
function FilterCount({ page, rowCount }: { page: ResultPage; rowCount: number }) {
  return (
    <p className="muted sc-empty-result" role="status" data-testid="filter-count">
      {page.total === 0 ? `No row of all ${formatCount(rowCount)} matches.` : `${formatCount(page.total)} of all ${formatCount(rowCount)} rows match.`}
    </p>
  )
}

/** The filter box: what is typed shows at once; the server filters the whole set once typing pauses. */
function FilterInput({ name, rowCount, filter, onFilter }: { name: string; rowCount: number; filter: string; onFilter: (text: string) => void }) {
  const [text, setText] = useState(filter)
  const latest = useRef(onFilter)
  latest.current = onFilter
  useEffect(() => setText(filter), [filter]) // another result set or run starts afresh
  useEffect(() => {
    if (text === filter) return
    const timer = setTimeout(() => latest.current(text), FILTER_PAUSE_MS)
    return () => clearTimeout(timer)
  }, [text, filter])
  return (
    <input
      className="sc-filter"
      type="search"
      aria-label={`filter all rows of ${name}`}
      placeholder={`Filter all ${formatCount(rowCount)} rows`}
      value={text}
      onChange={(e) => setText(e.target.value)}
    />
  )
}

/** Says when a result set is not the whole answer: the job was stopped while writing it, or a row or cell cap cut it. */
function StateBadge({ info }: { info: ResultSetInfo }) {
  const unit = info.kind === 'text' ? 'lines' : 'rows'
  const kept = `${formatCount(info.rowCount)} ${info.rowCount === 1 ? unit.slice(0, -1) : unit}`
  const say = {
    partial: ['partial', `The job was stopped or failed while this result was being written: ${unit} after the first ${formatCount(info.rowCount)} are missing.`],
    // names each limit that may have cut it (the log's WARN says which did): 'the result limits' named none (trial12)
    truncated: [
      'truncated',
      `Cut to the result limits: ${kept} kept. A job keeps at most ${formatSize(MAX_RESULT_BYTES_PER_JOB)} of result rows (all its results together) and a user's jobs ${formatSize(MAX_KEPT_BYTES_PER_USER)} in all, each result up to its row cap, and a cell too long keeps its head and says how much was cut; the job's log says what cut this one.`,
    ],
    writing: ['writing…', 'Still being written.'],
    complete: null,
  }[info.state]
  if (!say) return null
  return (
    <span className={`sc-state sc-state-${info.state}`} title={say[1]} role="note" aria-label={`${say[0]}: ${say[1]}`} data-testid="result-state">
      {say[0]}
    </span>
  )
}

/**
 * The shown result set: row count, Export CSV and Excel, filter, the page of rows (or lines) and the pager.
 * `source` is the store of the job's result sets (the Scripts page's run by default; the Jobs page's
 * open job); `name` names the set in its table and files (default "Result <n>"; a graph workflow's
 * set is named by its component).
 */
export function ResultSetView({ index, source = useScripts, name: givenName }: { index: number; source?: ResultSource; name?: string }) {
  const info = source((s) => s.results.find((r) => r.index === index))
  const position = source((s) => s.results.findIndex((r) => r.index === index) + 1)
  const page = source((s) => (s.page?.index === index ? s.page : null))
  const jobId = source((s) => s.jobId)
  const exportCsv = source((s) => s.exportCsv)
  const exportXlsx = source((s) => s.exportXlsx)
  /** Said for one result set of one job only (the view stays mounted across runs). */
  const [exportNote, setExportNote] = useState<{ jobId: number | null; index: number; text: string } | null>(null)
  /** Sort and filter act on the whole result set (the server's), and start afresh on another result set or run. */
  const query = source((s) => s.resultQuery)
  const setResultQuery = source((s) => s.setResultQuery)
  const querying = source((s) => s.querying)
  const { filter, sort } = query
  if (!info) return null
  const unit = info.kind === 'text' ? 'line' : 'row'
  const name = givenName ?? resultName(position)
  const fileBase = givenName ? `job-${jobId}-${givenName.replace(/[^\w.-]+/g, '_')}` : `job-${jobId}-result-${position}`
  // an export is the whole result set as the query gave it: with a sort or filter on, say so rather than leave the user to find out
  const viewOnly = filter.trim() !== '' || sort !== null
  const matched = page && viewOnly ? page.total : info.rowCount
  const count = (n: number) => `${formatCount(n)} ${unit}${n === 1 ? '' : 's'}`
  /**
   * What an export saved, in one short sentence that fits two lines of the footer at 900×600:
   * "Saved f.csv: the 111 rows shown, filtered by “x”.", "Saved f.csv: all 250 rows, unsorted and
   * unfiltered." (a view was on, the file ignores it), "Saved f.csv." (no view, nothing cut).
   */
  const say = (fileName: string, truncated: boolean, visible: boolean) => {
    const what = visible ? `the ${count(matched)} shown, ${describeView(query, info.columns)}` : viewOnly || truncated ? `all ${count(info.rowCount)}${viewOnly ? ', unsorted and unfiltered' : ''}` : ''
    const text = truncated ? `Saved ${fileName}: only the first ${formatCount(EXPORT_ROW_LIMIT)} of ${what} (the export limit).` : what ? `Saved ${fileName}: ${what}.` : `Saved ${fileName}.`
    setExportNote({ jobId, index, text })
  }
  /** The whole set (`visible` false) or the rows as shown, sorted and filtered (file names end in "-visible"). */
  const save = async (visible = false) => {
    const file = await exportCsv(index, visible)
    if (!file) return
    const fileName = `${fileBase}${visible ? '-visible' : ''}.csv`
    downloadText(fileName, file.csv)
    say(fileName, file.truncated, visible)
  }
  const saveXlsx = async (visible = false) => {
    const file = await exportXlsx(index, visible)
    if (!file) return
    const fileName = `${fileBase}${visible ? '-visible' : ''}.xlsx`
    downloadBase64(fileName, file.base64, XLSX_TYPE)
    say(fileName, file.truncated, visible)
  }
  const onSort = (column: number) => void setResultQuery({ filter, sort: nextSort(sort, column) })
  const onFilter = (text: string) => void setResultQuery({ sort, filter: text })
  const note = exportNote?.index === index && exportNote.jobId === jobId ? exportNote.text : null
  // a short bar (count, exports, filter) above the table and a footer (what was said, the pager) below: at 900×600 a bar holding them all wrapped to five lines and left the table no room
  return (
    <div className="sc-result" data-testid="result-view" data-kind={info.kind}>
      <div className="sc-result-bar">
        <span className="sc-result-count" data-testid="result-count">
          {formatCount(info.rowCount)} {info.rowCount === 1 ? unit : `${unit}s`}
          {info.kind === 'table' && ` · ${info.columns.length} column${info.columns.length === 1 ? '' : 's'}`}
        </span>
        <StateBadge info={info} />
        <span className="sc-export" role="group" aria-label="export all rows">
          {viewOnly ? 'Export all' : 'Export'}
          <button onClick={() => void save()} aria-label="Export CSV" title={`Download ${viewOnly ? `all ${formatCount(info.rowCount)} ${unit}s of ` : ''}${name} as CSV${viewOnly ? ' (unsorted, unfiltered)' : ''}`}>
            CSV
          </button>
          <button onClick={() => void saveXlsx()} aria-label="Export Excel" title={`Download ${viewOnly ? `all ${formatCount(info.rowCount)} ${unit}s of ` : ''}${name} as an Excel workbook${viewOnly ? ' (unsorted, unfiltered)' : ''}`}>
            Excel
          </button>
        </span>
        {viewOnly && (
          <span className="sc-export" role="group" aria-label="export visible rows">
            visible {unit}s
            <button onClick={() => void save(true)} aria-label="Export visible rows as CSV" title={`Download the ${formatCount(matched)} ${unit}s shown, ${describeView(query, info.columns)}, as CSV`}>
              CSV
            </button>
            <button onClick={() => void saveXlsx(true)} aria-label="Export visible rows as Excel" title={`Download the ${formatCount(matched)} ${unit}s shown, ${describeView(query, info.columns)}, as an Excel workbook`}>
              Excel
            </button>
          </span>
        )}
        {info.kind === 'table' && page && (page.total > 0 || filter.trim() !== '') && <FilterInput name={name} rowCount={info.rowCount} filter={filter} onFilter={onFilter} />}
      </div>
      <div className="sc-result-body">
        {!page ? <p className="muted">Loading…</p> : info.kind === 'text' ? <TextLines page={page} /> : <ResultTable page={page} name={name} rowCount={info.rowCount} sort={sort} onSort={onSort} />}
        {page && filter.trim() && info.kind === 'table' && <FilterCount page={page} rowCount={info.rowCount} />}
        {page && page.total === 0 && !filter.trim() && <p className="muted sc-empty-result">No {unit}s.</p>}
      </div>
      {(querying || note || (page && page.total > 0)) && (
        <div className="sc-result-foot">
          {querying && (
            <span className="muted sc-foot-text" role="status" data-testid="result-querying">
              {filter.trim() ? 'Filtering' : 'Sorting'} all {formatCount(info.rowCount)} rows…
            </span>
          )}
          {note && !querying && (
            <span className="sc-export-note">
              <span className="muted sc-foot-text" role="status" data-testid="export-note" title={note}>
                {note}
              </span>
              <button className="link sc-note-close" onClick={() => setExportNote(null)} aria-label="Dismiss the export note" title="Dismiss">
                ×
              </button>
            </span>
          )}
          {page && page.total > 0 && <Pager page={page} source={source} />}
        </div>
      )}
    </div>
  )
}
