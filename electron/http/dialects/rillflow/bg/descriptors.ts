// The console's view of descriptors (BgController): the definitions list, the business options and
// one descriptor as JSON for the flow-graph editor. Upstream shares descriptors; in JobDesk a workflow
// is its owner's and admins' (workflows/rillflow/ownership.ts), so a user sees their own.

import type { FastifyInstance } from 'fastify'
import type { DefinitionRecord } from '../../../../store/workflow.repository'
import { badDescriptor, DescriptorError, formatDescriptorId, parseDescriptor, type Dag } from '../../../../workflows/rillflow/descriptor'
import type { WorkflowService } from '../../../../workflows/rillflow/service'
import { params } from '../request'
import { CONSOLE_ROUTE } from '../session'
import { consolePage, given, requiredParam } from './paging'
import { signedIn } from './user'

/** One row of the definitions list (DAGRecord): an alias of a descriptor and the version it points at. */
export interface DefinitionRow {
  business_id: string
  feature_id: string
  alias: string
  descriptor_id: string
  /** When the descriptor's first version was stored (epoch ms). */
  create_time: number
  /** When the version the alias points at was stored (epoch ms). */
  update_time: number
}

/** A definitions row from the store's (workflow repository `definitions`). */
export const definitionRow = (d: DefinitionRecord): DefinitionRow => ({
  business_id: d.workspace,
  feature_id: d.name,
  alias: d.alias,
  descriptor_id: formatDescriptorId(d.workspace, d.name, d.version),
  create_time: d.createdAt,
  update_time: d.updatedAt,
})

/**
 * A descriptor as the flow-graph editor reads it (DAGDescriptorFacade.getDescriptor): the DAG as
 * written (Jackson names: `dagName`, `inputSchema` as its JSON text), with `tasks` turned into
 * `{<name>: {task, next: [names]}}` and each task's `resourceProtocol` derived from its resourceName.
 * Throws invalid `bad_descriptor` (naming the field and line) when the stored text no longer passes the
 * descriptor rules.
 */
export function descriptorForEditor(source: string): Record<string, unknown> {
  let dag: Dag
  try {
    dag = parseDescriptor(source) // as written, before the input rewrite
  } catch (e) {
    // valid when stored, but a rule added since may refuse it (a reserved task name): say which, as add_descriptor would
    if (e instanceof DescriptorError) throw badDescriptor(e)
    throw e
  }
  const tasks: Record<string, { task: unknown; next: string[] }> = {}
  for (const task of dag.tasks) {
    const shown: Record<string, unknown> = { ...task }
    const scheme = typeof shown.resourceName === 'string' ? /^([a-zA-Z][\w+.-]*):\/\//.exec(shown.resourceName)?.[1] : undefined
    if (!shown.resourceProtocol && scheme) shown.resourceProtocol = scheme
    tasks[task.name] = { task: shown, next: task.next ? task.next.split(',').map((n) => n.trim()).filter(Boolean) : [] }
  }
  return { ...dag, tasks }
}

export function registerConsoleDescriptorRoutes(scope: FastifyInstance, workflows: WorkflowService): void {
  scope.get('/flow/bg/get_descriptor_ids.json', CONSOLE_ROUTE, async (req) => {
    const q = params(req)
    const page = consolePage(q)
    const caller = signedIn(req)
    // filtered, ordered and paged in SQL: a page costs what its rows cost, however many workflows there are (#9 §2, atk11)
    const { items, total } = workflows.definitions(caller, { workspace: given(q.business), name: given(q.feature) }, { limit: page.pageSize, offset: page.offset })
    return { items: items.map(definitionRow), total }
  })
  scope.get('/flow/bg/get_business_options.json', CONSOLE_ROUTE, async (req) => ({
    business_ids: workflows.workspaces(signedIn(req)).map((id) => ({ id, name: id })),
  }))
  scope.get('/flow/bg/get_descriptor.json', CONSOLE_ROUTE, async (req) => {
    // malformed → 400 30109, another's → 403, unknown → 400 30106
    const wf = workflows.resolve(requiredParam(params(req), 'id'), signedIn(req))
    return { data: descriptorForEditor(wf.source), message: '', success: true }
  })
}
