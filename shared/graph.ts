// The graph subsystem's public shapes: graph schemas (TuGraph's label definitions, reference/tugraph.md
// §2.1, so a saved mapping is a TuGraph import config unchanged), graphs, and import reports.
// Shared by the core service, the dialects and the renderer.

/** TuGraph's property types, as the exact upper-case words its configs use. */
export const PROPERTY_TYPES = [
  'BOOL',
  'INT8',
  'INT16',
  'INT32',
  'INT64',
  'FLOAT',
  'DOUBLE',
  'DATE',
  'DATETIME',
  'STRING',
  'BLOB',
  'POINT',
  'LINESTRING',
  'POLYGON',
  'FLOAT_VECTOR',
] as const
export type PropertyType = (typeof PROPERTY_TYPES)[number]

/** Types a file import cannot fill (TuGraph: "do not support spatial now!"); they may still be stored. */
export const NOT_IMPORTABLE_TYPES: ReadonlySet<PropertyType> = new Set(['POINT', 'LINESTRING', 'POLYGON'])

/** One property of a label, as in a TuGraph schema's `properties` array. */
export interface PropertyDef {
  name: string
  type: PropertyType
  optional?: boolean
  /** Creates an index; unique when `unique` (or, on edges, `pair_unique`) is also set. */
  index?: boolean
  unique?: boolean
  /** Edges only: unique per (src, dst). */
  pair_unique?: boolean
  /** STRING only. Recorded; full-text search itself is not implemented yet. */
  fulltext?: boolean
}

export interface VertexLabelDef {
  label: string
  type: 'VERTEX'
  /** The one primary property: implicitly indexed and unique, never optional. */
  primary: string
  properties: PropertyDef[]
  detach_property?: boolean
}

export interface EdgeLabelDef {
  label: string
  type: 'EDGE'
  properties: PropertyDef[]
  /** Allowed (src label, dst label) pairs; empty = any. */
  constraints: [string, string][]
  /** An INT64 property whose value is the edge's temporal id (tid). */
  temporal?: string
  temporal_order?: 'ASC' | 'DESC'
  detach_property?: boolean
}

export type LabelDef = VertexLabelDef | EdgeLabelDef
export type LabelKind = 'vertex' | 'edge'

/** A label as a graph list names it: its 0-based id (creation order within its kind) and row count, no definition. */
export interface LabelSummary {
  kind: LabelKind
  id: number
  name: string
  count: number
}

/** A label of a graph with its definition (graphs.get: one graph at a time). */
export interface LabelInfo extends LabelSummary {
  def: LabelDef
}

export interface GraphInfo {
  name: string
  description: string
  /** TuGraph's max_size_GB configuration; informational here. */
  maxSizeGb: number
  vertexCount: number
  edgeCount: number
  labels: LabelInfo[]
  /** Bytes on disk (the graph file and its WAL). */
  sizeBytes: number
  createdAt: number
  /** Who may change it besides admins: its creator (`default`, and graphs made before owners were kept: admin). */
  owner: string
}

/**
 * A graph as the graph list shows it: GraphInfo with its labels named and counted but not defined,
 * so one graph's wide schema does not make every user's list carry it (graphs.get has the definitions).
 */
export interface GraphSummary extends Omit<GraphInfo, 'labels'> {
  labels: LabelSummary[]
}

/** One entry of an import's `files` array (TuGraph §2.2). Edge files have SRC_ID and DST_ID (vertex label names). */
/** Text encodings an import reads (a byte-order mark, UTF-8 or UTF-16, decides over the one asked for). */
export const IMPORT_ENCODINGS = ['utf-8', 'utf-16le', 'utf-16be', 'gbk', 'gb18030'] as const
export type ImportEncoding = (typeof IMPORT_ENCODINGS)[number]

export interface FileMapping {
  path: string
  format: 'CSV' | 'JSON'
  label: string
  columns: string[]
  header?: number
  SRC_ID?: string
  DST_ID?: string
  /**
   * The file's text encoding: utf-8 (the default), utf-16le, utf-16be, gbk or gb18030. A byte-order
   * mark at the start of the file (UTF-8, UTF-16LE/BE) decides over it.
   */
  encoding?: string
  /**
   * JobDesk's: true when `encoding` is the one a preview guessed for the file (FilePreview's
   * `encodingGuessed`) rather than one the person chose; only the report's note and the job log say
   * so ("read as GBK (guessed)" / "read as GBK (chosen)"). Ignored without an `encoding` other than utf-8.
   */
  encodingGuessed?: boolean
}

/** A line that was not imported: 1-based line number in its file, the raw text and why (each cut at 1,000 characters). */
export interface FailedLine {
  line: number
  text: string
  reason: string
}

export const FILE_STATES = ['pending', 'running', 'done', 'failed', 'cancelled'] as const
export type FileState = (typeof FILE_STATES)[number]

/**
 * What happened to one file. `lines` counts data lines read (not header or blank lines);
 * lines = imported + failed + rolledBack. `rolledBack` are the lines of a package that failed
 * as a whole (continueOnError false) and so were not committed; `skipped` are the lines of
 * packages passed over by skipPackages.
 */
export interface FileReport {
  path: string
  label: string
  kind: LabelKind
  format: 'CSV' | 'JSON'
  bytes: number
  state: FileState
  lines: number
  imported: number
  failed: number
  rolledBack: number
  skipped: number
  blankLines: number
  /** The first failed lines: at most 100 per file and 1,000 in the whole report (`failed` counts them all). */
  failures: FailedLine[]
  /** Things worth knowing that are not failures: a byte-order mark ignored, an empty file. */
  notes: string[]
}

export const IMPORT_STATES = ['running', 'succeeded', 'failed', 'cancelled'] as const
export type ImportState = (typeof IMPORT_STATES)[number]

/** An import's report: durable with every committed package, final when the import ends. */
export interface ImportReport {
  taskId: string
  graph: string
  state: ImportState
  bytesTotal: number
  /**
   * Bytes of its files read: the committed packages' (and skipped ones'); a final report of an import a
   * line failed also counts the package that line was in, read though rolled back (its progress).
   */
  bytesDone: number
  /** Packages committed by this task (over all its runs) and packages passed over by skipPackages. */
  packagesDone: number
  packagesSkipped: number
  imported: number
  failed: number
  elapsedMs: number
  rowsPerSecond: number
  files: FileReport[]
  /**
   * Why it failed, in JobDesk's words: the error, the files imported in full, the data lines (no
   * header) imported of the file it stopped in and the package rolled back there, if one was; for an
   * import that read every file but imported none of its failed lines, "nothing was imported: …".
   */
  reason?: string
  /**
   * The same failure in TuGraph's exact words (reference/tugraph.md §1.8: "<file> was imported <N>
   * lines", N counting the header line), for the TuGraph dialect's import_progress `reason` only;
   * absent where `reason` is the only text (nothing imported, no file reached).
   */
  tugraphReason?: string
}

/** Starting an import (what TuGraph's import_data carries, in JobDesk's words). */
export interface ImportRequest {
  graph: string
  /** The `files` array of §2.2; checked with TuGraph's texts. Paths are relative to the user's upload folder. */
  files: unknown
  /** Used literally, may be several characters; not empty, no \r or \n. Default ",". */
  delimiter?: string
  /** Skip bad lines (counted and reported) instead of failing the import. Default false. */
  continueOnError?: boolean
  /** Packages to pass over (TuGraph's resume by package count). Default 0. */
  skipPackages?: number
  /** Delete the files once the import succeeded (TuGraph's flag "1"). Default false. */
  deleteFiles?: boolean
  /** Package size in bytes (default 16 MiB); meant for tests. */
  packageBytes?: number
}

/**
 * What a running import is doing: a GES import-graph first splits its files per label (`splitting`),
 * then creates the labels they need (`preparing`), then imports the parts (`importing`); any other
 * import only imports. Any import waits (`waiting`) while another import into its graph runs.
 */
export type ImportPhase = 'splitting' | 'preparing' | 'waiting' | 'importing'

/** Progress of a running import between its commits (or of a GES import's split, or between its steps). */
export interface LiveImportProgress {
  phase: ImportPhase
  /** The file the split is reading, as the request named it (GES's path); null in the other phases. */
  file: string | null
  /**
   * Bytes read of all, of the phase: while splitting, the user's files' bytes the split read; while
   * preparing or waiting, the last known ones (a GES import's split's; 0 of 0 for an import that read nothing yet).
   */
  bytesDone: number
  bytesTotal: number
  imported: number
  failed: number
  rowsPerSecond: number
}

/**
 * One file of a GES import-graph job, as GES's job_detail tells it (reference/ges-job-center-api.txt):
 * its status (null until the import settled it), the first failed line's cause, and its line counts
 * (-1 for a schema file, whose lines are not counted).
 */
export interface GesFileDetail {
  path: string
  log: string | null
  status: 'success' | 'failed' | 'partFailed' | null
  cause: string | null
  total_lines: number
  failed_lines: number
  successful_lines: number
}

/** A GES import-graph job's files by kind, each as GES reports it (GesFileDetail). */
export interface GesImportFiles {
  schema: GesFileDetail[]
  edges: GesFileDetail[]
  vertices: GesFileDetail[]
}

/**
 * What a GES import-graph job whose files hold no data line to place says, in its log and on the
 * Imports page in place of its bytes: it succeeded and imported nothing (its files empty or blank).
 */
export const NO_LINES_TO_IMPORT = 'nothing to import: the files hold no data lines'

/** Whether a GES import-graph job's data files held no line at all (none placed, none failed): NO_LINES_TO_IMPORT. */
export const gesFilesHeldNoLines = (ges: GesImportFiles): boolean => [...ges.vertices, ...ges.edges].every((f) => f.total_lines <= 0)

/** An import as a job: its report, the job's id, status and progress, and live figures while it runs. */
export interface ImportStatus {
  taskId: string
  jobId: number
  submitter: string
  graph: string
  /** The job's status (queued, running, succeeded, failed, cancelling, cancelled, timed_out). */
  status: string
  /**
   * 0..1: bytes read / bytes in all files. A running GES import-graph job counts its split as the first
   * SPLIT_SHARE of it and its import as the rest (electron/graph/ges/ges-report.ts gesImportProgress).
   */
  progress: number
  /**
   * The report: final once the job ended, else as of the last committed package; null before the first.
   * For a GES import-graph job, the import of the parts its files were split into (their paths are the
   * job's work files: `ges` names the GES files); null when it failed before the import.
   */
  report: ImportReport | null
  /** A GES import-graph job's files as GES reports them (lines, imported, failed, cause); null for any other import. */
  ges: GesImportFiles | null
  live: LiveImportProgress | null
  /** The job's error when it did not succeed. */
  error: string | null
}

/** A vertex as the store reads it: vid, label and typed property values (see electron/graph/store/values.ts). */
export interface VertexView {
  vid: number
  label: string
  labelId: number
  properties: Record<string, unknown>
}

/** An edge with its full key (src, dst, label_id, tid, eid), as TuGraph numbers edges. */
export interface EdgeView {
  label: string
  labelId: number
  src: number
  dst: number
  tid: number
  eid: number
  properties: Record<string, unknown>
}
