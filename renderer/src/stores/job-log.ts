import { create } from 'zustand'
import type { AppEvent } from '../../../shared/events'
import type { LogPage } from '../../../shared/api'
import type { LogLine } from '../../../shared/model'
import { send } from '../api/client'
import { errorMessage as message } from '../features/shell/form-errors'
import { coalesce } from '../features/workflows/coalesce'
import { whenSignedOut } from './user-scope'

/** Lines fetched per page (opening at the end, or each "load earlier"). */
export const LOG_PAGE = 1000
/** Lines kept in the view at most; loading earlier past this lets go of the newest ones. */
export const LOG_WINDOW = 10_000
/** How long pushed lines are gathered before the view re-renders. */
const LIVE_FLUSH_MS = 100

interface JobLogState {
  jobId: number | null
  /** A contiguous run of the log (of the lines matching `search`), oldest first. */
  lines: LogLine[]
  /** Stored lines matching `search` (all lines without one); grows as lines are pushed. */
  total: number
  /** Matching lines after the view's last one (the view was scrolled back past LOG_WINDOW). */
  after: number
  search: string
  loading: boolean
  error: string | null
  /** Opens a job's log at its end (null closes it). */
  open(jobId: number | null): Promise<void>
  loadEarlier(): Promise<void>
  /** Back to the newest lines, following new ones. */
  jumpToEnd(): Promise<void>
  /** Shows only lines containing `text` (searched in the whole stored log). */
  setSearch(text: string): void
  download(): Promise<{ fileName: string; text: string } | null>
  /**
   * Reads the stored lines after the view's last one, for a job that has just ended, and resolves
   * with `show`, which puts them in the view (call it in the same tick as the job's final detail, so
   * that one render shows the end, its "Log" count and its last lines). The live stream is no
   * source for them: the server gathers pushed lines for a while (log-fanout.ts) and its end event
   * comes first, and a stream that was not open yet never carries them. Never rejects: on an error
   * `show` does nothing (pushed lines still come).
   */
  readEnd(jobId: number): Promise<() => void>
  apply(event: AppEvent): void
}

const matches = (line: LogLine, search: string): boolean => !search || line.text.toLowerCase().includes(search.toLowerCase())

/** The lines of the view with `fresh` merged in by seq: new seqs appended, known ones updated (a cut's note). */
function merge(have: LogLine[], fresh: LogLine[]): { lines: LogLine[]; added: number } {
  const last = have.length ? have[have.length - 1].seq : -1
  const first = have.length ? have[0].seq : Infinity
  const appended = fresh.filter((l) => l.seq > last)
  const updates = new Map(fresh.filter((l) => l.seq <= last && l.seq >= first).map((l) => [l.seq, l]))
  const lines = updates.size ? have.map((l) => updates.get(l.seq) ?? l) : have
  return { lines: appended.length ? [...lines, ...appended] : lines, added: appended.length }
}

/**
 * The detail panel's log of one job: opens at the end and follows new lines, loads earlier
 * pages on demand, searches the whole stored log, downloads it. Seqs have gaps where a long
 * log was cut, so pages go by seq (`before`), never by counting.
 */
export const useJobLog = create<JobLogState>((set, get) => {
  /** Bumped by every open, search and jump: replies to an older request are dropped. */
  let generation = 0
  let pushed: LogLine[] = []
  /** The page request on its way (loadTail, loadEarlier): readEnd reads after its answer is shown. */
  let inFlight: Promise<void> = Promise.resolve()
  const flusher = coalesce(async () => {
    const s = get()
    if (s.loading) return // a page is on its way: it takes these lines in
    const fresh = pushed
    pushed = []
    if (!fresh.length) return
    const visible = fresh.filter((l) => matches(l, s.search))
    if (s.after > 0) {
      // The view is back in the past: count what arrived, show it once the user jumps to the end.
      const last = s.lines.length ? s.lines[s.lines.length - 1].seq : -1
      const newer = visible.filter((l) => l.seq > last).length
      return set({ after: s.after + newer, total: s.total + newer })
    }
    const { lines, added } = merge(s.lines, visible)
    const over = lines.length - LOG_WINDOW
    set({ lines: over > 0 ? lines.slice(over) : lines, total: s.total + added })
  }, LIVE_FLUSH_MS)

  /** Runs a page request, known to readEnd until its answer is shown. */
  const track = (request: Promise<void>): Promise<void> => (inFlight = request)

  const loadTail = (jobId: number, search: string): Promise<void> => track(readTail(jobId, search))
  const readTail = async (jobId: number, search: string): Promise<void> => {
    const mine = ++generation
    set({ loading: true, error: null })
    try {
      const page = await send('jobs.logs', { id: jobId, tail: true, size: LOG_PAGE, text: search || undefined })
      if (mine !== generation) return
      // Lines pushed while the page was on its way are kept.
      const early = pushed.filter((l) => matches(l, search))
      pushed = []
      const { lines } = merge(page.lines, early)
      set({ lines, total: Math.max(page.total, lines.length), after: 0, loading: false })
    } catch (e) {
      if (mine === generation) set({ error: message(e), loading: false })
    }
  }

  const readEarlier = async (jobId: number, before: number, search: string): Promise<void> => {
    const mine = generation
    set({ loading: true })
    try {
      const page = await send('jobs.logs', { id: jobId, before, size: LOG_PAGE, text: search || undefined })
      if (mine !== generation) return
      const now = get()
      const lines = [...page.lines, ...now.lines]
      const over = lines.length - LOG_WINDOW
      set({ lines: over > 0 ? lines.slice(0, LOG_WINDOW) : lines, after: now.after + Math.max(0, over), loading: false })
      flusher.schedule() // lines pushed meanwhile
    } catch (e) {
      if (mine === generation) set({ error: message(e), loading: false })
    }
  }

  // The server left lines out of a flood's live stream (event `dropped`) or cut its newest line
  // (`cut`): a view that follows the end reloads it, at most once a second, so what it shows has
  // no holes.
  const catchUp = coalesce(async () => {
    const s = get()
    if (s.jobId !== null && s.after === 0 && !s.loading) await loadTail(s.jobId, s.search)
  }, 1000)

  return {
    jobId: null,
    lines: [],
    total: 0,
    after: 0,
    search: '',
    loading: false,
    error: null,

    async open(jobId) {
      pushed = []
      set({ jobId, lines: [], total: 0, after: 0, search: '', error: null })
      if (jobId === null) {
        generation++
        return
      }
      await loadTail(jobId, '')
    },

    loadEarlier() {
      const s = get()
      if (s.jobId === null || !s.lines.length || s.loading) return Promise.resolve()
      return track(readEarlier(s.jobId, s.lines[0].seq, s.search))
    },

    async jumpToEnd() {
      const { jobId, search } = get()
      if (jobId !== null) await loadTail(jobId, search)
    },

    setSearch(text) {
      const { jobId } = get()
      set({ search: text })
      if (jobId !== null) void loadTail(jobId, text.trim())
    },

    async download() {
      const { jobId } = get()
      if (jobId === null) return null
      try {
        return await send('jobs.logText', { id: jobId })
      } catch (e) {
        set({ error: message(e) })
        return null
      }
    },

    async readEnd(jobId) {
      const nothing = () => {}
      // a page on its way may have been read before the end: read after what it shows (one asked
      // for later was read after the end, as this call comes after it)
      if (get().loading) await inFlight
      const s = get()
      // a view of earlier lines stays where it is; "jump to the end" reads the end
      if (s.jobId !== jobId || s.after > 0) return nothing
      const mine = generation
      const from = s.lines.length ? s.lines[s.lines.length - 1].seq + 1 : 0
      let page: LogPage
      try {
        page = await send('jobs.logs', { id: jobId, from, size: LOG_PAGE, text: s.search || undefined })
      } catch {
        return nothing
      }
      return () => {
        const now = get()
        if (mine !== generation || now.jobId !== jobId || now.after > 0) return
        // more than a page came after the view: it opens at the end again
        if (page.lines.length === LOG_PAGE) return void loadTail(jobId, now.search)
        const { lines } = merge(now.lines, page.lines)
        const over = lines.length - LOG_WINDOW
        set({ lines: over > 0 ? lines.slice(over) : lines, total: Math.max(page.total, lines.length) })
      }
    },

    apply(event) {
      if (event.type !== 'log.appended' || event.data.jobId !== get().jobId) return
      pushed.push(...event.data.lines)
      flusher.schedule()
      if (event.data.dropped || event.data.cut) catchUp.schedule()
    },
  }
})

// what was shown to the user who signed out is not shown to the next
whenSignedOut(() => useJobLog.setState(useJobLog.getInitialState(), true))
