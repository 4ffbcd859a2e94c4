// How many connections the server holds, and how long one may take to send its request's head.
// Nothing capped them: a local process opened 12,000 connections and sent nothing, and when Node's
// headers-timeout sweep ended them all in one turn (each answered with a 408 in its dialect's
// envelope, about 0.3 ms of the main thread apiece on 2 loaded cores) the main thread was held
// 1.2 s of its own (#9 §2, atk38a). Now at most MAX_CONNECTIONS are held (Node closes any further
// one as it is accepted, before a byte of it is read), and client-errors.ts ends the ones a sweep
// times out a batch per turn of the event loop.

import type { Server } from 'node:http'

/** The server's connection limits (ServerOptions.connections); each has a default below. */
export interface ConnectionLimits {
  /** Connections held at once (node's `server.maxConnections`); a further one is closed as it is accepted. */
  maxConnections?: number
  /** How long a request's line and headers may take to arrive (ms; node's `headersTimeout`). */
  headersTimeoutMs?: number
  /** How long a request's body may take before its rate counts (ms; body-rate.ts BODY_TIMEOUT_MS). */
  bodyTimeoutMs?: number
  /** Each this many bytes of a body that arrive give it one more second (body-rate.ts BODY_MIN_BYTES_PER_SECOND). */
  bodyMinBytesPerSecond?: number
  /** The bytes of bodies not yet whole, all requests together (body-rate.ts BODY_BYTES_HELD_MAX). */
  bodyBytesHeldMax?: number
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

/** The node http server options fastify passes on to `http.createServer` (`Fastify({ http })`). */
export function httpServerOptions(limits: ConnectionLimits = {}): { headersTimeout: number; connectionsCheckingInterval: number } {
  return { headersTimeout: limits.headersTimeoutMs ?? HEADERS_TIMEOUT_MS, connectionsCheckingInterval: CONNECTIONS_CHECK_MS }
}

/** Caps the connections `server` holds (before it listens). */
export function capConnections(server: Server, limits: ConnectionLimits = {}): void {
  server.maxConnections = limits.maxConnections ?? MAX_CONNECTIONS
}
