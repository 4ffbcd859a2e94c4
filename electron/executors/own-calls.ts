// Which sockets connecting to JobDesk's server are JobDesk's own outgoing calls (Rill Flow function
// tasks, completion callbacks: outgoing-http.ts). Kept with the executors, which make those calls;
// services/client-address.ts reads it to tell such a request from one of this computer.

/** The local ends (`address|port`) of the sockets JobDesk's own outgoing calls hold, and for a while after they close. */
const ownCallEnds = new Set<string>()
/** How long an end stays known after its socket closed: a request it sent may still be waiting for its handler. */
const OWN_END_KEPT_MS = 60_000
const endKey = (address: string | undefined, port: number | undefined): string => `${address?.startsWith('::ffff:') ? address.slice(7) : address}|${port}`

/**
 * Records `socket` (connected) as one of JobDesk's own outgoing calls until a minute after it closes.
 * A client cannot forge this: the server recognises the call by the address and port its socket came
 * from, which only the socket that holds them has; nothing the request carries counts.
 */
export function noteOwnCall(socket: { localAddress?: string; localPort?: number; once(event: 'close', listener: () => void): unknown }): void {
  const key = endKey(socket.localAddress, socket.localPort)
  ownCallEnds.add(key)
  socket.once('close', () => setTimeout(() => ownCallEnds.delete(key), OWN_END_KEPT_MS).unref())
}

/** Whether a socket whose far end is `address`:`port` is one of JobDesk's own calls (noteOwnCall). */
export function isOwnCallEnd(address: string | undefined, port: number | undefined): boolean {
  return port !== undefined && ownCallEnds.has(endKey(address, port))
}
