import { create } from 'zustand'
import type { AppEvent } from '../../../shared/events'
import type { JobSummary, LogLine } from '../../../shared/model'
import { isTerminalJob } from '../../../shared/status'
import { WORKFLOW_LIST_PAGE } from '../../../shared/workflow-limits'
import type { ExecutionView, ValidationResult, WorkflowDetail, WorkflowNode, WorkflowSummary } from '../../../shared/workflows'
import { send } from '../api/client'
import { ApiError } from '../api/transport'
import { errorText } from '../features/shell/form-errors'
import { coalesce } from '../features/workflows/coalesce'
import type { GraphDirection } from '../features/workflows/dag-layout'
import { logBelongsTo } from '../features/workflows/execution-status'
import { createReplyGuard } from './list-replies'
import { readTaskLog, TASK_LOG_PAGE } from './task-log'
import { userKey, whenSignedIn, whenSignedOut } from './user-scope'
import { ANSWERED, listFailed, NOT_ANSWERED, type ListLoad } from './list-load'

export const STARTER_YAML = `workspace: default
dagName: myWorkflow
type: flow
tasks:
  - category: pass
    name: first
    next: second
  - category: pass
    name: second
`

/** How long pushed task/job events are gathered before the execution is fetched again. */
export const EXECUTION_REFRESH_MS = 250
/** How long workflow changes made elsewhere (workflow.changed events) are gathered before the list is fetched again. */
export const WORKFLOWS_REFRESH_MS = 300
/** The lines of a task's log the task panel reads: its tail, this many (the server's most a page; task-log.ts). */
export const LOG_PAGE = TASK_LOG_PAGE
const RECENT_RUNS = 8

export type DagMode = 'design' | 'run'

const DRAFTS_KEY = 'jobdesk.workflows.drafts'
const DIRECTION_KEY = 'jobdesk.workflows.direction'
/** How many descriptors' unsaved drafts are kept (the oldest edited go first). */
const KEPT_DRAFTS = 20
/** The kept draft of a new (never saved) workflow. */
const NEW_DRAFT = ''

/**
 * Unsaved editor texts kept in localStorage by the descriptor id they started from (NEW_DRAFT for
 * a new workflow), so neither a reload nor opening another workflow loses edits: opening the
 * descriptor again brings them back, marked "edited".
 */
function keptDrafts(): Record<string, string> {
  try {
    const key = userKey(DRAFTS_KEY)
    const kept = JSON.parse((key && localStorage.getItem(key)) || '{}') as unknown
    if (!kept || typeof kept !== 'object' || Array.isArray(kept)) return {}
    return Object.fromEntries(Object.entries(kept).filter(([, v]) => typeof v === 'string')) as Record<string, string>
  } catch {
    return {}
  }
}

/** Keeps `text` as the draft of `base`, or forgets it when it is the saved text (`saved`). */
function keepDraft(base: string, text: string, saved: string): void {
  const drafts = keptDrafts()
  delete drafts[base] // re-added last: the most recently edited stay
  if (text !== saved) drafts[base] = text
  const entries = Object.entries(drafts).slice(-KEPT_DRAFTS)
  const key = userKey(DRAFTS_KEY)
  try {
    if (key) localStorage.setItem(key, JSON.stringify(Object.fromEntries(entries)))
  } catch {
    // storage full or disabled: the draft lives on in memory only
  }
}

/** Forgets the kept drafts of every version of a workflow (it was deleted: none of them can be saved over). */
function forgetDrafts(workspace: string, name: string): void {
  const prefix = `${workspace}:${name}:`
  const drafts = keptDrafts()
  const key = userKey(DRAFTS_KEY)
  if (!key || !Object.keys(drafts).some((id) => id.startsWith(prefix))) return
  try {
    localStorage.setItem(key, JSON.stringify(Object.fromEntries(Object.entries(drafts).filter(([id]) => !id.startsWith(prefix)))))
  } catch {
    // storage disabled: nothing was kept there either
  }
}

/** Whether a run of descriptor `runDescriptorId` (`workspace:name:md5_…`) is one of the workflow `detail` (any version). */
const ownRun = (detail: Pick<WorkflowDetail, 'workspace' | 'name'> | null, runDescriptorId: string): boolean =>
  detail != null && runDescriptorId.startsWith(`${detail.workspace}:${detail.name}:`)

/** Whether a new workflow's draft (not yet saved) has edits that "New workflow" would discard. */
export const hasUnsavedNewWorkflow = (): boolean => (keptDrafts()[NEW_DRAFT] ?? STARTER_YAML) !== STARTER_YAML

/** Whether the editor's text differs from the saved version it started from (or, for a new workflow, from the starter). */
export const hasUnsavedEdits = (s: Pick<WorkflowsState, 'detail' | 'draft'>): boolean => s.draft !== (s.detail ? s.detail.source : STARTER_YAML)

interface WorkflowsState {
  summaries: WorkflowSummary[]
  /** Whether the list of workflows has answered; its first reading's failure. */
  list: ListLoad
  error: string | null
  /**
   * A workflow asked for (a link, the URL) that could not be opened because it does not exist or is
   * another user's, e.g. "demo:flow was not found, or is not yours."; kept apart from `error`, which
   * the list's next answer clears, until another workflow is opened or a new one started.
   */
  missing: string | null
  /** Why the last Submit was refused (a quota, a workflow that went away), shown under Submit; cleared by the next submit or another workflow. */
  submitError: string | null
  /** The saved descriptor the editor started from (null for a new workflow). */
  detail: WorkflowDetail | null
  draft: string
  validation: ValidationResult | null
  /** The text `validation` was computed for; diagnostics are shown only while it matches the editor. */
  validatedText: string | null
  /** The last graph that validated, kept while the draft is broken. */
  designNodes: WorkflowNode[]
  savedId: string | null
  /** What the last save did to aliases, e.g. `release now points to 1a2b3c4d (was 9f8e7d6c)`; empty when none moved. */
  movedAliases: string[]
  busy: 'saving' | 'submitting' | null
  mode: DagMode
  execution: ExecutionView | null
  /** The graph of the execution's descriptor version (not the draft's). */
  executionNodes: WorkflowNode[]
  selectedTask: string | null
  /** The selected task's log: its tail page (LOG_PAGE lines), and lines pushed since. */
  taskLogs: LogLine[]
  /**
   * Null when taskLogs start at the task's log's start; else how many of the task's runs (its first,
   * and one per redo) began before taskLogs' first line, for the attempt picker (taskAttempts).
   */
  taskLogRunsBefore: number | null
  /** Recent executions of the open descriptor (any version), newest first. */
  runs: JobSummary[]
  /**
   * A version of the open workflow stored elsewhere (another window, a Rill Flow client) after the
   * editor's version was opened or saved: shown as a notice to load it, never put over the draft.
   */
  newerVersion: string | null
  /** The open workflow was deleted elsewhere: the draft stays, and saving stores it again. */
  deletedElsewhere: boolean
  /** Opens `newerVersion` (the caller asks first when the draft has unsaved edits). */
  loadNewer(): Promise<void>
  /** Fetches the list and the open workflow's versions and aliases again (debounced): changes made elsewhere. */
  followChanges(): void
  /** Which way the graph is drawn (kept in localStorage). */
  direction: GraphDirection
  setDirection(direction: GraphDirection): void
  refreshList(): Promise<void>
  /**
   * Deletes a workflow with every version and alias (owner or admin) and forgets its kept drafts;
   * when it is the one open, the editor goes to a new workflow (with the user's own kept new draft).
   * Throws the server's error (an ApiError; conflict `workflow_has_executions` while runs of it are
   * kept) and then changes nothing.
   */
  deleteWorkflow(workspace: string, name: string): Promise<void>
  open(descriptorId: string): Promise<void>
  /** A new workflow from the starter text, or (`resume`) with the unsaved new-workflow draft kept from before. */
  newWorkflow(o?: { resume?: boolean }): void
  setDraft(text: string): void
  /** Drops the unsaved edits (and their kept draft): back to the saved text, or the starter for a new workflow. */
  discardDraft(): void
  validate(text: string): Promise<void>
  save(alias?: string): Promise<void>
  submit(context: Record<string, unknown>): Promise<void>
  cancel(): Promise<void>
  redo(): Promise<void>
  loadExecution(jobId: number): Promise<void>
  /** Fetches the shown execution again (e.g. when the page comes back into view). */
  reloadExecution(): Promise<void>
  loadRuns(): Promise<void>
  setMode(mode: DagMode): void
  selectTask(name: string | null): Promise<void>
  apply(event: AppEvent): void
}

/** The page's fields as it names them, for the server's errors (the alias beside Save, the editor's text). */
const LABELS = { alias: 'The alias', text: 'The workflow text' }
const message = (e: unknown): string => errorText(e, LABELS)
/** What Submit says when the version it would run no longer exists. */
const DELETED_ON_SUBMIT = 'This workflow was deleted, so there is nothing to run: Save stores the text above again, then Submit runs it.'

/** Whether YAML `text` has a `name: <task>` entry (plain or quoted, block or flow style). */
function namesTask(text: string, task: string): boolean {
  const escaped = task.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  return new RegExp(`\\bname\\s*:\\s*["']?${escaped}["']?\\s*(?:[,}#]|$)`, 'm').test(text)
}

/**
 * What the design graph shows for the editor's draft: the graph of the draft when its check passed
 * (`stale` false); while the draft is broken, the last graph that validated, greyed (`stale` true),
 * but only while the draft still names one of its tasks: a text pasted over the starter or another
 * descriptor is not that graph's draft, and showing its tasks drew the template as if it were the
 * draft (new-user LOW, #9). `nodes` is empty when there is no graph of this draft to show.
 */
export function shownDesignGraph(s: Pick<WorkflowsState, 'designNodes' | 'draft' | 'validation'>): { nodes: WorkflowNode[]; stale: boolean } {
  if (s.validation?.ok !== false) return { nodes: s.designNodes, stale: false }
  const named = s.designNodes.some((n) => namesTask(s.draft, n.name))
  return named ? { nodes: s.designNodes, stale: true } : { nodes: NO_NODES, stale: false }
}

/** The one empty graph shownDesignGraph answers, so that a selector of it (useShallow) sees no change while it stays empty. */
const NO_NODES: WorkflowNode[] = []

export const useWorkflows = create<WorkflowsState>((set, get) => {
  /** Fetches the shown execution again; pushed events ask for this through `refresher.schedule()`. */
  const refresher = coalesce(async () => {
    const current = get().execution
    if (!current) return
    try {
      const fresh = await send('workflows.execution', { id: current.jobId })
      if (get().execution?.jobId === fresh.jobId) set({ execution: fresh })
    } catch (e) {
      set({ error: message(e) })
    }
  }, EXECUTION_REFRESH_MS)
  /** The recent runs' list replies race pushed job changes (a run ending while its list is read). */
  const runReplies = createReplyGuard<JobSummary>()
  /** Keeps the recent runs current; progress-only changes are ignored so a busy job does not re-render the list. */
  const patchRuns = (job: JobSummary): void => {
    const { runs, detail } = get()
    if (!detail || job.name !== `${detail.workspace}:${detail.name}`) return
    runReplies.pushed(job)
    const known = runs.find((r) => r.id === job.id)
    if (!known) set({ runs: [job, ...runs].slice(0, RECENT_RUNS) })
    else if (known.status !== job.status) set({ runs: runs.map((r) => (r.id === job.id ? job : r)) })
  }
  /** The newest version of the open workflow as this page last knew it (opened or saved here): newer ones came from elsewhere. */
  let knownLatest: string | undefined
  const loadDetail = async (descriptorId: string): Promise<WorkflowDetail> => {
    const detail = await send('workflows.get', { descriptorId })
    knownLatest = detail.versions[0]?.version // newest first
    set({ detail, newerVersion: null, deletedElsewhere: false })
    return detail
  }
  /** Whether a change elsewhere touched the open workflow since the last follow-up. */
  let openTouched = false
  /**
   * Follows workflow changes made elsewhere: the list, and the open workflow's versions and aliases
   * (its source and the draft stay as they are). A save of this page's own is waited out, so its
   * version is known as ours before newer ones are looked for.
   */
  const follower = coalesce(async () => {
    if (get().busy === 'saving') return follower.schedule()
    await get().refreshList()
    const detail = get().detail
    if (!detail || !openTouched) return
    openTouched = false
    let fresh: WorkflowDetail
    try {
      fresh = await send('workflows.get', { descriptorId: detail.descriptorId })
    } catch {
      return // not reachable now: the next change or focus looks again; the draft stays
    }
    const now = get().detail
    if (now?.descriptorId !== detail.descriptorId) return
    const latest = fresh.versions[0]?.version
    const newer = latest && latest !== now.version && latest !== knownLatest ? latest : get().newerVersion
    set({ detail: { ...now, aliases: fresh.aliases, versions: fresh.versions }, newerVersion: newer, deletedElsewhere: false })
  }, WORKFLOWS_REFRESH_MS)

  return {
    summaries: [],
    list: NOT_ANSWERED,
    error: null,
    missing: null,
    submitError: null,
    detail: null,
    direction: localStorage.getItem(DIRECTION_KEY) === 'LR' ? 'LR' : 'TB',
    setDirection(direction) {
      localStorage.setItem(DIRECTION_KEY, direction)
      set({ direction })
    },
    // a new workflow's kept draft comes back once the user is known (below); a saved one's when it is opened
    draft: STARTER_YAML,
    validation: null,
    validatedText: null,
    designNodes: [],
    savedId: null,
    movedAliases: [],
    busy: null,
    mode: 'design',
    execution: null,
    executionNodes: [],
    selectedTask: null,
    taskLogs: [], taskLogRunsBefore: null,
    runs: [],
    newerVersion: null,
    deletedElsewhere: false,

    async loadNewer() {
      const { detail, newerVersion } = get()
      if (detail && newerVersion) await get().open(`${detail.workspace}:${detail.name}:md5_${newerVersion}`)
    },

    followChanges() {
      openTouched = true
      follower.schedule()
    },

    async refreshList() {
      try {
        // as many as one user may own: the page lists them all (an admin's, the newest of everyone's)
        set({ summaries: await send('workflows.list', { limit: WORKFLOW_LIST_PAGE.maxLimit }), list: ANSWERED, error: null })
      } catch (e) {
        set(listFailed(get().list, message(e)))
      }
    },

    async deleteWorkflow(workspace, name) {
      await send('workflows.delete', { workspace, name })
      forgetDrafts(workspace, name)
      const detail = get().detail
      if (detail?.workspace === workspace && detail.name === name) get().newWorkflow({ resume: true })
      await get().refreshList()
    },

    async open(descriptorId) {
      try {
        const detail = await loadDetail(descriptorId)
        const draft = keptDrafts()[detail.descriptorId] ?? detail.source
        // an execution of another workflow is not shown with this one (any version of this one is)
        const execution = get().execution
        const own = execution ? ownRun(detail, execution.descriptorId) : false
        set({ draft, designNodes: detail.nodes, savedId: null, movedAliases: [], mode: 'design', selectedTask: null, error: null, missing: null, submitError: null, ...(own ? {} : { execution: null, executionNodes: [], taskLogs: [], taskLogRunsBefore: null }) })
        void get().loadRuns()
      } catch (e) {
        // the server answers 403 for another user's workflow, 404 for none: the page says which was
        // asked for, and shows what a fresh load of this address shows (the user's new-workflow draft),
        // nothing of the workflow open before (its run, task panel), which would stand under this
        // address. Its unsaved edits were asked about before leaving it (draft-guard); its kept draft stays.
        const gone = e instanceof ApiError && (e.body.kind === 'not_found' || e.body.kind === 'forbidden')
        if (!gone) return set({ error: message(e) })
        get().newWorkflow({ resume: true })
        set({ missing: `${descriptorId} was not found, or is not yours.` })
      }
    },

    newWorkflow(o = {}) {
      const kept = o.resume ? keptDrafts()[NEW_DRAFT] : undefined
      if (!o.resume) keepDraft(NEW_DRAFT, STARTER_YAML, STARTER_YAML)
      knownLatest = undefined
      if (!o.resume) set({ missing: null })
      set({ detail: null, newerVersion: null, deletedElsewhere: false, draft: kept ?? STARTER_YAML, designNodes: [], savedId: null, movedAliases: [], mode: 'design', execution: null, executionNodes: [], selectedTask: null, taskLogs: [], taskLogRunsBefore: null, runs: [], error: null, submitError: null })
    },

    setDraft(text) {
      if (text === get().draft) return
      const detail = get().detail
      keepDraft(detail?.descriptorId ?? NEW_DRAFT, text, detail ? detail.source : STARTER_YAML)
      set({ draft: text, mode: 'design', savedId: null, movedAliases: [] })
    },

    discardDraft() {
      const detail = get().detail
      const saved = detail ? detail.source : STARTER_YAML
      keepDraft(detail?.descriptorId ?? NEW_DRAFT, saved, saved)
      set({ draft: saved, savedId: null, movedAliases: [], ...(detail ? { designNodes: detail.nodes } : {}) })
    },

    async validate(text) {
      try {
        const validation = await send('workflows.validate', { text })
        if (get().draft !== text) return // the user typed on; a newer check is coming
        set({ validation, validatedText: text })
        if (validation.ok && validation.nodes) set({ designNodes: validation.nodes })
      } catch (e) {
        set({ error: message(e) })
      }
    },

    async save(alias) {
      const text = get().draft
      set({ busy: 'saving' })
      try {
        const { descriptorId } = await send('workflows.save', { text, alias: alias || undefined })
        const before = get().detail
        const base = before?.descriptorId ?? NEW_DRAFT
        const saved = await loadDetail(descriptorId)
        const sameWorkflow = before && before.workspace === saved.workspace && before.name === saved.name
        const movedAliases = Object.entries(saved.aliases)
          .filter(([a, version]) => (sameWorkflow ? before.aliases[a] : undefined) !== version)
          .map(([a, version]) => {
            const was = sameWorkflow ? before.aliases[a] : undefined
            return `${a} now points to ${version.slice(0, 8)}${was ? ` (was ${was.slice(0, 8)})` : ''}`
          })
        keepDraft(base, text, text) // saved: the edits it started from are no longer unsaved
        keepDraft(descriptorId, get().draft, saved.source) // typed on while saving
        set({ savedId: descriptorId, movedAliases, error: null, missing: null }) // a workflow asked for and not found is no longer what the page shows (tfui L5)
        await Promise.all([get().refreshList(), get().loadRuns()])
      } catch (e) {
        set({ error: message(e) })
      } finally {
        set({ busy: null })
      }
    },

    async submit(context) {
      const descriptorId = get().detail?.descriptorId
      if (!descriptorId) return
      set({ busy: 'submitting', submitError: null })
      let jobId: number
      try {
        ;({ jobId } = await send('workflows.submit', { descriptorId, context }))
      } catch (e) {
        // beside Submit, where the user looks (the editor's line is for the text); only while this workflow is open
        if (get().detail?.descriptorId !== descriptorId) return
        // its version is gone: deleted here or by another client (Rill Flow's own words, "descriptor:… value empty", say nothing of it)
        if (e instanceof ApiError && e.body.code === 'descriptor_not_found') set({ submitError: DELETED_ON_SUBMIT, deletedElsewhere: true, newerVersion: null })
        else set({ submitError: message(e) })
        return
      } finally {
        set({ busy: null })
      }
      // it runs: failing to show it now is not a refusal (Submit again would run it twice)
      try {
        await get().loadExecution(jobId)
        set({ error: null })
        void get().loadRuns()
      } catch (e) {
        set({ error: `Submitted (job ${jobId}), but its run could not be shown: ${message(e)}` })
      }
    },

    async cancel() {
      const execution = get().execution
      if (!execution) return
      try {
        await send('jobs.cancel', { id: execution.jobId })
        refresher.schedule()
      } catch (e) {
        set({ error: message(e) })
      }
    },

    async redo() {
      const execution = get().execution
      if (!execution) return
      try {
        set({ execution: await send('workflows.redo', { id: execution.jobId }) })
        refresher.schedule()
      } catch (e) {
        set({ error: message(e) })
      }
    },

    async loadExecution(jobId) {
      const execution = await send('workflows.execution', { id: jobId })
      // a run of another workflow opens its own (at the run's version) in the list, editor and Run
      // panel: shown under the open one, its Submit would run that one (newuser4 #3); any version of
      // the open workflow's runs shows under the version being edited
      if (!ownRun(get().detail, execution.descriptorId)) {
        await get().open(execution.descriptorId)
        if (!ownRun(get().detail, execution.descriptorId)) {
          const why = get().error
          get().newWorkflow({ resume: true })
          set({ error: why && `The workflow of run #${jobId} could not be opened: ${why}` })
        }
      }
      const known = get().detail
      const nodes = known?.descriptorId === execution.descriptorId ? known.nodes : (await send('workflows.get', { descriptorId: execution.descriptorId })).nodes
      set({ execution, executionNodes: nodes, mode: 'run', selectedTask: null, taskLogs: [], taskLogRunsBefore: null })
      if (!isTerminalJob(execution.status)) refresher.schedule() // events that came while the graph loaded
    },

    reloadExecution: () => refresher.runNow(),

    async loadRuns() {
      const detail = get().detail
      if (!detail) return set({ runs: [] })
      const name = `${detail.workspace}:${detail.name}`
      const mine = runReplies.start()
      try {
        const page = await send('jobs.list', { type: 'workflow', name, limit: RECENT_RUNS })
        if (get().detail?.descriptorId !== detail.descriptorId || !mine.current()) return
        // the reply was read before changes pushed since (newuser3: a run ending meanwhile stayed
        // "running" for good): those rows replace its own, and runs it could not know yet go on top
        const listed = mine.merge(page.items)
        const newest = listed[0]?.id ?? 0
        const started = runReplies.pushedSince().filter((j) => j.name === name && j.id > newest).sort((a, b) => b.id - a.id)
        set({ runs: [...started, ...listed].slice(0, RECENT_RUNS) })
      } catch (e) {
        set({ error: message(e) })
      }
    },

    setMode(mode) {
      set({ mode, selectedTask: null })
    },

    async selectTask(name) {
      set({ selectedTask: name, taskLogs: [], taskLogRunsBefore: null })
      const execution = get().execution
      if (name === null || !execution || get().mode !== 'run') return
      try {
        const { lines, runsBefore } = await readTaskLog(execution.jobId, name)
        if (get().selectedTask === name) set({ taskLogs: lines, taskLogRunsBefore: runsBefore })
      } catch (e) {
        set({ error: message(e) })
      }
    },

    /**
     * Pushed events. Workflow changes made elsewhere refetch the list (and the open workflow's versions
     * and aliases; debounced); for the shown execution, task/job changes refetch it (debounced) and log lines append.
     */
    apply(event) {
      if (event.type === 'workflow.changed') {
        const detail = get().detail
        if (detail && detail.workspace === event.data.workspace && detail.name === event.data.name) {
          if (event.data.change === 'deleted') set({ deletedElsewhere: true, newerVersion: null })
          else openTouched = true
        }
        follower.schedule()
        return
      }
      if (event.type === 'job.changed') patchRuns(event.data.job)
      const { execution, selectedTask, taskLogs, mode } = get()
      if (!execution) return
      if (event.type === 'task.changed' && event.data.jobId === execution.jobId) refresher.schedule()
      else if (event.type === 'job.changed' && event.data.job.id === execution.jobId) refresher.schedule()
      else if (event.type === 'log.appended' && event.data.jobId === execution.jobId && selectedTask && mode === 'run') {
        const last = taskLogs.length ? taskLogs[taskLogs.length - 1].seq : -1
        const fresh = event.data.lines.filter((l) => l.seq > last && logBelongsTo(l.task, selectedTask))
        if (fresh.length) set({ taskLogs: [...taskLogs, ...fresh] })
      }
    },
  }
})

whenSignedIn(() => useWorkflows.getState().newWorkflow({ resume: true }))
whenSignedOut(() => useWorkflows.setState({ ...useWorkflows.getInitialState(), direction: useWorkflows.getState().direction }, true))
