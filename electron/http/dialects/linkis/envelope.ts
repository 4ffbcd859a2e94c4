// Linkis's Message envelope (linkis-module Message.scala): {method, status, message, data}, with the
// HTTP status following `status` (Message.messageToHttpStatus): 0→200, 1→400, -1→401, 2→412, 3→403, 4→206.

import type { FastifyReply, FastifyRequest } from 'fastify'
import { isAppError, type ErrorKind } from '../../../../shared/errors'
import { toAppError } from '../../native/errors'
import { jsonStream, JSON_TYPE } from '../../json-stream'
import type { RawJson } from '../../../store/raw-json'

export type LinkisStatus = 0 | 1 | -1 | 2 | 3 | 4

const HTTP_OF: Record<LinkisStatus, number> = { 0: 200, 1: 400, [-1]: 401, 2: 412, 3: 403, 4: 206 }

export interface LinkisMessage {
  method: string | null
  status: LinkisStatus
  message: string
  data: Record<string, unknown>
}

export function send(reply: FastifyReply, method: string, status: LinkisStatus, message: string, data: Record<string, unknown> = {}): FastifyReply {
  return reply.code(HTTP_OF[status]).send({ method, status, message, data } satisfies LinkisMessage)
}

export const ok = (reply: FastifyReply, method: string, message: string, data: Record<string, unknown> = {}) => send(reply, method, 0, message, data)

/**
 * A success whose data holds large strings (a log) as StreamedString and values known after them as
 * LateValue: the same bytes as `ok` with the finished values, written as they are read (json-stream.ts).
 * Check everything that can fail before calling it: once it streams, the status is sent.
 */
export function okStreamed(reply: FastifyReply, method: string, message: string, data: Record<string, unknown>): FastifyReply {
  return reply.code(HTTP_OF[0]).type(JSON_TYPE).send(jsonStream({ method, status: 0, message, data } satisfies LinkisMessage))
}

/** A success whose `data` is JSON text already built (a view a worker thread built), written as it is. */
export function okRaw(reply: FastifyReply, method: string, message: string, data: RawJson): FastifyReply {
  return reply.code(HTTP_OF[0]).type(JSON_TYPE).send(jsonStream({ method, status: 0, message, data }))
}

/** Where the Linkis API lives; every path under it answers in the Message envelope. */
export const LINKIS_PREFIX = '/api/rest_j/v1'

/**
 * A Linkis error: status 1 unless said otherwise, its message as Linkis words it. `httpStatus`
 * overrides the status's HTTP code for requests that never reach a Linkis handler upstream either
 * (no such route 404, body too large 413, unsupported media type 415: the gateway's own answers).
 */
export class LinkisError extends Error {
  constructor(
    message: string,
    readonly status: LinkisStatus = 1,
    readonly httpStatus?: number,
    /** Sent as Retry-After (s): the request may work then (a locked database). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message)
    this.name = 'LinkisError'
  }
}

/** Errors raised by Linkis services carry their code: `errCode: 20009 ,desc: … ,ip: … ,port: … ,serviceKind: …`. */
export function entranceError(code: number, desc: string, port: number): LinkisError {
  return new LinkisError(`errCode: ${code} ,desc: ${desc} ,ip: 127.0.0.1 ,port: ${port} ,serviceKind: linkis-cg-entrance`)
}

/** Errors of the filesystem service (WorkspaceExceptionManager codes 800xx), as linkis-ps-publicservice words them. */
export function fsError(code: number, desc: string): LinkisError {
  return new LinkisError(`errCode: ${code} ,desc: ${desc} ,ip: 127.0.0.1 ,port: 9002 ,serviceKind: linkis-ps-publicservice`)
}

const STATUS_OF_KIND: Partial<Record<ErrorKind, LinkisStatus>> = { unauthenticated: -1, forbidden: 3, invalid: 2 }
/** Kinds whose HTTP code stays what it is, not the one the Linkis status implies. */
const HTTP_OF_KIND: Partial<Record<ErrorKind, number>> = { not_found: 404, too_large: 413, unsupported_media_type: 415, unavailable: 503 }

/**
 * Any error as a Linkis message: Linkis errors as they are; JobDesk's own errors and fastify's
 * (validation, bad JSON, too large, bad URL) keep their text, validation errors with status 2;
 * anything unexpected as upstream's "operation failed" (status 1).
 */
export function toLinkis(err: unknown): LinkisError {
  if (err instanceof LinkisError) return err
  const e = toAppError(err)
  if (e.kind === 'internal') return new LinkisError('operation failed(操作失败)s! the reason(原因): internal error', 1)
  // the envelope has no field slot: the message names it
  const where = e.field && !e.message.toLowerCase().includes(e.field.toLowerCase()) ? ` (${e.field})` : ''
  // fastify's own 400s (bad JSON, bad URL) never reach a Linkis handler upstream either: Spring answers those as errors, not validation
  const unparsed = !isAppError(err) && !(err as { validation?: unknown })?.validation
  const status = unparsed && e.kind === 'invalid' ? 1 : (STATUS_OF_KIND[e.kind] ?? 1)
  return new LinkisError(`${e.message}${where}`, status, HTTP_OF_KIND[e.kind], e.retryAfterSeconds)
}

/** The Linkis error handler: the Message envelope, `method` as upstream names it (without rest_j/v1). */
export function sendLinkisError(err: unknown, req: FastifyRequest, reply: FastifyReply): FastifyReply {
  const e = toLinkis(err)
  if (e.message.startsWith('operation failed')) req.log.error({ err }, 'unexpected error')
  const method = (req.url ?? '').split('?')[0].replace('/rest_j/v1', '')
  if (e.retryAfterSeconds !== undefined) reply.header('retry-after', String(e.retryAfterSeconds))
  return reply.code(e.httpStatus ?? HTTP_OF[e.status]).send({ method, status: e.status, message: e.message, data: {} } satisfies LinkisMessage)
}
