import { create } from 'zustand'
import { createJSONStorage, persist } from 'zustand/middleware'
import { SCRIPT_LANGUAGES, type ResultPage, type ResultSetInfo, type ScriptLanguage } from '../../../shared/api'
import type { AppEvent } from '../../../shared/events'
import type { JobDetail, JobSummary, LogLine } from '../../../shared/model'
import { isTerminalJob, type JobStatus } from '../../../shared/status'
import { send } from '../api/client'
import { ApiError } from '../api/transport'
import { whatRuns } from '../features/jobs/JobFacts'
import { asSentence, errorText } from '../features/shell/form-errors'
import { firstLineOf, STARTER_CODE } from '../features/scripts/languages'
import { NO_QUERY, type ResultQueryView } from '../features/scripts/result-rows'
import { collectVariables, newVariableRow, parseTimeout, type VariableRow } from '../features/scripts/variables'
import { coalesce } from '../features/workflows/coalesce'
import { resultViewActions, type ResultViewState } from './result-view'
import { useSession } from './session'
import { userStorage, whenSignedIn, whenSignedOut } from './user-scope'

/** The log tail keeps (and opens with) the last this many lines; the Jobs page pages through the whole log. */
export const LOG_TAIL_LIMIT = 5000
/** How long pushed log lines are gathered before the tail re-renders. */
const LOG_FLUSH_MS = 100
const HISTORY_SIZE = 20

/** A run of this session, for the history list. */
export interface ScriptRunEntry {
  jobId: number
  language: ScriptLanguage
  firstLine: string
  code: string
  status: JobStatus
  /** The job was deleted (the server answered job_not_found): its status is the last one read, and nothing of it can be shown. */
  deleted?: true
}

/** A request to put the editor's cursor on a line (`nonce` makes a repeated click count). */
export interface EditorJump {
  line: number
  nonce: number
}

/**
 * A job's own code, shown read-only in place of the editor when the job was opened from elsewhere
 * (the Jobs page, a link) and its code is not the editor's: another user's job, or an older one.
 * The user's drafts stay as they are underneath.
 */
export interface JobCodeView {
  jobId: number
  language: ScriptLanguage
  /** The code as written (variables as `${name}`), from the job's input. */
  code: string
  /** Who submitted the job: whose scratch database an SQL job ran in. */
  submitter: string
}

/** What the result area shows: a result set (by index) or the log. */
export type ResultView = number | 'log'

interface ScriptsState extends Pick<ResultViewState, 'loadPage' | 'setResultQuery' | 'exportCsv' | 'exportXlsx'> {
  language: ScriptLanguage
  drafts: Record<ScriptLanguage, string>
  /** The editor's selected text: when not blank, Run runs only this (as Scriptis does). */
  selection: string
  variables: VariableRow[]
  timeout: string
  /** The graph Cypher runs on. */
  graph: string
  submitting: boolean
  /** A refused submit, a bad form field or a failed call; the job's own error is on `job`. */
  error: string | null
  /** The job shown below the editor (just run, or reopened from the history). */
  jobId: number | null
  job: JobSummary | null
  /** The shown job was deleted (job_not_found when opened): the page says so instead of "Loading…". */
  jobDeleted: boolean
  /** The shown job's code when it is shown instead of the editor (open with `showCode`); null: the editor. */
  jobCode: JobCodeView | null
  logs: LogLine[]
  results: ResultSetInfo[]
  view: ResultView
  page: ResultPage | null
  /** The shown result set's sort and filter (over the whole set); afresh on another result set or run. */
  resultQuery: ResultQueryView
  /** A sort or filter of the shown result set is on its way (a big set takes the server a while). */
  querying: boolean
  history: ScriptRunEntry[]
  jump: EditorJump | null
  setLanguage(language: ScriptLanguage): void
  setDraft(code: string): void
  setSelection(text: string): void
  setVariables(rows: VariableRow[]): void
  setTimeoutText(text: string): void
  setGraph(graph: string): void
  run(): Promise<void>
  kill(): Promise<void>
  /**
   * Shows a job's status, log and results. With `showCode` (opened from the Jobs page or a link) the
   * job's code is shown read-only above them (`jobCode`) unless it is the user's own and the editor
   * already holds it.
   */
  open(jobId: number, o?: { showCode?: boolean }): Promise<void>
  /**
   * Back from a shown job's code to the editor: the result area goes back with it to the editor's
   * own last run of this session (the history's newest), or to none (the "Run the script" hint), so
   * the other job's results are not read as the draft's (newuser4 #4).
   */
  closeJobCode(): void
  /**
   * Puts code into the editor as the draft of its language, replacing that draft, and shows the
   * editor: a past run's (the history's edit button) or a shown job's (`jobCode`: "Copy into my
   * draft"). Callers that replace a user's own text ask first (mayOpenScript).
   */
  restore(entry: Pick<ScriptRunEntry, 'language' | 'code'>): void
  /** Shows a line of the script in the editor, switching to `language` first. */
  goToLine(language: ScriptLanguage, line: number): void
  /** Fetches the shown job and unfinished history entries again (events were missed while away). */
  resync(): Promise<void>
  showView(view: ResultView): Promise<void>
  apply(event: AppEvent): void
}

/** How many jobs' last pushed views the page keeps (pushed, in the store). */
const PUSHED_KEPT = 32

/** The toolbar's fields as it names them, for the server's refusals of a run. */
const LABELS = { code: 'The script', timeoutSeconds: 'The timeout', graph: 'The graph', variables: 'The variables' }
/** How long after a resync that could not read an unfinished run (not a 404: the server away) it is read again. */
const RESYNC_RETRY_MS = 15_000

/** Whether a failed call says the job no longer exists (deleted, or never was: the same 404 for another user's). */
const jobGone = (e: unknown): boolean => e instanceof ApiError && e.body.code === 'job_not_found'

/** A failure as the page says it: the server's message as a sentence, fields as the toolbar names them (formError). */
const message = (e: unknown): string => errorText(e, LABELS)

/**
 * How far a run has come: queued 0, running 1, cancelling 2, ended 3. A script job only moves up
 * (shared/status.ts JOB_TRANSITIONS; a redo from the Jobs page is the one way back, not this page's).
 */
const stage = (status: JobStatus): number => (isTerminalJob(status) ? 3 : status === 'cancelling' ? 2 : status === 'running' ? 1 : 0)

/**
 * Keeps the later of two views of one job. The pushed event and a reply travel apart: a job.changed
 * "running" may come before the jobs.get reply read while it was still queued, and that reply must
 * not take the run back to queued (the status then stood at Queued for the whole run: no later event
 * comes for a job that only writes its log).
 */
const later = (known: JobSummary | null, incoming: JobSummary): JobSummary => (known && stage(known.status) > stage(incoming.status) ? known : incoming)

const mergeLogs = (have: LogLine[], fresh: LogLine[]): LogLine[] => {
  const seen = new Set(have.map((l) => l.seq))
  const merged = [...have, ...fresh.filter((l) => !seen.has(l.seq))].sort((a, b) => a.seq - b.seq)
  return merged.length > LOG_TAIL_LIMIT ? merged.slice(-LOG_TAIL_LIMIT) : merged
}

/**
 * The code of a script job `detail` to show instead of the editor, or null when the editor already
 * shows it (the user's own job whose code is their draft of its language) or it has none.
 */
function codeToShow(detail: JobDetail, drafts: Record<ScriptLanguage, string>): JobCodeView | null {
  const { code, language } = whatRuns(detail)
  if (code === undefined || !SCRIPT_LANGUAGES.includes(language as ScriptLanguage)) return null
  const lang = language as ScriptLanguage
  if (detail.submitter === useSession.getState().user?.username && drafts[lang] === code) return null
  return { jobId: detail.id, language: lang, code, submitter: detail.submitter }
}

/** What of the page survives a reload (in localStorage): the editor's drafts, its form and this session's runs. */
type KeptScripts = Pick<ScriptsState, 'language' | 'drafts' | 'variables' | 'timeout' | 'history'>

/** The kept state over the fresh one, field by field, dropping what does not have the expected shape. */
function mergeKept(kept: unknown, current: ScriptsState): ScriptsState {
  const k = (kept ?? {}) as Partial<Record<keyof KeptScripts, unknown>>
  const drafts = { ...STARTER_CODE }
  for (const lang of SCRIPT_LANGUAGES) {
    const text = (k.drafts as Record<string, unknown> | undefined)?.[lang]
    if (typeof text === 'string') drafts[lang] = text
  }
  const rows = Array.isArray(k.variables) ? (k.variables as Partial<VariableRow>[]) : []
  const history = Array.isArray(k.history) ? (k.history as ScriptRunEntry[]).filter((h) => Number.isInteger(h?.jobId) && typeof h.code === 'string') : []
  return {
    ...current,
    language: SCRIPT_LANGUAGES.includes(k.language as ScriptLanguage) ? (k.language as ScriptLanguage) : 'sql',
    drafts,
    // fresh row ids: the kept ones belong to the page before the reload
    variables: rows.filter((r) => typeof r?.name === 'string' && typeof r.value === 'string').map((r) => newVariableRow(r.name, r.value)),
    timeout: typeof k.timeout === 'string' ? k.timeout : '',
    history: history.slice(0, HISTORY_SIZE),
  }
}

export const useScripts = create<ScriptsState>()(
  persist(
    (set, get) => {
      /** Log lines pushed for the shown job, appended in one render per LOG_FLUSH_MS. */
      let pendingLines: LogLine[] = []
      /**
       * The last pushed view of the most recent jobs (at most PUSHED_KEPT): a job starts at once, so its
       * "running" event may come before the submit's reply names it, and a reply read earlier may come
       * after that event; open() takes the later of the two (the run had stood at Queued to its end).
       */
      const pushed = new Map<number, JobSummary>()
      const logFlusher = coalesce(async () => {
        const lines = pendingLines
        pendingLines = []
        if (lines.length) set({ logs: mergeLogs(get().logs, lines) })
      }, LOG_FLUSH_MS)
      /** The job whose result sets were asked for, so a burst of events loads them once. */
      let resultsFor: number | null = null
      /** A resync's read again of unfinished runs, set while one waits. */
      let retry: ReturnType<typeof setTimeout> | null = null

      /** Marks a history entry as deleted (kept, so the user sees what became of the run). */
      const markDeleted = (jobId: number): void => {
        set({ history: get().history.map((h) => (h.jobId === jobId && !h.deleted ? { ...h, deleted: true } : h)) })
      }

      /**
       * Reads again the history's unfinished runs other than the shown one: a deleted job's entry is
       * marked deleted; another failure (the server away) keeps the entry and reads it again later.
       */
      const refreshStale = async (): Promise<void> => {
        const { jobId, history } = get()
        const stale = history.filter((h) => !isTerminalJob(h.status) && !h.deleted && h.jobId !== jobId)
        let failed = false
        await Promise.all(
          stale.map((h) =>
            send('jobs.get', { id: h.jobId }).then(setJob, (e) => {
              if (jobGone(e)) markDeleted(h.jobId)
              else failed = true
            }),
          ),
        )
        if (failed && retry === null) {
          retry = setTimeout(() => {
            retry = null
            void refreshStale()
          }, RESYNC_RETRY_MS)
        }
      }

      const setJob = (job: JobSummary): void => {
        const s = get()
        const entry = s.history.find((h) => h.jobId === job.id)
        // A late reply must not take a run back (to queued, or from ended to running), here or in the history.
        if (entry && stage(entry.status) <= stage(job.status) && entry.status !== job.status) {
          set({ history: s.history.map((h) => (h === entry ? { ...h, status: job.status } : h)) })
        }
        if (s.jobId !== job.id) return
        if (s.jobDeleted) set({ jobDeleted: false })
        const merged = later(s.job, job)
        set({ job: merged })
        if (isTerminalJob(merged.status) && resultsFor !== job.id) void loadResults(job.id, merged.status)
      }

      const loadResults = async (jobId: number, status: JobStatus): Promise<void> => {
        resultsFor = jobId
        try {
          const results = await send('jobs.results', { id: jobId })
          if (get().jobId !== jobId) return
          set({ results })
          // A success opens its first result; a failure or a kill opens the log that explains it.
          await get().showView(status === 'succeeded' && results.length ? results[0].index : 'log')
        } catch (e) {
          set({ error: message(e) })
        }
      }

      return {
        language: 'sql',
        drafts: { ...STARTER_CODE },
        selection: '',
        variables: [],
        timeout: '',
        graph: 'default',
        submitting: false,
        error: null,
        jobId: null,
        job: null,
        jobDeleted: false,
        jobCode: null,
        logs: [],
        results: [],
        view: 'log',
        page: null,
        resultQuery: NO_QUERY,
        querying: false,
        history: [],
        jump: null,

        // choosing a language is choosing the editor: a shown job's code gives way to it
        setLanguage(language) {
          set({ language })
          if (get().jobCode) get().closeJobCode()
        },
        setDraft: (code) => set({ drafts: { ...get().drafts, [get().language]: code } }),
        setSelection: (selection) => set({ selection }),
        setVariables: (variables) => set({ variables }),
        setTimeoutText: (timeout) => set({ timeout }),
        setGraph: (graph) => set({ graph }),

        async run() {
          const { language, drafts, selection, variables, timeout, submitting, graph, jobCode } = get()
          if (submitting) return
          if (jobCode) {
            set({ error: `The editor is hidden by job #${jobCode.jobId}’s code: “Back to my draft” first, then Run` })
            return
          }
          const code = selection.trim() ? selection : drafts[language]
          const vars = collectVariables(variables)
          const limit = parseTimeout(timeout)
          if (!code.trim() || !vars.ok || !limit.ok) {
            // the page's own refusals read as the server's do (message)
            set({ error: asSentence(!code.trim() ? 'the script is empty' : !vars.ok ? vars.error : !limit.ok ? limit.error : '') })
            return
          }
          set({ submitting: true, error: null })
          try {
            const ref = await send('jobs.submit', { type: 'script', language, code, variables: vars.variables, timeoutSeconds: limit.seconds, ...(language === 'cypher' ? { graph } : {}) })
            const entry: ScriptRunEntry = { jobId: ref.id, language, firstLine: firstLineOf(code), code, status: ref.status }
            set({ history: [entry, ...get().history].slice(0, HISTORY_SIZE) })
            await get().open(ref.id)
          } catch (e) {
            set({ error: message(e) })
          } finally {
            set({ submitting: false })
          }
        },

        async kill() {
          const jobId = get().jobId
          if (jobId == null) return
          try {
            setJob(await send('jobs.cancel', { id: jobId }))
          } catch (e) {
            set({ error: message(e) })
          }
        },

        async open(jobId, o = {}) {
          // Shown at once, so events pushed while the job loads already count.
          resultsFor = null
          pendingLines = []
          // the code shown for this job stays while it is opened again (resync), not blinking off
          const jobCode = o.showCode && get().jobCode?.jobId === jobId ? get().jobCode : null
          set({ jobId, job: null, jobDeleted: false, jobCode, logs: [], results: [], view: 'log', page: null, resultQuery: NO_QUERY, querying: false, error: null })
          try {
            const [detail, log] = await Promise.all([send('jobs.get', { id: jobId }), send('jobs.logs', { id: jobId, tail: true, size: LOG_TAIL_LIMIT })])
            if (get().jobId !== jobId) return
            const { input: _input, result: _result, tasks: _tasks, ...summary } = detail
            if (o.showCode) set({ jobCode: codeToShow(detail, get().drafts) })
            set({ logs: mergeLogs(get().logs, log.lines) })
            setJob(later(pushed.get(jobId) ?? null, summary))
          } catch (e) {
            if (get().jobId !== jobId) return
            if (jobGone(e)) {
              markDeleted(jobId)
              set({ jobDeleted: true }) // the run panel says so, in place of its status
            } else set({ error: message(e) })
          }
        },

        closeJobCode() {
          set({ jobCode: null })
          const own = get().history[0]?.jobId
          if (own != null) {
            if (own !== get().jobId) void get().open(own)
            return
          }
          resultsFor = null
          pendingLines = []
          set({ jobId: null, job: null, jobDeleted: false, logs: [], results: [], view: 'log', page: null, resultQuery: NO_QUERY, querying: false, error: null })
        },

        restore(entry) {
          set({ language: entry.language, jobCode: null, drafts: { ...get().drafts, [entry.language]: entry.code } })
        },

        goToLine(language, line) {
          set({ language, jump: { line, nonce: (get().jump?.nonce ?? 0) + 1 } })
        },

        async resync() {
          const { jobId } = get()
          await refreshStale()
          const shown = get().job
          // opened again as it was: with its code in the editor's place if it was shown so
          if (jobId != null && !(shown && isTerminalJob(shown.status))) await get().open(jobId, { showCode: get().jobCode?.jobId === jobId })
        },

        async showView(view) {
          set({ view, page: view === 'log' ? null : get().page, resultQuery: view === get().view ? get().resultQuery : NO_QUERY, querying: false })
          if (view !== 'log') await get().loadPage(0)
        },

        ...resultViewActions(set, get, (s) => (s.view === 'log' ? null : s.view)),

        /** Pushed events: the shown job's state and log, and the statuses in the history. */
        apply(event) {
          if (event.type === 'job.changed') {
            const job = event.data.job
            pushed.delete(job.id)
            pushed.set(job.id, job)
            if (pushed.size > PUSHED_KEPT) pushed.delete(pushed.keys().next().value!)
            setJob(job)
          }
          else if (event.type === 'log.appended' && event.data.jobId === get().jobId) {
            pendingLines.push(...event.data.lines)
            logFlusher.schedule()
          }
        },
      }
    },
    {
      name: 'jobdesk.scripts',
      version: 1,
      storage: createJSONStorage(() => userStorage),
      skipHydration: true, // read once the user is known (user-scope)
      partialize: (s): KeptScripts => ({ language: s.language, drafts: s.drafts, variables: s.variables, timeout: s.timeout, history: s.history }),
      merge: mergeKept,
    },
  ),
)

whenSignedIn(() => void useScripts.persist.rehydrate())
whenSignedOut(() => useScripts.setState(useScripts.getInitialState(), true))
