// A graph worker thread: it opens graph files itself and answers requests (GraphOps) or runs one
// import (or a GES import's split) at a time, synchronously; the main thread never touches graph data. workerData: { dataDir }.
import { statSync } from 'node:fs'
import { parentPort, workerData } from 'node:worker_threads'
import { exitOnStop, THREAD_STOP, yieldToMainThread } from '../../worker-thread'
import type { GraphCatalog } from '../cypher/procedures'
import type { GraphSummary, VertexView } from '../../../shared/graph'
import { runAlgorithmInWorker, type AlgorithmInput } from '../algorithms/algorithm-run'
import { labelsHoldingValues } from '../algorithms/write-back'
import { packedTransfer, packRows } from '../cypher/packed-rows'
import { graphError, toErrorBody } from '../errors'
import { ensureGesLabels } from '../ges/ges-labels'
import { readGesSchemaFile } from '../ges/ges-schema'
import { removeWorkDir, splitGesFiles, type GesSplitProgress } from '../ges/ges-split'
import { gesSourceFiles, type GesSplitRequest } from '../ges/ges-sources'
import { ImportRecords } from '../import/import-record'
import { cancelledBeforeItsTurn, runImport, type ImportInput } from '../import/import-run'
import { planFile } from '../import/mapping'
import { previewFile } from '../inspect/file-preview'
import { firstGarbledHeader, sampleImport } from '../inspect/import-sample'
import { createGraphFile, dropGraphFiles, listGraphNames, requireGraph } from '../store/catalog'
import { GraphDb } from '../store/graph-db'
import { assertGraphUnderBound } from '../store/graph-bound'
import { setDiskReserve } from '../../disk-reserve'
import { graphWriteRefusal } from '../graph-room'
import { parseSchemaDescription, parseSchemaLabels } from '../store/schema'
import { excerpt, valueToStored } from '../store/values'
import type { CypherAnswer, CypherQuery, FromWorker, GraphOpName, GraphOps, ToWorker } from './protocol'

// ends itself when the host stops it (boot.ts stopGraphWorker): between two SQLite calls, never terminated inside one
exitOnStop({ endsWhenIdle: false })
const { dataDir, warmCypher } = workerData as { dataDir: string; warmCypher?: boolean }
const post = (m: FromWorker, transfer: ArrayBuffer[] = []) => parentPort!.postMessage(m, transfer)

/** Graphs this worker has open, kept open between requests. */
const open = new Map<string, GraphDb>()

/** The file's identity when it was opened: a graph dropped and created again (by another worker) is opened afresh. */
const inodes = new Map<string, number>()

function graph(name: string): GraphDb {
  const file = requireGraph(dataDir, name)
  let g = open.get(name)
  const ino = statSync(file).ino
  if (!g || !g.db.open || inodes.get(name) !== ino) {
    g?.close()
    g = GraphDb.open(name, file)
    open.set(name, g)
    inodes.set(name, ino)
  }
  return g
}

function close(name: string): void {
  open.get(name)?.close()
  open.delete(name)
}

/** Each request's handler; `stopped` says the caller has gone (the long ones read it between steps). */
type Handlers = { [K in GraphOpName]: (p: GraphOps[K]['params'], stopped: () => boolean) => GraphOps[K]['result'] }

const handlers: Handlers = {
  'graphs.list': () => listGraphNames(dataDir).map((name): GraphSummary => graph(name).summary()),
  'graphs.get': ({ graph: name }) => graph(name).info(),
  'graphs.summary': ({ graph: name }) => graph(name).summary(),
  'graphs.create': ({ graph: name, description, maxSizeGb, owner }) => {
    createGraphFile(dataDir, name, { description, maxSizeGb, owner })
    return graph(name).info()
  },
  'graphs.drop': ({ graph: name }) => {
    close(name)
    dropGraphFiles(dataDir, name)
    return null
  },
  'schema.import': ({ graph: name, description }) => {
    const labels = parseSchemaDescription(description) // its errors before the graph's, as when the main thread parsed
    const g = graph(name)
    assertGraphUnderBound(g) // labels add little, but a graph at its bound takes nothing more
    return g.addLabels(labels)
  },
  'ges.schema': ({ file, path }) => readGesSchemaFile(file, path).length,
  'schema.parse': ({ description }) => parseSchemaLabels(description),
  'ges.labels': ({ graph: name, labels }) => {
    const g = graph(name)
    assertGraphUnderBound(g)
    return ensureGesLabels(g, labels)
  },
  'import.check': ({ graph: name, files }) => {
    const g = graph(name)
    for (const f of files) planFile(g, f.mapping, f.file)
    return null
  },
  'import.headers': ({ files, delimiter }) => firstGarbledHeader(files, delimiter),
  'files.preview': ({ file, input }) => previewFile(file, input),
  'import.sample': ({ graph: name, input }, stopped) => sampleImport(graph(name), input, { stopped }),
  'import.record': ({ graph: name, taskId }) => {
    const rec = new ImportRecords(graph(name).db).get(taskId)
    return rec ? (rec.finalReport ?? rec.report) : null
  },
  'import.cancelled': ({ input }) => cancelledBeforeItsTurn(graph(input.graph), input),
  'vertices.get': ({ graph: name, vid }) => graph(name).vertex(vid) ?? null,
  'vertices.byPrimary': ({ graph: name, label, key }): VertexView | null => {
    const g = graph(name)
    const t = g.vertexTable(label)
    const type = t.label.def.properties[t.primaryIndex].type
    let stored
    try {
      stored = valueToStored(type, key)
    } catch (e) {
      throw graphError('invalid_value', `${excerpt(JSON.stringify(key) ?? String(key))} is not a ${type} primary key: ${(e as Error).message}`)
    }
    const vid = g.vidByPrimary(label, stored)
    return vid === undefined ? null : (g.vertex(vid) ?? null)
  },
  'vertices.page': ({ graph: name, label, afterVid, limit }) => graph(name).vertices(label, afterVid, Math.min(limit ?? 100, 10_000)),
  'edges.list': ({ graph: name, vid, direction, label }) => graph(name).edges(vid, direction, label),
  'properties.filled': ({ graph: name, property }) => labelsHoldingValues(graph(name), property),
}

function runImportMessage(id: number, input: ImportInput, stop: SharedArrayBuffer): void {
  const flag = new Int32Array(stop)
  // the main thread's reserve, kept by this thread's own reading of the disk (one statfs per 2 s)
  if (input.diskReserveBytes !== undefined) setDiskReserve(dataDir, input.diskReserveBytes)
  const end = runImport(input, {
    emit: (event) => post({ type: 'import-event', id, event }),
    stop: () => Atomics.load(flag, 0),
    room: () => graphWriteRefusal(dataDir),
  })
  post({ type: 'import-end', id, end })
}

function runGesSplitMessage(id: number, input: GesSplitRequest, stop: SharedArrayBuffer): void {
  const flag = new Int32Array(stop)
  try {
    const progress = (p: GesSplitProgress) => post({ type: 'ges-split-progress', id, progress: p })
    post({ type: 'ges-split-end', id, ok: true, result: splitGesFiles({ ...input, ...gesSourceFiles(input) }, () => Atomics.load(flag, 0) !== 0, progress) })
  } catch (e) {
    post({ type: 'ges-split-end', id, ok: false, error: toErrorBody(e) })
  }
}

function removeGesWorkDirMessage(id: number, workDir: string): void {
  try {
    removeWorkDir(workDir)
    post({ type: 'ges-remove-end', id, ok: true, result: null })
  } catch (e) {
    post({ type: 'ges-remove-end', id, ok: false, error: toErrorBody(e) })
  }
}

function runAlgorithmMessage(id: number, input: AlgorithmInput, stop: SharedArrayBuffer): void {
  const flag = new Int32Array(stop)
  if (input.diskReserveBytes !== undefined) setDiskReserve(dataDir, input.diskReserveBytes) // the main thread's reserve, as for an import
  const end = runAlgorithmInWorker(input, {
    emit: (event) => post({ type: 'algorithm-event', id, event }, event.type === 'rows' ? packedTransfer(event.rows) : []),
    stopped: () => Atomics.load(flag, 0) !== 0,
    openGraph: graph,
    room: () => graphWriteRefusal(dataDir),
  })
  post({ type: 'algorithm-end', id, end })
}

/** dbms.graph.* procedures: the catalog as this worker sees it (it closes what it drops). */
const catalog: GraphCatalog = {
  list: () => listGraphNames(dataDir).map((name) => {
    const info = graph(name).info()
    return { name, description: info.description, maxSizeGb: info.maxSizeGb }
  }),
  create: (name, description, maxSizeGb) => createGraphFile(dataDir, name, { description, maxSizeGb }),
  drop: (name) => {
    close(name)
    dropGraphFiles(dataDir, name)
    post({ type: 'graph-dropped', graph: name }) // at once, not at the statement's end: reads on it stop now
  },
}

/** The graph `name` opened, or null when it has no file (graph_not_found). */
function graphIfAny(name: string): GraphDb | null {
  try {
    return graph(name)
  } catch (e) {
    if ((e as { code?: string }).code === 'graph_not_found') return null
    throw e
  }
}

/**
 * The Cypher engine, loaded on first use: only query workers pay for the parser (a large package),
 * never the request worker or import workers.
 */
let engine: Promise<typeof import('../cypher/engine')> | undefined
const cypherEngine = () => (engine ??= import('../cypher/engine'))

async function runCypherMessage(id: number, query: CypherQuery, stop: SharedArrayBuffer): Promise<void> {
  try {
    const { runCypher, tugraphData, parseCypher, planCypher } = await cypherEngine()
    if (query.parseOnly) {
      parseCypher(query.script)
      return post({ type: 'cypher-end', id, ok: true, result: { result: { header: [], rows: [], elapsed: 0 } } })
    }
    const { graph: name, jsonFormat, packRows: packed, actor, readOnly, busyGraphs, diskFull, planOnly, ...request } = query
    if (planOnly) {
      // a graph an import queues into may have no file yet: its statement is only parsed
      const g = graphIfAny(name)
      const drops = planCypher(g, request, { stop: new Int32Array(stop), env: { actor, readOnly, dataDir, catalog } })
      return post({ type: 'cypher-end', id, ok: true, result: { planned: { drops } } })
    }
    const result = runCypher(graph(name), request, { stop: new Int32Array(stop), env: { actor, readOnly, busyGraphs, diskFull, dataDir, catalog } })
    // a large result crosses as bytes moved to the main thread: 200,000 rows cloned as arrays held it for seconds (#9 §2)
    if (jsonFormat !== undefined) {
      const json = new TextEncoder().encode(tugraphData(result, jsonFormat))
      return post({ type: 'cypher-end', id, ok: true, result: { json, rows: result.rows.length, summary: result.summary } }, [json.buffer as ArrayBuffer])
    }
    if (!packed) return post({ type: 'cypher-end', id, ok: true, result: { result } })
    const rows = packRows(result.rows)
    const answer: CypherAnswer = { packed: { ...result, rows } }
    post({ type: 'cypher-end', id, ok: true, result: answer }, packedTransfer(rows))
  } catch (e) {
    post({ type: 'cypher-end', id, ok: false, error: toErrorBody(e, query.graph) })
  }
}

// a query worker yields the CPU to the main thread (a long query must not slow every request), and
// loads the Cypher parser's tables before it says it is ready (the host sends no query before:
// the load must not count against a query's timeout)
if (warmCypher) {
  yieldToMainThread()
  setImmediate(() => {
    void cypherEngine()
      .then((e) => e.warmUpParser())
      .catch(() => undefined) // a query then gets the error itself
      .finally(() => post({ type: 'ready' }))
  })
}

parentPort!.on('message', (m: ToWorker | typeof THREAD_STOP) => {
  if (m === THREAD_STOP) return // exitOnStop's
  if (m.type === 'import') return runImportMessage(m.id, m.input, m.stop)
  if (m.type === 'ges-split') return runGesSplitMessage(m.id, m.input, m.stop)
  if (m.type === 'ges-remove') return removeGesWorkDirMessage(m.id, m.workDir)
  if (m.type === 'algorithm') return runAlgorithmMessage(m.id, m.input, m.stop)
  if (m.type === 'cypher') return void runCypherMessage(m.id, m.query, m.stop)
  try {
    const handler = handlers[m.op] as (p: unknown, stopped: () => boolean) => unknown
    const flag = m.stop ? new Int32Array(m.stop) : undefined
    post({ type: 'response', id: m.id, ok: true, result: handler(m.params, () => flag !== undefined && Atomics.load(flag, 0) !== 0) })
  } catch (e) {
    post({ type: 'response', id: m.id, ok: false, error: toErrorBody(e, (m.params as { graph?: string } | undefined)?.graph) })
  }
})
