// Readers for the small value objects shared by the DAG and its tasks (Mapping, Timeline,
// resources, callback, progress, retry). Each returns a pruned object of descriptor-types.

import type { Site } from './error'
import type { YamlPath } from './lines'
import { FieldReader, isRecord, prune } from './reader'
import type { BaseResource, CallbackConfig, Degrade, Mapping, Progress, Retry, Timeline } from './types'

export function readMapping(value: unknown, site: Site, path: YamlPath): Mapping {
  const r = FieldReader.of(value, site, path, 'a mapping')
  return prune({
    source: r.text('source'),
    target: r.str('target'),
    transform: r.str('transform'),
    tolerance: r.bool('tolerance'),
    reference: r.str('reference'),
    variable: r.str('variable'),
  })
}

/** A list of mappings under `key` of `r`, or undefined when absent. */
export function readMappings(r: FieldReader, key: string): Mapping[] | undefined {
  return r.list(key)?.map((item, i) => readMapping(item, r.site, r.path(key).concat(i)))
}

export function readTimeline(r: FieldReader | undefined): Timeline | undefined {
  if (!r) return undefined
  return prune({
    timeoutInSeconds: r.text('timeoutInSeconds'),
    skipOnTimeout: r.text('skipOnTimeout'),
    suspenseIntervalSeconds: r.text('suspenseIntervalSeconds'),
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
  return prune({
    intervalInSeconds: r.num('intervalInSeconds', true),
    maxRetryTimes: r.num('maxRetryTimes', true),
    multiplier: r.num('multiplier'),
    conditions: r.strList('conditions'),
  })
}

/** `input` shorthand values are either a path string/constant or a full Mapping object. */
export function readTaskInput(r: FieldReader): Record<string, unknown> | undefined {
  const input = r.map('input')
  if (!input) return undefined
  for (const [key, value] of Object.entries(input)) {
    if (isRecord(value)) readMapping(value, r.site, r.path('input').concat(key))
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
  for (const key of Object.keys(raw)) {
    const value = readJsonText(context, key)
    if (value !== undefined) out[key] = value
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
