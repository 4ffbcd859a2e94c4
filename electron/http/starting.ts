// The server listens before its routes are made (app.ts: a restart used to refuse connections for
// seconds while fastify registered its plugins and routes, #9). Until they are ready, every request
// is answered at once with a 503 in its API's envelope and a Retry-After, instead of waiting unanswered
// or reaching an empty router. The same gate answers once the server is closing (a stop, Ctrl+C):
// fastify's own answer then was a bare {"error":"Service Unavailable"} in no API's envelope.
import type { FastifyInstance } from 'fastify'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { AppError } from '../../shared/errors'
import { answerInEnvelope } from './client-errors'
import { closeAfterAnswer, lingerBeforeClose } from './linger'

/** The Retry-After of a request answered while the server starts (s): its routes are made within seconds. */
export const STARTING_RETRY_AFTER_S = 1

/** What answers a request that comes before the routes are ready. */
const STARTING = new AppError('unavailable', 'starting', 'JobDesk is starting: try again in a moment', { retryAfterSeconds: STARTING_RETRY_AFTER_S })

/** The Retry-After of a request answered while the server stops (s): a restart (settings applied, an update) is back within seconds. */
export const STOPPING_RETRY_AFTER_S = 5

/** What answers a request that comes once the server is closing. */
const STOPPING = new AppError('unavailable', 'stopping', 'JobDesk is stopping: try again once it has started again', { retryAfterSeconds: STOPPING_RETRY_AFTER_S })

/**
 * How long requests already in fastify's hands when the server begins to close may take to finish
 * (ms): then each not yet answered is answered 503 `stopping`, where it was cut with no answer at all
 * (#9: a slow request at Ctrl+C saw its socket close after ~4.7 s). Under app.ts's cut of connections.
 */
export const IN_FLIGHT_GRACE_MS = 2500

/**
 * Puts a gate in front of `app`'s request handler (call it right after Fastify(), before any other
 * 'request' listener: pipelining.ts takes the gate for fastify's handler): until the returned `open()`
 * is called, a request is answered 503 `starting` in its path's dialect's envelope with Retry-After
 * STARTING_RETRY_AFTER_S and `Connection: close` (the client tries again on a fresh connection, which
 * the connection gate then counts), or what `checkHost` (security.ts hostChecker) throws for its Host
 * (a page rebinding its name to us learns nothing from a 503 either); a body still arriving is read
 * before the connection closes (linger.ts), so the client reads the answer, not a reset. After
 * `open()`, requests reach fastify as before, until `app.close()` begins (its preClose hook): from
 * then on each is answered so again, 503 `stopping` with Retry-After STOPPING_RETRY_AFTER_S (a
 * request on a connection kept open by one still in flight), instead of fastify's bare 503. A request
 * already in fastify's hands then that has no answer begun IN_FLIGHT_GRACE_MS later is answered so
 * too (a body still arriving is read first, as above); one already streaming (an event stream, a
 * download) is left to the close's cut.
 */
export function holdUntilReady(app: FastifyInstance, checkHost: (raw: string | undefined) => void): { open(): void } {
  const server = app.server
  const handlers = server.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[]
  for (const h of handlers) server.off('request', h)
  let ready = false
  let stopping = false
  /** Requests handed to fastify and not yet over (their response finished or their connection gone). */
  const inFlight = new Map<ServerResponse, IncomingMessage>()
  let answerLate: NodeJS.Timeout | undefined
  app.addHook('preClose', (done) => {
    stopping = true
    answerLate = setTimeout(answerInFlight, IN_FLIGHT_GRACE_MS)
    answerLate.unref()
    done()
  })
  app.addHook('onClose', (_app, done) => {
    clearTimeout(answerLate)
    done()
  })
  const refuse = (req: IncomingMessage, res: ServerResponse) => {
    let refusal = stopping ? STOPPING : STARTING
    try {
      checkHost(req.headers.host)
    } catch (e) {
      // an unexpected error is logged and the request still answered: a throw here would end the process
      if (e instanceof AppError) refusal = e
      else app.log.error({ err: e }, `host check failed while ${stopping ? 'stopping' : 'starting'}`)
    }
    closeAfterAnswer(req, { header: (name, value) => res.setHeader(name, value) })
    lingerBeforeClose(req, res)
    answerInEnvelope(app.log, refusal, { method: req.method ?? '', url: req.url ?? '' }, (sent) => sent, (status, headers, body) => {
      res.writeHead(status, { ...headers, 'content-length': String(body.length), 'cache-control': 'no-store' })
      res.end(body)
    })
  }
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (ready && !stopping) {
      inFlight.set(res, req)
      res.once('close', () => inFlight.delete(res))
      for (const h of handlers) h.call(server, req, res)
      return
    }
    refuse(req, res)
  })
  const answerInFlight = () => {
    for (const [res, req] of inFlight) if (!res.headersSent && !res.destroyed) refuse(req, res)
  }
  return {
    open() {
      ready = true
    },
  }
}
