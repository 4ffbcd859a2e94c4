import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { toAppError } from '../../native/errors'

/**
 * Rill Flow's error body. Upstream's exception handler answers with an HTTP status and a JSON body
 * carrying the error code and message; clients read `error_code`/`error_msg`.
 */
export function sendRillError(err: unknown, req: FastifyRequest, reply: FastifyReply): FastifyReply {
  const e = toAppError(err as FastifyError)
  if (e.kind === 'internal') req.log.error({ err }, 'unexpected error')
  const body: Record<string, unknown> = { error_code: e.code, error_msg: e.message }
  if (e.field) body.field = e.field
  if (e.line !== undefined) body.line = e.line
  return reply.code(e.httpStatus).send(body)
}
