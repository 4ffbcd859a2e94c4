import { create } from 'zustand'
import type { JobListQuery } from '../../../shared/api'
import type { AppEvent } from '../../../shared/events'
import { DETAIL_TASKS, type JobDetail, type JobSummary, type TaskView } from '../../../shared/model'
import { isTerminalJob, type TaskStatus } from '../../../shared/status'
import { send } from '../api/client'
import { ApiError } from '../api/transport'
import { errorText } from '../features/shell/form-errors'
import { coalesce } from '../features/workflows/coalesce'
import { useJobLog } from './job-log'
import { ANSWERED, listFailed, NOT_ANSWERED, type ListLoad } from './list-load'
import { createReplyGuard } from './list-replies'
import { whenSignedOut } from './user-scope'

export const PAGE_SIZE = 50
/** The page sizes offered (n8n offers 10 to 100; the server allows up to 500). */
export const PAGE_SIZES = [20, 50, 100, 200] as const

/** What a bulk action does to each checked job, through the same routes as the single actions. */
export type BulkAction = 'cancel' | 'rerun' | 'delete'

/** The outcome of a bulk action: how many jobs it did, and why each of the others was refused. */
export interface BulkOutcome {
  action: BulkAction
  done: number
  failed: { id: number; message: string }[]
}
/** How long changes that move rows in or out of the page are gathered before it is fetched again. */
const REFRESH_MS = 300
/** How often a running job's shown detail is fetched again while its log grows or it makes tasks, so its "Log" count and task counts keep up. */
const LOG_COUNT_MS = 2000
/**
 * How often a shown queued job's detail, or a running one's that says it waits, is read again for its
 * waitingReason (others' jobs, whose events a user may not get, change it; a wait for memory ends with no event of its own).
 */
const WAITING_REFRESH_MS = 5000

/**
 * Which of the shown job's tasks its task list shows: `status` (null: every state) from `offset`, by
 * pages of TASKS_PAGE. The first page of every state is the detail's own list (`page` null); any other
 * is fetched (jobs.tasks) into `page`, whose `total` counts the tasks of that state.
 */
export interface TaskListView {
  status: TaskStatus | null
  offset: number
  /** The page last fetched, with the `offset` and `status` it was fetched for (they may differ from those asked while another is fetched). */
  page: { items: TaskView[]; total: number; offset: number; status: TaskStatus | null } | null
  /** A page is being fetched (the one shown stays until it comes). */
  loading: boolean
  /** Why the last fetch failed, as a sentence; cleared by the next answer. */
  error: string | null
}

/** Tasks in a page of a job's task list: as many as the detail lists, the most jobs.tasks gives. */
export const TASKS_PAGE = DETAIL_TASKS

const ALL_TASKS: TaskListView = { status: null, offset: 0, page: null, loading: false, error: null }

/** Whether `v` is the detail's own list (every state, from the first task), which needs no fetch. */
export const isDetailList = (v: Pick<TaskListView, 'status' | 'offset'>): boolean => v.status === null && v.offset === 0

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
  /** Whether the list (of the current filter) has answered; its first reading's failure. */
  list: ListLoad
  error: string | null
  selectedId: number | null
  detail: JobDetail | null
  /**
   * Why the selected job's detail is not shown (a link to a job that does not exist or is another
   * user's, say); kept apart from `error`, the list's, which the list's next answer clears.
   */
  detailError: string | null
  /** The page and state filter of the shown job's task list; reset to its first page when another job is shown. */
  tasks: TaskListView
  /**
   * Shows another page of the shown job's tasks or another state (null: all), from `offset` (0 unless
   * given, a multiple of TASKS_PAGE), fetching it unless it is the detail's own list. A failure is
   * kept in `tasks.error`; never rejects.
   */
  showTasks(view: { status?: TaskStatus | null; offset?: number }): Promise<void>
  /** Jobs checked for a bulk action (kept only while they are on the listed page). */
  checked: ReadonlySet<number>
  /** The row a shift-click range starts from (the last one clicked without shift). */
  anchor: number | null
  /** Checks or unchecks a row; with `range`, every row from the anchor to it takes that row's new state. */
  toggleChecked(id: number, range?: boolean): void
  /** Checks every row of the page, or none. */
  checkPage(on: boolean): void
  bulk: BulkOutcome | null
  busy: BulkAction | null
  /** Runs `action` on every checked job (or on `ids`), one request per job; then lists the page again. */
  runBulk(action: BulkAction, ids?: number[]): Promise<BulkOutcome>
  dismissBulk(): void
  setFilter(patch: Partial<JobListQuery>): void
  refresh(): Promise<void>
  select(id: number | null): Promise<void>
  /** Fetches the list and the shown job again (after a reconnect: events were missed). */
  resync(): Promise<void>
  cancel(id: number): Promise<void>
  rerun(id: number): Promise<void>
  /** A graph workflow job runs again in place from its failed or cancelled components (graphWorkflows.rerun). */
  rerunFromFailed(id: number): Promise<void>
  /** Redoes a Rill Flow execution that ended without success (workflows.redo, as the Workflows page's bar): the same job runs again from what did not succeed. */
  redoExecution(id: number): Promise<void>
  apply(event: AppEvent): void
}

/** A failure as the page says it: the server's message as a sentence (formError). */
const message = (e: unknown): string => errorText(e)

/** Whether a job belongs in the list by the filters that can change over its life (status, kind), its submit time or its parent. */
const fits = (job: JobSummary, f: JobListQuery): boolean =>
  (!f.status || job.status === f.status) && (!f.type || job.kind === f.type) && (f.to == null || job.createdAt < f.to) && (f.from == null || job.createdAt >= f.from) && fitsParent(job, f)

/**
 * Whether a job is in the list by its parent (JobListQuery.parent: every job, top-level ones, one job's
 * sub-flows). Among top-level jobs the server lists a sub-flow searched for by its id or uuid too.
 */
const fitsParent = (job: Pick<JobSummary, 'id' | 'uuid' | 'parentJobId'>, f: JobListQuery): boolean => {
  if (typeof f.parent === 'number') return job.parentJobId === f.parent
  if (f.parent !== 'none' || job.parentJobId == null) return true
  const exact = f.text?.trim().replace(/^#(?=\d+$)/, '')
  return !!exact && (exact === String(job.id) || exact === job.uuid)
}

/**
 * The list's default view: top-level jobs only, a Rill Flow execution's sub-flows counted on its row
 * ("3 sub-flows", which lists them): fifty sub-flows of one flow buried the user's own jobs.
 */
export const TOP_LEVEL: JobListQuery['parent'] = 'none'

/** The list is in its default order (newest first), where a job newer than the page's rows goes on top. */
const newestFirst = (f: JobListQuery): boolean => (f.sort ?? 'id') === 'id' && (f.order ?? 'desc') === 'desc'

const BULK_SEND = {
  cancel: (id: number) => send('jobs.cancel', { id }),
  rerun: (id: number) => send('jobs.rerun', { id }),
  delete: (id: number) => send('jobs.delete', { id }),
} satisfies Record<BulkAction, (id: number) => Promise<unknown>>

/**
 * The Jobs page's list and detail. Like n8n's and Airflow's run lists, the page shows what the
 * server listed: a pushed change updates its row in place; a change that may move rows in or
 * out of the page (a new job, one leaving the status filter) fetches the first page again, or
 * marks a later page stale, instead of guessing where rows and totals go.
 */
export const useJobs = create<JobsState>((set, get) => {
  /** List replies race pushed rows: an older reply never replaces a newer one or a row pushed since. */
  const replies = createReplyGuard<JobSummary>()
  /** The selected job as pushed while its detail request was out (events and replies race). */
  let detailPushed: JobSummary | null = null

  // Scheduled only for the first page (membershipChanged). If the user has moved to another page
  // meanwhile, that move listed it afresh and later changes mark it stale: re-listing it here would
  // move the rows under the user (CI saw page 2 gain a row).
  const refresher = coalesce(async () => {
    if (!get().filter.offset) await get().refresh()
  }, REFRESH_MS)

  /** The list may have changed beyond the rows shown. */
  const membershipChanged = (): void => {
    if (get().filter.offset || !get().shown) set({ stale: true })
    else refresher.schedule()
  }

  /**
   * A pushed summary has no list-only fields (waitingReason, foreachItems, subflowCount): a row keeps
   * those the list read while they still apply (still queued; still running at 0, where its items are
   * shown; its sub-flow count always).
   */
  const withListFields = (pushed: JobSummary, listed: JobSummary): JobSummary => {
    let row = pushed.subflowCount === undefined && listed.subflowCount !== undefined ? { ...pushed, subflowCount: listed.subflowCount } : pushed
    if (pushed.status === 'queued' && listed.waitingReason) row = { ...row, waitingReason: listed.waitingReason }
    if (pushed.status === 'running' && pushed.progress === 0 && listed.foreachItems) row = { ...row, foreachItems: listed.foreachItems }
    return row
  }

  const applyJob = (job: JobSummary): void => {
    replies.pushed(job)
    const s = get()
    const at = s.items.findIndex((j) => j.id === job.id)
    if (at >= 0) {
      if (fits(job, s.filter)) set({ items: s.items.map((j) => (j.id !== job.id ? j : withListFields(job, j))) })
      else {
        set({ items: s.items.filter((j) => j.id !== job.id) })
        membershipChanged()
      }
    } else if (fits(job, s.filter)) {
      // New, or newly in the status filter: only the server knows where it goes and the new total.
      // An older job that changed otherwise (cancelled from elsewhere) moves nothing.
      const oldest = s.items.length ? s.items[s.items.length - 1].id : 0
      if (!newestFirst(s.filter) || job.id > oldest || s.filter.status || s.items.length < (s.filter.limit ?? PAGE_SIZE)) membershipChanged()
    } else if (job.status === 'queued' && job.parentJobId != null && s.items.some((j) => j.id === job.parentJobId)) {
      // a new sub-flow of a row shown, listed apart: its parent's count grows (the server counts)
      membershipChanged()
    }
    if (s.selectedId === job.id) detailPushed = job
    if (s.detail?.id === job.id) {
      // The end is shown with its final tasks, "Log" count and last log lines, all in one render
      // (endDetail): shown from the event first, the count and the log panel disagreed for a while.
      if (isTerminalJob(job.status) && !isTerminalJob(s.detail.status)) void endDetail(job)
      else set({ detail: { ...s.detail, ...job } })
    }
  }

  /**
   * Fetches the selected job's detail (`withLogEnd`: and the last lines of its log panel, shown in the
   * same render: useJobLog.readEnd). A job that ended while the request was out (its event came before
   * the reply, or while no detail was shown) is fetched again: the reply may predate the end. An end
   * this fetch is the first to see is fetched again with the log's end (endDetail).
   */
  const fetchDetail = async (id: number, withLogEnd = false): Promise<void> => {
    detailPushed = null
    const [got, logEnd] = await Promise.allSettled([send('jobs.get', { id }), withLogEnd ? useJobLog.getState().readEnd(id) : null])
    const showLogEnd = logEnd.status === 'fulfilled' ? logEnd.value : null // readEnd never rejects
    if (got.status === 'rejected') {
      showLogEnd?.()
      throw got.reason
    }
    const detail = got.value
    const pushed = detailPushed as JobSummary | null
    const shown = get().detail
    if (get().selectedId !== id) return
    if (!withLogEnd && shown?.id === id && !isTerminalJob(shown.status) && isTerminalJob(detail.status)) return void endDetail(detail)
    // one tick: zustand's two sets make one render
    set({ detail, error: null })
    followWaiting()
    showLogEnd?.()
    // a page of tasks past the detail's own follows the job as the detail does (its counts, its end)
    if (shown?.id === id && !isDetailList(get().tasks)) void fetchTasks()
    if (pushed?.id === id && isTerminalJob(pushed.status) && !isTerminalJob(detail.status)) void endDetail(pushed)
  }

  /**
   * Shows the selected job's end: its final detail and the last lines of its log panel together.
   * If the detail cannot be fetched, the end as the event said (`job`).
   */
  const endDetail = async (job: JobSummary): Promise<void> => {
    try {
      await fetchDetail(job.id, true)
    } catch {
      const detail = get().detail
      if (detail?.id === job.id) set({ detail: { ...detail, ...job } })
    }
  }

  /** Fetches the shown detail again after events that left out large task values, a few at a time. */
  const detailRefresher = coalesce(async () => {
    const id = get().detail?.id
    if (id !== undefined) await reloadDetail(id)
  }, REFRESH_MS)

  /**
   * The shown detail again while its job logs or makes tasks: its log count, its tasks' counts by state
   * and the tasks it did not list yet come only with the detail (a long log's middle is cut on the
   * server, so counting pushed lines would drift; only the first DETAIL_TASKS tasks are listed, so
   * pushed task changes cannot be counted here), at most once per LOG_COUNT_MS.
   */
  const countsRefresher = coalesce(async () => {
    const detail = get().detail
    if (detail && !isTerminalJob(detail.status)) await reloadDetail(detail.id)
  }, LOG_COUNT_MS)

  /** Answers of task pages race each other and the user's clicks: only the newest request's answer is shown. */
  let tasksAsked = 0

  /** Fetches the task page `get().tasks` names for the shown job (nothing for the detail's own list). */
  const fetchTasks = async (): Promise<void> => {
    const { detail, tasks } = get()
    if (!detail || isDetailList(tasks)) return
    const mine = ++tasksAsked
    set({ tasks: { ...tasks, loading: true } })
    try {
      const page = await send('jobs.tasks', { id: detail.id, offset: tasks.offset, limit: TASKS_PAGE, ...(tasks.status ? { status: tasks.status } : {}) })
      if (mine !== tasksAsked || get().detail?.id !== detail.id) return
      // the tasks of a state may have gone below this page meanwhile (a running job's): its last page instead
      if (page.items.length === 0 && tasks.offset > 0 && page.total > 0) {
        set({ tasks: { ...get().tasks, offset: Math.floor((page.total - 1) / TASKS_PAGE) * TASKS_PAGE } })
        return fetchTasks()
      }
      set({ tasks: { ...get().tasks, page: { ...page, offset: tasks.offset, status: tasks.status }, loading: false, error: null } })
    } catch (e) {
      if (mine === tasksAsked) set({ tasks: { ...get().tasks, loading: false, error: `The tasks could not be listed: ${message(e)}` } })
    }
  }

  /** Whether the shown detail `d` is re-read for its waitingReason: queued, or running and saying it waits. */
  const waitsShown = (d: JobDetail | null): d is JobDetail => d != null && (d.status === 'queued' || (d.status === 'running' && d.waitingReason != null))
  /** While the shown job waits (waitsShown), its detail (and waitingReason) is read again WAITING_REFRESH_MS after the last reading. */
  let waitingTimer: ReturnType<typeof setTimeout> | undefined
  const followWaiting = (): void => {
    clearTimeout(waitingTimer)
    const shown = get().detail
    if (!waitsShown(shown)) return
    const id = shown.id
    waitingTimer = setTimeout(() => {
      const d = get().detail
      if (d?.id === id && waitsShown(d)) void reloadDetail(id)
    }, WAITING_REFRESH_MS)
  }

  const reloadDetail = async (id: number): Promise<void> => {
    try {
      await fetchDetail(id)
    } catch {
      // the next event or a reselect tries again
    }
  }

  return {
    filter: { limit: PAGE_SIZE, offset: 0, parent: TOP_LEVEL },
    items: [],
    total: 0,
    stale: false,
    shown: false,
    setShown: (shown) => set({ shown }),
    list: NOT_ANSWERED,
    error: null,
    selectedId: null,
    detailError: null,
    detail: null,
    tasks: ALL_TASKS,
    checked: new Set(),
    anchor: null,
    bulk: null,
    busy: null,

    toggleChecked(id, range = false) {
      const { items, checked, anchor } = get()
      const next = new Set(checked)
      const on = !checked.has(id)
      const from = range && anchor != null ? items.findIndex((j) => j.id === anchor) : -1
      const to = items.findIndex((j) => j.id === id)
      if (from >= 0 && to >= 0) {
        for (let i = Math.min(from, to); i <= Math.max(from, to); i++) {
          if (on) next.add(items[i].id)
          else next.delete(items[i].id)
        }
      } else if (on) next.add(id)
      else next.delete(id)
      set({ checked: next, anchor: range && anchor != null ? anchor : id })
    },

    checkPage(on) {
      set({ checked: on ? new Set(get().items.map((j) => j.id)) : new Set(), anchor: null })
    },

    async runBulk(action, ids) {
      const targets = ids ?? [...get().checked]
      set({ busy: action, bulk: null })
      const failed: BulkOutcome['failed'] = []
      // one at a time: each is checked on its own (owner or admin), and a refusal says which job and why
      for (const id of targets) {
        try {
          await BULK_SEND[action](id)
        } catch (e) {
          failed.push({ id, message: message(e) })
        }
      }
      const outcome: BulkOutcome = { action, done: targets.length - failed.length, failed }
      const { selectedId } = get()
      set({ busy: null, bulk: outcome, checked: new Set(failed.map((f) => f.id)), anchor: null })
      if (action === 'delete' && selectedId != null && targets.includes(selectedId) && !failed.some((f) => f.id === selectedId)) await get().select(null)
      await get().refresh()
      return outcome
    },

    dismissBulk: () => set({ bulk: null }),

    setFilter(patch) {
      // Other jobs: the rows shown stay until they come (a failure then goes to the page's error
      // line); with none shown, the list awaits its answer, not "No job matches".
      set({ filter: { ...get().filter, offset: 0, ...patch }, ...(get().items.length ? {} : { list: NOT_ANSWERED }) })
      void get().refresh()
    },

    async refresh() {
      const mine = replies.start()
      const filter = get().filter
      try {
        const page = await send('jobs.list', filter)
        if (!mine.current()) return
        const items = mine.merge(page.items).filter((j) => fits(j, filter))
        const left = page.items.length - items.length
        const checked = new Set([...get().checked].filter((id) => items.some((j) => j.id === id)))
        set({ items, total: page.total, stale: false, list: ANSWERED, error: null, checked })
        if (left > 0) membershipChanged()
      } catch (e) {
        if (mine.current()) set(listFailed(get().list, message(e)))
      }
    },

    async showTasks({ status = null, offset = 0 }) {
      tasksAsked++ // an answer still out is for the page left
      set({ tasks: { ...get().tasks, status, offset, loading: false, error: null, ...(isDetailList({ status, offset }) ? { page: null } : {}) } })
      await fetchTasks()
    },

    async select(id) {
      tasksAsked++
      set({ selectedId: id, detail: null, detailError: null, tasks: ALL_TASKS })
      void useJobLog.getState().open(id)
      if (id == null) return
      try {
        await fetchDetail(id)
      } catch (e) {
        if (get().selectedId !== id) return
        // the server answers 404 for another user's job too (it does not say whose a job is)
        const gone = e instanceof ApiError && (e.body.kind === 'not_found' || e.body.kind === 'forbidden')
        set({ detailError: gone ? `Job #${id} was not found, or is not yours.` : `Job #${id} could not be shown: ${message(e)}` })
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

    async rerunFromFailed(id) {
      try {
        await send('graphWorkflows.rerun', { id, from: 'failed' })
        await get().select(id)
      } catch (e) {
        set({ error: message(e) })
      }
    },

    async redoExecution(id) {
      try {
        await send('workflows.redo', { id })
        await get().select(id)
      } catch (e) {
        set({ error: message(e) })
      }
    },

    /** The one place pushed events change the Jobs page's state. */
    apply(event) {
      if (event.type === 'job.changed') applyJob(event.data.job)
      else if (event.type === 'task.changed') {
        const { jobId, task, omitted } = event.data
        const detail = get().detail
        if (detail?.id !== jobId) return
        // a large input or output is not in the event: the shown one stays until the detail, which has it whole, is fetched again
        const keep = (t: TaskView): TaskView => (omitted ? { ...task, ...(omitted.input !== undefined ? { input: t.input } : {}), ...(omitted.output !== undefined ? { output: t.output } : {}) } : task)
        const { page } = get().tasks
        set({
          detail: { ...detail, tasks: detail.tasks.map((t) => (t.id === task.id ? keep(t) : t)) },
          // on the page shown, in place; a task that leaves or joins the state shown comes with the page's next fetch (countsRefresher)
          ...(page?.items.some((t) => t.id === task.id) ? { tasks: { ...get().tasks, page: { ...page, items: page.items.map((t) => (t.id === task.id ? keep(t) : t)) } } } : {}),
        })
        if (omitted) detailRefresher.schedule()
        // a task the detail does not list (a foreach's new item), or a change to counts of tasks it does not all list
        if (detail.tasks.length < detail.taskCount || !detail.tasks.some((t) => t.id === task.id)) countsRefresher.schedule()
      } else {
        if (event.type === 'log.appended' && get().detail?.id === event.data.jobId) countsRefresher.schedule()
        useJobLog.getState().apply(event)
      }
    },
  }
})

// what was shown to the user who signed out is not shown to the next
whenSignedOut(() => useJobs.setState(useJobs.getInitialState(), true))
