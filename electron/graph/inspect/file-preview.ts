// The first rows of an uploaded file as an import would read them (the Imports page's preview):
// the file's head cut at a line end by the import's PackageReader, split into lines by splitLines
// (BOM, CRLF, invalid UTF-8) and into fields by the import's CsvFieldSplitter or JSON.parse, with a
// type suggested per column. Runs in a graph worker; reads at most PREVIEW_BYTES plus one line, a line
// longer than that measured (up to what an import reads as one line) and stepped over (head-lines.ts);
// a line longer than an import takes (a 40 MB single-line file) is not read on: the preview says so.
import { closeSync, fstatSync } from 'node:fs'
import type { FilePreview, ImportFormat, PreviewColumn, PreviewRow } from '../../../shared/graph-api'
import { checkJsonShape } from '../../../shared/json-limits'
import { graphError } from '../errors'
import { CsvFieldSplitter } from '../import/csv-fields'
import { MAX_COLUMNS } from '../import/mapping'
import { splitLines } from '../import/lines'
import { openDataFile } from '../import/packages'
import { encodingHint, guessFileEncoding, type ImportEncoding } from '../import/text-encoding'
import { longLineNote, readHeadLines } from './head-lines'
import { MAX_FIELDS } from '../store/names'
import { textToStored } from '../store/values'
import { columnType, propertyName, suggestType } from './suggest-type'

/** How much of the file's head is read (then on to the end of the line). */
export const PREVIEW_BYTES = 256 * 1024
/** Data lines the type suggestions are drawn from. */
const SAMPLE_LINES = 1000
/**
 * Columns a preview names, types and shows: as many as a mapping takes (MAX_COLUMNS: a label's 1,024
 * properties, SRC_ID and DST_ID). A wider line's further fields are left out and a note names the
 * line; 400,000 columns made a 34.6 MB answer that held the main thread seconds.
 */
export const PREVIEW_COLUMNS = MAX_COLUMNS
/** Characters of one cell a preview shows; a longer cell is cut and ends in "…". */
export const PREVIEW_CELL_CHARS = 200
/** Characters of cells the preview's rows show in all; the rows after the one that reaches it are left out. */
export const PREVIEW_ROW_CHARS = 256 * 1024
/** Delimiters tried when none is given, most likely first. */
export const DELIMITER_CANDIDATES = [',', '\t', ';', '|'] as const

export interface PreviewInput {
  path: string
  format: ImportFormat
  delimiter?: string
  /** Omitted: 1 when the first line reads as column names over typed data (see detectHeader), else 0. */
  header?: number
  rows: number
  /**
   * The file's encoding when it has no byte-order mark. Omitted (none chosen): utf-8, unless the head
   * is not UTF-8 and looks like UTF-16 or GBK/GB18030 (text-encoding.ts guessEncoding): then that,
   * and the preview's `encodingGuessed` and a note say why.
   */
  encoding?: ImportEncoding
}

/** Reads the head of `file` (resolved in the upload folder). Throws file_not_found, file_unreadable. */
export function previewFile(file: string, input: PreviewInput): FilePreview {
  let fd: number
  try {
    fd = openDataFile(file, { path: input.path, format: input.format, label: '', columns: [] })
  } catch (e) {
    throw graphError('file_not_found', `${input.path} cannot be read: ${(e as Error).message}`, { field: 'path' })
  }
  try {
    const size = fstatSync(fd).size
    const guess = input.encoding === undefined ? guessFileEncoding(fd) : null
    const head = readHeadLines(fd, input.encoding ?? guess?.encoding ?? 'utf-8', PREVIEW_BYTES)
    // a long line that ended the head (too long, or not measured to its end) leaves lines unread after it
    const unreadAfter = head.longLines.at(-1)?.verdict !== undefined && head.longLines.at(-1)!.verdict !== 'fits'
    const preview = previewBytes(head.bytes, size, input, { ...head, ...(guess ? { note: guess.why } : {}), unreadAfter })
    if (guess) preview.encodingGuessed = guess.why
    else if (head.encoding === 'utf-8') {
      // UTF-8 chosen by hand stays, but a file that looks like another encoding says which to choose
      const looks = guessFileEncoding(fd)
      if (looks) preview.notes.unshift(`read as UTF-8, but ${encodingHint(looks)}`)
    }
    for (const l of head.longLines) preview.notes.push(longLineNote(l, 'the preview', PREVIEW_BYTES))
    return preview
  } finally {
    closeSync(fd)
  }
}

/** How the head was read: its encoding, the note when a byte-order mark chose it, lines invalid in it, and bytes of the file read. */
export interface DecodedHead {
  encoding: ImportEncoding
  note?: string
  broken?: Map<number, string>
  read: number
  /** The head stops before a line it could not read (one longer than an import reads): the file goes on after its lines. */
  unreadAfter?: boolean
}

/** The preview of a file's head `bytes` (cut at a line end, UTF-8) out of `size` bytes; `head`: how they were read (default: UTF-8, all of `bytes`). */
export function previewBytes(bytes: Buffer, size: number, input: PreviewInput, read: DecodedHead = { encoding: 'utf-8', read: bytes.length }): FilePreview {
  const { lines, broken, bom } = splitLines(bytes, true)
  for (const [i, why] of read.broken ?? []) broken.set(i, why)
  const notes: string[] = []
  if (read.note) notes.push(read.note)
  if (bom) notes.push('a UTF-8 byte-order mark at the start of the file is ignored')
  const json = input.format === 'JSON'
  const delimiter = input.delimiter ?? (json ? ',' : sniffDelimiter(lines.slice(input.header ?? 0, (input.header ?? 0) + 50)))
  const splitter = new CsvFieldSplitter(delimiter)
  const header = input.header ?? (json ? 0 : detectHeader(lines, splitter, read.unreadAfter))
  if (header > lines.length) notes.push(`the header (${header} lines) is longer than the ${lines.length} lines read`)
  let headerFields: (string | null)[] | null = null
  if (header > 0 && header <= lines.length) {
    const h = lines[header - 1]
    const split = json ? jsonFields(h) : splitter.splitAll([h])[0]
    headerFields = typeof split === 'string' ? [h] : Array.isArray(split) ? split : split.fields
  }

  const sample: { line: number; text: string }[] = []
  for (let i = header; i < lines.length && sample.length < SAMPLE_LINES; i++) if (lines[i].trim() !== '') sample.push({ line: i + 1, text: lines[i] })
  const splits = json ? sample.map((s) => jsonFields(s.text)) : splitter.splitAll(sample.map((s) => s.text)).map((f) => (typeof f === 'string' ? f : { fields: f, values: f }))
  const rows: (PreviewRow & { values?: unknown[] })[] = sample.map((s, k) => {
    const why = broken.get(s.line - 1)
    if (why !== undefined) return { line: s.line, fields: null, error: why }
    const r = splits[k]
    return typeof r === 'string' ? { line: s.line, fields: null, error: r } : { line: s.line, fields: r.fields, values: r.values }
  })

  const good = rows.filter((r) => r.fields !== null)
  const widths = new Set(good.map((r) => r.fields!.length))
  const widest = [{ line: header, width: headerFields?.length ?? 0 }, ...good.map((r) => ({ line: r.line, width: r.fields!.length }))].reduce((a, b) => (b.width > a.width ? b : a))
  const width = Math.min(widest.width, PREVIEW_COLUMNS)
  if (widest.width > PREVIEW_COLUMNS) {
    notes.push(`line ${widest.line} has ${widest.width} fields: the preview shows the first ${PREVIEW_COLUMNS}, as many as a mapping takes`)
  }
  // said here, not first at Check ("number cannot exceed 1024, given [1026]"): MAX_COLUMNS counts an
  // edge's SRC_ID and DST_ID, a vertex label takes MAX_FIELDS properties
  if (width > MAX_FIELDS) {
    notes.push(`${width} columns: a label holds at most ${MAX_FIELDS} properties (an edge file ${MAX_COLUMNS} columns with SRC_ID and DST_ID); SKIP the columns past them, or split the file`)
  }
  if (widths.size > 1) notes.push(`rows have from ${Math.min(...widths)} to ${Math.max(...widths)} fields: lines with another number than the mapping's columns will fail`)
  const short = good.filter((r) => r.fields!.length < width)
  if (short.length > 0) notes.push(shortLinesNote(short.map((r) => ({ line: r.line, fields: r.fields! })), width, delimiter))
  if (rows.length > good.length) notes.push(`${rows.length - good.length} of the first ${rows.length} data lines cannot be read (see the rows marked)`)
  if (size === 0) notes.push('the file is empty')
  else if (sample.length === 0) notes.push('no data lines in the part of the file read')

  const unique = uniqueNames()
  let outlierColumns = 0
  const columns: PreviewColumn[] = Array.from({ length: width }, (_, index) => {
    // a short line's missing fields are not empty ones: TuGraph fails such a line rather than leaving
    // an optional column null, so they must not make the page tick the column optional
    const values = good.map((r) => (index < r.values!.length ? (r.values![index] ?? null) : undefined))
    const { type, outliers } = columnType(values, json)
    const name = unique(propertyName(headerFields?.[index], index))
    if (outliers.length > 0 && ++outlierColumns <= OUTLIER_COLUMNS_NAMED) notes.push(outlierNote(index, name, type, outliers.map((k) => ({ line: good[k].line, text: good[k].fields![index] ?? '' }))))
    return { index, name, type, hasEmpty: values.some((v) => v === null), values: values.filter((v) => v !== null && v !== undefined).length }
  })
  if (outlierColumns > OUTLIER_COLUMNS_NAMED) notes.push(`${outlierColumns - OUTLIER_COLUMNS_NAMED} more columns have lines that do not fit their suggested type`)
  const shown = showCells(width)
  const head = headerFields && shown.cells(headerFields)
  const previewRows: PreviewRow[] = []
  for (const { line, fields, error } of rows.slice(0, input.rows)) {
    if (shown.full()) {
      notes.push(`the rows shown stop before line ${line}: they hold ${PREVIEW_ROW_CHARS} characters`)
      break
    }
    previewRows.push(error === undefined ? { line, fields: fields && shown.cells(fields) } : { line, fields, error })
  }
  if (shown.cut()) notes.push(`cells longer than ${PREVIEW_CELL_CHARS} characters are shown cut, ending in …`)
  return {
    path: input.path,
    bytes: size,
    format: input.format,
    delimiter,
    header,
    headerFields: head,
    columns,
    rows: previewRows,
    sampledLines: sample.length,
    complete: read.read >= size,
    encoding: read.encoding,
    notes,
  }
}

/** Lines an outlier note names by number and value; the rest it counts. */
const OUTLIERS_NAMED = 3
/** Columns given an outlier note each (a wide file could have a thousand); the rest are counted in one. */
const OUTLIER_COLUMNS_NAMED = 10

/**
 * Why some sampled lines will fail with the type suggested for a column most of whose values fit it:
 * `column 1 (id) is suggested INT64, but line 4 ("three") is not: it would fail unless the column is STRING`.
 */
function outlierNote(index: number, name: string, type: string, lines: { line: number; text: string }[]): string {
  const named = lines.slice(0, OUTLIERS_NAMED).map((l) => `${l.line} (${JSON.stringify(l.text.length > 40 ? `${l.text.slice(0, 40)}…` : l.text)})`)
  const more = lines.length - named.length
  const which = lines.length === 1 ? `line ${named[0]} is` : `lines ${named.join(', ')}${more > 0 ? ` and ${more} more` : ''} are`
  return `column ${index + 1} (${name}) is suggested ${type}, but ${which} not: ${lines.length === 1 ? 'it' : 'they'} would fail unless the column is STRING`
}

/**
 * Why lines with fewer fields than the columns will fail: TuGraph's CSV reader takes a missing
 * trailing field for a missing delimiter, not an empty value, even in an optional column
 * (reference/tugraph.md, CSV parsing); an empty cell is the way to leave one empty.
 */
function shortLinesNote(lines: { line: number; fields: (string | null)[] }[], width: number, delimiter: string): string {
  const [first] = lines
  if (lines.length === 1) {
    const why = `line ${first.line} has ${first.fields.length} fields, not ${width}: it would fail ("Missing delimiter after column ${first.fields.length}"); an empty field is written as an empty cell`
    // the line as it would be with its empty cells, when its fields can be joined back unquoted
    if (first.fields.some((f) => f !== null && (f.includes(delimiter) || f.includes('"')))) return why
    const example = [...first.fields.map((f) => f ?? ''), ...Array(width - first.fields.length).fill('')].join(delimiter)
    return `${why}, e.g. ${JSON.stringify(example.length > 80 ? `${example.slice(0, 80)}…` : example)}`
  }
  const named = lines.slice(0, OUTLIERS_NAMED).map((l) => l.line)
  const more = lines.length > named.length ? ` and ${lines.length - named.length} more` : ''
  return `lines ${named.join(', ')}${more} have fewer fields than the ${width} columns: they would fail ("Missing delimiter after column N"); an empty field is written as an empty cell`
}

/**
 * Makes column names unique in the order given: a repeated `a` becomes `a_2`, `a_3`, … skipping names
 * already taken. Each name remembers where its count stopped, so 20,000 equal names take 20,000 steps
 * (trying from 2 each time took 36 s and held the graph worker).
 */
function uniqueNames(): (name: string) => string {
  const taken = new Set<string>()
  const next = new Map<string, number>()
  return (base) => {
    let name = base
    if (taken.has(name)) {
      let n = next.get(base) ?? 2
      while (taken.has(`${base}_${n}`)) n++
      name = `${base}_${n}`
      next.set(base, n + 1)
    }
    taken.add(name)
    return name
  }
}

/**
 * The cells a preview shows, within its bounds: the first `width` fields of a line, each cut to
 * PREVIEW_CELL_CHARS, and PREVIEW_ROW_CHARS characters in all (`full` once they are reached).
 */
function showCells(width: number) {
  let chars = 0
  let cut = false
  return {
    cells(fields: (string | null)[]): (string | null)[] {
      return fields.slice(0, width).map((f) => {
        if (f === null) return f
        chars += Math.min(f.length, PREVIEW_CELL_CHARS)
        if (f.length <= PREVIEW_CELL_CHARS) return f
        cut = true
        return `${f.slice(0, PREVIEW_CELL_CHARS)}…`
      })
    },
    full: () => chars >= PREVIEW_ROW_CHARS,
    cut: () => cut,
  }
}

/** A JSON line's elements: as text to show, and as parsed to type (TuGraph's JSON lines are arrays). */
function jsonFields(text: string): { fields: (string | null)[]; values: unknown[] } | string {
  let parsed: unknown
  try {
    checkJsonShape(text, 'the line') // as the import checks it (import/rows.ts parseJsonLine)
    parsed = JSON.parse(text)
  } catch (e) {
    return `json parsing failed, error msg : ${(e as Error).message}`
  }
  if (!Array.isArray(parsed)) return 'json reading failed, error msg : the line is not a JSON array'
  return { fields: parsed.map((v) => (v === null ? null : typeof v === 'string' ? v : JSON.stringify(v))), values: parsed }
}

/**
 * The number of the first non-blank line when it looks like column names (1 unless blank lines, or a
 * long line the preview stepped over, come first): some column's later values (all, or most: see
 * columnType) parse as a type other than STRING and its first-line value does not (`id,name` over
 * `1,Ann`), as csv.Sniffer.has_header weighs the first row against each column's type. Files whose
 * columns are all text cannot tell names from data: 0, and the page lets the person say.
 * `unreadAfter`: the lines end before one the preview could not read (longer than an import reads);
 * then a lone first line with no data to weigh it against is taken as column names when every field
 * of it is a non-empty non-number (`id,name` before a too long line 2 was mapped as data, last check).
 */
export function detectHeader(lines: readonly string[], splitter: CsvFieldSplitter, unreadAfter = false): number {
  const firstLine = lines.findIndex((l) => l.trim() !== '')
  const data = lines.filter((l) => l.trim() !== '').slice(0, 51)
  if (data.length === 1 && unreadAfter) {
    const [only] = splitter.splitAll(data)
    return typeof only !== 'string' && only.every((name) => name !== null && name.trim() !== '' && !/^[+-]?[0-9.]/.test(name.trim())) ? firstLine + 1 : 0
  }
  if (data.length < 2) return 0
  const [first, ...rest] = splitter.splitAll(data)
  if (typeof first === 'string') return 0
  const rows = rest.filter((r): r is (string | null)[] => typeof r !== 'string')
  return first.slice(0, PREVIEW_COLUMNS).some((name, i) => {
    if (name === null || /^[+-]?[0-9]/.test(name)) return false // a number is data, never a column name
    const type = suggestType(rows.map((r) => r[i] ?? null))
    if (type === 'STRING') return false
    try {
      textToStored(type, name)
      return false
    } catch {
      return true
    }
  })
    ? firstLine + 1 // the import skips `header` lines: the blank ones before it too
    : 0
}

/** Characters of the head's lines the delimiter is sniffed from: an 800 KB line is split four times otherwise. */
const SNIFF_CHARS = 64 * 1024

/** The whole lines that fit in SNIFF_CHARS, or the first line's start when even it is longer. */
function sniffSample(lines: string[]): string[] {
  let chars = 0
  const n = lines.findIndex((l) => (chars += l.length) > SNIFF_CHARS)
  if (n < 0) return lines
  return n === 0 ? [lines[0].slice(0, SNIFF_CHARS)] : lines.slice(0, n)
}

/**
 * The candidate delimiter that splits the lines most consistently into more than one field: the one
 * whose most common field count covers the most lines (then the one with more fields). Default ",".
 */
export function sniffDelimiter(lines: readonly string[]): string {
  const data = sniffSample(lines.filter((l) => l.trim() !== '').slice(0, 50))
  let best: { delimiter: string; lines: number; fields: number } = { delimiter: ',', lines: 0, fields: 1 }
  for (const delimiter of DELIMITER_CANDIDATES) {
    const counts = new Map<number, number>()
    for (const f of new CsvFieldSplitter(delimiter).splitAll(data)) {
      if (typeof f !== 'string' && f.length > 1) counts.set(f.length, (counts.get(f.length) ?? 0) + 1)
    }
    for (const [fields, n] of counts) {
      if (n > best.lines || (n === best.lines && fields > best.fields)) best = { delimiter, lines: n, fields }
    }
  }
  return best.delimiter
}
