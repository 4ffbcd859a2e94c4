import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { AppError, isAppError, type ErrorBody } from '../../../shared/errors'

/** Turns fastify's schema-validation error into one that names the offending field. */
export function fromValidation(err: FastifyError): AppError {
  const first = err.validation?.[0]
  const params = (first?.params ?? {}) as { missingProperty?: string }
  const path = (first?.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.')
  const field = params.missingProperty ?? (path || undefined)
  const where = err.validationContext ?? 'request'
  const message = field ? `${where} field "${field}" ${first?.message ?? 'is invalid'}` : `${where} ${first?.message ?? 'is invalid'}`
  return new AppError('invalid', 'invalid_request', message, { field })
}

/** The one place a thrown error becomes a native API response: `{ error: { kind, code, message, field? } }`. */
export function toAppError(err: unknown): AppError {
  if (isAppError(err)) return err
  const fe = err as FastifyError
  if (fe?.validation) return fromValidation(fe)
  if (fe?.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return new AppError('invalid', 'bad_content_type', fe.message)
  if (fe?.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || fe?.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || fe?.statusCode === 400) {
    return new AppError('invalid', 'bad_body', fe.message)
  }
  if (fe?.statusCode === 413) return new AppError('too_large', 'too_large', fe.message)
  if (fe?.statusCode === 404) return new AppError('not_found', 'no_route', fe.message)
  return new AppError('internal', 'internal', 'internal error; see the JobDesk log')
}

export function sendError(err: unknown, req: FastifyRequest, reply: FastifyReply): FastifyReply {
  const e = toAppError(err)
  if (e.kind === 'internal') req.log.error({ err }, 'unexpected error')
  if (e.kind === 'unauthenticated') reply.header('www-authenticate', 'Bearer')
  if (e.retryAfterSeconds !== undefined) reply.header('retry-after', String(e.retryAfterSeconds))
  return reply.code(e.httpStatus).send({ error: e.toBody() satisfies ErrorBody })
}
