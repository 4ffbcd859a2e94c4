// Graph workflows (shared/graph-workflows.ts): storing versions, running one as a job of the
// engine (kind `dag`, a task per component, dependencies from the wires: the engine's DAG driver
// schedules them, as it does every DAG), the view of a job per component, and reruns (from the
// failed components in the same job, as Rill Flow's redo; or whole, as a new job like the Jobs
// page's rerun). For every caller: the native API and the Explorer dialect. Owner or admin.
import { ANY_ROOM, type WorkflowRoom } from '../workflow-room'
import { randomUUID } from 'node:crypto'
import { ALGORITHM_SPECS, type ParamValue } from '../../shared/algorithms'
import type { JobRef } from '../../shared/api'
import { AppError, conflict, invalid, isAppError, notFound } from '../../shared/errors'
import {
  componentGraphs,
  componentName,
  fitsParamType,
  MAX_PARAM_VALUE_LENGTH,
  outputAnchors,
  ownValue,
  upstreamOf,
  validateGraphWorkflow,
  wiresInto,
  type GraphWorkflowDetail,
  type GraphWorkflowDocument,
  type GraphWorkflowIssue,
  type GraphWorkflowJobView,
  type GraphWorkflowRerunFrom,
  type GraphWorkflowRunInput,
  type GraphWorkflowSummary,
  type GraphWorkflowValidation,
} from '../../shared/graph-workflows'
import { isTerminalJob } from '../../shared/status'
import { formatCount } from '../../shared/number-format'
import { listPage, WORKFLOW_LIMITS, type WorkflowListQuery } from '../../shared/workflow-limits'
import type { Engine } from '../engine/engine'
import { newJobName } from '../engine/job-name'
import { assertMayReach, type Actor } from './access'
import type { JobsService } from './jobs.service'
import type { Store } from '../store'
import { toJobSummary, type JobRecord, type NewTask } from '../store/job.repository'
import type { AlgorithmService } from '../graph/algorithms/algorithm.service'
import type { GraphHost } from '../graph/worker/graph-host'
import { createGraphRights } from '../graph/graph-rights'
import { requireJobGraphWrites } from '../graph/job-graph-writes'
import { COMPONENT_EXECUTOR, type ComponentTaskSpec, type WireSource } from '../graph/workflows/component.executor'

export interface GraphWorkflowServiceDeps {
  engine: Engine
  store: Store
  jobs: Pick<JobsService, 'rerun'>
  algorithms: Pick<AlgorithmService, 'check'>
  graphs: Pick<GraphHost, 'request' | 'checkCypher'>
  /** Asked before a version is stored: the disk's reserve and the owner's workflow bytes (workflow-room.ts). Default: refuses nothing. */
  room?: WorkflowRoom
}

/** The labels a graph workflow job carries (what the Explorer dialect and the job views read). */
export const GRAPH_WORKFLOW_LABELS = { id: 'graphWorkflowId', version: 'graphWorkflowVersion', name: 'graphWorkflowName' } as const

/** Whether a job is a run of a graph workflow. */
export const isGraphWorkflowJob = (job: Pick<JobRecord, 'labels'>): boolean => job.labels[GRAPH_WORKFLOW_LABELS.id] !== undefined

/** `<workflow name>_<yyyyMMddHHmmss>` in local time, as Explorer names jobs (`workflow_q745a_20220715090915`). */
export function jobName(workflowName: string, at: Date): string {
  const p = (n: number) => String(n).padStart(2, '0')
  return `${workflowName}_${at.getFullYear()}${p(at.getMonth() + 1)}${p(at.getDate())}${p(at.getHours())}${p(at.getMinutes())}${p(at.getSeconds())}`
}

export type GraphWorkflowService = ReturnType<typeof createGraphWorkflowService>

/**
 * Graph workflows (TuGraph Explorer's): documents of query and algorithm components, versioned on
 * each save, run as engine jobs of one `graph-component` task per component. Every call checks
 * owner-or-admin. Throws AppErrors: invalid (invalid_workflow naming the field, bad_input),
 * not_found (workflow, workflow version, job; also another user's workflow or job, #9 §3) and the graph rights'
 * not_graph_owner when a run would write a graph its user may only read.
 */
export function createGraphWorkflowService(deps: GraphWorkflowServiceDeps) {
  const { store, engine } = deps
  const room = deps.room ?? ANY_ROOM
  /** Throws what `room` throws for `doc` stored as a version of `owner`'s (its JSON text, as the repository stores it). */
  const assertRoomForDocument = (doc: GraphWorkflowDocument, owner: string, actor: Actor) =>
    room({ owner, exempt: actor.isAdmin, bytes: Buffer.byteLength(JSON.stringify(doc)), field: 'document' })

  /** The document checked; throws invalid naming the first problem (all of them: validate). `stored`: a saved version's (validateGraphWorkflow). */
  const checked = (document: unknown, stored = false): GraphWorkflowDocument => {
    const v = validateGraphWorkflow(document, { stored })
    if (!v.valid) {
      const first = v.errors[0]
      const more = v.errors.length > 1 ? ` (and ${v.errors.length - 1} more problem${v.errors.length > 2 ? 's' : ''})` : ''
      throw invalid('invalid_workflow', `${first.message}${more}`, `document.${first.field}`.replace(/\.$/, ''))
    }
    return document as GraphWorkflowDocument
  }

  /**
   * The checks that need the graph service, as issues: each query's Cypher parses as one statement
   * (in a query worker, where the parser lives: errors, naming the component and its query field),
   * and each graph named exists (warnings: a workflow may be made before its graph is imported; a
   * run refuses a missing graph). Errors other than the statement's own (a busy or failed worker)
   * are thrown.
   */
  const serverIssues = async (doc: GraphWorkflowDocument, actor: Actor, signal?: AbortSignal): Promise<{ errors: GraphWorkflowIssue[]; warnings: GraphWorkflowIssue[] }> => {
    const errors: GraphWorkflowIssue[] = []
    const warnings: GraphWorkflowIssue[] = []
    const known = new Map<string, boolean>()
    const exists = async (graph: string): Promise<boolean> => {
      if (!known.has(graph)) {
        known.set(
          graph,
          await deps.graphs.request('graphs.summary', { graph }, { user: actor.username, signal }).then(
            () => true,
            (e) => (isAppError(e) && e.code === 'graph_not_found' ? false : Promise.reject(e)),
          ),
        )
      }
      return known.get(graph)!
    }
    for (const [i, c] of doc.components.entries()) {
      signal?.throwIfAborted() // the client hung up: the other components' checks are for nobody
      const at = `components[${i}]`
      if (c.kind === 'query') {
        try {
          await deps.graphs.checkCypher(c.query, actor.username, signal)
        } catch (e) {
          if (!isAppError(e) || (e.code !== 'cypher_syntax' && e.code !== 'cypher_unsupported')) throw e
          errors.push({ component: c.id, field: `${at}.query`, message: `${c.id}: the query does not parse: ${e.message}` })
        }
      }
      const graph = c.kind === 'query' ? { name: c.graph, field: `${at}.graph` } : c.input.kind === 'graph' ? { name: c.input.graph, field: `${at}.input.graph` } : undefined
      if (graph && !(await exists(graph.name))) {
        warnings.push({ component: c.id, field: graph.field, message: `${c.id}: graph ${graph.name} does not exist (yet); a run needs it` })
      }
    }
    return { errors, warnings }
  }

  /** The document checked, here and by the graph service; throws invalid naming the first problem; resolves to its warnings. */
  const checkedFully = async (document: unknown, actor: Actor, stored = false, signal?: AbortSignal): Promise<{ doc: GraphWorkflowDocument; warnings: GraphWorkflowIssue[] }> => {
    const doc = checked(document, stored)
    const { errors, warnings } = await serverIssues(doc, actor, signal)
    if (errors.length) {
      const more = errors.length > 1 ? ` (and ${errors.length - 1} more problem${errors.length > 2 ? 's' : ''})` : ''
      throw invalid('invalid_workflow', `${errors[0].message}${more}`, `document.${errors[0].field}`)
    }
    return { doc, warnings }
  }

  /** The workflow, when the actor owns it or is an admin. */
  const owned = (id: number, actor: Actor): GraphWorkflowSummary => {
    const w = store.graphWorkflows.get(id)
    // another user's answers as an unknown one: workflow ids are not to be probed (#9 §3)
    if (!w || (!actor.isAdmin && w.owner !== actor.username)) throw notFound('workflow', id)
    return w
  }

  const detail = (id: number, actor: Actor, version?: number): GraphWorkflowDetail => {
    const w = owned(id, actor)
    const v = store.graphWorkflows.version(id, version ?? w.latestVersion)
    if (!v) throw notFound('workflow version', `${id}/${version}`)
    return { ...w, version: v.version, document: v.document, versions: store.graphWorkflows.versions(id) }
  }

  /** A graph workflow job the actor may reach. */
  const ownJob = (id: number, actor: Actor): JobRecord => {
    const job = Number.isSafeInteger(id) ? store.jobs.get(id) : undefined
    if (!job || !isGraphWorkflowJob(job)) throw notFound('job', id)
    assertMayReach(actor, job)
    return job
  }

  /** Run input checked against the document: known components, declared parameters, scalar values. */
  const checkInput = (doc: GraphWorkflowDocument, input: unknown): GraphWorkflowRunInput => {
    if (input === undefined || input === null) return {}
    if (typeof input !== 'object' || Array.isArray(input)) throw invalid('bad_input', 'input must be an object of component id → {parameter: value}', 'input')
    const out: GraphWorkflowRunInput = {}
    for (const [id, values] of Object.entries(input as Record<string, unknown>)) {
      const c = doc.components.find((x) => x.id === id)
      if (!c) throw invalid('bad_input', `input names component ${JSON.stringify(id.slice(0, 64))}, which the workflow does not have (it has ${doc.components.map((x) => x.id).join(', ')})`, `input.${id.slice(0, 64)}`)
      if (typeof values !== 'object' || values === null || Array.isArray(values)) throw invalid('bad_input', `input.${id} must be an object of parameter → value`, `input.${id}`)
      const known: readonly { name: string; type: string; values?: readonly string[] }[] = c.kind === 'query' ? (c.params ?? []) : ALGORITHM_SPECS[c.algorithm].params
      out[id] = {}
      for (const [name, value] of Object.entries(values as Record<string, unknown>)) {
        const param = known.find((p) => p.name === name)
        if (!param) throw invalid('bad_input', `${id} has no parameter ${JSON.stringify(name.slice(0, 64))}; it takes ${known.map((p) => p.name).join(', ') || 'none'}`, `input.${id}.${name.slice(0, 64)}`)
        if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') throw invalid('bad_input', `input.${id}.${name} must be a string, a number or a boolean`, `input.${id}.${name}`)
        if (typeof value === 'string' && value.length > MAX_PARAM_VALUE_LENGTH) throw invalid('bad_input', `input.${id}.${name} is too long`, `input.${id}.${name}`)
        // refused here, naming the field, rather than as a job whose component fails on it later
        if (!fitsParamType(param.type, value, param.values)) {
          throw invalid('bad_input', `input.${id}.${name} must be ${param.type === 'enum' ? `one of ${param.values!.join(', ')}` : `a ${param.type}`}, not ${JSON.stringify(value).slice(0, 100)}`, `input.${id}.${name}`)
        }
        out[id][name] = value
      }
    }
    return out
  }

  /**
   * What a run needs before it starts: each query parameter has a value, graphs, labels and files
   * exist (the algorithm service's own check). Wired parameters are known only at run time.
   */
  const checkRunnable = async (doc: GraphWorkflowDocument, input: GraphWorkflowRunInput, actor: Actor): Promise<void> => {
    for (const c of doc.components) {
      const wired = wiresInto(doc, c.id)
      const given = ownValue(input, c.id) ?? {}
      const where = (e: unknown): never => {
        if (isAppError(e) && e.kind !== 'internal') throw new AppError(e.kind, e.code, `${c.id}: ${e.message}`, { field: `components.${c.id}${e.field ? `.${e.field}` : ''}` })
        throw e
      }
      if (c.kind === 'query') {
        for (const p of c.params ?? []) {
          if (!wired.has(p.name) && ownValue(given, p.name) === undefined && p.default === undefined) {
            throw invalid('missing_parameter', `${c.id}: parameter ${p.name} needs a value: give input.${c.id}.${p.name}, a default or a wire`, `input.${c.id}.${p.name}`)
          }
        }
        await deps.graphs.request('graphs.summary', { graph: c.graph }, { user: actor.username }).catch(where)
      } else if (c.input.kind !== 'upstream') {
        const params: Record<string, ParamValue> = { ...c.params, ...given }
        // wired parameters get their value at run time; a placeholder lets the rest be checked now
        for (const p of ALGORITHM_SPECS[c.algorithm].params) if (wired.has(p.name)) params[p.name] = p.default ?? '0'
        await deps.algorithms.check({ algorithm: c.algorithm, source: c.input, params, ...(c.writeBack ? { writeBack: c.writeBack } : {}) }, actor).catch(where)
      }
    }
  }

  const tasksOf = (doc: GraphWorkflowDocument, input: GraphWorkflowRunInput, actor: Actor): NewTask[] =>
    doc.components.map((c) => {
      const wires: Record<string, WireSource> = {}
      for (const [anchor, from] of wiresInto(doc, c.id)) {
        const upstream = doc.components.find((x) => x.id === from.component)!
        wires[anchor] = { component: from.component, anchor: from.anchor, column: outputAnchors(upstream).indexOf(from.anchor) }
      }
      const spec: ComponentTaskSpec = { component: c, user: actor.username, input: ownValue(input, c.id) ?? {}, wires }
      return { name: c.id, executor: COMPONENT_EXECUTOR, dependsOn: upstreamOf(doc, c.id), spec: spec as unknown as Record<string, unknown>, maxAttempts: 1 }
    })

  /**
   * Throws invalid `too_many_workflows` (field document) when the actor already owns
   * WORKFLOW_LIMITS.graphPerOwner graph workflows (#9 §2, atk11).
   */
  function assertRoomForWorkflow(actor: Actor): void {
    const held = store.graphWorkflows.countOfOwner(actor.username)
    if (held < WORKFLOW_LIMITS.graphPerOwner) return
    throw invalid('too_many_workflows', `user ${actor.username} already has ${formatCount(held)} graph workflows, the most one user may hold (${formatCount(WORKFLOW_LIMITS.graphPerOwner)}); delete one first`, 'document')
  }

  /** Throws invalid `too_many_versions` (field id) when workflow `id` already holds WORKFLOW_LIMITS.graphVersions saved versions. */
  function assertRoomForVersion(id: number): void {
    const held = store.graphWorkflows.versionCount(id)
    if (held < WORKFLOW_LIMITS.graphVersions) return
    throw invalid(
      'too_many_versions',
      `graph workflow ${id} already has ${formatCount(held)} saved versions, the most one workflow may hold (${formatCount(WORKFLOW_LIMITS.graphVersions)}); save it as a new workflow, or delete this one first`,
      'id',
    )
  }

  return {
    /**
     * The validator's problems, then (for a document it passes) the graph service's: Cypher that does
     * not parse, and graphs that do not exist as warnings. `signal` (here and in create, save, run):
     * the client hung up; the checks stop with its reason.
     */
    async validate(document: unknown, actor: Actor, signal?: AbortSignal): Promise<GraphWorkflowValidation> {
      const v = validateGraphWorkflow(document)
      if (!v.valid) return v
      const { errors, warnings } = await serverIssues(document as GraphWorkflowDocument, actor, signal)
      return { valid: errors.length === 0, errors, warnings }
    },

    /**
     * A page of the workflows the actor owns (an admin: everyone's), most recently saved first, and how
     * many there are (`page`: WORKFLOW_LIST_PAGE's defaults when not given; invalid `bad_number` out of range).
     */
    list(actor: Actor, page: WorkflowListQuery = {}): { items: GraphWorkflowSummary[]; total: number } {
      return store.graphWorkflows.page(actor.isAdmin ? undefined : actor.username, listPage(page))
    },

    /**
     * Stores a new workflow (version 1). Throws invalid (invalid_workflow) naming the first problem,
     * Cypher that does not parse included; a graph that does not exist is a warning in the answer.
     */
    async create(document: unknown, actor: Actor, signal?: AbortSignal): Promise<GraphWorkflowDetail> {
      const { doc, warnings } = await checkedFully(document, actor, false, signal)
      assertRoomForWorkflow(actor) // after the checks' awaits: nothing stores between this and the create
      assertRoomForDocument(doc, actor.username, actor)
      return { ...detail(store.graphWorkflows.create(doc, actor.username), actor), warnings }
    },

    get: detail,
    owned,
    /** A graph workflow job the actor may reach; throws not_found (also for other kinds of job) or forbidden. */
    ownJob,

    /** Saves the next version of a workflow the actor owns. */
    async save(id: number, document: unknown, actor: Actor, signal?: AbortSignal): Promise<GraphWorkflowDetail> {
      owned(id, actor)
      const { doc, warnings } = await checkedFully(document, actor, false, signal)
      const { owner } = owned(id, actor) // still there after the checks' awaits
      assertRoomForVersion(id)
      assertRoomForDocument(doc, owner, actor)
      return { ...detail(id, actor, store.graphWorkflows.saveVersion(id, doc, actor.username)), warnings }
    },

    /**
     * Deletes a workflow the actor owns, with its versions. Its jobs stay: each holds the components
     * it ran (task specs) and the workflow's name in its labels, so the Jobs page still shows it,
     * its results and reruns; a running one runs on. Throws not_found or forbidden.
     */
    delete(id: number, actor: Actor): { id: number; deleted: true } {
      owned(id, actor)
      store.graphWorkflows.delete(id)
      return { id, deleted: true }
    },

    /**
     * Runs a version (default: the latest) as one job: a task per component, named by its id.
     * Throws not_found, forbidden, invalid (the document, the input, a missing parameter, a graph
     * or file that is not there: each naming the component).
     */
    async run(id: number, actor: Actor, options: { version?: number; input?: unknown; labels?: Record<string, string>; signal?: AbortSignal } = {}): Promise<JobRecord> {
      const wf = detail(id, actor, options.version)
      // the checks of a save again: a version stored before them, or graphs gone since
      const { doc } = await checkedFully(wf.document, actor, true, options.signal)
      const input = checkInput(doc, options.input)
      await checkRunnable(doc, input, actor)
      // `graph` as algorithm and import jobs carry it (GES's related_graph, its graph_name filter): the one graph the run concerns
      const graphs = componentGraphs(doc)
      const labels = { ...options.labels, [GRAPH_WORKFLOW_LABELS.id]: String(wf.id), [GRAPH_WORKFLOW_LABELS.version]: String(wf.version), [GRAPH_WORKFLOW_LABELS.name]: doc.name, ...(graphs.length === 1 ? { graph: graphs[0] } : {}) }
      // a version stored before the name rule may hold hidden characters: its job's name drops them
      return engine.submit(
        { uuid: randomUUID(), kind: 'dag', name: newJobName(undefined, () => jobName(doc.name, new Date())), submitter: actor.username, input: { workflowId: wf.id, version: wf.version, input }, labels },
        tasksOf(doc, input, actor),
      )
    },

    /** A graph workflow job with each component's state and result set. */
    job(id: number, actor: Actor): GraphWorkflowJobView {
      const job = ownJob(id, actor)
      const tasks = store.jobs.tasks(id)
      const sets = store.results.list(id)
      return {
        job: toJobSummary(engine.job(id) ?? job, tasks.length),
        workflowId: Number(job.labels[GRAPH_WORKFLOW_LABELS.id]),
        version: Number(job.labels[GRAPH_WORKFLOW_LABELS.version]),
        workflowName: job.labels[GRAPH_WORKFLOW_LABELS.name] ?? '',
        workflowDeleted: !store.graphWorkflows.get(Number(job.labels[GRAPH_WORKFLOW_LABELS.id])),
        components: tasks.map((t) => {
          const c = (t.spec as unknown as ComponentTaskSpec).component
          const set = sets.find((s) => s.taskId === t.id)
          return {
            id: t.name,
            name: componentName(c),
            kind: c.kind,
            status: t.status,
            error: t.error,
            startedAt: t.startedAt,
            finishedAt: t.finishedAt,
            resultIndex: set?.index ?? null,
            rows: set?.rowCount ?? null,
            outputs: outputAnchors(c),
          }
        }),
      }
    },

    /**
     * Runs a finished job again. `failed`: the same job, from its components that did not succeed
     * (and everything downstream of them), reusing the finished components' result sets, as Rill
     * Flow's redo does (engine.redo). `start`: the whole workflow as a new job, linked by `rerunOf`
     * (the Jobs page's rerun). Throws conflict while the job runs, or `failed` on a job that succeeded.
     */
    async rerun(id: number, from: GraphWorkflowRerunFrom, actor: Actor): Promise<JobRef> {
      const job = ownJob(id, actor)
      if (!isTerminalJob(job.status) || engine.isActive(id)) throw conflict('job_unfinished', `job ${id} is ${job.status}; wait for it to end or cancel it first`)
      if (from !== 'start' && from !== 'failed') throw invalid('bad_from', 'from must be "failed" or "start"', 'from')
      const tasks = store.jobs.tasks(id)
      const again = from === 'start' ? tasks : tasks.filter((t) => t.status !== 'succeeded')
      if (again.length === 0) throw conflict('nothing_failed', `job ${id} succeeded in every component; rerun it from the start instead`)
      // a component that writes back needs the caller's right to change its graph now (each checks again as it runs)
      await requireJobGraphWrites(createGraphRights(deps.graphs), actor, again)
      if (from === 'start') return deps.jobs.rerun(id, actor)
      const rec = engine.redo(id, again.map((t) => t.name))
      return { id: rec.id, uuid: rec.uuid, status: rec.status }
    },
  }
}
