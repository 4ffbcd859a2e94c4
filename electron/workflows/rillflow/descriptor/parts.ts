// Readers for the small value objects shared by the DAG and its tasks (Mapping, Timeline,
// resources, callback, progress, retry). Each returns a pruned object of descriptor-types.

import { isAppError } from '../../../../shared/errors'
import { MAX_JSON_CONTAINERS } from '../../../../shared/json-limits'
import { checkTargetSteps, TargetTooDeepError } from '../jsonpath'
import { checkConstantShape } from '../mappings'
import { formatField, type Site } from './error'
import type { YamlPath } from './lines'
import { FieldReader, isRecord, prune } from './reader'
import type { BaseResource, CallbackConfig, Degrade, Mapping, Progress, Retry, Timeline } from './types'
import { setOwn } from '../safe-keys'
import { formatCount } from '../../../../shared/number-format'

export function readMapping(value: unknown, site: Site, path: YamlPath): Mapping {
  const r = FieldReader.of(value, site, path, 'a mapping')
  const target = r.str('target')
  if (target !== undefined) {
    try {
      checkTargetSteps(target.trim())
    } catch (e) {
      if (e instanceof TargetTooDeepError) r.fail('target', `${formatField(r.path('target'))}: ${e.message}`)
      throw e
    }
  }
  const source = r.text('source')
  checkConstant(r, r.path('source'), source)
  return prune({
    source,
    target,
    transform: r.str('transform'),
    tolerance: r.bool('tolerance'),
    reference: r.str('reference'),
    variable: r.str('variable'),
  })
}

/**
 * Refuses a constant at `path` (relative to `r`'s site) that every run would parse as JSON (a mapping's
 * source, a defaultContext value: mappings.ts checkConstantShape) when it nests deeper than
 * MAX_JSON_DEPTH or holds more than MAX_JSON_CONTAINERS lists and maps: a DescriptorError naming the
 * field and its line, at add_descriptor rather than a held thread or a 500 at each run (atk30).
 * Returns how many lists and maps the constant holds.
 */
function checkConstant(r: FieldReader, path: YamlPath, text: string | undefined): number {
  if (text === undefined) return 0
  try {
    return checkConstantShape(text, formatField(path))
  } catch (e) {
    if (isAppError(e)) r.fail(path, e.message)
    throw e
  }
}

/** A list of mappings under `key` of `r`, or undefined when absent. */
export function readMappings(r: FieldReader, key: string): Mapping[] | undefined {
  return r.list(key)?.map((item, i) => readMapping(item, r.site, r.path(key).concat(i)))
}

/**
 * A count or duration written as a number (upstream keeps some as strings, e.g. "30"), checked at
 * add_descriptor: a timeout of "abc" or -1 used to be stored and then never fire, so the task stayed
 * RUNNING for good. `min` is 'positive' (> 0) or 'zero' (≥ 0); `integer` asks for a whole number;
 * `path` lets a JsonPath (`$.input.max`) stand for a value known only at run time. Returns the text
 * as written; throws a DescriptorError naming the task, field and line.
 */
export function amountText(r: FieldReader, key: string, o: { min: 'positive' | 'zero'; integer?: boolean; path?: boolean; unit?: string }): string | undefined {
  const text = r.text(key)
  if (text === undefined || (o.path && text.trim().startsWith('$'))) return text
  const value = text.trim() === '' ? NaN : Number(text)
  const ok = Number.isFinite(value) && (o.min === 'positive' ? value > 0 : value >= 0) && (!o.integer || Number.isInteger(value))
  if (ok) return text
  const what = `${o.min === 'positive' ? 'a positive' : 'a non-negative'} ${o.integer ? 'whole number' : 'number'}${o.unit ? ` of ${o.unit}` : ''}`
  return r.fail(key, `${formatField(r.path(key))} must be ${what}${o.path ? ' or a JsonPath such as $.input.max' : ''}, got ${JSON.stringify(text)}`)
}

export function readTimeline(r: FieldReader | undefined): Timeline | undefined {
  if (!r) return undefined
  const skipOnTimeout = r.text('skipOnTimeout')
  if (skipOnTimeout !== undefined && skipOnTimeout !== 'true' && skipOnTimeout !== 'false') {
    r.fail('skipOnTimeout', `${formatField(r.path('skipOnTimeout'))} must be "true" or "false", got ${JSON.stringify(skipOnTimeout)}`)
  }
  return prune({
    timeoutInSeconds: amountText(r, 'timeoutInSeconds', { min: 'positive', unit: 'seconds' }),
    skipOnTimeout,
    suspenseIntervalSeconds: amountText(r, 'suspenseIntervalSeconds', { min: 'zero', unit: 'seconds' }),
    suspenseTimestamp: r.text('suspenseTimestamp'),
  })
}

export function readResource(r: FieldReader): BaseResource {
  return prune({ name: r.str('name'), category: r.str('category'), inputMappings: readMappings(r, 'inputMappings') })
}

export function readCallback(r: FieldReader | undefined): CallbackConfig | undefined {
  if (!r) return undefined
  return prune({
    resourceName: r.str('resourceName'),
    fullDAGInfo: r.bool('fullDAGInfo'),
    fullContext: r.bool('fullContext'),
    inputMappings: readMappings(r, 'inputMappings'),
  })
}

export function readProgress(r: FieldReader | undefined): Progress | undefined {
  if (!r) return undefined
  return prune({ weight: r.num('weight', true), calculation: r.str('calculation'), args: readMappings(r, 'args') })
}

export function readDegrade(r: FieldReader | undefined): Degrade | undefined {
  if (!r) return undefined
  return prune({ followings: r.bool('followings'), current: r.bool('current') })
}

export function readRetry(r: FieldReader | undefined): Retry | undefined {
  if (!r) return undefined
  // a negative interval or count, or a multiplier of 0 or less, makes no schedule: refused here
  const atLeast = (key: string, value: number | undefined, min: number, what: string) => {
    if (value !== undefined && !(value >= min)) r.fail(key, `${formatField(r.path(key))} must be ${what}, got ${value}`)
    return value
  }
  return prune({
    intervalInSeconds: atLeast('intervalInSeconds', r.num('intervalInSeconds', true), 0, 'a whole number of seconds, 0 or more'),
    maxRetryTimes: atLeast('maxRetryTimes', r.num('maxRetryTimes', true), 0, 'a whole number, 0 or more'),
    multiplier: atLeast('multiplier', r.num('multiplier'), Number.MIN_VALUE, 'a positive number'),
    conditions: r.strList('conditions'),
  })
}

/** `input` shorthand values are either a path string/constant or a full Mapping object. */
export function readTaskInput(r: FieldReader): Record<string, unknown> | undefined {
  const input = r.map('input')
  if (!input) return undefined
  for (const [key, value] of Object.entries(input)) {
    if (isRecord(value)) readMapping(value, r.site, r.path('input').concat(key))
    else if (typeof value === 'string') checkConstant(r, r.path('input').concat(key), value)
    else if (Array.isArray(value)) r.fail(r.path('input').concat(key), `input "${key}" must be a path, a constant or a mapping object, got list`)
  }
  return input
}

/** Upstream keeps these as String; a YAML list/object is stored JSON-encoded rather than rejected. */
export function readJsonText(r: FieldReader, key: string): string | undefined {
  const value = r.raw(key)
  if (Array.isArray(value) || isRecord(value)) return JSON.stringify(value)
  return r.text(key)
}

/** defaultContext: map<string,string>; scalars keep their written form, objects become JSON. */
export function readDefaultContext(r: FieldReader): Record<string, string> | undefined {
  const raw = r.map('defaultContext')
  if (!raw) return undefined
  const context = FieldReader.of(raw, r.site, r.path('defaultContext'), 'defaultContext')
  const out: Record<string, string> = {}
  let containers = 0
  for (const key of Object.keys(raw)) {
    const value = readJsonText(context, key)
    if (value === undefined) continue
    setOwn(out, key, value)
    // every submit's context holds them all (a key and its YAML alias: twice)
    containers += checkConstant(context, context.path(key), value)
    if (containers > MAX_JSON_CONTAINERS) {
      r.fail('defaultContext', `defaultContext holds more than ${formatCount(MAX_JSON_CONTAINERS)} lists and maps (JSON arrays and objects) in all, the most a context may hold`)
    }
  }
  return out
}

export function readCommonMapping(r: FieldReader): Record<string, Mapping[]> | undefined {
  const raw = r.map('commonMapping')
  if (!raw) return undefined
  const common = FieldReader.of(raw, r.site, r.path('commonMapping'), 'commonMapping')
  const out: Record<string, Mapping[]> = {}
  for (const name of Object.keys(raw)) out[name] = readMappings(common, name) ?? []
  return out
}
