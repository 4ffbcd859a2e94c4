// How fast a request's body must arrive. Node ends a request whose head is slow (headersTimeout,
// connection-limits.ts), but fastify turns node's requestTimeout off, so a body that trickled in (a
// sign-in announcing 60,000 bytes and sending one every 5 s) held its connection and its buffered
// bytes as long as the client liked (#9 §2, atk38a). A fixed time for the whole request would cut
// a large upload on a slow link, so this follows Apache's mod_reqtimeout (`body=20,MinRate=500`):
// a body has 20 s, and every 500 bytes that arrive give it one more second. A body too slow is
// answered 408 in its API's envelope while an answer can still be sent, and its connection closed.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { AppError } from '../../shared/errors'
import { timeoutStatus } from './client-errors'
import type { ConnectionLimits } from './connection-limits'
import { errorSenderFor } from './envelopes'

/** How long a body may take before what it sent counts (ms): Apache mod_reqtimeout's `body=20`. */
export const BODY_TIMEOUT_MS = 20_000
/** Each this many bytes of a body that arrive give it one more second: mod_reqtimeout's `MinRate=500`. */
export const BODY_MIN_BYTES_PER_SECOND = 500

/**
 * Installs the rule: an onRequest hook (before any other, so that a request refused by a later one,
 * whose body node then reads and throws away, is held to it too) that times each request that has a
 * body. Only when its time is up is it looked at again; nothing runs per chunk (the bytes that came
 * are the socket's count).
 */
export function registerBodyRate(app: FastifyInstance, limits: ConnectionLimits = {}): void {
  const timeoutMs = limits.bodyTimeoutMs ?? BODY_TIMEOUT_MS
  const minRate = limits.bodyMinBytesPerSecond ?? BODY_MIN_BYTES_PER_SECOND
  app.addHook('onRequest', (req, reply, done) => {
    const raw = req.raw
    const socket = raw.socket as (typeof raw.socket & { bytesRead?: number }) | null
    const hasBody = raw.headers['transfer-encoding'] !== undefined || (raw.headers['content-length'] ?? '0') !== '0'
    // fastify.inject's stand-in socket counts no bytes: nothing to time there
    if (!hasBody || raw.complete || typeof socket?.bytesRead !== 'number') return done()
    const started = Date.now()
    const base = socket.bytesRead
    const check = () => {
      if (raw.complete || socket.destroyed) return
      const due = started + timeoutMs + ((socket.bytesRead - base) * 1000) / minRate
      const left = due - Date.now()
      if (left > 0) return void (timer = setTimeout(check, left).unref())
      endSlowBody(req, reply, timeoutMs, minRate)
    }
    let timer = setTimeout(check, timeoutMs).unref()
    raw.once('close', () => clearTimeout(timer))
    done()
  })
}

/** Answers 408 in the request's API's envelope and closes the connection; closes it at once when an answer was sent already. */
function endSlowBody(req: FastifyRequest, reply: FastifyReply, timeoutMs: number, minRate: number): void {
  if (reply.sent || reply.raw.headersSent) return void req.raw.socket.destroy()
  const e = new AppError('invalid', 'request_timeout', `the request body arrived too slowly: after the first ${timeoutMs / 1000} s it must come at ${minRate} bytes a second at least`, { field: 'body' })
  reply.header('connection', 'close') // the rest of the body is read and thrown away for a while (linger.ts), then the connection goes
  // the senders set the kind's status (400); the answer is a timeout's
  const timed = new Proxy(reply, { get: (target, key) => (key === 'code' ? (n: number) => target.code(timeoutStatus(e, n)) : Reflect.get(target, key, target)) })
  errorSenderFor(req.url, req.method)(e, req, timed)
}
