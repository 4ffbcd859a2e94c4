// A property type per column, suggested from sampled values with the import's own value rules
// (store/values.ts), so a suggested type is one every sampled value will import as. Like Neo4j's
// Data Importer and DBeaver, the narrowest type that fits all values wins; integers become INT64
// (a sample cannot promise a narrower range holds for the rest of the file).
import type { PropertyType } from '../../../shared/graph'
import { jsonToStored, textToStored } from '../store/values'

/** Tried in this order; the first that every value parses as is suggested, else STRING. */
const CANDIDATES: readonly PropertyType[] = ['INT64', 'DOUBLE', 'BOOL', 'DATETIME', 'DATE']

const BOOL_WORDS = /^(true|false)$/i

function parses(type: PropertyType, value: unknown, json: boolean): boolean {
  // BOOL takes any integer too (non-zero is true): only the words make a column boolean
  if (type === 'BOOL' && !(typeof value === 'boolean' || (typeof value === 'string' && BOOL_WORDS.test(value)))) return false
  try {
    if (json) jsonToStored(type, value)
    else textToStored(type, value as string)
    return true
  } catch {
    return false
  }
}

/**
 * The type suggested for a column's values: CSV fields as text, JSON-lines elements as parsed JSON.
 * Empty values (null) are left out; a column with none is STRING.
 */
export function suggestType(values: readonly unknown[], json = false): PropertyType {
  const present = values.filter((v) => v !== null && v !== undefined)
  if (present.length === 0) return 'STRING'
  return CANDIDATES.find((t) => present.every((v) => parses(t, v, json))) ?? 'STRING'
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
