// A property type per column, suggested from sampled values with the import's own value rules
// (store/values.ts). Like Neo4j's Data Importer and DBeaver, the narrowest type that fits all values
// wins; failing that, the one most values fit (a few typos fail their own lines at import, named in
// the preview's notes); integers become INT64 (a sample cannot promise a narrower range holds for the
// rest of the file).
import type { PropertyType } from '../../../shared/graph'
import { jsonToStored, textToStored } from '../store/values'

/** Tried in this order; the first that every value parses as is suggested, else STRING. */
const CANDIDATES: readonly PropertyType[] = ['INT64', 'DOUBLE', 'BOOL', 'DATETIME', 'DATE']

const BOOL_WORDS = /^(true|false)$/i
const LEADING_DIGIT = /^[+-]?[0-9]/

function parses(type: PropertyType, value: unknown, json: boolean): boolean {
  // BOOL takes any integer too (non-zero is true): only the words make a column boolean
  if (type === 'BOOL' && !(typeof value === 'boolean' || (typeof value === 'string' && BOOL_WORDS.test(value)))) return false
  // the number and date types all begin with a digit (store/values.ts): text that does not is refused
  // here, without the thrown ValueError that made counting a text column's misses 20 times slower
  if (type !== 'BOOL' && typeof value === 'string' && !LEADING_DIGIT.test(value)) return false
  try {
    if (json) jsonToStored(type, value)
    else textToStored(type, value as string)
    return true
  } catch {
    return false
  }
}

/**
 * Share of a column's values that must parse as a type for it to be suggested when not all do: a
 * typo among numbers ("three" among 1, 2, 5) leaves the column INT64, its line failing on its own at
 * import, rather than making the whole column STRING and the header line look like data (#9).
 */
const MAJORITY = 3 / 4
/** Fewest values that must parse as a type for a majority to count (one of two is no majority). */
const MAJORITY_MIN = 3

/** A column's suggested type, and the positions (in `values`) of the values that do not parse as it. */
export interface ColumnType {
  type: PropertyType
  outliers: number[]
}

/**
 * The type suggested for a column's values (CSV fields as text, JSON-lines elements as parsed JSON):
 * the narrowest type every value parses as; else the narrowest at least MAJORITY of them (and
 * MAJORITY_MIN) parse as, with the others as `outliers`; else STRING. Empty values (null) are left
 * out; a column with none is STRING.
 */
export function columnType(values: readonly unknown[], json = false): ColumnType {
  const present = values.flatMap((v, i) => (v === null || v === undefined ? [] : [i]))
  if (present.length === 0) return { type: 'STRING', outliers: [] }
  const all = CANDIDATES.find((type) => present.every((i) => parses(type, values[i], json)))
  if (all) return { type: all, outliers: [] }
  // a type stops being counted once more values miss it than a majority allows: a text column costs
  // a few failed parses a candidate, not one a value
  const allowed = present.length - Math.max(MAJORITY_MIN, Math.ceil(present.length * MAJORITY))
  for (const type of CANDIDATES) {
    const outliers: number[] = []
    for (const i of present) if (!parses(type, values[i], json) && outliers.push(i) > allowed) break
    if (outliers.length <= allowed) return { type, outliers }
  }
  return { type: 'STRING', outliers: [] }
}

/** columnType's type alone. */
export function suggestType(values: readonly unknown[], json = false): PropertyType {
  return columnType(values, json).type
}

/**
 * A header field as a property name: trimmed, runs of characters other than letters, digits and `_`
 * made one `_`, never empty, never a reserved column word (SKIP, SRC_ID, DST_ID).
 */
export function propertyName(header: string | null | undefined, index: number): string {
  const name = (header ?? '')
    .trim()
    .replace(/[^\p{L}\p{N}_]+/gu, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 64)
  if (!name || /^(SKIP|SRC_ID|DST_ID)$/.test(name)) return `column_${index + 1}`
  return /^[0-9]/.test(name) ? `c_${name}` : name
}
