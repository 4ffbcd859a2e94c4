// Which held connection a new one takes the place of when the server holds its cap
// (connection-gate.ts), in this order:
// 1. not signed in, idle (no request in flight, or none sent yet): of an address holding more than
//    its share of the places not signed in first, else the oldest;
// 2. not signed in, in flight, of such an address (a request that never finishes: a sign-in body
//    that never comes);
// 3. not signed in, in flight for over UNSIGNED_IN_FLIGHT_MS, from any address;
// 4. signed in, idle, of an account holding more than its share (one account's keep-alives cannot
//    hold every place);
// 5. signed in, its request's body still arriving (an upload), or its answer waiting for the client
//    to read it (node's write buffer full, waiting for 'drain': pipelined answers or an event stream
//    it no longer reads), of an account holding more than its share, else an upload whose body has
//    been arriving for over SIGNED_IN_BODY_MS or an answer seen unread for over SIGNED_IN_UNREAD_MS.
//    Before, a signed-in request in flight never gave way: one account opening every connection and
//    trickling an upload on each (a byte now and then keeps body-rate.ts's rate) held every place
//    until the 256 MiB of bodies held refused new chunks, and nobody else could connect (gate10);
//    or asking on each for answers it never read (pipelined GETs, more than the kernel buffers:
//    atk10), with no body at all.
// Never: a signed-in request whose body is whole and whose answer is being read (an event stream
// being written to a client that reads it, a job being run), nor an idle one of an account within
// its share. Each kind, the oldest first.
// The choice scans the held connections oldest first, only when the cap is reached, at most the
// cap's (512) small records, and stops at the first idle one not signed in while no address is over
// its share. Measured per new connection at a cap of 512 on 2 cores: about 10 µs displacing an idle
// one, 40-90 µs for the full scan among requests not signed in (load 17); 20 µs for the full scan
// when every place is an idle signed-in one, 31 µs when each is a signed-in request in flight (load
// 8; before kind 5 a server all signed in was not scanned, under 1 µs). About what node spends
// accepting the connection.

import type { IncomingMessage } from 'node:http'
import type { Socket } from 'node:net'

/**
 * How long a request on a connection not signed in may be in flight before it gives way like an idle
 * one (ms): a sound sign-in or refused request takes milliseconds; one whose body trickles in (the
 * body-rate rule lets 500 B/s go on for hours) could otherwise hold its place from any address within
 * its share (rev9: 256 from 127.0.0.2 and 256 from 127.0.0.3 held every place).
 */
export const UNSIGNED_IN_FLIGHT_MS = 5_000
/**
 * How long a signed-in request's body may have been arriving before it gives way, though its
 * account is within its share (ms): a minute. An upload chunk (16 MB at most) takes that at about
 * 2 Mbit/s, and it is ended only when every place is taken and nothing above gives way; the 503 it
 * gets asks for the chunk again. Without it, a few accounts within their shares (64 places each)
 * trickling uploads could hold every place between them; with it they hold each place a minute at
 * most before a newcomer may take it.
 */
export const SIGNED_IN_BODY_MS = 60_000
/**
 * How long a signed-in request's answer may wait unread before it gives way, though its account is
 * within its share (ms): a minute, as SIGNED_IN_BODY_MS, counted from the first choice that saw it
 * waiting (the choice runs only at the cap, so it is a minute at least) until the client reads
 * enough for node's write buffer to drain. A client that reads, however slowly, drains it now and
 * then; one that reads nothing holds its place a minute at most before a newcomer may take it.
 */
export const SIGNED_IN_UNREAD_MS = 60_000

/** What the gate knows of a held connection. */
export interface HeldConnection {
  /** The client's address as one client (services/client-address.ts clientAddressKey): the unit of the unsigned share. */
  readonly address: string
  /** Whom the last credential accepted on it counts for (sessionKey); undefined: not signed in. */
  user: string | undefined
  /** Requests read and not yet answered (0: idle, or its first request's head not yet read). */
  inFlight: number
  /** When its requests in flight began (ms, the gate's clock), as of the last time it went from idle to in flight. */
  since: number
  /** The request whose head was read last on it (node's, `complete` once its body is whole); undefined before the first. */
  request: IncomingMessage | undefined
  /** When a choice first saw its answer waiting for the client to read it (ms, the gate's clock); undefined when not seen so, or drained since. */
  unreadSince?: number
  /** The bytes left in node's buffer when a choice saw a short tail waiting (answerUnread): a change is the client reading. */
  unreadTail?: number
}

/** The gate's counts the choice reads (connection-gate.ts keeps them as connections come, sign in and go). */
export interface HeldCounts {
  /** Addresses holding more than `share` of the connections not signed in. */
  readonly addressesOverShare: number
  /** Accounts holding more than `userShare` places. */
  readonly usersOverShare: number
  /** Connections not signed in one client address (clientAddressKey) may hold before its own give way first. */
  readonly share: number
  /** Places one account may hold before its idle ones (and its uploads) give way. */
  readonly userShare: number
  /** Connections not signed in of a client address (clientAddressKey). */
  unsignedOf(address: string): number
  /** Places an account (sessionKey) holds. */
  signedInOf(user: string): number
}

/**
 * The connection a new one takes the place of, in the order the module header gives, among `held`
 * (oldest first); undefined when none may give way. `now`: the gate's clock (ms).
 */
export function displaceable(held: ReadonlyMap<Socket, HeldConnection>, counts: HeldCounts, now: number): Socket | undefined {
  let idle: Socket | undefined
  let inFlightOverShare: Socket | undefined
  let inFlightLong: Socket | undefined
  let idleOfUserOverShare: Socket | undefined
  let stuckOfUserOverShare: Socket | undefined
  let stuckLong: Socket | undefined
  const unsignedSince = now - UNSIGNED_IN_FLIGHT_MS
  const bodySince = now - SIGNED_IN_BODY_MS
  const unreadSince = now - SIGNED_IN_UNREAD_MS
  for (const [socket, c] of held) {
    if (c.user !== undefined) {
      const overShare = counts.usersOverShare > 0 && counts.signedInOf(c.user) > counts.userShare
      if (c.inFlight === 0) {
        if (overShare) idleOfUserOverShare ??= socket
      } else if (c.request !== undefined && !c.request.complete) {
        if (overShare) stuckOfUserOverShare ??= socket
        else if (c.since <= bodySince) stuckLong ??= socket
      } else if (answerUnread(socket, c, now)) {
        if (overShare) stuckOfUserOverShare ??= socket
        else if (c.unreadSince! <= unreadSince) stuckLong ??= socket
      }
      continue
    }
    const overShare = counts.addressesOverShare > 0 && counts.unsignedOf(c.address) > counts.share
    if (c.inFlight === 0) {
      if (overShare || counts.addressesOverShare === 0) return socket // the oldest idle one, when no address is over its share
      idle ??= socket
    } else if (overShare) inFlightOverShare ??= socket
    else if (c.since <= unsignedSince) inFlightLong ??= socket
  }
  return idle ?? inFlightOverShare ?? inFlightLong ?? idleOfUserOverShare ?? stuckOfUserOverShare ?? stuckLong
}

/**
 * Whether `socket`'s answer waits for its client to read it: node's write buffer over its mark,
 * waiting for 'drain', or a short tail under the mark that the kernel's full buffers would not take
 * (no 'drain' is awaited for it, and node writes the connection's next answer only once it is out:
 * 401 pipelined answers left 815 bytes so, and the connection held its place for good). The first
 * time it is seen so, `c.unreadSince` is set to `now`; the socket's next 'drain', a tail that changed
 * (the client read) or an empty buffer clears it. Reads flags: no listener on sockets never seen waiting.
 */
function answerUnread(socket: Socket, c: HeldConnection, now: number): boolean {
  if (socket.writableNeedDrain) {
    if (c.unreadSince === undefined || c.unreadTail !== undefined) {
      c.unreadSince = now
      c.unreadTail = undefined
      socket.once('drain', () => void (c.unreadSince = undefined))
    }
    return true
  }
  const tail = socket.writableLength
  if (!(tail > 0)) {
    c.unreadSince = c.unreadTail = undefined
    return false
  }
  if (c.unreadSince === undefined || c.unreadTail !== tail) {
    c.unreadSince = now
    c.unreadTail = tail
  }
  return true
}
