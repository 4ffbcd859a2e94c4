// One component of a graph workflow as an engine task (executor `graph-component`): a query
// component runs its Cypher statement in a query worker with its custom parameters; an algorithm
// component runs in an algorithm worker on a graph, an uploaded file, or the edges its upstream
// components produced (their result sets, written to a scratch edge file). Each component's rows
// become its task's result set, which downstream components and Explorer's sample_result read.
import { mkdirSync, rmdirSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { ALGORITHM_SPECS, type ParamValue } from '../../../shared/algorithms'
import { ownValue, type AlgorithmComponent, type GraphWorkflowComponent, type QueryComponent } from '../../../shared/graph-workflows'
import { TaskFailure, type Executor, type TaskContext } from '../../engine/executor'
import type { Store } from '../../store'
import type { AlgorithmHost } from '../algorithms/algorithm-host'
import { runAlgorithmTask, writeBackInto } from '../algorithms/algorithm.executor'
import type { AlgorithmInput } from '../algorithms/algorithm-run'
import { resolveParams } from '../algorithms/params'
import { resolveUploadPath, uploadNameParts } from '../upload-paths'
import { createGraphRights, cypherFor, requireTaskGraphWrite, type GraphWrite } from '../graph-rights'
import type { GraphHost } from '../worker/graph-host'
import { ownTurn } from '../../executors/turns'
import { stored, storeQueryRows, STORE_STEP } from '../../executors/result-steps'
import { cypherRows } from '../cypher/packed-rows'
import { anchorRows, anchorValues, cellText, KeyRepeats, upstreamPrimaryKeys, type VertexNaming } from './upstream'

export const COMPONENT_EXECUTOR = 'graph-component'

/** Where a wired input anchor reads: an upstream component's output column. */
export interface WireSource {
  component: string
  anchor: string
  /** The column of the upstream component's result set. */
  column: number
}

/** What a component task holds; set when the job is submitted (services/graph-workflows.service.ts). */
export interface ComponentTaskSpec {
  component: GraphWorkflowComponent
  /** Whose graphs and upload folder it uses. */
  user: string
  /** Values from the run's input (Explorer's `input[<component id>]`). */
  input: Record<string, ParamValue>
  /** Wired input anchors. */
  wires: Record<string, WireSource>
}

export interface ComponentExecutorDeps {
  dataDir: string
  store: Store
  graphs: Pick<GraphHost, 'runCypher' | 'request'>
  algorithms: AlgorithmHost
}

/**
 * What a component writes that is known before it runs: an algorithm's write-back into its graph.
 * A query component's Cypher is checked as it runs (cypherFor), since only running it tells whether it writes.
 */
export function componentGraphWrite(spec: ComponentTaskSpec): GraphWrite | undefined {
  const c = spec.component
  return c.kind === 'algorithm' && c.input.kind === 'graph' && c.writeBack ? writeBackInto(c.input.graph, c.algorithm) : undefined
}

/** Parameters that take a comma-separated list of vertex ids: a wire gives them every value of its column. */
const LIST_PARAMS: ReadonlySet<string> = new Set(['IDS1', 'IDS2', 'src', 'dst'])

/**
 * The `graph-component` executor. Its task's spec is a ComponentTaskSpec; its output is, for a query,
 * `{graph, rows, columns, outputs}`, for an algorithm the algorithm executor's output; its rows become
 * the task's result set. Fails the task (TaskFailure, not retried) for a missing or badly typed
 * parameter, a wire whose upstream returned no rows, a query error or refusal (not_graph_owner,
 * timeout), fewer columns than declared outputs, or a bad upstream edge row; 'cancelled' when stopped.
 */
export function createComponentExecutor(deps: ComponentExecutorDeps): Executor {
  return {
    name: COMPONENT_EXECUTOR,
    // a query may write; an algorithm's only side effect (write-back) writes the same values again
    resumable: false,
    async run(ctx) {
      const spec = ctx.spec as unknown as ComponentTaskSpec
      const c = spec.component
      return { output: c.kind === 'query' ? await runQuery(deps, ctx, spec, c) : await runAlgorithm(deps, ctx, spec, c) }
    },
  }
}

/**
 * A wired parameter's value: the first value of its column, or all of them for a list parameter.
 * Vertex cells are named by `naming` when given (an algorithm's id parameter), else by their vid.
 */
function wiredValue(deps: ComponentExecutorDeps, ctx: TaskContext, wire: WireSource, param: string, list: boolean, naming?: VertexNaming): string {
  const values = anchorValues(deps.store, ctx.jobId, wire, list ? 100_000 : 1, naming)
  if (values.length === 0) throw new TaskFailure(`${ctx.taskName}: parameter ${param} is wired to ${wire.component}.${wire.anchor}, which returned no rows`, false)
  return list ? values.join(',') : values[0]
}

async function runQuery(deps: ComponentExecutorDeps, ctx: TaskContext, spec: ComponentTaskSpec, c: QueryComponent) {
  const parameters: Record<string, unknown> = {}
  for (const p of c.params ?? []) {
    const wire = ownValue(spec.wires, p.name)
    const raw = wire ? wiredValue(deps, ctx, wire, p.name, false) : (ownValue(spec.input, p.name) ?? p.default)
    if (raw === undefined) throw new TaskFailure(`${c.id}: parameter ${p.name} has no value; give it in the run's input or a default`, false)
    parameters[p.name] = coerce(c.id, p.name, p.type, raw)
  }
  ctx.log('INFO', `query on graph ${c.graph}${Object.keys(parameters).length ? ` with ${Object.entries(parameters).map(([k, v]) => `$${k} = ${JSON.stringify(v)}`).join(', ')}` : ''}`)
  let answer
  try {
    // as the job's user, within the Query tab's statement timeout: a query that writes a graph its user
    // may only read fails, and an endless MATCH does not hold one of the few query workers for good
    const query = await cypherFor(createGraphRights(deps.graphs), { graph: c.graph, script: c.query, parameters, actor: deps.store.users.caller(spec.user) })
    answer = await deps.graphs.runCypher({ ...query, packRows: true }, ctx.signal)
  } catch (e) {
    if (ctx.signal.aborted) throw new TaskFailure('cancelled', false)
    throw new TaskFailure(`${c.id}: ${(e as Error).message}`, false)
  }
  const r = cypherRows(answer)
  if (!r) throw new TaskFailure(`${c.id}: the query worker answered no result`, false)
  if (r.header.length < c.outputs.length) {
    throw new TaskFailure(`${c.id}: the query returned ${r.header.length} column${r.header.length === 1 ? '' : 's'} (${r.header.map((h) => h.name).join(', ') || 'none'}) but declares ${c.outputs.length} outputs (${c.outputs.join(', ')})`, false)
  }
  await stored(() => deps.store.results.clearTask(ctx.jobId, ctx.taskId))
  await storeQueryRows(deps.store.results, ctx, r.header, r.rows, c.id)
  ctx.log('INFO', `${r.rows.count} row${r.rows.count === 1 ? '' : 's'} in ${r.elapsed.toFixed(3)} s${r.summary ? `; ${r.summary}` : ''}`)
  return { graph: c.graph, rows: r.rows.count, columns: r.header.map((h) => h.name), outputs: c.outputs }
}

function coerce(id: string, name: string, type: string, raw: ParamValue): ParamValue {
  const text = String(raw).trim()
  if (type === 'int') {
    const n = typeof raw === 'number' ? raw : /^[+-]?\d{1,15}$/.test(text) ? Number(text) : NaN
    if (!Number.isSafeInteger(n)) throw new TaskFailure(`${id}: parameter ${name} must be an integer, not ${JSON.stringify(raw)}`, false)
    return n
  }
  if (type === 'float') {
    const n = typeof raw === 'number' ? raw : text === '' ? NaN : Number(text)
    if (!Number.isFinite(n)) throw new TaskFailure(`${id}: parameter ${name} must be a number, not ${JSON.stringify(raw)}`, false)
    return n
  }
  if (type === 'bool') {
    if (raw === true || text === 'true') return true
    if (raw === false || text === 'false') return false
    throw new TaskFailure(`${id}: parameter ${name} must be true or false, not ${JSON.stringify(raw)}`, false)
  }
  return typeof raw === 'string' ? raw : String(raw)
}

async function runAlgorithm(deps: ComponentExecutorDeps, ctx: TaskContext, spec: ComponentTaskSpec, c: AlgorithmComponent) {
  const algoSpec = ALGORITHM_SPECS[c.algorithm]
  const given: Record<string, unknown> = { ...c.params, ...spec.input }
  for (const p of algoSpec.params) {
    const wire = ownValue(spec.wires, p.name)
    if (!wire) continue
    // a vertex a query returned (`RETURN p`) is named as algorithms name it, by its primary key: on a
    // graph as `Label:key`, which every graph snapshot resolves to that one vertex and writes back as
    // its own id (the bare key, or `Label:key` where keys repeat across labels); in a file by its key
    const primary = await upstreamPrimaryKeys(deps.store, deps.graphs, ctx.jobId, wire.component)
    const naming = primary && { primary, qualified: c.input.kind === 'graph' }
    given[p.name] = wiredValue(deps, ctx, wire, p.name, LIST_PARAMS.has(p.name), naming)
  }
  let params
  try {
    params = resolveParams(c.algorithm, given)
  } catch (e) {
    throw new TaskFailure(`${c.id}: ${(e as Error).message}`, false)
  }
  const src = c.input
  const write = componentGraphWrite(spec)
  // the user's right to change the graph, now, as for algorithm jobs (graph-rights.ts)
  if (write) await requireTaskGraphWrite({ rights: createGraphRights(deps.graphs), userOf: deps.store.users.caller }, spec.user, write)
  let edgeFile: string | null = null
  let source: AlgorithmInput['source']
  let weighted: boolean
  try {
    if (src.kind === 'graph') {
      source = { kind: 'graph', graph: src.graph, edgeLabel: src.edgeLabel, weight: src.weight }
      weighted = algoSpec.usesWeight && src.weight !== undefined
    } else if (src.kind === 'file') {
      source = { kind: 'file', file: resolveUploadPath(deps.dataDir, spec.user, src.path, { mustExist: true, mustBeFile: true }), name: uploadNameParts(src.path).join('/'), delimiter: src.delimiter, header: src.header }
      weighted = src.weighted ?? algoSpec.usesWeight
    } else {
      weighted = spec.wires.weight !== undefined
      edgeFile = await writeUpstreamEdges(deps, ctx, spec, weighted)
      source = { kind: 'file', file: edgeFile, name: `the edges from ${spec.wires.src.component}`, delimiter: '\t', header: false }
    }
  } catch (e) {
    if (e instanceof TaskFailure) throw e
    throw new TaskFailure(`${c.id}: ${(e as Error).message}`, false)
  }
  try {
    const input: AlgorithmInput = { algorithm: c.algorithm, params, source, weighted, writeBack: src.kind === 'graph' ? c.writeBack : undefined }
    return await runAlgorithmTask({ host: deps.algorithms, results: deps.store.results }, ctx, input, spec.user)
  } finally {
    if (edgeFile) removeEdgeFile(edgeFile)
  }
}

/** Removes a scratch edge file, and the job's scratch folder once no other component's file is in it. */
function removeEdgeFile(file: string): void {
  rmSync(file, { force: true })
  try {
    rmdirSync(dirname(file))
  } catch {
    // another component of the job still has its file there (ENOTEMPTY), or it is gone already
  }
}

/** Most bytes of an edge file built from upstream rows before it is written out (then appended in pieces). */
const FLUSH_BYTES = 4 * 1024 * 1024

/**
 * The upstream rows wired to src, dst (and weight) as a tab-separated edge file in the job's
 * scratch folder. A row with an empty id, or an id holding a tab or a line break, fails the
 * component naming the upstream row.
 */
async function writeUpstreamEdges(deps: ComponentExecutorDeps, ctx: TaskContext, spec: ComponentTaskSpec, weighted: boolean): Promise<string> {
  const dir = join(deps.dataDir, 'work', 'graph-workflows', `job-${ctx.jobId}`)
  mkdirSync(dir, { recursive: true })
  const file = join(dir, `${ctx.taskName}.edges`)
  const wires = { src: spec.wires.src, dst: spec.wires.dst, weight: weighted ? spec.wires.weight : undefined }
  const columns = [wires.src, wires.dst, ...(wires.weight ? [wires.weight] : [])]
  if (new Set(columns.map((w) => w.component)).size > 1) throw new TaskFailure(`${ctx.taskName}: src, dst and weight must come from the same upstream component, row by row`, false)
  // vertices a query returned become their primary-key values, `Label:key` when a key repeats across
  // labels among them (as a graph snapshot names them: ../algorithms/README.md, Vertex ids)
  const primary = await upstreamPrimaryKeys(deps.store, deps.graphs, ctx.jobId, wires.src.component)
  const naming = primary && { primary, qualified: await keysRepeat(deps, ctx, wires.src.component, columns, primary) }
  writeFileSync(file, '')
  try {
    const rows = await writeEdgeRows(deps, ctx, file, wires.src.component, columns, naming)
    ctx.log('INFO', `${rows} edge${rows === 1 ? '' : 's'} from ${wires.src.component} (${columns.map((w) => w.anchor).join(', ')})`)
    return file
  } catch (e) {
    removeEdgeFile(file) // a bad row stops it half-way: the caller never gets the file to remove
    throw e
  }
}

/** Whether the upstream rows' src and dst vertices repeat a primary-key value across labels (stops at a cell that is no vertex). */
async function keysRepeat(deps: ComponentExecutorDeps, ctx: TaskContext, upstream: string, columns: WireSource[], primary: ReadonlyMap<string, string>): Promise<boolean> {
  const repeats = new KeyRepeats(primary)
  let rowNo = 0
  for (const row of anchorRows(deps.store, ctx.jobId, upstream)) {
    if (++rowNo % STORE_STEP === 0) await ownTurn()
    if (!repeats.add(row[columns[0].column]) || !repeats.add(row[columns[1].column]) || repeats.repeated) break
  }
  return repeats.repeated
}

/**
 * Appends the upstream rows' src, dst (and weight) cells to `file`, tab-separated; returns how many
 * rows. STORE_STEP rows a turn (anchorRows reads the store in pages, holding no statement open).
 */
async function writeEdgeRows(deps: ComponentExecutorDeps, ctx: TaskContext, file: string, upstream: string, columns: WireSource[], naming: VertexNaming | undefined): Promise<number> {
  let chunk = ''
  let rowNo = 0
  for (const row of anchorRows(deps.store, ctx.jobId, upstream)) {
    if (++rowNo % STORE_STEP === 0) await ownTurn()
    const cells = columns.slice(0, 2).map((w) => cellText(row[w.column], naming))
    if (columns[2]) cells.push(cellText(row[columns[2].column]))
    cells.forEach((text, i) => {
      const anchor = ['src', 'dst', 'weight'][i]
      if (text === null || text === '') throw new TaskFailure(`${ctx.taskName}: row ${rowNo} of ${upstream} has no ${anchor} (${columns[i].anchor})`, false)
      if (/[\t\r\n]/.test(text)) throw new TaskFailure(`${ctx.taskName}: row ${rowNo} of ${upstream}: the ${anchor} ${JSON.stringify(text.slice(0, 100))} holds a tab or a line break`, false)
    })
    chunk += `${cells.join('\t')}\n`
    if (chunk.length >= FLUSH_BYTES) {
      writeFileSync(file, chunk, { flag: 'a' })
      chunk = ''
    }
  }
  writeFileSync(file, chunk, { flag: 'a' })
  return rowNo
}
