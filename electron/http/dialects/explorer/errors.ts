// NebulaGraph Explorer's envelope (reference/jobapis.md §B.2): `{"code": 0, "message": "Success",
// "data": …}` on success, `{"code": <8 digits>, "message": "<ErrName>: <what>"}` on failure. The
// first three digits of a code are the HTTP status sent with it (90004000 ErrUnknown goes as 500).
// One table maps JobDesk's error kinds to Explorer's codes.
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { ErrorKind } from '../../../../shared/errors'
import { isTryAgain, toAppError } from '../../native/errors'

/** Explorer's documented error codes, by name. */
export const EXPLORER_CODES = {
  ErrBadRequest: 40004000,
  ErrParam: 40004001,
  ErrUnauthorized: 40104000,
  ErrSession: 40104001,
  ErrForbidden: 40304000,
  ErrNotFound: 40404000,
  ErrInternalServer: 50004000,
  ErrInternalDatabase: 50004001,
  ErrInternalController: 50004002,
  ErrInternalLicense: 50004003,
  ErrUnknown: 90004000,
} as const
export type ExplorerErrorName = keyof typeof EXPLORER_CODES

/** Where Explorer's API lives; every path under it answers in this envelope. */
export const EXPLORER_PREFIX = '/api-open/'
export const isExplorerPath = (path: string): boolean => path.startsWith(EXPLORER_PREFIX)

/**
 * An error in Explorer's terms: `errName` (a key of EXPLORER_CODES), its numeric `code`
 * (HTTP status × 100,000 + detail, e.g. ErrParam 40004001) and the `httpStatus` it is sent with.
 */
export class ExplorerError extends Error {
  constructor(
    readonly errName: ExplorerErrorName,
    message: string,
  ) {
    super(message)
    this.name = 'ExplorerError'
  }

  get code(): number {
    return EXPLORER_CODES[this.errName]
  }

  /** The HTTP status: the code's first three digits (ErrUnknown's 900 is sent as 500). */
  get httpStatus(): number {
    const s = Math.floor(this.code / 100_000)
    return s >= 400 && s < 600 ? s : 500
  }
}

const NAME_OF_KIND: Record<ErrorKind, ExplorerErrorName> = {
  invalid: 'ErrParam',
  unauthenticated: 'ErrUnauthorized',
  forbidden: 'ErrForbidden',
  not_found: 'ErrNotFound',
  conflict: 'ErrBadRequest',
  too_large: 'ErrBadRequest',
  rate_limited: 'ErrUnauthorized',
  unsupported_media_type: 'ErrBadRequest',
  unavailable: 'ErrInternalServer',
  internal: 'ErrInternalServer',
}

/**
 * Any error as an ExplorerError: one already is kept; an AppError maps by kind (invalid → ErrParam,
 * forbidden → ErrForbidden, …) with its field appended; an internal or unknown error becomes
 * ErrInternalServer with no detail (the detail goes to the log). Never throws.
 */
export function toExplorerError(err: unknown): ExplorerError {
  if (err instanceof ExplorerError) return err
  const e = toAppError(err)
  if (e.kind === 'internal') return new ExplorerError('ErrInternalServer', 'internal error; see the JobDesk log')
  const where = e.field && !e.message.includes(e.field) ? ` (${e.field})` : ''
  return new ExplorerError(NAME_OF_KIND[e.kind], `${e.message}${where}`)
}

/** The body of a success: Explorer's envelope around `data`. */
export const success = <T>(data: T): { code: 0; message: 'Success'; data: T } => ({ code: 0, message: 'Success', data })

/**
 * Sends `err` in Explorer's envelope, `{code, message: '<errName>: <message>'}`, with the code's
 * HTTP status and Retry-After when the error has one; logs internal errors. Never throws.
 * Explorer documents no "unavailable" code (reference/jobapis.md §B.2), so a try-again error
 * (isTryAgain: starting, stopping, database_locked) keeps ErrInternalServer's code but goes with HTTP
 * 503 and its Retry-After: a client or proxy that reads the status retries; it is not logged as a bug.
 */
export function sendExplorerError(err: unknown, req: FastifyRequest, reply: FastifyReply): FastifyReply {
  const e = toExplorerError(err)
  const app = toAppError(err)
  const later = isTryAgain(app)
  if (e.errName === 'ErrInternalServer' && !later) req.log.error({ err }, 'unexpected error')
  if (app.retryAfterSeconds !== undefined) reply.header('retry-after', String(app.retryAfterSeconds))
  return reply.code(later ? 503 : e.httpStatus).send({ code: e.code, message: `${e.errName}: ${e.message}` })
}

export const badParam = (message: string): ExplorerError => new ExplorerError('ErrParam', message)
