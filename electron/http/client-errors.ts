// Requests Node's HTTP parser refuses before fastify sees them: a request line and headers over
// Node's limit (16 KB by default: a long query string, a big cookie), a request that is not HTTP,
// one that was too slow to arrive. Fastify's own answer is a bare `{"error": "…", "statusCode": 431}`
// in no dialect's shape; this answers in the envelope of the dialect whose path the request line
// names (as much of it as arrived), with a message that says what was too large and what to do.
// And a request with an Expect header node does not meet, which node answers itself before any
// listener of fastify's sees it.
import type { ConnectionError, FastifyBaseLogger, FastifyReply, FastifyRequest } from 'fastify'
import { maxHeaderSize, STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http'
import type { Socket } from 'node:net'
import { AppError } from '../../shared/errors'
import { errorSenderFor } from './envelopes'
import { closeAfterAnswer, lingerBeforeClose } from './linger'

/** The method and path of a request as far as its first bytes show them ('' when they do not). */
function requestLine(raw: Buffer | undefined): { method: string; url: string } {
  const m = /^([A-Z]{3,10}) (\/[^\s?#]*)/.exec(raw?.subarray(0, 4096).toString('latin1') ?? '')
  return m ? { method: m[1], url: m[2] } : { method: '', url: '' }
}

/**
 * Sent with a 431 whose Cookie header is itself large (COOKIE_BOMB_BYTES): the browser drops this
 * site's cookies. Cookies ignore ports, so a page on any other port of this computer can set enough
 * of them (Chromium keeps 180 of 4 KB for a host) that every request of JobDesk's pages is over
 * node's 16 KB and refused, for good (#9 LOW, cookie bombing). JobDesk's pages keep their session in
 * localStorage and stay signed in; console sessions (Linkis, Rill Flow) and the device cookie go.
 * Not for a head that is long for another reason (a URL over 16 KB): another site could navigate a
 * browser to one and so clear every cookie of this host, other local apps' too (atk12). Clients that
 * are no browser ignore the header.
 */
const CLEAR_COOKIES = { 'clear-site-data': '"cookies"' } as const

/** How long a Cookie header must be, of what arrived, to be taken for the cause of a 431: half of node's limit. */
const COOKIE_BOMB_BYTES = Math.floor(maxHeaderSize / 2)

/**
 * Whether the part of a head that arrived has a Cookie header of COOKIE_BOMB_BYTES or more (counted
 * to its line's end, or to the end of what arrived: the parser stops reading within the header that
 * overflows). latin1: header names are ASCII.
 */
function cookieBombed(packet: Buffer | undefined): boolean {
  if (packet === undefined) return false
  const head = packet.subarray(0, 256 * 1024).toString('latin1')
  for (const m of head.matchAll(/\r\ncookie:/gi)) {
    const end = head.indexOf('\r\n', m.index + 2)
    if ((end === -1 ? head.length : end) - m.index >= COOKIE_BOMB_BYTES) return true
  }
  return false
}

/** What the parser refused, as the error the dialects map. */
function parserError(err: ConnectionError): AppError {
  if (err.code === 'HPE_HEADER_OVERFLOW') {
    const kb = Math.round(maxHeaderSize / 1024)
    return new AppError('too_large', 'headers_too_large', `the request line and headers are larger than ${kb} KB, the most this server reads: send long values in the body, not in the URL's query string or in headers (cookies included)`, { field: 'headers' })
  }
  if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') return new AppError('invalid', 'request_timeout', 'the request did not arrive in time', { field: 'request' })
  return new AppError('invalid', 'bad_http', `the request is not valid HTTP/1.1 (${err.code ?? 'parse error'})`, { field: 'request' })
}

/** 408 for a request_timeout a dialect's sender answers with its kind's 400 (the head here, a body in body-rate.ts); any other status as sent. */
export const timeoutStatus = (e: AppError, sent: number): number => (e.code === 'request_timeout' && sent === 400 ? 408 : sent)

/** The HTTP status for what the parser refused: 431 for the head (a body's 413 would say the wrong part), 408 for a timeout. */
const statusFor = (e: AppError, sent: number): number => (sent === 413 && e.code === 'headers_too_large' ? 431 : timeoutStatus(e, sent))

/** Writes an answer made outside fastify: its status, headers and body. */
type WriteAnswer = (status: number, headers: Record<string, string>, body: Buffer) => void

/**
 * Answers `e` in the envelope of the dialect whose path `line` names, through `write`, with the
 * status `statusOf` makes of the one the dialect's sender chose. The senders take a request and a
 * reply, and neither exists here, so they get these stand-ins with the few members they use (url,
 * method, log; code, header, type, send).
 */
export function answerInEnvelope(log: FastifyBaseLogger, e: AppError, line: { method: string; url: string }, statusOf: (sent: number) => number, write: WriteAnswer): void {
  let status = 400
  const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' }
  const req = { url: line.url, method: line.method, log, raw: { url: line.url, method: line.method }, headers: {} }
  const reply = {
    code(n: number) {
      status = statusOf(n)
      return reply
    },
    header(name: string, value: unknown) {
      headers[name.toLowerCase()] = String(value)
      return reply
    },
    type(value: string) {
      headers['content-type'] = value
      return reply
    },
    send(payload: unknown) {
      write(status, headers, Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload)))
      return reply
    },
  }
  errorSenderFor(line.url, line.method)(e, req as unknown as FastifyRequest, reply as unknown as FastifyReply)
}

/**
 * Writes what the parser refused straight to the socket, in its dialect's envelope (answerInEnvelope),
 * with the security headers (`secured`: security-headers.ts; no response object exists to carry
 * them) and `Connection: close`.
 */
function writeAnswer(log: FastifyBaseLogger, socket: Socket, e: AppError, line: { method: string; url: string }, secured: Readonly<Record<string, string>>): void {
  answerInEnvelope(log, e, line, (sent) => statusFor(e, sent), (status, headers, body) => {
    const head = Object.entries({ ...secured, ...headers, 'content-length': String(body.length), 'cache-control': 'no-store', connection: 'close' })
      .map(([k, v]) => `${k}: ${v}\r\n`)
      .join('')
    socket.write(Buffer.concat([Buffer.from(`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\n${head}\r\n`, 'latin1'), body]))
  })
}

/**
 * The http server's 'checkExpectation' listener: a request whose Expect header asks for anything
 * but 100-continue, which node answers itself (a bare 417 that passes no hook) unless it has one.
 * Answered 417 `expectation_failed` in its API's envelope (RFC 9110 §10.1.1) and, as the connection
 * gate does after refusing a request no credential was accepted for (connection-limits.ts), with
 * `Connection: close`, once the rest of its body is read (linger.ts). The security headers come with
 * the response (security-headers.ts securedResponses).
 */
export function refuseExpectation(req: IncomingMessage, res: ServerResponse, log: FastifyBaseLogger): void {
  const expect = String(req.headers.expect).slice(0, 100)
  const e = new AppError('invalid', 'expectation_failed', `the request expects ${JSON.stringify(expect)}: this server meets only "100-continue"`, { field: 'Expect' })
  closeAfterAnswer(req, { header: (name, value) => res.setHeader(name, value) })
  lingerBeforeClose(req, res)
  answerInEnvelope(log, e, { method: req.method ?? '', url: req.url ?? '' }, () => 417, (status, headers, body) => {
    res.writeHead(status, { ...headers, 'content-length': String(body.length), 'cache-control': 'no-store' })
    res.end(body)
  })
}

/** Connections node's sweep timed out, ended TIMED_OUT_PER_TURN per turn of the event loop. */
const timedOut: { err: ConnectionError; socket: Socket; log: FastifyBaseLogger; headers: Readonly<Record<string, string>> }[] = []
/**
 * Node's headers-timeout sweep ends every connection past its time in one turn: a flood of
 * connections that sent nothing, or part of a head, all at once (#9 §2, atk38a: 12,000 held the main
 * thread 1.2 s). 64 of them cost at most 20 ms on 2 loaded cores (0.3 ms for one answered in its
 * envelope), and a status probe is answered between two batches.
 */
const TIMED_OUT_PER_TURN = 64

function endTimedOut(): void {
  for (const { err, socket, log, headers } of timedOut.splice(0, TIMED_OUT_PER_TURN)) endClientError(err, socket, log, headers)
  if (timedOut.length) setImmediate(endTimedOut)
}

/**
 * Fastify's `clientErrorHandler`: answers a request the HTTP parser refused in its dialect's
 * envelope, with the security `headers` (security-headers.ts securityHeaders) and `Connection:
 * close`, then closes the connection, as Node does: the rest of the request cannot be read, so
 * there is no lingering for it (linger.ts). A connection that sent nothing before its headers
 * timeout is closed without an answer (there is no request to answer; nginx closes such a one the
 * same way), and timed-out connections are ended a batch per turn of the event loop (TIMED_OUT_PER_TURN).
 */
export function answerClientError(err: ConnectionError, socket: Socket, log: FastifyBaseLogger, headers: Readonly<Record<string, string>>): void {
  if (err.code !== 'ERR_HTTP_REQUEST_TIMEOUT') return endClientError(err, socket, log, headers)
  if (timedOut.push({ err, socket, log, headers }) === 1) setImmediate(endTimedOut)
}

function endClientError(err: ConnectionError, socket: Socket, log: FastifyBaseLogger, headers: Readonly<Record<string, string>>): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return
  if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT' && socket.bytesRead === 0) return void socket.destroy()
  const e = parserError(err)
  log.debug({ err }, 'client error')
  if (socket.writable) {
    // fastify's typings describe rawPacket as a Buffer turned into JSON; Node hands over the Buffer
    const raw: unknown = err.rawPacket
    const packet = Buffer.isBuffer(raw) ? raw : undefined
    try {
      writeAnswer(log, socket, e, requestLine(packet), err.code === 'HPE_HEADER_OVERFLOW' && cookieBombed(packet) ? { ...headers, ...CLEAR_COOKIES } : headers)
    } catch (writeErr) {
      log.error({ err: writeErr }, 'could not answer a client error')
    }
  }
  socket.destroy(err)
}
