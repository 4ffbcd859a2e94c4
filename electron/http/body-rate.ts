// How fast a request's body must arrive. Node ends a request whose head is slow (headersTimeout,
// connection-limits.ts), but fastify turns node's requestTimeout off, so a body that trickled in (a
// sign-in announcing 60,000 bytes and sending one every 5 s) held its connection and its buffered
// bytes as long as the client liked (#9 §2, atk38a). A fixed time for the whole request would cut
// a large upload on a slow link, so this follows Apache's mod_reqtimeout (`body=20,MinRate=500`):
// a body has 20 s, and every 500 bytes that arrive give it one more second. A body too slow is
// answered 408 in its API's envelope while an answer can still be sent; fastify lets go of what it
// read, and the connection is closed once the rest is read and thrown away (linger.ts closeAfterAnswer:
// a client that then sends the rest at once keeps no connection to send its next request on).
//
// Two departures from mod_reqtimeout, both because fastify holds a body in memory until it is whole
// (atk9):
// - The time a body earns is banked for 20 s at the most: its deadline is never more than 20 s
//   after its latest bytes. Counted only from the start, a body sent fast and then stopped one byte
//   short earned its whole allowance at once (a 4 MB submit 2.3 h, a 16 MB upload chunk 9.3 h) while
//   its megabytes were held; now a body that stops ends 20 s after it stopped, whatever it sent
//   before, and over any stretch past its first 20 s it must bring 500 bytes a second.
// - What counts is the body's bytes as node's HTTP parser hands them on, not the socket's: a chunked
//   body's framing (a chunk-size line may carry any number of leading zeros) earned time while the
//   body came at 10 bytes a second.
// And the bytes that bodies not yet whole have brought are capped together (BODY_BYTES_HELD_MAX): a
// chunk that would take them over it ends its own request with a 503 in its API's envelope, so
// clients that each keep the rate cannot make the server hold gigabytes between them. One client
// may hold only a share of it (BODY_BYTES_SHARE): the cap was everyone's, so one client (or one
// account) that kept many bodies one byte short held it all and every other user's upload was
// refused 503 (body10). A body counts for its account once its credential is known (from the
// preParsing hook on: authentication is onRequest in every dialect), else for its client's address
// (services/client-address.ts clientAddressKey): on loopback every local process is one address, and a client
// without an account must not starve a signed-in one.
// An address over its share makes room by ending its own slowest bodies that hold more than
// DISPLACEABLE_BODY_BYTES (answered 503), not by refusing the body that came last: on loopback that
// address is every local process's, and a client without any credential (GES signatures naming a
// real access key, counted for the address until the HMAC over the body is checked) that kept large
// bodies unfinished held loopback's whole share, so every other local client's upload or sign-in was
// refused until it stopped (atk11). Now a newcomer gets through and a flood ends its own bodies.
// Slowest by their recent rate (RECENT_RATE_HALF_LIFE_MS), not oldest: a flood's bodies stall once
// sent (that is how they hold bytes), an honest upload keeps coming; by age, a flood of new bodies
// ended an honest upload as soon as it was the address's oldest (ges11 review). An account over its
// share is still refused its new body: its bodies are all its own.

import type { IncomingMessage } from 'node:http'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { AppError } from '../../shared/errors'
import { KeyedCounts } from '../keyed-counts'
import { BODY_LIMITS } from './body-limits'
import { timeoutStatus } from './client-errors'
import { clientAddressKey } from '../services/client-address'
import { sessionKey } from './connection-gate'
import type { ConnectionLimits } from './connection-limits'
import { errorSenderFor } from './envelopes'
import { closeAfterAnswer } from './linger'

/** How long a body may take before what it sent counts (ms), and how much time it may bank ahead: Apache mod_reqtimeout's `body=20`. */
export const BODY_TIMEOUT_MS = 20_000
/** Each this many bytes of a body that arrive give it one more second: mod_reqtimeout's `MinRate=500`. */
export const BODY_MIN_BYTES_PER_SECOND = 500
/**
 * The bytes of bodies not yet whole, all requests together (256 MiB): 16 upload chunks at their
 * limit, 64 content bodies. Past it a body is refused 503 until others finish or are ended (a
 * stalled one within 20 s).
 */
export const BODY_BYTES_HELD_MAX = 256 * 1024 * 1024
/**
 * The part of BODY_BYTES_HELD_MAX the unfinished bodies of one account, or of one address without
 * one, may hold: a quarter (64 MiB at the default), four upload chunks at their limit or sixteen
 * content bodies, more than a client that uploads in parallel sends at once. Half let two clients
 * (a local one without an account and one account) hold the whole cap, as it let two accounts hold
 * every connection (connection-gate.ts SIGNED_IN_SHARE, rev9).
 */
export const BODY_BYTES_SHARE = 0.25
/**
 * An address's unfinished body that holds more than this (64 KiB, a small route's whole body) may be
 * ended to make room for its address's newer bodies. Smaller ones never are: at most MAX_CONNECTIONS
 * (512) of them hold 32 MiB, half a share at the defaults, so only large bodies can fill a share, and
 * a sign-in that is refused when its own address's small bodies fill the share takes none from others.
 */
export const DISPLACEABLE_BODY_BYTES = BODY_LIMITS.small

/** Requests whose `req.user` is only claimed until their body is read (claimedUntilBody). */
const claimedOnly = new WeakSet<FastifyRequest>()

/**
 * Marks `req.user` as not proven until the body is read (a GES access-key signature, whose HMAC
 * covers the body): the body's bytes count for its client's address, not for that account, since
 * anyone may name another's access key and would otherwise use up that account's share.
 */
export function claimedUntilBody(req: FastifyRequest): void {
  claimedOnly.add(req)
}

/** Whether `req.user` was only claimed until the body is read (claimedUntilBody): not yet proven. */
export const userClaimedOnly = (req: FastifyRequest): boolean => claimedOnly.has(req)

/** Whom a body's bytes count for (BODY_BYTES_SHARE): its proven account (sessionKey), else its client's address (clientAddressKey). */
/**
 * Whose body `req` carries, for shares of work done on bodies (body bytes here, JSON parsing in
 * workers: services/json-parser.ts): its account's session key once its credential is accepted, else
 * its client's address.
 */
export const bodyOwner = (req: FastifyRequest): string => holderOf(req).key

function holderOf(req: FastifyRequest): { key: string; address: boolean } {
  if (req.user !== undefined && !userClaimedOnly(req)) return { key: sessionKey(req.user), address: false }
  return { key: `address ${clientAddressKey(req.raw.socket?.remoteAddress ?? '')}`, address: true }
}

/**
 * The half-life (ms) of the rate by which an address's large bodies are ranked to give way: bytes
 * that came this long ago count half. Long enough that a steady upload's rate holds between its
 * chunks, short enough that a body that stopped ranks below it within a second or two.
 */
export const RECENT_RATE_HALF_LIFE_MS = 2_000

/**
 * A body's recent rate in bytes a second: its bytes, each weighing half as much every
 * RECENT_RATE_HALF_LIFE_MS after it came, over its life weighed the same way. A steady rate r reads
 * r from the first chunk on (a new upload is not taken for a slow one); a body that stops reads
 * less and less; one sent all at once reads high at first, a burst being fast.
 */
export class RecentRate {
  private bytes = 0 // weighed as of `at`
  private at: number
  constructor(private readonly since: number) {
    this.at = since
  }
  /** Counts `bytes` that came at `now` (ms). */
  add(bytes: number, now: number): void {
    this.bytes = this.bytes * decay(now - this.at) + bytes
    this.at = now
  }
  /** Bytes a second at `now` (ms); Infinity for bytes that came just as the body began. */
  read(now: number): number {
    const life = ((RECENT_RATE_HALF_LIFE_MS / Math.LN2) * (1 - decay(now - this.since))) / 1000 // seconds, weighed
    return life > 0 ? (this.bytes * decay(now - this.at)) / life : this.bytes > 0 ? Infinity : 0
  }
}

/** The weight of bytes that came `ms` ago. */
const decay = (ms: number): number => 2 ** (-ms / RECENT_RATE_HALF_LIFE_MS)

/** An unfinished body counted for an address: the bytes it holds, its recent rate (bytes a second), and how to end it. */
interface AddressBody {
  held(): number
  rate(now: number): number
  end(e: AppError): void
}

/**
 * Ends `bodies` (one address's) that hold more than DISPLACEABLE_BODY_BYTES, slowest by recent
 * rate first (the first counted first among equals), each answered `e`, while `over()`; the body
 * whose chunk took the address over its share is among them, and ends itself when it is the slowest.
 */
function makeRoom(bodies: ReadonlySet<AddressBody>, over: () => boolean, e: AppError): void {
  const now = Date.now()
  const large = [...bodies].filter((b) => b.held() > DISPLACEABLE_BODY_BYTES)
  large.sort((a, b) => a.rate(now) - b.rate(now)) // stable: among equals, the first counted goes first
  for (const body of large) {
    if (!over()) return
    body.end(e)
  }
}

/** How to end each body still arriving and timed here, by its request (endArrivingBody). */
const enders = new WeakMap<IncomingMessage, (e: AppError) => void>()

/**
 * Ends `raw`'s body while it still arrives, as this rule's own refusals do: its bytes held are given
 * back, and it is answered `e` in its API's envelope (or its connection closed when an answer was
 * sent already). For connection-limits.ts's displacing of an upload. False when no body of `raw` is
 * being timed (none, whole, or ended already).
 */
export function endArrivingBody(raw: IncomingMessage, e: AppError): boolean {
  const end = enders.get(raw)
  if (!end) return false
  end(e)
  return true
}

/**
 * Installs the rule: an onRequest hook (before any other, so that a request refused by a later one,
 * whose body node then reads and throws away, is held to it too) that times each request that has a
 * body. Each chunk of body moves the body's deadline on (by 1 s per `bodyMinBytesPerSecond` bytes,
 * to `bodyTimeoutMs` after now at the most) and counts towards `bodyBytesHeldMax`, and from the
 * preParsing hook on towards its holder's BODY_BYTES_SHARE of it; a timer looks only when the
 * deadline is due. A body past its deadline is answered 408, one over the cap or its holder's share
 * 503, both in the API's envelope (or its connection is closed when an answer was sent already); an
 * address over its share ends its slowest bodies over DISPLACEABLE_BODY_BYTES first (503), and refuses
 * the new chunk's body only when that is not enough.
 */
export function registerBodyRate(app: FastifyInstance, limits: ConnectionLimits = {}): void {
  const timeoutMs = limits.bodyTimeoutMs ?? BODY_TIMEOUT_MS
  const msPerByte = 1000 / (limits.bodyMinBytesPerSecond ?? BODY_MIN_BYTES_PER_SECOND)
  const heldMax = limits.bodyBytesHeldMax ?? BODY_BYTES_HELD_MAX
  const share = limits.bodyBytesHeldShare ?? Math.max(1, Math.floor(heldMax * BODY_BYTES_SHARE))
  let held = 0 // bytes of the bodies below that are not yet whole
  const heldBy = new KeyedCounts<string>() // the same, by whom they count for (holderOf)
  const ofAddress = new Map<string, Set<AddressBody>>() // the unfinished bodies counted for each address, the first counted first
  const displaced = new AppError('unavailable', 'server_busy', `the unfinished request bodies from your address held as much as one client may (${share} bytes), and this one came slowest lately; send it again shortly`, { field: 'body', retryAfterSeconds: 1 })
  /** Each timed request's hook for when its credential is known (preParsing below). */
  const settles = new WeakMap<FastifyRequest, () => void>()
  let pushBypassed = false // once a body ended without onBodyBytes seeing it: bodies are timed by their socket's bytes
  app.addHook('onRequest', (req, reply, done) => {
    const raw = req.raw
    const hasBody = raw.headers['transfer-encoding'] !== undefined || (raw.headers['content-length'] ?? '0') !== '0'
    // fastify.inject's stand-in request is whole from the start (its socket counts no bytes): nothing to time
    if (!hasBody || raw.complete || typeof (raw.socket as { bytesRead?: number } | null)?.bytesRead !== 'number') return done()
    let due = Date.now() + timeoutMs
    let mine = 0 // this body's bytes in `held`
    let holder: string | undefined // whom they count for, once its credential is known
    let ended = false
    let answered = false // what comes after the answer is read and thrown away (linger.ts): not held
    const recent = new RecentRate(Date.now())
    const self: AddressBody = { held: () => mine, rate: (now) => recent.read(now), end: (e) => endArrivingBody(raw, e) }
    /** Gives this body's bytes in `held` back. */
    const release = () => {
      held -= mine
      if (holder !== undefined) heldBy.remove(holder, mine)
      mine = 0
      const bodies = holder === undefined ? undefined : ofAddress.get(holder)
      if (bodies?.delete(self) && bodies.size === 0) ofAddress.delete(holder!)
    }
    // once the body is whole or ended: its timer goes too (it held the request, body and all, for 20 s)
    const stop = () => {
      ended = true
      clearTimeout(timer)
      release()
      enders.delete(raw)
    }
    onBodyBytes(raw, (bytes) => {
      if (ended) return
      if (bytes === null) return stop()
      due = Math.min(due + bytes * msPerByte, Date.now() + timeoutMs)
      if (answered) return // still timed: a trickle after an early answer is ended as before
      held += bytes
      mine += bytes
      recent.add(bytes, Date.now())
      const theirs = holder === undefined ? 0 : heldBy.add(holder, bytes)
      if (held <= heldMax && theirs <= share) return
      const bodies = held <= heldMax && holder !== undefined ? ofAddress.get(holder) : undefined
      if (bodies) {
        // an address's slowest large bodies give way, this one among them: a newcomer gets through, a flood ends its own
        const address = holder!
        makeRoom(bodies, () => heldBy.get(address) > share, displaced)
        if (ended || heldBy.get(address) <= share) return
      }
      stop()
      const why = held > heldMax ? `the server holds as many unfinished request bodies as it can (${heldMax} bytes)` : `your unfinished request bodies hold as much as one client may (${share} bytes)`
      endBody(req, reply, new AppError('unavailable', 'server_busy', `${why}; send it again shortly`, { field: 'body', retryAfterSeconds: Math.ceil(timeoutMs / 1000) }))
    }, () => void (pushBypassed = true))
    // what came before its credential was known (a few kB: node reads no further until fastify does) counts for it from now
    settles.set(req, () => {
      if (ended || answered || holder !== undefined) return
      const of = holderOf(req)
      holder = of.key
      if (mine > 0) heldBy.add(holder, mine)
      if (!of.address) return
      const bodies = ofAddress.get(holder)
      if (bodies) bodies.add(self)
      else ofAddress.set(holder, new Set([self]))
    })
    let socketRead = raw.socket.bytesRead // what the socket read, for when onBodyBytes sees nothing (pushBypassed)
    const check = () => {
      if (ended) return
      if (raw.socket?.destroyed) return stop()
      if (pushBypassed) {
        const read = raw.socket?.bytesRead ?? socketRead
        due = Math.min(due + (read - socketRead) * msPerByte, Date.now() + timeoutMs)
        socketRead = read
      }
      const left = due - Date.now()
      if (left > 0) return void (timer = setTimeout(check, left).unref())
      stop()
      endBody(req, reply, new AppError('invalid', 'request_timeout', `the request body arrived too slowly: it must come at ${1000 / msPerByte} bytes a second at least, and may pause ${timeoutMs / 1000} s at the most`, { field: 'body' }))
    }
    let timer = setTimeout(check, timeoutMs).unref()
    enders.set(raw, (e) => {
      stop()
      endBody(req, reply, e)
    })
    raw.once('close', stop)
    // the answer ends this body's share of `held`: what comes after it is thrown away (linger.ts), and
    // node never closes a request answered before its body was whole (rev9: a 401 mid-body and a reset
    // held its bytes for good, until every body was refused 503)
    reply.raw.once('close', () => {
      answered = true
      release()
    })
    done()
  })
  app.addHook('preParsing', (req, _reply, payload, done) => {
    settles.get(req)?.()
    done(null, payload)
  })
}

/**
 * Calls `count` with the length of each chunk of body node's HTTP parser hands `raw` (what its
 * listeners will read: chunked framing taken off), and with null when the body is whole; calls
 * `bypassed` if the body ends without that null (node's parser no longer calls push).
 * Node has no public event for that which does not read the body: the parser pushes each chunk into
 * the request stream (`stream.push(b)`, _http_common.js parserOnBody, and `push(null)` at the end)
 * whoever reads it, so this wraps `raw.push`. A 'data' listener would start the stream flowing
 * before fastify listens (what came during an async onRequest hook would be lost); a preParsing stream sees
 * only what fastify reads (not a body answered before then, which node reads and throws away); the
 * socket's bytes count the chunked framing (its padding earned time, atk9). Should node stop calling
 * push, a body's 'end' comes without it: the rule then times bodies by their socket's bytes and caps
 * nothing (`bypassed`), rather than ending every body after 20 s; test/http/node-internals.test.ts
 * fails first.
 */
export function onBodyBytes(raw: IncomingMessage, count: (bytes: number | null) => void, bypassed: () => void = () => undefined): void {
  const push = raw.push
  let whole = false
  raw.push = function (chunk: unknown, encoding?: BufferEncoding) {
    if (chunk === null) whole = true
    count(chunk === null ? null : (chunk as { length: number }).length)
    return push.call(this, chunk, encoding)
  }
  raw.once('end', () => void (whole || bypassed()))
}

/**
 * Answers `e` in the request's API's envelope and closes the connection once the rest of the body
 * is read and thrown away (linger.ts); closes it at once when an answer was sent already.
 */
function endBody(req: FastifyRequest, reply: FastifyReply, e: AppError): void {
  if (reply.sent || reply.raw.headersSent) return void req.raw.socket.destroy()
  // fastify stops reading it (directly, or through body-limits.ts's stream piped from it): what comes
  // after the answer is thrown away (linger.ts), and what fastify holds is let go now (its listeners held it)
  req.raw.unpipe()
  req.raw.removeAllListeners('data').removeAllListeners('end').removeAllListeners('error')
  req.raw.on('error', () => undefined) // an abort after this is the end foreseen, not a crash
  closeAfterAnswer(req.raw, reply) // once the rest of the body is read and thrown away (linger.ts)
  // the senders set the kind's status (400 for a timeout, whose answer is a 408)
  const timed = new Proxy(reply, { get: (target, key) => (key === 'code' ? (n: number) => target.code(timeoutStatus(e, n)) : Reflect.get(target, key, target)) })
  errorSenderFor(req.url, req.method)(e, req, timed)
}
