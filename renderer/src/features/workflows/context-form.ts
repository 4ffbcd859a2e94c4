// Turning what the user typed into an execution context: a form from inputSchema, or raw JSON.
import type { ValidationResult } from '../../../../shared/workflows'

export type SchemaField = NonNullable<ValidationResult['inputSchema']>[number]
export type FieldKind = 'string' | 'number' | 'boolean' | 'json'
export type FieldValues = Record<string, string | boolean>
type Context = Record<string, unknown>

export type Parsed = { ok: true; context: Context } | { ok: false; errors: Record<string, string> }

const NUMBER_TYPES = new Set(['number', 'int', 'integer', 'long', 'float', 'double', 'decimal'])
const BOOLEAN_TYPES = new Set(['boolean', 'bool'])
const STRING_TYPES = new Set(['string', 'str', 'text'])

/** Rill Flow schemas name types loosely ("String", "Number", "JSON", "Array"); anything structured is edited as JSON. */
export function fieldKind(type: string | undefined): FieldKind {
  const t = (type ?? 'string').toLowerCase()
  if (STRING_TYPES.has(t)) return 'string'
  if (NUMBER_TYPES.has(t)) return 'number'
  if (BOOLEAN_TYPES.has(t)) return 'boolean'
  return 'json'
}

export const isJsonObject = (v: unknown): v is Context => typeof v === 'object' && v !== null && !Array.isArray(v)

/** Parses the JSON textarea; the context must be an object. */
export function parseContextJson(text: string): Parsed {
  const trimmed = text.trim()
  if (!trimmed) return { ok: true, context: {} }
  try {
    const value: unknown = JSON.parse(trimmed)
    if (isJsonObject(value)) return { ok: true, context: value }
    return { ok: false, errors: { context: `The context must be a JSON object like {"n": 3}, not ${Array.isArray(value) ? 'an array' : typeof value === 'object' ? 'null' : `a ${typeof value}`}.` } }
  } catch (e) {
    return { ok: false, errors: { context: `Not valid JSON: ${(e as Error).message}` } }
  }
}

function parseField(field: SchemaField, raw: string | boolean | undefined): { value?: unknown; error?: string } {
  const kind = fieldKind(field.type)
  if (kind === 'boolean') return { value: raw === true }
  const text = typeof raw === 'string' ? raw.trim() : ''
  if (!text) return field.required ? { error: 'required' } : {}
  if (kind === 'string') return { value: typeof raw === 'string' ? raw : '' }
  if (kind === 'number') {
    const n = Number(text)
    return Number.isFinite(n) ? { value: n } : { error: 'must be a number' }
  }
  try {
    return { value: JSON.parse(text) as unknown }
  } catch {
    return { error: 'must be JSON (e.g. [1, 2] or {"a": 1})' }
  }
}

/** Builds the context from the schema form; empty optional fields are left out. */
export function buildContext(fields: readonly SchemaField[], values: FieldValues): Parsed {
  const context: Context = {}
  const errors: Record<string, string> = {}
  for (const field of fields) {
    const { value, error } = parseField(field, values[field.name])
    if (error) errors[field.name] = error
    else if (value !== undefined) context[field.name] = value
  }
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, context }
}
