// Rill Flow's runtime names (rillflow.md §2.4, §4.2): execution ids `ws:dag_c_<uuid>`,
// group routes `<parent>_<i>`, sub-task names `<route>-<base>`, sub-context keys `__<route>`.

import { invalid } from '../../../../shared/errors'

const CONNECTOR = '_c_'
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export const formatExecutionId = (workspace: string, dagName: string, uuid: string): string => `${workspace}:${dagName}${CONNECTOR}${uuid}`

/** The job uuid inside an execution id; a clear error naming the parameter otherwise. */
export function uuidOfExecutionId(executionId: unknown): string {
  const text = typeof executionId === 'string' ? executionId.trim() : ''
  const at = text.lastIndexOf(CONNECTOR)
  const uuid = at === -1 ? '' : text.slice(at + CONNECTOR.length)
  if (!text.includes(':') || !UUID.test(uuid)) {
    throw invalid('bad_execution_id', `execution_id "${text}" is not of the form workspace:dagName_c_<uuid>`, 'execution_id')
  }
  return uuid.toLowerCase()
}

export const routeName = (parent: string, group: number): string => `${parent}_${group}`
export const subTaskName = (route: string | null, base: string): string => (route ? `${route}-${base}` : base)
export const subContextKey = (route: string): string => `__${route}`

/** `foreachNode_0` → { parent: 'foreachNode', group: 0 }; nested routes keep their prefix in `parent`. */
export function parseRoute(route: string): { parent: string; group: number } {
  const at = route.lastIndexOf('_')
  return { parent: route.slice(0, at), group: Number(route.slice(at + 1)) }
}

/** The name a task has in its own level: `outer_1-inner_0-leaf` → `leaf`. */
export const baseName = (name: string): string => name.slice(name.lastIndexOf('-') + 1)
