// One line of a data file into a row: the label's property values in their stored form, plus the
// endpoint keys of an edge. Errors carry TuGraph's texts (tugraph-db: src/import/import_exception.h,
// column_parser.h): "Failed to parse column N into type T: …", "Missing delimiter after column N",
// "json parsing failed, error msg : …", "json reading failed, error msg : …". TuGraph numbers the
// columns from 0; these count from 1, as the person fixing the file does (the third column is
// "column 3", not "column 2"), and name the field the column maps to (newuser8).
import { checkJsonShape } from '../../../shared/json-limits'
import { jsonToStored, textToStored, ValueError, type Stored } from '../store/values'
import type { ColumnPlan, FilePlan } from './mapping'

/** A line that cannot become a row; the message says why (the caller adds file and line). */
export class RowError extends Error {}

/** One object per line (an import holds a package's rows at once: they are kept small). */
export interface Row {
  /** 1-based line number in the file and the line's text, for the report. */
  line: number
  text: string
  /** In the order of the label's properties; unmapped ones are null. */
  values: Stored[]
  src: Stored
  dst: Stored
  tid: number | bigint
}

const typeOf = (c: ColumnPlan) => (c.kind === 'skip' ? 'SKIP' : c.type)

/** Column `i` (0-based) as a message names it: counted from 1, with the field it maps to, e.g. `column 3 [age]`. */
function column(c: ColumnPlan, i: number): string {
  const name = c.kind === 'prop' ? c.name : c.kind === 'src' ? 'SRC_ID' : c.kind === 'dst' ? 'DST_ID' : null
  return name === null ? `column ${i + 1}` : `column ${i + 1} [${name}]`
}

function newRow(plan: FilePlan, line: number, text: string): Row {
  return { line, text, values: new Array<Stored>(plan.label.def.properties.length).fill(null), src: null, dst: null, tid: 0 }
}

function finish(plan: FilePlan, row: Row): Row {
  if (plan.tidIndex !== undefined) {
    const t = row.values[plan.tidIndex]
    row.tid = typeof t === 'number' || typeof t === 'bigint' ? t : 0
  }
  return row
}

/** CSV: fields (null = empty and unquoted) of line `line` into a row. Throws RowError. */
export function rowFromFields(plan: FilePlan, fields: (string | null)[], line: number, text: string): Row {
  const columns = plan.columns
  const n = columns.length
  if (fields.length < n) throw new RowError(`Missing delimiter after column ${fields.length}`)
  if (fields.length > n) {
    const last = columns[n - 1]
    throw new RowError(
      last.kind === 'skip'
        ? `Failed to skip ${column(last, n - 1)}: there is more content than we expect`
        : `Failed to parse ${column(last, n - 1)} into type ${typeOf(last)}: there is more content than we expect`,
    )
  }
  const row = newRow(plan, line, text)
  for (let i = 0; i < n; i++) {
    const c = columns[i]
    if (c.kind === 'skip') continue
    const text = fields[i]
    if (text === null) {
      if (c.kind === 'prop' && c.optional) continue
      const what = c.kind === 'prop' ? `field [${c.name}] is not optional` : `${c.kind === 'src' ? 'SRC_ID' : 'DST_ID'} is required`
      throw new RowError(`Failed to parse ${column(c, i)} into type ${c.type}: the value is empty and ${what}`)
    }
    let value: Stored
    try {
      value = textToStored(c.type, text)
    } catch (e) {
      if (e instanceof ValueError) throw new RowError(`Failed to parse ${column(c, i)} into type ${c.type}: ${e.message}`)
      throw e
    }
    if (c.kind === 'prop') row.values[c.index] = value
    else if (c.kind === 'src') row.src = value
    else row.dst = value
  }
  return finish(plan, row)
}

/**
 * The line with every integer literal of more than 15 digits (outside strings) put in quotes, so
 * JSON.parse keeps it exact: an INT64 past 2^53 would otherwise come out rounded. The value rules
 * read a quoted number as its text (jsonToStored), so the column's type still decides.
 */
export function quoteLongIntegers(text: string): string {
  if (!/\d{16}/.test(text)) return text
  let out = ''
  let from = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]
    if (inString) {
      if (ch === '\\') i++
      else if (ch === '"') inString = false
      continue
    }
    if (ch === '"') inString = true
    else if (ch === '-' || (ch >= '0' && ch <= '9')) {
      let j = ch === '-' ? i + 1 : i
      while (j < text.length && text[j] >= '0' && text[j] <= '9') j++
      const fraction = j < text.length && (text[j] === '.' || text[j] === 'e' || text[j] === 'E')
      const digits = j - (ch === '-' ? i + 1 : i)
      if (digits > 15 && !fraction) {
        out += `${text.slice(from, i)}"${text.slice(i, j)}"`
        from = j
      }
      i = j - 1
    }
  }
  return out + text.slice(from)
}

/**
 * A JSON line parsed, its nesting (MAX_JSON_DEPTH) and lists and maps (MAX_JSON_CONTAINERS) checked first: the values are walked recursively
 * (typed, shown), and a line nested 400,000 deep overflowed the stack and failed the whole import.
 * Throws RowError with TuGraph's "json parsing failed" text.
 */
export function parseJsonLine(text: string): unknown {
  try {
    checkJsonShape(text, 'the line')
    return JSON.parse(quoteLongIntegers(text))
  } catch (e) {
    throw new RowError(`json parsing failed, error msg : ${(e as Error).message}`)
  }
}

/** JSON lines: a JSON array whose positions follow the columns (a SKIP column still takes one). Throws RowError. */
export function rowFromJson(plan: FilePlan, line: number, text: string): Row {
  const parsed = parseJsonLine(text)
  if (!Array.isArray(parsed)) throw new RowError('json reading failed, error msg : the line is not a JSON array')
  const row = newRow(plan, line, text)
  plan.columns.forEach((c, i) => {
    if (c.kind === 'skip') return
    if (i >= parsed.length) throw new RowError(`json reading failed, error msg : ${column(c, i)} is missing (the array has ${parsed.length} elements)`)
    const v: unknown = parsed[i]
    if (v === null) {
      if (c.kind === 'prop' && c.optional) return
      throw new RowError(`json reading failed, error msg : ${column(c, i)} is null but not optional`)
    }
    let value: Stored
    try {
      value = jsonToStored(c.type, v)
    } catch (e) {
      if (e instanceof ValueError) throw new RowError(`json reading failed, error msg : ${column(c, i)} as ${c.type}: ${e.message}`)
      throw e
    }
    if (c.kind === 'prop') row.values[c.index] = value
    else if (c.kind === 'src') row.src = value
    else row.dst = value
  })
  return finish(plan, row)
}
