// The graph service: what dialects (TuGraph, GES, Explorer) and the GUI call for graphs, schemas,
// uploaded files, imports and reads. It knows no envelopes: every error is an AppError whose `code`
// is one of GRAPH_ERROR_CODES (errors.ts) and whose message is TuGraph's text where TuGraph has one.
// All graph data is read and written in worker threads (GraphHost); this runs on the main thread.
import { randomUUID } from 'node:crypto'
import type { EdgeView, GraphInfo, ImportReport, ImportRequest, ImportStatus, VertexView } from '../../shared/graph'
import type { Engine } from '../engine/engine'
import type { Store } from '../store'
import type { JobRecord } from '../store/job.repository'
import { graphError } from './errors'
import { IMPORT_EXECUTOR, IMPORT_TASK, type ImportJobRequest, type ImportTaskSpec } from './import/import.executor'
import { resolveImportFiles } from './import/import-files'
import { parseFileMappings } from './import/mapping'
import { PACKAGE_BYTES } from './import/packages'
import { checkGraphName } from './store/names'
import { parseSchemaDescription } from './store/schema'
import { resolveUploadPath } from './upload-paths'
import type { GraphHost } from './worker/graph-host'

/** Who asks: the service checks admin rights and ownership, nothing else about users. */
export interface GraphActor {
  username: string
  isAdmin: boolean
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
}

const MAX_TASK_ID = 128

export type GraphService = ReturnType<typeof createGraphService>

export function createGraphService(deps: GraphServiceDeps) {
  const { host, engine, store, dataDir } = deps
  const requireAdmin = (actor: GraphActor) => {
    if (!actor.isAdmin) throw graphError('not_admin', 'Non-admin cannot create graphs.')
  }
  const importJob = (taskId: unknown): JobRecord => {
    const job = typeof taskId === 'string' ? store.jobs.getByUuid(taskId) : undefined
    if (!job || job.kind !== 'import') throw graphError('import_not_found', 'Not a valid task id')
    return job
  }
  const requireOwner = (job: JobRecord, actor: GraphActor) => {
    if (job.submitter !== actor.username && !actor.isAdmin) {
      throw graphError('not_your_import', `import ${job.uuid} was started by ${job.submitter}; only they or an admin may act on it`)
    }
  }

  return {
    /** Every graph with its labels and vertex/edge counts. */
    listGraphs: (): Promise<GraphInfo[]> => host.request('graphs.list', {}),

    /** Throws graph_not_found ("Graph [x] does not exist."). */
    getGraph: (graph: string): Promise<GraphInfo> => host.request('graphs.get', { graph }),

    /** Admins only. Throws invalid_name (TuGraph's name rules), graph_exists. */
    async createGraph(graph: string, actor: GraphActor, options: { description?: string; maxSizeGb?: number } = {}): Promise<GraphInfo> {
      requireAdmin(actor)
      checkGraphName(graph)
      return host.request('graphs.create', { graph, ...options })
    },

    /** Admins only; refused (graph_busy) while an import into the graph is queued or running. */
    async dropGraph(graph: string, actor: GraphActor): Promise<void> {
      requireAdmin(actor)
      checkGraphName(graph)
      if (host.importsInto(graph) > 0 || pendingImportsInto(store, graph) > 0) {
        throw graphError('graph_busy', `Graph [${graph}] has an import queued or running; cancel it or wait before dropping the graph`)
      }
      await host.request('graphs.drop', { graph })
    },

    /**
     * TuGraph's import_schema (reference/tugraph.md §1.7): `description` is `{"schema": [...]}` (an
     * object or its JSON text). Labels that exist identically are skipped; one that exists
     * differently fails the whole call with "... not comparable in two schema"; the rest are
     * created in one transaction. Throws invalid_schema, invalid_name, schema_not_comparable, graph_not_found.
     */
    async importSchema(graph: string, description: unknown): Promise<{ created: string[]; skipped: string[] }> {
      const labels = parseSchemaDescription(description)
      return host.request('schema.import', { graph, labels })
    },

    /** A client's file name as a path in the user's upload folder (path_invalid, path_escapes, file_not_found). */
    uploadPath: (user: string, name: unknown, options: { mustExist?: boolean } = {}): string => resolveUploadPath(dataDir, user, name, options),

    /**
     * Starts an import as a job of kind `import` (or takes up an earlier one: options.taskId). The
     * files are checked now (shape, paths, labels, columns, constraints) unless `deferChecks`.
     * Returns the task id (the job's uuid) and the job id. Throws invalid_mapping, invalid_request,
     * path_*, file_not_found, graph_not_found, label_not_found, constraint_violation, not_your_import.
     */
    async startImport(req: ImportRequest, actor: GraphActor, options: StartImportOptions = {}): Promise<{ taskId: string; jobId: number }> {
      const request = checkRequest(req, actor)
      if (!options.deferChecks) {
        const files = resolveImportFiles(dataDir, actor.username, request.files, { mustExist: true })
        await host.request('import.check', { graph: request.graph, files })
      }
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
        { uuid: taskId, kind: 'import', name: `import into ${request.graph}: ${names}`.slice(0, 200), submitter: actor.username, input: req, labels: { graph: request.graph } },
        [{ name: IMPORT_TASK, executor: IMPORT_EXECUTOR, spec: spec as unknown as Record<string, unknown>, maxAttempts: 1 }],
      )
      return { taskId, jobId: job.id }
    },

    /**
     * An import's state by task id: the job's status and progress, its report, live figures while it
     * runs. Throws import_not_found; with `actor`, not_your_import unless they started it or are an admin.
     */
    async importStatus(taskId: string, actor?: GraphActor): Promise<ImportStatus> {
      const found = importJob(taskId)
      if (actor) requireOwner(found, actor)
      const job = engine.job(found.id)!
      const live = host.liveImport(taskId)
      const task = store.jobs.tasks(job.id)[0]
      let report = live?.report ?? ((task?.output as ImportReport | null) || null)
      if (!report) report = await host.request('import.record', { graph: job.labels.graph, taskId }).catch(() => null)
      return {
        taskId,
        jobId: job.id,
        submitter: job.submitter,
        graph: job.labels.graph,
        status: job.status,
        progress: live && live.bytesTotal > 0 ? Math.min(1, live.bytesDone / live.bytesTotal) : job.progress,
        report,
        live: live ? { bytesDone: live.bytesDone, bytesTotal: live.bytesTotal, imported: live.imported, failed: live.failed, rowsPerSecond: live.rowsPerSecond } : null,
        error: job.error,
      }
    },

    /** Cancels an import (its submitter or an admin): the package in progress rolls back, committed ones stay. */
    cancelImport(taskId: string, actor: GraphActor): void {
      const job = importJob(taskId)
      requireOwner(job, actor)
      engine.cancel(job.id)
    },

    getVertex: (graph: string, vid: number): Promise<VertexView | null> => host.request('vertices.get', { graph, vid }),
    /** A primary index seek. */
    findVertex: (graph: string, label: string, key: unknown): Promise<VertexView | null> => host.request('vertices.byPrimary', { graph, label, key }),
    listVertices: (graph: string, label: string, afterVid?: number, limit?: number): Promise<VertexView[]> => host.request('vertices.page', { graph, label, afterVid, limit }),
    /** Out-edges (a seek on src) or in-edges (a seek on dst) of a vertex, of one label or all. */
    listEdges: (graph: string, vid: number, direction: 'out' | 'in', label?: string): Promise<EdgeView[]> => host.request('edges.list', { graph, vid, direction, label }),
  }
}

/** Import jobs into a graph that are not finished (queued ones have no worker yet). */
function pendingImportsInto(store: Store, graph: string): number {
  return store.jobs
    .unfinishedIds()
    .map((id) => store.jobs.get(id))
    .filter((j) => j?.kind === 'import' && j.labels.graph === graph).length
}

/** The request's own fields, with TuGraph's texts for the delimiter (tugraph-db: src/import/column_parser.h). */
function checkRequest(req: ImportRequest, actor: GraphActor): ImportJobRequest {
  if (typeof req !== 'object' || req === null) throw graphError('invalid_request', 'the import request must be an object')
  checkGraphName(req.graph)
  const delimiter = req.delimiter ?? ','
  if (typeof delimiter !== 'string' || delimiter === '') throw graphError('invalid_request', 'Delimiter cannot be empty.', { field: 'delimiter' })
  if (/[\r\n]/.test(delimiter)) throw graphError('invalid_request', 'Delimiter cannot contain \\r or \\n.', { field: 'delimiter' })
  if (delimiter.includes('"')) throw graphError('invalid_request', 'Delimiter cannot contain a double quote: it quotes fields.', { field: 'delimiter' })
  const skipPackages = req.skipPackages ?? 0
  if (!Number.isInteger(skipPackages) || skipPackages < 0) throw graphError('invalid_request', 'skipPackages must be a non-negative integer', { field: 'skipPackages' })
  for (const flag of ['continueOnError', 'deleteFiles'] as const) {
    if (req[flag] !== undefined && typeof req[flag] !== 'boolean') throw graphError('invalid_request', `${flag} must be true or false`, { field: flag })
  }
  const packageBytes = req.packageBytes
  if (packageBytes !== undefined && (!Number.isInteger(packageBytes) || packageBytes < 16 || packageBytes > 4 * PACKAGE_BYTES)) {
    throw graphError('invalid_request', `packageBytes must be an integer from 16 to ${4 * PACKAGE_BYTES}`, { field: 'packageBytes' })
  }
  const files = parseFileMappings(req.files)
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
