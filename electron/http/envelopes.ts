// Which dialect's error envelope an answer uses when no route of that dialect caught the error:
// unknown paths (404), malformed URLs, and errors raised before routing. Chosen by path prefix.

import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { LINKIS_PREFIX, sendLinkisError } from './dialects/linkis/envelope'
import { RILL_PREFIXES, sendRillError } from './dialects/rillflow/errors'
import { isTuGraphPath, sendTuGraphError } from './dialects/tugraph/envelope'
import { isGesPath, sendGesError } from './dialects/ges/errors'
import { isExplorerPath, sendExplorerError } from './dialects/explorer/errors'
import { sendError } from './native/errors'
import { closeAfterAnswer, lingerBeforeClose, registerLingeringClose } from './linger'

/** Sends an error in one dialect's envelope. */
export type ErrorSender = (err: unknown, req: FastifyRequest, reply: FastifyReply) => FastifyReply

const underAny = (prefixes: readonly string[]) => (path: string) => prefixes.some((p) => path.startsWith(p))

const DIALECTS: { owns: (path: string, method?: string) => boolean; send: ErrorSender }[] = [
  { owns: underAny([`${LINKIS_PREFIX}/`]), send: sendLinkisError },
  { owns: underAny(RILL_PREFIXES), send: sendRillError },
  { owns: isGesPath, send: sendGesError },
  { owns: isExplorerPath, send: sendExplorerError },
  // /LGraphHttpService/…, TuGraph's method names at the root (/login, …) and any POST to a root name (only TuGraph serves those)
  { owns: isTuGraphPath, send: sendTuGraphError },
]

/** The error envelope of the dialect whose paths `url` (requested with `method`) are under; the native envelope for the rest. */
export function errorSenderFor(url: string, method?: string): ErrorSender {
  const path = url.split('?')[0]
  return DIALECTS.find((d) => d.owns(path, method))?.send ?? sendError
}

/**
 * Fastify's `frameworkErrors` option: the errors fastify finds before routing (a malformed %-escape
 * in the path, a path parameter over its length), answered in the path's dialect's envelope.
 * Fastify answers them outside every hook (no onRequest, no onSend), so this does here what the
 * hooks do for every other refusal: such a request carried no credential a route accepted, and the
 * connection gate closes the connection after refusing one (connection-limits.ts), once the rest
 * of its body is read (linger.ts). The security headers come with the response itself
 * (security-headers.ts securedResponses).
 */
export function sendFrameworkError(err: FastifyError, req: FastifyRequest, reply: FastifyReply): FastifyReply {
  closeAfterAnswer(req.raw, reply)
  lingerBeforeClose(req.raw, reply)
  return errorSenderFor(req.raw.url ?? '', req.raw.method)(err, req, reply)
}

/**
 * The root error and not-found handlers: each answer in the envelope of the dialect the path belongs
 * to; an early error answer is read by the client even while it is still sending (linger.ts).
 */
export function registerErrorEnvelopes(app: FastifyInstance): void {
  registerLingeringClose(app)
  app.setErrorHandler((err, req, reply) => errorSenderFor(req.url, req.method)(err, req, reply))
  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?')[0]
    const err = Object.assign(new Error(`no route ${req.method} ${path.slice(0, 200)}`), { statusCode: 404 })
    return errorSenderFor(req.url, req.method)(err, req, reply)
  })
}
