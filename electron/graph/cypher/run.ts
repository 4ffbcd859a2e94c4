// The engine's entry: one Cypher request (script, parameters, timeout) against an open graph,
// answered in TuGraph's encoding. Runs in a graph worker thread; `stop` is the shared flag the
// main thread sets to cancel.
import type { GraphDb } from '../store/graph-db'
import { Budget } from './budget'
import { cypherError } from './errors'
import { encodeCell, headerType, type HeaderType } from './encode'
import { executeStatement, type QueryEnv } from './execute'
import { paramsMap } from './expressions'
import { parseCypher } from './parse'

export interface CypherRequest {
  script: string
  /** Named parameters ($name), a JSON object. */
  parameters?: unknown
  /** Seconds; 0 or absent = none. */
  timeoutSeconds?: number
}

export interface CypherResult {
  header: { name: string; type: HeaderType }[]
  /** Rows of cells in TuGraph's JSON encoding, in header order. */
  rows: unknown[][]
  /** Seconds the statement took (parse, plan and run). */
  elapsed: number
  /** Set for statements that wrote: TuGraph's `<SUMMARY>` text. */
  summary?: string
}

/** Parses, plans and runs a statement. Throws AppErrors: cypher_* (400-like) and query_* (timeout, cancelled, too large). */
export function runCypher(g: GraphDb, req: CypherRequest, options: { stop?: Int32Array; env?: QueryEnv } = {}): CypherResult {
  return tooLargeAsQueryError(() => run(g, req, options))
}

/**
 * Parses and plans a statement and runs nothing of it (QueryEnv.planOnly): throws what a run would
 * throw before its first row (cypher_*, not_graph_owner, not_admin, query_too_large); `g` null (the
 * graph has no file) only parses it and reads its parameters. Answers the graphs it would drop.
 */
export function planCypher(g: GraphDb | null, req: CypherRequest, options: { stop?: Int32Array; env?: QueryEnv } = {}): string[] {
  return tooLargeAsQueryError(() => {
    const st = parseCypher(req.script)
    const params = paramsMap(req.parameters)
    if (!g) return []
    const budget = new Budget({ timeoutSeconds: req.timeoutSeconds, stop: options.stop })
    return executeStatement(g, st, params, budget, { ...options.env, planOnly: true }).drops ?? []
  })
}

function tooLargeAsQueryError<T>(fn: () => T): T {
  try {
    return fn()
  } catch (e) {
    // the statement's shape (parse.ts bounds it) or its values went past what the engine can hold:
    // the query's fault, answered as such, never as a failure of the worker
    if (e instanceof RangeError) throw cypherError('query_too_large', `Query too large: ${e.message}.`)
    throw e
  }
}

function run(g: GraphDb, req: CypherRequest, options: { stop?: Int32Array; env?: QueryEnv }): CypherResult {
  const started = performance.now()
  const budget = new Budget({ timeoutSeconds: req.timeoutSeconds, stop: options.stop })
  const st = parseCypher(req.script)
  const params = paramsMap(req.parameters)
  const result = executeStatement(g, st, params, budget, options.env)
  const header = result.columns.map((c, i) => ({ name: c.name, type: headerType(c, result.rows, i) }))
  const rows = result.rows.map((r) => r.map((v, i) => encodeCell(v, header[i].type)))
  return { header, rows, elapsed: (performance.now() - started) / 1000, summary: result.stats?.summary() }
}
