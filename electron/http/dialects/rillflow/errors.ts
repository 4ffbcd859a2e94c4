import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import type { AppError } from '../../../../shared/errors'
import { DUPLICATE_COOKIE } from '../../cookies'
import { toAppError } from '../../native/errors'
import { QUOTA_CODES, StateTooLarge } from '../../../../shared/quotas'

/**
 * Rill Flow's error body (WebExceptionHandler + HttpResponse): `{"error_code": int, "error": str}`,
 * with `"pass_through": true` for 30107/30109/30110. The HTTP status follows the kind of
 * exception upstream raises: service errors 400, engine errors 500, request binding errors 422.
 */
const BY_CODE: Record<string, [http: number, code: number]> = {
  bad_descriptor: [400, 30110],
  descriptor_id_format: [400, 30109],
  bad_alias: [400, 30109],
  descriptor_not_found: [400, 30106],
  // a name with no stored version (modify_gray.json): as upstream answers a descriptor it does not have
  workflow_not_found: [400, 30106],
  bad_gray_rule: [400, 30109],
  gray_rule_too_long: [400, 30110],
  too_many_gray_rules: [400, 30110],
  // a user's workflows, or a workflow's versions, at their bound (shared/workflow-limits.ts): as upstream's descriptor limits (#48)
  too_many_workflows: [400, 30110],
  too_many_versions: [400, 30110],
  too_many_aliases: [400, 30110],
  bad_execution_id: [400, 30109],
  bad_json: [422, 30109],
  bad_mapping: [400, 30109],
  bad_body: [422, 30109],
  bad_context: [400, 30109],
  missing_param: [422, 30109],
  invalid_request: [422, 30109],
  bad_group_index: [422, 30109],
  // request binding errors of JobDesk's boundary (query, numbers, JSON depth), as Spring's binding errors
  bad_query: [422, 30109],
  repeated_parameter: [422, 30109],
  bad_number: [422, 30109],
  too_deep: [422, 30109],
  execution_not_found: [500, 30605],
  execution_finished: [500, 30601],
  task_not_found: [500, 30601],
  wrong_task: [500, 30601],
  // a wakeup or a callback whose mapped context would pass a bound (quotas.ts StateTooLarge): upstream's ContextDAO.checkContextLength,
  // a StorageException CONTEXT_LENGTH_LIMITATION (30500 + 7) that WebExceptionHandler.handleDAGException answers 500
  [QUOTA_CODES.stateGrowth]: [500, 30507],
  task_not_waiting: [500, 30601],
  unauthenticated: [401, 30104],
  no_session: [401, 30104],
  [DUPLICATE_COOKIE]: [401, 30104],
  bad_credentials: [401, 30104],
  missing_username: [400, 30109],
  missing_password: [400, 30109],
  bad_origin: [403, 30108],
  not_your_workflow: [403, 30108],
  bad_host: [403, 30108],
  cross_site_request: [403, 30108],
}
const PASS_THROUGH = new Set([30107, 30109, 30110])

/** Where the Rill Flow API lives; every path under these answers in its error body. */
export const RILL_PREFIXES = ['/flow/', '/2/flow/'] as const

export function rillErrorBody(e: AppError): { http: number; body: Record<string, unknown> } {
  const [http, code] = BY_CODE[e.code] ?? (e.kind === 'internal' ? [500, 30101] : [e.httpStatus, 30101])
  // upstream's words first ("content length:%s exceed the limit"), then JobDesk's, which name the bound;
  // a refusal with no length (a context nested too deep) leaves the number out, where it said 0
  const length = e instanceof StateTooLarge && e.bytes > 0 ? `content length:${e.bytes}` : 'content'
  const message = e instanceof StateTooLarge ? `${length} exceed the limit: ${e.message}` : e.message
  const body: Record<string, unknown> = { error_code: code, error: e.kind === 'internal' ? 'internal server error' : message }
  if (PASS_THROUGH.has(code)) body.pass_through = true
  return { http, body }
}

export function sendRillError(err: unknown, req: FastifyRequest, reply: FastifyReply): FastifyReply {
  const e = toAppError(err as FastifyError)
  if (e.kind === 'internal') req.log.error({ err }, 'unexpected error')
  const { http, body } = rillErrorBody(e)
  if (e.retryAfterSeconds !== undefined) reply.header('retry-after', String(e.retryAfterSeconds))
  return reply.code(http).send(body)
}
