import { create } from 'zustand'
import type { JobListQuery } from '../../../shared/api'
import type { AppEvent } from '../../../shared/events'
import type { JobDetail, JobSummary, LogLine } from '../../../shared/model'
import { send } from '../api/client'

export const PAGE_SIZE = 50
/** The detail panel follows the newest lines; older ones stay available through the API. */
const MAX_LOG_LINES = 5000

interface JobsState {
  filter: JobListQuery
  items: JobSummary[]
  total: number
  loading: boolean
  error: string | null
  selectedId: number | null
  detail: JobDetail | null
  logs: LogLine[]
  setFilter(patch: Partial<JobListQuery>): void
  refresh(): Promise<void>
  select(id: number | null): Promise<void>
  cancel(id: number): Promise<void>
  rerun(id: number): Promise<void>
  apply(event: AppEvent): void
}

const matches = (job: JobSummary, f: JobListQuery): boolean =>
  (!f.status || job.status === f.status) &&
  (!f.type || job.kind === f.type) &&
  (!f.text || job.name.includes(f.text) || job.uuid.includes(f.text) || String(job.id) === f.text)

export const useJobs = create<JobsState>((set, get) => ({
  filter: { limit: PAGE_SIZE, offset: 0 },
  items: [],
  total: 0,
  loading: false,
  error: null,
  selectedId: null,
  detail: null,
  logs: [],

  setFilter(patch) {
    set({ filter: { ...get().filter, offset: 0, ...patch } })
    void get().refresh()
  },

  async refresh() {
    set({ loading: true })
    try {
      const page = await send('jobs.list', get().filter)
      set({ items: page.items, total: page.total, error: null })
    } catch (e) {
      set({ error: (e as Error).message })
    } finally {
      set({ loading: false })
    }
  },

  async select(id) {
    set({ selectedId: id, detail: null, logs: [] })
    if (id == null) return
    try {
      const [detail, logs] = await Promise.all([send('jobs.get', { id }), send('jobs.logs', { id, from: 0, size: 5000 })])
      if (get().selectedId !== id) return
      // Lines pushed while we were loading are kept; the page fills in what came before.
      const seen = new Set(logs.lines.map((l) => l.seq))
      const merged = [...logs.lines, ...get().logs.filter((l) => !seen.has(l.seq))].sort((a, b) => a.seq - b.seq)
      set({ detail, logs: merged })
    } catch (e) {
      set({ error: (e as Error).message })
    }
  },

  async cancel(id) {
    try {
      await send('jobs.cancel', { id })
    } catch (e) {
      set({ error: (e as Error).message })
    }
  },

  async rerun(id) {
    try {
      const ref = await send('jobs.rerun', { id })
      await get().refresh()
      await get().select(ref.id)
    } catch (e) {
      set({ error: (e as Error).message })
    }
  },

  /** The one place pushed events change renderer state. */
  apply(event) {
    const s = get()
    if (event.type === 'job.changed') {
      const job = event.data.job
      const at = s.items.findIndex((j) => j.id === job.id)
      if (at >= 0) set({ items: s.items.map((j) => (j.id === job.id ? job : j)) })
      else if (!s.filter.offset && matches(job, s.filter)) {
        set({ items: [job, ...s.items].slice(0, s.filter.limit ?? PAGE_SIZE), total: s.total + 1 })
      }
      if (s.detail?.id === job.id) set({ detail: { ...s.detail, ...job } })
    } else if (event.type === 'task.changed') {
      const { jobId, task } = event.data
      if (s.detail?.id === jobId) set({ detail: { ...s.detail, tasks: s.detail.tasks.map((t) => (t.id === task.id ? task : t)) } })
    } else if (event.type === 'log.appended') {
      if (s.selectedId !== event.data.jobId) return
      const last = s.logs.length ? s.logs[s.logs.length - 1].seq : -1
      const fresh = event.data.lines.filter((l) => l.seq > last)
      if (fresh.length) set({ logs: [...s.logs, ...fresh].slice(-MAX_LOG_LINES) })
    }
  },
}))
