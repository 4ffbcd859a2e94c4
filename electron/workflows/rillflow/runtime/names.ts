// Rill Flow's runtime names (rillflow.md §2.4, §4.2): execution ids `ws:dag_c_<uuid>`,
// group routes `<parent>_<i>`, sub-task names `<route>-<base>`, sub-context keys `__<route>`.

import { AppError, invalid } from '../../../../shared/errors'

const CONNECTOR = '_c_'
// lower case, as formatExecutionId writes it: upstream keys executions by the id's exact text
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

export const formatExecutionId = (workspace: string, dagName: string, uuid: string): string => `${workspace}:${dagName}${CONNECTOR}${uuid}`

/**
 * The execution id of a Rill Flow job from its own columns: its name (`workspace:dagName`, as the
 * service names an execution's job) and uuid; what its `executionId` label says, without reading
 * its labels (a job stored before the labels' bounds may have megabytes of them).
 */
export const executionIdOfJob = (job: { name: string; uuid: string }): string => `${job.name}${CONNECTOR}${job.uuid}`

/** The job uuid inside an execution id; a clear error naming the parameter otherwise. */
export function uuidOfExecutionId(executionId: unknown): string {
  const text = typeof executionId === 'string' ? executionId : ''
  const at = text.lastIndexOf(CONNECTOR)
  const uuid = at === -1 ? '' : text.slice(at + CONNECTOR.length)
  if (!text.includes(':') || !UUID.test(uuid)) {
    throw invalid('bad_execution_id', `execution_id ${JSON.stringify(text.slice(0, 200))} is not of the form workspace:dagName_c_<uuid>`, 'execution_id')
  }
  return uuid
}

/**
 * Rill Flow's answer to an execution id that names no execution (500, 30605 upstream): also its answer
 * to another user's, which must not be told from none (#9 §3).
 */
export const executionNotFound = (executionId: unknown): AppError =>
  new AppError('not_found', 'execution_not_found', `validateDAGInfo dag executionId:${String(executionId).slice(0, 200)} not found`, { field: 'execution_id' })

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
