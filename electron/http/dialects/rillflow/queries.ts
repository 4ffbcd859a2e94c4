import { BODY_LIMITS } from '../../body-limits'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { invalid } from '../../../../shared/errors'
import type { WorkflowService } from '../../../workflows/rillflow/service'
import { DescriptorError } from '../../../workflows/rillflow/descriptor'
import { readMapping } from '../../../workflows/rillflow/descriptor/parts'
import { applyMappings, MappingError, type Mapping } from '../../../workflows/rillflow/mappings'
import { mappingHooks } from '../../../workflows/rillflow/runtime/context'
import { DAG_STATUS_VALUE, statusesOfValue } from './mappers'
import { JAVA_INT, JAVA_LONG, queryInteger } from '../../query'
import { hiddenFrom, jsonBody, params } from './request'
import { executionNotFound } from '../../../workflows/rillflow/runtime/names'

/**
 * redo, task_degrade, mapping dry runs and the execution listings of the Rill Flow API. Access to an
 * execution is checked for every route in routes.ts; `ownerOf` limits the listings to the caller's own.
 */
export function registerRillQueries(scope: FastifyInstance, workflows: WorkflowService, ownerOf: (req: FastifyRequest) => string | undefined): void {
  scope.post('/flow/redo.json', { bodyLimit: BODY_LIMITS.content }, async (req) => {
    const q = params(req)
    workflows.redo(q.execution_id, q.task_names, jsonBody(req))
    return { result: 'ok' }
  })
  // PR #65 upstream; note the answer's own shape: {code, message} with string codes
  scope.post('/flow/complete_dag.json', async (req) => {
    const q = params(req)
    try {
      if (hiddenFrom(req, workflows.execution(q.execution_id, 'none', 'text').job)) throw executionNotFound(q.execution_id)
      return { code: '0', message: workflows.complete(q.execution_id, q.success !== 'false') ? 'ok' : 'failed' }
    } catch (e) {
      if ((e as { code?: string }).code === 'execution_not_found') return { code: '-1', message: `executionId not found ${String(q.execution_id)}` }
      throw e
    }
  })
  scope.post('/flow/task_degrade.json', async (req) => {
    const q = params(req)
    workflows.degrade(q.execution_id, q.task_name, q.degrade_current_task === 'true', q.degrade_following_tasks === 'true')
    return { result: 'ok' }
  })
  scope.get('/flow/get_execution_ids.json', async (req) => {
    const q = params(req)
    const type = q.type ?? 'succeed'
    const statuses = statusesOfValue(type)
    if (!statuses) throw invalid('invalid_request', `type must be one of ${Object.keys(DAG_STATUS_VALUE).join(', ')}`, 'type')
    const page = queryInteger(q.page, 'page', POSITIVE_INT, 1)
    const count = queryInteger(q.count, 'count', POSITIVE_INT, 20)
    if (count > 100) throw invalid('descriptor_id_format', 'count too big', 'count')
    const time = queryInteger(q.time, 'time', JAVA_LONG, Date.now())
    const ids = workflows.executionIds(q.service_id, statuses, time + 1, page, count + 1, ownerOf(req))
    return {
      execution_ids: ids.slice(0, count).map((e) => ({ execution_id: e.id, submit_time: e.submitTime })),
      type,
      cursor_time: time,
      current_page: page,
      next_page_available: ids.length > count,
    }
  })
  // A dry run of mappings: the rules applied to the given context/input/output, nothing stored. The
  // rules are one pass, with one budget (value-budget.ts PassBudget): a rule with `tolerance: false`
  // that fails, or the rule that runs the pass out of budget, is a 400 naming it.
  scope.post('/flow/mapping_evaluation.json', { bodyLimit: BODY_LIMITS.content }, async (req) => {
    const body = jsonBody(req) ?? {}
    const rules = body.mappings ?? body.rules
    if (!Array.isArray(rules)) throw invalid('bad_json', 'body.mappings must be a list of {source, target, transform?}', 'mappings')
    const bad = rules.findIndex((r) => !r || typeof r !== 'object' || Array.isArray(r))
    if (bad >= 0) throw invalid('bad_json', `body.mappings[${bad}] must be an object {source, target, transform?}`, `mappings[${bad}]`)
    const root = { context: objectOf(body.context), input: objectOf(body.input), output: objectOf(body.output) }
    const mappings = mappingRules(rules)
    try {
      applyMappings(mappings, root, mappingHooks(() => ''))
    } catch (e) {
      if (!(e instanceof MappingError)) throw e
      const at = mappings.indexOf(e.mapping)
      const field = at >= 0 ? `mappings[${at}]` : 'mappings'
      throw invalid('bad_mapping', `${field}: ${e.message}`, field)
    }
    return root
  })
  scope.get('/flow/get_execution_count.json', async (req) => {
    const q = params(req)
    const now = Date.now()
    const from = now - queryInteger(q.start_time_offset, 'start_time_offset', JAVA_INT, 60 * 24) * 60_000
    const dag: Record<string, number> = {}
    for (const [value, statuses] of Object.entries(DAG_STATUS_VALUE)) {
      if (q.type ? q.type !== value : statuses.length === 0) continue // key_succeed (never, in JobDesk) only when asked
      dag[value] = workflows.executionCount(q.service_id, statuses, from, now + 1, ownerOf(req))
    }
    return { dag, code: {}, collect_time: now }
  })
}

const POSITIVE_INT = { min: 1, max: JAVA_INT.max }

/** Each rule read as a descriptor's mapping is (typed fields), so a bad one is named rather than an internal error. */
function mappingRules(rules: unknown[]): Mapping[] {
  return rules.map((rule, i) => {
    try {
      return readMapping(rule, { path: [] }, [])
    } catch (e) {
      if (e instanceof DescriptorError) throw invalid('bad_json', `mappings[${i}]: ${e.message}`, `mappings[${i}]`)
      throw e
    }
  })
}

const objectOf = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? structuredClone(v as Record<string, unknown>) : {})
