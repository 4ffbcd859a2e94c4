// The graph subsystem's errors: one AppError type (shared/errors.ts) with a code from this table.
// Messages carry TuGraph's own texts where TuGraph has one (reference/tugraph.md §1–§3), so the
// TuGraph dialect passes `message` through and maps `code` to its errorCode; other dialects map
// `kind` as they do for every AppError.
import { AppError, type ErrorBody, type ErrorKind } from '../../shared/errors'

export const GRAPH_ERROR_CODES = {
  /** "Graph [x] does not exist." */
  graph_not_found: 'not_found',
  graph_exists: 'conflict',
  /** An import or another operation holds the graph (dropping it must wait). */
  graph_busy: 'conflict',
  /** TuGraph's "Invalid Graph/Label/Field: …" name rules. */
  invalid_name: 'invalid',
  /** §2.1 label definitions: "Missing \"label\" or \"type\" definition", "vertex label [X] has no primary", … */
  invalid_schema: 'invalid',
  /** import_schema with a label that exists with another definition: "… not comparable in two schema". */
  schema_not_comparable: 'invalid',
  label_not_found: 'not_found',
  label_exists: 'conflict',
  /** §2.2 file mappings: "Missing \"path\" in json …", "SRC_ID should be defined in edge file", … */
  invalid_mapping: 'invalid',
  /** An import request's own fields: delimiter, skipPackages, taskId. */
  invalid_request: 'invalid',
  /** A value that does not parse as its property's type, or a required value missing. */
  invalid_value: 'invalid',
  /** An algorithm's write-back into a vertex property that holds values, without writeBack.overwrite: true (algorithms/write-back.ts). */
  write_back_overwrites: 'conflict',
  /** A primary key or unique value that exists: "vertex unique index conflict", "index value already exists". */
  index_conflict: 'conflict',
  /** An edge whose endpoint is not in the graph: "Missing src uid X". */
  missing_vertex: 'invalid',
  /** (src label, dst label) not allowed by the edge label: "Does not meet the edge constraints". */
  constraint_violation: 'invalid',
  /** An upload path that is absolute, empty or otherwise not a relative file name. */
  path_invalid: 'invalid',
  /** An upload path that leaves the user's folder (`..`, a symbolic link pointing out). */
  path_escapes: 'forbidden',
  file_not_found: 'not_found',
  /** A file that cannot be read as the import needs: too long a line, changed since an interrupted run. */
  file_unreadable: 'invalid',
  /** A line longer than an import package (16 MiB): TuGraph's "too long input line" (import/packages.ts). */
  line_too_long: 'invalid',
  /**
   * A file's header line not valid in the encoding the import reads it in (a GBK or UTF-16 file read
   * as UTF-8): its column names would be garbled. Refused by a check and at every import's submit.
   */
  bad_header: 'invalid',
  /** "HEADER too large." */
  header_too_large: 'invalid',
  /** An algorithm's input (a file's or a graph's edges or vertex ids) past what one run may hold (algorithms/limits.ts). */
  algorithm_input_too_large: 'too_large',
  /** No import job with that task id ("Not a valid task id"). */
  import_not_found: 'not_found',
  /** Creating or dropping graphs needs an admin ("Non-admin cannot create graphs."). */
  not_admin: 'forbidden',
  /** Changing a graph (schema, data, imports, drop) needs its owner or an admin (graph-rights.ts). */
  not_graph_owner: 'forbidden',
  /** Cypher text that does not parse: "Invalid syntax: … (line L, column C)". */
  cypher_syntax: 'invalid',
  /** Cypher that parses but that TuGraph's dialect (and so this engine) does not run. */
  cypher_unsupported: 'invalid',
  /** A query that refers to what does not exist: "Unknown variable: q", an unknown function or procedure. */
  cypher_semantic: 'invalid',
  /** A query that failed while running: a type error, a division by zero, a bad argument. */
  cypher_runtime: 'invalid',
  /** A query stopped at its timeout ("Query timed out after 2 s."). */
  query_timeout: 'unavailable',
  /** A query stopped by its caller. */
  query_cancelled: 'unavailable',
  /** No running query with that queryId (it ended, or never ran). */
  query_not_found: 'not_found',
  /** A queryId that names a query still running. */
  query_id_taken: 'conflict',
  /** Stopping a query someone else started (only they or an admin may). */
  not_your_query: 'forbidden',
  /** An import naming more files than one import reads (MAX_IMPORT_FILES: a GES import-graph's folder). */
  too_many_files: 'too_large',
  /** A query past a row, list or memory budget (bounded so no query can exhaust the server). */
  query_too_large: 'too_large',
  /**
   * A graph file locked by another connection's write: SQLite's "database is locked" (SQLITE_BUSY),
   * after the whole wait (GRAPH_LOCK_WAIT_MS) or at once where SQLite gives none (a transaction that
   * read before it wrote). Operational, so a retry may succeed (toErrorBody).
   */
  graph_locked: 'unavailable',
  /** A write that would take a graph past its bound (its max_size_GB: store/graph-bound.ts); deletes still run. */
  graph_full: 'too_large',
  /** A user with as many graph requests of a kind waiting as one may have (GraphHost's request lanes): retry once they are answered. */
  requests_queued: 'unavailable',
  /** A graph request whose caller went away (hung up) before it was answered. */
  request_cancelled: 'unavailable',
  /** A graph worker died or answered nonsense: a bug or the machine ran out of memory. */
  worker_failed: 'internal',
} as const satisfies Record<string, ErrorKind>

export type GraphErrorCode = keyof typeof GRAPH_ERROR_CODES

/** What graphBusy says waits when a statement would change a graph an import is writing (its schema by procedure, its data by a write clause). */
export const CHANGING_A_GRAPH = 'changing its labels, indexes or data'
/** What graphBusy says waits when a graph would be dropped (the native drop, Cypher's dbms.graph.deleteGraph). */
export const DROPPING_A_GRAPH = 'dropping the graph'

/**
 * The graphs with an import queued or running (GraphHost.busyGraphs), each with the imports that hold it
 * as graphBusy names them ("job 12", "jobs 12, 14"). A Map: it crosses to a query worker as it is.
 */
export type BusyGraphs = ReadonlyMap<string, string>

/**
 * graph_busy: an import into `graph` is queued or running (`holder`: which, "job 12"), so `doing`
 * ("dropping the graph") must wait. The one text of the native drop and of the Cypher procedures and
 * clauses that drop or change a graph (GraphHost.busyGraphs).
 */
export function graphBusy(graph: string, doing: string, holder: string): AppError {
  return graphError('graph_busy', `Graph [${graph}] has an import queued or running (${holder}); cancel it or wait before ${doing}`)
}

/**
 * The one check before anything changes a graph's labels, indexes or data, or drops it: throws
 * graphBusy(graph, doing, its holder) when `graph` is among `busyGraphs`, the graphs with an import queued or
 * running (GraphHost.busyGraphs; a Cypher statement gets them as it starts). Called by GraphHost for
 * the requests that change a graph (every dialect's schema import and drop), by the Cypher engine
 * for write clauses and procedures (only it knows what a statement writes), and by the algorithm
 * service for a write-back.
 */
export function refuseWhileImporting(busyGraphs: BusyGraphs | undefined, graph: string, doing: string): void {
  const holder = busyGraphs?.get(graph)
  if (holder !== undefined) throw graphBusy(graph, doing, holder)
}

/**
 * How long a connection to a graph file waits for another connection's write transaction to end
 * (its busy_timeout, graph-file.ts) before SQLite gives up with "database is locked": an import holds
 * the lock one package at a time, a Cypher write for its statement.
 */
export const GRAPH_LOCK_WAIT_MS = 60_000

/** SQLITE_BUSY and its extended codes (SQLITE_BUSY_SNAPSHOT, _RECOVERY, _TIMEOUT): "database is locked". */
const isSqliteBusy = (e: unknown): boolean => {
  const code = e instanceof Error ? (e as Error & { code?: unknown }).code : undefined
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY')
}

/** An AppError of the graph subsystem; `line` names a line of a data file where there is one. */
export function graphError(code: GraphErrorCode, message: string, where: { field?: string; line?: number; column?: number; retryAfterSeconds?: number } = {}): AppError {
  return new AppError(GRAPH_ERROR_CODES[code], code, message, where)
}

/**
 * Errors cross the worker boundary as plain bodies (structured clone drops the class). An AppError
 * keeps its body; SQLite's "database is locked" becomes graph_locked (503, retry) naming `graph`,
 * the graph whose file was locked, when the caller knows it: it is no bug, so never a 500; anything
 * else is worker_failed (internal, 500).
 */
export function toErrorBody(e: unknown, graph?: string): ErrorBody {
  if (e instanceof AppError) return e.toBody()
  if (isSqliteBusy(e)) {
    const which = graph === undefined ? 'A graph' : `Graph [${graph}]`
    return graphError('graph_locked', `${which} was locked by another write (an import package, a Cypher write); try again later`).toBody()
  }
  return { kind: 'internal', code: 'worker_failed', message: e instanceof Error ? e.message : String(e) }
}

export function fromErrorBody(body: ErrorBody): AppError {
  return new AppError(body.kind, body.code, body.message, { field: body.field, line: body.line, column: body.column })
}

/**
 * Why a graph task failed, kept in the failed task's output as `failure`: its AppError's kind and
 * code, so a dialect can give a failed job its own error code (GES's errorCode: ges/errors.ts
 * failedJobCode). Jobs that failed without one (cancelled, timed out, an unexpected error) have none.
 */
export interface FailureCause {
  kind: ErrorKind
  code: string
}

/** The cause of an error (an error body, an AppError, or anything else: internal worker_failed). */
export function failureCause(e: unknown): FailureCause {
  const b = e && typeof e === 'object' && 'kind' in e && 'code' in e && !(e instanceof Error) ? (e as ErrorBody) : toErrorBody(e)
  return { kind: b.kind, code: b.code }
}

/** The cause a failed task's output names (`{failure: {kind, code}}`), if any. */
export function failureOf(output: unknown): FailureCause | undefined {
  const f = output && typeof output === 'object' ? (output as { failure?: Partial<FailureCause> }).failure : undefined
  return f && typeof f.kind === 'string' && typeof f.code === 'string' ? { kind: f.kind, code: f.code } : undefined
}
