/**
 * Graph workflows as NebulaGraph Explorer draws them (reference/jobapis.md §B.1): the stored
 * document, its validator and the native operations. THE single source of truth for the canvas
 * (renderer/src/features/graph-workflows), the server (electron/graph/workflows) and the Explorer
 * dialect (electron/http/dialects/explorer).
 *
 * A workflow has a numeric id (as Explorer shows at the top left of its workflow page, e.g.
 * 4216617528) and numbered saved versions (1, 2, …), each a GraphWorkflowDocument:
 *
 * ```
 *   query_1 (Cypher on graph g, $name)        PageRank_1 (input: upstream)
 *   ┌──────────────────────────┐   wire      ┌───────────────────────────┐
 *   │ outputs: output0 output1 ├──output0──► src                         │
 *   │                          ├──output1──► dst      outputs: VID VALUE │
 *   └──────────────────────────┘             └───────────────────────────┘
 * ```
 *
 * - Components have an `id` (`query_1`, `PageRank_1`: what Explorer's `POST workflows/{id}/jobs`
 *   `input` is keyed by and what a job's task is named), a `kind` and their settings.
 * - A **query** component runs one parameterised Cypher statement on a local graph. Its custom
 *   input `params` ($name in the query) take their values from the run's `input`, a wire, or their
 *   `default`. Its `outputs` name the returned columns in order (Explorer's "Parse Parameter":
 *   output0, output1, …, renameable); each is an output anchor.
 * - An **algorithm** component runs one of shared/algorithms.ts's algorithms with Explorer's
 *   parameter names and defaults. Its `input` is a graph (edge label, optional weight property), an
 *   uploaded `src,dst[,weight]` file, or `upstream`: then its input anchors `src` and `dst` (and
 *   optionally `weight`) must be wired to upstream output anchors. Any parameter may also be wired
 *   (an input anchor named like the parameter: ROOT, IDS1, …). Its output anchors are the
 *   algorithm's fixed columns (VID, VALUE for PageRank). `writeBack` writes each vertex's value into
 *   a vertex property of the input graph.
 * - A **wire** joins an output anchor to an input anchor; the component it leaves runs first. Each
 *   input anchor takes at most one wire; the wires form no cycle.
 *
 * Errors from validateGraphWorkflow name the component (and the field) so the canvas can mark it.
 */
import { cycleMessage, findCycle } from './dag-cycle'
import { parseUploadName } from './upload-names'
import { graphNameProblem } from './graph-names'
import { nameCharProblem } from './hidden-chars'
import { ALGORITHM_NAMES, algorithmSpec, paramRangeProblem, writeBackPropertyProblem, type AlgorithmName, type AlgorithmSource, type ParamValue, type WriteBack } from './algorithms'
import type { JobStatus, TaskStatus } from './status'
import type { JobSummary } from './model'
import type { JobRef } from './api'
import type { WorkflowListQuery } from './workflow-limits'

/** Component ids: a letter, then letters, digits and `_` (Explorer's `query_1`, `PageRank_1`). */
export const COMPONENT_ID = /^[A-Za-z][A-Za-z0-9_]{0,63}$/
/** Anchor names (output0, VID, src, ROOT, renamed outputs). */
export const ANCHOR_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/
export const MAX_COMPONENTS = 200
/** Wires in one workflow: far more than 200 components wire in practice, and checking them stays instant. */
export const MAX_WIRES = 2000
/** Custom parameters of one query component (as many as a run's input may give one component). */
export const MAX_QUERY_PARAMS = 64
/** Output anchors of one query component (returned columns it names). */
export const MAX_OUTPUTS = 256
/** Problems validateGraphWorkflow lists; past them one more issue says how many were left out. */
export const MAX_ISSUES = 100
export const MAX_QUERY_LENGTH = 100_000
/** The longest text a query parameter's value may be, as a default or as a run's input. */
export const MAX_PARAM_VALUE_LENGTH = 100_000
export const QUERY_PARAM_TYPES = ['string', 'int', 'float', 'bool'] as const
export type QueryParamType = (typeof QUERY_PARAM_TYPES)[number]

/** A custom input parameter of a query component: `$name` in its Cypher. */
export interface QueryParam {
  name: string
  type: QueryParamType
  /** Used when neither the run's input nor a wire gives a value; without it the parameter is required. */
  default?: ParamValue
}

export interface CanvasPosition {
  x: number
  y: number
}

export interface QueryComponent {
  id: string
  kind: 'query'
  /** What the canvas and Explorer's task list show; the id when absent. */
  name?: string
  graph: string
  /** One Cypher statement; `$name` for each custom parameter. */
  query: string
  params?: QueryParam[]
  /** Output anchor names for the returned columns, in order (output0, output1, …). */
  outputs: string[]
  position?: CanvasPosition
}

/** Where an algorithm component reads its edges: a graph, an uploaded file, or upstream anchors (src, dst[, weight]). */
export type AlgorithmInput = AlgorithmSource | { kind: 'upstream' }

export interface AlgorithmComponent {
  id: string
  kind: 'algorithm'
  name?: string
  algorithm: AlgorithmName
  input: AlgorithmInput
  /** Explorer's parameter names; missing ones take their defaults (shared/algorithms.ts). */
  params?: Record<string, ParamValue>
  /**
   * Write each vertex's value into this vertex property of the input graph (graph inputs only): the
   * result's type must fit the property's; a property holding values is written only with `overwrite: true`.
   */
  writeBack?: WriteBack
  position?: CanvasPosition
}

export type GraphWorkflowComponent = QueryComponent | AlgorithmComponent
export const COMPONENT_KINDS = ['query', 'algorithm'] as const

export interface AnchorRef {
  component: string
  anchor: string
}

/** An output anchor of one component to an input anchor of another. */
export interface Wire {
  from: AnchorRef
  to: AnchorRef
}

/** One saved version of a workflow. */
export interface GraphWorkflowDocument {
  name: string
  components: GraphWorkflowComponent[]
  wires: Wire[]
}

/** A validation problem; `component` is the id of the component it concerns, when one does. */
export interface GraphWorkflowIssue {
  component?: string
  /** Where in the document: `components[2].params.ROOT`, `wires[0].to`, `name`. */
  field: string
  message: string
}

export interface GraphWorkflowValidation {
  valid: boolean
  errors: GraphWorkflowIssue[]
  /**
   * What does not stop a save but would stop a run now (the server's validate): a graph that does
   * not exist yet, as in a workflow made before its graph is imported.
   */
  warnings?: GraphWorkflowIssue[]
}

/** Input anchors wired from upstream data: the edge list of an `upstream` algorithm input. */
export const EDGE_ANCHORS = ['src', 'dst', 'weight'] as const

/** What a component is called on the canvas and in Explorer's task list: its name, else its algorithm (`BFS`), else `Query`. */
export const componentName = (c: GraphWorkflowComponent): string => c.name ?? (c.kind === 'algorithm' ? c.algorithm : 'Query')

/** The output anchors of a component: a query's declared outputs, an algorithm's fixed columns for its parameters. */
/** The graphs a document's components query or read their edges from, each once, in component order. */
export function componentGraphs(doc: Pick<GraphWorkflowDocument, 'components'>): string[] {
  const graphs = doc.components.map((c) => (c.kind === 'query' ? c.graph : c.input.kind === 'graph' ? c.input.graph : undefined))
  return [...new Set(graphs.filter((g): g is string => g !== undefined))]
}

export function outputAnchors(c: GraphWorkflowComponent): string[] {
  if (c.kind === 'query') return Array.isArray(c.outputs) ? [...c.outputs] : []
  const spec = algorithmSpec(c.algorithm)
  if (!spec) return []
  const params: Record<string, ParamValue> = {}
  for (const p of spec.params) {
    const v = c.params?.[p.name]
    if (v !== undefined) params[p.name] = v
    else if (p.default !== undefined) params[p.name] = p.default
  }
  return spec.columns(params)
}

/** The input anchors of a component: a query's custom parameters; an algorithm's parameters, plus src/dst/weight for an upstream input. */
export function inputAnchors(c: GraphWorkflowComponent): string[] {
  if (c.kind === 'query') return (c.params ?? []).map((p) => p.name)
  const params = algorithmSpec(c.algorithm)?.params.map((p) => p.name) ?? []
  return c.input?.kind === 'upstream' ? [...EDGE_ANCHORS, ...params] : params
}

/**
 * `record[key]` when `record` has it as its own key, else undefined. Component ids and parameter
 * names are the user's (`constructor`, `toString` are valid ones): a plain lookup would find
 * Object.prototype's members instead of "not given".
 */
export const ownValue = <T>(record: Readonly<Record<string, T>> | undefined, key: string): T | undefined =>
  record !== undefined && Object.hasOwn(record, key) ? record[key] : undefined

/** The wires into a component, by input anchor. */
export function wiresInto(doc: Pick<GraphWorkflowDocument, 'wires'>, id: string): Map<string, AnchorRef> {
  return new Map(doc.wires.filter((w) => w.to.component === id).map((w) => [w.to.anchor, w.from]))
}

/** The components a component waits for (those wired into it), each once. */
export function upstreamOf(doc: Pick<GraphWorkflowDocument, 'wires'>, id: string): string[] {
  return [...new Set(doc.wires.filter((w) => w.to.component === id).map((w) => w.from.component))]
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
const isName = (v: unknown, max = 256): v is string => typeof v === 'string' && v.trim() !== '' && v.length <= max
/**
 * Whether a value fits a parameter's type: a query parameter's (string, int, float, bool) or an
 * algorithm parameter's (also enum, one of `values`). Numbers and booleans may come as text, as
 * Explorer's run input sends them (`{"minAge": "30"}`).
 */
export function fitsParamType(type: string, v: unknown, values?: readonly string[]): boolean {
  return type === 'enum' ? (values ?? []).includes(String(v)) : typeOk(type, v)
}

const typeOk = (type: string, v: unknown): boolean => {
  if (type === 'bool') return typeof v === 'boolean' || v === 'true' || v === 'false'
  if (type === 'int') return (typeof v === 'number' && Number.isSafeInteger(v)) || (typeof v === 'string' && /^[+-]?\d{1,15}$/.test(v.trim()))
  if (type === 'float') return (typeof v === 'number' && Number.isFinite(v)) || (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)))
  return typeof v === 'string' || typeof v === 'number'
}

/**
 * Checks a document as the canvas shows it before a run and the server before it stores or runs
 * one: shapes, unique ids, graph names by TuGraph's rule (shared/graph-names.ts; whether the graph
 * exists is the server's check: a warning at save, an error at run), known algorithms and
 * parameters, parameter types, required parameters
 * given or wired, inputs wired (an upstream algorithm's src and dst), wires between existing
 * anchors, one wire per input anchor, and no cycle; the workflow's and components' names hold no
 * control or invisible character (nameCharProblem), unless `stored`: a version saved before that rule
 * still runs under its name. Never throws; every problem is listed.
 */
export function validateGraphWorkflow(doc: unknown, { stored = false }: { stored?: boolean } = {}): GraphWorkflowValidation {
  const errors: GraphWorkflowIssue[] = []
  let leftOut = 0
  const err = (field: string, message: string, component?: string) => {
    if (errors.length >= MAX_ISSUES) leftOut++
    else errors.push(component ? { component, field, message } : { field, message })
  }
  const result = (): GraphWorkflowValidation => ({
    valid: errors.length === 0,
    errors: leftOut ? [...errors, { field: '', message: `and ${leftOut} more problem${leftOut === 1 ? '' : 's'}` }] : errors,
  })
  if (!isObject(doc)) return { valid: false, errors: [{ field: '', message: 'the workflow must be an object {name, components, wires}' }] }
  if (!isName(doc.name, 200)) err('name', 'name must be a non-empty text of at most 200 characters')
  else if (!stored && nameCharProblem(doc.name)) err('name', `name ${nameCharProblem(doc.name)}`)
  if (!Array.isArray(doc.components) || doc.components.length === 0) {
    err('components', 'components must be a non-empty list')
    return { valid: false, errors }
  }
  // refused before anything is looked at per component: a 15 MB document of 60,000 components kept
  // the server's main thread busy for seconds
  if (doc.components.length > MAX_COMPONENTS) {
    err('components', `a workflow has at most ${MAX_COMPONENTS} components, not ${doc.components.length}`)
    return result()
  }
  const wires: unknown[] = doc.wires === undefined ? [] : Array.isArray(doc.wires) ? doc.wires : (err('wires', 'wires must be a list'), [])
  if (wires.length > MAX_WIRES) {
    err('wires', `a workflow has at most ${MAX_WIRES} wires, not ${wires.length}`)
    return result()
  }
  const byId = new Map<string, GraphWorkflowComponent>()
  doc.components.forEach((raw, i) => {
    const at = `components[${i}]`
    if (!isObject(raw)) return err(at, 'a component must be an object')
    const id = raw.id
    if (typeof id !== 'string' || !COMPONENT_ID.test(id)) return err(`${at}.id`, 'id must start with a letter and hold only letters, digits and _ (at most 64), like query_1')
    if (byId.has(id)) return err(`${at}.id`, `component id ${id} is used twice`, id)
    byId.set(id, raw as unknown as GraphWorkflowComponent)
    if (raw.name !== undefined && !isName(raw.name, 200)) err(`${at}.name`, 'name must be a non-empty text of at most 200 characters', id)
    else if (!stored && nameCharProblem(raw.name)) err(`${at}.name`, `${id}: name ${nameCharProblem(raw.name)}`, id)
    if (raw.kind === 'query') checkQuery(raw, at, id, err)
    else if (raw.kind === 'algorithm') checkAlgorithm(raw, at, id, err)
    else err(`${at}.kind`, `kind must be one of ${COMPONENT_KINDS.join(', ')}`, id)
  })

  const taken = new Map<string, number>()
  // each component's anchors once, not per wire
  const anchors = new Map<GraphWorkflowComponent, { out: Set<string>; in: Set<string> }>()
  const anchorsOf = (c: GraphWorkflowComponent) => {
    let a = anchors.get(c)
    if (!a) anchors.set(c, (a = { out: new Set(outputAnchors(c)), in: new Set(inputAnchors(c)) }))
    return a
  }
  wires.forEach((raw, i) => {
    const at = `wires[${i}]`
    if (!isObject(raw) || !isObject(raw.from) || !isObject(raw.to)) return err(at, 'a wire must be {from: {component, anchor}, to: {component, anchor}}')
    const from = byId.get(String(raw.from.component))
    const to = byId.get(String(raw.to.component))
    if (!from) return err(`${at}.from`, `no component ${JSON.stringify(raw.from.component)}`)
    if (!to) return err(`${at}.to`, `no component ${JSON.stringify(raw.to.component)}`)
    const outs = anchorsOf(from).out
    if (!outs.has(String(raw.from.anchor))) {
      return err(`${at}.from`, `${from.id} has no output anchor ${JSON.stringify(raw.from.anchor)}; it has ${someNames(outs)}`, from.id)
    }
    const ins = anchorsOf(to).in
    if (!ins.has(String(raw.to.anchor))) {
      return err(`${at}.to`, `${to.id} has no input anchor ${JSON.stringify(raw.to.anchor)}; it has ${someNames(ins)}`, to.id)
    }
    const key = `${to.id}\0${String(raw.to.anchor)}`
    if (taken.has(key)) return err(`${at}.to`, `input ${String(raw.to.anchor)} of ${to.id} is already wired (wires[${taken.get(key)}])`, to.id)
    taken.set(key, i)
  })
  const wired = (id: string, anchor: string) => taken.has(`${id}\0${anchor}`)

  const indexOf = new Map<unknown, number>(doc.components.map((c, i) => [c, i]))
  for (const [id, c] of byId) {
    const at = `components[${indexOf.get(c)}]`
    const spec = c.kind === 'algorithm' ? algorithmSpec(c.algorithm) : undefined
    if (c.kind === 'algorithm' && spec) {
      if (c.input?.kind === 'upstream') {
        for (const a of ['src', 'dst']) if (!wired(id, a)) err(`${at}.input`, `${id}: input ${a} is not wired; wire it to an upstream output anchor`, id)
      }
      for (const p of spec.params) {
        if (p.default === undefined && (c.params?.[p.name] === undefined || c.params[p.name] === '') && !wired(id, p.name)) {
          err(`${at}.params.${p.name}`, `${id}: parameter ${p.name} is required (${p.description}); set it or wire it`, id)
        }
      }
    }
  }

  if (errors.length === 0) {
    const dependents = new Map<string, string[]>([...byId.keys()].map((k) => [k, []]))
    for (const w of wires as Wire[]) {
      const list = dependents.get(w.from.component)!
      if (!list.includes(w.to.component)) list.push(w.to.component)
    }
    const cycle = findCycle([...byId.keys()].map((name) => ({ name })), dependents)
    if (cycle) err('wires', cycleMessage(cycle), cycle[0])
  }
  return result()
}

/** Names for a message: all of a few, the first ones of many ("a, b, c, … (300 in all)"), or none. */
function someNames(names: ReadonlySet<string>, most = 20): string {
  if (names.size === 0) return 'none'
  const first: string[] = []
  for (const n of names) {
    if (first.length === most) break
    first.push(n)
  }
  return names.size <= most ? first.join(', ') : `${first.join(', ')}, … (${names.size} in all)`
}

type Report = (field: string, message: string, component?: string) => void

function checkQuery(c: Record<string, unknown>, at: string, id: string, err: Report): void {
  if (!isName(c.graph, 64)) err(`${at}.graph`, `${id}: graph names the local graph to query`, id)
  else if (graphNameProblem(c.graph)) err(`${at}.graph`, `${id}: graph ${JSON.stringify(c.graph)} is no graph name: ${graphNameProblem(c.graph)}`, id)
  if (typeof c.query !== 'string' || !c.query.trim()) err(`${at}.query`, `${id}: query must be a Cypher statement`, id)
  else if (c.query.length > MAX_QUERY_LENGTH) err(`${at}.query`, `${id}: the query is longer than ${MAX_QUERY_LENGTH} characters`, id)
  if (c.params !== undefined) {
    if (!Array.isArray(c.params)) err(`${at}.params`, `${id}: params must be a list of {name, type, default?}`, id)
    else if (c.params.length > MAX_QUERY_PARAMS) err(`${at}.params`, `${id}: a query has at most ${MAX_QUERY_PARAMS} parameters`, id)
    else {
      const seen = new Set<string>()
      c.params.forEach((p: unknown, j: number) => {
        const f = `${at}.params[${j}]`
        if (!isObject(p) || typeof p.name !== 'string' || !ANCHOR_NAME.test(p.name)) return err(f, `${id}: a parameter needs a name of letters, digits and _`, id)
        if (seen.has(p.name)) return err(f, `${id}: parameter ${p.name} is declared twice`, id)
        seen.add(p.name)
        if (!QUERY_PARAM_TYPES.includes(p.type as QueryParamType)) err(`${f}.type`, `${id}: parameter ${p.name}: type must be one of ${QUERY_PARAM_TYPES.join(', ')}`, id)
        else if (p.default !== undefined && !typeOk(String(p.type), p.default)) err(`${f}.default`, `${id}: parameter ${p.name}: the default ${JSON.stringify(p.default).slice(0, 100)} is not a ${String(p.type)}`, id)
        else if (typeof p.default === 'string' && p.default.length > MAX_PARAM_VALUE_LENGTH) err(`${f}.default`, `${id}: parameter ${p.name}: the default is longer than ${MAX_PARAM_VALUE_LENGTH} characters`, id)
      })
    }
  }
  if (!Array.isArray(c.outputs)) err(`${at}.outputs`, `${id}: outputs must list an anchor name per returned column (output0, output1, …)`, id)
  else if (c.outputs.length > MAX_OUTPUTS) err(`${at}.outputs`, `${id}: a query has at most ${MAX_OUTPUTS} outputs`, id)
  else {
    const seen = new Set<string>()
    c.outputs.forEach((o: unknown, j: number) => {
      if (typeof o !== 'string' || !ANCHOR_NAME.test(o)) err(`${at}.outputs[${j}]`, `${id}: output anchor names hold letters, digits and _`, id)
      else if (seen.has(o)) err(`${at}.outputs[${j}]`, `${id}: output anchor ${o} is named twice`, id)
      else seen.add(o)
    })
  }
}

function checkAlgorithm(c: Record<string, unknown>, at: string, id: string, err: Report): void {
  const name = c.algorithm as AlgorithmName
  const spec = algorithmSpec(name)
  if (!spec) return err(`${at}.algorithm`, `${id}: algorithm must be one of ${ALGORITHM_NAMES.join(', ')}`, id)
  const input = c.input
  if (!isObject(input)) err(`${at}.input`, `${id}: input must be {kind: "graph", graph, edgeLabel?, weight?}, {kind: "file", path} or {kind: "upstream"}`, id)
  else if (input.kind === 'graph') {
    if (!isName(input.graph, 64)) err(`${at}.input.graph`, `${id}: input.graph names the local graph to read`, id)
    else if (graphNameProblem(input.graph)) err(`${at}.input.graph`, `${id}: input.graph ${JSON.stringify(input.graph)} is no graph name: ${graphNameProblem(input.graph)}`, id)
    for (const k of ['edgeLabel', 'weight'] as const) if (input[k] !== undefined && !isName(input[k])) err(`${at}.input.${k}`, `${id}: input.${k} must be a non-empty name`, id)
  } else if (input.kind === 'file') {
    if (!isName(input.path, 4096)) err(`${at}.input.path`, `${id}: input.path names a src,dst[,weight] file in your upload folder`, id)
    else {
      // the rule the run resolves the file by, so a path that leaves the upload folder is never stored
      const name = parseUploadName(input.path, { field: 'input.path' })
      if ('problem' in name) err(`${at}.input.path`, `${id}: ${name.problem.message}`, id)
    }
  } else if (input.kind !== 'upstream') err(`${at}.input.kind`, `${id}: input.kind must be graph, file or upstream`, id)
  if (c.params !== undefined && !isObject(c.params)) err(`${at}.params`, `${id}: params must be an object of parameter name → value`, id)
  else {
    for (const [k, v] of Object.entries((c.params as Record<string, unknown> | undefined) ?? {})) {
      const p = spec.params.find((q) => q.name === k)
      if (!p) err(`${at}.params.${k}`, `${id}: ${name} has no parameter ${k}; it takes ${spec.params.map((q) => q.name).join(', ') || 'none'}`, id)
      else if (!fitsParamType(p.type, v, p.values)) {
        err(`${at}.params.${k}`, `${id}: ${k} must be ${p.type === 'enum' ? `one of ${p.values!.join(', ')}` : `a ${p.type}`}, not ${JSON.stringify(v)}`, id)
      } else if (p.type === 'int' || p.type === 'float') {
        const problem = paramRangeProblem(p, Number(v))
        if (problem) err(`${at}.params.${k}`, `${id}: ${k} ${problem}, not ${JSON.stringify(v)}`, id)
      }
    }
  }
  if (c.writeBack !== undefined) {
    const nameWrong = isObject(c.writeBack) ? writeBackPropertyProblem(c.writeBack.property) : null
    if (!isObject(c.writeBack)) err(`${at}.writeBack`, `${id}: writeBack must be {property, overwrite?}`, id)
    else if (nameWrong) err(`${at}.writeBack.property`, `${id}: ${nameWrong}`, id) // as the run's write and the algorithm API refuse it
    else if (c.writeBack.overwrite !== undefined && typeof c.writeBack.overwrite !== 'boolean') err(`${at}.writeBack.overwrite`, `${id}: writeBack.overwrite must be true or false`, id)
    else if (!isObject(input) || input.kind !== 'graph') err(`${at}.writeBack`, `${id}: only a graph input has a graph to write back into`, id)
  }
}

// ── stored workflows, runs and the native operations ─────────────────────────

export interface GraphWorkflowVersionInfo {
  version: number
  savedAt: number
  savedBy: string
}

/** A workflow's most recent job (the list's "Last run"). */
export interface GraphWorkflowLastRun {
  jobId: number
  status: JobStatus
  /** When it finished, else started, else was submitted (epoch ms). */
  at: number
}

export interface GraphWorkflowSummary {
  /** Explorer's numeric workflow id. */
  id: number
  name: string
  owner: string
  latestVersion: number
  createdAt: number
  updatedAt: number
  /** Its most recent job, of any version and submitter; null before its first run. */
  lastRun: GraphWorkflowLastRun | null
}

export interface GraphWorkflowDetail extends GraphWorkflowSummary {
  /** The version `document` is. */
  version: number
  document: GraphWorkflowDocument
  versions: GraphWorkflowVersionInfo[]
  /** Set by create and save: what was stored but would stop a run now (a graph that does not exist yet). */
  warnings?: GraphWorkflowIssue[]
}

/** Values for query components' custom parameters (and algorithm parameters), by component id: Explorer's `input`. */
export type GraphWorkflowRunInput = Record<string, Record<string, ParamValue>>

/** A component of a running or finished job: its task's state and its result set. */
export interface GraphWorkflowTaskView {
  id: string
  name: string
  kind: GraphWorkflowComponent['kind']
  status: TaskStatus
  error: string | null
  startedAt: number | null
  finishedAt: number | null
  /** The index of its result set (jobs.resultPage, jobs.exportResult), once it has one. */
  resultIndex: number | null
  rows: number | null
  /** Output anchors (column names for an algorithm, the declared names for a query). */
  outputs: string[]
}

export interface GraphWorkflowJobView {
  job: JobSummary
  workflowId: number
  version: number
  /** The workflow's name when the job ran. */
  workflowName: string
  /** The workflow was deleted since (its jobs stay): there is no canvas to open it on. */
  workflowDeleted: boolean
  components: GraphWorkflowTaskView[]
}

/** What the canvas says when a job's workflow was deleted (instead of opening it). */
export const deletedWorkflowText = (view: Pick<GraphWorkflowJobView, 'job' | 'workflowId' | 'workflowName'>): string =>
  `Job #${view.job.id} ran the graph workflow “${view.workflowName}” (#${view.workflowId}), which was deleted, so it cannot be shown on the canvas. The job, its log and its results stay on the Jobs page.`

export type GraphWorkflowRerunFrom = 'failed' | 'start'

/**
 * What one component runs, as text to read before running it again (jobs.code, the Rerun question):
 * a first line naming it and where it reads, then a query's Cypher as written, or the algorithm
 * with its parameters (JSON) and write-back. `input`: the run's values for its parameters, shown as
 * `$name = value` lines (JSON values), then a query's other parameters: those named in `wired`
 * (input anchors a wire feeds) as wired, the rest with their defaults. Raw text: draw it
 * through SafeText.
 */
export function componentRunText(c: GraphWorkflowComponent, input: Record<string, unknown> = {}, wired: readonly string[] = []): string {
  const values = Object.entries(input).map(([name, v]) => `$${name} = ${JSON.stringify(v)}`)
  if (c.kind === 'query') {
    // a parameter the run gave no value takes its default (or a wire's value, known only as it runs)
    const rest = (c.params ?? []).filter((p) => !(p.name in input))
    const fromWires = rest.filter((p) => wired.includes(p.name)).map((p) => `$${p.name} = the value wired into it`)
    const defaults = rest.filter((p) => !wired.includes(p.name) && p.default !== undefined).map((p) => `$${p.name} = ${JSON.stringify(p.default)} (its default)`)
    return [`${c.id}: query on graph ${c.graph}`, c.query, ...values, ...fromWires, ...defaults].join('\n')
  }
  const from = c.input.kind === 'graph' ? `graph ${c.input.graph}${c.input.edgeLabel ? ` (edges ${c.input.edgeLabel})` : ''}` : c.input.kind === 'file' ? `file ${c.input.path}` : 'its upstream components'
  return [
    `${c.id}: algorithm ${c.algorithm} on ${from}`,
    `${c.algorithm} with ${c.params && Object.keys(c.params).length > 0 ? `parameters ${JSON.stringify(c.params)}` : 'its default parameters'}${c.writeBack ? `, written back to vertex property ${c.writeBack.property}${c.writeBack.overwrite ? ' (replacing its values)' : ''}` : ''}`,
    ...values,
    ...wired.filter((a) => !(EDGE_ANCHORS as readonly string[]).includes(a) && !(a in input)).map((a) => `${a} = the value wired into it`),
  ].join('\n')
}

/** The graph workflow operations of the shared contract (merged into shared/api.ts). Owner or admin throughout. */
export interface GraphWorkflowOperations {
  /** A page of the caller's graph workflows (an admin: everyone's), most recently saved first; over HTTP the X-Total-Count header says how many there are. */
  'graphWorkflows.list': { params: WorkflowListQuery; result: GraphWorkflowSummary[] }
  /** Stores a new workflow as version 1; refuses an invalid document (the first problem, naming the component). */
  'graphWorkflows.create': { params: { document: GraphWorkflowDocument }; result: GraphWorkflowDetail }
  /** The latest version, or the one asked for. */
  'graphWorkflows.get': { params: { id: number; version?: number }; result: GraphWorkflowDetail }
  /** Saves the next version. */
  'graphWorkflows.save': { params: { id: number; document: GraphWorkflowDocument }; result: GraphWorkflowDetail }
  /** The document's problems (as create and save refuse them: shapes, names, Cypher that does not parse) and warnings (graphs that do not exist). */
  'graphWorkflows.validate': { params: { document: unknown }; result: GraphWorkflowValidation }
  /** Runs a version (the latest by default) as one job; `input` as Explorer's POST workflows/{id}/jobs. */
  'graphWorkflows.run': { params: { id: number; version?: number; input?: GraphWorkflowRunInput }; result: JobRef }
  /** A job of a graph workflow with each component's state and result set. */
  'graphWorkflows.job': { params: { id: number }; result: GraphWorkflowJobView }
  /**
   * Runs a finished job again: `failed` (default) reruns the same job from its failed or cancelled
   * components, reusing the finished components' outputs; `start` runs the whole workflow again as a new job.
   */
  'graphWorkflows.rerun': { params: { id: number; from?: GraphWorkflowRerunFrom }; result: JobRef }
  /**
   * Deletes a workflow with its versions. Its jobs stay (Jobs page history, their results and
   * reruns: a job holds what it ran); Explorer's workflows/{id}/jobs then answers not found.
   */
  'graphWorkflows.delete': { params: { id: number }; result: { id: number; deleted: true } }
}

export const GRAPH_WORKFLOW_HTTP_ROUTES: { [K in keyof GraphWorkflowOperations]: { method: 'GET' | 'POST' | 'DELETE'; path: string; status?: number } } = {
  'graphWorkflows.list': { method: 'GET', path: '/api/v1/graph-workflows' },
  'graphWorkflows.create': { method: 'POST', path: '/api/v1/graph-workflows', status: 201 },
  'graphWorkflows.validate': { method: 'POST', path: '/api/v1/graph-workflows/validate' },
  'graphWorkflows.job': { method: 'GET', path: '/api/v1/graph-workflows/jobs/:id' },
  'graphWorkflows.rerun': { method: 'POST', path: '/api/v1/graph-workflows/jobs/:id/rerun', status: 201 },
  'graphWorkflows.get': { method: 'GET', path: '/api/v1/graph-workflows/:id' },
  'graphWorkflows.save': { method: 'POST', path: '/api/v1/graph-workflows/:id/versions', status: 201 },
  'graphWorkflows.run': { method: 'POST', path: '/api/v1/graph-workflows/:id/jobs', status: 201 },
  'graphWorkflows.delete': { method: 'DELETE', path: '/api/v1/graph-workflows/:id' },
}
