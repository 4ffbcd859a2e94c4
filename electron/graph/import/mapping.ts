// The `files` of an import (reference/tugraph.md §2.2): checking their shape with TuGraph's texts
// (tugraph-db: src/import/import_config_parser.h ParseFiles, CsvDesc::CheckValid, CheckConsistent),
// then planning each file against the graph's schema: what each column becomes.
import type { FileMapping, PropertyType } from '../../../shared/graph'
import { MAX_IMPORT_FILES, MAX_IMPORT_HEADER_LINES } from '../../../shared/graph-api'
import { graphError } from '../errors'
import { parseUploadName } from '../../../shared/upload-names'
import type { GraphDb } from '../store/graph-db'
import { excerpt } from '../store/values'
import { MAX_FIELDS } from '../store/names'
import type { LabelRecord } from '../store/label-tables'
import { importEncoding, IMPORT_ENCODINGS } from './text-encoding'

type Json = Record<string, unknown>
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v)
const bad = (message: string, field?: string) => graphError('invalid_mapping', message, field === undefined ? {} : { field })

/**
 * Columns one file's mapping may list: a label's properties (MAX_FIELDS), SRC_ID and DST_ID. JobDesk's
 * bound (TuGraph has none): it keeps planning and the messages that show a mapping small, and the
 * Imports page's preview offers no more columns than this.
 */
export const MAX_COLUMNS = MAX_FIELDS + 2
export { MAX_IMPORT_FILES } // shared: the Imports page says the bound in its own words before asking
/** Characters of a mapping that an error message quotes (TuGraph quotes it whole). */
const SHOWN_CHARS = 300

/**
 * Parses an import's `files` array (at most MAX_IMPORT_FILES). Throws invalid_mapping with TuGraph's
 * message at the first problem; for a file whose fields are of the wrong type or value, one message
 * listing each (`files[0].path: must be a string; files[0].header: …`), `field` the first of them.
 * `field`: how the caller's protocol names the array (`schema.files` for TuGraph's import_data).
 */
export function parseFileMappings(files: unknown, field = 'files'): FileMapping[] {
  if (files === undefined) return []
  if (!Array.isArray(files)) throw bad('"files" is not array')
  if (files.length > MAX_IMPORT_FILES) {
    throw bad(`"files" lists ${files.length} files; one import takes at most ${MAX_IMPORT_FILES}: import them in several tasks`, field)
  }
  return files.map((f, i) => parseFileMapping(f, `${field}[${i}]`))
}

function parseFileMapping(item: unknown, at: string): FileMapping {
  if (isObject(item) && Array.isArray(item.columns) && item.columns.length > MAX_COLUMNS) {
    throw bad(`"columns" cannot list more than ${MAX_COLUMNS} columns (a label's ${MAX_FIELDS} properties, SRC_ID and DST_ID), given [${item.columns.length}]`, `${at}.columns`)
  }
  const text = JSON.stringify(item)
  const shown = text.length > SHOWN_CHARS ? `${text.slice(0, SHOWN_CHARS)}…` : text
  if (!isObject(item) || !('format' in item) || !('label' in item) || !('columns' in item)) {
    throw bad(`Missing "path" or "format" or "label" or "columns" in json ${shown}`)
  }
  const wrong = wrongFields(item, at)
  if (wrong.length === 1 && wrong[0][0] === `${at}.path` && item.path !== undefined) {
    // a path alone wrong is refused as every route refuses a bad path: one status, one wording (upload-names.ts)
    const parsed = parseUploadName(item.path, { field: `${at}.path` })
    if ('problem' in parsed) throw graphError(parsed.problem.code, parsed.problem.message, { field: `${at}.path` })
  }
  if (wrong.length) {
    // every wrong field at once (a client fixes them in one go), the first one as `field`
    const listed = wrong.map(([field, what]) => `${field}: ${what}`).join('; ')
    throw bad(`${wrong.length === 1 ? '' : `${wrong.length} fields of ${at} are wrong: `}${listed} in json ${shown}`, wrong[0][0])
  }
  const header = (item.header as number | undefined) ?? 0
  const mapping: FileMapping = { path: item.path as string, format: item.format as FileMapping['format'], label: item.label as string, columns: [], header }
  if ('SRC_ID' in item || 'DST_ID' in item) {
    if (typeof item.SRC_ID !== 'string' || typeof item.DST_ID !== 'string') throw bad(`Missing "SRC_ID" or "DST_ID" in json ${shown}`)
    mapping.SRC_ID = item.SRC_ID
    mapping.DST_ID = item.DST_ID
  }
  if (item.encoding !== undefined) {
    const encoding = importEncoding(item.encoding)
    if (encoding === null) throw bad(`"encoding" must be one of ${IMPORT_ENCODINGS.join(', ')} in json ${shown}`, `${at}.encoding`)
    if (encoding !== 'utf-8') mapping.encoding = encoding
  }
  if (item.encodingGuessed !== undefined && typeof item.encodingGuessed !== 'boolean') throw bad(`"encodingGuessed" must be true or false in json ${shown}`, `${at}.encodingGuessed`)
  if (item.encodingGuessed === true && mapping.encoding !== undefined) mapping.encodingGuessed = true
  mapping.columns.push(...(item.columns as string[]))
  checkColumns(mapping)
  return mapping
}

/**
 * The fields of one mapping `item` (named `at`: `files[0]`) of the wrong type or value, in the order
 * path, format, label, columns, header: `[field, what is wrong]` each, e.g. `['files[0].path', 'must
 * be a string']`; none when all are right. Missing format, label or columns are TuGraph's message (above).
 */
function wrongFields(item: Json, at: string): [string, string][] {
  const wrong: [string, string][] = []
  if (item.path === undefined) wrong.push([`${at}.path`, 'is missing (TuGraph: Missing "path")'])
  else if (typeof item.path !== 'string') wrong.push([`${at}.path`, 'must be a string'])
  if (item.format !== 'CSV' && item.format !== 'JSON') wrong.push([`${at}.format`, `${excerpt(JSON.stringify(item.format) ?? String(item.format))} should be CSV or JSON`])
  if (typeof item.label !== 'string' || item.label === '') wrong.push([`${at}.label`, 'must be a label name'])
  if (!Array.isArray(item.columns)) wrong.push([`${at}.columns`, 'must be a list of column names'])
  else {
    const empty = item.columns.findIndex((c) => typeof c !== 'string' || c === '')
    if (empty >= 0) wrong.push([`${at}.columns[${empty}]`, 'must be a column name (TuGraph: Found empty field)'])
  }
  const header = item.header ?? 0
  if (typeof header !== 'number' || !Number.isInteger(header) || header < 0 || header > MAX_IMPORT_HEADER_LINES) {
    wrong.push([`${at}.header`, `must be an integer from 0 to ${MAX_IMPORT_HEADER_LINES} (the lines to skip at the file's start)`])
  }
  return wrong
}

/** CsvDesc::CheckValid: SRC_ID and DST_ID once each in edge files (never in vertex files), properties once. */
function checkColumns(m: FileMapping): void {
  const isEdge = m.SRC_ID !== undefined
  const seen = new Set<string>()
  let src = false
  let dst = false
  for (const c of m.columns) {
    if (c === 'SKIP') continue
    if (c === 'SRC_ID' || c === 'DST_ID') {
      if (!isEdge) throw bad(`${c} is a column of edge files only; ${m.path} maps vertex label [${m.label}]`)
      if (c === 'SRC_ID' ? src : dst) throw bad(`${c} defined more than once`)
      if (c === 'SRC_ID') src = true
      else dst = true
      continue
    }
    if (seen.has(c)) throw bad(`field [${c}] appear more than once`)
    seen.add(c)
  }
  if (isEdge && !src) throw bad('SRC_ID should be defined in edge file')
  if (isEdge && !dst) throw bad('DST_ID should be defined in edge file')
}

export type ColumnPlan =
  | { kind: 'skip' }
  | { kind: 'src' | 'dst'; type: PropertyType; label: string }
  | { kind: 'prop'; index: number; type: PropertyType; optional: boolean; name: string }

/** A file ready to import: its label, what each column becomes, and where its temporal id comes from. */
export interface FilePlan {
  mapping: FileMapping
  /** Absolute path, resolved in the user's upload folder. */
  file: string
  kind: 'vertex' | 'edge'
  label: LabelRecord
  columns: ColumnPlan[]
  src?: LabelRecord
  dst?: LabelRecord
  /** Index (in the label's properties) of the temporal property, for edges that have one. */
  tidIndex?: number
}

/** Constraints an error message lists before it says how many more there are (a label may have thousands). */
const LISTED = 10

/** `items` joined with ", ", the first LISTED of them and then "… and N more". */
function listed(items: string[]): string {
  return items.length <= LISTED ? items.join(', ') : `${items.slice(0, LISTED).join(', ')} … and ${items.length - LISTED} more`
}

/**
 * Checks a mapping against the graph's schema: the label exists, every column names one of its
 * properties, every non-optional property has a column, SRC_ID/DST_ID name vertex labels that the
 * edge label's constraints allow. Throws label_not_found / invalid_mapping / constraint_violation.
 */
export function planFile(g: GraphDb, mapping: FileMapping, file: string): FilePlan {
  const kind = mapping.SRC_ID === undefined ? 'vertex' : 'edge'
  const label = kind === 'vertex' ? g.vertexTable(mapping.label).label : g.edgeTable(mapping.label).label
  const props = label.def.properties
  const vertexLabel = (name: string) => {
    const l = g.label('vertex', name)
    if (!l) throw graphError('label_not_found', `vertex label [${name}] not found in schema`)
    return l
  }
  const src = kind === 'edge' ? vertexLabel(mapping.SRC_ID!) : undefined
  const dst = kind === 'edge' ? vertexLabel(mapping.DST_ID!) : undefined
  const primaryType = (l: LabelRecord) => {
    const def = l.def
    return def.properties.find((p) => def.type === 'VERTEX' && p.name === def.primary)!.type
  }
  const columns: ColumnPlan[] = mapping.columns.map((c) => {
    if (c === 'SKIP') return { kind: 'skip' }
    if (c === 'SRC_ID') return { kind: 'src', type: primaryType(src!), label: src!.name }
    if (c === 'DST_ID') return { kind: 'dst', type: primaryType(dst!), label: dst!.name }
    const index = props.findIndex((p) => p.name === c)
    if (index < 0) throw bad(`field name [${c}] not found in label [${label.name}]`)
    return { kind: 'prop', index, type: props[index].type, optional: !!props[index].optional, name: c }
  })
  const mapped = new Set(mapping.columns)
  const missing = props.filter((p) => !p.optional && !mapped.has(p.name)).map((p) => p.name)
  if (missing.length) throw bad(`All fields (except optional) should be defined, [${missing.join(',')}] not defined (${mapping.path})`)
  const plan: FilePlan = { mapping, file, kind, label, columns, src, dst }
  if (label.def.type === 'EDGE') {
    const def = label.def
    if (def.constraints.length && !def.constraints.some(([a, b]) => a === src!.name && b === dst!.name)) {
      throw graphError(
        'constraint_violation',
        `Does not meet the edge constraints: edge label [${def.label}] allows ${listed(def.constraints.map(([a, b]) => `(${a}, ${b})`))}; ${mapping.path} maps (${src!.name}, ${dst!.name})`,
      )
    }
    if (def.temporal !== undefined) plan.tidIndex = props.findIndex((p) => p.name === def.temporal)
  }
  return plan
}
