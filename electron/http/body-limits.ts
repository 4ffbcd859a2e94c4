// How large a request body each route takes. fastify reads a whole JSON body into memory and parses
// it on the main thread before the handler runs, so a route's limit is what it really takes: a
// status, list, cancel or login call a few fields; a submit its script, descriptor or context;
// uploads their chunk. A route that names no limit gets the small one (fail closed: a route that
// takes more says so where it is registered). A body over the limit is refused before a byte of it
// is read — from Content-Length, or while a chunked body streams in — with 413 (in the dialect's
// envelope) naming the limit; the client still reads that answer (linger.ts).

import { Transform } from 'node:stream'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { AppError } from '../../shared/errors'
import { formatSize } from '../../shared/number-format'
import { MAX_CHUNK_BYTES } from '../graph/upload-files'

/** Body limits by what a route takes (bytes). */
export const BODY_LIMITS = {
  /** status, list, cancel, kill, login, settings: a few fields; every route that names no other limit */
  small: 64 * 1024,
  /** a script, a descriptor, a submit's context, a Cypher statement with parameters, a graph schema */
  content: 4 * 1024 * 1024,
  /** a chunk of an upload (the routes that take raw bytes) */
  chunk: MAX_CHUNK_BYTES,
} as const

/** Limits a dialect set for one request (one route serving several methods: TuGraph's /:method). */
const requestLimits = new WeakMap<FastifyRequest, number>()

/** Sets the body limit of this request (from an onRequest hook), tighter than its route's. */
export function limitRequestBody(req: FastifyRequest, bytes: number): void {
  requestLimits.set(req, bytes)
}


/** The too_large refusal (413 in every envelope that has statuses), naming the limit and the route. */
export function bodyTooLarge(req: FastifyRequest, limit: number): AppError {
  const path = (req.raw.url ?? '').split('?')[0].slice(0, 200)
  return new AppError('too_large', 'too_large', `the request body is too large: ${req.method} ${path} takes at most ${formatSize(limit)}`, { field: 'body' })
}

/**
 * Installs the limits: every route without a bodyLimit of its own gets BODY_LIMITS.small, and a
 * preParsing hook (after authentication: a caller without credentials learns nothing of limits)
 * refuses a body over the request's limit before it is read. Call before any route is registered.
 */
export function registerBodyLimits(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    route.bodyLimit ??= BODY_LIMITS.small
  })
  // synchronous (callback style), as every per-request hook here (README: no promise per request)
  app.addHook('preParsing', (req, reply, payload, done) => {
    const limit = requestLimits.get(req) ?? req.routeOptions.bodyLimit ?? BODY_LIMITS.small
    const length = Number(req.headers['content-length'])
    if (length > limit) {
      reply.header('connection', 'close') // the rest of the body is read and thrown away (linger.ts)
      return done(bodyTooLarge(req, limit))
    }
    // a Content-Length within the limit, or no body at all
    if (Number.isFinite(length) || req.headers['transfer-encoding'] === undefined) return done(null, payload)
    // a chunked body: count as it streams, and stop at the limit
    let seen = 0
    const counted = new Transform({
      transform(chunk: Buffer, _enc, next) {
        seen += chunk.length
        if (seen > limit) return next(bodyTooLarge(req, limit))
        next(null, chunk)
      },
    })
    payload.on('error', (e) => counted.destroy(e))
    done(null, payload.pipe(counted))
  })
}
