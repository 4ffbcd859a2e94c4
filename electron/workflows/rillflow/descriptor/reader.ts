// Typed reads of one object of the loaded YAML. Each read checks the JSON type and, when
// it is wrong, fails naming the field and its line: the descriptor is user input, so a
// precise message beats a cast. Absent and `null` both read as "not set", as in Jackson.

import { fail, type Site } from './error'
import type { YamlPath } from './lines'

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** JSON-ish type name for messages: `got number`. */
export function typeName(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'list'
  return typeof value === 'object' ? 'object' : typeof value
}

/** Drop undefined members so parsed objects compare and serialise cleanly. */
export function prune<T extends object>(value: T): T {
  for (const key of Object.keys(value) as (keyof T)[]) if (value[key] === undefined) delete value[key]
  return value
}

export class FieldReader {
  private constructor(
    readonly value: Record<string, unknown>,
    readonly site: Site,
    /** Path of this object relative to the site (empty for the task or DAG itself). */
    readonly base: YamlPath
  ) {}

  /** Reader over `value`, which must be an object; `what` names it in the error. */
  static of(value: unknown, site: Site, base: YamlPath, what: string): FieldReader {
    if (!isRecord(value)) fail(site, `${what} must be an object, got ${typeName(value)}`, base)
    return new FieldReader(value, site, base)
  }

  has(key: string): boolean {
    return this.raw(key) !== undefined
  }

  raw(key: string): unknown {
    const value = Object.hasOwn(this.value, key) ? this.value[key] : undefined
    return value === null ? undefined : value
  }

  path(key: string | number): YamlPath {
    return [...this.base, key]
  }

  fail(key: string | number | YamlPath, reason: string): never {
    return fail(this.site, reason, typeof key === 'object' ? key : this.path(key))
  }

  private wrongType(key: string, expected: string): never {
    return this.fail(key, `field "${key}" must be ${expected}, got ${typeName(this.raw(key))}`)
  }

  str(key: string): string | undefined {
    const value = this.raw(key)
    if (value === undefined || typeof value === 'string') return value
    return this.wrongType(key, 'a string')
  }

  requiredStr(key: string, reason = `field "${key}" is required`): string {
    const value = this.str(key)
    if (value === undefined) return this.fail(key, reason)
    return value
  }

  /** An upstream String field that YAML may have typed as a number/boolean: keep it as written. */
  text(key: string): string | undefined {
    const value = this.raw(key)
    if (value === undefined || typeof value === 'string') return value
    if (typeof value === 'number' || typeof value === 'boolean') {
      return this.site.lines?.scalarText([...this.site.path, ...this.path(key)]) ?? String(value)
    }
    return this.wrongType(key, 'a string')
  }

  /** Jackson also accepts "true"/"false" strings for booleans. */
  bool(key: string): boolean | undefined {
    const value = this.raw(key)
    if (value === undefined || typeof value === 'boolean') return value
    if (value === 'true' || value === 'false') return value === 'true'
    return this.wrongType(key, 'a boolean')
  }

  num(key: string, integer = false): number | undefined {
    const raw = this.raw(key)
    if (raw === undefined) return undefined
    const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw
    if (typeof value === 'number' && Number.isFinite(value) && (!integer || Number.isInteger(value))) return value
    return this.wrongType(key, integer ? 'an integer' : 'a number')
  }

  list(key: string): unknown[] | undefined {
    const value = this.raw(key)
    if (value === undefined || Array.isArray(value)) return value
    return this.wrongType(key, 'a list')
  }

  strList(key: string): string[] | undefined {
    const items = this.list(key)
    items?.forEach((item, i) => {
      if (typeof item !== 'string') this.fail(this.path(key).concat(i), `${key}[${i}] must be a string, got ${typeName(item)}`)
    })
    return items as string[] | undefined
  }

  map(key: string): Record<string, unknown> | undefined {
    const value = this.raw(key)
    if (value === undefined || isRecord(value)) return value
    return this.wrongType(key, 'an object')
  }

  object(key: string): FieldReader | undefined {
    return this.has(key) ? FieldReader.of(this.raw(key), this.site, this.path(key), `field "${key}"`) : undefined
  }

  enumOf<T extends string>(key: string, values: readonly T[]): T | undefined {
    const value = this.str(key)
    if (value === undefined) return undefined
    if ((values as readonly string[]).includes(value)) return value as T
    return this.fail(key, `${key} "${value}" is not one of ${values.join(', ')}`)
  }
}
