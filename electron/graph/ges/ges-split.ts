// GES's schema file and CSV files (vertex lines `id,label,props…`, edge lines `src,dst,label,props…`, any labels
// mixed in one file) split into one CSV per label (edges per label and endpoint labels), in a graph
// worker thread (graph-worker.ts, started by GraphHost.runGesSplit for ges-import.executor.ts): the
// files are read, split and written there, never on the main thread. Labels are found in a Map; the
// vertex ids edges need are kept in the worker's heap, at most MAX_VERTEX_IDS of them; split files
// are written from bounded buffers. Split files are named by counters (`<source>.v.<n>.csv`), never
// from a label or any other text of the client's files, and each is opened inside the work folder
// only (workFile), without following a symbolic link. Lines that would need more labels than a
// graph holds (MAX_LABELS), or a split file past MAX_SPLIT_FILES, end the split before a split file
// is written for them (split files are written one at a time: one open file handle), and the folder
// is removed here too (removeWorkDir): Node's recursive rm is an lstat and an unlink callback per
// file, and 20,000 of those on the main thread held it 250-450 ms.
import { closeSync, constants, openSync, rmSync, statSync, writeSync } from 'node:fs'
import { basename, dirname, resolve } from 'node:path'
import type { LabelKind } from '../../../shared/graph'
import { isAppError } from '../../../shared/errors'
import { failureCause, type FailureCause } from '../errors'
import { CsvFieldSplitter } from '../import/csv-fields'
import { MAX_LABELS } from '../store/names'
import { boundedLines } from './bounded-lines'
import { readGesSchemaFile, type GesLabel } from './ges-schema'
import { formatCount } from '../../../shared/number-format'

/** Longest line of a GES data file: a longer one fails (counted, named) without being held or split. */
export const MAX_LINE_BYTES = 1 << 20
/**
 * Distinct vertex ids an import with edge files may bring (each edge line's endpoints are looked up
 * among them). 10 million ids take about 1 GB of the worker's heap; more fails the job naming this.
 */
export const MAX_VERTEX_IDS = 10_000_000
/**
 * Split files one import-graph may make (one per source file and label, for edges per label and
 * endpoint labels), as many as a graph holds labels: each is a file of the import's report, and
 * 4,000 took 29.7 s to import. Labels alone do not bound them (64 vertex labels and one edge label
 * between all of them make 4,160); the line that would make one more ends the split (too_many_split_files).
 */
export const MAX_SPLIT_FILES = MAX_LABELS
/** A split file's buffer is written out when it holds this much text (UTF-16 code units). */
const PART_FLUSH = 1 << 20
/** All buffers are written out when together they hold this much: thousands of labels stay bounded too. */
const ALL_FLUSH = 16 << 20
/** The folder in a user's upload folder that holds each GES import's work folder (`<WORK_ROOT>/<job uuid>`). */
export const WORK_ROOT = '.ges-import'
/** Lines between two reads of the stop flag. */
const STOP_EVERY = 4096
/**
 * The split's progress is told at most this often (ms), as an import's (import-progress.ts EVERY_MS):
 * one message to the main thread, and there one in-memory update of the job, per interval, not per line.
 */
export const SPLIT_PROGRESS_MS = 200

/** How far a split is: `bytesRead` of the GES data files' `bytesTotal` (GesSplitResult.bytes), reading `file` (its path as the request named it). */
export interface GesSplitProgress {
  bytesRead: number
  bytesTotal: number
  file: string
}

/** What the split reads and where it writes; the files listed and resolved in the same worker (ges-sources.ts gesSourceFiles). */
export interface GesSplitInput {
  /** Absolute folder the split files are written into (it exists: makeWorkDir). */
  workDir: string
  /** Vertex files, then edge files: `path` as the user named it (for the report), `file` resolved. */
  vertexFiles: { path: string; file: string }[]
  edgeFiles: { path: string; file: string }[]
  delimiter: string
  /** The schema file (`path` as named, `file` resolved), read and parsed here (readGesSchemaFile: the native name rule). */
  schema?: { path: string; file: string }
  /**
   * The graph's labels, vertex labels before edge labels, properties without `id`: a line's label
   * not in the schema file is looked up here, and the labels the lines need besides these count
   * against MAX_LABELS.
   */
  graphLabels: (GesLabel & { kind: LabelKind })[]
  /** Distinct vertex ids kept for edges (default MAX_VERTEX_IDS); smaller in tests. */
  maxVertexIds?: number
}

/** One source file's line counts (GES's job_detail entry before the import adds its part). */
export interface GesSplitSource {
  path: string
  total_lines: number
  failed_lines: number
  /** The first failed line's reason, `line N: …`, or null. */
  cause: string | null
}

/** A split file, `<workDir>/<part>` (`part` a counter name, see workFile): the lines of source `source` (an index into vertices or edges) with label `label`. */
export interface GesSplitPart {
  part: string
  /** Its absolute path, `workFile(workDir, part)`: made here, so the main thread does no path work per part. */
  file: string
  kind: 'vertex' | 'edge'
  source: number
  label: string
  /** For edges: the labels of the source and target vertices. */
  src?: string
  dst?: string
}

/** What a split did: per source file its counts, the split files made, and why it ended early, if it did. */
export interface GesSplitResult {
  vertices: GesSplitSource[]
  edges: GesSplitSource[]
  /** Split files in the order their first line was written. */
  parts: GesSplitPart[]
  /** The stop flag was set: the split ended early. */
  stopped: boolean
  /**
   * Set when the split ended early at a limit, with nothing more written: MAX_VERTEX_IDS (cause
   * code too_many_vertices), MAX_LABELS (too_many_labels: the message names how many labels the
   * lines need) or MAX_SPLIT_FILES (too_many_split_files: the message names the file and line). The message is the job's reason; the cause its kind and code.
   */
  tooLarge?: { message: string; cause: FailureCause }
  /** Set when the schema file cannot be read or parsed (nothing was split): why, and the cause the job fails with. */
  schemaFailure?: { message: string; cause: FailureCause }
  /** The labels the split files use, each with its kind (vertex labels first) and the properties its columns follow. */
  labels: (GesLabel & { kind: LabelKind })[]
  /**
   * The GES data files' bytes (vertex and edge files; the schema's are not counted, as its lines are not):
   * `total` of every file given, those the split did not reach and those whose every line failed too;
   * `read` of them by the split: whole files, and the file it ended in (a limit, a stop) as far as it read.
   */
  bytes: { read: number; total: number }
}

const csvField = (v: string | null): string => (v === null ? '' : /[",\n\r]/.test(v) || v !== v.trim() ? `"${v.replace(/"/g, '""')}"` : v)

/**
 * The path of the split file `name` (a name the split made: `<n>.v.<n>.csv` or `<n>.e.<n>.csv`) in
 * `workDir`. Throws (a bug, not a user error) for any other name or one that resolves elsewhere.
 */
export function workFile(workDir: string, name: string): string {
  const path = resolve(workDir, name)
  if (!/^\d+\.[ve]\.\d+\.csv$/.test(name) || dirname(path) !== resolve(workDir)) throw new Error(`split file name ${JSON.stringify(name)} is not one of the work folder's`)
  return path
}

/** Appends `text` to a split file; O_NOFOLLOW, so a symbolic link put in its place is not written through. */
function appendPart(path: string, text: string): void {
  const fd = openSync(path, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | (constants.O_NOFOLLOW ?? 0), 0o600)
  try {
    const bytes = Buffer.from(text)
    for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done) // a write may take fewer bytes than given
  } finally {
    closeSync(fd)
  }
}

/** Per split file, its text not yet written; written out by size, per file and in all. */
class PartWriter {
  private readonly buffers = new Map<string, string[]>()
  private readonly sizes = new Map<string, number>()
  private total = 0

  constructor(private readonly dir: string) {}

  write(part: string, fields: (string | null)[]): void {
    const line = `${fields.map(csvField).join(',')}\n`
    let list = this.buffers.get(part)
    if (!list) this.buffers.set(part, (list = []))
    list.push(line)
    const size = (this.sizes.get(part) ?? 0) + line.length
    this.sizes.set(part, size)
    this.total += line.length
    if (size > PART_FLUSH) this.flush(part)
    else if (this.total > ALL_FLUSH) this.flushAll()
  }

  /** Writes out every buffer (call it once the split has ended well; a failed split writes no more). */
  flushAll(): void {
    for (const part of this.buffers.keys()) this.flush(part)
  }

  private flush(part: string): void {
    const list = this.buffers.get(part)
    if (!list?.length) return
    appendPart(workFile(this.dir, part), list.join(''))
    this.total -= this.sizes.get(part) ?? 0
    this.buffers.set(part, [])
    this.sizes.set(part, 0)
  }
}

/**
 * Reads the schema file and splits the files (synchronously: call it in a worker thread). Lines that cannot be split (too
 * long, bad CSV, unknown label, too many fields, an edge whose vertex is in none of the vertex
 * files) are counted failed with the first one's reason. `stopped()` is read every few thousand
 * lines. `progress` hears how far it read (GesSplitProgress): as the first file starts, then at most
 * once every SPLIT_PROGRESS_MS of the clock `now` (Date.now; tests pass their own), whatever the
 * number of lines or files. Throws what reading or writing a file throws.
 */
export function splitGesFiles(input: GesSplitInput, stopped: () => boolean, progress?: (p: GesSplitProgress) => void, now: () => number = Date.now): GesSplitResult {
  const read = { bytes: 0 }
  const total = [...input.vertexFiles, ...input.edgeFiles].reduce((sum, f) => sum + (statSync(f.file, { throwIfNoEntry: false })?.size ?? 0), 0)
  const result: GesSplitResult = { vertices: [], edges: [], parts: [], stopped: false, labels: [], bytes: { read: 0, total } }
  let toldAt = -Infinity
  /** Tells `progress` the bytes read so far and `file` when SPLIT_PROGRESS_MS passed since it last did: a folder of 20,000 small files is no 20,000 messages. */
  const tell = (file: string): void => {
    if (!progress) return
    const t = now()
    if (t - toldAt < SPLIT_PROGRESS_MS) return
    toldAt = t
    progress({ bytesRead: read.bytes, bytesTotal: total, file })
  }
  let schema: GesLabel[] = []
  if (input.schema) {
    try {
      schema = readGesSchemaFile(input.schema.file, input.schema.path)
    } catch (e) {
      result.schemaFailure = { message: (e as Error).message, cause: isAppError(e) ? failureCause(e) : { kind: 'invalid', code: 'invalid_schema' } }
      return result
    }
  }
  // a line's label: the schema file's first label of that name (a GES label serves vertices and
  // edges alike), else the graph's label of the line's kind: by name alone an edge line took the
  // properties of a vertex label of the same name
  const schemaLabels = new Map<string, GesLabel>()
  for (const l of schema) if (!schemaLabels.has(l.name)) schemaLabels.set(l.name, l)
  const graphLabels = new Map(input.graphLabels.map((l) => [`${l.kind}:${l.name}`, l]))
  const labelOf = (kind: LabelKind, name: string): GesLabel | undefined => schemaLabels.get(name) ?? graphLabels.get(`${kind}:${name}`)
  const splitter = new CsvFieldSplitter(input.delimiter)
  const out = new PartWriter(input.workDir)
  /** (file index, label[, src, dst]) → split file name: `<file index>.<v|e>.<counter>.csv`, never the label itself. */
  const parts = new Map<string, string>()
  /** The file and line being split, for the split-file cap's message. */
  const reading = { path: '', lineNo: 0 }
  /** The split file of a line, made when it is the first of its kind; null (tooLarge set) when it would be one past MAX_SPLIT_FILES. */
  const partFor = (at: number, p: Omit<GesSplitPart, 'part' | 'file'>): string | null => {
    const key = JSON.stringify([at, p.label, p.src, p.dst])
    let name = parts.get(key)
    if (name === undefined) {
      if (result.parts.length >= MAX_SPLIT_FILES) {
        const n = formatCount
        const what = p.kind === 'vertex' ? `vertex label ${p.label}` : `edge label ${p.label} from ${p.src} to ${p.dst}`
        const message = `${reading.path} line ${n(reading.lineNo)}: the line needs split file ${n(result.parts.length + 1)} (${what}); an import-graph splits its files into at most ${n(MAX_SPLIT_FILES)} (one per file and label, for edges per label and endpoint labels): import the files in several imports, or with fewer labels each`
        result.tooLarge = { message, cause: { kind: 'too_large', code: 'too_many_split_files' } }
        return null
      }
      name = `${at}.${p.kind === 'vertex' ? 'v' : 'e'}.${result.parts.length}.csv`
      parts.set(key, name)
      result.parts.push({ part: name, file: workFile(input.workDir, name), ...p })
    }
    return name
  }
  // vertex id → its label, only when edges need it: a vertex-only import keeps no id
  const vertexLabelOf = input.edgeFiles.length > 0 ? new Map<string, string>() : null
  const maxIds = input.maxVertexIds ?? MAX_VERTEX_IDS
  let sinceCheck = 0
  // the labels the lines need that the graph lacks (`kind:name`): once the graph would hold more
  // than MAX_LABELS, no more is written and the rest of the lines are only read to count them
  const graphHas = new Set(input.graphLabels.map((l) => `${l.kind}:${l.name}`))
  const lacking = new Set<string>()
  const overCap = () => graphHas.size + lacking.size > MAX_LABELS
  /** Whether a line of label `name` may be split: false once the labels needed are past the cap. */
  const room = (kind: LabelKind, name: string): boolean => {
    const key = `${kind}:${name}`
    if (!graphHas.has(key)) lacking.add(key)
    return !overCap()
  }

  /** Reads one file's lines into `take` (its reason for a failed line, or null); false when the split must end. */
  const eachLine = (path: string, file: string, list: GesSplitSource[], take: (fields: (string | null)[]) => string | null): boolean => {
    const tally: GesSplitSource = { path, total_lines: 0, failed_lines: 0, cause: null }
    list.push(tally)
    tell(path)
    for (const line of boundedLines(file, MAX_LINE_BYTES, read)) {
      tell(path) // a clock read a line: small beside splitting the line's fields
      if (++sinceCheck >= STOP_EVERY) {
        sinceCheck = 0
        if (stopped()) return !(result.stopped = true)
      }
      const { lineNo } = line
      reading.path = path
      reading.lineNo = lineNo
      if ('tooLong' in line) {
        tally.total_lines++
        tally.failed_lines++
        tally.cause ??= `line ${lineNo}: longer than ${MAX_LINE_BYTES / 2 ** 20} MiB`
        continue
      }
      if ('invalid' in line) {
        tally.total_lines++
        tally.failed_lines++
        tally.cause ??= `line ${lineNo}: ${line.invalid}`
        continue
      }
      const text = line.text
      if (text.trim() === '') continue
      tally.total_lines++
      const fields = splitter.splitAll([text])[0]
      const why = typeof fields === 'string' ? fields : take(fields)
      if (result.tooLarge) return false
      if (why !== null) {
        tally.failed_lines++
        tally.cause ??= `line ${lineNo}: ${why}`
      }
    }
    return true
  }

  let at = 0
  const run = (): void => {
    for (const { path, file } of input.vertexFiles) {
      const source = result.vertices.length
      const ok = eachLine(path, file, result.vertices, (f) => {
        if (f.length < 2 || !f[0] || !f[1]) return 'a vertex line is id,label[,properties…]'
        const label = f[1]
        const s = labelOf('vertex', label)
        if (!s) return `label ${label} is in neither the schema file nor the graph`
        if (f.length - 2 > s.properties.length) return `label ${label} has ${s.properties.length} properties; the line has ${f.length - 2}`
        const fits = room('vertex', label)
        if (vertexLabelOf && !vertexLabelOf.has(f[0])) {
          if (vertexLabelOf.size >= maxIds) {
            const message = `the vertex files hold more than ${formatCount(maxIds)} vertex ids, the most an import-graph with edge files reads here; split the data into imports of fewer vertices, each with the edges between them`
            result.tooLarge = { message, cause: { kind: 'too_large', code: 'too_many_vertices' } }
            return null
          }
          vertexLabelOf.set(f[0], label)
        }
        if (!fits) return null
        const name = partFor(at, { kind: 'vertex', source, label })
        if (name !== null) out.write(name, [f[0], ...s.properties.map((_, i) => f[i + 2] ?? null)])
        return null
      })
      at++
      if (!ok) return
    }
    for (const { path, file } of input.edgeFiles) {
      const source = result.edges.length
      const ok = eachLine(path, file, result.edges, (f) => {
        if (f.length < 3 || !f[0] || !f[1] || !f[2]) return 'an edge line is source,target,label[,properties…]'
        const label = f[2]
        const s = labelOf('edge', label)
        if (!s) return `label ${label} is in neither the schema file nor the graph`
        if (f.length - 3 > s.properties.length) return `label ${label} has ${s.properties.length} properties; the line has ${f.length - 3}`
        const src = vertexLabelOf!.get(f[0])
        const dst = vertexLabelOf!.get(f[1])
        if (!src || !dst) return `vertex ${!src ? f[0] : f[1]} is in none of this import's vertex files`
        if (!room('edge', label)) return null
        const name = partFor(at, { kind: 'edge', source, label, src, dst })
        if (name !== null) out.write(name, [f[0], f[1], ...s.properties.map((_, i) => f[i + 3] ?? null)])
        return null
      })
      at++
      if (!ok) return
    }
  }
  run()
  result.bytes.read = read.bytes
  if (overCap()) {
    const n = formatCount
    const message = `the lines use ${n(lacking.size)} labels the graph lacks; with the graph's ${n(graphHas.size)} that is ${n(graphHas.size + lacking.size)}, more than ${n(MAX_LABELS)}, the most labels a graph holds (a GES label that vertex and edge lines both use counts twice: a vertex label and an edge label)`
    result.tooLarge = { message, cause: { kind: 'too_large', code: 'too_many_labels' } }
  }
  if (result.stopped || result.tooLarge) return result // the job fails: what is still buffered is not written
  out.flushAll()
  result.labels = (['vertex', 'edge'] as const).flatMap((kind) => [...new Set(result.parts.filter((p) => p.kind === kind).map((p) => p.label))].map((name) => ({ ...labelOf(kind, name)!, kind })))
  return result
}

/**
 * Removes a GES import's work folder `<…>/.ges-import/<job>` and all in it (split files), without
 * following symbolic links; nothing when it is gone. Synchronous: call it in a worker thread
 * (GraphHost.removeGesWorkDir). Throws for a path that is not such a folder (a bug), or what
 * removing throws.
 */
export function removeWorkDir(workDir: string): void {
  const path = resolve(workDir)
  if (path !== workDir.replace(/[/\\]+$/, '') || basename(dirname(path)) !== WORK_ROOT || !/^[\w-]+$/.test(basename(path))) {
    throw new Error(`${JSON.stringify(workDir)} is not a GES work folder`)
  }
  rmSync(path, { recursive: true, force: true, maxRetries: 3 })
}
