import type { ResultPage, ResultSetInfo } from '../../../shared/api'
import { send } from '../api/client'
import { errorMessage as message } from '../features/shell/form-errors'
import type { ResultQueryView } from '../features/scripts/result-rows'

/** Rows per page of a result set, as ResultSetView pages through it. */
export const RESULT_PAGE_SIZE = 100
/** The CSV and xlsx exports ask for at most this many rows (the server's own cap). */
export const EXPORT_ROW_LIMIT = 100_000

/**
 * What ResultSetView reads and calls: one job's result sets, the shown one's page, its sort and
 * filter (over the whole set, the server's) and its exports. The Scripts page's store has these for
 * its run (useScripts); useJobResults has them for the job open on the Jobs page (a graph
 * workflow's, one result set per component). Both get the calls from resultViewActions.
 */
export interface ResultViewState {
  jobId: number | null
  results: ResultSetInfo[]
  page: ResultPage | null
  resultQuery: ResultQueryView
  querying: boolean
  loadPage(offset: number): Promise<void>
  /** Sorts or filters the shown result set as a whole and shows the first page of that. */
  setResultQuery(query: ResultQueryView): Promise<void>
  /** The result set as CSV, at most EXPORT_ROW_LIMIT rows: all in stored order, or (`visible`) as the table's sort and filter show them. */
  exportCsv(index: number, visible?: boolean): Promise<{ fileName: string; csv: string; truncated: boolean } | null>
  /** The result set as an .xlsx workbook (base64), at most EXPORT_ROW_LIMIT rows; `visible` as for exportCsv. */
  exportXlsx(index: number, visible?: boolean): Promise<{ fileName: string; base64: string; truncated: boolean } | null>
}

/** A hook over a ResultViewState (useScripts and useJobResults both are one). */
export type ResultSource = <T>(selector: (state: ResultViewState) => T) => T

/** The part of a store the result calls read and write; a failed call's message goes to `error`. */
type ResultSlice = Pick<ResultViewState, 'jobId' | 'page' | 'resultQuery' | 'querying'> & { error: string | null }


/**
 * The paging, sort/filter and export calls of a ResultViewState, over a zustand store's `set` and
 * `get`. `shown(state)` is the index of the result set on screen, or null when none is (the
 * Scripts page may show the log instead). A page answer that arrives after another page, result
 * set or query was asked for is dropped, so the last click or keystroke wins.
 */
export function resultViewActions<S extends ResultSlice>(
  set: (patch: Partial<S>) => void,
  get: () => S,
  shown: (state: S) => number | null,
): Pick<ResultViewState, 'loadPage' | 'setResultQuery' | 'exportCsv' | 'exportXlsx'> {
  /** A call about the shown job, its error on `error` and null for an answer. */
  const ask = async <T>(call: (jobId: number) => Promise<T>): Promise<T | null> => {
    const jobId = get().jobId
    if (jobId == null) return null
    try {
      return await call(jobId)
    } catch (e) {
      set({ error: message(e) } as Partial<S>)
      return null
    }
  }
  /** The shown sort and filter as a result page or export request says them. */
  const viewParams = ({ sort, filter }: ResultQueryView) => ({ ...(sort ? { sort: sort.column, order: sort.dir } : {}), ...(filter.trim() ? { filter } : {}) })
  const loadPage = async (offset: number): Promise<void> => {
    const state = get()
    const { jobId, resultQuery } = state
    const index = shown(state)
    if (jobId == null || index == null) return
    try {
      const page = await send('jobs.resultPage', { id: jobId, index, offset, limit: RESULT_PAGE_SIZE, ...viewParams(resultQuery) })
      // a later click or keystroke asked for another page meanwhile: that answer is the one to show
      const now = get()
      if (now.jobId === jobId && shown(now) === index && now.resultQuery === resultQuery) set({ page, querying: false } as Partial<S>)
    } catch (e) {
      if (get().resultQuery === resultQuery) set({ querying: false } as Partial<S>)
      set({ error: message(e) } as Partial<S>)
    }
  }
  return {
    loadPage,
    async setResultQuery(resultQuery) {
      set({ resultQuery, querying: true } as Partial<S>)
      await loadPage(0)
    },
    exportCsv: (index, visible) => ask((id) => send('jobs.exportResult', { id, index, limit: EXPORT_ROW_LIMIT, ...(visible ? viewParams(get().resultQuery) : {}) })),
    exportXlsx: (index, visible) => ask((id) => send('jobs.exportXlsx', { id, index, limit: EXPORT_ROW_LIMIT, ...(visible ? viewParams(get().resultQuery) : {}) })),
  }
}
