import { create } from 'zustand'
import { send } from '../api/client'
import { errorMessage as message } from '../features/shell/form-errors'
import { NO_QUERY } from '../features/scripts/result-rows'
import { resultViewActions, type ResultViewState } from './result-view'
import { whenSignedOut } from './user-scope'

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

  ...resultViewActions(set, get, (s) => s.view),

  prefer: (jobId, task) => set({ preferred: { jobId, task } }),
  clear: () => set({ ...EMPTY }),
}))

whenSignedOut(() => useJobResults.setState({ ...EMPTY, preferred: null }))
