// The Imports page's model of a mapping, and its conversion to and from TuGraph's import config
// (reference/tugraph.md §2: `{"schema": [...], "files": [...]}`, which lgraph_import also reads).
// Pure functions: the store (stores/imports.ts) holds the drafts, this turns them into requests.
import { IMPORT_ENCODINGS, type EdgeLabelDef, type FileMapping, type ImportEncoding, type LabelDef, type LabelKind, type PropertyDef, type PropertyType, type VertexLabelDef } from '../../../../shared/graph'
import { MAX_IMPORT_FILES, MAX_IMPORT_HEADER_LINES, type FilePreview, type ImportFormat, type UploadedFileView } from '../../../../shared/graph-api'
import { counted, formatCount } from '../../../../shared/number-format'
import { escapeHiddenChars } from '../../../../shared/hidden-chars'
import { parseUploadName, quoteName } from '../../../../shared/upload-names'

export const COLUMN_ROLES = ['property', 'SKIP', 'SRC_ID', 'DST_ID'] as const
export type ColumnRole = (typeof COLUMN_ROLES)[number]

/** What one column of a file becomes: a property (of the label, or of a new label: then name, type, optional count), skipped, or an endpoint. */
export interface ColumnDraft {
  role: ColumnRole
  name: string
  type: PropertyType
  optional: boolean
}

/**
 * A file or folder name as the page's messages put it in a sentence: in double quotes as the server's
 * messages do (quoteName: a `"` or a bidi control escaped, so the name can neither close its quotes
 * nor reorder the sentence after it), and each other hidden character (zero-width, look-alike spaces)
 * as ⟨U+XXXX⟩, as visibleText writes it. `weird"x` + U+202E reads `"weird\"x\u202e"`.
 */
export const nameInText = (name: string): string => escapeHiddenChars(quoteName(name))

/** A file's upload: `empty` is an uploaded folder with no file directly in it (an import refuses it so). */
export type UploadState = 'uploading' | 'uploaded' | 'failed' | 'missing' | 'empty'

/** One file of the import being built. */
export interface FileDraft {
  /** The file's path in the upload folder (also its key on the page). */
  path: string
  bytes: number
  upload: { state: UploadState; sent: number; error?: string }
  format: ImportFormat
  /** Lines before the data (TuGraph's `header`). */
  header: number
  /**
   * What the Header lines box holds while it is not a valid `header` (headerLinesProblem), and why:
   * `header` keeps the last good number, and the import waits (Check, Start) until the box is fixed.
   */
  headerInput?: { text: string; problem: string }
  /** The file's text encoding (the preview answers its byte-order mark's when it has one, or the one it guessed). */
  encoding: ImportEncoding
  /**
   * The encoding was chosen (on the page or by a loaded config that did not mark it guessed): a
   * preview never guesses over it, and the import's report says "(chosen)", else "(guessed)".
   */
  encodingByHand?: boolean
  kind: LabelKind
  label: string
  /** The label does not exist yet: it is made from the columns (properties, types, primary, endpoints). */
  newLabel: boolean
  /** A new vertex label's primary property. */
  primary: string
  /** An edge file's endpoint vertex labels (TuGraph's SRC_ID / DST_ID: label names, not columns). */
  src: string
  dst: string
  /** `src` and `dst` are the page's guess, not the user's choice: a vertex file of the same import mapped later takes them over. */
  endpointsGuessed?: boolean
  columns: ColumnDraft[]
  preview: FilePreview | null
  previewError: string | null
  /**
   * Set when `path` is a folder of uploads: the mapping reads every file directly in it, in name order
   * (the server's resolveImportFiles, at most 1,000); `files` counts them, and the preview is of `first`.
   */
  folder?: { files: number; first: string }
}

/** A folder holding uploaded files directly (`a/b.csv` is in `a`): a mapping may name it (UploadFolder.path). */
export interface UploadFolder {
  /** `/`-separated, relative to the upload folder. */
  path: string
  /** Files directly in it (not in its sub-folders). */
  files: number
  /** Their bytes in all. */
  bytes: number
  /** Its first file by name (code-unit order, as the server sorts): the one its preview reads. */
  first: string
}

/** The folders of `uploads` (UploadedFileView paths) that hold files directly, by path. */
export function uploadFolders(uploads: readonly { path: string; bytes: number }[]): UploadFolder[] {
  const byPath = new Map<string, UploadFolder>()
  for (const u of uploads) {
    const cut = u.path.lastIndexOf('/')
    if (cut <= 0) continue
    const path = u.path.slice(0, cut)
    const f = byPath.get(path)
    if (!f) byPath.set(path, { path, files: 1, bytes: u.bytes, first: u.path })
    else {
      f.files++
      f.bytes += u.bytes
      if (u.path < f.first) f.first = u.path
    }
  }
  return [...byPath.values()].sort((a, b) => a.path.localeCompare(b.path))
}

/** A TuGraph import config. */
export interface ImportConfig {
  schema: LabelDef[]
  files: FileMapping[]
}

const SRC_HINT = /^(src|source|from|start|head)([_ ]?id)?$/i
const DST_HINT = /^(dst|dest|destination|target|to|end|tail)([_ ]?id)?$/i

/** A file (or, with `folder`, a folder of uploads) just added to the import: not mapped yet (no columns); JSON lines by its (first file's) extension. */
export function newFileDraft(path: string, bytes: number, state: UploadState, folder?: FileDraft['folder']): FileDraft {
  return {
    path,
    bytes,
    ...(folder ? { folder } : {}),
    upload: { state, sent: state === 'uploaded' ? bytes : 0 },
    format: /\.(jsonl|ndjson|json)$/i.test(folder?.first ?? path) ? 'JSON' : 'CSV',
    header: 0,
    encoding: 'utf-8',
    kind: 'vertex',
    label: '',
    newLabel: true,
    primary: '',
    src: '',
    dst: '',
    columns: [],
    preview: null,
    previewError: null,
  }
}

/**
 * A draft put on a label: its columns mapped onto the label's definition `def` (an existing label,
 * one of a loaded config or one another file makes), or made into a new label's properties when
 * `def` is undefined; the primary key and the endpoints taken from the definition, else guessed.
 */
export function onLabel(d: FileDraft, kind: LabelKind, label: string, def: LabelDef | undefined, vertexLabels: string[]): Partial<FileDraft> {
  const columns = d.preview ? (def ? columnsForLabel(d.preview, def) : columnsForNewLabel(d.preview, kind)) : d.columns
  const firstProperty = columns.find((c) => c.role === 'property')?.name ?? ''
  return {
    kind,
    label,
    newLabel: def === undefined,
    columns,
    primary: def?.type === 'VERTEX' ? def.primary : firstProperty,
    src: def?.type === 'EDGE' ? (def.constraints[0]?.[0] ?? d.src) : d.src || (vertexLabels[0] ?? ''),
    dst: def?.type === 'EDGE' ? (def.constraints[0]?.[1] ?? d.dst) : d.dst || (vertexLabels[0] ?? ''),
  }
}

/**
 * The vertex labels an edge file's endpoints may name, those this import's own vertex files load
 * (`others`, new labels or existing ones) first, then the graph's other vertex labels (`known`):
 * the first is what From and To default to. People drop a vertex file and the edges between its
 * vertices together; linking them to an older label of the graph instead imports edges between the
 * wrong vertices, silently.
 */
export function endpointLabels(others: readonly FileDraft[], known: readonly LabelDef[]): string[] {
  const own = others.filter((f) => f.kind === 'vertex' && f.label !== '').map((f) => f.label)
  return [...new Set([...own, ...known.filter((l) => l.type === 'VERTEX').map((l) => l.label)])]
}

/** The label a new file most likely goes to: a known one named after the file (persons.csv → person), else a new one. */
export function guessLabel(d: FileDraft, known: LabelDef[]): { kind: LabelKind; label: string; existing: LabelDef | undefined } {
  const base = labelFromFileName(d.path)
  const existing = [base, base.replace(/s$/, ''), `${base}s`].map((n) => known.find((l) => l.label === n)).find((l) => l !== undefined)
  if (existing) return { kind: existing.type === 'VERTEX' ? 'vertex' : 'edge', label: existing.label, existing }
  return { kind: d.preview && looksLikeEdges(d.preview) ? 'edge' : 'vertex', label: base, existing: undefined }
}

/** A label name from a file name: its base name without extension, made a valid name. */
export function labelFromFileName(path: string): string {
  const base = path.split('/').pop()!.replace(/\.[^.]*$/, '')
  const name = base.replace(/[^\p{L}\p{N}_]+/gu, '_').replace(/^_+|_+$/g, '')
  if (!name) return 'label'
  return /^[0-9]/.test(name) ? `l_${name}` : name
}

/**
 * Each column's name as the file's header wrote it, else the preview's property name. The preview
 * renames headers that cannot be property names (TuGraph's own `SRC_ID`, `DST_ID` become
 * `column_1`, …), and those are the very names that say where an edge's endpoints are.
 */
const headerNames = (preview: FilePreview): string[] => preview.columns.map((c, i) => preview.headerFields?.[i]?.trim() || c.name)

/** Whether a preview looks like an edge file (columns named like endpoints, TuGraph's SRC_ID/DST_ID too). */
export function looksLikeEdges(preview: FilePreview): boolean {
  const names = headerNames(preview)
  return names.some((n) => SRC_HINT.test(n)) && names.some((n) => DST_HINT.test(n))
}

/** Columns of a new label, from the preview: every column a property with its suggested type; an edge file's endpoints found by name or position. */
export function columnsForNewLabel(preview: FilePreview, kind: LabelKind): ColumnDraft[] {
  const columns: ColumnDraft[] = preview.columns.map((c) => ({ role: 'property', name: c.name, type: c.type, optional: c.hasEmpty }))
  if (kind === 'edge') assignEndpoints(columns, headerNames(preview))
  return columns
}

function assignEndpoints(columns: ColumnDraft[], names: string[]): void {
  let src = names.findIndex((n) => SRC_HINT.test(n))
  let dst = names.findIndex((n, i) => i !== src && DST_HINT.test(n))
  // a column that names no property (an existing label's unmatched one) before one that does
  const open = (c: ColumnDraft, i: number) => c.role === 'property' && i !== src && i !== dst
  const free = () => {
    const unnamed = columns.findIndex((c, i) => open(c, i) && !c.name)
    return unnamed >= 0 ? unnamed : columns.findIndex(open)
  }
  if (src < 0) src = free()
  if (src >= 0) columns[src].role = 'SRC_ID'
  if (dst < 0) dst = free()
  if (dst >= 0) columns[dst].role = 'DST_ID'
}

/**
 * Columns mapped onto an existing label: by name where a column's name is a property's; with no
 * name in common (a file without a header), by position, as TuGraph's `columns` list does
 * (edges: SRC_ID, DST_ID, then the properties in order). Anything else is skipped.
 */
export function columnsForLabel(preview: FilePreview, def: LabelDef): ColumnDraft[] {
  const props = def.properties
  const names = preview.columns.map((c) => c.name)
  const prop = (p: PropertyDef): ColumnDraft => ({ role: 'property', name: p.name, type: p.type, optional: !!p.optional })
  const skip = (): ColumnDraft => ({ role: 'SKIP', name: '', type: 'STRING', optional: true })
  const byName = names.some((n) => props.some((p) => p.name === n))
  if (byName) {
    const columns = names.map((n) => {
      const p = props.find((q) => q.name === n)
      return p ? prop(p) : { ...skip(), role: 'property' as ColumnRole }
    })
    if (def.type === 'EDGE') assignEndpoints(columns, headerNames(preview))
    return columns.map((c) => (c.role === 'property' && !c.name ? skip() : c))
  }
  const order: ColumnDraft[] = [
    ...(def.type === 'EDGE' ? (['SRC_ID', 'DST_ID'] as const).map((role): ColumnDraft => ({ ...skip(), role })) : []),
    ...props.map(prop),
  ]
  return names.map((_, i) => order[i] ?? skip())
}

/** The definition of a draft's new label, made from its columns. */
export function labelFromColumns(d: FileDraft): LabelDef {
  const properties: PropertyDef[] = d.columns
    .filter((c) => c.role === 'property' && c.name)
    .map((c) => ({ name: c.name, type: c.type, ...(c.optional && !(d.kind === 'vertex' && c.name === d.primary) ? { optional: true } : {}) }))
  if (d.kind === 'vertex') return { label: d.label, type: 'VERTEX', primary: d.primary, properties } satisfies VertexLabelDef
  return { label: d.label, type: 'EDGE', properties, constraints: d.src && d.dst ? [[d.src, d.dst]] : [] } satisfies EdgeLabelDef
}

/** A draft as an entry of TuGraph's `files` array. */
export function fileMapping(d: FileDraft): FileMapping {
  const m: FileMapping = {
    path: d.path,
    format: d.format,
    label: d.label,
    columns: d.columns.map((c) => (c.role === 'property' ? c.name || 'SKIP' : c.role)),
    header: d.header,
  }
  if (d.encoding !== 'utf-8') {
    m.encoding = d.encoding
    // not chosen: the preview guessed it (or read a byte-order mark, which the report names itself)
    if (!d.encodingByHand) m.encodingGuessed = true
  }
  if (d.kind === 'edge') {
    m.SRC_ID = d.src
    m.DST_ID = d.dst
  }
  return m
}

const keyOf = (def: LabelDef) => `${def.type === 'VERTEX' ? 'vertex' : 'edge'}:${def.label}`

/**
 * The labels an import would create: those of a loaded config not in the graph (`pending`), then
 * those the drafts make from their columns (the first draft of a label defines it).
 */
export function labelsToCreate(drafts: FileDraft[], pending: LabelDef[], existing: LabelDef[]): LabelDef[] {
  const have = new Set(existing.map(keyOf))
  const out: LabelDef[] = []
  const add = (def: LabelDef) => {
    if (have.has(keyOf(def))) return
    have.add(keyOf(def))
    out.push(def)
  }
  pending.forEach(add)
  // vertex labels first: an edge label's constraints name them
  for (const kind of ['vertex', 'edge'] as const) for (const d of drafts) if (d.newLabel && d.kind === kind) add(labelFromColumns(d))
  return out
}

/**
 * The config to save: every label the files use (with the vertex labels their edges name) and the
 * files, so lgraph_import or another JobDesk can run it on an empty graph.
 */
export function buildConfig(drafts: FileDraft[], pending: LabelDef[], existing: LabelDef[]): ImportConfig {
  const all = [...existing, ...labelsToCreate(drafts, pending, existing)]
  const find = (kind: LabelKind, name: string) => all.find((l) => keyOf(l) === `${kind}:${name}`)
  const used = new Map<string, LabelDef>()
  const use = (def: LabelDef | undefined) => {
    if (def && !used.has(keyOf(def))) used.set(keyOf(def), def)
  }
  for (const d of drafts) {
    const def = find(d.kind, d.label)
    if (d.kind === 'edge') {
      use(find('vertex', d.src))
      use(find('vertex', d.dst))
      if (def?.type === 'EDGE') def.constraints.flat().forEach((v) => use(find('vertex', v)))
    }
    use(def)
  }
  const schema = [...used.values()].sort((a, b) => Number(a.type === 'EDGE') - Number(b.type === 'EDGE'))
  return { schema, files: drafts.map(fileMapping) }
}

/**
 * Reads a TuGraph import config (an object with `files`, and usually `schema`). Throws an Error
 * naming what is wrong; the server checks the rest with TuGraph's texts.
 */
export function parseConfig(text: string): ImportConfig {
  let conf: unknown
  try {
    conf = JSON.parse(text)
  } catch (e) {
    throw new Error(`not JSON: ${(e as Error).message}`)
  }
  if (typeof conf !== 'object' || conf === null || Array.isArray(conf)) throw new Error('an import config is a JSON object with "schema" and "files"')
  const { schema = [], files } = conf as { schema?: unknown; files?: unknown }
  if (!Array.isArray(files)) throw new Error('"files" is missing or not an array')
  if (!Array.isArray(schema)) throw new Error('"schema" is not an array')
  for (const [i, f] of files.entries()) {
    const m = f as Partial<FileMapping>
    if (typeof m !== 'object' || m === null || typeof m.path !== 'string' || typeof m.label !== 'string' || !Array.isArray(m.columns)) {
      throw new Error(`files[${i}] needs "path", "label" and "columns"`)
    }
  }
  return { schema: schema as LabelDef[], files: files as FileMapping[] }
}

/**
 * Where JSON.parse stopped in `text`, as `line L, column C` (1-based, columns in UTF-16 units as the
 * editor counts them): from the `at position N` of V8's message, or the end of the text for
 * "Unexpected end of JSON input". V8 in Node says only the position, Chromium also `(line 1 column 50)`:
 * one wording for both.
 */
function jsonErrorWhere(text: string, e: unknown): { message: string; where: string } {
  const raw = e instanceof Error ? e.message : String(e)
  const at = /at position (\d+)/.exec(raw)
  const pos = at ? Number(at[1]) : /end of JSON input/i.test(raw) ? text.length : null
  // V8's own "(line 1 column 2)" and its quote of the text (`, "{…" is not valid JSON`) left out
  const message = raw.replace(/\s*\(line \d+ column \d+\)/, '').replace(/, (?:\.\.\.)?"[\s\S]*"(?:\.\.\.)? is not valid JSON$/, '').replace(/ in JSON at position \d+/, '')
  if (pos === null) return { message, where: '' }
  const before = text.slice(0, pos)
  const line = before.split('\n').length
  return { message, where: `line ${line}, column ${pos - before.lastIndexOf('\n')}` }
}

/**
 * Why a .json dropped or picked with Load config… cannot be read as a config (jsonFileKind): `"<name>" is not valid JSON: <JSON.parse's
 * words> (line L, column C)` (the name as nameInText quotes it), or null for text that parses as JSON (a config, or JSON data that
 * addFiles uploads) or as JSON lines (every non-empty line a JSON value: a data file picked beside its
 * config). A broken config was taken for data and uploaded, its parse error a failed data line (tfui M1).
 */
export function configJsonProblem(name: string, text: string): string | null {
  try {
    JSON.parse(text)
    return null
  } catch (e) {
    const lines = text.split('\n').filter((l) => l.trim() !== '')
    const jsonLines =
      lines.length > 1 &&
      lines.every((l) => {
        try {
          JSON.parse(l)
          return true
        } catch {
          return false
        }
      })
    if (jsonLines) return null
    const { message, where } = jsonErrorWhere(text, e)
    return `${nameInText(name)} is not valid JSON: ${message}${where ? ` (${where})` : ''}`
  }
}

/**
 * What a dropped or picked `.json` file is, by its text: an import config (`config`, parseConfig reads
 * it), data (`data`: a JSON array or value, or JSON lines), or a config that cannot be read (`broken`,
 * with the sentence that says why: configJsonProblem's `"<name>" is not valid JSON: … (line L, column C)`,
 * or `"<name>" is not an import config: <parseConfig's reason>` for a JSON object that is none, since a
 * data line is an array). Drop zone and Load config… judge a file by this one rule.
 */
export function jsonFileKind(name: string, text: string): { kind: 'config' | 'data' } | { kind: 'broken'; problem: string } {
  const notJson = configJsonProblem(name, text)
  if (notJson) return { kind: 'broken', problem: notJson }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return { kind: 'data' } // JSON lines (configJsonProblem took them)
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { kind: 'data' }
  try {
    parseConfig(text)
    return { kind: 'config' }
  } catch (e) {
    return { kind: 'broken', problem: `${nameInText(name)} is not an import config: ${(e as Error).message}` }
  }
}

/**
 * Why `path` (a config's file) can never name a file in the user's upload folder, in the server's own
 * sentence (shared/upload-names.ts parseUploadName: `path "../x" leaves your upload folder ("..")`,
 * an absolute path, a backslash, …), or null for a name an upload may have.
 */
export function uploadPathProblem(path: string): string | null {
  const parsed = parseUploadName(path)
  return 'problem' in parsed ? parsed.problem.message : null
}

/** Where a config's file is (locateFile): its path and size, its upload's state, and for a folder of uploads its files. */
export interface LocatedFile {
  path: string
  bytes: number
  state: UploadState
  folder?: FileDraft['folder']
}

/**
 * Where a config's file is: among the files dropped with it (being uploaded) or those uploaded
 * before, by its path; else a folder of uploads by its path (a saved folder mapping: it read "not
 * uploaded" once loaded again, last check); else a file by its base name (a config names files as
 * they were on the machine it was made on); else an uploaded folder with no files directly in it, by its
 * path (`emptyFolders`, files.list's folders with 0 files: `empty`, not taken for missing); else missing,
 * under `given` itself when no upload can have it (uploadPathProblem), so it is refused as the user wrote it.
 */
export function locateFile(given: string, dropped: ReadonlyMap<string, number>, uploads: UploadedFileView[], emptyFolders: readonly string[] = []): LocatedFile {
  // `./par/sub`, `par//sub/` name what the import reads as `par/sub` (an absolute path stays as given: refused)
  const path = given.startsWith('/') ? given : given.split('/').filter((s) => s !== '' && s !== '.').join('/')
  const base = path.split('/').pop()!
  const name = [...dropped.keys()].find((p) => p === path) ?? [...dropped.keys()].find((p) => p === base)
  if (name !== undefined) return { path: name, bytes: dropped.get(name)!, state: 'uploading' }
  const exact = uploads.find((x) => x.path === path)
  if (exact) return { path: exact.path, bytes: exact.bytes, state: 'uploaded' }
  const dir = uploadFolders(uploads).find((f) => f.path === path.replace(/\/+$/, ''))
  if (dir) return { path: dir.path, bytes: dir.bytes, state: 'uploaded', folder: { files: dir.files, first: dir.first } }
  const u = uploads.find((x) => x.path.split('/').pop() === base)
  if (u) return { path: u.path, bytes: u.bytes, state: 'uploaded' }
  const empty = emptyFolders.find((f) => f === path.replace(/\/+$/, ''))
  if (empty !== undefined) return { path: empty, bytes: 0, state: 'empty' }
  // a path no upload can have stays as written: tidied, `file:///etc/x` was refused as "file:/etc/x"
  return { path: uploadPathProblem(given) ? given : path, bytes: 0, state: 'missing' }
}

/** A draft of a config's file entry (`file`: where locateFile found it), its columns typed from the label's definition (when known). */
export function draftFromMapping(m: FileMapping, def: LabelDef | undefined, file: LocatedFile): FileDraft {
  const prop = (name: string) => def?.properties.find((p) => p.name === name)
  return {
    path: file.path,
    bytes: file.bytes,
    ...(file.folder ? { folder: file.folder } : {}),
    upload: { state: file.state, sent: file.state === 'uploaded' ? file.bytes : 0 },
    format: m.format === 'JSON' ? 'JSON' : 'CSV',
    header: typeof m.header === 'number' ? m.header : 0,
    encoding: (IMPORT_ENCODINGS as readonly unknown[]).includes(m.encoding) ? (m.encoding as ImportEncoding) : 'utf-8',
    encodingByHand: m.encoding !== undefined && m.encodingGuessed !== true, // a saved guess stays a guess
    kind: m.SRC_ID !== undefined || m.DST_ID !== undefined ? 'edge' : 'vertex',
    label: m.label,
    newLabel: false,
    primary: def?.type === 'VERTEX' ? def.primary : '',
    src: m.SRC_ID ?? '',
    dst: m.DST_ID ?? '',
    columns: m.columns.map((c) =>
      c === 'SKIP' || c === 'SRC_ID' || c === 'DST_ID'
        ? { role: c, name: '', type: 'STRING', optional: true }
        : { role: 'property', name: c, type: prop(c)?.type ?? 'STRING', optional: !!prop(c)?.optional },
    ),
    preview: null,
    previewError: null,
  }
}

/**
 * Why `text`, typed in a file's Header lines box, cannot be its header, or null when it can: a whole
 * number from 0 to MAX_IMPORT_HEADER_LINES (the API's limit). -3 was taken as 0, and 99999999999 as
 * 1000 (so the whole sample was header, and Check spoke of a missing primary key), without a word.
 */
export function headerLinesProblem(text: string): string | null {
  const t = text.trim()
  return /^\d+$/.test(t) && Number(t) <= MAX_IMPORT_HEADER_LINES ? null : `Header lines must be a whole number from 0 to ${MAX_IMPORT_HEADER_LINES}.`
}

/** The Files step's checkbox of the API's `continueOnError`: the one wording the page uses for it. */
export const SKIP_LINES_LABEL = 'Skip lines that cannot be imported'

/**
 * A server message (a Check problem) in the page's words: the API names the option by its field,
 * `continueOnError`, for API clients; the page names it as its checkbox reads (SKIP_LINES_LABEL).
 */
export const inPageWords = (message: string): string => message.replace(/\bcontinueOnError\b/g, `"${SKIP_LINES_LABEL}"`)

/**
 * Why the import's files and folders cannot be one import, in the page's words, or null when they
 * can: they stand for more than MAX_IMPORT_FILES files, a folder counting each file directly in it
 * (its count from `uploads` when listed, else as it was added). The API refuses the same in its own
 * words (field names, `files[i].path`) for API clients; the page says it before asking.
 */
export function tooManyFilesText(drafts: readonly FileDraft[], uploads: readonly { path: string; bytes: number }[]): string | null {
  const folders = new Map(uploadFolders(uploads).map((f) => [f.path, f.files]))
  const counts = drafts.map((d) => ({ d, files: d.folder ? (folders.get(d.path) ?? d.folder.files) : 1 }))
  const total = counts.reduce((a, c) => a + c.files, 0)
  if (total <= MAX_IMPORT_FILES) return null
  const limit = `one import takes at most ${counted(MAX_IMPORT_FILES, 'file')}`
  const big = counts.filter((c) => c.d.folder).sort((a, b) => b.files - a.files)
  if (big.length === 1 && big[0].files > MAX_IMPORT_FILES) {
    return `The folder ${nameInText(`${big[0].d.path}/`)} holds ${counted(big[0].files, 'file')}, and ${limit}. Move some of its files into another folder and import each folder on its own.`
  }
  const named = big.slice(0, 3).map((c) => `${nameInText(`${c.d.path}/`)} ${formatCount(c.files)}`)
  return `This import's files and folders hold ${counted(total, 'file')} in all${named.length ? ` (${named.join(', ')}${big.length > 3 ? ', …' : ''})` : ''}, and ${limit}. Remove some from this import and import them in another one.`
}
