// Per-task rules: FunctionTaskValidator, ForeachTaskValidator, ChoiceTaskValidator, a
// switch's switches, and FlowDAGValidator's commonMapping reference check. The parser
// already enforces most presence rules; repeating them here covers DAGs built in code.

import { fail, type Site } from './error'
import type { LineIndex } from './lines'
import { FUNCTION_PATTERNS, type Dag, type FunctionTask, type Mapping, type Task } from './types'
import { siteOf, type TaskRef } from './walk'

/** FunctionTaskValidator splits resourceName on this to find the scheme. */
const SCHEME_CONNECTOR = '://'

export function validateTaskRules(dag: Dag, tasks: readonly TaskRef[], lines: LineIndex | undefined): void {
  const resourceNames = new Set((dag.resources ?? []).flatMap((r) => (r.name ? [r.name] : [])))
  for (const ref of tasks) {
    const site = siteOf(ref, lines)
    validateCategory(ref.task, site, resourceNames)
    validateReferences(ref.task, site, dag.commonMapping ?? {})
  }
}

function validateCategory(task: Task, site: Site, resourceNames: ReadonlySet<string>): void {
  switch (task.category) {
    case 'function':
      return validateFunction(task, site, resourceNames)
    case 'foreach':
      if (!task.iterationMapping?.collection?.trim()) fail(site, 'foreach requires iterationMapping.collection', ['iterationMapping', 'collection'])
      if (task.tasks.length === 0) fail(site, 'foreach requires a non-empty tasks list', ['tasks'])
      return
    case 'choice':
      if (task.choices.length === 0) fail(site, 'choice requires a non-empty choices list', ['choices'])
      task.choices.forEach((choice, i) => {
        if (choice.tasks.length === 0) fail(site, `choices[${i}] requires a non-empty tasks list`, ['choices', i, 'tasks'])
      })
      return
    case 'switch':
      if (task.switches.length === 0) fail(site, 'switch requires a non-empty switches list', ['switches'])
      return
    default:
      return
  }
}

function validateFunction(task: FunctionTask, site: Site, resourceNames: ReadonlySet<string>): void {
  if (!(FUNCTION_PATTERNS as readonly string[]).includes(task.pattern)) {
    fail(site, `pattern "${String(task.pattern)}" is not one of ${FUNCTION_PATTERNS.join(', ')}`, ['pattern'])
  }
  if (task.resource) return
  const protocol = task.resourceProtocol?.trim() ? task.resourceProtocol : undefined
  const resourceName = task.resourceName?.trim() ? task.resourceName : protocol && `${protocol}${SCHEME_CONNECTOR}`
  if (!resourceName) fail(site, 'function requires resourceName, resourceProtocol or resource', ['resourceName'])
  const parts = resourceName.split(SCHEME_CONNECTOR)
  if (parts.length === 2 && parts[0] === 'resource' && !resourceNames.has(parts[1] ?? '')) {
    const field = task.resourceName ? 'resourceName' : 'resourceProtocol'
    fail(site, `resource "${parts[1]}" is not declared in the top-level resources`, [field])
  }
}

/** A mapping's `reference` must name a non-empty commonMapping list. */
function validateReferences(task: Task, site: Site, common: Record<string, Mapping[]>): void {
  const lists: ['inputMappings' | 'outputMappings', Mapping[] | undefined][] = [
    ['inputMappings', task.inputMappings],
    ['outputMappings', task.outputMappings],
  ]
  for (const [key, mappings] of lists) {
    mappings?.forEach((mapping, i) => {
      const ref = mapping.reference
      if (ref !== undefined && !(Object.hasOwn(common, ref) && (common[ref]?.length ?? 0) > 0)) {
        fail(site, `mapping reference "${ref}" is not defined in commonMapping`, [key, i, 'reference'])
      }
    })
  }
}
