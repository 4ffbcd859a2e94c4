// TuGraph's answer envelope (reference/tugraph.md §1.1, tugraph-db: src/http/http_server.cpp):
// always HTTP 200 with `{"errorCode": "200", "errorMessage": "", "data": …}`; an error carries
// errorCode "400", "401" or "500" (JSON strings) and no data key; `data` is "" when a method
// produces nothing.

import type { FastifyReply, FastifyRequest } from 'fastify'
import { GRAPH_ERROR_CODES } from '../../../graph/errors'
import { isTryAgain, toAppError } from '../../native/errors'

/** Where TuGraph's REST API (brpc's LGraphHttpService) lives; its methods are also served at `/<method>`. */
export const TUGRAPH_PREFIX = '/LGraphHttpService/Query'

/** The method names the dialect answers, in lower case (requests may use any case). */
export const TUGRAPH_METHODS = ['login', 'refresh', 'logout', 'cypher', 'gql', 'upload_files', 'upload_file', 'check_file', 'clear_cache', 'import_schema', 'import_data', 'import_progress'] as const
export type TuGraphMethod = (typeof TUGRAPH_METHODS)[number]

/**
 * Whether a request belongs to the TuGraph API, for answers no route of it gave (unknown paths, a
 * malformed or over-long path, a refused origin): anything under /LGraphHttpService/, TuGraph's
 * method names at the root, and any POST to a name at the root (only TuGraph serves those).
 */
export function isTuGraphPath(path: string, method?: string): boolean {
  if (path.startsWith('/LGraphHttpService/')) return true
  if (method === 'POST' && /^\/[^/]+\/?$/.test(path)) return true
  const m = /^\/([A-Za-z_]+)\/?$/.exec(path)
  return m !== null && (TUGRAPH_METHODS as readonly string[]).includes(m[1].toLowerCase())
}

export type TuGraphCode = '400' | '401' | '500'

/** An error as TuGraph words it: its text, errorCode ("400" unless said otherwise) and the Retry-After (s) it is sent with, if any. */
export class TuGraphError extends Error {
  constructor(
    message: string,
    readonly code: TuGraphCode = '400',
    readonly retryAfterSeconds?: number,
  ) {
    super(message)
    this.name = 'TuGraphError'
  }
}

/** TuGraph's text for a missing body field (http_server.cpp GET_FIELD_OR_THROW_BAD_REQUEST). */
export const notSpecified = (field: string): TuGraphError => new TuGraphError(`\`${field}\` is not specified.`)

/** The success envelope; `data` "" when there is nothing to say. */
export const okEnvelope = (data: unknown) => ({ errorCode: '200', errorMessage: '', data: data === undefined || data === null ? '' : data })

/** Graph errors TuGraph answers as Unauthorized (lgraph's AuthError). */
const UNAUTHORIZED_CODES = new Set(['not_admin'])

/**
 * Any thrown thing as a TuGraph error: ours as they are; JobDesk's AppErrors with their message
 * (the graph subsystem's are TuGraph's own texts), "401" for unauthenticated callers, "500" for
 * bugs and for a server that cannot answer now (isTryAgain: starting, stopping, jobdesk.db locked;
 * TuGraph has no code of its own for it, and its browser takes a "400" without a token for "sign in
 * again"); fastify's (body too large, bad URL) as "400" naming the part of the request at fault.
 */
export function toTuGraph(err: unknown): TuGraphError {
  if (err instanceof TuGraphError) return err
  const e = toAppError(err)
  if (e.kind === 'internal') return new TuGraphError('internal error; see the JobDesk log', '500')
  if (e.code === 'no_route') return new TuGraphError('Unsupported method')
  const code = e.kind === 'unauthenticated' || UNAUTHORIZED_CODES.has(e.code) ? '401' : isTryAgain(e) ? '500' : '400'
  // the envelope has no field slot: the message names it (the graph subsystem's texts are TuGraph's, whole as they are)
  const named = !e.field || Object.hasOwn(GRAPH_ERROR_CODES, e.code) || e.message.toLowerCase().includes(e.field.toLowerCase())
  const where = named ? '' : ` (${e.field})`
  return new TuGraphError(`${e.message}${where}`, code)
}

/** The TuGraph error handler: HTTP 200 whatever happened, as TuGraph's clients expect. */
export function sendTuGraphError(err: unknown, req: FastifyRequest, reply: FastifyReply): FastifyReply {
  const e = toTuGraph(err)
  const app = toAppError(err)
  if (e.code === '500' && !isTryAgain(app)) req.log.error({ err }, 'unexpected error')
  const retry = e.retryAfterSeconds ?? app.retryAfterSeconds
  if (retry !== undefined) reply.header('retry-after', String(retry))
  return reply.code(200).type('application/json; charset=utf-8').send({ errorCode: e.code, errorMessage: e.message })
}
