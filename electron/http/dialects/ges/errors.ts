// GES error bodies: the v2 management plane answers `{"error_code": "GES.xxxx", "error_msg": …}`,
// the v1.0 management plane and the data plane (`/ges/v1.0/…`) `{"errorCode", "errorMessage"}`
// (reference/jobapis.md §C). Signature and token failures are API Gateway's, answered before GES
// sees the request: APIGW.0301 in the gateway's snake_case body on every path, v1.0 included (the
// SDKs read `error_code`/`error_msg`, or `errorCode`/`errorMsg`, so a v1.0 `errorMessage` body
// would reach them as a bare status). One table maps JobDesk's error codes to GES's.
import { randomUUID } from 'node:crypto'
import { STATUS_CODES } from 'node:http'
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import type { AppError } from '../../../../shared/errors'
import { toAppError } from '../../native/errors'
import { failureOf } from '../../../graph/errors'
import type { JobStatus } from '../../../../shared/status'

/** A GES error with its code; `http` defaults by kind. */
export class GesError extends Error {
  constructor(
    readonly http: number,
    readonly gesCode: string,
    message: string,
  ) {
    super(message)
    this.name = 'GesError'
  }
}

/** GES codes: invalid parameter, unknown graph, unknown job, nothing to cancel, auth, forbidden, internal. */
export const GES_CODES = {
  badRequest: 'GES.8000',
  graphNotFound: 'GES.7000',
  jobNotFound: 'GES.8011',
  cannotCancel: 'GES.8303',
  unauthorized: 'APIGW.0301',
  forbidden: 'GES.8014',
  internal: 'GES.9999',
} as const

export const isDataPlane = (path: string): boolean => path.startsWith('/ges/')
export const isV2 = (path: string): boolean => path.startsWith('/v2/')
/** The IAM-style token call's paths (`POST /v3/auth/tokens`), answered in Keystone's envelope. */
export const IAM_PREFIX = '/v3/auth/'

/** Paths the GES dialect answers (for the root error envelope). */
export const isGesPath = (path: string): boolean => /^\/(v2|v1\.0)\//.test(path) || path.startsWith(IAM_PREFIX) || path.startsWith('/ges/v1.0/')

/** The GES code of a refused request's JobDesk error (its kind and code). */
function requestCode(e: { kind: string; code: string }): string {
  if (e.code === 'graph_not_found') return GES_CODES.graphNotFound
  // a path naming no file is a bad parameter (404 all the same, as the native import answers it), not GES.8011's unknown job
  if (e.code === 'file_not_found') return GES_CODES.badRequest
  switch (e.kind) {
    case 'unauthenticated':
      return GES_CODES.unauthorized
    case 'forbidden':
      return GES_CODES.forbidden
    case 'not_found':
      return GES_CODES.jobNotFound
    case 'internal':
      return GES_CODES.internal
    default:
      return GES_CODES.badRequest
  }
}

/** Error kinds that say a job's input was wrong (a parameter, a file, a label, a value), not the server. */
const INPUT_KINDS: ReadonlySet<string> = new Set(['invalid', 'not_found', 'conflict', 'too_large', 'forbidden'])

/**
 * A finished job's GES errorCode, the one place it is made (data-plane and v1.0 job status): null
 * unless the job ended failed, cancelled or timed out. Then, from the cause its task kept
 * (graph/errors.ts failureOf), the document's codes: GES.7000 its graph is gone, GES.8000 its input
 * was wrong (a parameter, a vertex not in the graph, a bad file, a label not found); else GES.9999,
 * the code GES's document gives a failed request (`{"error_msg": "failed", "error_code":
 * "GES.9999"}`): cancelled, timed out, or failed without a known cause. GES documents no code per
 * failed job, so these are the nearest of its documented codes.
 */
export function failedJobCode(status: JobStatus, taskOutput: unknown): string | null {
  if (status !== 'failed' && status !== 'cancelled' && status !== 'timed_out') return null
  const cause = status === 'failed' ? failureOf(taskOutput) : undefined
  if (cause?.code === 'graph_not_found') return GES_CODES.graphNotFound
  return cause && INPUT_KINDS.has(cause.kind) ? GES_CODES.badRequest : GES_CODES.internal
}

function toGesError(err: unknown): GesError {
  if (err instanceof GesError) return err
  const e: AppError = toAppError(err as FastifyError)
  const code = requestCode(e)
  const http = e.kind === 'internal' ? 500 : e.kind === 'unauthenticated' ? 401 : e.kind === 'forbidden' ? 403 : e.kind === 'not_found' ? 404 : e.kind === 'unavailable' ? 503 : e.kind === 'too_large' ? 413 : 400
  const where = e.field ? ` (${e.field})` : ''
  return new GesError(http, code, e.kind === 'internal' ? 'internal error' : `${e.message}${e.message.includes(e.field ?? '\0') ? '' : where}`)
}

/** Keystone's error body, as IAM answers a refused token request: `{error: {code, title, message}}` (title: the status's reason phrase). */
export const iamErrorBody = (code: number, message: string): { error: { code: number; title: string; message: string } } => ({
  error: { code, title: STATUS_CODES[code] ?? 'Error', message },
})

/**
 * The body of an error for a path: Keystone's under /v3/auth/ (iamErrorBody), snake_case under /v2/, camelCase elsewhere; API Gateway's
 * authentication failures (APIGW.*) always `{error_code, error_msg, request_id}`, as the gateway
 * answers them for every service and version.
 */
export function gesErrorBody(path: string, e: GesError, requestId = ''): Record<string, unknown> {
  // the IAM token call is Keystone's, whatever refused it (its handler, or a body over its limit before it ran)
  if (path.startsWith(IAM_PREFIX)) return iamErrorBody(e.http, e.message)
  if (e.gesCode.startsWith('APIGW.')) return { error_code: e.gesCode, error_msg: e.message, request_id: requestId }
  return isV2(path) ? { error_code: e.gesCode, error_msg: e.message } : { errorMessage: e.message, errorCode: e.gesCode }
}

/**
 * Sends a GES error. Authentication failures carry a gateway request id (32 hex) in the body and in
 * `X-Request-Id`, where the SDKs read it into their exception's request_id.
 */
export function sendGesError(err: unknown, req: FastifyRequest, reply: FastifyReply): FastifyReply {
  const e = toGesError(err)
  if (e.http >= 500) req.log.error({ err }, 'unexpected error')
  const requestId = randomUUID().replace(/-/g, '')
  if (e.gesCode.startsWith('APIGW.')) reply.header('X-Request-Id', requestId)
  const retry = err instanceof GesError ? undefined : toAppError(err).retryAfterSeconds
  if (retry !== undefined) reply.header('retry-after', String(retry))
  return reply.code(e.http).send(gesErrorBody(req.url.split('?')[0], e, requestId))
}

export const badRequest = (message: string): GesError => new GesError(400, GES_CODES.badRequest, message)
export const unauthorized = (message: string): GesError => new GesError(401, GES_CODES.unauthorized, `Incorrect IAM authentication information: ${message}`)
