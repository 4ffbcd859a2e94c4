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
// included. So the gate below holds the cap itself, on the server's "connection" event:
// - a connection is signed in once a request on it carried a credential its route accepted
//   (`req.user`, set by every dialect's authentication, seen before the handler runs); Rill Flow's
//   calls without a credential from loopback and signed callbacks do not sign a connection in;
// - an answer of 400 or more on a connection not signed in closes it (Connection: close): a
//   refused client reconnects for its next try instead of keeping a place; a 401 signs a
//   connection out first (a session that ended keeps no mark);
// - when the cap is reached a new connection takes the place of a connection not signed in: the
//   oldest idle one (no request in flight, or none sent yet) of an address holding more than
//   UNSIGNED_SHARE of the cap, else the oldest idle one, else the oldest one in flight of such an
//   address (a request that never finishes: a sign-in body that never comes), else the oldest one in
//   flight for over UNSIGNED_IN_FLIGHT_MS from any address, else the oldest idle
//   signed-in one of an account holding more than the same share of the cap, at most SIGNED_IN_SHARE (sessionKey) (one account's keep-alives
//   cannot hold every place either); only when every place is an in-flight request (an event
//   stream among them), or idle and of a user or address within its share, is the new connection
//   closed unanswered. An address is counted by addressGroup: every loopback address as one, IPv6
//   by its /64. On loopback every local process is one such client, so the address share is of
//   connections not signed in only: signed-in sessions are shared by user, not by address.
// The choice scans the held connections oldest first, only when the cap is reached, and stops at the
// first idle one not signed in while no address is over its share; none is scanned when every place
// is signed in. At most MAX_CONNECTIONS (512) small records. Measured per new connection at a cap of
// 512, 2 cores at load 17: under 1 µs when every place is signed in, about 10 µs displacing an idle
// one, 40-90 µs for the full scan when every place is a request in flight within its share (about
// what node spends accepting the connection). Below the cap a connection costs a Map entry. In a
// flood node itself refuses at accept once DISPLACING_AT_ONCE displaced connections are closing.

import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Socket } from 'node:net'
import { closeAfterAnswer } from './linger'

/** The server's connection limits (ServerOptions.connections); each has a default below. */
export interface ConnectionLimits {
  /** Connections held at once; past it a new one takes the place of one not signed in, or is closed unanswered (ConnectionGate). */
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

/**
 * Connections past the cap node itself may hand the gate at once (node's `maxConnections` is the cap
 * plus this): a displaced connection counts until its close event, so in a flood, once this many are
 * closing, node closes further ones as they are accepted, before a socket is made for them (about
 * a tenth of the cost of the gate's displacing one). A new connection alone always reaches the gate.
 */
export const DISPLACING_AT_ONCE = 64

/** Half the cap: what one address may hold of connections not signed in before its own give way first. */
export const UNSIGNED_SHARE = 0.5
/**
 * How long a request on a connection not signed in may be in flight before it gives way like an idle
 * one (ms): a sound sign-in or refused request takes milliseconds; one whose body trickles in (the
 * body-rate rule lets 500 B/s go on for hours) could otherwise hold its place from any address within
 * its share (rev9: 256 from 127.0.0.2 and 256 from 127.0.0.3 held every place).
 */
export const UNSIGNED_IN_FLIGHT_MS = 5_000
/**
 * The most places one signed-in account holds before its idle ones give way, whatever the cap: a
 * browser opens at most 6 to one host, and a user at most 16 event streams. Half the cap let two
 * accounts hold every place (rev9).
 */
export const SIGNED_IN_SHARE = 64

/**
 * Whom a signed-in connection counts for: the account (by id, so a rename changes nothing), and all
 * Token-Users without an account as one (a Linkis token allowing any user could otherwise name a
 * new "user" on each connection: rev9).
 */
export function sessionKey(user: { id: number }): string {
  return user.id >= 0 ? `account ${user.id}` : 'token users without an account'
}

/**
 * The unit of UNSIGNED_SHARE for a client's address: every loopback address is one (a local process
 * may bind any of 127.0.0.0/8), an IPv6 address counts by its /64 (what one host is given), an
 * IPv4-mapped one as its IPv4 address.
 */
export function addressGroup(address: string): string {
  const v4 = address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address
  if (v4 === '::1' || /^127\./.test(v4)) return 'loopback'
  if (!v4.includes(':')) return v4
  const [head, tail = ''] = v4.split('::')
  const groups = head ? head.split(':') : []
  // the first four groups, counting those a `::` stands for as zeros
  const missing = 8 - groups.length - (tail ? tail.split(':').length : 0)
  const full = [...groups, ...Array(Math.max(0, missing)).fill('0'), ...(tail ? tail.split(':') : [])]
  return `${full.slice(0, 4).map((g) => g.toLowerCase().replace(/^0+(?=.)/, '')).join(':')}::/64`
}

/** What the gate knows of a held connection. */
interface Held {
  /** The client's address (socket.remoteAddress): the unit of UNSIGNED_SHARE. */
  readonly address: string
  /** Whom the last credential its route accepted on it named (username); undefined: not signed in. */
  user: string | undefined
  /** Requests read and not yet answered (0: idle, or its first request's head not yet read). */
  inFlight: number
  /** When its requests in flight began (ms, `now`), as of the last time it went from idle to in flight. */
  since: number
}

/**
 * The connections a server holds, at most `max`: when full, a new one takes the place of one not
 * signed in (the module header gives the order), else it is closed unanswered. Attach it with
 * `gateConnections`; `signIn` and `closesAfter` are its two questions from the request hooks.
 */
export class ConnectionGate {
  private readonly held = new Map<Socket, Held>() // in the order they came: oldest first
  private readonly unsignedByAddress = new Map<string, number>()
  private readonly signedInByUser = new Map<string, number>()
  /** Connections not signed in, the addresses holding more than `share` of them, the users holding more than `share`: the scan's shortcuts. */
  private unsigned = 0
  private addressesOverShare = 0
  private usersOverShare = 0
  /** Connections not signed in one address, or signed in one user, may hold before their own give way first (≥ 1). */
  readonly share: number
  /** Connections one signed-in account (sessionKey) may hold before its idle ones give way first: `share`, at most SIGNED_IN_SHARE. */
  readonly userShare: number

  /** `max`: connections held at once (≥ 1); `now`: a clock in ms (tests move it). */
  constructor(
    readonly max: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.share = Math.max(1, Math.floor(max * UNSIGNED_SHARE))
    this.userShare = Math.min(this.share, SIGNED_IN_SHARE)
  }

  /** How many connections are held now. */
  get size(): number {
    return this.held.size
  }

  /** A connection the server accepted: held, in the place of another when full, or destroyed. */
  admit(socket: Socket): void {
    if (this.held.size >= this.max) {
      const victim = this.displaceable()
      if (!victim) return void socket.destroy()
      this.forget(victim)
      victim.destroy()
    }
    const held: Held = { address: addressGroup(socket.remoteAddress ?? ''), user: undefined, inFlight: 0, since: 0 }
    this.held.set(socket, held)
    this.countUnsigned(held.address, 1)
    socket.once('close', () => this.forget(socket))
  }

  /** A request's head was read on `socket`; `res` closing ends it. */
  started(socket: Socket, res: ServerResponse): void {
    const held = this.held.get(socket)
    if (!held) return
    if (held.inFlight++ === 0) held.since = this.now()
    res.once('close', () => void held.inFlight--)
  }

  /** A request on `socket` carried a credential of `user` (username) its route accepted: displaced last, and only idle. */
  signIn(socket: Socket, user: string): void {
    const held = this.held.get(socket)
    if (!held || held.user === user) return
    if (held.user === undefined) this.countUnsigned(held.address, -1)
    else this.countSignedIn(held.user, -1)
    held.user = user
    this.countSignedIn(user, 1)
  }

  /**
   * Whether an answer with `status` should close `socket`: a refusal (≥ 400) on a connection not
   * signed in. A 401 signs a connection out first (its session ended, its token was revoked): the
   * mark lasts no longer than a credential that is still taken.
   */
  closesAfter(socket: Socket, status: number): boolean {
    const held = this.held.get(socket)
    if (status === 401 && held?.user !== undefined) {
      this.countSignedIn(held.user, -1)
      held.user = undefined
      this.countUnsigned(held.address, 1)
    }
    return status >= 400 && held !== undefined && held.user === undefined
  }

  /** The connection a new one takes the place of, in the module header's order; undefined: none. */
  private displaceable(): Socket | undefined {
    if (this.unsigned === 0 && this.usersOverShare === 0) return undefined // every place signed in, each user within the share: nothing to scan
    let idle: Socket | undefined
    let inFlightOverShare: Socket | undefined
    let inFlightLong: Socket | undefined
    let idleOfUserOverShare: Socket | undefined
    const longSince = this.now() - UNSIGNED_IN_FLIGHT_MS
    for (const [socket, held] of this.held) {
      if (held.user !== undefined) {
        if (held.inFlight === 0 && this.usersOverShare > 0 && (this.signedInByUser.get(held.user) ?? 0) > this.userShare) idleOfUserOverShare ??= socket
        continue
      }
      const overShare = this.addressesOverShare > 0 && (this.unsignedByAddress.get(held.address) ?? 0) > this.share
      if (held.inFlight === 0) {
        if (overShare || this.addressesOverShare === 0) return socket // the oldest idle one, when no address is over its share
        idle ??= socket
      } else if (overShare) inFlightOverShare ??= socket
      else if (held.since <= longSince) inFlightLong ??= socket
    }
    return idle ?? inFlightOverShare ?? inFlightLong ?? idleOfUserOverShare
  }

  private forget(socket: Socket): void {
    const held = this.held.get(socket)
    if (!held) return
    this.held.delete(socket)
    if (held.user === undefined) this.countUnsigned(held.address, -1)
    else this.countSignedIn(held.user, -1)
  }

  private countUnsigned(address: string, by: 1 | -1): void {
    const was = this.unsignedByAddress.get(address) ?? 0
    const n = was + by
    if (n > 0) this.unsignedByAddress.set(address, n)
    else this.unsignedByAddress.delete(address)
    this.unsigned += by
    if ((was > this.share) !== (n > this.share)) this.addressesOverShare += by
  }

  private countSignedIn(user: string, by: 1 | -1): void {
    const was = this.signedInByUser.get(user) ?? 0
    const n = was + by
    if (n > 0) this.signedInByUser.set(user, n)
    else this.signedInByUser.delete(user)
    if ((was > this.userShare) !== (n > this.userShare)) this.usersOverShare += by
  }
}

/**
 * Holds `app`'s connections to `limits.maxConnections` (MAX_CONNECTIONS unless set) with a
 * ConnectionGate (before it listens, before any route). Its hooks run on every request, synchronous
 * (#14.2): preHandler signs the connection in when a route's authentication set `req.user`;
 * onSend closes a connection not signed in after an answer of 400 or more. Returns the gate.
 */
export function gateConnections(app: FastifyInstance, limits: ConnectionLimits = {}): ConnectionGate {
  const gate = new ConnectionGate(limits.maxConnections ?? MAX_CONNECTIONS)
  app.server.maxConnections = gate.max + DISPLACING_AT_ONCE
  app.server.on('connection', (socket: Socket) => gate.admit(socket))
  app.server.on('request', (req: IncomingMessage, res: ServerResponse) => gate.started(req.socket, res))
  app.addHook('preHandler', (req: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction) => {
    if (req.user !== undefined) gate.signIn(req.raw.socket, sessionKey(req.user))
    done()
  })
  app.addHook('onSend', (req: FastifyRequest, reply: FastifyReply, payload: unknown, done: (err: null, payload: unknown) => void) => {
    if (gate.closesAfter(req.raw.socket, reply.statusCode)) closeAfterAnswer(req.raw, reply)
    done(null, payload)
  })
  return gate
}
