// Shapes of the JSON data that paths read and write.

export type JsonMap = Record<string, unknown>
export type Container = JsonMap | unknown[]
export type Key = string | number

export function isJsonObject(value: unknown): value is JsonMap {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Java BigDecimal's accepted syntax: Jayway number literals and string/number equality, Rill Flow constants. */
export const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/
