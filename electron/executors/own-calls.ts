// Which connections to JobDesk's server are JobDesk's own outgoing calls (Rill Flow function tasks,
// completion callbacks, the http executor: outgoing-http.ts). Kept with the executors, which make those
// calls; the server hands its accepted sockets to recogniseOwnCalls, and services/client-address.ts
// reads isOwnCallSocket to tell such a request from one of this computer.
//
// A connection is known by its two ends (address and port of each), and only while both sockets are
// open: no two open connections share them, so neither a port used again by a later own call nor a
// local client on a port an own call freed is mistaken (a mark kept past the close, or keyed by the
// local end alone, would be). The mark is put on the server's socket as the two
// sides meet, whichever of them the event loop hears first, and stays with that socket: a request
// read before its call closed keeps its mark however long it waits for its handler.

import { unmappedIPv4 } from '../ip-address'

/** The ends of a socket, as node reports them. */
interface Ends {
  localAddress?: string
  localPort?: number
  remoteAddress?: string
  remotePort?: number
}
/** A socket as this module uses it: its ends, and its 'close'. */
type Watched = Ends & { once(event: 'close', listener: () => void): unknown }

/** An address as both sides spell it: a dual-stack server reports 127.0.0.1 as ::ffff:127.0.0.1. */
const plain = (address: string | undefined): string | undefined => address && unmappedIPv4(address)
/** One connection's key: the calling end, then the called one. */
const connectionKey = (fromAddress?: string, fromPort?: number, toAddress?: string, toPort?: number): string =>
  `${plain(fromAddress)}|${fromPort}>${plain(toAddress)}|${toPort}`

/** The open sockets of own calls, by connection. */
const ownCalls = new Map<string, Watched>()
/** The server's open sockets not (yet) known as own calls, by connection: an own call's connect may be heard after the server accepted it. */
const accepted = new Map<string, Watched>()
/** The server's sockets that are own calls: marked once, kept as long as the socket lives. */
const ownServerSockets = new WeakSet<object>()

/** Keeps `socket` in `map` under `key` until it closes; a later socket under the same key is not removed by it. */
function holdUntilClosed(map: Map<string, Watched>, key: string, socket: Watched): void {
  map.set(key, socket)
  socket.once('close', () => {
    if (map.get(key) === socket) map.delete(key)
  })
}

/**
 * Records `socket` (connected) as one of JobDesk's own outgoing calls while it is open; if JobDesk's
 * server has already accepted it, marks the server's socket now. A client cannot forge this: the
 * server recognises the call by the two ends of its connection, which only the socket that holds
 * them has; nothing the request carries counts.
 */
export function noteOwnCall(socket: Watched): void {
  const key = connectionKey(socket.localAddress, socket.localPort, socket.remoteAddress, socket.remotePort)
  const server = accepted.get(key)
  if (server) {
    ownServerSockets.add(server)
    accepted.delete(key)
  }
  holdUntilClosed(ownCalls, key, socket)
}

/** Marks `socket`, one the server just accepted, if an own call made it; else waits while it is open for the own call to be noted. */
function accept(socket: Watched): void {
  const key = connectionKey(socket.remoteAddress, socket.remotePort, socket.localAddress, socket.localPort)
  if (ownCalls.has(key)) ownServerSockets.add(socket)
  else holdUntilClosed(accepted, key, socket)
}

/**
 * Makes `server` (JobDesk's, before it listens) tell own calls apart: each socket it accepts is
 * matched to an own call's at once. The call's socket writes its request only after noteOwnCall
 * ran, so a request is always read after the match.
 */
export function recogniseOwnCalls(server: { on(event: 'connection', listener: (socket: Watched) => void): unknown }): void {
  server.on('connection', accept)
}

/** Whether `socket`, one JobDesk's server accepted (recogniseOwnCalls), is one of JobDesk's own calls. */
export function isOwnCallSocket(socket: object): boolean {
  return ownServerSockets.has(socket)
}
