// One algorithm run inside a graph worker: take the snapshot from the cache or build it, run the
// algorithm, stream its rows to the main thread in pages, and optionally write each vertex's value
// back into the graph. Events: log lines, progress, the columns, pages of rows; then one end.
import { statSync } from 'node:fs'
import type { AlgorithmName, AlgorithmSummary, ParamValue, WriteBack } from '../../../shared/algorithms'
import { packRows, type PackedRows } from '../cypher/packed-rows'
import { graphError, toErrorBody } from '../errors'
import type { GraphDb } from '../store/graph-db'
import { assertGraphUnderBound } from '../store/graph-bound'
import { graphFileIdentity } from '../store/graph-file'
import type { ErrorBody } from '../../../shared/errors'
import { AlgorithmStopped, createControl } from './control'
import { snapshotFromFile } from './from-file'
import { graphVersion, snapshotFromGraph } from './from-graph'
import type { ResultColumn } from './result-table'
import { runAlgorithm } from './run-algorithm'
import type { Snapshot } from './snapshot'
import { graphKey, SnapshotCache } from './snapshot-cache'
import type { RunLimits } from './limits'
import { writeBack } from './write-back'

/** A run as the executor hands it to the worker: paths resolved, parameters checked and defaulted. */
export interface AlgorithmInput {
  algorithm: AlgorithmName
  params: Record<string, ParamValue>
  source: { kind: 'graph'; graph: string; edgeLabel?: string; weight?: string } | { kind: 'file'; file: string; name: string; delimiter?: string; header?: boolean }
  weighted: boolean
  writeBack?: WriteBack
  /** The bounds on the snapshot (AlgorithmHost sets them; default RUN_LIMITS). */
  limits?: RunLimits
  /** The data folder's disk reserve in bytes (disk-reserve.ts diskReserveOf), set by AlgorithmHost: a write-back keeps it, as an import's packages do. */
  diskReserveBytes?: number
}

export type AlgorithmEvent =
  | { type: 'log'; level: 'INFO' | 'WARN'; text: string }
  | { type: 'progress'; fraction: number }
  | { type: 'columns'; columns: ResultColumn[] }
  /** A page of rows, packed (cypher/packed-rows.ts): moved to the main thread, not cloned (#9 §2). */
  | { type: 'rows'; rows: PackedRows }

export type AlgorithmEnd = { outcome: 'succeeded'; summary: AlgorithmSummary } | { outcome: 'cancelled' } | { outcome: 'failed'; error: ErrorBody }

/** Rows per message to the main thread. */
export const ROWS_PER_PAGE = 10_000
const PROGRESS_EVERY_MS = 200

const cache = new SnapshotCache()

/** Runs one algorithm; `stopped` reads the shared stop flag; `openGraph` opens a graph file (the worker keeps them open). */
/**
 * Hooks of a run: `room` says why no graph may be written now (the disk is down to its reserve:
 * graph-room.ts graphWriteRefusal), or undefined; asked before a write-back, which adds a property
 * (rebuilding the label's table) and a value per vertex.
 */
export function runAlgorithmInWorker(input: AlgorithmInput, hooks: { emit(e: AlgorithmEvent): void; stopped(): boolean; openGraph(name: string): GraphDb; room?(): Error | undefined }): AlgorithmEnd {
  const { emit } = hooks
  let lastProgress = 0
  const ctl = createControl(hooks.stopped, {
    progress(f) {
      const now = Date.now()
      if (now - lastProgress < PROGRESS_EVERY_MS && f < 1) return
      lastProgress = now
      emit({ type: 'progress', fraction: f })
    },
    log: (text) => emit({ type: 'log', level: 'INFO', text }),
  })
  try {
    const started = Date.now()
    // the graph file written back into must be the one read (and whose rights the executor checked):
    // a graph dropped, or dropped and made anew, while the algorithm ran is not written into
    const target = input.writeBack && input.source.kind === 'graph' ? { graph: input.source.graph, file: hooks.openGraph(input.source.graph).file } : undefined
    const targetId = target && graphFileIdentity(target.file)
    const { snapshot, cached } = takeSnapshot(input, hooks.openGraph, ctl)
    const snapshotMs = Date.now() - started
    emit({ type: 'log', level: 'INFO', text: `${cached ? 'reused the cached' : 'built the'} snapshot of ${snapshot.description}: ${snapshot.n} vertices, ${snapshot.csr.m} edges (${snapshotMs} ms)` })
    const computeStart = Date.now()
    const table = runAlgorithm(input.algorithm, snapshot, input.params, ctl)
    const computeMs = Date.now() - computeStart
    cache.trim() // the views the algorithm built (reverse, symmetric, simple) count against the cache's budget too
    emit({ type: 'log', level: 'INFO', text: `${input.algorithm} computed in ${computeMs} ms: ${table.rows} rows${Object.keys(table.details).length ? `; ${Object.entries(table.details).map(([k, v]) => `${k} ${v}`).join(', ')}` : ''}` })
    if (table.truncated) emit({ type: 'log', level: 'WARN', text: `the result was cut at ${table.rows} rows` })
    emit({ type: 'columns', columns: table.columns })
    for (let at = 0; at < table.rows; at += ROWS_PER_PAGE) {
      ctl.check()
      const end = Math.min(table.rows, at + ROWS_PER_PAGE)
      const rows = new Array<unknown[]>(end - at)
      for (let i = at; i < end; i++) rows[i - at] = table.row(i).map(cell)
      emit({ type: 'rows', rows: packRows(rows) })
    }
    const summary: AlgorithmSummary = {
      algorithm: input.algorithm,
      params: input.params,
      source: snapshot.description,
      vertices: snapshot.n,
      edges: snapshot.csr.m,
      columns: table.columns.map((c) => c.name),
      rows: table.rows,
      truncated: table.truncated,
      snapshotMs,
      cached,
      computeMs,
      details: table.details,
    }
    if (input.writeBack && input.source.kind === 'graph') {
      ctl.check()
      if (target && graphFileIdentity(target.file) !== targetId) throw graphError('graph_not_found', `Graph [${target.graph}] was dropped while ${input.algorithm} ran: nothing was written back.`)
      // a graph write like any other (graph-room.ts): not past the disk's reserve nor the graph's own bound
      const refusal = hooks.room?.()
      if (refusal) throw refusal
      const g = hooks.openGraph(input.source.graph)
      assertGraphUnderBound(g)
      summary.writtenBack = writeBack(g, snapshot, table, input.algorithm, input.writeBack)
      const added = summary.writtenBack.added
      emit({ type: 'log', level: 'INFO', text: `${added ? `added property ${input.writeBack.property} (${added.type}, optional) to vertex label ${added.labels.map((l) => `[${l}]`).join(', ')}; ` : ''}wrote ${table.vertexValue?.column} into property ${input.writeBack.property} of ${summary.writtenBack.vertices} vertices (${summary.writtenBack.skipped} skipped: their label has no such property)` })
    }
    return { outcome: 'succeeded', summary }
  } catch (e) {
    if (e instanceof AlgorithmStopped) return { outcome: 'cancelled' }
    return { outcome: 'failed', error: toErrorBody(e, input.source.kind === 'graph' ? input.source.graph : undefined) }
  }
}

/** Doubles that are not finite (unreached distances) become null; everything else passes as is. */
const cell = (v: unknown): unknown => (typeof v === 'number' && !Number.isFinite(v) ? null : v)

function takeSnapshot(input: AlgorithmInput, openGraph: (name: string) => GraphDb, ctl: ReturnType<typeof createControl>): { snapshot: Snapshot; cached: boolean } {
  const src = input.source
  if (src.kind === 'graph') {
    const g = openGraph(src.graph)
    const weight = input.weighted ? src.weight : undefined
    const key = graphKey(src.graph, src.edgeLabel, weight)
    const version = graphVersion(g)
    const hit = cache.get(key, version)
    if (hit) return { snapshot: hit, cached: true }
    const snapshot = snapshotFromGraph(g, { edgeLabel: src.edgeLabel, weight, limits: input.limits }, ctl)
    cache.put(key, version, snapshot)
    return { snapshot, cached: false }
  }
  const stat = statSync(src.file)
  const weighted = input.weighted
  const key = `file\0${src.file}\0${src.delimiter ?? ','}\0${src.header ?? ''}\0${weighted}`
  const version = `${stat.size}:${stat.mtimeMs}`
  const hit = cache.get(key, version)
  if (hit) return { snapshot: hit, cached: true }
  const snapshot = snapshotFromFile(src.file, { name: src.name, delimiter: src.delimiter, header: src.header, weighted, limits: input.limits }, ctl)
  cache.put(key, version, snapshot)
  return { snapshot, cached: false }
}
