// GES error bodies: the v2 management plane answers `{"error_code": "GES.xxxx", "error_msg": …}`,
// the v1.0 management plane and the data plane (`/ges/v1.0/…`) `{"errorCode", "errorMessage"}`
// (reference/jobapis.md §C). Signature and token failures are API Gateway's, answered before GES
// sees the request: APIGW.0301 in the gateway's snake_case body on every path, v1.0 included (the
// SDKs read `error_code`/`error_msg`, or `errorCode`/`errorMsg`, so a v1.0 `errorMessage` body
// would reach them as a bare status). One table maps JobDesk's error codes to GES's.
import { randomUUID } from 'node:crypto'
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import type { AppError } from '../../../../shared/errors'
import { toAppError } from '../../native/errors'

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
/** Paths the GES dialect answers (for the root error envelope). */
export const isGesPath = (path: string): boolean => /^\/(v2|v1\.0|v3\/auth)\//.test(path) || path.startsWith('/ges/v1.0/')

function toGesError(err: unknown): GesError {
  if (err instanceof GesError) return err
  const e: AppError = toAppError(err as FastifyError)
  const code =
    e.code === 'graph_not_found'
      ? GES_CODES.graphNotFound
      : e.kind === 'unauthenticated'
        ? GES_CODES.unauthorized
        : e.kind === 'forbidden'
          ? GES_CODES.forbidden
          : e.kind === 'not_found'
            ? GES_CODES.jobNotFound
            : e.kind === 'internal'
              ? GES_CODES.internal
              : GES_CODES.badRequest
  const http = e.kind === 'internal' ? 500 : e.kind === 'unauthenticated' ? 401 : e.kind === 'forbidden' ? 403 : e.kind === 'not_found' ? 404 : e.kind === 'unavailable' ? 503 : e.kind === 'too_large' ? 413 : 400
  const where = e.field ? ` (${e.field})` : ''
  return new GesError(http, code, e.kind === 'internal' ? 'internal error' : `${e.message}${e.message.includes(e.field ?? '\0') ? '' : where}`)
}

/**
 * The body of an error for a path: snake_case under /v2/, camelCase elsewhere; API Gateway's
 * authentication failures (APIGW.*) always `{error_code, error_msg, request_id}`, as the gateway
 * answers them for every service and version.
 */
export function gesErrorBody(path: string, e: GesError, requestId = ''): Record<string, unknown> {
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
  return reply.code(e.http).send(gesErrorBody(req.url.split('?')[0], e, requestId))
}

export const badRequest = (message: string): GesError => new GesError(400, GES_CODES.badRequest, message)
export const unauthorized = (message: string): GesError => new GesError(401, GES_CODES.unauthorized, `Incorrect IAM authentication information: ${message}`)
