import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { AppError, isAppError, type ErrorBody, type ErrorKind } from '../../../shared/errors'

/** Turns fastify's schema-validation error into one that names the offending field. */
export function fromValidation(err: FastifyError): AppError {
  const first = err.validation?.[0]
  const params = (first?.params ?? {}) as { missingProperty?: string }
  const path = (first?.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.')
  // a property missing from a nested object is named by its whole path (expect.updatedAt)
  const field = params.missingProperty ? [path, params.missingProperty].filter(Boolean).join('.') : path || undefined
  const where = err.validationContext ?? 'request'
  const message = field ? `${where} field "${field}" ${first?.message ?? 'is invalid'}` : `${where} ${first?.message ?? 'is invalid'}`
  return new AppError('invalid', 'invalid_request', message, { field })
}

/**
 * Errors fastify raises itself, before a handler runs, by their code: the kind, our code and the
 * part of the request at fault. Other 4xx errors of fastify's become `invalid`.
 */
const FASTIFY_ERRORS: Record<string, [kind: ErrorKind, code: string, field: string]> = {
  FST_ERR_CTP_BODY_TOO_LARGE: ['too_large', 'too_large', 'body'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: ['unsupported_media_type', 'bad_content_type', 'content-type'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: ['invalid', 'bad_body', 'content-length'],
  FST_ERR_CTP_EMPTY_JSON_BODY: ['invalid', 'bad_body', 'body'],
  FST_ERR_CTP_INVALID_JSON_BODY: ['invalid', 'bad_body', 'body'],
  FST_ERR_BAD_URL: ['invalid', 'bad_url', 'url'],
  FST_ERR_MAX_PARAM_LENGTH: ['invalid', 'bad_url', 'url'],
}

/** The one place a thrown error becomes an AppError: ours as they are, fastify's by code and status, anything else `internal`. */
export function toAppError(err: unknown): AppError {
  if (isAppError(err)) return err
  const fe = err as FastifyError
  if (fe?.validation) return fromValidation(fe)
  // only a client's value reflected into a header (a file name, a charset) makes Node refuse one
  if (fe?.code === 'ERR_INVALID_CHAR' || fe?.code === 'ERR_HTTP_INVALID_HEADER_VALUE') {
    return new AppError('invalid', 'bad_header_value', 'a parameter holds characters that cannot go into the answer’s headers (control characters or non-Latin-1 text)')
  }
  const known = typeof fe?.code === 'string' ? FASTIFY_ERRORS[fe.code] : undefined
  if (known) return new AppError(known[0], known[1], bodyMessage(fe), { field: known[2] })
  const status = typeof fe?.statusCode === 'number' ? fe.statusCode : 500
  if (status === 404) return new AppError('not_found', 'no_route', fe.message)
  if (status === 413) return new AppError('too_large', 'too_large', fe.message)
  if (status === 415) return new AppError('unsupported_media_type', 'bad_content_type', fe.message, { field: 'content-type' })
  // a SyntaxError from the JSON parser (bad JSON, a __proto__ key) carries 400
  if (status >= 400 && status < 500) return new AppError('invalid', 'bad_body', bodyMessage(fe), { field: 'body' })
  return new AppError('internal', 'internal', 'internal error; see the JobDesk log')
}

const bodyMessage = (fe: FastifyError): string => {
  if (fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return `${fe.message}: send application/json`
  if (fe instanceof SyntaxError) return `body is not valid JSON: ${fe.message}`
  return fe.message
}

export function sendError(err: unknown, req: FastifyRequest, reply: FastifyReply): FastifyReply {
  const e = toAppError(err)
  if (e.kind === 'internal') req.log.error({ err }, 'unexpected error')
  if (e.kind === 'unauthenticated') reply.header('www-authenticate', 'Bearer')
  if (e.retryAfterSeconds !== undefined) reply.header('retry-after', String(e.retryAfterSeconds))
  return reply.code(e.httpStatus).send({ error: e.toBody() satisfies ErrorBody })
}
