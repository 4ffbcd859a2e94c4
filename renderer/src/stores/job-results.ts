import { create } from 'zustand'
import type { ResultPage, ResultSetInfo } from '../../../shared/api'
import { send } from '../api/client'
import { NO_QUERY, type ResultQueryView } from '../features/scripts/result-rows'
import { EXPORT_ROW_LIMIT, RESULT_PAGE_SIZE } from './scripts'
import { whenSignedOut } from './user-scope'

/**
 * What ResultSetView reads and calls: one job's result sets, the shown one's page, its sort and
 * filter (over the whole set, the server's) and its exports. The Scripts page's store has these for
 * its run; this store has them for the job open on the Jobs page (a graph workflow's, one result
 * set per component).
 */
export interface ResultViewState {
  jobId: number | null
  results: ResultSetInfo[]
  page: ResultPage | null
  resultQuery: ResultQueryView
  querying: boolean
  loadPage(offset: number): Promise<void>
  setResultQuery(query: ResultQueryView): Promise<void>
  exportCsv(index: number): Promise<{ fileName: string; csv: string; truncated: boolean } | null>
  exportXlsx(index: number): Promise<{ fileName: string; base64: string; truncated: boolean } | null>
}

/** A hook over a ResultViewState (useScripts and useJobResults both are one). */
export type ResultSource = <T>(selector: (state: ResultViewState) => T) => T

interface JobResultsState extends ResultViewState {
  /** The shown result set's index, or null while there is none. */
  view: number | null
  error: string | null
  /** The component (task) whose result set to show first when `jobId` opens (the canvas's link says which). */
  preferred: { jobId: number; task: string } | null
  /** Loads the job's result sets and shows the preferred one, else the shown one's namesake, else the first. */
  open(jobId: number): Promise<void>
  showView(index: number): Promise<void>
  /** Asks that `task`'s result set be shown once job `jobId` opens. */
  prefer(jobId: number, task: string): void
  clear(): void
}

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e))

const EMPTY = { jobId: null, results: [], view: null, page: null, resultQuery: NO_QUERY, querying: false, error: null }

/** The result sets of the job open on the Jobs page. */
export const useJobResults = create<JobResultsState>()((set, get) => ({
  ...EMPTY,
  preferred: null,

  async open(jobId) {
    const before = get()
    const shownTask = before.jobId === jobId ? before.results.find((r) => r.index === before.view)?.task : undefined
    if (before.jobId !== jobId) set({ ...EMPTY, jobId })
    try {
      const results = await send('jobs.results', { id: jobId })
      if (get().jobId !== jobId) return
      const preferred = get().preferred?.jobId === jobId ? get().preferred!.task : shownTask
      const first = results.find((r) => r.task === preferred) ?? results[0]
      set({ results, error: null, preferred: get().preferred?.jobId === jobId ? null : get().preferred })
      if (first && (first.index !== get().view || !get().page || first.rowCount !== get().page!.total)) await get().showView(first.index)
    } catch (e) {
      if (get().jobId === jobId) set({ error: message(e) })
    }
  },

  async showView(view) {
    const same = view === get().view
    set({ view, resultQuery: same ? get().resultQuery : NO_QUERY, page: same ? get().page : null, querying: false })
    await get().loadPage(same ? (get().page?.offset ?? 0) : 0)
  },

  async loadPage(offset) {
    const { jobId, view, resultQuery } = get()
    if (jobId == null || view == null) return
    const { sort, filter } = resultQuery
    try {
      const page = await send('jobs.resultPage', {
        id: jobId,
        index: view,
        offset,
        limit: RESULT_PAGE_SIZE,
        ...(sort ? { sort: sort.column, order: sort.dir } : {}),
        ...(filter.trim() ? { filter } : {}),
      })
      // a later click or keystroke asked for another page meanwhile: that answer is the one to show
      if (get().jobId === jobId && get().view === view && get().resultQuery === resultQuery) set({ page, querying: false })
    } catch (e) {
      if (get().resultQuery === resultQuery) set({ querying: false })
      set({ error: message(e) })
    }
  },

  async setResultQuery(resultQuery) {
    set({ resultQuery, querying: true })
    await get().loadPage(0)
  },

  async exportCsv(index) {
    const jobId = get().jobId
    if (jobId == null) return null
    try {
      return await send('jobs.exportResult', { id: jobId, index, limit: EXPORT_ROW_LIMIT })
    } catch (e) {
      set({ error: message(e) })
      return null
    }
  },

  async exportXlsx(index) {
    const jobId = get().jobId
    if (jobId == null) return null
    try {
      return await send('jobs.exportXlsx', { id: jobId, index, limit: EXPORT_ROW_LIMIT })
    } catch (e) {
      set({ error: message(e) })
      return null
    }
  },

  prefer: (jobId, task) => set({ preferred: { jobId, task } }),
  clear: () => set({ ...EMPTY }),
}))

whenSignedOut(() => useJobResults.setState({ ...EMPTY, preferred: null }))
