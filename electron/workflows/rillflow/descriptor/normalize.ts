// Loaded YAML value → typed Dag: resolves the DAG.java aliases (namespace, service,
// callback_config/callbackConfig) and checks JSON types. Rules are left to validateDag.

import { fail, type Site } from './error'
import type { LineIndex } from './lines'
import {
  readCallback,
  readCommonMapping,
  readDefaultContext,
  readJsonText,
  readResource,
  readTimeline,
} from './parts'
import { FieldReader, isRecord, prune, typeName } from './reader'
import { readTaskList } from './task-reader'
import { DAG_TYPES, type BaseResource, type Dag } from './types'

export function normalizeDag(raw: unknown, lines?: LineIndex): Dag {
  const site: Site = { path: [], lines }
  if (!isRecord(raw)) fail(site, `the descriptor must be a YAML or JSON object, got ${typeName(raw)}`)
  const r = FieldReader.of(raw, site, [], 'the descriptor')
  return prune({
    version: r.text('version'),
    workspace: requiredAlias(r, 'workspace', 'namespace'),
    dagName: requiredAlias(r, 'dagName', 'service'),
    // Upstream rejects a missing type; every sample writes `flow`, so it is the default here.
    type: r.enumOf('type', DAG_TYPES) ?? 'flow',
    timer: readTimeline(r.object('timer')),
    tasks: readTaskList(r, 'tasks', lines),
    resources: readResources(r),
    callback: readCallback(r.object('callback') ?? r.object('callback_config') ?? r.object('callbackConfig')),
    defaultContext: readDefaultContext(r),
    commonMapping: readCommonMapping(r),
    inputSchema: readJsonText(r, 'inputSchema'),
    output: r.map('output'),
    alias: r.str('alias'),
  })
}

/** DAG.java: the alias is used when the main key is blank. */
function requiredAlias(r: FieldReader, key: string, alias: string): string {
  const value = r.str(key)
  if (value !== undefined && value.trim() !== '') return value
  const fromAlias = r.str(alias)
  if (fromAlias !== undefined) return fromAlias
  return value ?? r.fail(key, `field "${key}" (or "${alias}") is required`)
}

function readResources(r: FieldReader): BaseResource[] | undefined {
  return r.list('resources')?.map((item, i) => readResource(FieldReader.of(item, r.site, ['resources', i], `resources[${i}]`)))
}
