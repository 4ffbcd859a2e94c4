import { BODY_LIMITS } from '../../body-limits'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { invalid } from '../../../../shared/errors'
import type { WorkflowService } from '../../../workflows/rillflow/service'
import { DAG_STATUS_VALUE, statusesOfValue } from './mappers'
import { JAVA_INT, JAVA_LONG, queryInteger } from '../../query'
import { hiddenFrom, params, readJsonBody } from './request'
import { evaluateMappings } from '../../../services/mapping-evaluator'
import { bodyOwner } from '../../body-rate'
import { untilHangUp } from '../../hang-up'
import { executionNotFound } from '../../../workflows/rillflow/runtime/names'
import { jsonShapeOf, type JsonShape } from '../../../../shared/json-limits'
import { heldJsonWeight } from '../../../../shared/quotas'
import type { ContextPatchWeight } from '../../../engine/engine'

/**
 * What a redo's context patch weighs in held work (engine ContextPatchWeight): the body's characters, and
 * what its weight by shape (shared/quotas.ts heldJsonWeight) passes them. A long body's shape was counted
 * as it was parsed (`shape`); a short one (at most 64 kB) is scanned here.
 */
function patchWeight(raw: unknown, value: Record<string, unknown>, shape: JsonShape | undefined): ContextPatchWeight {
  const text = typeof raw === 'string' ? raw : JSON.stringify(value)
  const chars = text.length
  return { chars, extra: Math.max(0, heldJsonWeight(chars, shape ?? jsonShapeOf(text)) - chars) }
}

/**
 * redo, task_degrade, mapping dry runs and the execution listings of the Rill Flow API. Access to an
 * execution is checked for every route in routes.ts; `ownerOf` limits the listings to the caller's own.
 */
export function registerRillQueries(scope: FastifyInstance, workflows: WorkflowService, ownerOf: (req: FastifyRequest) => string | undefined): void {
  scope.post('/flow/redo.json', { bodyLimit: BODY_LIMITS.content }, async (req) => {
    const q = params(req)
    const body = await readJsonBody(req)
    workflows.redo(q.execution_id, q.task_names, body.value, body.value === undefined ? undefined : patchWeight(req.body, body.value, body.shape))
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
  // A dry run of mappings (mapping-evaluation.ts), nothing stored: a long body is answered in a worker
  // thread (services/mapping-evaluator.ts); the answer's JSON text is sent as it is.
  // A long body on its caller's fair share of the workers (bodyOwner), out of their line when the client hangs up.
  scope.post('/flow/mapping_evaluation.json', { bodyLimit: BODY_LIMITS.content }, async (req, reply) => {
    const json = await untilHangUp(reply, (signal) => evaluateMappings(typeof req.body === 'string' ? req.body : '', { owner: bodyOwner(req), signal }))
    return reply.type('application/json; charset=utf-8').send(json)
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
