import { create } from 'zustand'
import type { ResultPage } from '../../../../shared/api'
import type { AppEvent } from '../../../../shared/events'
import type { GraphSummary } from '../../../../shared/graph'
import type { UploadedFileView } from '../../../../shared/graph-api'
import {
  deletedWorkflowText,
  validateGraphWorkflow,
  type GraphWorkflowDetail,
  type GraphWorkflowDocument,
  type GraphWorkflowIssue,
  type GraphWorkflowJobView,
  type GraphWorkflowRerunFrom,
  type GraphWorkflowRunInput,
  type GraphWorkflowSummary,
} from '../../../../shared/graph-workflows'
import { isTerminalJob } from '../../../../shared/status'
import { WORKFLOW_LIST_PAGE } from '../../../../shared/workflow-limits'
import { send } from '../../api/client'
import { ApiError } from '../../api/transport'
import { useRoute } from '../../stores/route'
import { whenSignedOut } from '../../stores/user-scope'
import { useExplorer } from '../graph/explorer-store'
import { mayLeave, registerUnsaved, type UnsavedWork } from '../shell/leave-guard'
import { coalesce } from '../workflows/coalesce'
import { emptyDocument, issueOfServerError, withPositions } from './canvas-model'
import { needsRunInput, runInputFields, type RunInputField } from './run-input'
import { ANSWERED, listFailed, NOT_ANSWERED, type ListLoad } from '../../stores/list-load'

/**
 * Whether a note about job `noteJob` still holds with `shown` on the canvas: not once that job has
 * ended (its new state is the job bar's to say) or another job (or none) is shown. A note about no
 * job ("Saved version 3") stays.
 */
export const noteHolds = (noteJob: number | null, shown: GraphWorkflowJobView | null): boolean =>
  noteJob === null || (shown !== null && shown.job.id === noteJob && !isTerminalJob(shown.job.status))

/** The problems the canvas marks: the validator's and the server's last refusal naming a component. */
export function draftIssues(draft: GraphWorkflowDocument, serverIssue: GraphWorkflowIssue | null): GraphWorkflowIssue[] {
  const errors = validateGraphWorkflow(draft).errors
  return serverIssue ? [...errors, serverIssue] : errors
}

/** How long pushed task/job events are gathered before the shown job is fetched again (as the Workflows page). */
const JOB_REFRESH_MS = 250
/** Rows of a finished component's result sample. */
export const SAMPLE_ROWS = 10

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e))
const problems = (before: string, errors: readonly GraphWorkflowIssue[]): string =>
  `Fix ${errors.length} problem${errors.length === 1 ? '' : 's'} before ${before} (marked on the canvas): ${errors[0].message}`

interface GraphWorkflowsState {
  view: 'list' | 'editor'
  summaries: GraphWorkflowSummary[]
  /** Whether the list of graph workflows has answered; its first reading's failure. */
  list: ListLoad
  /** Counts workflows (or versions) put on the canvas by opening or starting one, not by saving: the canvas fits each anew. */
  shown: number
  /** The saved version the editor started from; null for a new workflow. */
  detail: GraphWorkflowDetail | null
  draft: GraphWorkflowDocument
  /** The draft has edits not saved as a version. */
  dirty: boolean
  selected: string | null
  /** Problems are marked on the canvas once a run or a save was tried (and stay marked while edits go on). */
  showIssues: boolean
  /** The job shown on the canvas (its components coloured by their tasks). */
  job: GraphWorkflowJobView | null
  /** The selected component's first result rows. */
  sample: { jobId: number; component: string; page: ResultPage } | null
  busy: 'saving' | 'running' | null
  /** The run waits for these parameters' values (the run-input dialog is open). */
  askInput: RunInputField[] | null
  error: string | null
  /** What the last action did ("Saved version 3"). */
  note: string | null
  /** The job a note is about ("Job #2 runs again…"), or null: such a note goes when that job ends or another is shown. */
  noteJob: number | null
  graphs: GraphSummary[]
  /** `graphs` was loaded: a graph not in it does not exist (a warning on the canvas), rather than unknown. */
  graphsKnown: boolean
  /** The server's refusal of the last save or run, when it names a component (Cypher that does not parse); gone with the next edit. */
  serverIssue: GraphWorkflowIssue | null
  files: UploadedFileView[]
  /** `files` was loaded: an empty list means an empty upload folder, rather than one not read yet. */
  filesKnown: boolean
  refreshList(): Promise<void>
  /** Deletes a workflow (the caller asked first); its jobs stay on the Jobs page. */
  remove(id: number): Promise<void>
  loadChoices(): Promise<void>
  open(id: number, version?: number): Promise<void>
  newWorkflow(): void
  backToList(): void
  /** Applies a canvas edit; `layoutOnly` (a moved node) keeps the shown job's colours. */
  edit(change: (doc: GraphWorkflowDocument) => GraphWorkflowDocument, o?: { layoutOnly?: boolean }): void
  select(id: string | null): void
  /** Saves the draft as a new version (the first: creates the workflow). */
  save(): Promise<boolean>
  /**
   * Validates, saves when there are edits, and runs the saved version as a job with `input`.
   * Without `input`, when a query parameter has neither a wire nor a default, it asks first
   * (askInput) instead of running: the dialog runs again with the values.
   */
  run(input?: GraphWorkflowRunInput): Promise<void>
  /** Closes the run-input dialog without running. */
  closeInput(): void
  rerun(from: GraphWorkflowRerunFrom): Promise<void>
  cancel(): Promise<void>
  loadJob(id: number): Promise<void>
  /** Opens a job's workflow at the version it ran, with the job shown on the canvas (from the Jobs page). */
  openJob(id: number): Promise<void>
  hideJob(): void
  apply(event: AppEvent): void
}

export const useGraphWorkflows = create<GraphWorkflowsState>((set, get) => {
  // the list's last runs follow graph workflow jobs as they change, gathered
  const listRefresher = coalesce(() => get().refreshList(), JOB_REFRESH_MS)

  const refresher = coalesce(async () => {
    const shown = get().job
    if (!shown) return
    try {
      const fresh = await send('graphWorkflows.job', { id: shown.job.id })
      if (get().job?.job.id !== fresh.job.id) return
      set({ job: fresh, ...(noteHolds(get().noteJob, fresh) ? {} : { note: null, noteJob: null }) })
      void loadSample()
    } catch (e) {
      set({ error: message(e) })
    }
  }, JOB_REFRESH_MS)

  /** The selected component's sample, once its task has a result set (fetched again when its row count changes). */
  const loadSample = async (): Promise<void> => {
    const { job, selected, sample } = get()
    const task = job?.components.find((c) => c.id === selected)
    if (!job || !task || task.resultIndex === null) {
      if (sample) set({ sample: null })
      return
    }
    if (sample && sample.jobId === job.job.id && sample.component === task.id && sample.page.total === task.rows && task.status === 'succeeded') return
    try {
      const page = await send('jobs.resultPage', { id: job.job.id, index: task.resultIndex, offset: 0, limit: SAMPLE_ROWS })
      if (get().job?.job.id === job.job.id && get().selected === task.id) set({ sample: { jobId: job.job.id, component: task.id, page } })
    } catch (e) {
      set({ error: message(e) })
    }
  }

  const showDetail = (detail: GraphWorkflowDetail): void =>
    set({ detail, draft: withPositions(detail.document), dirty: false, view: 'editor', error: null, askInput: null, serverIssue: null, shown: get().shown + 1 })

  return {
    view: 'list',
    shown: 0,
    summaries: [],
    list: NOT_ANSWERED,
    detail: null,
    draft: emptyDocument(),
    dirty: false,
    selected: null,
    showIssues: false,
    job: null,
    sample: null,
    busy: null,
    askInput: null,
    error: null,
    note: null,
    noteJob: null,
    graphs: [],
    graphsKnown: false,
    serverIssue: null,
    files: [],
    filesKnown: false,

    async refreshList() {
      try {
        // as many as one user may own: the tab lists them all (an admin's, the newest of everyone's)
        set({ summaries: await send('graphWorkflows.list', { limit: WORKFLOW_LIST_PAGE.maxLimit }), list: ANSWERED })
      } catch (e) {
        set(listFailed(get().list, message(e)))
      }
    },

    async remove(id) {
      const name = get().summaries.find((w) => w.id === id)?.name ?? `#${id}`
      try {
        await send('graphWorkflows.delete', { id })
        set({ summaries: get().summaries.filter((w) => w.id !== id), error: null, note: `Deleted ${name}; its jobs stay on the Jobs page` })
      } catch (e) {
        set({ error: message(e) })
      }
      void get().refreshList()
    },

    async loadChoices() {
      const [graphs, files] = await Promise.allSettled([send('graphs.list', {}), send('files.list', {})])
      set({ ...(graphs.status === 'fulfilled' ? { graphs: graphs.value, graphsKnown: true } : {}), ...(files.status === 'fulfilled' ? { files: files.value, filesKnown: true } : {}) })
    },

    async open(id, version) {
      try {
        const detail = await send('graphWorkflows.get', { id, ...(version ? { version } : {}) })
        const sameWorkflow = get().detail?.id === id
        showDetail(detail)
        set({ selected: null, showIssues: false, noteJob: null, note: version && version !== detail.latestVersion ? `Showing version ${version}; saving makes it version ${detail.latestVersion + 1}` : null, ...(sameWorkflow ? {} : { job: null, sample: null }) })
      } catch (e) {
        set({ error: message(e) })
      }
    },

    newWorkflow() {
      set({ view: 'editor', shown: get().shown + 1, detail: null, draft: emptyDocument(), dirty: false, selected: null, showIssues: false, job: null, sample: null, error: null, note: null, noteJob: null, askInput: null, serverIssue: null })
    },

    /** Back to the list; the caller asked before dropping unsaved edits (mayDiscard), so they count as dropped. */
    backToList() {
      set({ view: 'list', dirty: false, error: null, note: null, noteJob: null, askInput: null })
      void get().refreshList()
    },

    edit(change, o = {}) {
      const draft = change(get().draft)
      if (draft === get().draft) return
      // an edit answers the last message (a problem being fixed); the canvas marks what is still wrong
      set({ draft, dirty: true, note: null, noteJob: null, error: null, ...(o.layoutOnly ? {} : { job: null, sample: null, serverIssue: null }) })
    },

    select(id) {
      set({ selected: id, sample: get().sample?.component === id ? get().sample : null })
      void loadSample()
    },

    async save() {
      const { draft, detail } = get()
      // the server stores only valid documents: say so at the components before asking it
      const v = validateGraphWorkflow(draft)
      if (!v.valid) {
        set({ showIssues: true, error: problems('saving', v.errors) })
        return false
      }
      set({ busy: 'saving', error: null })
      try {
        const saved = detail ? await send('graphWorkflows.save', { id: detail.id, document: draft }) : await send('graphWorkflows.create', { document: draft })
        set({ detail: saved, dirty: get().draft !== draft, note: `Saved version ${saved.version}`, noteJob: null })
        void get().refreshList()
        return true
      } catch (e) {
        // the server's checks (a query that does not parse) name the component: mark it as the validator's
        set({ error: message(e), showIssues: true, serverIssue: e instanceof ApiError ? issueOfServerError(draft, e.body) : null })
        return false
      } finally {
        set({ busy: null })
      }
    },

    async run(input) {
      const v = validateGraphWorkflow(get().draft)
      if (!v.valid) {
        set({ showIssues: true, error: problems('running', v.errors) })
        return
      }
      if ((get().dirty || !get().detail) && !(await get().save())) return
      const detail = get().detail!
      if (!input) {
        const fields = runInputFields(detail.document)
        if (needsRunInput(fields)) return set({ askInput: fields, error: null })
      }
      set({ busy: 'running', error: null, askInput: null })
      try {
        const ref = await send('graphWorkflows.run', { id: detail.id, version: detail.version, ...(input ? { input } : {}) })
        await get().loadJob(ref.id)
        set({ note: null, noteJob: null }) // the job bar says it
      } catch (e) {
        set({ error: message(e), showIssues: true, serverIssue: e instanceof ApiError ? issueOfServerError(get().draft, e.body) : null })
      } finally {
        set({ busy: null })
      }
    },

    closeInput() {
      set({ askInput: null })
    },

    async rerun(from) {
      const job = get().job
      if (!job) return
      try {
        const ref = await send('graphWorkflows.rerun', { id: job.job.id, from })
        await get().loadJob(ref.id)
        set({ noteJob: ref.id, note: from === 'failed' ? `Job #${ref.id} runs again from its failed components` : `Job #${ref.id} reruns the whole workflow` })
      } catch (e) {
        set({ error: message(e) })
      }
    },

    async cancel() {
      const job = get().job
      if (!job) return
      try {
        await send('jobs.cancel', { id: job.job.id })
        refresher.schedule()
      } catch (e) {
        set({ error: message(e) })
      }
    },

    async loadJob(id) {
      try {
        const job = await send('graphWorkflows.job', { id })
        set({ job, sample: null, error: null, ...(noteHolds(get().noteJob, job) ? {} : { note: null, noteJob: null }) })
        void loadSample()
        if (!isTerminalJob(job.job.status)) refresher.schedule() // events that came while it loaded
      } catch (e) {
        set({ error: message(e) })
      }
    },

    async openJob(id) {
      if (!(await mayDiscard())) return
      try {
        const view = await send('graphWorkflows.job', { id })
        // no canvas to show it on: the list says so, rather than an empty or stale canvas
        if (view.workflowDeleted) return set({ view: 'list', detail: null, job: null, sample: null, note: null, noteJob: null, error: deletedWorkflowText(view) })
        await get().open(view.workflowId, view.version)
        if (get().detail?.id !== view.workflowId) return // it could not be opened: open() said why
        await get().loadJob(id)
      } catch (e) {
        set({ error: message(e), view: 'list' })
      }
    },

    hideJob() {
      set({ job: null, sample: null, ...(get().noteJob !== null ? { note: null, noteJob: null } : {}) })
    },

    /**
     * Pushed events (the stream the Jobs and Workflows pages use): the shown job's task and job
     * changes refetch it; on the list, graph workflow jobs' changes refetch the last runs; gathered.
     */
    apply(event) {
      if (get().view === 'list' && event.type === 'job.changed' && event.data.job.labels.graphWorkflowId !== undefined) listRefresher.schedule()
      const job = get().job
      if (!job) return
      if ((event.type === 'task.changed' && event.data.jobId === job.job.id) || (event.type === 'job.changed' && event.data.job.id === job.job.id)) refresher.schedule()
    },
  }
})

/**
 * The canvas's unsaved edits while it shows them (the Graph page's Workflows tab, a workflow open):
 * Save saves a version as the toolbar's Save does; Discard goes back to the version opened.
 */
function canvasEdits(): UnsavedWork | null {
  const s = useGraphWorkflows.getState()
  if (!s.dirty || s.view !== 'editor' || useRoute.getState().page !== 'graph' || useExplorer.getState().tab !== 'workflows') return null
  const { detail } = s
  return {
    name: s.draft.name || 'this workflow',
    keeps: (to) => to.page === 'graph' && to.graphTab === 'workflows' && to.graphWorkflow === (detail?.id ?? 'new') && (to.version ?? detail?.latestVersion) === detail?.version,
    save: () => useGraphWorkflows.getState().save(),
    discard: () => useGraphWorkflows.setState({ draft: detail ? withPositions(detail.document) : emptyDocument(), dirty: false, showIssues: false, serverIssue: null, error: null }),
  }
}
registerUnsaved(canvasEdits)

/** Whether the canvas may show something else: no unsaved edits, or the user saved or dropped them (the shell's leave question). */
export const mayDiscard = (): Promise<boolean> => mayLeave(undefined, canvasEdits())

whenSignedOut(() => useGraphWorkflows.setState(useGraphWorkflows.getInitialState(), true))
