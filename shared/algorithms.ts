// Graph algorithms as NebulaGraph Explorer's algorithm components present them (its parameter
// names, defaults and fixed output columns: nebula-docs graph-computing/algorithm-description.md,
// NebulaGraph Analytics), shared by the native API, the workflow canvas and the dialects.
import type { ResultPage } from './api'
import type { JobSummary } from './model'
import type { LabelDef } from './graph'
import { MAX_FIELD_NAME, nameProblem } from './graph-names'

export const ALGORITHM_NAMES = [
  'PageRank',
  'WCC',
  'LPA',
  'HANP',
  'Louvain',
  'KCore',
  'DegreeCentrality',
  'BetweennessCentrality',
  'ClosenessCentrality',
  'SSSP',
  'BFS',
  'ShortestPath',
  'APSP',
  'TriangleCount',
  'ClusteringCoefficient',
  'Jaccard',
] as const
export type AlgorithmName = (typeof ALGORITHM_NAMES)[number]

export type ParamValue = string | number | boolean

/** One parameter: Explorer's name, its type, default (absent when the parameter is required) and allowed values. */
export interface AlgorithmParamSpec {
  name: string
  type: 'int' | 'float' | 'bool' | 'string' | 'enum'
  default?: ParamValue
  values?: readonly string[]
  /** A vertex id or a comma-separated list of them (ROOT, IDS1, src, …). */
  vertexIds?: boolean
  /** int and float: the smallest value taken. */
  min?: number
  /** int and float: the largest value taken (every count of passes has one, so no run loops for good). */
  max?: number
  description: string
}

/** The most passes any iterative algorithm runs (ITERATIONS, OUTER_ITERATION, INNER_ITERATION). */
export const MAX_ITERATIONS = 100_000

/**
 * Why a number is outside its parameter's range ("must be at most 100000"), or undefined when it
 * is inside (or the parameter has no range). Checked by the server and by the workflow canvas.
 */
export function paramRangeProblem(p: AlgorithmParamSpec, value: number): string | undefined {
  if (p.min !== undefined && p.max !== undefined && !(value >= p.min && value <= p.max)) return `must be from ${p.min} to ${p.max}`
  if (p.min !== undefined && !(value >= p.min)) return `must be at least ${p.min}`
  if (p.max !== undefined && !(value <= p.max)) return `must be at most ${p.max}`
  return undefined
}

export interface AlgorithmSpec {
  name: AlgorithmName
  category: 'Node importance' | 'Path' | 'Community' | 'Graph feature' | 'Clustering' | 'Similarity'
  params: readonly AlgorithmParamSpec[]
  /** Whether edge weights change the result (PageRank, SSSP, LPA, HANP, Louvain, …). */
  usesWeight: boolean
  /** The output columns for the given (defaulted) parameters. */
  columns(params: Record<string, ParamValue>): string[]
}

const IS_DIRECTED: AlgorithmParamSpec = { name: 'IS_DIRECTED', type: 'bool', default: true, description: 'follow edge directions; false adds the reverse of every edge' }
const ITERATIONS = (n: number): AlgorithmParamSpec => ({ name: 'ITERATIONS', type: 'int', default: n, min: 1, max: MAX_ITERATIONS, description: 'the most passes to run' })
const IS_CALC_MODULARITY: AlgorithmParamSpec = { name: 'IS_CALC_MODULARITY', type: 'bool', default: false, description: 'compute the modularity of the result (in the job output and log)' }
const ROOT: AlgorithmParamSpec = { name: 'ROOT', type: 'string', vertexIds: true, description: 'the source vertex id' }
const NO_DUP: AlgorithmParamSpec = { name: 'REMOVED_DUPLICATION_EDGE', type: 'bool', default: true, description: 'count parallel edges once (always done)' }
const NO_SELF: AlgorithmParamSpec = { name: 'REMOVED_SELF_EDGE', type: 'bool', default: true, description: 'leave self-loops out (always done)' }
const VID_VALUE = () => ['VID', 'VALUE']
const VID_LABEL = () => ['VID', 'LABEL']

/** Every algorithm with its parameters and output columns. */
export const ALGORITHM_SPECS: Record<AlgorithmName, AlgorithmSpec> = {
  PageRank: {
    name: 'PageRank',
    category: 'Node importance',
    usesWeight: true,
    params: [
      ITERATIONS(10),
      IS_DIRECTED,
      { name: 'EPS', type: 'float', default: 0.0001, min: 0, description: 'stop when the change between two passes is below this' },
      { name: 'DAMPING', type: 'float', default: 0.85, min: 0, max: 1, description: 'the damping factor' },
    ],
    columns: VID_VALUE,
  },
  WCC: { name: 'WCC', category: 'Community', usesWeight: false, params: [IS_DIRECTED, IS_CALC_MODULARITY], columns: VID_LABEL },
  LPA: { name: 'LPA', category: 'Community', usesWeight: true, params: [ITERATIONS(10), IS_DIRECTED, IS_CALC_MODULARITY], columns: VID_LABEL },
  HANP: {
    name: 'HANP',
    category: 'Community',
    usesWeight: true,
    params: [
      ITERATIONS(10),
      IS_DIRECTED,
      { name: 'PREFERENCE', type: 'float', default: 1.0, description: 'bias towards neighbours of high (m > 0) or low (m < 0) degree' },
      { name: 'HOP_ATT', type: 'float', default: 0.1, min: 0, max: 1, description: 'score attenuation per hop, 0 to 1' },
    ],
    columns: VID_LABEL,
  },
  Louvain: {
    name: 'Louvain',
    category: 'Community',
    usesWeight: true,
    params: [
      IS_DIRECTED,
      { name: 'OUTER_ITERATION', type: 'int', default: 20, min: 1, max: MAX_ITERATIONS, description: 'passes of the first phase (graphology runs to convergence)' },
      { name: 'INNER_ITERATION', type: 'int', default: 10, min: 1, max: MAX_ITERATIONS, description: 'passes of the second phase (graphology runs to convergence)' },
      IS_CALC_MODULARITY,
    ],
    columns: VID_LABEL,
  },
  KCore: {
    name: 'KCore',
    category: 'Node importance',
    usesWeight: false,
    params: [
      { name: 'TYPE', type: 'enum', default: 'vertex', values: ['vertex', 'subgraph'], description: 'vertex: the core number of each vertex; subgraph: the edges of the k-core' },
      { name: 'KMIN', type: 'int', default: 1, description: 'smallest k (TYPE=subgraph)' },
      { name: 'KMAX', type: 'int', default: 1000000, description: 'largest k (TYPE=subgraph)' },
    ],
    columns: VID_VALUE,
  },
  DegreeCentrality: {
    name: 'DegreeCentrality',
    category: 'Node importance',
    usesWeight: false,
    params: [
      IS_DIRECTED,
      { name: 'STEP', type: 'int', default: 3, description: 'hops to count within; -1 for any number' },
      { name: 'BITS', type: 'int', default: 6, description: 'HyperLogLog width in Analytics (JobDesk counts exactly)' },
      { name: 'TYPE', type: 'enum', default: 'both', values: ['in', 'out', 'both'], description: 'which edges to follow' },
    ],
    columns: (p) => (p.TYPE === 'in' ? ['VID', 'IN_DEGREE'] : p.TYPE === 'out' ? ['VID', 'OUT_DEGREE'] : ['VID', 'BOTH_DEGREE', 'OUT_DEGREE', 'IN_DEGREE']),
  },
  BetweennessCentrality: {
    name: 'BetweennessCentrality',
    category: 'Node importance',
    usesWeight: true,
    params: [
      ITERATIONS(10),
      IS_DIRECTED,
      { name: 'CHOSEN', type: 'string', default: '-1', vertexIds: true, description: 'count paths from this vertex only; -1 for every vertex' },
      { name: 'CONSTANT', type: 'float', default: 2, description: 'sampling constant in Analytics (JobDesk is exact)' },
    ],
    columns: VID_VALUE,
  },
  ClosenessCentrality: {
    name: 'ClosenessCentrality',
    category: 'Node importance',
    usesWeight: true,
    params: [IS_DIRECTED, { name: 'NUM_SAMPLES', type: 'int', default: 10, description: 'sample size in Analytics (JobDesk is exact)' }],
    columns: VID_VALUE,
  },
  SSSP: { name: 'SSSP', category: 'Path', usesWeight: true, params: [ROOT], columns: () => ['VID', 'DISTANCE'] },
  BFS: { name: 'BFS', category: 'Path', usesWeight: false, params: [IS_DIRECTED, ROOT], columns: () => ['ROOT', 'VISITED'] },
  ShortestPath: {
    name: 'ShortestPath',
    category: 'Path',
    usesWeight: true,
    params: [
      { name: 'src', type: 'string', default: '100', vertexIds: true, description: 'start vertices, comma-separated' },
      { name: 'dst', type: 'string', default: '200', vertexIds: true, description: 'end vertices, comma-separated' },
    ],
    columns: () => ['VALUE'],
  },
  APSP: { name: 'APSP', category: 'Path', usesWeight: true, params: [], columns: () => ['VID1', 'VID2', 'DISTANCE'] },
  TriangleCount: {
    name: 'TriangleCount',
    category: 'Graph feature',
    usesWeight: false,
    params: [
      { name: 'OPT', type: 'enum', default: '3', values: ['1', '2', '3'], description: '1: count in the whole graph; 2: per vertex; 3: list every triangle' },
      NO_DUP,
      NO_SELF,
    ],
    columns: (p) => (String(p.OPT) === '1' ? ['COUNT'] : String(p.OPT) === '2' ? ['VID', 'COUNT'] : ['VID1', 'VID2', 'VID3']),
  },
  ClusteringCoefficient: {
    name: 'ClusteringCoefficient',
    category: 'Clustering',
    usesWeight: false,
    params: [{ name: 'TYPE', type: 'enum', default: 'local', values: ['local', 'global'], description: 'local: per vertex; global: one value for the graph' }, NO_DUP, NO_SELF],
    columns: VID_VALUE,
  },
  Jaccard: {
    name: 'Jaccard',
    category: 'Similarity',
    usesWeight: false,
    params: [
      { name: 'IDS1', type: 'string', vertexIds: true, description: 'vertex ids, comma-separated (required)' },
      { name: 'IDS2', type: 'string', default: '', vertexIds: true, description: 'vertex ids, comma-separated; empty: every vertex' },
      NO_SELF,
    ],
    columns: () => ['VID1', 'VID2', 'VALUE'],
  },
}

/**
 * Where an algorithm reads its edges: a graph (one edge label or all, an optional numeric edge
 * property as weight) or an uploaded `src,dst[,weight]` file (`weighted`: read the third column;
 * default: when the algorithm uses weights; a line without one weighs 1).
 */
export type AlgorithmSource =
  | { kind: 'graph'; graph: string; edgeLabel?: string; weight?: string }
  | { kind: 'file'; path: string; delimiter?: string; header?: boolean; weighted?: boolean }

export interface AlgorithmRequest {
  algorithm: AlgorithmName
  source: AlgorithmSource
  /** Explorer's parameter names; missing ones take their defaults. */
  params?: Record<string, ParamValue>
  /**
   * Also write each vertex's value into this property of its vertex label (graph sources; algorithms
   * with VID and one value). The result's type must fit the property's declared type (fitsProperty);
   * a property that already holds values is written only with `overwrite: true`.
   */
  writeBack?: WriteBack
  name?: string
}

/** Where an algorithm's per-vertex values go: a vertex property; `overwrite` allows replacing values it holds. */
export interface WriteBack {
  property: string
  overwrite?: boolean
}

/**
 * The type of an algorithm's per-vertex value, as written back: DOUBLE (PageRank, centralities,
 * SSSP distances, clustering), INT64 (cores, degrees, triangle counts), or VID: a vertex id
 * (community labels of WCC, LPA, HANP, Louvain), INT64 when every vertex's primary key is an
 * integer, STRING otherwise. Undefined for an algorithm with no per-vertex value.
 */
export function writeBackValueType(algorithm: AlgorithmName): 'DOUBLE' | 'INT64' | 'VID' | undefined {
  return WRITE_BACK_TYPES[algorithm]
}

/**
 * The type an algorithm's per-vertex values will have on a graph whose vertex labels are
 * `vertexLabels`: writeBackValueType with VID resolved, INT64 when every label's primary key is an
 * integer type, else STRING (a run may still find keys repeated across labels, named `Label:key`:
 * STRING; the write-back checks the type it got). Undefined when there is no per-vertex value.
 */
export function writeBackResultType(algorithm: AlgorithmName, vertexLabels: readonly { def: LabelDef }[]): 'DOUBLE' | 'INT64' | 'STRING' | undefined {
  const type = writeBackValueType(algorithm)
  if (type !== 'VID') return type
  const keyType = (def: LabelDef) => (def.type === 'VERTEX' ? def.properties.find((p) => p.name === def.primary)?.type : undefined)
  return vertexLabels.every((l) => /^INT/.test(keyType(l.def) ?? '')) ? 'INT64' : 'STRING'
}

/**
 * What is wrong with `property` as the name of a write-back's vertex property (text starting
 * `writeBack.property`), or null when it is fine: TuGraph's field-name rule (`Invalid Field: …`), the
 * one the run's write applies. The one rule for the algorithm API, a graph workflow's save and its form.
 */
export function writeBackPropertyProblem(property: unknown): string | null {
  if (typeof property !== 'string' || property.trim() === '') return 'writeBack.property names the vertex property to write'
  // the algorithm route's schema says this first (its maxLength counts characters; the rule below, bytes)
  if ([...property].length > MAX_FIELD_NAME) return `writeBack.property must be 1 to ${MAX_FIELD_NAME} characters`
  const problem = nameProblem(property, MAX_FIELD_NAME, 'Invalid Field: ')
  return problem ? `writeBack.property ${JSON.stringify(property.length > 40 ? `${property.slice(0, 40)}…` : property)} cannot be a property: ${problem}` : null
}

/**
 * The vertex labels a write-back into `property` adds it to, as Neo4j GDS's write mode creates a
 * property it writes: when no vertex label has `property`, every label that has vertices (an
 * algorithm's result covers every vertex of its graph); none when some label has it already (labels
 * without it are then skipped, as before). The property is added optional, of the result's type
 * (writeBackResultType), in the same transaction as the values. Names, in label order.
 */
export function writeBackNewPropertyLabels(property: string, vertexLabels: readonly { name: string; count: number; def: LabelDef }[]): string[] {
  if (vertexLabels.some((l) => l.def.properties.some((p) => p.name === property))) return []
  return vertexLabels.filter((l) => l.count > 0).map((l) => l.name)
}

const WRITE_BACK_TYPES: Partial<Record<AlgorithmName, 'DOUBLE' | 'INT64' | 'VID'>> = {
  PageRank: 'DOUBLE',
  BetweennessCentrality: 'DOUBLE',
  ClosenessCentrality: 'DOUBLE',
  SSSP: 'DOUBLE',
  ClusteringCoefficient: 'DOUBLE',
  KCore: 'INT64',
  DegreeCentrality: 'INT64',
  TriangleCount: 'INT64',
  WCC: 'VID',
  LPA: 'VID',
  HANP: 'VID',
  Louvain: 'VID',
}

const INTEGER_TYPES = ['INT8', 'INT16', 'INT32', 'INT64']

/**
 * Whether a result of type `result` (INT64, DOUBLE, STRING) may be written into a property declared
 * `property` with no rounding or conversion: INT64 into any integer type (a value out of a narrow
 * type's range fails the write) or DOUBLE, DOUBLE only into DOUBLE (FLOAT would round it), STRING
 * only into STRING. As Neo4j GDS's and TuGraph's write modes, nothing is converted to fit.
 */
export function fitsProperty(result: string, property: string): boolean {
  if (result === 'INT64') return INTEGER_TYPES.includes(property) || property === 'DOUBLE'
  return result === property && (result === 'DOUBLE' || result === 'STRING')
}

/** What an algorithm job reports as its output. */
export interface AlgorithmSummary {
  algorithm: AlgorithmName
  params: Record<string, ParamValue>
  source: string
  vertices: number
  edges: number
  columns: string[]
  rows: number
  /** Rows past the result set's cap were dropped. */
  truncated: boolean
  snapshotMs: number
  /** Whether the snapshot came from the cache. */
  cached: boolean
  computeMs: number
  /** Algorithm-specific figures: iterations, modularity, communities, triangles, … */
  details: Record<string, number | string>
  /** `added`: the labels the property was added to (none had it) and its type. */
  writtenBack?: { property: string; vertices: number; skipped: number; added?: { labels: string[]; type: 'DOUBLE' | 'INT64' | 'STRING' } }
}

/** An algorithm as the catalog route shows it: its parameters and the columns it outputs with its defaults. */
export interface AlgorithmCatalogEntry {
  name: AlgorithmName
  category: AlgorithmSpec['category']
  usesWeight: boolean
  params: AlgorithmParamSpec[]
  columns: string[]
}

/** An algorithm job: the job, its summary once it succeeded, and a page of its result rows. */
export interface AlgorithmJobView {
  job: JobSummary
  algorithm: AlgorithmName
  summary: AlgorithmSummary | null
  result: ResultPage | null
}

/** The algorithm operations of the shared contract (merged into shared/api.ts). */
export interface AlgorithmOperations {
  'algorithms.catalog': { params: Record<string, never>; result: AlgorithmCatalogEntry[] }
  /**
   * Starts an algorithm job (cancel it with jobs.cancel; its rows are result set 0). With
   * `writeBack`: 400 invalid_request (field writeBack.property, naming the label(s), the field's type
   * and the result's) when the result's type does not fit the property's (fitsProperty: nothing is
   * rounded); 409 write_back_overwrites (field writeBack.overwrite) when the property holds values
   * and `writeBack.overwrite` is not true. Both are checked again when the values are written: the
   * job fails, writing nothing, if the schema or data changed meanwhile.
   */
  'algorithms.start': { params: AlgorithmRequest; result: JobSummary }
  /** Owner or admin. */
  'algorithms.job': { params: { id: number; offset?: number; limit?: number }; result: AlgorithmJobView }
}

export const ALGORITHM_HTTP_ROUTES: { [K in keyof AlgorithmOperations]: { method: 'GET' | 'POST'; path: string; status?: number } } = {
  'algorithms.catalog': { method: 'GET', path: '/api/v1/algorithms' },
  'algorithms.start': { method: 'POST', path: '/api/v1/algorithms/jobs', status: 201 },
  'algorithms.job': { method: 'GET', path: '/api/v1/algorithms/jobs/:id' },
}

/**
 * The spec of an algorithm named by client input, or undefined when it names none. Looks only at
 * ALGORITHM_SPECS' own keys: a plain index would take `__proto__`, `constructor` or `toString` for
 * an algorithm (Object's members) and fail further on.
 */
export function algorithmSpec(name: unknown): AlgorithmSpec | undefined {
  return typeof name === 'string' && Object.hasOwn(ALGORITHM_SPECS, name) ? ALGORITHM_SPECS[name as AlgorithmName] : undefined
}

/** The catalog: every algorithm with its parameters and default output columns. */
export function algorithmCatalog(): AlgorithmCatalogEntry[] {
  return ALGORITHM_NAMES.map((name) => {
    const spec = ALGORITHM_SPECS[name]
    const defaults = Object.fromEntries(spec.params.filter((p) => p.default !== undefined).map((p) => [p.name, p.default!]))
    return { name, category: spec.category, usesWeight: spec.usesWeight, params: [...spec.params], columns: spec.columns(defaults) }
  })
}
