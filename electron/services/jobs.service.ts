import { randomUUID } from 'node:crypto'
import { DEFAULT_SCRIPT_TIMEOUT_SECONDS, isTimeoutSeconds, SCRIPT_LANGUAGES, TIMEOUT_SECONDS_RANGE, isJobParentFilter, type Result, type JobListQuery, type JobRef, type JobTasksQuery, type LogPage, type LogQuery, type ResultPage, type ResultPageQuery, type ResultSetInfo, type SubmitScriptJob } from '../../shared/api'
import type { ExportOptions, Exporter, ExportStream, ExportView } from './export/exporter'
import { NATIVE_EXPORT_MAX_BYTES } from './export/format'
import { createResultReader, resultQuery } from './result-query'
import type { SlotRequest } from '../worker-slots'
import { substituteVariables } from './variables/substitute'
import { conflict, invalid, notFound } from '../../shared/errors'
import { DETAIL_TASKS, JOB_KINDS, JOB_WARNING_LABEL, type JobDetail, type JobSummary, type Page, type TaskCode, type TaskView } from '../../shared/model'
import { logFileLine } from '../../shared/log-text'
import { droppedLabelsText, fitJobLabels, JOB_LABEL_LIMITS } from '../../shared/job-labels'
import { isTerminalJob, JOB_STATUSES, TASK_STATUSES } from '../../shared/status'
import type { Engine } from '../engine/engine'
import { newJobName } from '../engine/job-name'
import { cutText } from '../../shared/hidden-chars'
import type { JobRecord, NewTask, TaskRecord } from '../store/job.repository'
import { toJobSummary, toTaskView, type JobHead } from '../store/job.repository'
import { finishedValue } from '../store/finished-values'
import { assertMayReach, assertMayRun, listOwner, runSpec, type Actor } from './access'
import { shownState, type ResultSetMeta } from '../store/result.repository'
import { MAX_PAGE_BYTES } from '../store/result-cells'
import type { JsonPage, PageShape } from '../store/result-query'
import { logPages } from '../store/log.repository'
import type { Store } from '../store'
import { deepFreeze, frozenJson, MAX_VIEW_SIZE } from '../store/finished-views'
import { carriesRaw, RAW_VALUE_BYTES, RawJson } from '../store/raw-json'
import { liveValueView } from '../store/state-json'
import type { WorkflowService } from '../workflows/rillflow/service'
import type { ComponentTaskSpec } from '../graph/workflows/component.executor'
import { componentRunText } from '../../shared/graph-workflows'
import { resultFileBase } from '../../shared/file-names'

const MAX_LOG_PAGE = 5000
/**
 * Result sets listed per turn of the event loop (resultsJson): a job written before the cap of
 * MAX_RESULT_SETS_PER_JOB may have 80,000, whose list held every request 911 ms in one go (#9 §2).
 */
const LIST_SLICE = 200

export type JobsService = ReturnType<typeof createJobsService>

/** The most rows an .xlsx export over the contract holds: it travels whole, base64 in JSON (IPC cannot stream). */
export const XLSX_ROW_LIMIT = 100_000
/** The rows a native CSV export holds unless `limit` says otherwise. */
export const CSV_ROW_LIMIT = 100_000

export const newJobUuid = (): string => randomUUID()

/**
 * Jobs of every kind for every transport. `exporter` formats result sets off the main thread;
 * `workflows` reruns workflow executions (Rill Flow's service): without it they cannot be rerun.
 */
export function createJobsService(store: Store, engine: Engine, exporter: Exporter, workflows?: Pick<WorkflowService, 'rerun'>) {
  const find = (id: number): JobRecord => {
    const job = Number.isInteger(id) ? store.jobs.get(id) : undefined
    if (!job) throw notFound('job', id)
    return job
  }
  /** The job, when the actor may reach it (owner or admin); not found and not-yours are errors. */
  const owned = (id: number, actor: Actor): JobRecord => {
    const job = find(id)
    assertMayReach(actor, job)
    return job
  }
  /**
   * A stored input or result: parsed, or, when it is more than RAW_VALUE_BYTES bytes, as stored JSON
   * (raw-json.ts) that an answer writes as it is, slice by slice (#9 §2): read a slice at a time from
   * the store when `settled` (a finished job's values, and any input, are never rewritten), else whole.
   * `reader`: the user name the answer is for (whose share of the held bytes a finished value counts against).
   */
  const stateValue = (job: JobHead, column: 'input' | 'context' | 'result', reader?: string): unknown => {
    const slices = isTerminalJob(job.status) ? finishedValue(store, job, column, reader)?.slices : store.jobs.stateSlices(job.id, column)
    if (!slices) return null
    if (slices.size > RAW_VALUE_BYTES) return new RawJson(isTerminalJob(job.status) || column === 'input' ? slices : store.jobs.stateBytes(job.id, column)!)
    return JSON.parse(store.jobs.stateText(job.id, column)!) as unknown
  }
  /**
   * A job's stored result; a succeeded Rill Flow execution's is its context without `__<route>`
   * entries, which is not stored twice (JobDriver.resultIsContext): answered from the stored context.
   */
  const resultOf = (job: JobRecord, reader?: string): unknown => {
    if (job.kind !== 'workflow' || job.status !== 'succeeded') return stateValue(job, 'result', reader)
    if (finishedValue(store, job, 'result')) return stateValue(job, 'result', reader) // stored before results were the context
    if (!finishedValue(store, job, 'context')?.routeKeys) return stateValue(job, 'context', reader)
    const context = JSON.parse(store.jobs.stateText(job.id, 'context') ?? '{}') as Record<string, unknown> // an execution stored before #14
    return Object.fromEntries(Object.entries(context).filter(([k]) => !k.startsWith('__')))
  }
  /**
   * A job's detail: eight reads in one transaction (one read lock, not eight). Its tasks: the first
   * DETAIL_TASKS, with how many of all are in each state (taskCounts). Its context is read only
   * as a Rill Flow execution's result. Large task inputs and outputs are stored JSON (RawJson), as the
   * job's own input and result are: a job's tasks may hold megabytes of them (#9 §2). `reader`: the
   * user name the detail is for; `readerIsAdmin`: whether they are an admin (Engine.waitingReason).
   */
  const detailOf = (id: number, reader?: string, readerIsAdmin = false): JobDetail | undefined => {
    return store.transaction(() => {
      const job = store.jobs.getWithoutState(id)
      if (!job) return undefined
      // the first tasks and counts of all: a job of 50,000 tasks read and built whole held the main thread 812-1,157 ms (atk17)
      const tasks = isTerminalJob(job.status) ? store.jobs.tasksWithoutSpec(job.id, 'stored-settled', DETAIL_TASKS) : runningTasks(job.id)
      const taskCounts = store.jobs.taskCountsByStatus(job.id)
      const rerunOf = Number(job.labels.rerunOf)
      return {
        ...toJobSummary(job, Object.values(taskCounts).reduce((sum, n) => sum + n, 0)),
        subflowCount: store.jobs.childCount(job.id),
        // a sub-flow runs as its parent's submitter: whoever may read it may read its parent's name
        parentName: job.parentJobId === null ? null : (store.jobs.head(job.parentJobId)?.name ?? null),
        input: stateValue(job, 'input', reader),
        result: resultOf(job, reader),
        tasks: tasks.map(toTaskView),
        taskCounts,
        rerunOf: Number.isInteger(rerunOf) ? rerunOf : null,
        reruns: store.jobs.rerunsOf(job.id),
        log: store.logs.info(job.id),
        // asked afresh of the scheduler (queued) or of the waiting task's executor (running: a SQL task
        // waiting for memory); a finished job's detail (the one kept, finished-views.ts) says null
        waitingReason: isTerminalJob(job.status) ? null : engine.waitingReason(job.id, reader, readerIsAdmin),
      }
    })
  }
  /**
   * A running job's first DETAIL_TASKS tasks for its detail. Their large inputs and outputs are the engine's live values
   * as liveValueView gives them (serialized once, when the engine saved them), as Rill Flow's get.json
   * answers them: read whole from the store, a detail of 32 MB of task values held the main thread for
   * every request (#9 §2). A store's value is not read in slices here: a running job's task may be
   * rewritten while an answer is written. When the engine does not hold one of them (its job ended in
   * memory and the end is not saved yet), all are read whole from the store, as they were before.
   */
  const runningTasks = (id: number): TaskRecord[] => {
    const tasks = store.jobs.tasksWithoutSpec(id, 'stored-unread', DETAIL_TASKS) // large values not read: only their sizes
    const large = tasks.filter((t) => t.input instanceof RawJson || t.output instanceof RawJson)
    if (large.length === 0) return tasks
    const live = new Map((engine.liveTasks(id, large.map((t) => t.name)) ?? []).map((t) => [t.name, t]))
    if (large.some((t) => !live.has(t.name))) return store.jobs.tasksWithoutSpec(id, 'stored', DETAIL_TASKS)
    return tasks.map((t) => {
      const now = live.get(t.name)
      if (!now) return t
      return { ...t, input: t.input instanceof RawJson ? liveText(now.input) : t.input, output: t.output instanceof RawJson ? liveText(now.output) : t.output }
    })
  }
  /**
   * A live task value as a detail carries it: its JSON text (liveValueView), without the live object
   * itself, which the detail must not hold: get() freezes what it answers, and the engine's values
   * are not to be frozen. A value that has become small since it was stored is copied.
   */
  const liveText = (value: unknown): unknown => {
    const view = liveValueView(value)
    return view instanceof RawJson ? new RawJson(view.json) : structuredClone(view)
  }
  /** The sort and filter of a result table, as an export may be asked for them (see resultQuery). */
  type ViewQuery = { sort?: unknown; order?: unknown; filter?: unknown }
  const ref = (job: JobRecord): JobRef => ({ id: job.id, uuid: job.uuid, status: job.status })
  const resultSet = (id: number, actor: Actor, index: number) => {
    owned(id, actor)
    const set = Number.isInteger(index) ? store.results.get(id, index) : undefined
    if (!set) throw notFound('result set', `${id}/${index}`)
    return set
  }

  const reader = createResultReader(store.db)
  /** The view an export asks for (its sort and filter checked, and how many rows match), or undefined for all rows in stored order. */
  const exportView = async (set: ResultSetMeta, view: ViewQuery, owner: string): Promise<ExportView | undefined> => {
    const query = resultQuery(view, set.columns.length)
    if (query.sort === undefined && !query.filter) return undefined
    // a sort keeps every row: no need to sort the whole set once more only to count them
    if (!query.filter) return { query, matched: set.rowCount }
    const { matched } = await reader.page(set, { filter: query.filter }, 0, 1, undefined, { owner })
    return { query, matched }
  }

  /** What a native export of result set `index` writes: its file name, options (row and byte caps) and view. */
  const exportPlan = async (format: 'csv' | 'xlsx', id: number, actor: Actor, index: number, limit: number | undefined, view: ViewQuery) => {
    const set = resultSet(id, actor, index)
    const shown = await exportView(set, view, actor.username)
    const common = { nullValue: '', maxBytes: NATIVE_EXPORT_MAX_BYTES, columns: set.columns.map((_, i) => i) }
    const options: ExportOptions =
      format === 'csv'
        ? { format, separator: ',', quoteAll: false, keepNewline: true, lineEnd: '\r\n', charset: 'utf-8', textAsLines: false, maxRows: limit ?? CSV_ROW_LIMIT, ...common }
        : { format, sheetName: `Result ${index + 1}`, autoFormat: true, maxRows: Math.min(limit ?? XLSX_ROW_LIMIT, XLSX_ROW_LIMIT), ...common }
    const fileName = `${resultFileBase(id, index + 1)}.${format}`
    return { fileName, set, options, shown }
  }

  const service = {
    owned,

    /**
     * `options.labels` lets a dialect mark the job as its own (Linkis keeps its creator and engine there);
     * `options.acceptedNote` is the dialect's first log line for the new job (Linkis's "Your job is accepted").
     * Throws `invalid` for a bad job, an unknown `${name}` or a bad variable expression (field `code`, with its line).
     */
    submitScript(
      p: SubmitScriptJob,
      actor: Actor,
      options: { labels?: Record<string, string>; input?: Record<string, unknown>; acceptedNote?: (job: JobRecord) => string } = {},
    ): JobRef {
      if (p?.type !== 'script') throw invalid('unsupported_type', 'type must be "script"', 'type')
      if (!SCRIPT_LANGUAGES.includes(p.language)) {
        throw invalid('unsupported_language', `language "${String(p.language)}" is not supported; use one of ${SCRIPT_LANGUAGES.join(', ')}`, 'language')
      }
      assertMayRun(actor, p.language)
      if (typeof p.code !== 'string' || !p.code.trim()) throw invalid('missing_code', 'code must be a non-empty string', 'code')
      const timeout = p.timeoutSeconds
      if (timeout !== undefined && !isTimeoutSeconds(timeout)) throw invalid('bad_timeout', `timeoutSeconds ${TIMEOUT_SECONDS_RANGE}`, 'timeoutSeconds')
      const retries = p.retries ?? 0
      if (!Number.isInteger(retries) || retries < 0 || retries > 10) throw invalid('bad_retries', 'retries must be an integer from 0 to 10', 'retries')
      // a name given is checked (the engine refuses one with a hidden character); one taken from the
      // code's first line drops them, while the code keeps them (shown marked)
      const name = newJobName(p.name, () => firstLine(p.code))
      if (p.variables !== undefined && (typeof p.variables !== 'object' || p.variables === null || Array.isArray(p.variables))) {
        throw invalid('bad_variables', 'variables must be an object of name → value', 'variables')
      }
      if (p.graph !== undefined && (typeof p.graph !== 'string' || !p.graph.trim() || p.graph.length > 64)) throw invalid('bad_graph', 'graph must be the name of a graph', 'graph')
      const graph = p.language === 'cypher' ? (p.graph ?? 'default') : undefined
      const executeUser = options.labels?.executeUser ?? actor.username
      const { code, expressions, warnings } = substituteVariables(p.code, { language: p.language, variables: p.variables, executeUser, submitUser: actor.username })
      const task: NewTask = {
        name: 'main',
        executor: p.language, // one executor per language: shell, python, sql, cypher
        spec: runSpec({ code, language: p.language, ...(graph ? { graph } : {}) }, executeUser, actor),
        timeoutMs: Math.round((timeout ?? DEFAULT_SCRIPT_TIMEOUT_SECONDS) * 1000),
        maxAttempts: retries + 1,
      }
      const input = { language: p.language, code: p.code, ...(p.variables ? { variables: p.variables } : {}), ...(graph ? { graph } : {}), ...options.input }
      // its text given (inputJson): the stored record keeps `input` as it is, instead of parsing back the code written (up to 1 MB, #9 §2)
      const job = engine.submit({ uuid: newJobUuid(), kind: 'script', name, submitter: actor.username, input, inputJson: JSON.stringify(input), labels: options.labels }, [task])
      if (options.acceptedNote) engine.note(job.id, 'INFO', options.acceptedNote(job))
      // as Linkis's entrance logs them: what each variable expression became, and what was ignored
      for (const w of warnings) engine.note(job.id, 'WARN', w)
      for (const e of expressions) engine.note(job.id, 'INFO', `Variable expression [${e.text}] = ${e.value}`)
      return ref(job)
    },

    /**
     * `results` as JSON text in pieces (one set each), for an answer written as it is read: the columns
     * go in as stored, never parsed (a job of 245 sets of 2,000 columns has 11 MB of them, #9 §2). Checks
     * access now; a set deleted meanwhile (a rerun) is left out.
     */
    resultsJson(id: number, actor: Actor): () => AsyncIterable<string> {
      owned(id, actor)
      const finished = isTerminalJob(find(id).status)
      const names = new Map(store.jobs.tasksWithoutSpec(id, 'none').map((t) => [t.id, t.name]))
      const heads = store.results.heads(id)
      return async function* () {
        let first = true
        let n = 0
        yield '['
        for (const r of heads) {
          // a turn of the event loop every LIST_SLICE sets: each reads its columns from the store
          if (++n % LIST_SLICE === 0) await new Promise((resolve) => setImmediate(resolve))
          const columns = store.results.columnsJson(r.id)
          if (columns === undefined) continue
          const head = JSON.stringify({ index: r.index, kind: r.kind })
          const tail = JSON.stringify({ rowCount: r.rowCount, task: r.taskId == null ? null : (names.get(r.taskId) ?? null), state: shownState(r, finished) })
          // the keys in ResultSetInfo's order, as `results` gives them
          yield `${first ? '' : ','}${head.slice(0, -1)},"columns":${columns},${tail.slice(1)}`
          first = false
        }
        yield ']'
      }
    },

    results(id: number, actor: Actor): ResultSetInfo[] {
      owned(id, actor)
      const finished = isTerminalJob(find(id).status)
      const names = new Map(store.jobs.tasksWithoutSpec(id, 'none').map((t) => [t.id, t.name]))
      return store.results.list(id).map((r) => ({
        index: r.index,
        kind: r.kind,
        columns: r.columns,
        rowCount: r.rowCount,
        task: r.taskId == null ? null : (names.get(r.taskId) ?? null),
        state: shownState(r, finished),
      }))
    },

    /**
     * A page of a result set; with `sort` or `filter` (ResultPageQuery) of the whole set sorted and
     * filtered, read off the main thread when it is big (fairly between users; `signal`, the client hung up,
     * stops it: result-query.ts). At most MAX_PAGE_BYTES of rows (`shortPage`). Throws `invalid` naming a bad sort, order or filter.
     */
    async resultPage(q: ResultPageQuery, actor: Actor, signal?: AbortSignal): Promise<ResultPage> {
      const { id, index, offset = 0 } = q
      const limit = Math.min(q.limit ?? 100, MAX_LOG_PAGE)
      const set = resultSet(id, actor, index)
      const query = resultQuery(q, set.columns.length)
      const state = shownState(set, isTerminalJob(find(id).status))
      const read = await reader.page(set, query, offset, limit, undefined, { owner: actor.username, signal })
      const sorted = query.sort !== undefined || query.filter !== undefined
      // the rows' JSON is spliced into the answer as it is (RawJson; IPC parses it): never parsed and serialized again here
      const rows = new RawJson(read.json) as unknown as unknown[][]
      const page = { index, columns: set.columns, rows, total: read.matched, offset, state, pageByteCap: MAX_PAGE_BYTES, shortPage: read.short }
      return sorted ? { ...page, rowNumbers: read.rowNumbers } : page
    },

    /**
     * A result set as RFC 4180 CSV text (CRLF, NULL as empty), formatted off the main thread; capped at
     * `limit` rows and NATIVE_EXPORT_MAX_BYTES bytes (`truncated` says a cap cut it, `rows` how many it holds).
     * With a sort or filter in `view` (as resultPage takes them), the rows a result table shows, in its
     * order. Throws `invalid` naming a bad sort, order or filter. For IPC, which carries the whole text;
     * HTTP streams the same answer (exportFile).
     */
    async exportResult(id: number, actor: Actor, index: number, limit?: number, view: ViewQuery = {}): Promise<Result<'jobs.exportResult'>> {
      const { fileName, set, options, shown } = await exportPlan('csv', id, actor, index, limit, view)
      const file = await exporter.collect(set, options, shown)
      return { fileName, rowCap: file.rowCap, byteCap: file.byteCap, csv: file.data.toString('utf8'), rows: file.rows, truncated: file.truncated }
    },

    /** A result set as an .xlsx workbook (numbers as numbers, NULL as empty), written off the main thread; capped as exportResult (`limit` at most XLSX_ROW_LIMIT); `view` as for exportResult. */
    async exportXlsx(id: number, actor: Actor, index: number, limit?: number, view: ViewQuery = {}): Promise<Result<'jobs.exportXlsx'>> {
      const { fileName, set, options, shown } = await exportPlan('xlsx', id, actor, index, limit, view)
      const file = await exporter.collect(set, options, shown)
      return { fileName, rowCap: file.rowCap, byteCap: file.byteCap, base64: file.data.toString('base64'), rows: file.rows, truncated: file.truncated }
    },

    /**
     * exportResult's or exportXlsx's file, started and streaming (services/export: written in a worker
     * thread, handed over in chunks), for a transport that streams the answer. With `jsonText` (a CSV),
     * its bytes are the file's text escaped as the inside of a JSON string (exporter.ts). Throws as they
     * do, and AppError `unavailable` when too many exports are running. `signal` (the client hung up)
     * takes an export still waiting for a slot out of the queue (it rejects with the signal's reason).
     */
    async exportFile(format: 'csv' | 'xlsx', id: number, actor: Actor, index: number, limit?: number, view: ViewQuery = {}, jsonText = false, signal?: AbortSignal): Promise<{ fileName: string; file: ExportStream }> {
      const { fileName, set, options, shown } = await exportPlan(format, id, actor, index, limit, view)
      return { fileName, file: await exporter.export(set, options, [], shown, jsonText, actor.username, signal) }
    },

    /**
     * Rows [offset, offset + limit) of `set` in stored order as JSON text (JsonPage: at most
     * MAX_PAGE_BYTES of rows, `short` when that ended it), each row's cells as `shape` writes them;
     * formatted off the main thread when the page has many cells (`by`: whose read, and its hang-up signal).
     * For a dialect's own page format (Linkis openFile); the caller has checked access to the set.
     */
    resultPageJson(set: ResultSetMeta, offset: number, limit: number, shape: PageShape | undefined, by: SlotRequest): Promise<JsonPage> {
      return reader.page(set, {}, offset, limit, shape, by)
    },

    /** Streams a result set as a file (the Linkis download) for `user` (named in the log if its reader stalls); `signal` as for exportFile: see services/export. */
    exportStream(set: ResultSetMeta, options: ExportOptions, notes: string[] = [], user?: string, signal?: AbortSignal): Promise<ExportStream> {
      return exporter.export(set, options, notes, undefined, false, user, signal)
    },

    /**
     * Jobs, newest first; a non-admin sees only their own (submitted by them or run as them). A queued
     * job carries its waitingReason (null when none is known), a running one only while its work waits (a SQL
     * task waiting for memory); each its subflowCount. Throws invalid (field status, type or parent)
     * for a filter that is none of its values.
     */
    list(q: JobListQuery, actor: Actor): { items: JobSummary[]; total: number } {
      if (q.status !== undefined && !JOB_STATUSES.includes(q.status)) {
        throw invalid('bad_status', `status must be one of ${JOB_STATUSES.join(', ')}`, 'status')
      }
      if (q.type !== undefined && !JOB_KINDS.includes(q.type)) throw invalid('bad_type', `type must be one of ${JOB_KINDS.join(', ')}`, 'type')
      if (!isJobParentFilter(q.parent)) throw invalid('bad_parent', 'parent must be none, all or a job id (a positive integer)', 'parent')
      const limit = Math.min(Math.max(q.limit ?? 50, 1), 500)
      const page = store.jobs.list({ ...q, limit, offset: Math.max(q.offset ?? 0, 0) }, listOwner(actor))
      const asked = page.items.filter((j) => j.status === 'queued' || j.status === 'running').map((j) => j.id)
      if (asked.length === 0) return page
      // the page's waiting jobs say why (the list's badge title): one walk of each submitter's queue, a map lookup per running job
      const reasons = engine.waitingReasons(asked, actor.username, actor.isAdmin)
      const withReason = (j: JobSummary): JobSummary => {
        if (j.status === 'queued') return { ...j, waitingReason: reasons.get(j.id) ?? null }
        const why = reasons.get(j.id)
        return why === undefined ? j : { ...j, waitingReason: why }
      }
      return { ...page, items: page.items.map(withReason) }
    },

    /**
     * The job's detail when the actor may reach it. A finished job's is kept in memory until its job
     * is written again (store/finished-views.ts; a status poll then reads nothing, #14.2): the returned
     * detail is shared, frozen, and must not be changed.
     */
    get(id: number, actor: Actor): JobDetail {
      const view = store.finishedViews.get(`jobs.get:${id}`, () => {
        const fresh = Number.isInteger(id) ? detailOf(id, actor.username, actor.isAdmin) : undefined
        if (!fresh) return undefined
        const detail = deepFreeze(fresh) // read fresh here; its JSON is kept with it (frozenJson)
        // a detail carrying stored JSON (a large input or result) is streamed, not kept (raw-json.ts)
        const size = carriesRaw(detail) ? MAX_VIEW_SIZE + 1 : frozenJson(detail)!.length
        return deepFreeze({ job: { id: detail.id, status: detail.status, submitter: detail.submitter, labels: detail.labels }, detail, size })
      })
      if (!view) throw notFound('job', id)
      assertMayReach(actor, view.job)
      return view.detail
    },

    /**
     * A page of a job's tasks (JobTasksQuery): `limit` (1 to DETAIL_TASKS, 100 unless given) after the
     * first `offset` (0 unless given), in the order they were made, of one `status` or of all, with
     * `total`, how many there are (of that state). Read in one transaction with the count, first: a page
     * at or past it is empty at once; else one index range scan (store taskPage): a page of a job of
     * 120,000 tasks, at any offset, reads its page's rows, not the job's (#9 §2).
     * Large inputs and outputs are stored JSON (RawJson), as in the detail.
     * @throws AppError not found (no such job), forbidden (neither the owner nor an admin), invalid (a bad offset, limit or status)
     */
    tasks(q: JobTasksQuery, actor: Actor): Page<TaskView> {
      const { offset = 0, limit = 100, status } = q
      if (!Number.isInteger(offset) || offset < 0) throw invalid('invalid_offset', 'offset must be a whole number, 0 or more', 'offset')
      if (!Number.isInteger(limit) || limit < 1 || limit > DETAIL_TASKS) throw invalid('invalid_limit', `limit must be a whole number from 1 to ${DETAIL_TASKS}`, 'limit')
      if (status !== undefined && !TASK_STATUSES.includes(status)) throw invalid('invalid_status', `status must be one of ${TASK_STATUSES.join(', ')}`, 'status')
      return store.transaction(() => {
        const job = Number.isInteger(q.id) ? store.jobs.getWithoutState(q.id) : undefined
        if (!job) throw notFound('job', q.id)
        assertMayReach(actor, job)
        const counts = store.jobs.taskCountsByStatus(job.id)
        const total = status ? (counts[status] ?? 0) : Object.values(counts).reduce((sum, n) => sum + n, 0)
        if (offset >= total) return { items: [], total } // the count is read first: a page past the last reads nothing
        const page = store.jobs.taskPage(job.id, { offset, limit, status: status ?? null, total }, isTerminalJob(job.status) ? 'stored-settled' : 'stored')
        return { items: page.map(toTaskView), total }
      })
    },

    /** A page of a job's log (see LogQuery) with the count of lines matching its filters. */
    logs(q: LogQuery, actor: Actor): LogPage {
      owned(q.id, actor)
      const { from = 0, before, size = 1000 } = q
      if (!Number.isInteger(from) || from < 0) throw invalid('bad_from', 'from must be a non-negative integer', 'from')
      if (before !== undefined && (!Number.isInteger(before) || before < 0)) throw invalid('bad_before', 'before must be a non-negative integer', 'before')
      if (!Number.isInteger(size) || size < 1) throw invalid('bad_size', 'size must be a positive integer', 'size')
      const task = q.task || undefined
      const text = q.text || undefined
      const page = store.logs.page(q.id, { from, before, tail: q.tail === true, size: Math.min(size, MAX_LOG_PAGE), task, text })
      return { ...page, total: store.logs.count(q.id, task, text) }
    },

    /**
     * The whole stored log as text (a cut log has at most its head, the note and its tail) in pieces,
     * a page of lines each, read as they are asked for (the native route streams them into its answer:
     * http/native/streamed.ts). Each line is written by logFileLine: one stored line is one line of the
     * file, control characters and line breaks inside it escaped (`\x1b`, `\n`). Access is checked here, before any line is read: `notFound`/`forbidden`.
     * `lines()` counts the lines the pieces held so far.
     */
    logTextPieces(id: number, actor: Actor, task?: string): { fileName: string; pieces: () => AsyncIterable<string>; lines: () => number } {
      owned(id, actor)
      let lines = 0
      async function* pieces(): AsyncGenerator<string> {
        for await (const page of logPages(store.logs, id, { task: task || undefined })) {
          let text = ''
          for (const l of page) text += logFileLine(l)
          lines += page.length
          yield text
        }
      }
      const suffix = task ? `-${task.replace(/[^\w.-]+/g, '_')}` : ''
      return { fileName: `job-${id}${suffix}.log`, pieces, lines: () => lines }
    },

    /** The whole stored log as text in one value (for IPC; HTTP streams logTextPieces). */
    async logText(id: number, actor: Actor, task?: string): Promise<{ fileName: string; text: string; lines: number }> {
      const log = service.logTextPieces(id, actor, task)
      let text = ''
      for await (const piece of log.pieces()) text += piece
      return { fileName: log.fileName, text, lines: log.lines() }
    },

    cancel(id: number, actor: Actor): JobSummary {
      owned(id, actor)
      return engine.cancel(id)
    },

    /**
     * Deletes a finished job of the actor's (or any, for an admin) with its tasks, log and result
     * sets. Throws `conflict` (job_unfinished) while it is queued or running: cancel it first, as
     * n8n and Airflow do not delete a run that is still going.
     */
    delete(id: number, actor: Actor): { id: number; deleted: true } {
      const job = owned(id, actor)
      if (!isTerminalJob(job.status) || engine.isActive(id)) throw conflict('job_unfinished', `job ${id} is ${job.status}; cancel it before deleting it`)
      store.jobs.delete(id)
      return { id, deleted: true }
    },

    /**
     * What a job's tasks run (TaskCode), as their specs hold it, which `rerun` copies unchanged: a
     * script's code after variable substitution; a graph workflow's components, each its query or
     * algorithm with the run's values (componentRunText). Throws not_found for a job the actor may
     * not reach (owner or admin), and invalid `not_a_script` for other kinds (a Rill Flow execution
     * of many tasks is not read whole).
     */
    code(id: number, actor: Actor): TaskCode[] {
      const job = owned(id, actor)
      if (job.kind !== 'script' && job.kind !== 'dag') throw invalid('not_a_script', `job ${id} is a ${job.kind} job; only the code of a script or a graph workflow job is given`, 'id')
      return store.jobs.tasks(id).flatMap((t) => {
        if (typeof t.spec.code === 'string') return [{ task: t.name, executor: t.executor, code: t.spec.code }]
        const spec = t.spec as Partial<ComponentTaskSpec>
        return spec.component ? [{ task: t.name, executor: t.executor, code: componentRunText(spec.component, spec.input, Object.keys(spec.wires ?? {})) }] : []
      })
    },

    /**
     * Runs a job again as a new job submitted by `actor`; the old one stays as it was, and the new
     * one's `rerunOf` label links the two. A workflow execution starts afresh as a new execution
     * (its own execution id; the same descriptor version and context). Other jobs run the same
     * tasks as the actor: a script's user, whose SQL scratch database it uses, is the actor, not the
     * original submitter or the Linkis user it ran as. A job stored before the labels' bounds is rerun
     * with those of its labels that fit (fitJobLabels, as lists show them), and the new job's log says
     * which were left out (a Linkis client's label.* after JobDesk's own, each whole or not at all).
     */
    rerun(id: number, actor: Actor): JobRef {
      const old = find(id)
      if (old.kind === 'workflow') {
        if (!workflows) throw invalid('not_supported', `job ${id} is a workflow execution; this service cannot rerun those`, 'id')
        return ref(workflows.rerun(old, actor).job)
      }
      const tasks: NewTask[] = store.jobs.tasks(id).map((t) => ({
        name: t.name,
        executor: t.executor,
        dependsOn: t.dependsOn,
        spec: typeof t.spec.user === 'string' ? runSpec(t.spec, actor.username, actor) : t.spec,
        maxAttempts: t.maxAttempts,
        timeoutMs: t.timeoutMs,
        backoffMs: t.backoffMs,
        input: t.input,
      }))
      const { executeUser: _asUser, [JOB_WARNING_LABEL]: _warning, ...labels } = old.labels // the warning was the old run's
      // a job stored before the labels' bounds (atk29) is rerun with those of them that fit, as its list shows them, not refused
      const rerunOf = String(old.id)
      const room = { ...JOB_LABEL_LIMITS, count: JOB_LABEL_LIMITS.count - 1, bytes: JOB_LABEL_LIMITS.bytes - Buffer.byteLength(`rerunOf${rerunOf}`) }
      const fitted = fitJobLabels(labels, room)
      const job = { uuid: newJobUuid(), kind: old.kind, name: newJobName(undefined, () => old.name), submitter: actor.username, input: old.input, labels: { ...fitted.labels, rerunOf } }
      const made = engine.submit(job, tasks)
      if (fitted.dropped.length) engine.note(made.id, 'WARN', `rerun of job ${old.id}: ${droppedLabelsText(fitted.dropped)}`)
      return ref(made)
    },
  }
  return service
}

/** A line that is only a comment: SQL's `--`, shell's and Python's `#` (a `#!` too), Cypher's `//`, a one-line `/* … *\/`. */
const COMMENT_LINE = /^(--|#|\/\/|\/\*.*\*\/$)/

/**
 * An unnamed script job's name: the code's first line that is not only a comment (the first line
 * when all are), cut to 80 characters. The Scripts page's starter code opens with a comment, so
 * naming from the first line named every run alike ("-- Each SELECT b…", trial10).
 */
function firstLine(code: string): string {
  const lines = code.split('\n').map((l) => l.trim()).filter(Boolean)
  const line = lines.find((l) => !COMMENT_LINE.test(l)) ?? lines[0] ?? ''
  return line.length > 80 ? `${cutText(line, 77)}...` : line
}
