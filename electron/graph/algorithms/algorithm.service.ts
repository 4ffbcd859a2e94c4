// Starting algorithm jobs and reading their results, for every caller (native API, GES, the
// workflow engine): checks a request (algorithm, source, parameters with Explorer's defaults,
// write-back), submits a job of kind `algorithm`, and reads its summary and result rows for the
// job's submitter or an admin. Errors are AppErrors with GRAPH_ERROR_CODES codes.
import { randomUUID } from 'node:crypto'
import { ALGORITHM_NAMES, ALGORITHM_SPECS, writeBackNewPropertyLabels, writeBackPropertyProblem, writeBackResultType, type AlgorithmJobView, type AlgorithmName, type AlgorithmRequest, type AlgorithmSummary } from '../../../shared/algorithms'
import type { JobSummary } from '../../../shared/model'
import type { Engine } from '../../engine/engine'
import { newJobName } from '../../engine/job-name'
import type { Store } from '../../store'
import { toJobSummary } from '../../store/job.repository'
import { shownState } from '../../store/result.repository'
import { isTerminalJob } from '../../../shared/status'
import { mayReach } from '../../../shared/access-rule'
import { isAppError, notFound } from '../../../shared/errors'
import type { GraphActor } from '../graph.service'
import { CHANGING_A_GRAPH, graphError, refuseWhileImporting } from '../errors'
import { createGraphRights } from '../graph-rights'
import { checkGraphName } from '../store/names'
import { resolveUploadPath } from '../upload-paths'
import type { GraphHost } from '../worker/graph-host'
import { ALGORITHM_EXECUTOR, ALGORITHM_TASK, type AlgorithmTaskSpec } from './algorithm.executor'
import { resolveParams } from './params'
import { requireFittingType, requireNewPropertyName, requireNonKeyProperty, requireOverwriteAllowed, requireSchemaRoom } from './write-back'
import { MAX_PAGE_BYTES } from '../../store/result-cells'

export interface AlgorithmServiceDeps {
  dataDir: string
  engine: Engine
  store: Store
  /** For checking a graph source's graph, labels and properties before the job starts, and that no import is writing a graph written back into. */
  graphs: Pick<GraphHost, 'request' | 'busyGraphs'>
}

const MAX_PAGE = 5000

export type AlgorithmService = ReturnType<typeof createAlgorithmService>

export function createAlgorithmService(deps: AlgorithmServiceDeps) {
  const { engine, store, dataDir } = deps

  /**
   * The request checked and defaulted. Throws invalid_request, graph_not_found, label_not_found, path_*,
   * file_not_found; with a write-back, not_graph_owner and graph_busy (an import into the graph is
   * queued or running: checked when the request comes, every dialect's and a graph workflow's alike),
   * invalid_request (field writeBack.property) when the result's type does not fit the property's
   * declared type in some label (a DOUBLE PageRank into an INT64 age: never rounded), and
   * write_back_overwrites (409, field writeBack.overwrite) when the property holds values and
   * `writeBack.overwrite` is not true. Both are checked again when the values are written. A
   * property no vertex label has is not refused: the write adds it, optional and of the result's
   * type, to the labels with vertices (writeBackNewPropertyLabels); invalid_request (field
   * writeBack.property) when its name cannot be a field's, or no label has vertices.
   */
  async function check(req: AlgorithmRequest, actor: GraphActor): Promise<AlgorithmTaskSpec['request']> {
    if (typeof req !== 'object' || req === null) throw graphError('invalid_request', 'the request must be an object')
    if (!ALGORITHM_NAMES.includes(req.algorithm)) {
      throw graphError('invalid_request', `algorithm must be one of ${ALGORITHM_NAMES.join(', ')}, not ${JSON.stringify(req.algorithm)}`, { field: 'algorithm' })
    }
    const params = resolveParams(req.algorithm, req.params as Record<string, unknown> | undefined)
    const src = req.source as AlgorithmRequest['source'] | undefined
    if (typeof src !== 'object' || src === null) throw graphError('invalid_request', 'source must be {kind: "graph", graph, edgeLabel?, weight?} or {kind: "file", path}', { field: 'source' })
    const text = (v: unknown, field: string) => {
      if (v !== undefined && (typeof v !== 'string' || v === '' || v.length > 256)) throw graphError('invalid_request', `${field} must be a non-empty name`, { field })
      return v as string | undefined
    }
    let source: AlgorithmRequest['source']
    if (src.kind === 'graph') {
      const graph = checkGraphName(src.graph)
      const edgeLabel = text(src.edgeLabel, 'source.edgeLabel')
      const weight = text(src.weight, 'source.weight')
      const info = await deps.graphs.request('graphs.get', { graph }, { user: actor.username }).catch((e: unknown) => {
        // the request's field that named it, as every other refusal here names its field
        throw isAppError(e) && e.code === 'graph_not_found' ? graphError('graph_not_found', e.message, { field: 'source.graph' }) : e
      })
      const edgeLabels = info.labels.filter((l) => l.kind === 'edge' && (edgeLabel === undefined || l.name === edgeLabel))
      if (edgeLabel !== undefined && edgeLabels.length === 0) throw graphError('label_not_found', `Edge Label [${edgeLabel}] does not exist.`, { field: 'source.edgeLabel' })
      if (weight !== undefined) {
        const missing = edgeLabels.filter((l) => !l.def.properties.some((p) => p.name === weight))
        if (missing.length) throw graphError('invalid_request', `edge label [${missing[0].name}] has no property ${weight} to use as weight`, { field: 'source.weight' })
      }
      if (req.writeBack !== undefined) {
        await createGraphRights(deps.graphs).requireWriter(graph, actor) // writing back changes the graph's data
        refuseWhileImporting(deps.graphs.busyGraphs(), graph, CHANGING_A_GRAPH) // as a Cypher SET is refused
        const nameWrong = writeBackPropertyProblem(req.writeBack?.property)
        if (nameWrong) throw graphError('invalid_request', nameWrong, { field: 'writeBack.property' })
        const property = req.writeBack.property as string
        if (req.writeBack.overwrite !== undefined && typeof req.writeBack.overwrite !== 'boolean') throw graphError('invalid_request', 'writeBack.overwrite must be true or false', { field: 'writeBack.overwrite' })
        const vertexLabels = info.labels.filter((l) => l.kind === 'vertex')
        const targets = vertexLabels.filter((l) => l.def.properties.some((p) => p.name === property))
        // a property no label has is added when the values are written (write-back.ts, as Neo4j GDS's write mode)
        const adding = writeBackNewPropertyLabels(property, vertexLabels)
        if (targets.length === 0 && adding.length === 0) throw graphError('invalid_request', `no vertex label of graph ${graph} has a property ${property}, and no label has vertices to add it to`, { field: 'writeBack.property' })
        requireNonKeyProperty(property, targets)
        requireNewPropertyName(property, vertexLabels.filter((l) => adding.includes(l.name)))
        const type = writeBackResultType(req.algorithm, vertexLabels)
        if (type && adding.length > 0) requireSchemaRoom(property, type, info.labels, adding) // the schema's 4 MiB bound, before the algorithm runs
        if (type && writable(req.algorithm, params) && targets.length > 0) {
          requireFittingType(req.algorithm, type, property, targets)
          requireOverwriteAllowed(req.writeBack, await deps.graphs.request('properties.filled', { graph, property }, { user: actor.username }))
        }
      }
      source = { kind: 'graph', graph, ...(edgeLabel ? { edgeLabel } : {}), ...(weight ? { weight } : {}) }
    } else if (src.kind === 'file') {
      resolveUploadPath(dataDir, actor.username, src.path, { mustExist: true, mustBeFile: true, field: 'source.path' })
      if (src.delimiter !== undefined && (typeof src.delimiter !== 'string' || src.delimiter === '' || /[\r\n]/.test(src.delimiter))) {
        throw graphError('invalid_request', 'delimiter must be a non-empty string without line breaks', { field: 'source.delimiter' })
      }
      if (req.writeBack !== undefined) throw graphError('invalid_request', 'a file source has no graph to write back into', { field: 'writeBack' })
      source = { kind: 'file', path: src.path, delimiter: src.delimiter, header: src.header === undefined ? undefined : src.header === true, weighted: src.weighted === undefined ? undefined : src.weighted === true }
    } else {
      throw graphError('invalid_request', 'source.kind must be "graph" or "file"', { field: 'source.kind' })
    }
    if (req.writeBack !== undefined && !writable(req.algorithm, params)) {
      throw graphError('invalid_request', `${req.algorithm} with these parameters does not give one value per vertex (${ALGORITHM_SPECS[req.algorithm].columns(params).join(', ')}), so it cannot be written back`, { field: 'writeBack' })
    }
    return { algorithm: req.algorithm, source, params, ...(req.writeBack ? { writeBack: { property: req.writeBack.property, ...(req.writeBack.overwrite ? { overwrite: true } : {}) } } : {}) }
  }

  const find = (id: number, actor: GraphActor) => {
    const job = Number.isInteger(id) ? store.jobs.get(id) : undefined
    // owner or admin, the rule every job follows (shared/access-rule.ts): another user's job answers
    // as an unknown one, so ids cannot be probed (#9 §3)
    if (!job || job.kind !== 'algorithm' || !mayReach(actor, job)) throw notFound('algorithm job', id)
    return job
  }

  return {
    check,

    /** Checks and submits an algorithm job; returns the job. */
    async start(req: AlgorithmRequest, actor: GraphActor, options: { labels?: Record<string, string> } = {}): Promise<JobSummary> {
      const request = await check(req, actor)
      const where = request.source.kind === 'graph' ? `graph ${request.source.graph}` : `file ${request.source.path}`
      const name = newJobName(req.name, () => `${request.algorithm} on ${where}`) // a given name with a hidden character: the engine refuses it
      const spec: AlgorithmTaskSpec = { request, user: actor.username }
      const labels: Record<string, string> = { algorithm: request.algorithm, ...(request.source.kind === 'graph' ? { graph: request.source.graph } : {}), ...options.labels }
      const job = engine.submit(
        { uuid: randomUUID(), kind: 'algorithm', name, submitter: actor.username, input: request, labels },
        [{ name: ALGORITHM_TASK, executor: ALGORITHM_EXECUTOR, spec: spec as unknown as Record<string, unknown>, maxAttempts: 1 }],
      )
      return toJobSummary(job, 1)
    },

    /** The job, its summary (once it succeeded) and rows [offset, offset + limit) of its result. Owner or admin. */
    view(id: number, actor: GraphActor, offset = 0, limit = 100): AlgorithmJobView {
      const job = find(id, actor)
      const task = store.jobs.tasksWithoutSpec(job.id)[0] // its output (the summary) only
      const set = store.results.get(job.id, 0)
      const take = Math.min(Math.max(1, limit), MAX_PAGE)
      const from = Math.max(0, offset)
      const rows = set ? store.results.rows(set, from, take) : []
      return {
        job: toJobSummary(store.jobs.get(job.id)!, 1),
        algorithm: (job.input as AlgorithmTaskSpec['request']).algorithm,
        summary: job.status === 'succeeded' ? ((task?.output as AlgorithmSummary | null) ?? null) : null,
        result: set
          ? {
              index: 0,
              columns: set.columns,
              rows,
              total: set.rowCount,
              offset: from,
              state: shownState(set, isTerminalJob(job.status)),
              pageByteCap: MAX_PAGE_BYTES,
              shortPage: rows.length < Math.min(take, set.rowCount - from), // the page's byte cap ended it
            }
          : null,
      }
    },
  }
}

/** Whether a result is one value per vertex (VID first and one value), so it can be written into a property. */
export function writable(algorithm: AlgorithmName, params: Record<string, unknown>): boolean {
  const columns = ALGORITHM_SPECS[algorithm].columns(params as never)
  if (columns[0] !== 'VID') return false
  if (algorithm === 'KCore' && params.TYPE === 'subgraph') return false
  if (algorithm === 'ClusteringCoefficient' && params.TYPE === 'global') return false
  return true
}
