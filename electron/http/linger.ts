// Lingering close. When fastify refuses a body before reading it all (over the route's limit, bad
// JSON part-way), it answers at once with `connection: close`, and Node closes the socket while the
// client is still sending: the unread bytes make the kernel reset the connection, and the client
// (curl, fetch) reports a broken pipe instead of the 413 it was sent. As nginx does
// (lingering_close), the rest of the body is read and thrown away for a while before the
// connection goes, so the client reads its answer. A client that sends the rest in time keeps its
// connection, unless the answer ended its use of it (closeAfterAnswer: body-rate.ts's 408 and 503,
// connection-limits.ts's refusals): then the connection goes once the rest is read, and a request
// that came behind it is not served.

import type { FastifyInstance } from 'fastify'
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http'
import { Socket } from 'node:net'

/** How much more of an unread body is read and discarded after the answer, at the most (bytes). */
export const LINGER_MAX_BYTES = 256 * 1024 * 1024
/** How long the connection is kept for that, at the most (ms). */
export const LINGER_MAX_MS = 10_000

/** Requests whose connection goes once their body is read, though they linger (closeAfterAnswer). */
const closeAfter = new WeakSet<IncomingMessage>()
/** Connections that serve no further request: a request of theirs asked to be closed after its body. */
const closing = new WeakSet<Socket>()

/**
 * Closes the connection once `reply` is written: sets `Connection: close`, and for a body still
 * arriving (which the onSend hook below reads and throws away first, so that the client reads its
 * answer instead of a reset) once the rest has been read, rather than keeping it alive; a request
 * that came behind it on the connection is not served. For an answer that ends the client's use of
 * the connection: body-rate.ts's 408 and 503, connection-limits.ts's refusals of a connection not
 * signed in. A client that sends the rest at once must not keep it for its next request.
 */
export function closeAfterAnswer(req: IncomingMessage, reply: { header(name: string, value: string): unknown }): void {
  reply.header('connection', 'close')
  closeAfter.add(req)
}

/**
 * Installs an onSend hook that lingers (lingerBeforeClose) for every answer, and an onRequest hook
 * that ends the connection of a request that came behind one closeAfterAnswer named.
 */
export function registerLingeringClose(app: FastifyInstance): void {
  app.addHook('onRequest', (request, _reply, done) => {
    const socket = request.raw.socket as Socket | null
    // never answered: its connection is going, and the answer before it said all there is to say
    if (socket && closing.has(socket)) return void socket.destroy()
    done()
  })
  app.addHook('onSend', (request, reply, payload, done) => {
    lingerBeforeClose(request.raw, reply)
    done(null, payload)
  })
}

/**
 * Called as `answer` (a reply, or a response) to `raw` is about to be written: an answer that would
 * close the connection while the request's body is still arriving keeps the connection instead,
 * reads the rest of the body into nothing, and closes it after LINGER_MAX_BYTES or LINGER_MAX_MS,
 * whichever comes first (a client that completes its body in time keeps a usable keep-alive
 * connection). An answer closeAfterAnswer named keeps its `Connection: close`, and node's close
 * waits for the rest of the body (holdCloseUntilRead). Does nothing for any other answer.
 */
export function lingerBeforeClose(raw: IncomingMessage, answer: { getHeader(name: string): unknown; removeHeader(name: string): unknown }): void {
  // a request without a body is answered before node marks it complete (its head's hooks ran in
  // the same turn): there is nothing to read, and keeping it would make its close a keep-alive
  if (raw.complete || raw.destroyed || answer.getHeader('connection') !== 'close' || !bodyComes(raw.headers)) return
  const closes = closeAfter.has(raw)
  // an answer that ends the connection says so (the client must not send its next request on it:
  // it got "socket hang up" when told nothing, route-fuzz after conn9); node's close after it waits
  // for the rest of the body instead, so no unread byte makes the kernel reset the connection
  if (closes) holdCloseUntilRead(raw)
  else answer.removeHeader('connection')
  let read = 0
  const socket = raw.socket
  const stop = () => socket.destroy?.() // fastify.inject's stand-in socket has no destroy (its timer fired in later test files)
  const timer = setTimeout(stop, LINGER_MAX_MS)
  timer.unref()
  raw.on('data', (chunk: Buffer) => {
    read += chunk.length
    if (read > LINGER_MAX_BYTES) stop()
  })
  raw.once('end', () => clearTimeout(timer))
  if (closes) closing.add(socket)
  raw.once('close', () => clearTimeout(timer))
  raw.resume()
}

/**
 * Makes node's close of `raw`'s connection after its `Connection: close` answer wait until the body
 * is read whole: node reads and drops the rest once the answer is written (`req._dump()`); the
 * linger timer ends the wait.
 * Node has no public way to say so: an answer whose head says `Connection: close` makes http's
 * resOnFinish call `socket.destroySoon()` (undocumented: end, then destroy once written), which
 * resets a connection whose client still sends; fastify, `closeIdleConnections` and socket events
 * come after it. So this wraps the socket's destroySoon. Should node drop it, resOnFinish calls
 * `socket.end()` instead (it checks), which leaves the connection reading (http servers allow half
 * open): then the connection is destroyed here once the answer is written and the body read, from
 * public events. test/http/node-internals.test.ts fails if node stops calling either.
 */
export function holdCloseUntilRead(raw: IncomingMessage): void {
  const socket = raw.socket as Socket & { destroySoon?: () => void }
  if (!(socket instanceof Socket)) return // fastify.inject's stand-in socket
  const destroySoon = socket.destroySoon
  if (typeof destroySoon !== 'function') return closeOnceWrittenAndRead(raw, socket)
  socket.destroySoon = function (this: Socket) {
    if (raw.complete || raw.destroyed) return destroySoon.call(this)
    let once = false
    const close = () => void (once || ((once = true), destroySoon.call(this)))
    raw.once('end', close)
    raw.once('close', close)
  }
}

/** Destroys `socket` once node has ended it (its answer written) and `raw`'s body is read or gone: what destroySoon did. */
function closeOnceWrittenAndRead(raw: IncomingMessage, socket: Socket): void {
  let read = raw.complete
  let written = socket.writableFinished
  const close = () => void (read && written && socket.destroy())
  raw.once('end', () => ((read = true), close()))
  raw.once('close', () => ((read = true), close()))
  socket.once('finish', () => ((written = true), close()))
}

/** Whether a request's head announces a body (a Content-Length over 0, or Transfer-Encoding). */
const bodyComes = (headers: IncomingHttpHeaders): boolean => headers['transfer-encoding'] !== undefined || Number(headers['content-length'] ?? 0) > 0
