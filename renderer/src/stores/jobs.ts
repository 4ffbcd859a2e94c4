import { create } from 'zustand'
import type { JobListQuery } from '../../../shared/api'
import type { AppEvent } from '../../../shared/events'
import type { JobDetail, JobSummary } from '../../../shared/model'
import { isTerminalJob } from '../../../shared/status'
import { send } from '../api/client'
import { coalesce } from '../features/workflows/coalesce'
import { useJobLog } from './job-log'

export const PAGE_SIZE = 50
/** How long changes that move rows in or out of the page are gathered before it is fetched again. */
const REFRESH_MS = 300

interface JobsState {
  filter: JobListQuery
  /** The page, newest first, as the server listed it; pushed events update rows in place. */
  items: JobSummary[]
  /** The server's count of jobs matching the filter: never computed here. */
  total: number
  /** Not on the first page, the list changed (jobs came or left): "Refresh" brings it up to date. */
  stale: boolean
  /** The Jobs page is on screen (else changes wait for it to open, which lists afresh). */
  shown: boolean
  setShown(shown: boolean): void
  loading: boolean
  error: string | null
  selectedId: number | null
  detail: JobDetail | null
  setFilter(patch: Partial<JobListQuery>): void
  refresh(): Promise<void>
  select(id: number | null): Promise<void>
  /** Fetches the list and the shown job again (after a reconnect: events were missed). */
  resync(): Promise<void>
  cancel(id: number): Promise<void>
  rerun(id: number): Promise<void>
  apply(event: AppEvent): void
}

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e))

/** Whether a job belongs in the list by the filters that can change over its life (status, kind). */
const fits = (job: JobSummary, f: JobListQuery): boolean => (!f.status || job.status === f.status) && (!f.type || job.kind === f.type)

/**
 * The Jobs page's list and detail. Like n8n's and Airflow's run lists, the page shows what the
 * server listed: a pushed change updates its row in place; a change that may move rows in or
 * out of the page (a new job, one leaving the status filter) fetches the first page again, or
 * marks a later page stale, instead of guessing where rows and totals go.
 */
export const useJobs = create<JobsState>((set, get) => {
  /** Bumped per list request: an older reply never replaces a newer one. */
  let request = 0
  /** Jobs pushed while a list request was out; the reply is older than these. */
  let pushedDuring = new Map<number, JobSummary>()

  const refresher = coalesce(() => get().refresh(), REFRESH_MS)

  /** The list may have changed beyond the rows shown. */
  const membershipChanged = (): void => {
    if (get().filter.offset || !get().shown) set({ stale: true })
    else refresher.schedule()
  }

  const applyJob = (job: JobSummary): void => {
    pushedDuring.set(job.id, job)
    const s = get()
    const at = s.items.findIndex((j) => j.id === job.id)
    if (at >= 0) {
      if (fits(job, s.filter)) set({ items: s.items.map((j) => (j.id === job.id ? job : j)) })
      else {
        set({ items: s.items.filter((j) => j.id !== job.id) })
        membershipChanged()
      }
    } else if (fits(job, s.filter)) {
      // New, or newly in the status filter: only the server knows where it goes and the new total.
      // An older job that changed otherwise (cancelled from elsewhere) moves nothing.
      const oldest = s.items.length ? s.items[s.items.length - 1].id : 0
      if (job.id > oldest || s.filter.status || s.items.length < (s.filter.limit ?? PAGE_SIZE)) membershipChanged()
    }
    if (s.detail?.id === job.id) {
      set({ detail: { ...s.detail, ...job } })
      // Its final tasks and log counts come with the job's end.
      if (isTerminalJob(job.status) && !isTerminalJob(s.detail.status)) void reloadDetail(job.id)
    }
  }

  const reloadDetail = async (id: number): Promise<void> => {
    try {
      const detail = await send('jobs.get', { id })
      if (get().selectedId === id) set({ detail })
    } catch {
      // the next event or a reselect tries again
    }
  }

  return {
    filter: { limit: PAGE_SIZE, offset: 0 },
    items: [],
    total: 0,
    stale: false,
    shown: false,
    setShown: (shown) => set({ shown }),
    loading: false,
    error: null,
    selectedId: null,
    detail: null,

    setFilter(patch) {
      set({ filter: { ...get().filter, offset: 0, ...patch } })
      void get().refresh()
    },

    async refresh() {
      const mine = ++request
      pushedDuring = new Map()
      const filter = get().filter
      set({ loading: true })
      try {
        const page = await send('jobs.list', filter)
        if (mine !== request) return
        // A row pushed after the request went out is newer than the reply's.
        const items = page.items.map((j) => pushedDuring.get(j.id) ?? j).filter((j) => fits(j, filter))
        const left = page.items.length - items.length
        set({ items, total: page.total, stale: false, error: null })
        if (left > 0) membershipChanged()
      } catch (e) {
        if (mine === request) set({ error: message(e) })
      } finally {
        if (mine === request) set({ loading: false })
      }
    },

    async select(id) {
      set({ selectedId: id, detail: null })
      void useJobLog.getState().open(id)
      if (id == null) return
      try {
        const detail = await send('jobs.get', { id })
        if (get().selectedId === id) set({ detail, error: null })
      } catch (e) {
        set({ error: message(e) })
      }
    },

    async resync() {
      const { selectedId } = get()
      await Promise.all([get().refresh(), selectedId == null ? null : get().select(selectedId)])
    },

    async cancel(id) {
      try {
        await send('jobs.cancel', { id })
      } catch (e) {
        set({ error: message(e) })
      }
    },

    async rerun(id) {
      try {
        const ref = await send('jobs.rerun', { id })
        await get().refresh()
        await get().select(ref.id)
      } catch (e) {
        set({ error: message(e) })
      }
    },

    /** The one place pushed events change the Jobs page's state. */
    apply(event) {
      if (event.type === 'job.changed') applyJob(event.data.job)
      else if (event.type === 'task.changed') {
        const { jobId, task } = event.data
        const detail = get().detail
        if (detail?.id === jobId) set({ detail: { ...detail, tasks: detail.tasks.map((t) => (t.id === task.id ? task : t)) } })
      } else useJobLog.getState().apply(event)
    },
  }
})
