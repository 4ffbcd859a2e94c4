// Shapes of the JSON data that paths read and write.

export type JsonMap = Record<string, unknown>
export type Container = JsonMap | unknown[]
export type Key = string | number

export function isJsonObject(value: unknown): value is JsonMap {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * Java BigDecimal's accepted syntax: Jayway number literals and string/number equality, Rill Flow
 * constants. Linear in the text: `\d+\.?\d*` (the fraction's dot optional between two digit runs)
 * let a backtracking engine try every split of a digit run, and 40,000 digits and an `x` (a context
 * string compared with a number in a filter) held the thread 7 s.
 */
export const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/
