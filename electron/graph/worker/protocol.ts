// The messages between the main thread and a graph worker. Requests are one map of operation name
// → params → result (GraphOps); an import is a long job that streams events and ends once.
import type { ErrorBody } from '../../../shared/errors'
import { CHANGING_A_GRAPH, DROPPING_A_GRAPH } from '../errors'
import type { EdgeView, FileMapping, GraphInfo, GraphSummary, ImportReport, LabelDef, VertexView } from '../../../shared/graph'
import type { FilePreview } from '../../../shared/graph-api'
import type { AlgorithmEnd, AlgorithmEvent, AlgorithmInput } from '../algorithms/algorithm-run'
import type { PackedResult } from '../cypher/packed-rows'
import type { CypherRequest, CypherResult } from '../cypher/run'
import type { ImportEnd, ImportEvent, ImportInput } from '../import/import-run'
import type { GesLabelUse } from '../ges/ges-labels'
import type { RefusedLabel } from '../store/schema'
import type { GesSplitProgress, GesSplitResult } from '../ges/ges-split'
import type { GesSplitRequest } from '../ges/ges-sources'
import type { PreviewInput } from '../inspect/file-preview'
import type { SampleInput, SampleResult } from '../inspect/import-sample'

export interface GraphOps {
  /** Every graph, its labels named and counted, not defined (a list stays small whatever one schema holds). */
  'graphs.list': { params: Record<string, never>; result: GraphSummary[] }
  /** One graph with its label definitions. */
  'graphs.get': { params: { graph: string }; result: GraphInfo }
  /** One graph as the list shows it: whether it exists, its owner, counts (graph_not_found otherwise). */
  'graphs.summary': { params: { graph: string }; result: GraphSummary }
  'graphs.create': { params: { graph: string; description?: string; maxSizeGb?: number; owner?: string }; result: GraphInfo }
  'graphs.drop': { params: { graph: string }; result: null }
  /**
   * Parses a TuGraph schema description (parseSchemaDescription) and creates the labels that do not
   * exist (import_schema semantics). Parsed here, not on the main thread: a 4 MiB body names ~12,000
   * properties, whose checks took ~100-200 ms.
   */
  'schema.import': { params: { graph: string; description: unknown }; result: { created: string[]; skipped: string[] } }
  /**
   * Reads and parses a GES schema file (`file` resolved, `path` as the request named it), as the
   * check when an import-graph request comes: here, so a 4 MiB schema is not parsed on the main
   * thread. Returns its number of labels; throws what ges-schema.ts readGesSchemaFile throws.
   */
  'ges.schema': { params: { file: string; path: string }; result: number }
  /**
   * Parses a TuGraph schema description (an import check's `schema`) label by label (schema.ts
   * parseSchemaLabels): the labels that parse, and those refused with why. Here, not on the main thread, as schema.import.
   */
  'schema.parse': { params: { description: unknown }; result: { labels: LabelDef[]; refused: RefusedLabel[] } }
  /**
   * The labels a GES import's lines use, checked against the graph's and those it lacks made, in one
   * write transaction (ges/ges-labels.ts ensureGesLabels): returns the labels made (`vertex P`);
   * throws schema_not_comparable naming a label and a property the graph's label lacks or types otherwise.
   */
  'ges.labels': { params: { graph: string; labels: GesLabelUse[] }; result: string[] }
  /** Plans an import's files against the schema without importing anything; throws what the import would fail with. */
  'import.check': { params: { graph: string; files: { mapping: FileMapping; file: string }[] }; result: null }
  /**
   * The first file whose header line is not valid in its encoding (inspect/import-sample.ts
   * firstGarbledHeader: `index` in `files`, the refusal's text and the mapping field it names), or null: an import's submit refuses it.
   */
  'import.headers': { params: { files: { mapping: FileMapping; file: string }[]; delimiter: string }; result: { index: number; message: string; field: 'encoding' | 'header' } | null }
  /** The head of an uploaded file (`file`, resolved) parsed as an import would parse it (inspect/file-preview.ts). */
  'files.preview': { params: { file: string; input: PreviewInput }; result: FilePreview }
  /** Plans an import against the graph plus the labels it would create, and parses each file's first lines; writes nothing. */
  'import.sample': { params: { graph: string; input: SampleInput }; result: SampleResult }
  /** An import task's report as its graph file has it (final, else as of its last committed package). */
  'import.record': { params: { graph: string; taskId: string }; result: ImportReport | null }
  /** How an import cancelled before its turn ends (import-run.ts cancelledBeforeItsTurn): read only, its stored report kept. */
  'import.cancelled': { params: { input: ImportInput }; result: ImportEnd }
  'vertices.get': { params: { graph: string; vid: number }; result: VertexView | null }
  /** A primary index seek; `key` is given as the primary property's value. */
  'vertices.byPrimary': { params: { graph: string; label: string; key: unknown }; result: VertexView | null }
  'vertices.page': { params: { graph: string; label: string; afterVid?: number; limit?: number }; result: VertexView[] }
  /** The vertex labels whose `property` holds a value in at least one vertex (an algorithm's write-back asks before it overwrites). */
  'properties.filled': { params: { graph: string; property: string }; result: string[] }
  /** Adjacency: out-edges (a seek on src) or in-edges (a seek on dst). */
  'edges.list': { params: { graph: string; vid: number; direction: 'out' | 'in'; label?: string }; result: EdgeView[] }
}
export type GraphOpName = keyof GraphOps

/**
 * The requests that change a graph, with what graphBusy says must wait: GraphHost.request refuses
 * them with graph_busy while an import into their graph is queued or running, whoever asks (the
 * native API, TuGraph's import_schema, the GUI), as the Cypher engine refuses writes
 * (errors.ts refuseWhileImporting). Not 'ges.labels': a GES import makes its labels inside its own
 * job, the very import that makes the graph busy.
 */
export const REFUSED_WHILE_IMPORTING: Partial<Record<GraphOpName, string>> = {
  'graphs.drop': DROPPING_A_GRAPH,
  'schema.import': CHANGING_A_GRAPH,
}

/**
 * The requests that add to a graph or make one: GraphHost.request refuses them with
 * disk_nearly_full (graph-room.ts) when the data folder's disk is down to its reserve, and the
 * worker refuses schema calls on a graph at its bound (store/graph-bound.ts).
 */
export const GROWS_A_GRAPH: ReadonlySet<GraphOpName> = new Set<GraphOpName>(['graphs.create', 'schema.import', 'ges.labels'])

export type ToWorker =
  /** `stop` is one Int32 the host sets (non-zero) when the caller has gone: handlers that can stop read it between steps. */
  | { type: 'request'; id: number; op: GraphOpName; params: unknown; stop?: SharedArrayBuffer }
  /** `stop` is one Int32 the host sets to STOP.cancel or STOP.shutdown; the worker reads it between batches. */
  | { type: 'import'; id: number; input: ImportInput; stop: SharedArrayBuffer }
  /** An algorithm run (algorithms/algorithm-run.ts); `stop` as for imports (any non-zero value stops it). */
  | { type: 'algorithm'; id: number; input: AlgorithmInput; stop: SharedArrayBuffer }
  /** A Cypher statement on `graph`; with `jsonFormat` the answer is TuGraph's `data` as JSON text. `stop` as for imports. */
  | { type: 'cypher'; id: number; query: CypherQuery; stop: SharedArrayBuffer }
  /** A GES import's files listed (ges/ges-sources.ts) and split per label (ges/ges-split.ts), in an import worker. `stop` as for imports. */
  | { type: 'ges-split'; id: number; input: GesSplitRequest; stop: SharedArrayBuffer }
  /** A GES import's work folder removed with its split files (ges/ges-split.ts removeWorkDir), in an import worker. */
  | { type: 'ges-remove'; id: number; workDir: string }

export type FromWorker =
  | { type: 'response'; id: number; ok: true; result: unknown }
  | { type: 'response'; id: number; ok: false; error: ErrorBody }
  | { type: 'import-event'; id: number; event: ImportEvent }
  | { type: 'import-end'; id: number; end: ImportEnd }
  | { type: 'algorithm-event'; id: number; event: AlgorithmEvent }
  | { type: 'algorithm-end'; id: number; end: AlgorithmEnd }
  | { type: 'cypher-end'; id: number; ok: true; result: CypherAnswer }
  | { type: 'cypher-end'; id: number; ok: false; error: ErrorBody }
  /** How far a GES split has read (at most every SPLIT_PROGRESS_MS). */
  | { type: 'ges-split-progress'; id: number; progress: GesSplitProgress }
  | { type: 'ges-split-end'; id: number; ok: true; result: GesSplitResult }
  | { type: 'ges-split-end'; id: number; ok: false; error: ErrorBody }
  | { type: 'ges-remove-end'; id: number; ok: true; result: null }
  | { type: 'ges-remove-end'; id: number; ok: false; error: ErrorBody }
  /** A query worker has loaded the Cypher engine and takes queries. */
  | { type: 'ready' }
  /** A statement has deleted graph `graph` (dbms.graph.deleteGraph): the host stops the statements running on it. */
  | { type: 'graph-dropped'; graph: string }

/** A Cypher request to a query worker. */
export interface CypherQuery extends CypherRequest {
  graph: string
  /** Who asks (required, so no caller can skip the rights checks): admin-only procedures need an admin. */
  actor: { username: string; isAdmin: boolean }
  /** Set when the actor may only read this graph (graph-rights.ts): the reason a statement that writes is refused with. */
  readOnly?: string
  /** Answer TuGraph's `data` as JSON bytes (true: row objects, false: header/result/size/elapsed) instead of the result. */
  jsonFormat?: boolean
  /** Answer the result with its rows packed (cypher/packed-rows.ts: JSON bytes, transferred, not cloned): for a result that may be large. */
  packRows?: boolean
  /** Only parse `script` (one statement, TuGraph's dialect): the graph is not opened; the answer is an empty result or cypher_syntax/cypher_unsupported. */
  parseOnly?: boolean
  /**
   * Only parse and plan `script` on the graph (cypher/run.ts planCypher; only parse it when the graph has
   * no file): the answer is `{ planned }` or the statement's own error, what a run would throw before its first row.
   */
  planOnly?: boolean
  /** Set by GraphHost: graphs with an import queued or running (and which), which the statement may not drop or change the labels or data of. */
  busyGraphs?: import('../errors').BusyGraphs
  /** Set by GraphHost when the data folder's disk is down to its reserve (graph-room.ts): the refusal's message, for a statement that may grow the graph (cypher/execute.ts QueryEnv.diskFull). */
  diskFull?: string
}

/**
 * A query worker's answer: the result; the result with its rows packed (`packRows`); or TuGraph's
 * `data` as UTF-8 JSON bytes (`jsonFormat`, transferred, not cloned); of a statement only planned
 * (`planOnly`), the graphs it would drop.
 */
export type CypherAnswer = { result: CypherResult } | { packed: PackedResult } | { json: Uint8Array; rows: number; summary?: string } | { planned: { drops: string[] } }
