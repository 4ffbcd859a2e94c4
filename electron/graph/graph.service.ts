// The graph service: what dialects (TuGraph, GES, Explorer) and the GUI call for graphs, schemas,
// uploaded files, imports and reads. It knows no envelopes: every error is an AppError whose `code`
// is one of GRAPH_ERROR_CODES (errors.ts) and whose message is TuGraph's text where TuGraph has one.
// All graph data is read and written in worker threads (GraphHost); this runs on the main thread.
import { randomUUID } from 'node:crypto'
import { mayReach } from '../../shared/access-rule'
import { isAppError } from '../../shared/errors'
import type { EdgeView, GraphInfo, GraphSummary, ImportReport, ImportRequest, ImportStatus, LabelDef, VertexView } from '../../shared/graph'
import { IMPORT_FORMATS, MAX_IMPORT_HEADER_LINES, type FilePreview, type ImportCheck, type ImportCheckRequest, type ImportProblem, type PreviewRequest } from '../../shared/graph-api'
import type { Engine } from '../engine/engine'
import { newJobName } from '../engine/job-name'
import { cutText } from '../../shared/hidden-chars'
import type { Store } from '../store'
import type { JobRecord } from '../store/job.repository'
import { graphError } from './errors'
import { assertGraphWriteRoom } from './graph-room'
import { createGraphRights, cypherFor } from './graph-rights'
import { IMPORT_EXECUTOR, IMPORT_TASK, type ImportJobRequest, type ImportTaskSpec } from './import/import.executor'
import { requireImportFileCount, resolveImportFiles } from './import/import-files'
import { parseFileMappings } from './import/mapping'
import { importEncoding, IMPORT_ENCODINGS } from './import/text-encoding'
import { PACKAGE_BYTES } from './import/packages'
import { gesImportProgress, type GesImportOutput } from './ges/ges-report'
import { importReadFraction } from './import/report'
import { checkGraphName } from './store/names'
import { resolveUploadPath, uploadNameParts } from './upload-paths'
import type { GraphHost, RequestCaller } from './worker/graph-host'
import type { CypherAnswer, CypherQuery } from './worker/protocol'
import type { QueryWorkerCounts } from './worker/query-pool'
import { SAMPLE_BYTES } from './inspect/import-sample'

/**
 * Who asks: the service checks admin rights and ownership, nothing else about users. `actsAs`: the
 * names a session may act as (a Linkis proxy user), which own-or-admin counts as the caller's own.
 */
export interface GraphActor {
  username: string
  isAdmin: boolean
  actsAs?: readonly string[]
}

export interface GraphServiceDeps {
  dataDir: string
  host: GraphHost
  engine: Engine
  store: Store
}

export interface StartImportOptions {
  /** Resume (or name) the task: an existing import's id takes it up again after its last committed package. */
  taskId?: string
  /**
   * Check the files against the graph only when the task runs, so such errors end the task as failed
   * with TuGraph's reason (TuGraph's import_data answers with a task id first). Default: check now.
   */
  deferChecks?: boolean
  /**
   * The request's field of `files[i].path` as the caller's protocol names it (TuGraph's import_data:
   * `schema.files[i].path`), for path errors. Default `files[i].path`.
   */
  pathField?: (index: number) => string
  /** The request's field of `files` as the caller's protocol names it (`schema.files`), for mapping errors (`schema.files[0].header`). Default `files`. */
  filesField?: string
}

const MAX_TASK_ID = 128
export { QUERY_TIMEOUT_DEFAULT_S, QUERY_TIMEOUT_MAX_S } from './graph-rights'

/** Header lines a preview may skip, and data rows it may return. */
const MAX_PREVIEW_HEADER = MAX_IMPORT_HEADER_LINES
const MAX_PREVIEW_ROWS = 200
/** The codes a schema description's parse throws (store/schema.ts): an import check reports them as problems of its `schema`. */
const SCHEMA_PROBLEMS: ReadonlySet<string> = new Set(['invalid_schema', 'invalid_name'])

export type GraphService = ReturnType<typeof createGraphService>

export function createGraphService(deps: GraphServiceDeps) {
  const { host, engine, store, dataDir } = deps
  const rights = createGraphRights(host)
  /** TuGraph's text names what was refused: "Non-admin cannot create graphs." */
  const requireAdmin = (actor: GraphActor, verb: 'create' | 'delete') => {
    if (!actor.isAdmin) throw graphError('not_admin', `Non-admin cannot ${verb} graphs.`)
  }
  const unknownImport = () => graphError('import_not_found', 'Not a valid task id')
  const importJob = (taskId: unknown): JobRecord => {
    const job = typeof taskId === 'string' ? store.jobs.getByUuid(taskId) : undefined
    if (!job || job.kind !== 'import') throw unknownImport()
    return job
  }
  /** Owner or admin; another user's import answers as an unknown task id, so none can be probed (#9 §3). */
  const requireOwner = (job: JobRecord, actor: GraphActor) => {
    if (!mayReach(actor, job)) throw unknownImport()
  }

  /**
   * An import job, its task's output and its live figures as of this moment (ImportMoment), read in one
   * turn: the job and its task from the engine while the job is live there, else both from the store,
   * which saves them in one transaction. Never the engine's job beside the store's task: as the task
   * settles they disagree (the job failed, its output not yet saved), and the engine's job is a live
   * record that changes under a caller that awaits. Throws import_not_found when the job is gone (deleted
   * while a caller awaited).
   */
  const importMoment = (jobId: number, taskId: string): ImportMoment => {
    const tasks = engine.liveTasks(jobId, [IMPORT_TASK])
    const rec = tasks ? engine.job(jobId) : store.jobs.get(jobId)
    if (!rec) throw unknownImport()
    // its output only: a status poll reads no import request
    const task = tasks ? tasks[0] : store.jobs.tasksWithoutSpec(jobId)[0]
    const job = { id: rec.id, submitter: rec.submitter, labels: { ...rec.labels }, status: rec.status, progress: rec.progress, error: rec.error }
    const live = host.liveImport(taskId)
    // a GES import-graph job keeps its GES files' report beside the import's own (GesImportOutput)
    const output = task?.output as ImportReport | GesImportOutput | null | undefined
    const ges = output && 'ges' in output ? output.ges : null
    const report = live?.report ?? (output && 'ges' in output ? (output.report ?? null) : output || null)
    // an ended GES import's bytes are its GES files' (every one, a failed one too), not only those of the parts it split them into
    const gesBytes = !live && output && 'ges' in output ? output.bytes : undefined
    const figures = live ? { phase: live.phase, file: live.file, bytesDone: live.bytesDone, bytesTotal: live.bytesTotal, imported: live.imported, failed: live.failed, rowsPerSecond: live.rowsPerSecond } : null
    return { job, report, ges, gesBytes, live: figures }
  }

  // Cypher statements running per user (the Graph page's, the native and TuGraph APIs'): not engine jobs,
  // so Engine.failWhere does not stop them when their user is disabled; an admin's disable does here
  // (#9: a disabled user's statement of up to 600 s ran on, a write as well as a read)
  const statements = new Map<string, Set<AbortController>>()
  store.users.onChange((id) => {
    const user = store.users.get(id)
    if (!user?.disabled) return
    const reason = graphError('query_cancelled', `Query cancelled: the account ${user.username} was disabled.`)
    for (const stop of statements.get(user.username) ?? []) stop.abort(reason)
  })

  /**
   * Throws bad_header (field `files[i].encoding`, `line` the header line) for the first file whose
   * header line is not valid in the encoding it would be read in: Check's refusal (import-sample.ts),
   * made at every submit too, whatever continueOnError says (the header is no data line a run could
   * skip; such an import ends with nothing imported into garbled column names). Files that do not
   * resolve are left to the other checks, deferred or not.
   */
  const refuseGarbledHeaders = async (request: ImportJobRequest, actor: GraphActor): Promise<void> => {
    const files: { mapping: ImportJobRequest['files'][number]; file: string }[] = []
    const at: number[] = [] // each file's mapping in request.files (a folder stands for many files)
    for (const [i, mapping] of request.files.entries()) {
      if (!mapping.header) continue
      let resolved: typeof files
      try {
        resolved = resolveImportFiles(dataDir, actor.username, [mapping], { mustExist: true })
      } catch (e) {
        if (isAppError(e)) continue
        throw e
      }
      for (const f of resolved) {
        files.push(f)
        at.push(i)
      }
    }
    if (files.length === 0) return
    const bad = await host.request('import.headers', { files, delimiter: request.delimiter }, { user: actor.username })
    if (bad) throw graphError('bad_header', bad.message, { field: `files[${at[bad.index]}].${bad.field}`, line: files[bad.index].mapping.header })
  }

  return {
    /** The data folder: uploads live in `<dataDir>/upload_files/<user>/` (upload-files.ts). */
    dataDir,

    /** Who may change which graph (graph-rights.ts): owner or admin. */
    rights,

    /** Every graph with its labels named and counted (no definitions) and vertex/edge totals; `caller` as for GraphHost.request (a fair share, a hang-up). */
    listGraphs: (caller: RequestCaller): Promise<GraphSummary[]> => host.request('graphs.list', {}, caller),

    /** One graph with its label definitions. Throws graph_not_found ("Graph [x] does not exist."); `caller` as for listGraphs. */
    getGraph: (graph: string, caller: RequestCaller): Promise<GraphInfo> => host.request('graphs.get', { graph }, caller),

    /** One graph as the list shows it (no definitions): to learn it exists, its owner or counts. Throws graph_not_found. */
    graphSummary: (graph: string, caller: RequestCaller): Promise<GraphSummary> => host.request('graphs.summary', { graph }, caller),

    /**
     * Admins only; the creator owns the graph (graph-rights.ts), or `options.owner`: an admin makes
     * a graph for a user, who may then change and import into it. Throws invalid_name (TuGraph's
     * name rules), graph_exists, user_not_found (an unknown owner).
     */
    async createGraph(graph: string, actor: GraphActor, options: { description?: string; maxSizeGb?: number; owner?: string } = {}): Promise<GraphInfo> {
      requireAdmin(actor, 'create')
      checkGraphName(graph)
      const { owner = actor.username, ...rest } = options // an undefined owner (from the API) is the creator
      if (owner !== actor.username && !deps.store.users.findByUsername(owner)) throw graphError('invalid_request', `no user named ${JSON.stringify(owner)} to own graph ${graph}`, { field: 'owner' })
      return host.request('graphs.create', { graph, ...rest, owner }, { user: actor.username })
    },

    /** Its owner or an admin (not_graph_owner); refused (graph_busy) while an import into the graph is queued or running. */
    async dropGraph(graph: string, actor: GraphActor): Promise<void> {
      checkGraphName(graph)
      await rights.requireWriter(graph, actor)
      await host.request('graphs.drop', { graph }, { user: actor.username }) // graph_busy: GraphHost.request refuses it
    },

    /**
     * TuGraph's import_schema (reference/tugraph.md §1.7): `description` is `{"schema": [...]}` (an
     * object or its JSON text). Labels that exist identically are skipped; one that exists
     * differently fails the whole call with "... not comparable in two schema"; the rest are
     * created in one transaction. Throws invalid_schema, invalid_name, schema_not_comparable, graph_not_found,
     * not_graph_owner (only its owner or an admin changes a graph's schema; the app itself: SYSTEM_ACTOR),
     * graph_busy while an import into the graph is queued or running (GraphHost.request refuses it).
     */
    async importSchema(graph: string, description: unknown, actor: GraphActor): Promise<{ created: string[]; skipped: string[] }> {
      await rights.requireWriter(graph, actor)
      return host.request('schema.import', { graph, description }, { user: actor.username }) // parsed in the worker
    },

    /** A client's file name as a path in the user's upload folder (path_invalid, path_escapes, file_not_found). */
    uploadPath: (user: string, name: unknown, options: { mustExist?: boolean } = {}): string => resolveUploadPath(dataDir, user, name, options),

    /**
     * Starts an import as a job of kind `import` (or takes up an earlier one: options.taskId). The
     * files are checked now (shape, paths, labels, columns, constraints) unless `deferChecks`.
     * A file whose header line is not valid in its encoding is refused (bad_header), deferred or not.
     * Returns the task id (the job's uuid) and the job id. Throws invalid_mapping, invalid_request, bad_header,
     * path_*, file_not_found, graph_not_found, label_not_found, constraint_violation, import_not_found
     * (an unknown task id, or another user's), disk_nearly_full (503) when the disk is down to its reserve (graph-room.ts).
     */
    async startImport(req: ImportRequest, actor: GraphActor, options: StartImportOptions = {}): Promise<{ taskId: string; jobId: number }> {
      const request = checkRequest(req, actor, options.filesField)
      requireImportFileCount(dataDir, actor.username, request.files, { field: options.pathField }) // once, before any folder's files are resolved here or by refuseGarbledHeaders
      await rights.requireWriter(request.graph, actor)
      assertGraphWriteRoom(dataDir) // for a resumed task too: a new one meets the reserve again at its submit (app.ts admit), engine.redo does not

      const field = options.pathField
      if (!options.deferChecks) {
        const files = resolveImportFiles(dataDir, actor.username, request.files, { mustExist: true, field })
        await host.request('import.check', { graph: request.graph, files }, { user: actor.username })
      } else {
        // the paths themselves are refused now, by the one path check check_file, the native import and
        // GES use (a task of each failed later); a missing file still fails the task, as TuGraph's does
        resolveImportFiles(dataDir, actor.username, request.files, { field })
      }
      await refuseGarbledHeaders(request, actor)
      const taskId = options.taskId ?? randomUUID()
      if (typeof taskId !== 'string' || taskId === '' || taskId.length > MAX_TASK_ID) {
        throw graphError('invalid_request', `taskId must be a string of 1 to ${MAX_TASK_ID} characters`, { field: 'taskId' })
      }
      const existing = store.jobs.getByUuid(taskId)
      if (existing) {
        if (existing.kind !== 'import') throw graphError('invalid_request', `task id ${taskId} names a job that is not an import`, { field: 'taskId' })
        requireOwner(existing, actor)
        if (engine.isActive(existing.id)) throw graphError('graph_busy', `import ${taskId} is still ${existing.status}`)
        if (existing.labels.graph !== request.graph) throw graphError('invalid_request', `import ${taskId} went into graph ${existing.labels.graph}, not ${request.graph}`, { field: 'graph' })
        engine.redo(existing.id, [IMPORT_TASK], (ctl) => {
          ctl.job.context = { importRequest: request }
          ctl.contextChanged()
          ctl.log('INFO', `resumed by task id: ${request.files.length} files, continueOnError ${request.continueOnError}, skipPackages ${request.skipPackages}`)
        })
        return { taskId, jobId: existing.id }
      }
      const spec: ImportTaskSpec = { request }
      const names = request.files.map((f) => f.path).join(', ')
      const job = engine.submit(
        { uuid: taskId, kind: 'import', name: newJobName(undefined, () => cutText(`import into ${request.graph}: ${names}`, 200)), submitter: actor.username, input: req, labels: { graph: request.graph } },
        [{ name: IMPORT_TASK, executor: IMPORT_EXECUTOR, spec: spec as unknown as Record<string, unknown>, maxAttempts: 1 }],
      )
      return { taskId, jobId: job.id }
    },

    /**
     * The first rows of one of the user's files as an import would parse them, with a type suggested
     * per column (inspect/file-preview.ts), read in a worker (`signal`: the caller hung up, it is
     * withdrawn). Throws invalid_request, path_*, file_not_found, requests_queued.
     */
    async previewFile(user: string, req: PreviewRequest, signal?: AbortSignal): Promise<FilePreview> {
      if (!IMPORT_FORMATS.includes(req.format)) throw graphError('invalid_request', `format must be one of ${IMPORT_FORMATS.join(', ')}`, { field: 'format' })
      if (req.delimiter !== undefined) checkDelimiter(req.delimiter)
      const header = req.header
      if (header !== undefined && (!Number.isInteger(header) || header < 0 || header > MAX_PREVIEW_HEADER)) throw graphError('invalid_request', `header must be an integer from 0 to ${MAX_PREVIEW_HEADER}`, { field: 'header' })
      // none asked for: the worker guesses one when the head is not UTF-8 (file-preview.ts)
      const encoding = req.encoding === undefined ? undefined : importEncoding(req.encoding)
      if (encoding === null) throw graphError('invalid_request', `encoding must be one of ${IMPORT_ENCODINGS.join(', ')}`, { field: 'encoding' })
      const rows = req.rows ?? 20
      if (!Number.isInteger(rows) || rows < 1 || rows > MAX_PREVIEW_ROWS) throw graphError('invalid_request', `rows must be an integer from 1 to ${MAX_PREVIEW_ROWS}`, { field: 'rows' })
      const file = resolveUploadPath(dataDir, user, req.path, { mustExist: true, mustBeFile: true }) // a folder: 400 as upload says it, not the worker's 404
      const path = uploadNameParts(req.path).join('/')
      return host.request('files.preview', { file, input: { path, format: req.format, delimiter: req.delimiter, header, rows, encoding } }, { user, signal })
    },

    /**
     * What startImport would meet, without starting anything: the request's fields, the labels it
     * would create (`schema`), every file's mapping against the schema, and each file's first lines
     * parsed (inspect/import-sample.ts), and whether `actor` may import into the graph at all (its
     * owner or an admin: not_graph_owner, told with the request's own problems (fields, schema) and
     * before any file is resolved or read: a user who may not import costs the file lane nothing). Problems are listed, not thrown; an unknown or invalid graph
     * name throws (graph_not_found, invalid_name), a user with too many checks waiting requests_queued.
     * `signal` (the caller hung up) withdraws the sample, or stops it between files.
     */
    async checkImport(req: ImportCheckRequest, actor: GraphActor, signal?: AbortSignal): Promise<ImportCheck> {
      checkGraphName(req.graph)
      const problems: ImportProblem[] = []
      const asProblem = (e: unknown, where: Partial<ImportProblem> = {}): void => {
        if (!isAppError(e)) throw e
        problems.push({ severity: 'error', code: e.code, message: e.message, ...where, ...(e.field ? { field: e.field } : {}) }) // the error's own field is the more precise
      }
      let request: ImportJobRequest
      try {
        request = checkRequest({ graph: req.graph, files: req.files, delimiter: req.delimiter, continueOnError: req.continueOnError }, actor)
      } catch (e) {
        asProblem(e)
        await host.request('graphs.summary', { graph: req.graph }, { user: actor.username, signal }) // an unknown graph is the caller's error, not a problem
        return { ok: false, problems, files: [] }
      }
      // told here, not first at Start: a user who may only read the graph would map every file in vain (trial10)
      const refusal = await rights.writeRefusal(request.graph, actor)
      if (refusal) problems.push({ severity: 'error', code: 'not_graph_owner', message: refusal })
      let labels: LabelDef[] = []
      /** Labels whose definition was refused, by name: their files' problem, and not sampled (see below). */
      const refusedLabels = new Set<string>()
      if (req.schema !== undefined) {
        try {
          // parsed in a graph worker: up to 4 MiB of names to check (atk16); label by label, so one
          // refused new label leaves the others known (else each of their files read "not found in schema", tfui L2)
          const parsed = await host.request('schema.parse', { description: Array.isArray(req.schema) ? { schema: req.schema } : req.schema }, { user: actor.username, signal })
          labels = parsed.labels
          for (const r of parsed.refused) {
            const users = r.label === null ? [] : request.files.filter((m) => m.label === r.label)
            if (r.label !== null) refusedLabels.add(r.label)
            const problem: ImportProblem = { severity: 'error', code: r.code, message: r.message, field: r.field ?? 'schema' }
            if (users.length === 0) problems.push(problem)
            // said on each mapping onto it, where the page shows it (its file's row)
            for (const m of users) problems.push({ ...problem, file: m.path })
          }
        } catch (e) {
          if (!isAppError(e) || !SCHEMA_PROBLEMS.has(e.code)) throw e // a full queue or a hang-up is the request's, not the schema's
          asProblem(e, { field: 'schema' })
        }
      }
      // and no file of theirs is looked at: their checks sampled files nobody may import, holding everyone's graph requests (atk12)
      if (refusal) return { ok: false, problems, files: [] }
      if (request.files.length === 0) problems.push({ severity: 'error', code: 'invalid_mapping', message: 'no files to import', field: 'files' })
      try {
        requireImportFileCount(dataDir, actor.username, request.files) // before the files are resolved mapping by mapping
      } catch (e) {
        asProblem(e)
        return { ok: false, problems, files: [] }
      }
      const files: { mapping: ImportJobRequest['files'][number]; file: string }[] = []
      for (const [i, mapping] of request.files.entries()) {
        try {
          files.push(...resolveImportFiles(dataDir, actor.username, [mapping], { mustExist: true, field: () => `files[${i}].path` }))
        } catch (e) {
          asProblem(e, { file: mapping.path })
        }
      }
      const sample = await host.request('import.sample', {
        graph: request.graph,
        // a file onto a refused label is not sampled: its label's refusal is its problem, "not found in schema" would say it twice
        input: { labels, files: files.filter((f) => !refusedLabels.has(f.mapping.label)), delimiter: request.delimiter, continueOnError: request.continueOnError, sampleBytes: SAMPLE_BYTES },
      }, { user: actor.username, signal })
      problems.push(...sample.problems)
      return { ok: !problems.some((p) => p.severity === 'error'), problems, files: sample.files }
    },

    /**
     * An import's state by task id: the job's status, its progress (the bytes read of its files, from
     * its live figures or its report, whether it succeeded or failed; the job's before either), its
     * report (a GES import-graph job's: the import's, its GES files' in `ges`), live figures while it runs. Throws import_not_found, also (with `actor`) for another user's import unless `actor` is an admin.
     */
    async importStatus(taskId: string, actor?: GraphActor): Promise<ImportStatus> {
      const found = importJob(taskId)
      if (actor) requireOwner(found, actor)
      const seen = importMoment(found.id, taskId)
      if (seen.report) return importStatusOf(taskId, seen)
      // no report in the job yet (before the import's first progress, or a task that failed before it
      // ran): the graph's own record of the task, if there is one; a failed read is told, not hidden
      const record = await host.request('import.record', { graph: seen.job.labels.graph, taskId }, { user: actor?.username ?? seen.job.submitter }).catch((e: unknown) => unreadRecord(found.id, taskId, e))
      // the task may have ended while the record was read: the answer is of the moment after, with the
      // report the task ended with (before, the ended job beside no report: TuGraph's reason read "task import: …")
      const now = importMoment(found.id, taskId)
      return importStatusOf(taskId, now.report ? now : { ...now, report: record })
    },

    /** Cancels an import (its submitter or an admin): the package in progress rolls back, committed ones stay. */
    cancelImport(taskId: string, actor: GraphActor): void {
      const job = importJob(taskId)
      requireOwner(job, actor)
      engine.cancel(job.id)
    },

    /** The vertex `vid`, or null; `caller` as for listGraphs. */
    getVertex: (graph: string, vid: number, caller: RequestCaller): Promise<VertexView | null> => host.request('vertices.get', { graph, vid }, caller),
    /** A primary index seek. */
    findVertex: (graph: string, label: string, key: unknown, caller: RequestCaller): Promise<VertexView | null> => host.request('vertices.byPrimary', { graph, label, key }, caller),
    /** A page of `label`'s vertices after `afterVid` (-1: from the first), `limit` of them; `caller` as for listGraphs. */
    listVertices: (graph: string, label: string, afterVid: number, limit: number, caller: RequestCaller): Promise<VertexView[]> => host.request('vertices.page', { graph, label, afterVid, limit }, caller),
    /** Out-edges (a seek on src) or in-edges (a seek on dst) of a vertex, of one label or all. */
    listEdges: (graph: string, vid: number, direction: 'out' | 'in', label: string | undefined, caller: RequestCaller): Promise<EdgeView[]> => host.request('edges.list', { graph, vid, direction, label }, caller),

    /**
     * Runs one Cypher statement on `query.graph` ("" means `default`) in a query worker, within its
     * timeout (seconds; 0 or none = QUERY_TIMEOUT_DEFAULT_S). `signal` cancels it. The answer is
     * the result, or TuGraph's `data` JSON text when `jsonFormat` is set. Throws AppErrors:
     * graph_not_found, cypher_* (the query), query_timeout, query_cancelled, query_too_large, and
     * not_graph_owner for a statement that writes (a write clause or procedure) when `query.actor` is
     * neither the graph's owner nor an admin: they may read and run read-only queries. Disabling
     * `query.actor` stops it (query_cancelled, naming why).
     */
    async cypher(query: CypherQuery & { actor: GraphActor }, signal?: AbortSignal): Promise<CypherAnswer> {
      const name = query.actor.username
      const stop = new AbortController()
      const mine = statements.get(name) ?? new Set<AbortController>()
      mine.add(stop)
      statements.set(name, mine)
      try {
        return await host.runCypher(await cypherFor(rights, query), signal ? AbortSignal.any([signal, stop.signal]) : stop.signal)
      } catch (e) {
        throw stop.signal.aborted ? stop.signal.reason : e // the worker's "Query cancelled." does not say why
      } finally {
        mine.delete(stop)
        if (mine.size === 0 && statements.get(name) === mine) statements.delete(name)
      }
    },

    /** Cypher statements waiting for a query worker and running in one: a stopped statement (cancel, hang-up) leaves `running`. */
    queryLoad: (): { waiting: number; running: number } => host.queryLoad,
    /** Graph requests waiting and running per request lane (reads; files: checks, previews): a hung-up one leaves both. */
    requestLoad: () => host.requestLoad,
    /** The query workers by state: idle, loading, busy, and acquires waiting for one. */
    queryWorkers: (): QueryWorkerCounts => host.queryWorkers,
  }
}

/** What importStatus answers from: an import job's fields, its report and live figures, all of one moment (graph.service.ts importMoment). */
interface ImportMoment {
  job: Pick<JobRecord, 'id' | 'submitter' | 'labels' | 'status' | 'progress' | 'error'>
  /** The live import's report, else the task's output (a GES import's own report), else null. */
  report: ImportReport | null
  ges: GesImportOutput['ges'] | null
  /** An ended GES import's bytes read and in all, over its GES files. */
  gesBytes: GesImportOutput['bytes'] | undefined
  live: ImportStatus['live']
}

/** The ImportStatus of `taskId` as `m` has it: its progress the bytes its report (or live figures) says were read, else the job's. */
function importStatusOf(taskId: string, m: ImportMoment): ImportStatus {
  const report = m.report && m.gesBytes ? { ...m.report, ...m.gesBytes } : m.report
  return {
    taskId,
    jobId: m.job.id,
    submitter: m.job.submitter,
    graph: m.job.labels.graph,
    status: m.job.status,
    progress: progressOf(m, report),
    report,
    ges: m.ges,
    live: m.live,
    error: m.job.error,
  }
}

/**
 * An import's progress, 0..1: its bytes read (live figures, else its report), else the job's. A running
 * GES import-graph job (its split, then its import: its live bytes are the phase's) counts both phases
 * as its job does (gesImportProgress), so the figure never goes back as the import starts.
 */
function progressOf(m: ImportMoment, report: ImportReport | null): number {
  const read = importReadFraction(m.live ?? report)
  if (m.live && m.job.labels.dialect === 'ges') return gesImportProgress(m.live.phase, read ?? 0) // the one kind of job startGesImport submits
  return read ?? m.job.progress
}

/**
 * An import's record (import-record.ts) that the graph worker could not read: logged with the job and
 * task it concerns (a dropped graph took its records with it: no record, nothing to tell), and the
 * status is answered without a report (null) rather than failing the poll.
 */
function unreadRecord(jobId: number, taskId: string, e: unknown): null {
  if (isAppError(e) && e.code === 'graph_not_found') return null
  console.warn(`jobdesk: job ${jobId}: the record of import ${taskId} could not be read: ${e instanceof Error ? e.message : String(e)}`)
  return null
}

/** A CSV delimiter as TuGraph takes it: used literally, not empty, no CR or LF (and no `"`, which quotes fields). */
function checkDelimiter(delimiter: unknown): string {
  if (typeof delimiter !== 'string' || delimiter === '') throw graphError('invalid_request', 'Delimiter cannot be empty.', { field: 'delimiter' })
  if (/[\r\n]/.test(delimiter)) throw graphError('invalid_request', 'Delimiter cannot contain \\r or \\n.', { field: 'delimiter' })
  if (delimiter.includes('"')) throw graphError('invalid_request', 'Delimiter cannot contain a double quote: it quotes fields.', { field: 'delimiter' })
  return delimiter
}

/** The request's own fields, with TuGraph's texts for the delimiter (tugraph-db: src/import/column_parser.h). */
function checkRequest(req: ImportRequest, actor: GraphActor, filesField = 'files'): ImportJobRequest {
  if (typeof req !== 'object' || req === null) throw graphError('invalid_request', 'the import request must be an object')
  checkGraphName(req.graph)
  const delimiter = checkDelimiter(req.delimiter ?? ',')
  const skipPackages = req.skipPackages ?? 0
  if (!Number.isInteger(skipPackages) || skipPackages < 0) throw graphError('invalid_request', 'skipPackages must be a non-negative integer', { field: 'skipPackages' })
  for (const flag of ['continueOnError', 'deleteFiles'] as const) {
    if (req[flag] !== undefined && typeof req[flag] !== 'boolean') throw graphError('invalid_request', `${flag} must be true or false`, { field: flag })
  }
  const packageBytes = req.packageBytes
  if (packageBytes !== undefined && (!Number.isInteger(packageBytes) || packageBytes < 16 || packageBytes > 4 * PACKAGE_BYTES)) {
    throw graphError('invalid_request', `packageBytes must be an integer from 16 to ${4 * PACKAGE_BYTES}`, { field: 'packageBytes' })
  }
  const files = parseFileMappings(req.files, filesField)
  return {
    graph: req.graph,
    user: actor.username,
    files,
    delimiter,
    continueOnError: req.continueOnError ?? false,
    skipPackages,
    deleteFiles: req.deleteFiles ?? false,
    ...(packageBytes !== undefined ? { packageBytes } : {}),
  }
}
