// The graph area of the shared contract (shared/api.ts merges it): graphs and their schemas, the
// user's uploaded files, file previews, import checks and imports. Shapes of graphs, labels and
// reports are TuGraph's (shared/graph.ts, reference/tugraph.md §2), so a mapping built on the
// Imports page is a TuGraph import config unchanged.
import type { FailedLine, GraphInfo, GraphSummary, ImportStatus, LabelKind, PropertyType } from './graph'

/** A file in the caller's upload folder (`<data>/upload_files/<user>/`). */
export interface UploadedFileView {
  /** Relative to the upload folder, `/`-separated. */
  path: string
  bytes: number
  modifiedAt: number
}

/**
 * A folder of the user's uploads, as `files.list` with `folders: true` lists it beside the files:
 * `files` and `bytes` count the regular files directly in it (what an import of the folder reads;
 * 0 files: an import refuses it, "a folder with no files in it"). `modifiedAt` in ms since the epoch.
 */
export interface UploadedFolderView {
  kind: 'folder'
  /** Relative to the upload folder, `/`-separated, no trailing `/`. */
  path: string
  files: number
  bytes: number
  modifiedAt: number
}

/** One entry of `files.list`: a file (`kind: 'file'`) or, when asked for, a folder. */
export type UploadListEntry = (UploadedFileView & { kind: 'file' }) | UploadedFolderView

/**
 * One chunk of an upload. Chunks go in order: `offset` is at most the file's current size (a
 * resumed upload starts where the file ends). `replace` with offset 0 starts the file afresh, so
 * uploading a file again under the same name never keeps bytes of the old one.
 */
export interface FileChunk {
  path: string
  offset: number
  /** The chunk's bytes (IPC sends them as they are; HTTP as the raw request body), at most 16 MiB. */
  data: Uint8Array
  replace?: boolean
}

export const IMPORT_FORMATS = ['CSV', 'JSON'] as const
export type ImportFormat = (typeof IMPORT_FORMATS)[number]
/** The most header lines (lines before the data) a preview may skip: the API refuses more, the Imports form says so at its field. */
export const MAX_IMPORT_HEADER_LINES = 1000
/**
 * Files one import may list, a folder counting each file directly in it, by every route that starts
 * one (JobDesk's bound; TuGraph has none): the task's report holds an entry per file and the main
 * thread keeps a copy of it while the task runs; 20,000 entries of one line each kept an import busy
 * for hours (#9 §2).
 */
export const MAX_IMPORT_FILES = 1000

/** The first rows of an uploaded file parsed as an import would parse them. */
export interface PreviewRequest {
  path: string
  /** CSV, or JSON lines (one JSON array per line). */
  format: ImportFormat
  /** Omitted: the likeliest of `,` `;` tab `|` is found from the first lines (CSV only). */
  delimiter?: string
  /**
   * Lines at the start of the file that are not data (TuGraph's `header`); the last of them names the
   * columns. Omitted: 1 if the first line reads as names over typed data, else 0 (the preview says which).
   */
  header?: number
  /** Data rows to return (default 20, at most 200). */
  rows?: number
  /**
   * The file's encoding: utf-8, utf-16le, utf-16be, gbk, gb18030; a byte-order mark decides over it.
   * Omitted: utf-8, or the encoding guessed when the file's head is not UTF-8 (the answer's `encodingGuessed`).
   */
  encoding?: string
}

/** One column of a preview with the type its values suggest. */
export interface PreviewColumn {
  index: number
  /** From the header line when there is one (made a valid property name), else `column_<n>`. */
  name: string
  /** The narrowest TuGraph type every sampled value parses as: INT64, DOUBLE, BOOL, DATE, DATETIME, else STRING. */
  type: PropertyType
  /** Some sampled rows leave it empty (so a property made of it must be optional). */
  hasEmpty: boolean
  /** Sampled rows that have a value in it. */
  values: number
}

/** One data line of a preview: its fields (null = empty), or why it cannot be split. */
export interface PreviewRow {
  line: number
  fields: (string | null)[] | null
  error?: string
}

export interface FilePreview {
  path: string
  bytes: number
  format: ImportFormat
  /** The delimiter used (the one asked for, or the one found). */
  delimiter: string
  header: number
  /** The fields of the last header line, or null without a header. */
  headerFields: (string | null)[] | null
  columns: PreviewColumn[]
  rows: PreviewRow[]
  /** Data lines the suggestions were drawn from (more than `rows` shows). */
  sampledLines: number
  /** The whole file was read (a small file). */
  complete: boolean
  /**
   * The encoding the file was read in: its byte-order mark's (UTF-8, UTF-16LE/BE), else the one asked
   * for; none asked for: utf-8, or the one guessed when the head is not UTF-8 (see `encodingGuessed`).
   */
  encoding: string
  /** Why the encoding was guessed, when none was asked for ("not UTF-8; read as GBK (…)"); also among the notes. */
  encodingGuessed?: string
  /** Worth knowing: a byte-order mark, rows of different widths, a header longer than the sample. */
  notes: string[]
}

/** A mapping to check: what `imports.start` takes, plus the labels it would create first. */
export interface ImportCheckRequest {
  graph: string
  /** Labels to create before importing (a TuGraph `schema` array); existing identical ones are fine. */
  schema?: unknown
  /** The TuGraph `files` array (§2.2). */
  files: unknown
  delimiter?: string
  continueOnError?: boolean
}

export interface ImportProblem {
  /** `error`: the import would fail or lose every row; `warning`: some rows would fail. */
  severity: 'error' | 'warning'
  /** The AppError code behind it (`invalid_mapping`, `label_not_found`, `invalid_value`, …). */
  code: string
  message: string
  /** The file's path as mapped, when it is about one file. */
  file?: string
  line?: number
  /** The request field at fault (`delimiter`, `schema`), when it is about the request. */
  field?: string
}

/** What a check found in the first lines of one file. */
export interface FileCheck {
  path: string
  label: string
  kind: LabelKind
  /** The file's size in bytes. */
  bytes: number
  /**
   * Bytes of the file the check read and parsed (its first 1 MiB or so, to the end of a line; less when
   * the check's budget ran low): below `bytes`, the figures here are of the file's first part only.
   */
  bytesRead: number
  /** Data lines parsed (of the first `bytesRead` bytes of the file). */
  sampledLines: number
  failedLines: number
  /** The first failed lines of the sample. */
  failures: FailedLine[]
}

export interface ImportCheck {
  /** No errors: starting the import would run (warnings may remain). */
  ok: boolean
  problems: ImportProblem[]
  files: FileCheck[]
}

/** Starting an import from the GUI or the native API (TuGraph's import_data, in JobDesk's words). */
export interface ImportStartRequest {
  graph: string
  files: unknown
  delimiter?: string
  continueOnError?: boolean
  /** Delete the files once the import succeeded. */
  deleteFiles?: boolean
}

/** A Cypher statement run from the GUI or the native API (the engine of TuGraph's /cypher, docs/CYPHER.md). */
export interface CypherRunRequest {
  graph: string
  /** One statement (a trailing `;` is fine). */
  script: string
  /** `$name` parameters, a JSON object. */
  parameters?: Record<string, unknown>
  /** Seconds; 0 or absent = the server's default (600 s). */
  timeout?: number
  /**
   * The caller's name for this run (1–64 characters of letters, digits, `-` and `_`, e.g. a UUID):
   * `graphs.cypherCancel` stops it by this name while it runs. QueryIds are per user: two runs of one user may not share a name at once.
   */
  queryId?: string
}

/**
 * A statement's answer: TuGraph's `jsonFormat: false` header and rows, with cells in TuGraph's
 * encoding (§4.2) as JSON values rather than JSON text. Header types: 0 value, 1 vertex, 2 edge, 4 path.
 */
export interface CypherRunResult {
  header: { name: string; type: 0 | 1 | 2 | 4 }[]
  rows: unknown[][]
  /** Seconds the statement took in the engine. */
  elapsed: number
  /** A write's `<SUMMARY>` text ("created 2 vertices, created 1 edges."). */
  summary?: string
}

export interface GraphOperations {
  /**
   * Runs one Cypher statement as TuGraph's /cypher does (same engine, limits and error texts:
   * cypher_syntax "… (line L, column C)", cypher_semantic, query_timeout, query_cancelled, …).
   */
  'graphs.cypher': { params: CypherRunRequest; result: CypherRunResult }
  /**
   * Stops a running `graphs.cypher` by its queryId; it then fails with query_cancelled. QueryIds are
   * per user: a user stops their own runs; an admin anyone's (`user`: whose, when several users' runs have that queryId).
   */
  'graphs.cypherCancel': { params: { queryId: string; user?: string }; result: { queryId: string; user: string; cancelled: true } }
  /**
   * Every graph with its labels named and counted and vertex/edge totals; no label definitions (one
   * graph's wide schema would make everyone's list carry it): graphs.get has them, one graph at a time.
   */
  'graphs.list': { params: Record<string, never>; result: GraphSummary[] }
  /** One graph: its schema (every label's definition, at most 4 MiB: MAX_SCHEMA_BYTES) and counts. */
  'graphs.get': { params: { graph: string }; result: GraphInfo }
  /** Admins only. TuGraph's name rules; graph_exists if taken. */
  /** Admins only; the graph belongs to its creator or to `owner` (a user, who may then change it and import into it). */
  'graphs.create': { params: { graph: string; description?: string; owner?: string; maxSizeGb?: number }; result: GraphInfo }
  /** Its owner or an admin; refused while an import into the graph is queued or running. */
  'graphs.drop': { params: { graph: string }; result: { graph: string } }
  /**
   * Creates labels (a TuGraph `schema` array, or `{schema: [...]}`): identical existing labels are
   * skipped, a different one with the same name fails the whole call and creates nothing.
   */
  'graphs.importSchema': { params: { graph: string; schema: unknown }; result: { created: string[]; skipped: string[]; info: GraphSummary } }
  /** The caller's uploaded files, sorted by path. */
  /** The caller's uploaded files by path; with `folders`, their folders too (each entry's `kind` says which). */
  'files.list': { params: { folders?: boolean }; result: UploadListEntry[] }
  /** Writes one chunk; returns the file as it now is. */
  'files.upload': { params: FileChunk; result: UploadedFileView }
  'files.delete': { params: { path: string }; result: { path: string } }
  /** The first rows of an uploaded file as an import would parse them, with a type suggested per column. */
  'imports.preview': { params: PreviewRequest; result: FilePreview }
  /** Checks a mapping against the graph and the files' first lines; starts nothing. */
  'imports.check': { params: ImportCheckRequest; result: ImportCheck }
  /** Starts an import job (kind `import`); cancel it with jobs.cancel. */
  'imports.start': { params: ImportStartRequest; result: { taskId: string; jobId: number } }
  /** An import's status, live figures and report (its submitter or an admin). */
  'imports.status': { params: { taskId: string }; result: ImportStatus }
}

type Route = { method: 'GET' | 'POST'; path: string; status?: number; body?: 'raw' }

/** How the graph operations are reached over the native REST API. */
export const GRAPH_HTTP_ROUTES: { [K in keyof GraphOperations]: Route } = {
  'graphs.cypher': { method: 'POST', path: '/api/v1/graphs/:graph/cypher' },
  'graphs.cypherCancel': { method: 'POST', path: '/api/v1/cypher/:queryId/cancel' },
  'graphs.list': { method: 'GET', path: '/api/v1/graphs' },
  'graphs.get': { method: 'GET', path: '/api/v1/graphs/:graph' },
  'graphs.create': { method: 'POST', path: '/api/v1/graphs', status: 201 },
  'graphs.drop': { method: 'POST', path: '/api/v1/graphs/:graph/drop' },
  'graphs.importSchema': { method: 'POST', path: '/api/v1/graphs/:graph/schema' },
  'files.list': { method: 'GET', path: '/api/v1/files' },
  // the chunk is the raw body (application/octet-stream); path, offset and replace go in the query
  'files.upload': { method: 'POST', path: '/api/v1/files/upload', body: 'raw' },
  'files.delete': { method: 'POST', path: '/api/v1/files/delete' },
  'imports.preview': { method: 'POST', path: '/api/v1/imports/preview' },
  'imports.check': { method: 'POST', path: '/api/v1/imports/check' },
  'imports.start': { method: 'POST', path: '/api/v1/imports', status: 201 },
  'imports.status': { method: 'GET', path: '/api/v1/imports/:taskId' },
}
