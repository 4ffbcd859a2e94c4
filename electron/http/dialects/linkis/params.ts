// Linkis query and body parameters, checked at the boundary: each reader returns the value or throws
// a LinkisError (status 2, "validation failed", HTTP 412) naming the parameter, so `pageNow=1e20`,
// `pageSize=-1` or `page=a&page=b` never reach a handler. Spring's own rules where clients rely on
// them: an empty value means the default, booleans take true/false/on/off/yes/no/1/0.

import { idValue, MAX_ID } from '../../ids'
import { plainInteger } from '../../query'
import { LinkisError } from './envelope'

export const paramError = (name: string, message: string) => new LinkisError(`parameter error: ${name} ${message}(参数错误: ${name})`, 2)

const show = (v: unknown) => JSON.stringify(typeof v === 'string' && v.length > 40 ? `${v.slice(0, 40)}…` : v)

export interface IntRule {
  min: number
  max: number
}

/** One request's parameters (query string, or a JSON body's top level). */
export class LinkisParams {
  private readonly values: Record<string, unknown>

  constructor(source: unknown) {
    this.values = source && typeof source === 'object' && !Array.isArray(source) ? (source as Record<string, unknown>) : {}
  }

  /** The raw value, refusing a repeated query parameter; undefined when absent or empty. */
  private one(name: string): string | undefined {
    const v = this.values[name]
    if (v === undefined || v === null || v === '') return undefined
    if (Array.isArray(v)) throw paramError(name, 'is given more than once')
    if (typeof v === 'number' || typeof v === 'boolean') return String(v)
    if (typeof v !== 'string') throw paramError(name, `must be a string, not ${show(v)}`)
    return v
  }

  str(name: string, maxLength = 1000): string | undefined {
    const v = this.one(name)
    if (v !== undefined && v.length > maxLength) throw paramError(name, `must be at most ${maxLength} characters`)
    return v
  }

  /** An integer in [min, max] written in plain digits (query.ts plainInteger): `1e20`, `1.5`, `0x10`, `+1`, ` 5` and out-of-range values are refused. */
  int(name: string, rule: IntRule): number | undefined
  int(name: string, rule: IntRule, fallback: number): number
  int(name: string, rule: IntRule, fallback?: number): number | undefined {
    const v = this.one(name)
    if (v === undefined) return fallback
    const n = plainInteger(v, rule)
    if (n === undefined) throw paramError(name, `must be an integer from ${rule.min} to ${rule.max}, not ${show(v)}`)
    return n
  }

  /** A taskID (a job id), canonical decimal from `min` (ids.ts): `0x10`, `016`, `+16` name no job. */
  id(name: string, min = 1): number | undefined {
    const v = this.one(name)
    if (v === undefined) return undefined
    const n = idValue(v, min)
    if (n === undefined) throw paramError(name, `must be a job id (plain decimal digits from ${min} to ${MAX_ID}), not ${show(v)}`)
    return n
  }

  bool(name: string, fallback: boolean): boolean {
    const v = this.one(name)?.trim().toLowerCase()
    if (v === undefined) return fallback
    if (['true', 'on', 'yes', '1'].includes(v)) return true
    if (['false', 'off', 'no', '0'].includes(v)) return false
    throw paramError(name, `must be true or false, not ${show(this.values[name])}`)
  }

  /** One of `allowed` (compared case-insensitively; the allowed spelling is returned). */
  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const v = this.one(name)
    if (v === undefined) return fallback
    const hit = allowed.find((a) => a.toLowerCase() === v.trim().toLowerCase())
    if (!hit) throw paramError(name, `must be one of ${allowed.join(', ')}, not ${show(v)}`)
    return hit
  }

  /** A comma-separated list whose items each pass `check` (which throws a message for a bad one). */
  list(name: string, check: (item: string) => void = () => {}): string[] | undefined {
    const v = this.one(name)
    if (v === undefined) return undefined
    const items = v.split(',').map((s) => s.trim()).filter(Boolean)
    for (const item of items) {
      try {
        check(item)
      } catch (e) {
        throw paramError(name, (e as Error).message)
      }
    }
    return items
  }

  /** An array field of a JSON body, each item checked. */
  array<T>(name: string, item: (v: unknown, i: number) => T, maxItems: number): T[] {
    const v = this.values[name]
    if (v === undefined || v === null) return []
    if (!Array.isArray(v)) throw paramError(name, `must be a list, not ${show(v)}`)
    if (v.length > maxItems) throw paramError(name, `holds ${v.length} items; at most ${maxItems} are allowed`)
    return v.map((x, i) => {
      try {
        return item(x, i)
      } catch (e) {
        throw paramError(`${name}[${i}]`, (e as Error).message)
      }
    })
  }
}

/** Epoch milliseconds, as Linkis's dates: from 1970 to year 9999. */
export const EPOCH_MS: IntRule = { min: 0, max: 253_402_300_799_999 }
