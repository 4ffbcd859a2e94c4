// How many connections the server holds, which one gives way when it is full, and how long one may
// take to send its request's head.
// Nothing capped them: a local process opened 12,000 connections and sent nothing, and when Node's
// headers-timeout sweep ended them all in one turn (each answered with a 408 in its dialect's
// envelope, about 0.3 ms of the main thread apiece on 2 loaded cores) the main thread was held
// 1.2 s of its own (#9 §2, atk38a). Then at most MAX_CONNECTIONS were held by node's own
// maxConnections, which closes a further one as it is accepted, and client-errors.ts ends the ones
// a sweep times out a batch per turn of the event loop.
// That cap was one client's to take (#9 §2, atk40): without an account it sent one request on
// each connection, got 401, and kept each as an idle keep-alive (fastify's 72 s, renewed by each
// request), so every other client's new connection was closed unanswered, the admin's browser
// included. So the gate (connection-gate.ts) holds the cap itself, on the server's "connection"
// event: a connection is signed in while the latest request on it carried a credential its route
// accepted; an answer of 400 or more on a connection not signed in, or refusing a credential, closes
// it (Connection: close), so a refused client reconnects for its next try instead of keeping a
// place; when the cap is reached a new connection takes the place of one displacement.ts chooses
// (first those not signed in, last a signed-in upload still arriving or answer left unread), else it is closed unanswered.
// In a flood node itself refuses at accept once DISPLACING_AT_ONCE displaced connections are closing.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Socket } from 'node:net'
import { AppError } from '../../shared/errors'
import { endArrivingBody, userClaimedOnly } from './body-rate'
import { ConnectionGate, sessionKey, type EndDisplaced } from './connection-gate'
import { credentialRefused } from './credential-refused'
import { closeAfterAnswer } from './linger'

/** The server's connection limits (ServerOptions.connections); each has a default below. */
export interface ConnectionLimits {
  /** Connections held at once; past it a new one takes the place of one that may give way (displacement.ts), or is closed unanswered. */
  maxConnections?: number
  /** How long a request's line and headers may take to arrive (ms; node's `headersTimeout`). */
  headersTimeoutMs?: number
  /** How long a request's body may take before its rate counts (ms; body-rate.ts BODY_TIMEOUT_MS). */
  bodyTimeoutMs?: number
  /** Each this many bytes of a body that arrive give it one more second (body-rate.ts BODY_MIN_BYTES_PER_SECOND). */
  bodyMinBytesPerSecond?: number
  /** The bytes of bodies not yet whole, all requests together (body-rate.ts BODY_BYTES_HELD_MAX). */
  bodyBytesHeldMax?: number
  /** The bytes of bodies not yet whole one account, or one address without one, may hold (body-rate.ts BODY_BYTES_SHARE of bodyBytesHeldMax). */
  bodyBytesHeldShare?: number
  /** Requests of one connection taken up ahead of their answers being written (pipelining.ts PIPELINED_AHEAD). */
  pipelinedAhead?: number
}

/**
 * 512 connections. A browser opens at most 6 to one host (HTTP/1.1), the desktop window one page's
 * worth, each open tab one event stream among them; API clients and scripts a few each. Closing all
 * of them at once costs the main thread about 0.1 ms each when they sent nothing (55 ms for 512 on
 * 2 loaded cores, measured), and idle keep-alive connections, which count here too and each close
 * on its own timer (fastify's keepAliveTimeout, 72 s), cost the same.
 */
export const MAX_CONNECTIONS = 512
/**
 * 20 s for a request's head, as Apache's mod_reqtimeout (`header=20-40`) gives: a connection that
 * sends nothing frees its place within 20-25 s (node's 60 s before), and a client on a slow link
 * still sends a few kB of headers well within it.
 */
export const HEADERS_TIMEOUT_MS = 20_000
/** How often node looks for requests past their headers timeout: a 5 s sweep ends fewer at a time than its 30 s. */
export const CONNECTIONS_CHECK_MS = 5_000
/**
 * Connections the kernel queues for the server before it accepts them (`listen`'s backlog; Linux caps
 * it at net.core.somaxconn, 4096 by default since 5.4). At node's 511 a burst of new connections
 * (a page's assets, a client's pool, many pollers at once) was refused by the kernel before JobDesk
 * could accept one, let alone let the gate choose which gives way (#9).
 */
export const LISTEN_BACKLOG = 4096

/**
 * The node http server options fastify passes on to `http.createServer` (`Fastify({ http })`). A
 * request without a Host header is let through (`requireHostHeader` off): node's own refusal of it
 * is a bare 400 that passes no hook (no envelope, no lingering for its body), and security.ts
 * refuses it with a 400 in its API's envelope instead.
 */
export function httpServerOptions(limits: ConnectionLimits = {}): { headersTimeout: number; connectionsCheckingInterval: number; requireHostHeader: false } {
  return { headersTimeout: limits.headersTimeoutMs ?? HEADERS_TIMEOUT_MS, connectionsCheckingInterval: CONNECTIONS_CHECK_MS, requireHostHeader: false }
}

/**
 * Connections past the cap node itself may hand the gate at once (node's `maxConnections` is the cap
 * plus this): a displaced connection counts until its close event, so in a flood, once this many are
 * closing, node closes further ones as they are accepted, before a socket is made for them (about
 * a tenth of the cost of the gate's displacing one). A new connection alone always reaches the gate.
 */
export const DISPLACING_AT_ONCE = 64

/**
 * Holds `app`'s connections to `limits.maxConnections` (MAX_CONNECTIONS unless set) with a
 * ConnectionGate (before it listens, before any route). Its hooks run on every request, synchronous
 * (#14.2): preParsing (after every authentication, before the body is read) signs the connection in
 * when the route's authentication set `req.user` (a GES signature, only claimed until the body it
 * covers is read, from preHandler on: body-rate.ts userClaimedOnly), and out when it did not; onSend signs it out when
 * the credential was refused, and closes a refused or not signed-in one after an answer of 400 or
 * more. A displaced upload is answered 503 server_busy in its API's envelope (body-rate.ts) and its
 * connection destroyed once the answer is written. Returns the gate.
 */
export function gateConnections(app: FastifyInstance, limits: ConnectionLimits = {}): ConnectionGate {
  const gate = new ConnectionGate(limits.maxConnections ?? MAX_CONNECTIONS, undefined, endDisplacedUpload)
  app.server.maxConnections = gate.max + DISPLACING_AT_ONCE
  app.server.on('connection', (socket: Socket) => gate.admit(socket))
  app.server.on('request', (req: IncomingMessage, res: ServerResponse) => gate.started(req.socket, req, res))
  app.addHook('preParsing', (req, _reply, payload, done) => {
    // a GES signature names its account before the body its HMAC covers: anyone may name another's key
    if (req.user !== undefined && !userClaimedOnly(req)) gate.signIn(req.raw.socket, sessionKey(req.user))
    else gate.signOut(req.raw.socket)
    done(null, payload)
  })
  // a claimed credential checked over its body (preValidation) signs the connection in from here on
  app.addHook('preHandler', (req, _reply, done) => {
    if (req.user !== undefined) gate.signIn(req.raw.socket, sessionKey(req.user))
    done()
  })
  app.addHook('onSend', (req: FastifyRequest, reply: FastifyReply, payload: unknown, done: (err: null, payload: unknown) => void) => {
    if (gate.closesAfter(req.raw.socket, reply.statusCode, credentialRefused(req))) closeAfterAnswer(req.raw, reply)
    done(null, payload)
  })
  return gate
}

/**
 * Ends a signed-in upload a new connection took the place of: answered 503 server_busy in its API's
 * envelope while an answer can still be written, its bytes held given back (body-rate.ts), and its
 * connection destroyed once the answer is written, without lingering for the rest of the body
 * (linger.ts): a displaced connection counts against node's cap until it closes, and 64 lingering
 * 10 s each would have node refuse every new connection meanwhile (DISPLACING_AT_ONCE).
 */
const endDisplacedUpload: EndDisplaced = (socket, request, response) => {
  response.once('finish', () => socket.destroy())
  const busy = new AppError('unavailable', 'server_busy', 'the server holds as many connections as it can, and this upload had taken longest; send it again shortly', { field: 'body', retryAfterSeconds: 1 })
  if (!endArrivingBody(request, busy)) socket.destroy()
}
